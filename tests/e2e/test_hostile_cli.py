"""End-to-end tests of the CLI against hostile servers and bad local input (see hostile.py):

- error bodies built to crash a regex-based redaction (50-100 KB key-like strings);
- key, secret and state files that are devices, FIFOs or huge;
- terminal injection: every control character through every human view (tables, show, Next steps, error
  lines, events tail lines, webhook listen warnings), on a pipe and on a TTY;
- stdout that cannot be written (/dev/full, a closed pipe, fd 1 closed at start);
- two `events tail` on one --state-file;
- a webhook listener held by slow clients;
- smaller checks: the cursor in the exit-15 message, --count -1, -H with CR/LF or a second
  Authorization, a password in the base URL, warnings for --insecure and --allow-insecure-http.
"""

import glob
import hashlib
import hmac
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_support import interrupt, wait_until, within  # noqa: E402
from hostile import HostileServer, http_response, json_response  # noqa: E402

s = None  # bound by scenario() below
KEY = "ar_local_demo_key"

# Every C0 control, DEL, every C1 control (as UTF-8), and the attacks named in the report.
CONTROLS = "".join(chr(c) for c in range(0x20)) + "\x7f" + "".join(chr(c) for c in range(0x80, 0xA0))
ATTACK = "\x1b[2J\x1b]0;pwned\x07\x1b]52;c;cHduZWQ=\x07\rOVER\x08\x08" + CONTROLS
T1 = "tsk_01JZDEMO0000000000000001"


@pytest.fixture(scope="module", autouse=True)
def scenario(suite):
    """The Suite of this module (tests/e2e/conftest.py)."""
    global s
    s = suite


def run_bytes(args, env=None, timeout=20, stdout=subprocess.PIPE, preexec_fn=None):
    """Runs the CLI and returns (rc, stdout bytes, stderr bytes): output that may not be UTF-8."""
    p = subprocess.run([s.cli, *args], stdout=stdout, stderr=subprocess.PIPE, timeout=timeout,
                       env=s.env(None, KEY, env), stdin=subprocess.DEVNULL, preexec_fn=preexec_fn)
    return p.returncode, p.stdout or b"", p.stderr


def unsafe_bytes(data, allow_sgr=False):
    """Control bytes (other than newline) and raw C1 controls or invalid UTF-8 found in `data`."""
    if allow_sgr:
        data = re.sub(rb"\x1b\[[0-9;]*m", b"", data)  # our own colours on a TTY
    found = [b for b in data if (b < 0x20 and b != 0x0A) or b == 0x7F]
    text = data.decode("utf-8", errors="replace")
    found += [ord(c) for c in text if 0x80 <= ord(c) <= 0x9F or c == "\ufffd"]
    return found


def task_summary(**over):
    t = {"id": T1, "identifier": "DEMO-1", "title": "ok", "status": "todo", "priority": "high",
         "updatedAt": "2026-05-01T03:21:04Z", "availableActions": ["start"]}
    t.update(over)
    return t


def task_detail(**over):
    t = task_summary(description="d", acceptanceCriteria=["a"], links={"issue": "https://x/1"}, context={})
    t.update(over)
    return t


def sse_event(event_id, value):
    return ("id: %s\nevent: %s\ndata: %s\n\n" % (event_id, "task.updated", json.dumps(value))).encode()


# ---- 1. redaction of huge error bodies --------------------------------------------------------------
def test_1_redaction_of_huge_error_bodies():
    for name, message in [("ar_ + 50 KB", "ar_" + "a" * 50000), ('"secret": " + 100 KB', '"secret": "' + "x" * 100000),
                          ("Bearer + 40 KB", "Bearer " + "t" * 40000)]:
        def crash_handler(conn, request, message=message):
            conn.sendall(json_response(400, {"error": {"code": "validation_failed", "message": message,
                                                       "details": {}}}))
        with HostileServer(crash_handler) as server:
            rc, out, err = run_bytes(["tasks", "list", "--no-retry"], env={"AGENTRAIL_BASE_URL": server.base_url})
        s.check("redaction: error message with %s exits 7 with the secret masked, no crash (was SIGSEGV 139)" % name,
                rc == 7 and b"***" in err and b"a" * 100 not in err and b"x" * 100 not in err
                and b"t" * 100 not in err, "rc=%s err=%r" % (rc, err[:300]))


