"""Fixtures of the end-to-end tests (tests/conftest.py finds the binaries)."""

import pytest

from e2e_support import Suite


@pytest.fixture(scope="module")
def suite(cli_binary, mock_binary, tmp_path_factory):
    """One Suite per test file: a HOME of its own, and every mock it started stopped at the end."""
    s = Suite(cli_binary, mock_binary, str(tmp_path_factory.mktemp("e2e")))
    yield s
    s.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    """A test fails when any of its checks failed; the failure lists them all (each check is also printed
    as it runs: ok / FAIL)."""
    s = item.funcargs.get("suite")
    mark = len(s.failures) if s else 0
    outcome = yield
    if s is not None and outcome.excinfo is None and len(s.failures) > mark:
        failed = s.failures[mark:]
        pytest.fail("%d check(s) failed:\n" % len(failed) +
                    "\n".join("FAIL %s\n     %s" % (n, d.replace("\n", "\n     ")) for n, d in failed), pytrace=False)

