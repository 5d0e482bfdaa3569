#!/usr/bin/env python3
"""End-to-end tests of `agentrail task wait` and `agentrail task ci --watch` against agentrail-mock, whose
CI and review stay pending until the test sets them through /_mock/: success (0), a terminal bad state
(13), timeout (14), a condition already met, the polling fallback when the event stream is refused, and
the live CI view (redrawn on a TTY, plain lines when piped)."""

import json
import threading
import time
import urllib.request

import pytest

from e2e_support import within

s = mock = None  # the module's Suite and mock (scenario below)
T1, T3, T4, T5, T7 = ("tsk_01JZDEMO000000000000000%d" % i for i in (1, 3, 4, 5, 7))


@pytest.fixture(scope="module", autouse=True)
def scenario(suite):
    global s, mock
    s, mock = suite, suite.mock("--ci", "pending", "--review", "pending")


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


def run(*args, **kw):
    kw.setdefault("mock", mock)
    return s.run(*args, **kw)


def timed(*args, **kw):
    t0 = time.time()
    r = run(*args, **kw)
    return r, time.time() - t0


# ---- success: CI passes while waiting --------------------------------------------------------------------
def test_success_ci_passes_while_waiting():
    r = run("task", "submit", T3, "--summary", "Pagination done", "-q")
    s.check("submit puts T3 in review with CI running", r.rc == 0, r)
    control("POST", "/_mock/tasks/%s/ci" % T3, {"overallStatus": "running"})
    later(1.0, "POST", "/_mock/tasks/%s/ci" % T3, {"overallStatus": "passed"})
    r, elapsed = timed("task", "wait", T3, "--until", "ci=passed", "--timeout", "30s", "--json")
    j = r.json() or {}
    s.check("wait ci=passed: exit 0 once CI passes, driven by the stream (well under the poll interval)",
            r.rc == 0 and j.get("outcome") == "reached" and j.get("ci", {}).get("overallStatus") == "passed"
            and 0.8 < elapsed and within(elapsed, 4.5), "%s elapsed=%.2f" % (r, elapsed))

    r, elapsed = timed("task", "wait", T3, "--until", "ci=finished")
    s.check("a condition already met returns at once (table view)", r.rc == 0 and "reached" in r.out and within(elapsed, 3), r)

    later(1.0, "POST", "/_mock/tasks/%s/review" % T3, {"outcome": "approved"})
    r = run("task", "wait", T3, "--until", "review=approved", "--timeout", "30s", "-q")
    s.check("wait review=approved: exit 0", r.rc == 0 and r.out.strip() == "reached", r)
    r = run("task", "wait", T3, "--until", "action=ship", "--timeout", "10s", "--json")
    s.check("wait action=ship: the task offers ship", r.rc == 0 and "ship" in (r.json() or {}).get("availableActions", []), r)


# ---- failure: CI fails while waiting for it to pass --------------------------------------------------------
def test_failure_ci_fails_while_waiting_for_it_to():
    control("POST", "/_mock/tasks/%s/ci" % T4, {"overallStatus": "running"})
    later(1.0, "POST", "/_mock/tasks/%s/ci" % T4, {"overallStatus": "failed", "checks": [{"name": "unit", "status": "failed"}]})
    r, elapsed = timed("task", "wait", T4, "--until", "ci=passed", "--timeout", "30s", "--json")
    j = r.json() or {}
    s.check("CI failed while waiting for passed: exit 13, final state printed",
            r.rc == 13 and j.get("outcome") == "failed" and j.get("ci", {}).get("overallStatus") == "failed"
            and "wait_failed" in r.err and within(elapsed, 5), "%s elapsed=%.2f" % (r, elapsed))
    r = run("task", "wait", T4, "--until", "ci=failed")
    s.check("wait ci=failed when it failed: exit 0", r.rc == 0, r)

    control("POST", "/_mock/tasks/%s/review" % T5, {"outcome": "pending"})
    later(1.0, "POST", "/_mock/tasks/%s/review" % T5, {"outcome": "changes_requested"})
    r = run("task", "wait", T5, "--until", "review=approved", "--timeout", "30s")
    s.check("changes requested while waiting for approval: exit 13", r.rc == 13 and "changes_requested" in r.err, r)

    r = run("task", "wait", T7, "--until", "status=in_review")
    s.check("a done task cannot reach another status: exit 13", r.rc == 13, r)