# ---- 5. key, secret and state files that never end, block or are huge -------------------------------
def test_5_key_secret_and_state_files_that_never_end_block():
    fifo = os.path.join(s.tmp, "key.fifo")
    os.mkfifo(fifo)
    big = os.path.join(s.tmp, "big.key")
    with open(big, "wb") as f:
        f.truncate(300 << 20)  # sparse: 300 MB of zeros without using the disk
    for label, path in [("/dev/zero", "/dev/zero"), ("a FIFO", fifo), ("a 300 MB file", big)]:
        started = time.time()
        try:
            rc, out, err = run_bytes(["--api-key-file", path, "tasks", "list"], timeout=10,
                                     env={"AGENTRAIL_BASE_URL": "http://127.0.0.1:9"})
        except subprocess.TimeoutExpired:
            rc, err = "timeout", b""
        s.check("--api-key-file %s is refused at once (exit 2, clear message)" % label,
                rc == 2 and (b"not a regular file" in err or b"larger than 4 KiB" in err) and within(time.time() - started, 5),
                "rc=%s err=%r" % (rc, err[:300]))
    secret_fifo = os.path.join(s.tmp, "secret.fifo")
    os.mkfifo(secret_fifo)
    try:
        rc, out, err = run_bytes(["webhook", "verify", "--secret-file", secret_fifo, "--signature", "sha256=" + "0" * 64,
                                  "--body-file", "/dev/null"], timeout=10)
    except subprocess.TimeoutExpired:
        rc, err = "timeout", b""
    s.check("webhook --secret-file FIFO is refused at once (exit 2)", rc == 2 and b"not a regular file" in err,
            "rc=%s err=%r" % (rc, err[:300]))
    try:
        rc, out, err = run_bytes(["events", "tail", "--state-file", "/dev/zero", "--count", "1"], timeout=10,
                                 env={"AGENTRAIL_BASE_URL": "http://127.0.0.1:9"})
    except subprocess.TimeoutExpired:
        rc, err = "timeout", b""
    s.check("events tail --state-file /dev/zero is refused at once (exit 2)", rc == 2 and b"not a regular file" in err,
            "rc=%s err=%r" % (rc, err[:300]))
    try:
        p = subprocess.run([s.cli, "--api-key-stdin", "tasks", "list"], stdin=open("/dev/zero", "rb"),
                           capture_output=True, timeout=10,
                           env=s.env(None, None, {"AGENTRAIL_BASE_URL": "http://127.0.0.1:9"}))
        rc, err = p.returncode, p.stderr
    except subprocess.TimeoutExpired:
        rc, err = "timeout", b""
    s.check("--api-key-stdin from /dev/zero stops after 4 KiB (exit 2)", rc == 2 and b"larger than 4 KiB" in err,
            "rc=%s err=%r" % (rc, err[:300]))

    config_home = os.path.join(s.tmp, "zero-config")
    os.makedirs(os.path.join(config_home, "agentrail"))
    os.symlink("/dev/zero", os.path.join(config_home, "agentrail", "config.toml"))
    try:
        p = subprocess.run([s.cli, "tasks", "list"], capture_output=True, timeout=10,
                           env=s.env(None, None, {"XDG_CONFIG_HOME": config_home}))
        rc, err = p.returncode, p.stderr
    except subprocess.TimeoutExpired:
        rc, err = "timeout", b""
    s.check("a config file that is /dev/zero is refused at once (exit 2)", rc == 2 and b"not a regular file" in err,
            "rc=%s err=%r" % (rc, err[:300]))


