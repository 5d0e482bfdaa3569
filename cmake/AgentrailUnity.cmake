# Compile time: the library, the CLI and the test programs are unity builds. Their translation units
# include the same heavy headers (nlohmann/json, CLI11, spdlog/fmt, Catch2, the library's models), so
# compiling them in batches parses those once per batch instead of once per file: from a cold cache
# this halves the CPU time of a build, which the test command does several times (plain, ASan, TSan).
# AGENTRAIL_UNITY_BUILD=OFF compiles file by file (what an IDE or a single-file rebuild may prefer);
# a file that cannot share a batch (a clash of file-local names) sets SKIP_UNITY_BUILD_INCLUSION.
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

# agentrail_unity_skip(TARGET DIR FILE...): FILEs of TARGET (relative to DIR, the directory that defines
# it) are compiled on their own, outside the unity batches.
function(agentrail_unity_skip target dir)
  if(NOT AGENTRAIL_UNITY_BUILD OR NOT TARGET ${target})
    return()
  endif()
  set(files "")
  foreach(f IN LISTS ARGN)
    if(EXISTS ${dir}/${f})
      list(APPEND files ${dir}/${f})
    endif()
  endforeach()
  if(files)
    set_source_files_properties(${files} DIRECTORY ${dir} PROPERTIES SKIP_UNITY_BUILD_INCLUSION ON)
  endif()
endfunction()
