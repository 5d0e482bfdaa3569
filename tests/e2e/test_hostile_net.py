#!/usr/bin/env python3
"""End-to-end tests of the CLI against hostile servers (tests/e2e/hostile.py) and of agentrail-mock under
abuse: deep JSON, oversized and decompression-bomb bodies, endless SSE lines, cycling page cursors, a
retry budget (--deadline), redirects and unmapped 4xx statuses, dot segments in `api` paths, numeric flag
ranges of the mock, many open streams against /health, and malformed requests to the mock.

Memory is measured as the peak RSS of the agentrail child (wait4's rusage), and every case is bounded in
time so a regression shows as a failed check rather than a hung or OOM-killed test run."""

import hashlib
import hmac
import json
import os
import signal
import socket
import subprocess
import tempfile
import threading
import time
import zlib

import pytest

from e2e_support import within
from hostile import HostileServer, http_response, json_response

s = None  # bound by scenario() below
MiB = 1 << 20


@pytest.fixture(scope="module", autouse=True)
def scenario(suite):
    """The Suite of this module (tests/e2e/conftest.py)."""
    global s
    s = suite


class Measured:
    def __init__(self, rc, out, err, rss_kib, seconds, killed):
        self.rc, self.out, self.err, self.rss_kib, self.seconds, self.killed = rc, out, err, rss_kib, seconds, killed

    @property
    def rss_mib(self):
        return self.rss_kib / 1024.0

    def __str__(self):
        return "rc=%s killed=%s rss=%.1f MiB time=%.2f s\nstdout=%s\nstderr=%s" % (
            self.rc, self.killed, self.rss_mib, self.seconds, self.out[:600], self.err[:1500])


def child_pids(pid):
    try:
        with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
            return [int(x) for x in f.read().split()]
    except OSError:
        return []


def run_measured(*args, base_url, timeout=10, extra_env=None):
    """Runs agentrail against `base_url` under GNU time; returns exit status (128+N for a signal), output,
    peak RSS (KiB, of agentrail alone) and wall time. The child is killed (SIGKILL) after `timeout` seconds.
    (GNU time forks agentrail from a small process: the rusage of a child forked from this Python process
    would start from this process's own peak.)"""
    env = s.env(None, extra=dict({"AGENTRAIL_BASE_URL": base_url}, **(extra_env or {})))
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile(mode="r") as rss:
        started = time.time()
        proc = subprocess.Popen(["/usr/bin/time", "-o", rss.name, "-f", "%M", s.cli, *args], stdout=out,
                                stderr=err, env=env, stdin=subprocess.DEVNULL)
        killed = False
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            killed = True
            for pid in child_pids(proc.pid):
                os.kill(pid, signal.SIGKILL)
            proc.wait(timeout=10)
        seconds = time.time() - started
        out.seek(0)
        err.seek(0)
        numbers = [l.strip() for l in rss.read().splitlines() if l.strip().isdigit()]
        return Measured(proc.returncode, out.read().decode(errors="replace"), err.read().decode(errors="replace"),
                        int(numbers[-1]) if numbers else -1, seconds, killed)


def send_quietly(conn, data):
    try:
        conn.sendall(data)
    except OSError:
        pass


# ---- 2. JSON nesting depth -----------------------------------------------------------------------------
def test_2_json_nesting_depth():
    DEEP = b"[" * 100000 + b"]" * 100000  # 200 KB

    def deep_handler(conn, request):
        send_quietly(conn, http_response(200, DEEP))

    with HostileServer(deep_handler) as server:
        r = run_measured("api", "GET", "/deep", base_url=server.base_url)
        s.check("api GET of a 100k-deep array: exit 11 'nested too deeply', no crash",
                r.rc == 11 and "nested too deeply" in r.err, r)
        r = run_measured("tasks", "show", "tsk_1", base_url=server.base_url)
        s.check("typed call (tasks show) on a 100k-deep array: exit 11 'nested too deeply'",
                r.rc == 11 and "nested too deeply" in r.err, r)

    secret = "whsec_hostile_0123456789abcdef"
    deep_body = os.path.join(s.tmp, "deep.json")
    with open(deep_body, "wb") as f:
        f.write(DEEP)
    signature = "sha256=" + hmac.new(secret.encode(), DEEP, hashlib.sha256).hexdigest()
    r = run_measured("webhook", "verify", "--secret-env", "WH_SECRET", "--signature", signature, "--body-file",
                     deep_body, "--print", "--json", base_url="http://127.0.0.1:9", extra_env={"WH_SECRET": secret})
    s.check("webhook verify --print --json of a signed 100k-deep array: exit 11 'nested too deeply'",
            r.rc == 11 and "nested too deeply" in r.err, r)