# ---- 7. terminal injection -----------------------------------------------------------------------------
def test_7_terminal_injection():
    events_sent = []

    def injection_handler(conn, request):
        path = request.path
        if path.startswith("/tasks/mine"):
            items = [task_summary(title=ATTACK, identifier="K" + ATTACK, availableActions=["start", "x" + ATTACK])]
            conn.sendall(json_response(200, {"data": items, "availableActions": ["fetch_next_page"],
                                             "page": {"nextCursor": "c" + ATTACK, "hasMore": True}}))
        elif path.startswith("/tasks/") and path.endswith("/ci-status"):
            conn.sendall(json_response(409, {"error": {"code": "conflict" + ATTACK, "message": "msg" + ATTACK,
                                                       "details": {"availableActions": ["a" + ATTACK]}}}))
        elif path.startswith("/tasks/tsk_BAD"):
            # Not JSON and not UTF-8: the raw bytes of a broken proxy page.
            conn.sendall(http_response(502, b"<html>\x9b2J\xff\xfe\x1b[2J" + ATTACK.encode() + b"</html>",
                                       {"Content-Type": "text/html"}))
        elif path.startswith("/tasks/"):
            conn.sendall(json_response(200, {"data": task_detail(title=ATTACK, identifier="K" + ATTACK,
                                                                 description="line1\nline2" + ATTACK,
                                                                 acceptanceCriteria=["c" + ATTACK],
                                                                 availableActions=["submit", "y" + ATTACK]),
                                             "availableActions": ["submit", "z" + ATTACK]}))
        elif path.startswith("/task-events/stream"):
            head = b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n"
            event = {"id": "evt_1", "type": "task.updated" + ATTACK, "occurredAt": "2026-05-01T03:21:04Z" + ATTACK,
                     "sequence": 1, "data": {"taskId": T1, "taskIdentifier": "DEMO" + ATTACK, "status": "s" + ATTACK,
                                             "summary": "sum" + ATTACK}}
            conn.sendall(head + sse_event("evt_1", event))
        else:
            conn.sendall(json_response(404, {"error": {"code": "not_found", "message": "no" + ATTACK, "details": {}}}))

    with HostileServer(injection_handler) as server:
        env = {"AGENTRAIL_BASE_URL": server.base_url}
        views = [
            ("tasks list (table, Next steps with cursor)", ["tasks", "list", "-o", "table"], 0),
            ("task show (view, description, acceptance, Next steps)", ["task", "show", T1, "-o", "table"], 0),
            ("error line (code, message, actions)", ["task", "ci", T1, "--no-retry"], 6),
            ("error line from a non-JSON, non-UTF-8 body", ["task", "show", "tsk_BAD", "--no-retry"], 9),
            ("events tail human line", ["events", "tail", "-o", "table", "--count", "1"], 0),
            ("--debug log lines", ["task", "show", T1, "-o", "table", "--debug"], 0),
        ]
        for label, args, code in views:
            rc, out, err = run_bytes(args, env=env)
            bad = unsafe_bytes(out) + unsafe_bytes(err)
            s.check("injection: %s prints no control character (piped)" % label,
                    rc == code and not bad and (b"\\x1b" in out + err or b"\\u00" in out + err),
                    "rc=%s bad=%r\nout=%r\nerr=%r" % (rc, bad[:10], out[:600], err[:600]))
        for label, args, code in views[:3] + views[4:5]:
            r = s.run_tty(*args, env=env)
            raw = r.out.encode("utf-8", errors="surrogateescape")
            bad = unsafe_bytes(raw, allow_sgr=True)
            s.check("injection: %s prints no control character (TTY, colours only)" % label,
                    r.rc == code and not bad and "\x1b]" not in r.out and "\x1b[2J" not in r.out,
                    "rc=%s bad=%r out=%r" % (r.rc, bad[:10], r.out[:600]))
        # JSON output keeps the exact data.
        rc, out, err = run_bytes(["tasks", "list", "--json"], env=env)
        s.check("injection: --json keeps the exact server text", rc == 0 and json.loads(out)[0]["title"] == ATTACK,
                "rc=%s out=%r" % (rc, out[:300]))

    # webhook listen: a warning about an unsigned delivery names the event id from a header.
    listen = subprocess.Popen([s.cli, "webhook", "listen", "--port", "0", "--secret-env", "WEBHOOK_SECRET",
                               "--timeout", "20s"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              env=s.env(None, KEY, {"WEBHOOK_SECRET": "whsec_hostile_test_0123456789"}))
    ready = listen.stderr.readline().decode()
    m = re.search(r"http://127\.0\.0\.1:(\d+)/", ready)
    port = int(m.group(1)) if m else 0
    if port:
        c = socket.create_connection(("127.0.0.1", port), timeout=5)
        body = b"{}"
        c.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nX-AgentRail-Event-Id: evt\x1b]0;pwned\x07\x1b[2J\x9b\r\n"
                  b"Content-Length: 2\r\n\r\n" + body)
        answer = c.recv(4096)
        c.close()
        time.sleep(0.3)
    _, listen_err = interrupt(listen)
    warning = [l for l in listen_err.split(b"\n") if b"rejected" in l]
    s.check("injection: webhook listen warning shows the event id escaped",
            port and warning and not unsafe_bytes(warning[0]) and b"\\x1b]0;pwned" in warning[0],
            "ready=%r err=%r" % (ready, listen_err[:500]))


