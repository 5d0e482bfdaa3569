#!/usr/bin/env python3
"""End-to-end tests of `agentrail events tail` against agentrail-mock: NDJSON (verbatim data lines) and
human lines on a pseudo-TTY, filters, --until/--count/--timeout, resuming across forced disconnects and
across process restarts with --state-file (no event lost or repeated, checked by sequence numbers),
Ctrl-C (clean stop, state saved, exit 130), 410 cursor_expired (exit 15)."""

import json
import os
import signal
import subprocess
import time
import urllib.request

import pytest

from e2e_support import DEMO_KEY, interrupt, wait_until, within

s = mock = None  # bound by scenario() below
T1 = "tsk_01JZDEMO0000000000000001"
T2 = "tsk_01JZDEMO0000000000000002"


@pytest.fixture(scope="module", autouse=True)
def scenario(suite):
    """The Suite of this module (tests/e2e/conftest.py) and the mocks it runs against."""
    global s, mock
    s = suite
    mock = s.mock("--replay-buffer", "200000")


def control(method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(mock.base_url + path, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read() or b"null")


def burst(count, task=T1):
    """Publishes `count` task.updated events; returns (first, last) sequence numbers."""
    d = control("POST", "/_mock/events/burst", {"count": count, "taskId": task})["data"]
    return d["firstSequence"], d["lastSequence"]


def mark():
    """The sequence of one fresh event: replaying after it yields exactly what is published next."""
    return burst(1)[1]


def sequences(out):
    return [json.loads(line)["sequence"] for line in out.splitlines() if line.strip()]


def run(*args, **kw):
    kw.setdefault("mock", mock)
    return s.run(*args, **kw)


def tail_proc(*args, key=DEMO_KEY):
    return subprocess.Popen([s.cli, "events", "tail", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=s.env(mock, key))


# ---- NDJSON: verbatim, filters, --count / --until / --timeout ------------------------------------------
def test_ndjson_and_human_lines_filters_count_until_timeout():
    start = mark()
    first, last = burst(20)
    r = run("events", "tail", "--since", str(start), "--count", "20")
    seqs = sequences(r.out) if r.rc == 0 else []
    s.check("piped output is NDJSON, one event per line, in order", r.rc == 0 and seqs == list(range(first, last + 1)), r)
    raw = urllib.request.urlopen(urllib.request.Request(
        mock.base_url + "/task-events/stream?cursor=%d" % start,
        headers={"Authorization": "Bearer " + DEMO_KEY}), timeout=10)
    server_lines = []
    while len(server_lines) < 3:
        line = raw.readline().decode()
        if line.startswith("data: "):
            server_lines.append(line[6:].rstrip("\n"))
    raw.close()
    s.check("each line is the server's data: text byte for byte", r.out.splitlines()[:3] == server_lines, r)

    r = run("events", "tail", "--since", str(start), "--count", "5", "-o", "ndjson")
    s.check("-o ndjson and --count 5", r.rc == 0 and len(r.lines()) == 5, r)

    start = mark()
    burst(3, T1)
    f2, l2 = burst(4, T2)
    burst(3, T1)
    r = run("events", "tail", "--since", str(start), "--task", T2, "--count", "4")
    s.check("--task keeps only that task's events",
            r.rc == 0 and sequences(r.out) == list(range(f2, l2 + 1)) and
            all(json.loads(l)["data"]["taskId"] == T2 for l in r.lines()), r)

    r = run("events", "tail", "--since", str(start), "--until", "task.updated:" + T2)
    s.check("--until TYPE:TASK stops at the first match (exit 0)", r.rc == 0 and sequences(r.out)[-1] == f2
            and len(r.lines()) == 4, r)
    r = run("events", "tail", "--since", str(start), "--until", "task.updated")
    s.check("--until TYPE stops after the first event of the type", r.rc == 0 and len(r.lines()) == 1, r)

    t0 = time.time()
    r = run("events", "tail", "--since", str(start), "--type", "task.shipped", "--timeout", "1s")
    elapsed = time.time() - t0
    s.check("--type filters (nothing shipped) and --timeout ends with exit 0",
            r.rc == 0 and r.out == "" and within(elapsed, 6), "%s elapsed=%.1f" % (r, elapsed))

    r = run("events", "tail", "--since", str(start), "--count", "2", "--jq", ".sequence")
    s.check("--jq applies per event", r.rc == 0 and [int(x) for x in r.lines()] == [start + 1, start + 2], r)

    r = run("events", "tail", "--since", str(start), "--count", "2", "-q")
    s.check("--quiet prints event ids", r.rc == 0 and all(l.startswith("evt_") for l in r.lines()) and len(r.lines()) == 2, r)

    # ---- human lines on a pseudo-TTY -------------------------------------------------------------------------
    r = s.run_tty("events", "tail", "--since", str(start), "--count", "3", mock=mock)
    body = [l for l in r.out.splitlines() if "task.updated" in l]
    s.check("TTY: one human line per event (time, type, task, status, summary)",
            r.rc == 0 and len(body) == 3 and "DEMO-1" in body[0] and "Synthetic load event." in body[0] and
            '{"id"' not in r.out, r)
    r = run("events", "tail", "--since", str(start), "--count", "3", "-o", "table")
    s.check("-o table forces human lines when piped", r.rc == 0 and "DEMO-1" in r.out and '{"id"' not in r.out, r)


# ---- forced disconnects: resume with Last-Event-ID, no gaps, no duplicates -----------------------------
def test_forced_disconnects_and_restarts_resume_without_gaps():
    start = mark()
    rule = control("POST", "/_mock/faults", {"kind": "sse_cut", "everyEvents": 16})["data"][0]
    first, last = burst(60)
    r = run("events", "tail", "--since", str(start), "--count", "60", timeout=120)
    seqs = sequences(r.out) if r.rc == 0 else []
    stats = control("GET", "/_mock/faults")
    s.check("streams cut every 16 events: all 60 events, once each, in order",
            r.rc == 0 and seqs == list(range(first, last + 1)), "%s\nseqs=%s" % (r, seqs[:80]))
    s.check("the cut really happened (several reconnects)", "reconnect" in r.err.lower() or
            any(f.get("injected", 0) > 3 for f in (stats.get("rules") or stats.get("data") or [])), r.err + json.dumps(stats))

    # ---- restart with --state-file (and still under forced disconnects) -----------------------------------
    state = os.path.join(s.tmp, "tail.state")
    start = mark()
    first, last = burst(45)
    r1 = run("events", "tail", "--since", str(start), "--state-file", state, "--count", "20", timeout=120)
    saved = open(state).read().strip() if os.path.exists(state) else ""
    s.check("state file holds the id of the last printed event",
            r1.rc == 0 and r1.lines() and saved == json.loads(r1.lines()[-1])["id"], "%s\nstate=%s" % (r1, saved))
    r2 = run("events", "tail", "--state-file", state, "--count", "25", timeout=120)
    seqs = sequences(r1.out) + sequences(r2.out)
    s.check("a restarted tail resumes exactly after the saved id (45 events, no loss, no repeat)",
            r2.rc == 0 and seqs == list(range(first, last + 1)), "%s\nseqs=%s" % (r2, seqs))
    s.check("no temporary state file is left behind", not os.path.exists(state + ".tmp"), os.listdir(s.tmp))
    control("DELETE", "/_mock/faults/" + rule["id"])


# ---- Ctrl-C: clean stop (state saved, output flushed, exit 130), then resume ----------------------------
def test_ctrl_c_clean_stop_state_saved_output_flushed_exit():
    state2 = os.path.join(s.tmp, "tail2.state")
    start = mark()
    p = tail_proc("--since", str(start), "--state-file", state2)
    control("POST", "/_mock/events/burst", {"count": 300, "taskId": T1, "ratePerSecond": 300})
    wait_until(lambda: os.path.exists(state2), timeout=10, what="the state file")
    time.sleep(0.3)
    out1, err1 = interrupt(p)
    n1 = len(sequences(out1))
    s.check("SIGINT stops the tail cleanly with exit 130", p.returncode == 130 and 0 < n1 < 300,
            "rc=%s n=%d err=%s" % (p.returncode, n1, err1))
    s.check("the state file matches the last line printed before SIGINT",
            n1 > 0 and open(state2).read().strip() == json.loads(out1.splitlines()[-1])["id"], out1[-300:])
    wait_until(lambda: control("GET", "/_mock/stats")["events"]["lastSequence"] >= start + 300, timeout=15,
               what="the 300 events to be published")
    r = run("events", "tail", "--state-file", state2, "--count", str(300 - n1), timeout=120)
    seqs = sequences(out1) + sequences(r.out)
    s.check("after Ctrl-C, the restarted tail continues without loss or duplicates",
            r.rc == 0 and seqs == list(range(start + 1, start + 301)), "%s\n%s" % (r, seqs[-20:]))


# ---- errors ---------------------------------------------------------------------------------------------
def test_errors():
    state = os.path.join(s.tmp, "tail.state")
    r = run("events", "tail", "--since", "evt_00000000000000000000000000")
    s.check("unknown or expired cursor: exit 15 with a hint", r.rc == 15 and "cursor" in r.err.lower(), r)
    open(state, "w").write("evt_00000000000000000000000000\n")
    r = run("events", "tail", "--state-file", state)
    s.check("expired id in the state file: exit 15, hint names the file", r.rc == 15 and state in r.err, r)
    r = run("events", "tail", "--count", "1", key="ar_not_a_real_key_123")
    s.check("bad key: exit 3", r.rc == 3, r)
    r = run("events", "tail", "--until", "task.updated:")
    s.check("malformed --until: exit 2", r.rc == 2, r)


# ---- --from-start: a task's whole history after the fact, and the reference server's event types ---------
def test_from_start_a_tasks_whole_history_after_the_fact():
    life = s.mock("--ci", "failing")
    T3 = "tsk_01JZDEMO0000000000000003"
    sub = s.run("task", "submit", T3, "--summary", "first try", "--quiet", mock=life)
    ci = s.run("task", "ci", T3, "--json", mock=life)
    control_url = life.base_url + "/_mock/tasks/%s/ci" % T3
    urllib.request.urlopen(urllib.request.Request(control_url, data=b'{"overallStatus":"passed"}', method="POST",
                                                  headers={"Content-Type": "application/json"}), timeout=10).read()
    ship = s.run("task", "ship", T3, "--mode", "merge_and_deploy", "--env", "production", "--quiet", mock=life)
    s.check("lifecycle on a mock with failing CI: submit and ship succeed", sub.rc == 0 and ship.rc == 0, (sub, ship))
    r = s.run("events", "tail", "--task", T3, "--from-start", "--until", "task.shipped", "-o", "ndjson",
              "--timeout", "20s", mock=life)
    types = [json.loads(l)["type"] for l in r.lines()]
    s.check("--from-start --until task.shipped after the lifecycle prints the whole history and exits 0",
            r.rc == 0 and types == ["task.updated", "task.ci_failed", "task.review_approved", "task.ci_recovered",
                                    "task.updated", "task.shipped"], (types, r))
    s.check("the mock emits the reference server's types, never task.reviewed", "task.reviewed" not in types, types)
    r = s.run("events", "tail", "--task", T3, "--from-start", "--until", "task.shipped", "-o", "table",
              "--timeout", "20s", mock=life)
    human = r.out.splitlines()
    s.check("human view names each event type (CI failed, review approved, CI recovered)",
            r.rc == 0 and any("task.ci_failed" in l and "CI failed" in l for l in human)
            and any("task.review_approved" in l and "Approved" in l for l in human)
            and any("task.ci_recovered" in l and "CI passed again" in l for l in human), r)
    # Events without a summary (a server may leave it out): the human view still says what happened.
    import http.server  # noqa: E402
    import threading  # noqa: E402

    BARE = ["task.ci_failed", "task.ci_recovered", "task.review_approved", "task.review_changes_requested",
            "task.reviewed", "task.future_kind"]

    class BareEvents(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = "retry: 5000\n\n"
            for n, kind in enumerate(BARE, 1):
                ev = {"id": "evt_%d" % n, "type": kind, "occurredAt": "2026-05-01T03:21:04Z", "sequence": n,
                      "data": {"taskId": T1, "taskIdentifier": "DEMO-1", "status": "in_review",
                               "reviewOutcome": "approved" if kind == "task.reviewed" else None}}
                body += "id: evt_%d\nevent: %s\ndata: %s\n\n" % (n, kind, json.dumps(ev))
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            self.wfile.write(body.encode())
            self.wfile.flush()
            time.sleep(2)

        def log_message(self, *args):
            pass

    bare = http.server.ThreadingHTTPServer(("127.0.0.1", 0), BareEvents)
    threading.Thread(target=bare.serve_forever, daemon=True).start()
    r = s.run("events", "tail", "--count", str(len(BARE)), "-o", "table", "--no-retry",
              env={"AGENTRAIL_BASE_URL": "http://127.0.0.1:%d" % bare.server_address[1]})
    labels = {"task.ci_failed": "CI failed", "task.ci_recovered": "CI passed again after a failure",
              "task.review_approved": "review approved", "task.review_changes_requested": "review requested changes",
              "task.reviewed": "reviewed: approved"}
    lines = [l for l in r.out.splitlines() if "DEMO-1" in l]
    s.check("human view of events without a summary: each type in words",
            r.rc == 0 and len(lines) == len(BARE) and all(
                kind in line and line.rstrip().endswith(labels[kind]) for kind, line in zip(BARE, lines) if kind in labels)
            and lines[-1].rstrip().endswith("in_review"), r)
    bare.shutdown()

    r = s.run("events", "tail", "--from-start", "--since", "1", mock=life)
    s.check("--from-start and --since exclude each other (exit 2)", r.rc == 2, r)
    # A server that answers cursor 0 with 410, as the reference server does.
    ref = s.mock("--fault", '{"kind":"status","status":410,"code":"cursor_expired","pathContains":"/task-events/stream"}')
    r = s.run("events", "tail", "--from-start", "--until", "task.shipped", mock=ref)
    s.check("a server that refuses cursor 0: exit 15, saying it cannot replay from the start",
            r.rc == 15 and "cannot replay from the start" in r.err and "--since" in r.err, r)
