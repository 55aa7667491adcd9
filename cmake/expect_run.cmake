# Runs a command that must fail in one precise way, for tests that prove
# another test can fail:
#   cmake -DCMD=prog|arg... -DEXIT=n -DMATCH=regex -P expect_run.cmake
# Passes only when the command exits with status EXIT (a crash or a
# timeout is never a status: it fails here) and its output, stdout and
# stderr together, matches MATCH. CMD separates its words with '|'.
if(NOT DEFINED CMD OR NOT DEFINED EXIT OR NOT DEFINED MATCH)
	message(FATAL_ERROR "expect_run: CMD, EXIT and MATCH are required")
endif()
string(REPLACE "|" ";" cmd "${CMD}")
execute_process(COMMAND ${cmd} RESULT_VARIABLE rc OUTPUT_VARIABLE out
	ERROR_VARIABLE out TIMEOUT 100)
message("${out}")
if(NOT "${rc}" STREQUAL "${EXIT}")
	message(FATAL_ERROR "expect_run: exit status '${rc}', expected ${EXIT}")
endif()
if(NOT "${out}" MATCHES "${MATCH}")
	message(FATAL_ERROR "expect_run: the output does not match '${MATCH}'")
endif()
message("expect_run: exit status ${rc} and '${MATCH}', as expected")