# ---- 8. stdout that cannot be written -------------------------------------------------------------------
def test_8_stdout_that_cannot_be_written():
    def list_handler(conn, request):
        if request.path.startswith("/task-events/stream"):
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n: hello\n\n")
            time.sleep(30)
            return
        conn.sendall(json_response(200, {"data": [task_summary()], "availableActions": [],
                                         "page": {"nextCursor": None, "hasMore": False}}))

    with HostileServer(list_handler) as server:
        env = {"AGENTRAIL_BASE_URL": server.base_url}
        with open("/dev/full", "wb") as full:
            rc, out, err = run_bytes(["tasks", "list"], env=env, stdout=full)
        s.check("stdout: tasks list > /dev/full exits 1 with 'cannot write output: No space left on device' (was 0)",
                rc == 1 and b"cannot write output: No space left on device" in err, "rc=%s err=%r" % (rc, err))
        with open("/dev/full", "wb") as full:
            rc, out, err = run_bytes(["tasks", "list", "--json"], env=env, stdout=full)
        s.check("stdout: tasks list --json > /dev/full exits 1", rc == 1 and b"cannot write output" in err,
                "rc=%s err=%r" % (rc, err))
        with open("/dev/full", "wb") as full:
            rc, out, err = run_bytes(["--help"], env=env, stdout=full)
        s.check("stdout: --help > /dev/full exits 1", rc == 1 and b"cannot write output" in err, "rc=%s err=%r" % (rc, err))
        read_end, write_end = os.pipe()
        os.close(read_end)
        rc, out, err = run_bytes(["tasks", "list"], env=env, stdout=write_end)
        os.close(write_end)
        s.check("stdout: a closed pipe still ends quietly by SIGPIPE (141)", rc == -signal.SIGPIPE and err == b"",
                "rc=%s err=%r" % (rc, err))
        rc, out, err = run_bytes(["tasks", "list"], env=env, stdout=None, preexec_fn=lambda: os.close(1))
        s.check("stdout: fd 1 closed at start: tasks list exits 0", rc == 0, "rc=%s err=%r" % (rc, err))
        # A stream keeps the process alive: its fd 1 must be /dev/null, not curl's socketpair.
        p = subprocess.Popen([s.cli, "events", "tail", "-o", "ndjson", "--timeout", "10s"], stderr=subprocess.DEVNULL,
                             env=s.env(None, KEY, env), preexec_fn=lambda: os.close(1))
        fd1 = ""
        wait_until(lambda: server.connections >= 1, timeout=5, what="the tail to connect")
        time.sleep(0.2)
        try:
            fd1 = os.readlink("/proc/%d/fd/1" % p.pid)
        except OSError as e:
            fd1 = str(e)
        p.terminate()
        p.wait(timeout=5)
        s.check("stdout: fd 1 closed at start is /dev/null while the stream runs (not a socket)", fd1 == "/dev/null",
                fd1)


