# Installation of the shell completions, man page and docs, and CPack settings for the Debian packages
# (`cpack -G DEB` in a build directory). Every installed file belongs to one component, and each
# component becomes one package:
#   cli      -> agentrail          the command-line tool, completions, man page, docs
#   runtime  -> libagentrail<N>    the shared library
#   dev      -> libagentrail-dev   headers, static archive, CMake package, pkg-config files
#   mock     -> agentrail-mock     the local test server

foreach(_completion agentrail.bash:share/bash-completion/completions:agentrail
                    _agentrail:share/zsh/vendor-completions:_agentrail
                    agentrail.fish:share/fish/vendor_completions.d:agentrail.fish)
  string(REPLACE ":" ";" _parts ${_completion})
  list(GET _parts 0 _file)
  list(GET _parts 1 _dest)
  list(GET _parts 2 _name)
  install(FILES ${PROJECT_SOURCE_DIR}/completions/${_file} DESTINATION ${_dest} RENAME ${_name} COMPONENT cli)
endforeach()
# Debian installs man pages compressed (gzip -n: no time stamp, so the package is reproducible).
add_custom_command(OUTPUT ${PROJECT_BINARY_DIR}/agentrail.1.gz
                   COMMAND gzip -n -9 -c ${PROJECT_SOURCE_DIR}/docs/agentrail.1 > ${PROJECT_BINARY_DIR}/agentrail.1.gz
                   DEPENDS ${PROJECT_SOURCE_DIR}/docs/agentrail.1 VERBATIM)
add_custom_target(agentrail-man ALL DEPENDS ${PROJECT_BINARY_DIR}/agentrail.1.gz)
install(FILES ${PROJECT_BINARY_DIR}/agentrail.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT cli)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/docs/commands.md
              ${PROJECT_SOURCE_DIR}/docs/exit-codes.md ${PROJECT_SOURCE_DIR}/docs/recipes.md
        DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/agentrail COMPONENT cli)
install(FILES ${PROJECT_SOURCE_DIR}/docs/mock-server.md DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/agentrail-mock
        COMPONENT mock)

# Debian wants a copyright file and a compressed changelog in /usr/share/doc/<package> of every package
# (changelog.gz: these are native packages, built from this repository, not from an upstream tarball).
set(AGENTRAIL_DEB_PACKAGES cli:agentrail runtime:libagentrail${AGENTRAIL_SOVERSION} dev:libagentrail-dev
                           mock:agentrail-mock)
string(TIMESTAMP AGENTRAIL_BUILD_DATE "%a, %d %b %Y %H:%M:%S +0000" UTC)
foreach(_entry ${AGENTRAIL_DEB_PACKAGES})
  string(REPLACE ":" ";" _parts ${_entry})
  list(GET _parts 0 _component)
  list(GET _parts 1 _package)
  set(_dir ${PROJECT_BINARY_DIR}/debian-doc/${_package})
  file(MAKE_DIRECTORY ${_dir})
  configure_file(${PROJECT_SOURCE_DIR}/packaging/debian/copyright ${_dir}/copyright COPYONLY)
  file(WRITE ${_dir}/changelog
       "${_package} (${PROJECT_VERSION}) unstable; urgency=medium\n\n"
       "  * Release ${PROJECT_VERSION}.\n\n"
       " -- agentrail maintainers <maintainers@agentrail.invalid>  ${AGENTRAIL_BUILD_DATE}\n")
  add_custom_command(OUTPUT ${_dir}/changelog.gz
                     COMMAND gzip -n -9 -f -k ${_dir}/changelog
                     DEPENDS ${_dir}/changelog VERBATIM)
  add_custom_target(debian-doc-${_component} ALL DEPENDS ${_dir}/changelog.gz)
  install(FILES ${_dir}/copyright ${_dir}/changelog.gz DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/${_package}
          COMPONENT ${_component})
endforeach()

set(CPACK_PACKAGE_NAME agentrail)
set(CPACK_PACKAGE_VENDOR "agentrail")
set(CPACK_PACKAGE_CONTACT "agentrail maintainers <maintainers@agentrail.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_GENERATOR "DEB;TGZ")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_COMPONENTS_ALL cli runtime dev mock)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_ENABLE_COMPONENT_DEPENDS ON)
set(CPACK_ARCHIVE_COMPONENT_INSTALL OFF)

set(CPACK_DEBIAN_CLI_PACKAGE_NAME agentrail)
set(CPACK_DEBIAN_CLI_PACKAGE_SECTION utils)
# libjq is opened with dlopen() for --jq, so dpkg-shlibdeps cannot see it.
set(CPACK_DEBIAN_CLI_PACKAGE_RECOMMENDS "libjq1")
# The CLI opens libcurl.so.4 with dlopen() on its first network call (lib/src/lazy_curl/lazy_libcurl.cpp), so
# dpkg-shlibdeps cannot see it either; it is needed for every command that calls the API.
set(CPACK_DEBIAN_CLI_PACKAGE_DEPENDS "libcurl4 (>= 7.68)")
set(CPACK_DEBIAN_CLI_DESCRIPTION "command-line client for the AgentRail Task Lifecycle API
agentrail lists and works on the tasks assigned to a coding agent: start,
block, submit a pull request, read CI and review feedback, ship, manage API
keys and follow lifecycle events live. Results are tables for people and
JSON/NDJSON (with a built-in jq filter) for scripts and CI steps.")

set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME libagentrail${AGENTRAIL_SOVERSION})
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION libs)
# dpkg runs ldconfig once per transaction through this trigger.
set(CPACK_DEBIAN_RUNTIME_PACKAGE_CONTROL_EXTRA ${PROJECT_SOURCE_DIR}/packaging/debian/triggers)
set(CPACK_DEBIAN_RUNTIME_DESCRIPTION "C++ client library for the AgentRail Task Lifecycle API
libagentrail exposes every operation of the AgentRail Task Lifecycle API as a
typed C++20 call, with structured errors, retries, idempotency keys,
pagination, the live event stream with resume and webhook signature checks.

This package contains the shared library.")

set(CPACK_DEBIAN_DEV_PACKAGE_NAME libagentrail-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
set(CPACK_COMPONENT_DEV_DEPENDS runtime)
# Headers include nlohmann/json.hpp; the static archive needs libcurl and libcrypto.
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS "nlohmann-json3-dev, libcurl4-openssl-dev | libcurl-dev, libssl-dev")
set(CPACK_DEBIAN_DEV_DESCRIPTION "C++ client library for the AgentRail Task Lifecycle API (development files)
libagentrail exposes every operation of the AgentRail Task Lifecycle API as a
typed C++20 call.

This package contains the headers, the static archive, the CMake package
(find_package(agentrail)) and the pkg-config files.")

set(CPACK_DEBIAN_MOCK_PACKAGE_NAME agentrail-mock)
set(CPACK_DEBIAN_MOCK_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_MOCK_DESCRIPTION "local AgentRail server for tests and demos
agentrail-mock is a stateful local implementation of the AgentRail Task
Lifecycle API: tasks, submissions, CI, reviews, shipping, API keys, the event
stream and signed webhook deliveries, with fault injection for tests.")

include(CPack)
