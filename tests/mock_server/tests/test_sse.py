#!/usr/bin/env python3
"""Event stream: headers, replay after Last-Event-ID / cursor, filters, heartbeats, limits, disconnects."""

import os
import re
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import timing  # noqa: E402
from mockutil import *  # noqa: E402,F403

D = DEMO_KEY


def emit(m, count, task=TODO_TASK):
    r = m.control("POST", "/_mock/events/burst", {"count": count, "taskId": task})
    return r["data"]


def test_replay_after_last_event_id(binary):
    with Mock(binary) as m:
        live = SSEStream(m)
        assert live.status == 200 and live.headers["x-agentrail-resume-mode"] == "live"
        emit(m, 10)
        events = live.events(10)
        assert len(events) == 10
        live.close()
        # Resume after the 4th event: events 5..10 come back, in order, then the live tail.
        r = SSEStream(m, headers={"Last-Event-ID": events[3]["id"]})
        assert r.status == 200 and r.headers["x-agentrail-resume-mode"] == "replay_then_live"
        replay = r.events(6)
        assert [e["id"] for e in replay] == [e["id"] for e in events[4:]]
        emit(m, 1)
        tail = r.events(1)
        assert tail and tail[0]["json"]["sequence"] == events[-1]["json"]["sequence"] + 1
        r.close()
        # A sequence number works as a cursor too, and the header wins over ?cursor=.
        seq = events[7]["json"]["sequence"]
        c = SSEStream(m, f"cursor={seq}")
        assert [e["json"]["sequence"] for e in c.events(2)] == [seq + 1, seq + 2]
        c.close()
        h = SSEStream(m, "cursor=evt_bogus", headers={"Last-Event-ID": str(seq)})
        assert h.status == 200 and h.events(1)[0]["json"]["sequence"] == seq + 1
        h.close()


def test_unknown_and_expired_cursor(binary):
    with Mock(binary, "--replay-buffer", "5") as m:
        emit(m, 3)
        r = m.get("/task-events/stream?cursor=evt_nope", key=D)
        assert r.status == 410 and r.json()["error"]["code"] == "cursor_expired"
        assert r.json()["error"]["details"]["replayWindowHours"] == 72
        assert m.get("/task-events/stream", key=D, headers={"Last-Event-ID": "999"}).status == 410
        emit(m, 10)  # sequence 1 is evicted from the 5-event buffer
        assert m.get("/task-events/stream?cursor=1", key=D).status == 410
        ok = SSEStream(m, "cursor=9")
        assert ok.status == 200 and len(ok.events(4)) == 4
        ok.close()
        # cursor=0 means "from the oldest retained event", even after evictions.
        zero = SSEStream(m, "cursor=0")
        assert zero.status == 200 and [e["json"]["sequence"] for e in zero.events(5)] == [9, 10, 11, 12, 13]
        zero.close()


def test_filters_and_visibility(binary):
    with Mock(binary) as m:
        by_type = SSEStream(m, "eventTypes=task.awaiting_user,task.shipped")
        by_task = SSEStream(m, f"taskId={TODO_TASK_2}")
        other = SSEStream(m, key=OTHER_KEY)
        admin = SSEStream(m, key=ADMIN_KEY)
        m.post(f"/tasks/{TODO_TASK}/start", key=D, idem="sse-start-0001")
        m.post(f"/tasks/{TODO_TASK_2}/blocker", {"sourceRunId": "run_1", "sourceAgentId": "agt_demo", "reason": "r",
                                                 "actionRequired": "a", "resumeInstructions": "i"},
               key=D, idem="sse-block-0001")
        m.post(f"/tasks/{OTHER_TASK}/start", key=OTHER_KEY, idem="sse-start-0002")
        assert [e["event"] for e in by_type.events(1)] == ["task.awaiting_user"]
        assert [e["json"]["data"]["taskId"] for e in by_task.events(1)] == [TODO_TASK_2]
        assert [e["json"]["data"]["taskId"] for e in other.events(1)] == [OTHER_TASK]
        assert len(admin.events(3)) == 3
        # Nothing else arrives on the filtered streams.
        assert by_type.events(1, timeout=0.5) == [] and other.events(1, timeout=0.3) == []
        for s in (by_type, by_task, other, admin):
            s.close()


def test_heartbeat_timing(binary):
    with Mock(binary) as m:
        s = SSEStream(m, "heartbeatMs=200")
        stamps = []
        deadline = time.time() + 5 * timing.SLOWDOWN
        while len(stamps) < 5 and time.time() < deadline:
            b = s.next_block(2)
            if b and ": keepalive " in b:
                stamps.append(time.time())
        gaps = [b - a for a, b in zip(stamps, stamps[1:])]
        assert len(stamps) == 5 and all(g > 0.1 and within(g, 1.0) for g in gaps), gaps
        assert within(sum(gaps) / len(gaps), 0.5), gaps
        s.close()
        assert SSEStream(m).headers["x-agentrail-stream-heartbeat-seconds"] == "20"
        assert SSEStream(m, "heartbeatSeconds=5").headers["x-agentrail-stream-heartbeat-seconds"] == "10"
        assert SSEStream(m, "heartbeatSeconds=90").headers["x-agentrail-stream-heartbeat-seconds"] == "60"
        # Events reset the idle timer; keepalive comments carry an ISO timestamp.
        k = SSEStream(m, "heartbeatMs=150")
        b = k.next_block(2)
        while b is not None and "keepalive" not in b:
            b = k.next_block(2)
        assert b is not None and re.search(r": keepalive \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", b), b
        k.close()
    with Mock(binary, "--heartbeat-ms", "100") as m:
        s = SSEStream(m)
        start = time.time()
        b = s.next_block(2)
        while b is not None and "keepalive" not in b:
            b = s.next_block(2)
        assert b is not None and within(time.time() - start, 1.0)
        s.close()


def test_stream_limit_and_disconnect_detection(binary):
    with Mock(binary, "--max-streams", "1") as m:
        a = SSEStream(m)
        assert a.status == 200
        b = SSEStream(m)
        assert b.status == 429 and int(b.headers["retry-after"]) >= 1
        b.close()
        # Another key has its own budget.
        c = SSEStream(m, key=ADMIN_KEY)
        assert c.status == 200
        c.close()
        a.close()
        # The server notices the closed client promptly even though no heartbeat is due for 20 s.
        wait_until(lambda: m.control("GET", "/_mock/stats")["streams"]["active"] == 0, timeout=2,
                 what="stream cleanup")
        d = SSEStream(m)
        assert d.status == 200
        d.close()


def test_shutdown_with_open_stream(binary):
    m = Mock(binary)
    s = SSEStream(m)
    assert s.status == 200
    start = time.time()
    code = m.stop(signal.SIGTERM)
    assert code == 0 and within(time.time() - start, 2), (code, time.time() - start)
    s.close()
