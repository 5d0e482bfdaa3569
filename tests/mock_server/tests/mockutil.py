"""Helpers for the agentrail-mock integration tests (run by pytest, tests/conftest.py gives them the binary as
`binary`): start the binary on 127.0.0.1:0, talk HTTP."""

import http.client
import json
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse

from timing import wait_until, within  # noqa: F401 - used by the tests through `from mockutil import *`

DEMO_KEY = "ar_local_demo_key"
ADMIN_KEY = "ar_local_admin_key"
READONLY_KEY = "ar_local_readonly_key"
RATELIMITED_KEY = "ar_local_ratelimited_key"
OTHER_KEY = "ar_local_other_key"

TODO_TASK = "tsk_01JZDEMO0000000000000001"
TODO_TASK_2 = "tsk_01JZDEMO0000000000000002"
IN_PROGRESS_TASK = "tsk_01JZDEMO0000000000000003"
SHIPPABLE_TASK = "tsk_01JZDEMO0000000000000004"
FAILED_TASK = "tsk_01JZDEMO0000000000000005"
BLOCKED_TASK = "tsk_01JZDEMO0000000000000006"
DONE_TASK = "tsk_01JZDEMO0000000000000007"
OTHER_TASK = "tsk_01JZOTHER000000000000001"


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = {k.lower(): v for k, v in headers}
        self.body = body

    def json(self):
        return json.loads(self.body)

    def __repr__(self):
        return f"<Response {self.status} {self.body[:300]!r}>"


class Mock:
    """A running agentrail-mock process."""

    def __init__(self, binary, *args, ready_timeout=10):
        self.binary = binary
        self.args = ["--port", "0", *args]
        self.proc = subprocess.Popen([binary, *self.args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True)
        deadline = time.time() + ready_timeout
        line = ""
        while time.time() < deadline:
            r, _, _ = select.select([self.proc.stdout], [], [], 0.2)
            if r:
                line = self.proc.stdout.readline()
                break
            if self.proc.poll() is not None:
                break
        if not line:
            err = self.proc.stderr.read() if self.proc.poll() is not None else ""
            self.stop()
            raise RuntimeError(f"mock did not become ready: {err}")
        self.ready_line = line.strip()
        self.ready = json.loads(self.ready_line)
        self.base_url = self.ready["baseUrl"]
        u = urllib.parse.urlsplit(self.base_url)
        self.host, self.port, self.prefix = u.hostname, u.port, u.path.rstrip("/")
        self._conn = None

    # -- HTTP --
    def conn(self):
        if self._conn is None:
            self._conn = http.client.HTTPConnection(self.host, self.port, timeout=15)
        return self._conn

    def request(self, method, path, body=None, key=None, headers=None, idem=None, raw=None, prefix=True):
        hdrs = {}
        if key:
            hdrs["Authorization"] = f"Bearer {key}"
        if idem:
            hdrs["Idempotency-Key"] = idem
        if headers:
            hdrs.update(headers)
        data = raw
        if body is not None:
            data = json.dumps(body)
        if data is not None:
            hdrs["Content-Type"] = "application/json"
        elif method in ("POST", "PUT", "PATCH"):
            data = ""
        full = (self.prefix + path) if prefix else path
        for attempt in range(2):
            c = self.conn()
            try:
                c.request(method, full, body=data, headers=hdrs)
                r = c.getresponse()
                payload = r.read().decode()
                if r.getheader("connection", "").lower() == "close":
                    self.close()
                return Response(r.status, r.getheaders(), payload)
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError,
                    http.client.CannotSendRequest):
                self.close()
                if attempt == 1:
                    raise
        raise AssertionError("unreachable")

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body=body, **kw)

    def control(self, method, path, body=None):
        r = self.request(method, path, body=body)
        assert 200 <= r.status < 300, r
        return r.json()

    def close(self):
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def stop(self, sig=signal.SIGTERM, timeout=10):
        self.close()
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        for f in (self.proc.stdout, self.proc.stderr):
            if f:
                f.close()
        return self.proc.returncode

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


