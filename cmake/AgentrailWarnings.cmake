# Warning flags shared by every target of the project.
function(agentrail_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic)
  if(AGENTRAIL_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
