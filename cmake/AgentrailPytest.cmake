# The Python tests run under pytest (Debian's python3-pytest and python3-pytest-xdist; tests/pytest.ini,
# tests/conftest.py). AGENTRAIL_PYTEST is the command line that runs one test file:
#   add_test(NAME x COMMAND ${AGENTRAIL_PYTEST} path/test_x.py --agentrail-mock=... [--agentrail=...])
# The interpreter is the first of Python3_EXECUTABLE and /usr/bin/python3 that has pytest, xdist, yaml and
# jsonschema (an interpreter of one's own, e.g. pyenv's, is found first but may lack Debian's modules).
find_package(Python3 REQUIRED COMPONENTS Interpreter)
if(NOT AGENTRAIL_PYTEST_PYTHON)
  foreach(_candidate ${Python3_EXECUTABLE} /usr/bin/python3)
    execute_process(COMMAND ${_candidate} -c "import pytest, xdist, yaml, jsonschema" RESULT_VARIABLE _rc
                    OUTPUT_QUIET ERROR_QUIET)
    if(_rc EQUAL 0)
      set(AGENTRAIL_PYTEST_PYTHON ${_candidate} CACHE FILEPATH "Python interpreter that runs the pytest tests")
      break()
    endif()
  endforeach()
  if(NOT AGENTRAIL_PYTEST_PYTHON)
    message(FATAL_ERROR "No Python interpreter with pytest, pytest-xdist, yaml and jsonschema: run "
                        "packaging/install-deps.sh (python3-pytest python3-pytest-xdist python3-yaml python3-jsonschema)")
  endif()
endif()
get_filename_component(_agentrail_tests_dir ${CMAKE_CURRENT_LIST_DIR}/../tests ABSOLUTE)
set(AGENTRAIL_PYTEST ${AGENTRAIL_PYTEST_PYTHON} -m pytest -c ${_agentrail_tests_dir}/pytest.ini -v)