# ---- 3. response body cap ------------------------------------------------------------------------------
def test_3_response_body_cap():
    _bomb = []

    def gzip_bomb():
        """A gzip body of ~250 KB that expands to 256 MiB of zeros (built once)."""
        if not _bomb:
            c = zlib.compressobj(9, zlib.DEFLATED, 31)
            zeros = bytes(MiB)
            parts = [c.compress(zeros) for _ in range(256)]
            parts.append(c.flush())
            _bomb.append(b"".join(parts))
        return _bomb[0]

    def bomb_handler(conn, request):
        send_quietly(conn, http_response(200, gzip_bomb(), {"Content-Encoding": "gzip"}))

    with HostileServer(bomb_handler) as server:
        r = run_measured("api", "GET", "/bomb", "--max-body", "4M", base_url=server.base_url, timeout=20)
        s.check("gzip bomb (256 MiB decoded) with --max-body 4M: exit 11 naming the limit, RSS < 60 MiB",
                r.rc == 11 and "4 MiB" in r.err and s.rss_within(r.rss_mib, 60), r)
        print("     gzip bomb: rc=%d peak RSS %.1f MiB in %.2f s" % (r.rc, r.rss_mib, r.seconds))

    def endless_chunked(conn, request):
        send_quietly(conn, b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
        chunk = b"%x\r\n%s\r\n" % (64 * 1024, b" " * (64 * 1024))
        deadline = time.time() + 15
        try:
            while time.time() < deadline:
                conn.sendall(chunk)
        except OSError:
            pass

    with HostileServer(endless_chunked) as server:
        r = run_measured("api", "GET", "/endless", "--max-body", "8M", base_url=server.base_url, timeout=10)
        s.check("endless chunked body with --max-body 8M: exit 11 within seconds, RSS < 60 MiB",
                r.rc == 11 and not r.killed and "8 MiB" in r.err and s.rss_within(r.rss_mib, 60), r)
        print("     endless body: rc=%d peak RSS %.1f MiB in %.2f s" % (r.rc, r.rss_mib, r.seconds))

    def huge_declared(conn, request):
        # Declares 200 MB and sends it (slowly enough that reading it all would take long).
        send_quietly(conn, b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 209715200\r\n\r\n")
        block = b" " * (1 << 20)
        try:
            for _ in range(200):
                conn.sendall(block)
        except OSError:
            pass

    with HostileServer(huge_declared) as server:
        r = run_measured("tasks", "list", base_url=server.base_url, timeout=20)
        s.check("200 MB JSON body, default limit: exit 11 naming 64 MiB, RSS < 60 MiB",
                r.rc == 11 and "64 MiB" in r.err and s.rss_within(r.rss_mib, 60), r)
        print("     200 MB body: rc=%d peak RSS %.1f MiB in %.2f s" % (r.rc, r.rss_mib, r.seconds))

    r = run_measured("tasks", "list", "--max-body", "lots", base_url="http://127.0.0.1:9")
    s.check("--max-body with a bad size: exit 2", r.rc == 2 and "--max-body" in r.err, r)


# ---- 4. SSE line cap -----------------------------------------------------------------------------------
def test_4_sse_line_cap():
    EVENT = {"id": "evt_1", "type": "task.updated", "occurredAt": "2026-05-01T03:21:04Z", "sequence": 1,
             "data": {"taskId": "tsk_1", "taskIdentifier": "DEMO-1", "status": "todo"}}
    SSE_HEAD = (b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
                b"Connection: close\r\n\r\n")

    def sse_event(event_id):
        event = dict(EVENT, id=event_id)
        return b"id: %s\nevent: task.updated\ndata: %s\n\n" % (event_id.encode(), json.dumps(event).encode())

    def sse_handler(conn, request):
        resumed = request.headers.get("last-event-id")
        send_quietly(conn, SSE_HEAD)
        if resumed is None:
            # One event, then a line that never ends: 200 MiB without a newline.
            send_quietly(conn, b": hello\n\n" + sse_event("evt_1"))
            block = b"x" * MiB
            try:
                for _ in range(200):
                    conn.sendall(block)
            except OSError:
                pass
            return
        send_quietly(conn, sse_event("evt_2"))
        time.sleep(5)

    with HostileServer(sse_handler) as server:
        r = run_measured("events", "tail", "-o", "ndjson", "--count", "2", base_url=server.base_url, timeout=20)
        ids = [json.loads(l).get("id") for l in r.out.splitlines() if l.startswith("{")]
        resumed = [q.headers.get("last-event-id") for q in server.requests[1:2]]
        s.check("SSE line of 200 MiB: connection dropped, resumed after evt_1, RSS < 80 MiB",
                r.rc == 0 and ids == ["evt_1", "evt_2"] and resumed == ["evt_1"] and s.rss_within(r.rss_mib, 80), r)
        print("     SSE endless line: rc=%d peak RSS %.1f MiB in %.2f s" % (r.rc, r.rss_mib, r.seconds))

    with HostileServer(sse_handler) as server:
        r = run_measured("events", "tail", "-o", "ndjson", "--count", "2", "--no-retry", base_url=server.base_url,
                         timeout=20)
        s.check("SSE line of 200 MiB under --no-retry: the first event printed, then exit 11 (no reconnect)",
                r.rc == 11 and '"evt_1"' in r.out and len(server.requests) == 1 and s.rss_within(r.rss_mib, 80), r)


def test_4_sse_long_event_ids():
    """Ids a server makes long do not pile up in the de-duplication window (10,000 ids): 2,000 events with
    ids of 100 KiB each (200 MiB of ids) are all printed, and the tail keeps none of the ids but the last."""
    SSE_HEAD = (b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
                b"Connection: close\r\n\r\n")
    padding = b"x" * (100 * 1024)

    def sse_handler(conn, request):
        send_quietly(conn, SSE_HEAD)
        try:
            for i in range(2000):
                data = b'{"id":"evt_%d","type":"task.updated","data":{"taskId":"tsk_1"}}' % i
                conn.sendall(b"id: evt_%s%06d\nevent: task.updated\ndata: %s\n\n" % (padding, i, data))
        except OSError:
            return
        time.sleep(5)

    with HostileServer(sse_handler) as server:
        r = run_measured("events", "tail", "-o", "ndjson", "--count", "2000", base_url=server.base_url, timeout=60)
        lines = r.out.splitlines()
        s.check("SSE ids of 100 KiB: all 2,000 events printed, RSS < 60 MiB (the ids alone are 200 MiB)",
                r.rc == 0 and len(lines) == 2000 and lines[-1].startswith('{"id":"evt_1999"') and
                s.rss_within(r.rss_mib, 60), r)
        print("     SSE long ids: rc=%d peak RSS %.1f MiB in %.2f s" % (r.rc, r.rss_mib, r.seconds))


# ---- 9. cycling page cursors ---------------------------------------------------------------------------
def test_9_cycling_page_cursors():
    CYCLE = {"": "A", "A": "B", "B": "A"}

    def cycle_handler(conn, request):
        cursor = ""
        if "cursor=" in request.path:
            cursor = request.path.split("cursor=", 1)[1].split("&", 1)[0]
        page = {"data": [], "page": {"nextCursor": CYCLE.get(cursor, "A"), "hasMore": True}}
        send_quietly(conn, json_response(200, page))
        return True

    with HostileServer(cycle_handler) as server:
        r = run_measured("tasks", "list", "--all", base_url=server.base_url, timeout=10)
        s.check("tasks list --all with cursors A->B->A: exit 11 'cursor repeated' after 3 pages",
                r.rc == 11 and "the server's page cursor repeated" in r.err and len(server.requests) == 3, r)


# ---- 12. retry budget: --deadline ----------------------------------------------------------------------
def test_12_retry_budget_deadline():

    def storm_handler(conn, request):
        send_quietly(conn, json_response(429, {"error": {"code": "rate_limited", "message": "slow down",
                                                         "details": {}}}, {"Retry-After": "25"}))
        return True

    with HostileServer(storm_handler) as server:
        r = run_measured("tasks", "list", "--deadline", "2s", base_url=server.base_url, timeout=15)
        s.check("429 with Retry-After 25 under --deadline 2s: exit 8 at once (no 25 s wait)",
                r.rc == 8 and within(r.seconds, 3) and len(server.requests) == 1, r)

    def slowloris(conn, request):
        time.sleep(8)  # headers never come

    with HostileServer(slowloris) as server:
        r = run_measured("tasks", "list", "--deadline", "1500ms", base_url=server.base_url, timeout=15)
        s.check("a server that never answers, --deadline 1500ms: exit 10 in < 3 s, message names the deadline",
                r.rc == 10 and within(r.seconds, 3) and "deadline" in r.err, r)

    def flaky(conn, request):
        send_quietly(conn, json_response(503, {"error": {"code": "unavailable", "message": "later", "details": {}}},
                                         {"Retry-After": "1"}))
        return True

    with HostileServer(flaky) as server:
        r = run_measured("tasks", "list", "--deadline", "1600ms", "--retries", "5", base_url=server.base_url,
                         timeout=15)
        s.check("503 + Retry-After 1, --deadline 1600ms --retries 5: two attempts then exit 9 in < 2.5 s",
                r.rc == 9 and len(server.requests) == 2 and within(r.seconds, 2.5), r)

    def slow_pages(conn, request):
        # Every page takes 0.4 s and names a new cursor: only a deadline for the whole command ends --all.
        time.sleep(0.4)
        n = len(server.requests)
        send_quietly(conn, json_response(200, {"data": [], "page": {"nextCursor": "c%d" % n, "hasMore": True}}))
        return True

    with HostileServer(slow_pages) as server:
        r = run_measured("tasks", "list", "--all", "-o", "ndjson", "--deadline", "1500ms", base_url=server.base_url,
                         timeout=15)
        s.check("tasks list --all, endless slow pages, --deadline 1500ms: the whole command ends in < 3 s (exit 10)",
                r.rc == 10 and within(r.seconds, 3) and "deadline" in r.err and 2 <= len(server.requests) <= 5, r)

    r = run_measured("tasks", "list", "--deadline", "soon", base_url="http://127.0.0.1:9")
    s.check("--deadline with a bad duration: exit 2", r.rc == 2 and "--deadline" in r.err, r)


# ---- smaller: redirects, unmapped 4xx, dot segments ----------------------------------------------------
def test_smaller_redirects_unmapped_4xx_dot_segments():

    def redirect_handler(conn, request):
        send_quietly(conn, http_response(302, b"", {"Location": "https://elsewhere.example/tasks"}))
        return True

    with HostileServer(redirect_handler) as server:
        r = run_measured("tasks", "list", base_url=server.base_url)
        s.check("302: exit 11, 'redirected to https://elsewhere.example/tasks; not followed'",
                r.rc == 11 and "redirected to https://elsewhere.example/tasks; not followed" in r.err
                and len(server.requests) == 1, r)

    def uri_too_long(conn, request):
        send_quietly(conn, http_response(414, b"<html>URI Too Long</html>", {"Content-Type": "text/html"}))
        return True

    with HostileServer(uri_too_long) as server:
        r = run_measured("tasks", "list", base_url=server.base_url)
        s.check("414 (no mapping of its own): exit 7 (request refused), not 9 (server error)", r.rc == 7, r)

    def echo_path(conn, request):
        send_quietly(conn, json_response(200, {"data": {"path": request.path}}))
        return True

    with HostileServer(echo_path) as server:
        r = run_measured("api", "GET", "/tasks/../keys", base_url=server.base_url)
        seen = [q.path for q in server.requests]
        s.check("api GET /tasks/../keys is sent as written (not collapsed to /keys)",
                r.rc == 0 and seen == ["/tasks/../keys"], "%s\nseen=%s" % (r, seen))


# ---- 6. the mock's numeric flags -----------------------------------------------------------------------
def test_6_the_mocks_numeric_flags():
    for flags in (["--tasks", "-1"], ["--tasks", "99999999999"], ["--port", "70000"], ["--fail-status", "99"],
                  ["--latency-ms", "-5"], ["--max-streams", "-1"], ["--sse-cut-every", "-3"], ["--fail-next", "-1"],
                  ["--threads", "2"], ["--replay-buffer", "0"]):
        started = time.time()
        try:
            p = subprocess.run([s.mock_bin, "--port", "0", *flags], capture_output=True, text=True, timeout=10)
            rc, err = p.returncode, p.stderr
        except subprocess.TimeoutExpired:
            rc, err = None, "still running after 10 s"
        s.check("agentrail-mock %s: usage error, exit 2" % " ".join(flags), rc == 2 and err.strip() != "",
                "rc=%s stderr=%s" % (rc, err[:300]))


# ---- the mock: many open streams must not starve /health -----------------------------------------------
def test_the_mock_many_open_streams_must_not_starve_health():
    mock = s.mock()
    host, port = mock.base_url.split("//", 1)[1].split("/", 1)[0].split(":")
    streams = []
    try:
        for _ in range(80):
            c = socket.create_connection((host, int(port)), timeout=5)
            c.sendall(b"GET /task-events/stream HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ar_local_demo_key\r\n"
                      b"Accept: text/event-stream\r\n\r\n")
            streams.append(c)
        # Every stream got its response head: each one holds a worker now.
        heads = 0
        for c in streams:
            try:
                if c.recv(4096).startswith(b"HTTP/1.1 200"):
                    heads += 1
            except OSError:
                pass
        started = time.time()
        r = s.run("health", mock=mock, timeout=15)
        took = time.time() - started
        s.check("80 open SSE streams: /health still answers in < 1 s", heads == 80 and r.rc == 0 and within(took, 1.0),
                "heads=%d took=%.2f s %s" % (heads, took, r))
    finally:
        for c in streams:
            c.close()

    def raw_exchange(data, timeout=5):
        """Sends raw bytes to the mock; returns (first response line, seconds to the answer, closed after)."""
        c = socket.create_connection((host, int(port)), timeout=timeout)
        started = time.time()
        c.sendall(data)
        got = b""
        try:
            while b"\r\n\r\n" not in got:
                chunk = c.recv(65536)
                if not chunk:
                    break
                got += chunk
            took = time.time() - started
            head, _, rest = got.partition(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            while len(rest) < length:
                chunk = c.recv(65536)
                if not chunk:
                    break
                rest += chunk
            closed = c.recv(1) == b""
        except socket.timeout:
            took, closed = time.time() - started, False
        finally:
            c.close()
        return got.split(b"\r\n", 1)[0].decode("latin-1"), took, closed

    line, took, closed = raw_exchange(b"POST /tasks/tsk_1/start HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n{}")
    s.check("mock: malformed Content-Length answered 400 at once and the connection closed",
            line.startswith("HTTP/1.1 400") and within(took, 1) and closed, "line=%r took=%.2f closed=%s" % (line, took, closed))
    line, took, closed = raw_exchange(b"GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 100000 + b"\r\n\r\n")
    s.check("mock: a 100 KB header answered 431 at once and the connection closed",
            line.startswith("HTTP/1.1 431") and within(took, 1) and closed, "line=%r took=%.2f closed=%s" % (line, took, closed))
    line, took, closed = raw_exchange(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
    s.check("mock: still serving after the bad requests", line.startswith("HTTP/1.1 200"), line)
