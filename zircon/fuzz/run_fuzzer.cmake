# Runs the zx fuzzer for SECONDS seconds from the seed corpus in SEEDS:
#   cmake -DFUZZER=<zircon_fuzzer> -DSEEDS=<dir> -DWORK_DIR=<dir> -DSECONDS=<n> [-DKEEP_CORPUS=ON]
#         -P run_fuzzer.cmake
# The inputs libFuzzer finds go to WORK_DIR/corpus, emptied first unless KEEP_CORPUS is set; an
# input that fails goes to WORK_DIR/artifacts. Fails if the fuzzer does. Used by the
# zircon_fuzzer test and by scripts/fuzz.
foreach(_var FUZZER SEEDS WORK_DIR SECONDS)
  if(NOT DEFINED ${_var})
    message(FATAL_ERROR "run_fuzzer.cmake: -D${_var}=... is required")
  endif()
endforeach()

if(NOT KEEP_CORPUS)
  file(REMOVE_RECURSE "${WORK_DIR}/corpus")
endif()
file(MAKE_DIRECTORY "${WORK_DIR}/corpus" "${WORK_DIR}/artifacts")

# -timeout: an input that runs for 10 s hangs (every wait's deadline has passed).
# -max_len: inputs of up to 1024 operations of a few bytes each.
execute_process(
  COMMAND "${FUZZER}"
    -max_total_time=${SECONDS}
    -timeout=10
    -max_len=2048
    -rss_limit_mb=4096
    -print_final_stats=1
    "-artifact_prefix=${WORK_DIR}/artifacts/"
    "${WORK_DIR}/corpus" "${SEEDS}"
  RESULT_VARIABLE _result)
if(NOT _result EQUAL 0)
  message(FATAL_ERROR
    "zircon_fuzzer failed (${_result}); the failing input is in ${WORK_DIR}/artifacts/. "
    "Reproduce with: ${FUZZER} <that file>")
endif()