# ---- 10. one events tail per state file ---------------------------------------------------------------
def test_10_one_events_tail_per_state_file():
    def stream_handler(conn, request):
        head = b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n"
        conn.sendall(head + sse_event("evt_1", {"id": "evt_1", "type": "task.updated", "occurredAt": "2026-05-01T03:21:04Z",
                                                "sequence": 1, "data": {"taskId": T1}}))
        time.sleep(30)

    with HostileServer(stream_handler) as server:
        env = {"AGENTRAIL_BASE_URL": server.base_url}
        state_dir = os.path.join(s.tmp, "state")
        os.makedirs(state_dir)
        state = os.path.join(state_dir, "tail.state")
        first = subprocess.Popen([s.cli, "events", "tail", "--state-file", state, "--timeout", "10s"],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=s.env(None, KEY, env))
        saved = wait_until(lambda: os.path.exists(state) and open(state).read().strip() == "evt_1", timeout=5,
                           what="the first tail to save its cursor")
        rc, out, err = run_bytes(["events", "tail", "--state-file", state, "--timeout", "3s"], env=env, timeout=15)
        s.check("state file: a second tail on the same file exits 6 'already in use by PID N'",
                saved and rc == 6 and ("already in use by PID %d" % first.pid).encode() in err,
                "saved=%s rc=%s err=%r" % (saved, rc, err))
        first.send_signal(signal.SIGINT)
        first.communicate(timeout=5)
        leftovers = [f for f in os.listdir(state_dir) if ".tmp" in f]
        s.check("state file: no temporary file is left behind", not leftovers and open(state).read() == "evt_1\n",
                leftovers)
        # Three at once (the original race): exactly one runs, the others are told why; none fails with ENOENT.
        procs = [subprocess.Popen([s.cli, "events", "tail", "--state-file", state, "--timeout", "2s"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=s.env(None, KEY, env))
                 for _ in range(3)]
        results = [(p.wait(timeout=15), p.stderr.read()) for p in procs]
        codes = sorted(rc for rc, _ in results)
        s.check("state file: three tails at once: one runs (0), two exit 6; no ENOENT",
                codes == [0, 6, 6] and not any(b"No such file" in e for _, e in results),
                results)


# ---- 11. webhook listen with slow clients ---------------------------------------------------------------
def test_11_webhook_listen_with_slow_clients():
    SECRET = "whsec_hostile_test_0123456789"
    listen = subprocess.Popen([s.cli, "webhook", "listen", "--port", "0", "--secret-env", "WEBHOOK_SECRET",
                               "--count", "1", "--timeout", "30s", "-o", "ndjson"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, env=s.env(None, KEY, {"WEBHOOK_SECRET": SECRET}))
    ready = listen.stderr.readline().decode()
    m = re.search(r"http://127\.0\.0\.1:(\d+)/", ready)
    port = int(m.group(1)) if m else 0
    elapsed = None
    answer = b""
    if port:
        slow = []
        for _ in range(3):
            c = socket.create_connection(("127.0.0.1", port), timeout=5)
            c.sendall(b"POST / HTTP/1.1\r\nHost: x\r\n")  # and then nothing: a slowloris
            slow.append(c)
        time.sleep(0.2)
        body = json.dumps({"id": "evt_slow_1", "type": "task.updated", "occurredAt": "2026-05-01T03:21:04Z",
                           "sequence": 1, "data": {"taskId": T1}}).encode()
        sig = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        started = time.time()
        try:
            c = socket.create_connection(("127.0.0.1", port), timeout=30)
            c.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-AgentRail-Signature: " +
                      sig.encode() + b"\r\nX-AgentRail-Event-Id: evt_slow_1\r\nContent-Length: %d\r\n\r\n" % len(body) +
                      body)
            answer = c.recv(4096)
            elapsed = time.time() - started
            c.close()
        except OSError as e:
            answer = str(e).encode()
        for c in slow:
            c.close()
    try:
        out, err = listen.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        listen.kill()
        out, err = listen.communicate()
    s.check("webhook listen: a signed delivery behind 3 slowloris sockets is answered in < 1 s (was ~30 s)",
            elapsed is not None and within(elapsed, 1.0) and answer.startswith(b"HTTP/1.1 200") and b"evt_slow_1" in out,
            "elapsed=%s ready=%r out=%r err=%r" % (elapsed, ready, out[:200], err[:300]))


# ---- smaller -----------------------------------------------------------------------------------------------
def test_smaller():
    connections = {"n": 0}

    def expiring_stream(conn, request):
        connections["n"] += 1
        if connections["n"] == 1:
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\nretry: 10\n\n" +
                         sse_event("evt_42", {"id": "evt_42", "type": "task.updated", "occurredAt": "2026-05-01T03:21:04Z",
                                              "sequence": 42, "data": {"taskId": T1}}))
            return
        conn.sendall(json_response(410, {"error": {"code": "cursor_expired", "message": "gone", "details": {}}}))

    with HostileServer(expiring_stream) as server:
        rc, out, err = run_bytes(["events", "tail", "-o", "ndjson", "--timeout", "10s"],
                                 env={"AGENTRAIL_BASE_URL": server.base_url})
    s.check("exit 15: the message names the cursor that expired", rc == 15 and b"evt_42" in err, "rc=%s err=%r" % (rc, err))

    rc, out, err = run_bytes(["events", "tail", "--count", "-1"])
    s.check("--count -1: a sane usage message (exit 2, no DBL_MAX)",
            rc == 2 and b"at least 1" in err and b"e+308" not in err, "rc=%s err=%r" % (rc, err))

    seen_headers = []

    def echo_handler(conn, request):
        seen_headers.append(request.head)
        conn.sendall(json_response(200, {"data": {"ok": True}}))

    with HostileServer(echo_handler) as server:
        env = {"AGENTRAIL_BASE_URL": server.base_url}
        rc, out, err = run_bytes(["api", "GET", "/health", "-H", "X-A: b\r\nX-Injected: 1"], env=env)
        s.check("api -H with CR/LF is refused (exit 2), nothing sent", rc == 2 and not seen_headers, "rc=%s err=%r" % (rc, err))
        rc, out, err = run_bytes(["api", "GET", "/health", "-H", "Authorization: Bearer ar_other_key_0000"], env=env)
        s.check("api -H Authorization next to the API key is refused (exit 2), nothing sent",
                rc == 2 and not seen_headers and b"Authorization" in err, "rc=%s err=%r" % (rc, err))
        rc, out, err = run_bytes(["api", "GET", "/health", "-H", "X-Fine: yes"], env=env)
        s.check("api -H with an ordinary header still works", rc == 0 and b"x-fine: yes" in b"".join(seen_headers).lower(),
                "rc=%s err=%r" % (rc, err))

        password_url = server.base_url.replace("http://", "http://alice:s3cretPW@")
        rc, out, err = run_bytes(["--debug", "api", "GET", "/health"], env={"AGENTRAIL_BASE_URL": password_url})
        s.check("base URL password is redacted in --debug output", rc == 0 and b"s3cretPW" not in err and b"alice:***@" in err,
                "rc=%s err=%r" % (rc, err[:800]))
        rc, out, err = run_bytes(["config", "explain"], env={"AGENTRAIL_BASE_URL": password_url})
        rc2, out2, err2 = run_bytes(["config", "explain", "--json"], env={"AGENTRAIL_BASE_URL": password_url})
        s.check("base URL password is redacted in config explain (table and JSON)",
                rc == 0 and rc2 == 0 and b"s3cretPW" not in out + out2 and b"alice:***@" in out,
                "out=%r out2=%r" % (out, out2))

        https_url = server.base_url.replace("http://", "https://")
        rc, out, err = run_bytes(["--insecure", "--no-retry", "--timeout", "1s", "api", "GET", "/health"],
                                 env={"AGENTRAIL_BASE_URL": https_url})
        s.check("--insecure prints a one-line warning on stderr", b"TLS certificate verification is off" in err and
                err.count(b"TLS certificate verification is off") == 1, "rc=%s err=%r" % (rc, err))
        rc, out, err = run_bytes(["--allow-insecure-http", "--no-retry", "--timeout", "1s", "api", "GET", "/health"],
                                 env={"AGENTRAIL_BASE_URL": "http://agentrail.invalid:9"})
        s.check("--allow-insecure-http prints a one-line warning on stderr when the key goes in clear text",
                err.count(b"the API key is sent in clear text") == 1, "rc=%s err=%r" % (rc, err))
