"""A scriptable hostile HTTP server for end-to-end tests: sends what a broken or malicious server would.

It runs in a thread of the test process, on 127.0.0.1, and hands each accepted connection's first request
to a handler that writes raw bytes, so a test can send anything: endless chunked bodies, gzip bombs,
cycling cursors, control characters, malformed headers, stalls.

    from hostile import HostileServer, http_response
    def handler(conn, request):            # request: the raw request head (bytes) and path (str)
        conn.sendall(http_response(200, b'{"data": []}'))
    with HostileServer(handler) as server:
        r = s.run("tasks", "list", env={"AGENTRAIL_BASE_URL": server.base_url})

A handler returns True to keep the connection for the next request (keep-alive), anything else closes it.
Connections are served concurrently; `stop()` (or leaving the `with`) closes the listener and every
connection, so a handler blocked on a send fails fast instead of hanging the test.
"""

import json
import socket
import threading


class Request:
    def __init__(self, head, body):
        self.head = head
        self.body = body
        first = head.split(b"\r\n", 1)[0].decode("latin-1")
        parts = first.split(" ")
        self.method = parts[0] if parts else ""
        self.path = parts[1] if len(parts) > 1 else ""
        self.headers = {}
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.decode("latin-1").partition(":")
            if name:
                self.headers[name.strip().lower()] = value.strip()


def http_response(status, body=b"", headers=None, reason="X"):
    """A complete HTTP/1.1 response with Content-Length (unless headers already frame the body)."""
    if isinstance(body, str):
        body = body.encode()
    headers = dict(headers or {})
    headers.setdefault("Content-Type", "application/json")
    if "Transfer-Encoding" not in headers:
        headers.setdefault("Content-Length", str(len(body)))
    head = "HTTP/1.1 %d %s\r\n" % (status, reason)
    head += "".join("%s: %s\r\n" % (k, v) for k, v in headers.items())
    return head.encode("latin-1") + b"\r\n" + body


def json_response(status, value, headers=None):
    return http_response(status, json.dumps(value).encode(), headers)


def read_request(conn, limit=1 << 20):
    """Reads one request (head and Content-Length body); None when the peer closed first."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        data += chunk
        if len(data) > limit:
            return None
    head, _, rest = data.partition(b"\r\n\r\n")
    request = Request(head, b"")
    length = int(request.headers.get("content-length", "0") or 0)
    while len(rest) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        rest += chunk
    request.body = rest[:length]
    return request


class HostileServer:
    def __init__(self, handler):
        self.handler = handler
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.base_url = "http://127.0.0.1:%d" % self.port
        self.requests = []  # every Request seen, in order
        self.connections = 0
        self._conns = []
        self._lock = threading.Lock()
        self._stopped = False
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self):
        while not self._stopped:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with self._lock:
                self.connections += 1
                self._conns.append(conn)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn):
        try:
            while not self._stopped:
                request = read_request(conn)
                if request is None:
                    break
                with self._lock:
                    self.requests.append(request)
                if self.handler(conn, request) is not True:
                    break
        except OSError:
            pass
        finally:
            try:
                conn.close()
            except OSError:
                pass

    def stop(self):
        self._stopped = True
        try:
            self.sock.close()
        except OSError:
            pass
        with self._lock:
            for conn in self._conns:
                try:
                    conn.shutdown(socket.SHUT_RDWR)
                    conn.close()
                except OSError:
                    pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
