# Warning flags shared by every target of the project.
function(agentrail_warnings target)
  # -Wmissing-field-initializers fires on C++20 designated initializers that leave members at their
  # defaults, which is how the option structs of this project are meant to be used.
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wno-missing-field-initializers)
  if(AGENTRAIL_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
