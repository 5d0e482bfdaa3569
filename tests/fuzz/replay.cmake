# agentrail-fuzz-replay (tests/fuzz/replay_main.cpp): every fuzz harness compiled with this tree's compiler
# and sanitizers, linked with the library and the CLI objects this tree builds anyway, run on its seed
# corpus and a fixed number of mutated inputs. Each harness's LLVMFuzzerTestOneInput is renamed
# agentrail_fuzz_<name> so that all of them fit in one program.
include(${CMAKE_CURRENT_LIST_DIR}/harnesses.cmake)
find_package(fmt 9 REQUIRED)
find_package(spdlog 1.10 REQUIRED)
find_path(JQ_INCLUDE_DIR jq.h REQUIRED)
set(fuzz_replay_list "")
set(fuzz_replay_sources ${CMAKE_CURRENT_LIST_DIR}/replay_main.cpp)
foreach(name IN LISTS AGENTRAIL_FUZZ_HARNESSES)
  string(APPEND fuzz_replay_list " X(${name})")
  set(fuzz_replay_source ${CMAKE_CURRENT_LIST_DIR}/fuzz_${name}.cpp)
  set_source_files_properties(${fuzz_replay_source} PROPERTIES COMPILE_DEFINITIONS LLVMFuzzerTestOneInput=agentrail_fuzz_${name})
  list(APPEND fuzz_replay_sources ${fuzz_replay_source})
endforeach()
file(CONFIGURE OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/fuzz_replay/fuzz_harnesses.hpp
     CONTENT "#pragma once\n#define AGENTRAIL_FUZZ_HARNESSES(X)${fuzz_replay_list}\n")
add_executable(agentrail-fuzz-replay ${fuzz_replay_sources} $<TARGET_OBJECTS:agentrail-cli-objects>
                                     $<TARGET_OBJECTS:agentrail-cli-config>)
target_include_directories(agentrail-fuzz-replay PRIVATE ${CMAKE_CURRENT_BINARY_DIR}/fuzz_replay ${PROJECT_SOURCE_DIR}/cli
                                                         ${PROJECT_SOURCE_DIR}/lib/src ${PROJECT_SOURCE_DIR}/tests/support
                                                         ${JQ_INCLUDE_DIR})
target_link_libraries(agentrail-fuzz-replay PRIVATE agentrail::agentrail_static CLI11::CLI11 spdlog::spdlog_header_only
                                                    fmt::fmt-header-only ${CMAKE_DL_LIBS})
agentrail_warnings(agentrail-fuzz-replay)
add_test(NAME fuzz_replay COMMAND agentrail-fuzz-replay ${CMAKE_CURRENT_LIST_DIR}/corpus --runs 3000 --seconds 6)
set_tests_properties(fuzz_replay PROPERTIES LABELS fuzz TIMEOUT 300)
# GCC 12 reports nlohmann::json's m_type as maybe-uninitialized where fuzz_models.cpp passes `{}` request
# temporaries whose members hold JSON values (a known false positive of its inliner; clang, which builds
# the libFuzzer harnesses, does not warn).
set_property(SOURCE ${CMAKE_CURRENT_LIST_DIR}/fuzz_models.cpp APPEND PROPERTY COMPILE_OPTIONS -Wno-maybe-uninitialized)
