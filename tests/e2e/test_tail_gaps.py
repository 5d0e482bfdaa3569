#!/usr/bin/env python3
"""End-to-end tests of a long-lived `events tail`: never silent about a gap (a stall or a server restart
with no usable cursor prints one stderr line, or a {"gap":...} object with --errors json), --stall-timeout,
the terminal status line while reconnecting, and SIGSTOP/SIGCONT (reconnect at once and resume from the
cursor: every event within 2 s, none twice)."""

import atexit
import json
import queue
import signal
import socket
import subprocess
import threading
import time
import urllib.request

import pytest

import timing
from e2e_support import Mock, wait_until, within

s = None  # bound by scenario() below
T1 = "tsk_01JZDEMO0000000000000001"


@pytest.fixture(scope="module", autouse=True)
def scenario(suite):
    """The Suite of this module (tests/e2e/conftest.py)."""
    global s
    s = suite


def control(mock, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(mock.base_url + path, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read() or b"null")


def burst(mock, count):
    d = control(mock, "POST", "/_mock/events/burst", {"count": count, "taskId": T1})["data"]
    return d["firstSequence"], d["lastSequence"]


def streams_active(mock):
    return control(mock, "GET", "/_mock/stats")["streams"]["active"]


class Tail:
    """A piped `events tail` whose stdout lines and stderr lines are collected by threads."""

    def __init__(self, mock, *args):
        self.proc = subprocess.Popen([s.cli, "events", "tail", *args], stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, env=s.env(mock))
        self.lines = queue.Queue()
        self.err = []
        threading.Thread(target=self._read_out, daemon=True).start()
        threading.Thread(target=self._read_err, daemon=True).start()

    def _read_out(self):
        for line in self.proc.stdout:
            self.lines.put((time.monotonic(), line))

    def _read_err(self):
        for line in self.proc.stderr:
            self.err.append(line)

    def take(self, n, timeout):
        """Up to n (arrival time, sequence) pairs arriving within `timeout` seconds."""
        got, deadline = [], time.monotonic() + timeout
        while len(got) < n:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            try:
                at, line = self.lines.get(timeout=left)
            except queue.Empty:
                break
            got.append((at, json.loads(line)["sequence"]))
        return got

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        time.sleep(0.1)
        return "".join(self.err)


def gap_lines(err):
    return [l for l in err.splitlines() if "may be missing" in l]


def json_gaps(err):
    out = []
    for l in err.splitlines():
        try:
            obj = json.loads(l)
        except ValueError:
            continue
        if isinstance(obj, dict) and "gap" in obj:
            out.append(obj["gap"])
    return out


# ---- a stall before any event: the reconnect has no cursor, so the tail says what may be missing ----------
def test_a_stall_before_any_event_the_reconnect_has_no():
    # The first stream is forgotten silently after 300 ms (sse_drop_idle, once); events published then are lost
    # to it; --stall-timeout 1s notices, and the reconnect (no event id yet) announces the gap.
    text_mock = s.mock()
    json_mock = s.mock()
    drop_once = {"kind": "sse_drop_idle", "idleMs": 300, "count": 1}
    control(text_mock, "POST", "/_mock/faults", drop_once)
    control(json_mock, "POST", "/_mock/faults", drop_once)
    text_tail = Tail(text_mock, "--stall-timeout", "1s")
    json_tail = Tail(json_mock, "--stall-timeout", "1s", "--errors", "json")
    wait_until(lambda: streams_active(text_mock) == 1 and streams_active(json_mock) == 1, 10, what="both tails connected")
    time.sleep(0.6)  # both first streams are forgotten now
    before = time.time()
    burst(text_mock, 3)
    burst(json_mock, 3)
    # The stall is noticed after 1 s and the reconnect waits the server's retry: (5 s); then a live event.
    wait_until(lambda: gap_lines("".join(text_tail.err)) and json_gaps("".join(json_tail.err)), 15,
               what="both tails to announce the gap")
    first, _ = burst(text_mock, 1)
    got_text = text_tail.take(1, 5)
    jfirst, _ = burst(json_mock, 1)
    got_json = json_tail.take(1, 5)
    err_text = text_tail.stop()
    err_json = json_tail.stop()
    lines = gap_lines(err_text)
    s.check("a stall with no event id yet: one stderr line says from when to when events may be missing",
            len(lines) == 1 and lines[0].startswith("warning: events from ") and " to " in lines[0]
            and "agentrail tasks list" in lines[0], err_text)
    print("     gap line: %s" % (lines[0] if lines else "(none)"))
    s.check("the events published after the reconnect arrive", [q for _, q in got_text] == [first], got_text)
    gaps = json_gaps(err_json)
    ok = len(gaps) == 1 and gaps[0].get("reason") == "no_cursor" and gaps[0].get("lastEventId") is None
    if ok:
        t_from = time.mktime(time.strptime(gaps[0]["from"][:19], "%Y-%m-%dT%H:%M:%S")) - time.timezone
        t_to = time.mktime(time.strptime(gaps[0]["to"][:19], "%Y-%m-%dT%H:%M:%S")) - time.timezone
        ok = t_from <= before + 1 and t_to >= before - 1 and t_from <= t_to
    s.check("--errors json: the gap is one JSON object with from, to (covering the lost events), reason",
            ok and not gap_lines(err_json), err_json)
    s.check("--errors json: live events still arrive", [q for _, q in got_json] == [jfirst], got_json)


# ---- a server restart: the tail's cursor is unknown to the new server (410); it goes on live, saying so ----
def test_a_server_restart_the_tails_cursor_is_unknown_to():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = str(sock.getsockname()[1])

    class MockOnPort(Mock):
        """agentrail-mock on a chosen port, so that a restarted one has the same URL."""

        def __init__(self, port):
            self.proc = subprocess.Popen([s.mock_bin, "--port", port], stdout=subprocess.PIPE,
                                         stderr=subprocess.DEVNULL, text=True)
            self.base_url = json.loads(self.proc.stdout.readline())["baseUrl"]
            atexit.register(self.stop)

    m1 = MockOnPort(port)
    tail = Tail(m1, "--stall-timeout", "5s")
    wait_until(lambda: streams_active(m1) == 1, 10, what="the tail connected")
    a, b = burst(m1, 2)
    before_restart = tail.take(2, 5)
    m1.proc.send_signal(signal.SIGKILL)
    m1.proc.wait()
    m2 = MockOnPort(port)  # same URL, a new server: its event ids differ
    wait_until(lambda: gap_lines("".join(tail.err)) or tail.proc.poll() is not None, 15,
               what="a gap line or the tail's exit")
    c, _ = burst(m2, 1)
    after_restart = tail.take(1, 5)
    rc = tail.proc.poll()
    err = tail.stop()
    lines = gap_lines(err)
    s.check("server restarted: events before it arrive", [q for _, q in before_restart] == [a, b], before_restart)
    s.check("server restarted: the expired cursor is one gap line naming the last event, and the tail goes on",
            rc is None and len(lines) == 1 and "no longer has the position after evt_" in lines[0], err)
    s.check("server restarted: live events of the new server arrive", [q for _, q in after_restart] == [c],
            after_restart)


# ---- --stall-timeout: a silent stream is replaced after it, not after 3 heartbeats + 5 s (65 s) ----------
def test_stall_timeout_a_silent_stream_is_replaced_after_it():
    mock = s.mock()
    control(mock, "POST", "/_mock/faults", {"kind": "sse_stall", "count": 1})
    seq, _ = burst(mock, 1)
    tail = Tail(mock, "--stall-timeout", "1s", "--since", str(seq - 1), "-v")
    got = tail.take(1, 8)
    err = tail.stop()
    s.check("--stall-timeout 1s: a stalled first stream is replaced within seconds", [q for _, q in got] == [seq],
            err)
    s.check("--stall-timeout 1s: the log names the stall", "stalled" in err, err)
    r = s.run("events", "tail", "--stall-timeout", "0s", mock=mock)
    s.check("--stall-timeout 0s is a usage error", r.rc == 2 and "--stall-timeout" in r.err, r)


# ---- on a terminal: a status line while reconnecting ------------------------------------------------------
def test_on_a_terminal_a_status_line_while_reconnecting():
    mock = s.mock("--fault", '{"kind":"status","status":503,"pathContains":"/task-events/stream","count":1}')
    r = s.run_tty("events", "tail", "--timeout", "4s", mock=mock, timeout=30)
    s.check("TTY: 'reconnecting (attempt N, next in S s)' while the server answers 503",
            r.rc == 0 and "reconnecting (attempt 1, next in " in r.out and " s)" in r.out, r)


# ---- SIGSTOP longer than the stall timeout while events are published and the stream is dropped ----------
def test_sigstop_longer_than_the_stall_timeout_while_events():
    # The mock forgets a stream that has been idle for 500 ms (as a NAT would during a sleep). After SIGCONT the
    # tail must reconnect at once with its cursor: every event within 2 s, none twice (without the SIGCONT
    # handling it would wait the server's retry: of 5 s first).
    mock = s.mock()
    control(mock, "POST", "/_mock/faults", {"kind": "sse_drop_idle", "idleMs": 500})
    tail = Tail(mock, "--stall-timeout", "2s")
    wait_until(lambda: streams_active(mock) == 1, 10, what="the tail connected")
    a, _ = burst(mock, 1)
    first = tail.take(1, 5)
    tail.proc.send_signal(signal.SIGSTOP)
    time.sleep(0.8)  # the stream is forgotten
    lo, hi = burst(mock, 5)
    time.sleep(2.5)  # stopped for 3.3 s in all: longer than the stall timeout
    resumed = time.monotonic()
    tail.proc.send_signal(signal.SIGCONT)
    got = tail.take(5, 2.0 * timing.SLOWDOWN)
    extra = tail.take(1, 0.5)
    err = tail.stop()
    s.check("SIGSTOP/SIGCONT: the event before the stop arrived", [q for _, q in first] == [a], first)
    s.check("SIGSTOP/SIGCONT: every event published while stopped arrives within 2 s, in order",
            [q for _, q in got] == list(range(lo, hi + 1)) and all(within(t - resumed, 2.0) for t, _ in got),
            "got=%s\n%s" % ([(round(t - resumed, 2), q) for t, q in got], err))
    s.check("SIGSTOP/SIGCONT: none twice, and no gap announced (the cursor was known)",
            not extra and not gap_lines(err), "extra=%s\n%s" % (extra, err))
