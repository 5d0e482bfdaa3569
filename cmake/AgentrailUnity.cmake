# Compile time: the library, the CLI and the test programs are unity builds. Their translation units
# include the same heavy headers (nlohmann/json, CLI11, spdlog/fmt, Catch2, the library's models), so
# compiling them in batches parses those once per batch instead of once per file: from a cold cache
# this halves the CPU time of a build, which the test command does several times (plain, ASan, TSan).
# AGENTRAIL_UNITY_BUILD=OFF compiles file by file (what an IDE or a single-file rebuild may prefer).
# Every file of a target can share a batch with any other: file-local (anonymous-namespace) names are
# unique within the target (command wiring is named after its group: add_task_list, add_runs_list), and
# helpers that several files need live in a shared header. A clash shows as a "redefinition of ...
# {anonymous}::" error when a new file lands in a batch.
# Files with their own compile options (cli/render/raw_stream.cpp) are kept out of batches by CMake.
option(AGENTRAIL_UNITY_BUILD "Compile the library, the CLI and the tests in unity batches" ON)

function(agentrail_unity_build)
  if(NOT AGENTRAIL_UNITY_BUILD)
    return()
  endif()
  foreach(spec IN LISTS ARGN)
    string(REPLACE ":" ";" spec "${spec}")
    list(GET spec 0 target)
    list(GET spec 1 batch)
    if(TARGET ${target})
      set_target_properties(${target} PROPERTIES UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE ${batch})
    endif()
  endforeach()
endfunction()
