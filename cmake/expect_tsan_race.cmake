# Runs a ThreadSanitizer build that must report a data race, for the
# lock mutants (fuzz/mutants/*.edit with a "tsan:" line):
#   cmake -DCMD=prog|arg... -DFUNCTION=name [-DATTEMPTS=n]
#         -P expect_tsan_race.cmake
# Each attempt runs CMD with "--seed <attempt>" appended. An attempt
# passes when TSan's exit status (66) comes with a data race report one
# of whose frames is FUNCTION, and nothing crashed: no deadly signal, no
# sanitizer error that is not a data race. Any other attempt is told
# (its first report lines) and the next seed is tried, up to ATTEMPTS
# (default 4): whether two threads meet inside the unlocked window in
# one run depends on timing (a loaded machine can miss it in a run), and
# a mutant that corrupts the batch can crash a run after (or before) the
# race. So a crash never passes, and a test passes only on a run with the
# expected race and no crash.
if(NOT DEFINED CMD OR NOT DEFINED FUNCTION)
	message(FATAL_ERROR "expect_tsan_race: CMD and FUNCTION are required")
endif()
if(NOT DEFINED ATTEMPTS)
	set(ATTEMPTS 4)
endif()
string(REPLACE "|" ";" cmd "${CMD}")
foreach(seed RANGE 1 ${ATTEMPTS})
	execute_process(COMMAND ${cmd} --seed ${seed} RESULT_VARIABLE rc
		OUTPUT_VARIABLE out ERROR_VARIABLE out TIMEOUT 280)
	set(crashed FALSE)
	if("${out}" MATCHES "DEADLYSIGNAL|ERROR: ThreadSanitizer|CHECK failed")
		set(crashed TRUE)
	endif()
	set(raced FALSE)
	if("${out}" MATCHES "WARNING: ThreadSanitizer: data race.* #[0-9]+ ${FUNCTION} ")
		set(raced TRUE)
	endif()
	if("${rc}" STREQUAL "66" AND raced AND NOT crashed)
		string(REGEX MATCH "WARNING: ThreadSanitizer: data race[^\n]*\n[^\n]*\n[^\n]*\n" first "${out}")
		message("${first}")
		message("expect_tsan_race: seed ${seed}: a data race in ${FUNCTION}, as expected")
		return()
	endif()
	string(REGEX MATCHALL "(WARNING|ERROR|SUMMARY): [^\n]*\n[^\n]*\n[^\n]*\n" told "${out}")
	list(SUBLIST told 0 3 told)
	message("${told}")
	message("expect_tsan_race: seed ${seed}: exit status '${rc}', race in ${FUNCTION}: ${raced}, crashed: ${crashed}; next seed")
endforeach()
message(FATAL_ERROR "expect_tsan_race: no run of ${ATTEMPTS} reported a data race in ${FUNCTION} without crashing")
