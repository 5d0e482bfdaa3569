#!/usr/bin/env python3
"""Live progress of `task wait` and `task ci --watch`: on a terminal, one status line redrawn in place with a
spinner and the elapsed time (CI running 1/2, review pending), never silent for more than 2 s; piped, one plain
line per state change, no escape codes."""

import json
import re
import threading
import urllib.request

import pytest

from e2e_support import within
from pty_support import run_pty

s = mock = None  # bound by scenario() below
T4 = "tsk_01JZDEMO0000000000000004"
SPINNER = "\u280b\u2819\u2839\u2838\u283c\u2834\u2826\u2827\u2807\u280f"


@pytest.fixture(scope="module", autouse=True)
def scenario(suite):
    """The Suite of this module (tests/e2e/conftest.py) and the mocks it runs against."""
    global s, mock
    s = suite
    mock = s.mock("--ci", "pending", "--review", "pending")


def control(method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(mock.base_url + path, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read() or b"null")


def later(delay, method, path, body):
    t = threading.Timer(delay, control, (method, path, body))
    t.start()
    return t


def max_silence(r):
    times = [t for t, _ in r.timeline]
    return max((b - a for a, b in zip(times, times[1:])), default=99)


RUNNING = {"overallStatus": "running", "checks": [{"name": "unit", "status": "passed"},
                                                   {"name": "lint", "status": "running"}]}
PASSED = {"overallStatus": "passed", "checks": [{"name": "unit", "status": "passed"},
                                                {"name": "lint", "status": "passed"}]}


# ---- task wait on a terminal --------------------------------------------------------------------------------
def test_task_wait_on_a_terminal():
    control("POST", "/_mock/tasks/%s/ci" % T4, RUNNING)
    later(3.5, "POST", "/_mock/tasks/%s/ci" % T4, PASSED)
    r = run_pty(s, "task", "wait", "DEMO-4", "--until", "ci=passed", "--timeout", "30s", mock=mock)
    s.check("wait on a TTY: exit 0 once CI passes", r.rc == 0 and "reached" in r.out, r)
    s.check("wait on a TTY: a spinner and the status 'CI running 1/2'",
            any(ch in r.raw for ch in SPINNER) and "CI running 1/2" in r.raw, r)
    s.check("wait on a TTY: the elapsed time counts up (0s ... 3s)",
            re.search(r"\u00b7 [23]s", r.raw) is not None and re.search(r"\u00b7 0s", r.raw) is not None, r)
    s.check("wait on a TTY: redrawn in place (carriage return, erase line), not one line per tick",
            "\r\x1b[K" in r.raw and r.raw.count("\n") < 20, r)
    s.check("wait on a TTY: never silent for more than 2 s", within(max_silence(r), 2.0), max_silence(r))
    head = r.raw[:r.raw.find("Task")] if "Task" in r.raw else r.raw
    s.check("wait on a TTY: the status line is erased before the result is printed",
            head.endswith("\r\x1b[K\x1b[1m") or head.endswith("\r\x1b[K"), repr(head[-80:]))


# ---- review pending ----------------------------------------------------------------------------------------
def test_review_pending():
    T3 = "tsk_01JZDEMO0000000000000003"
    sub = s.run("task", "submit", "DEMO-3", "--summary", "Pagination done", "-q", mock=mock)
    later(2.0, "POST", "/_mock/tasks/%s/review" % T3, {"outcome": "approved"})
    r = run_pty(s, "task", "wait", "DEMO-3", "--until", "review=approved", "--timeout", "30s", mock=mock)
    s.check("wait for a review on a TTY: 'review pending' then reached",
            r.rc == 0 and "review pending" in r.raw and "reached" in r.out, r)


# ---- piped: one line per change -----------------------------------------------------------------------------
def test_piped_one_line_per_change():
    control("POST", "/_mock/tasks/%s/ci" % T4, RUNNING)
    later(1.5, "POST", "/_mock/tasks/%s/ci" % T4, PASSED)
    res = s.run("task", "wait", "DEMO-4", "--until", "ci=passed", "--timeout", "30s", mock=mock)
    progress = [l for l in res.err.splitlines() if l.startswith("DEMO-4: ")]
    s.check("wait piped: one plain line per state change on stderr, no escape codes, no spinner",
            res.rc == 0 and "DEMO-4: waiting for ci=passed: task in_review, CI running 1/2" in progress
            and "DEMO-4: task in_review, CI passed 2/2" in progress and len(progress) == len(set(progress))
            and "\x1b" not in res.err and "\r" not in res.err and not any(ch in res.err for ch in SPINNER), res)
    res = s.run("task", "wait", "DEMO-4", "--until", "ci=passed", "--timeout", "30s", "--json", mock=mock)
    s.check("wait --json piped: stdout is the JSON only, stderr has no progress", res.rc == 0 and res.json()
            and "DEMO-4:" not in res.err, res)
    res = s.run("task", "wait", "DEMO-4", "--until", "ci=passed", "-q", mock=mock)
    s.check("wait -q: no progress lines", res.rc == 0 and res.err == "" and res.out.strip() == "reached", res)


# ---- task ci --watch on a terminal ------------------------------------------------------------------------
def test_task_ci_watch_on_a_terminal():
    control("POST", "/_mock/tasks/%s/ci" % T4, RUNNING)
    later(3.0, "POST", "/_mock/tasks/%s/ci" % T4, PASSED)
    r = run_pty(s, "task", "ci", "DEMO-4", "--watch", "--timeout", "30s", mock=mock)
    s.check("ci --watch on a TTY: the checks block, a spinner line 'CI running 1/2 · Ns', exit 0",
            r.rc == 0 and "lint" in r.out and "CI running 1/2" in r.raw and any(ch in r.raw for ch in SPINNER)
            and re.search(r"\u00b7 [12]s", r.raw) is not None, r)
    s.check("ci --watch on a TTY: never silent for more than 2 s", within(max_silence(r), 2.0), max_silence(r))
