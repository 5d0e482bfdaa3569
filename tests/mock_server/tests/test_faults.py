#!/usr/bin/env python3
"""Every fault-injection switch, via the control endpoint and via command-line flags."""

import json
import os
import socket
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mockutil import *  # noqa: E402,F403

D = DEMO_KEY


def faults(m):
    return m.control("GET", "/_mock/faults")


def add(m, *rules):
    return m.control("POST", "/_mock/faults", list(rules))["data"]


def raw_get(m, path, key=D, timeout=5):
    """GET on a fresh socket; returns (status, headers, body bytes, closed_by_server)."""
    s = socket.create_connection((m.host, m.port), timeout=timeout)
    s.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {key}\r\n\r\n".encode())
    data = b""
    closed = False
    while True:
        try:
            chunk = s.recv(65536)
        except socket.timeout:
            break
        if not chunk:
            closed = True
            break
        data += chunk
        head, sep, body = data.partition(b"\r\n\r\n")
        if sep:
            hdrs = {k.strip().lower(): v.strip() for k, _, v in
                    (line.partition(":") for line in head.decode().split("\r\n")[1:])}
            if "content-length" in hdrs and len(body) >= int(hdrs["content-length"]):
                break
    s.close()
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    hdrs = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return int(lines[0].split()[1]), hdrs, body, closed


def test_fail_next_n_with_status_and_code(binary):
    with Mock(binary) as m:
        rule = add(m, {"kind": "status", "status": 503, "code": "fallback_mode", "count": 2})[0]
        r1, r2, r3 = (m.get("/tasks/mine", key=D) for _ in range(3))
        assert r1.status == r2.status == 503 and r1.json()["error"]["code"] == "fallback_mode"
        assert r1.headers.get("x-agentrail-fallback") == "true"
        assert r3.status == 200
        f = faults(m)
        assert f["injected"]["byKind"]["status"] == 2 and f["injected"]["total"] == 2
        assert f["rules"][0]["id"] == rule["id"] and f["rules"][0]["injected"] == 2 and f["rules"][0]["count"] == 0
        # Control endpoints are never faulted.
        add(m, {"kind": "status", "status": 500, "count": -1})
        assert m.request("GET", "/_mock/stats").status == 200
        m.control("DELETE", "/_mock/faults")
        assert m.get("/health").status == 200 and faults(m)["rules"] == []


def test_fraction_of_requests(binary):
    with Mock(binary, "--fault-seed", "7") as m:
        add(m, {"kind": "status", "status": 500, "probability": 0.5})
        statuses = [m.get("/health").status for _ in range(200)]
        failed = statuses.count(500)
        assert 60 <= failed <= 140 and failed + statuses.count(200) == 200, failed
        assert faults(m)["injected"]["byKind"]["status"] == failed


def test_latency(binary):
    with Mock(binary) as m:
        add(m, {"kind": "latency", "latencyMs": 300, "pathContains": "/tasks/mine"})
        start = time.time()
        assert m.get("/tasks/mine", key=D).status == 200
        slow = time.time() - start
        m.get("/health")
        assert slow >= 0.3, slow
        # Only the targeted path was delayed.
        assert faults(m)["injected"]["byKind"]["latency"] == 1


def test_rate_limit_with_retry_after(binary):
    with Mock(binary) as m:
        add(m, {"kind": "rate_limit", "retryAfterSeconds": 7, "method": "POST"})
        assert m.get("/tasks/mine", key=D).status == 200  # GET is not targeted
        r = m.post(f"/tasks/{TODO_TASK}/start", key=D, idem="fault-start-01")
        assert r.status == 429 and r.headers["retry-after"] == "7" and r.json()["error"]["code"] == "rate_limited"
        assert r.json()["error"]["details"]["retryAfterSeconds"] == 7
        assert m.post(f"/tasks/{TODO_TASK}/start", key=D, idem="fault-start-01").status == 202


def test_cut_connection_mid_body(binary):
    with Mock(binary) as m:
        add(m, {"kind": "cut_body", "pathContains": "/tasks/mine"})
        status, hdrs, body, closed = raw_get(m, "/tasks/mine")
        assert status == 200 and closed and 0 < len(body) < int(hdrs["content-length"]), (hdrs, len(body))
        assert faults(m)["injected"]["byKind"]["cut_body"] == 1
        status, hdrs, body, _ = raw_get(m, "/tasks/mine")
        assert len(body) == int(hdrs["content-length"]) and json.loads(body)["data"]


