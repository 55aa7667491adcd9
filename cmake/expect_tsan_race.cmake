# Runs a ThreadSanitizer build that must report a data race, for the
# lock mutants (fuzz/mutants/*.edit with a "tsan:" line):
#   cmake -DCMD=prog|arg... -DFUNCTION=name [-DATTEMPTS=n]
#         -P expect_tsan_race.cmake
# Each attempt runs CMD with "--seed <attempt>" appended. An attempt
# passes when TSan's exit status (66) comes with a data race report one
# of whose frames is FUNCTION, and nothing crashed. Whether two threads
# meet inside the unlocked window in one run depends on timing (on a
# loaded machine a run can miss it): a run that ends cleanly (status 0)
# or with only the oracle's verdict (1) is tried again with the next
# seed, up to ATTEMPTS (default 4). Anything else fails at once: a
# crash, a sanitizer error that is not a data race, or races none of
# which is in FUNCTION.
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
	if("${out}" MATCHES "DEADLYSIGNAL|ERROR: ThreadSanitizer|CHECK failed")
		message("${out}")
		message(FATAL_ERROR "expect_tsan_race: seed ${seed}: a crash or a sanitizer error")
	endif()
	if("${rc}" STREQUAL "66")
		if("${out}" MATCHES "WARNING: ThreadSanitizer: data race.* #[0-9]+ ${FUNCTION} ")
			string(REGEX MATCH "WARNING: ThreadSanitizer: data race[^\n]*\n[^\n]*\n[^\n]*\n" first "${out}")
			message("${first}")
			message("expect_tsan_race: seed ${seed}: a data race in ${FUNCTION}, as expected")
			return()
		endif()
		message("${out}")
		message(FATAL_ERROR "expect_tsan_race: seed ${seed}: data races, none in ${FUNCTION}")
	endif()
	if(NOT "${rc}" STREQUAL "0" AND NOT "${rc}" STREQUAL "1")
		message("${out}")
		message(FATAL_ERROR "expect_tsan_race: seed ${seed}: exit status '${rc}'")
	endif()
	message("expect_tsan_race: seed ${seed}: no race reported (exit ${rc}), next seed")
endforeach()
message(FATAL_ERROR "expect_tsan_race: no data race in ${FUNCTION} in ${ATTEMPTS} runs")
