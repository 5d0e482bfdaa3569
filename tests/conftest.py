"""pytest configuration shared by the Python tests: where the binaries are, fixtures for them and for the
mock, and the sanitizer facts that tests/pytest_support/timing.py acts on."""

import os
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
for _d in ("pytest_support", "e2e", os.path.join("mock_server", "tests")):
    sys.path.insert(0, os.path.join(HERE, _d))

import tally  # noqa: E402
import timing  # noqa: E402


def pytest_addoption(parser):
    group = parser.getgroup("agentrail")
    group.addoption("--agentrail", default=os.environ.get("AGENTRAIL_TEST_CLI"),
                    help="the agentrail binary under test (default: $AGENTRAIL_TEST_CLI)")
    group.addoption("--agentrail-mock", default=os.environ.get("AGENTRAIL_TEST_MOCK"),
                    help="the agentrail-mock binary under test (default: $AGENTRAIL_TEST_MOCK)")
    group.addoption("--openapi", default=None, help="task-lifecycle.openapi.yaml (default: docs/api/)")
    group.addoption("--operator-openapi", default=None, help="intake-routing-admin.openapi.yaml (default: docs/api/)")


def _binary(config, option):
    path = config.getoption(option)
    if not path:
        raise pytest.UsageError(f"--{option.replace('_', '-')} is required")
    path = os.path.abspath(path)
    if not os.access(path, os.X_OK):
        raise pytest.UsageError(f"--{option.replace('_', '-')}: {path} is not an executable")
    return path


def _is_sanitized(path):
    """True when the binary is built with AddressSanitizer/ThreadSanitizer/UBSan: its timing and memory then
    say nothing about the program's own (ASan's quarantine alone keeps up to 256 MiB of freed memory)."""
    libs = subprocess.run(["ldd", path], capture_output=True, text=True).stdout
    return any(name in libs for name in ("libasan", "libtsan", "libubsan"))


def pytest_configure(config):
    paths = [config.getoption(o) for o in ("agentrail", "agentrail_mock")]
    timing.configure(any(p and os.path.exists(p) and _is_sanitized(p) for p in paths))


@pytest.fixture(scope="session")
def mock_binary(pytestconfig):
    return _binary(pytestconfig, "agentrail_mock")


@pytest.fixture(scope="session")
def cli_binary(pytestconfig):
    return _binary(pytestconfig, "agentrail")


@pytest.fixture(scope="session")
def binary(mock_binary):
    """The mock server's own tests (tests/mock_server/tests) take the binary as `binary`."""
    return mock_binary


@pytest.fixture(scope="session")
def sanitized():
    return timing.SANITIZED


def pytest_terminal_summary(terminalreporter):
    for kind, (passed, failed) in sorted(tally.COUNTS.items()):
        terminalreporter.write_line("%s checks: %d passed, %d failed" % (kind, passed, failed))