# ---- timeout ----------------------------------------------------------------------------------------------
def test_timeout():
    r, elapsed = timed("task", "wait", T1, "--until", "status=done", "--timeout", "1500ms")
    s.check("timeout: exit 14 after about the given time, state still printed",
            r.rc == 14 and "timeout" in r.out and "wait_timeout" in r.err and 1.3 < elapsed and within(elapsed, 5),
            "%s elapsed=%.2f" % (r, elapsed))


# ---- polling fallback: the stream is refused --------------------------------------------------------------
def test_polling_fallback_the_stream_is_refused():
    rule = control("POST", "/_mock/faults", {"kind": "status", "status": 403, "code": "insufficient_scope",
                                             "pathContains": "task-events", "count": -1})["data"][0]
    control("POST", "/_mock/tasks/%s/ci" % T4, {"overallStatus": "running"})
    later(1.0, "POST", "/_mock/tasks/%s/ci" % T4, {"overallStatus": "passed"})
    r, elapsed = timed("task", "wait", T4, "--until", "ci=passed", "--timeout", "20s", "--poll-interval", "300ms", "-v")
    s.check("without the stream it polls and still succeeds", r.rc == 0 and within(elapsed, 6) and "polling" in r.err,
            "%s elapsed=%.2f" % (r, elapsed))
    control("DELETE", "/_mock/faults/" + rule["id"])


# ---- usage errors -----------------------------------------------------------------------------------------
def test_usage_errors():
    for cond in ("ci=green", "colour=red", "status", "review=maybe"):
        r = run("task", "wait", T1, "--until", cond)
        s.check("bad condition %r: exit 2" % cond, r.rc == 2, r)
    r = run("task", "wait", "not a task", "--until", "ci=passed")
    s.check("bad task id: exit 2", r.rc == 2, r)
    r = run("task", "wait", "not-a-task", "--until", "ci=passed")
    s.check("unknown task key: exit 5", r.rc == 5 and "task_not_found" in r.err, r)
    r = run("task", "wait", "tsk_01JZNOSUCHTASK0000000001", "--until", "ci=passed")
    s.check("unknown task: exit 5", r.rc == 5, r)


# ---- task ci --watch ---------------------------------------------------------------------------------------
def test_task_ci_watch():
    control("POST", "/_mock/tasks/%s/ci" % T4, {"overallStatus": "running", "checks": [{"name": "unit", "status": "running"}]})
    later(1.0, "POST", "/_mock/tasks/%s/ci" % T4, {"overallStatus": "failed", "checks": [{"name": "unit", "status": "failed"}]})
    r = run("task", "ci", T4, "--watch", "--timeout", "20s", "-o", "table")
    s.check("ci --watch piped: plain lines per change, exit 13 when CI fails",
            r.rc == 13 and "CI running" in r.out and "CI failed" in r.out and "\x1b[" not in r.out, r)

    control("POST", "/_mock/tasks/%s/ci" % T4, {"overallStatus": "running", "checks": [{"name": "unit", "status": "running"}]})
    later(1.0, "POST", "/_mock/tasks/%s/ci" % T4, {"overallStatus": "passed", "checks": [{"name": "unit", "status": "passed"}]})
    r = s.run_tty("task", "ci", T4, "--watch", "--timeout", "20s", mock=mock)
    s.check("ci --watch on a TTY redraws in place (cursor up) and exits 0 when CI passes",
            r.rc == 0 and "\x1b[" in r.out and "A\x1b[J" in r.out and "passed" in r.out, repr(r.out[-600:]))

    r = run("task", "ci", T4, "--watch", "--json")
    s.check("ci --watch --json prints the final CI status", r.rc == 0 and (r.json() or {}).get("overallStatus") == "passed", r)
    r = run("task", "ci", T4, "--json")
    s.check("task ci without --watch is unchanged", r.rc == 0 and (r.json() or {}).get("overallStatus") == "passed", r)
    r, elapsed = timed("task", "ci", T3, "--watch", "--timeout", "1s")
    s.check("ci --watch returns at once when CI already finished", r.rc == 0 and within(elapsed, 3), r)
