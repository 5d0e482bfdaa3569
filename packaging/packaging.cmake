# Installation of the shell completions, man page and docs, and CPack settings for .deb and .tar.gz
# packages (`cpack -G DEB` in a build directory). agentrail-mock is its own component ("mock").

foreach(_completion agentrail.bash:share/bash-completion/completions:agentrail
                    _agentrail:share/zsh/vendor-completions:_agentrail
                    agentrail.fish:share/fish/vendor_completions.d:agentrail.fish)
  string(REPLACE ":" ";" _parts ${_completion})
  list(GET _parts 0 _file)
  list(GET _parts 1 _dest)
  list(GET _parts 2 _name)
  if(EXISTS ${PROJECT_SOURCE_DIR}/completions/${_file})
    install(FILES ${PROJECT_SOURCE_DIR}/completions/${_file} DESTINATION ${_dest} RENAME ${_name} COMPONENT cli)
  endif()
endforeach()
if(EXISTS ${PROJECT_SOURCE_DIR}/docs/agentrail.1)
  install(FILES ${PROJECT_SOURCE_DIR}/docs/agentrail.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT cli)
endif()
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT cli)

set(CPACK_PACKAGE_NAME agentrail)
set(CPACK_PACKAGE_VENDOR "agentrail")
set(CPACK_PACKAGE_CONTACT "agentrail maintainers <maintainers@agentrail.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_GENERATOR "DEB;TGZ")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libjq1")  # opened with dlopen() for --jq, so shlibdeps cannot see it
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
include(CPack)
