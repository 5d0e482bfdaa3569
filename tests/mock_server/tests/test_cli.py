#!/usr/bin/env python3
"""Process behaviour: ready line and file, signals, path prefix, seeds, bootstrap, connection counting."""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mockutil import *  # noqa: E402,F403

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLE_SEED = os.path.join(HERE, "..", "seed.example.json")


def test_ready_line_and_file(binary):
    with tempfile.TemporaryDirectory() as d:
        ready = os.path.join(d, "ready.json")
        m = Mock(binary, "--ready-file", ready)
        try:
            assert re.fullmatch(r'\{"event":"ready","baseUrl":"http://127\.0\.0\.1:\d+"\}', m.ready_line), m.ready_line
            assert m.port > 0
            with open(ready) as f:
                assert f.read().strip() == m.ready_line
            assert not [n for n in os.listdir(d) if n != "ready.json"], "temporary file left behind"
            assert m.get("/health").json()["publicBaseUrl"] == m.base_url
        finally:
            assert m.stop(signal.SIGINT) == 0


def test_signals_stop_cleanly(binary):
    for sig in (signal.SIGINT, signal.SIGTERM):
        m = Mock(binary)
        # An idle keep-alive connection must not hold the shutdown up for long.
        assert m.get("/health").status == 200
        c = socket.create_connection((m.host, m.port))
        start = time.time()
        m.proc.send_signal(sig)
        code = m.proc.wait(timeout=10)
        c.close()
        assert code == 0 and within(time.time() - start, 2), (sig, code, time.time() - start)
        m.stop()


def test_path_prefix(binary):
    with Mock(binary, "--path-prefix", "/v1/") as m:
        assert m.base_url.endswith("/v1") and m.prefix == "/v1"
        h = m.get("/health").json()
        assert h["pathPrefix"] == "/v1" and h["publicBaseUrl"] == m.base_url
        assert m.get("/health", prefix=False).status == 200
        assert m.get("/v1/tasks/mine", key=DEMO_KEY, prefix=False).status == 200
        assert m.get("/tasks/mine", key=DEMO_KEY, prefix=False).status == 200
        t = m.get(f"/tasks/{TODO_TASK}", key=DEMO_KEY).json()
        assert t["data"]["id"] == TODO_TASK
        s = SSEStream(m)  # uses the prefixed path
        m.post(f"/tasks/{TODO_TASK}/start", key=DEMO_KEY, idem="prefix-start-01")
        ev = s.events(1)[0]
        assert ev["json"]["data"]["links"]["task"] == f"{m.base_url}/tasks/{TODO_TASK}"
        s.close()


def test_seed_files(binary):
    with Mock(binary, "--seed", EXAMPLE_SEED) as m:
        assert len(m.get("/tasks/mine?limit=100", key=DEMO_KEY).json()["data"]) == 7
    seed = {"agents": [{"id": "agt_solo", "displayName": "Solo", "role": "engineer"}],
            "keys": [{"id": "akey_solo", "apiKey": "ar_local_solo", "agentId": "agt_solo", "scopes": ["tasks:read"]}],
            "tasks": [{"id": "tsk_solo1", "title": "Only task", "status": "blocked", "assigneeAgentId": "agt_solo"}],
            "generatedTasks": {"assigneeAgentId": "agt_solo", "identifierPrefix": "SOLO"}}
    with tempfile.NamedTemporaryFile("w", suffix=".json") as f:
        json.dump(seed, f)
        f.flush()
        with Mock(binary, "--seed", f.name, "--tasks", "3") as m:
            data = m.get("/tasks/mine", key="ar_local_solo").json()["data"]
            assert [t["id"] for t in data][0] == "tsk_solo1" and len(data) == 4
            assert data[0]["blocker"]["kind"] == "awaiting_user" and data[1]["id"].startswith("tsk_")
            assert data[3]["title"].endswith("(SOLO-3)")
            assert m.get("/tasks/mine", key=DEMO_KEY).status == 401
    with tempfile.NamedTemporaryFile("w", suffix=".json") as f:
        f.write('{"tasks": [{"id": "bad id", "title": "x", "assigneeAgentId": "agt_x"}]}')
        f.flush()
        p = subprocess.run([binary, "--port", "0", "--seed", f.name], capture_output=True, text=True, timeout=10)
        assert p.returncode == 2 and "seed" in p.stderr, p.stderr


def test_bootstrap_without_keys(binary):
    with tempfile.NamedTemporaryFile("w", suffix=".json") as f:
        json.dump({"agents": [], "keys": [], "tasks": []}, f)
        f.flush()
        with Mock(binary, "--seed", f.name) as m:
            body = {"agent": {"id": "agt_root", "displayName": "Root", "role": "admin", "externalIdentities": []},
                    "scopes": ["tasks:read"], "rateLimit": {"windowSeconds": 60, "maxRequests": 100}}
            assert m.post("/agent-api-keys", body, idem="boot-key-0001").status == 401  # not an admin key
            r = m.post("/agent-api-keys", {**body, "scopes": ["auth:admin"]}, idem="boot-key-0002")
            assert r.status == 201, r
            # Now that a key exists, unauthenticated creation is refused.
            assert m.post("/agent-api-keys", {**body, "scopes": ["auth:admin"]}, idem="boot-key-0003").status == 401
            admin = r.json()["data"]["apiKey"]
            assert m.post("/agent-api-keys", body, key=admin, idem="boot-key-0004").status == 201


def test_connection_counting_and_keep_alive(binary):
    with Mock(binary) as m:
        base = m.control("GET", "/_mock/stats")
        m.close()
        for _ in range(120):  # one keep-alive connection serves all of these
            assert m.get("/health").status == 200
        m.close()
        for _ in range(3):
            c = socket.create_connection((m.host, m.port))
            c.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            while c.recv(65536):
                pass
            c.close()
        stats = m.control("GET", "/_mock/stats")
        # +1 keep-alive connection, +3 short ones, +1 for this stats request.
        assert stats["connections"] - base["connections"] == 5, (base["connections"], stats["connections"])
        assert stats["requests"] - base["requests"] == 124


def test_chunked_responses(binary):
    with Mock(binary, "--chunked-responses") as m:
        r = m.get("/tasks/mine", key=DEMO_KEY)
        assert r.status == 200 and r.headers.get("transfer-encoding") == "chunked"
        assert "content-length" not in r.headers and r.json()["data"]


def test_usage_errors(binary):
    assert subprocess.run([binary, "--help"], capture_output=True, timeout=10).returncode == 0
    assert subprocess.run([binary, "--no-such-flag"], capture_output=True, timeout=10).returncode != 0
    assert subprocess.run([binary, "--ci", "sometimes"], capture_output=True, timeout=10).returncode != 0


def test_reset(binary):
    with Mock(binary) as m:
        m.post(f"/tasks/{TODO_TASK}/start", key=DEMO_KEY, idem="reset-start-01")
        m.control("POST", "/_mock/faults", {"kind": "latency", "latencyMs": 1, "pathContains": "/nothing"})
        m.control("POST", "/_mock/reset")
        assert m.get(f"/tasks/{TODO_TASK}", key=DEMO_KEY).json()["data"]["status"] == "todo"
        assert m.control("GET", "/_mock/faults")["rules"] == []
        created = m.control("POST", "/_mock/tasks", {"title": "Added at run time", "status": "todo"})
        assert created["data"]["assigneeAgentId"] == "agt_demo"
        assert m.get(f"/tasks/{created['data']['id']}", key=DEMO_KEY).status == 200
