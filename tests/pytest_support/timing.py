"""Waiting and timing for the Python tests.

wait_until: a bounded wait that FAILS the test when the condition does not come true in time (a wait
that returned False and was ignored hid failures). Sanitized builds run several times slower, so waits are
stretched there (SLOWDOWN) and wall-clock upper bounds are not asserted at all (within()).
"""

import time

import pytest

# Set once by tests/conftest.py when the binaries under test are built with a sanitizer.
SANITIZED = False
SLOWDOWN = 1.0


def configure(sanitized):
    global SANITIZED, SLOWDOWN
    SANITIZED = bool(sanitized)
    SLOWDOWN = 4.0 if SANITIZED else 1.0


def wait_until(predicate, timeout=10.0, interval=0.05, what="condition"):
    """Polls predicate until it returns a true value and returns that value; fails the test after timeout
    seconds (times SLOWDOWN)."""
    limit = timeout * SLOWDOWN
    deadline = time.monotonic() + limit
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            pytest.fail(f"timed out after {limit:g} s waiting for {what}", pytrace=False)
        time.sleep(interval)


def within(seconds, limit):
    """A wall-clock upper bound: seconds < limit, not asserted under sanitizers (it says nothing there)."""
    return SANITIZED or seconds < limit