class SSEStream:
    """A raw SSE connection; reads frames with a timeout."""

    def __init__(self, mock, query="", key=DEMO_KEY, headers=None, timeout=10):
        self.sock = socket.create_connection((mock.host, mock.port), timeout=timeout)
        path = mock.prefix + "/task-events/stream" + (("?" + query) if query else "")
        lines = [f"GET {path} HTTP/1.1", f"Host: {mock.host}:{mock.port}", f"Authorization: Bearer {key}",
                 "Accept: text/event-stream"]
        for k, v in (headers or {}).items():
            lines.append(f"{k}: {v}")
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        self.buf = b""
        self.closed = False
        head = self._read_until(b"\r\n\r\n", timeout)
        status_line, *header_lines = head.decode().split("\r\n")
        self.status = int(status_line.split()[1])
        self.headers = {}
        for h in header_lines:
            k, _, v = h.partition(":")
            self.headers[k.strip().lower()] = v.strip()
        self.chunked = self.headers.get("transfer-encoding", "").lower() == "chunked"
        self.text = ""  # de-chunked body text not yet consumed
        self.raw_body = b""
        self._dechunk()  # body bytes that arrived with the head

    def _recv(self, timeout):
        self.sock.settimeout(timeout)
        try:
            data = self.sock.recv(1 << 20)
        except socket.timeout:
            return None
        if not data:
            self.closed = True
        return data

    def _read_until(self, marker, timeout):
        deadline = time.time() + timeout
        while marker not in self.buf:
            left = deadline - time.time()
            if left <= 0:
                raise TimeoutError("no response head")
            data = self._recv(left)
            if data is None:
                continue
            if not data:
                raise ConnectionError("closed before response head")
            self.buf += data
        head, _, rest = self.buf.partition(marker)
        self.buf = rest
        return head

    def _dechunk(self):
        out = b""
        while True:
            if not self.chunked:
                out, self.buf = self.buf, b""
                break
            nl = self.buf.find(b"\r\n")
            if nl < 0:
                break
            size = int(self.buf[:nl].split(b";")[0], 16)
            if len(self.buf) < nl + 2 + size + 2:
                break
            out += self.buf[nl + 2:nl + 2 + size]
            self.buf = self.buf[nl + 2 + size + 2:]
            if size == 0:
                self.closed = True
                break
        self.raw_body += out
        self.text += out.decode()

    def read_more(self, timeout):
        """Reads whatever arrives within timeout; returns False when the connection is closed."""
        data = self._recv(timeout)
        if data:
            self.buf += data
            self._dechunk()
        return not self.closed

    def next_block(self, timeout=5):
        """Next blank-line-terminated block of lines (an event, a comment, or the retry line)."""
        deadline = time.time() + timeout
        while "\n\n" not in self.text:
            left = deadline - time.time()
            if left <= 0 or self.closed:
                return None
            self.read_more(min(left, 0.5))
        block, _, self.text = self.text.partition("\n\n")
        return block

    def events(self, count, timeout=5):
        """Reads `count` events, skipping comments and the retry line."""
        out = []
        deadline = time.time() + timeout
        while len(out) < count:
            left = deadline - time.time()
            if left <= 0:
                break
            block = self.next_block(left)
            if block is None:
                break
            ev = parse_block(block)
            if ev.get("data") is not None:
                out.append(ev)
        return out

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


def parse_block(block):
    ev = {"comments": [], "data": None}
    data_lines = []
    for line in block.split("\n"):
        if line.startswith(":"):
            ev["comments"].append(line[1:].strip())
        elif ":" in line:
            field, _, value = line.partition(":")
            if value.startswith(" "):
                value = value[1:]
            if field == "data":
                data_lines.append(value)
            else:
                ev[field] = value
    if data_lines:
        ev["data"] = "\n".join(data_lines)
        ev["json"] = json.loads(ev["data"])
    return ev


class Receiver:
    """A webhook receiver on 127.0.0.1:0 answering with scripted statuses."""

    def __init__(self, statuses=None, default_status=200):
        import http.server

        self.requests = []
        self.statuses = list(statuses or [])
        self.default_status = default_status
        self.lock = threading.Lock()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                with outer.lock:
                    outer.requests.append({"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()},
                                           "body": body})
                    status = outer.statuses.pop(0) if outer.statuses else outer.default_status
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def count(self):
        with self.lock:
            return len(self.requests)

    def close(self):
        self.server.shutdown()
        self.server.server_close()