def test_malformed_and_non_json_bodies(binary):
    with Mock(binary) as m:
        add(m, {"kind": "malformed_json", "pathContains": "/tasks/mine"})
        r = m.get("/tasks/mine", key=D)
        assert r.status == 200 and r.headers["content-type"].startswith("application/json")
        try:
            json.loads(r.body)
            raise AssertionError("body parsed as JSON")
        except ValueError:
            pass
        add(m, {"kind": "non_json", "pathContains": "/health"})
        r = m.get("/health")
        assert r.status == 502 and r.headers["content-type"].startswith("text/html") and "<html>" in r.body
        add(m, {"kind": "non_json", "status": 200, "pathContains": "/health"})
        r = m.get("/health")
        assert r.status == 200 and r.body.lstrip().startswith("<!DOCTYPE html>")
        by = faults(m)["injected"]["byKind"]
        assert by["malformed_json"] == 1 and by["non_json"] == 2


def test_sse_cut_every_n_events(binary):
    with Mock(binary) as m:
        add(m, {"kind": "sse_cut", "everyEvents": 3})
        s = SSEStream(m)
        m.control("POST", "/_mock/events/burst", {"count": 7})
        first = s.events(7, timeout=2)
        assert len(first) == 3 and s.closed, len(first)
        s.close()
        # Resuming gets the next three, then the stream is cut again.
        r = SSEStream(m, headers={"Last-Event-ID": first[-1]["id"]})
        nxt = r.events(7, timeout=2)
        assert [e["json"]["sequence"] for e in nxt] == [4, 5, 6] and r.closed
        r.close()
        assert faults(m)["injected"]["byKind"]["sse_cut"] == 2


def test_sse_stall(binary):
    with Mock(binary) as m:
        add(m, {"kind": "sse_stall", "count": 1})
        s = SSEStream(m, "heartbeatMs=50")
        assert s.status == 200
        m.control("POST", "/_mock/events/burst", {"count": 3})
        s.read_more(0.8)
        assert s.raw_body == b"" and not s.closed, s.raw_body[:100]
        s.close()
        ok = SSEStream(m, "heartbeatMs=50")
        assert ok.next_block(2) is not None
        ok.close()
        assert faults(m)["injected"]["byKind"]["sse_stall"] == 1


def test_command_line_flags(binary):
    with Mock(binary, "--fail-next", "1", "--fail-status", "500", "--fault-path", "/tasks/mine") as m:
        assert m.get("/health").status == 200
        assert m.get("/tasks/mine", key=D).status == 500
        assert m.get("/tasks/mine", key=D).status == 200
    with Mock(binary, "--latency-ms", "200") as m:
        start = time.time()
        m.get("/health")
        assert time.time() - start >= 0.2
    with Mock(binary, "--fail-rate", "1.0", "--fail-status", "503", "--fail-code", "unavailable") as m:
        r = m.get("/health")
        assert r.status == 503 and r.json()["error"]["code"] == "unavailable"
    with Mock(binary, "--sse-cut-every", "2") as m:
        s = SSEStream(m)
        m.control("POST", "/_mock/events/burst", {"count": 5})
        assert len(s.events(5, timeout=2)) == 2 and s.closed
        s.close()
    with Mock(binary, "--sse-stall") as m:
        s = SSEStream(m, "heartbeatMs=50")
        s.read_more(0.5)
        assert s.raw_body == b""
        s.close()
    with Mock(binary, "--fault", '{"kind":"non_json","pathContains":"/health"}') as m:
        assert m.get("/health").status == 502
    p = subprocess.run([binary, "--port", "0", "--fault", '{"kind":"nope"}'], capture_output=True, text=True, timeout=10)
    assert p.returncode == 2 and "invalid --fault" in p.stderr


def test_invalid_rule_and_removal(binary):
    with Mock(binary) as m:
        r = m.post("/_mock/faults", {"kind": "teleport"})
        assert r.status == 400
        rule = add(m, {"kind": "status", "status": 500, "count": -1, "pathContains": "/health"})[0]
        assert m.get("/health").status == 500
        assert m.request("DELETE", f"/_mock/faults/{rule['id']}").status == 200
        assert m.get("/health").status == 200
