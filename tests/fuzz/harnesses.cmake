# The fuzz harnesses: one per tests/fuzz/fuzz_<name>.cpp (tests/fuzz/run.sh finds them the same way). Those
# in AGENTRAIL_FUZZ_CLI_HARNESSES reach CLI code too. Read by tests/fuzz/CMakeLists.txt (libFuzzer builds)
# and tests/fuzz/replay.cmake (the replay test).
file(GLOB agentrail_fuzz_sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/fuzz_*.cpp)
set(AGENTRAIL_FUZZ_HARNESSES "")
foreach(source IN LISTS agentrail_fuzz_sources)
  get_filename_component(name ${source} NAME_WE)
  string(REGEX REPLACE "^fuzz_" "" name ${name})
  list(APPEND AGENTRAIL_FUZZ_HARNESSES ${name})
endforeach()
set(AGENTRAIL_FUZZ_CLI_HARNESSES config times webhook_request redact_sanitize)
