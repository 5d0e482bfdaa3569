#!/usr/bin/env python3
"""End-to-end tests of `agentrail webhook verify|sign|listen`: verification of bodies signed by
`openssl dgst -sha256 -hmac` (accept 0, reject 12), --headers-file, --print, secrets never on argv, and a
listener receiving a real signed delivery from agentrail-mock (subscription created with the CLI), with
401 on a bad signature, de-duplication by event id and forwarding."""

import http.server
import json
import os
import re
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request

import pytest

from e2e_support import ADMIN_KEY, wait_until, within

s = mock = None  # bound by scenario() below
secret_file, event, body, body_file, big_file, sig, big_sig = (None,) * 7  # the signed bodies the tests share
SECRET = "whsec_e2e_test_secret_0123456789"
T1 = "tsk_01JZDEMO0000000000000001"


@pytest.fixture(scope="module", autouse=True)
def scenario(suite):
    """The Suite of this module (tests/e2e/conftest.py), the mock, and signed bodies the tests share."""
    global s, mock, secret_file, event, body, body_file, big_file, sig, big_sig
    s = suite
    mock = s.mock("--delivery-backoff-scale", "0.001")
    secret_file = write("secret", SECRET + "\n", "w")
    event = {"id": "evt_01E2EWEBHOOK000000000001", "type": "task.updated", "occurredAt": "2026-05-01T03:21:04Z",
             "sequence": 1, "data": {"taskId": T1, "taskIdentifier": "DEMO-1", "status": "todo", "summary": "hello"}}
    body = json.dumps(event, separators=(",", ":")).encode()
    body_file = write("body.json", body)
    big_file = write("big.bin", os.urandom(3 * 1024 * 1024 + 17))  # several 64 KiB chunks, odd tail
    sig = openssl_signature(body_file)
    big_sig = openssl_signature(big_file)


def path(name):
    return os.path.join(s.tmp, name)


def write(name, data, mode="wb"):
    with open(path(name), mode) as f:
        f.write(data)
    return path(name)


def openssl_signature(body_file, secret=SECRET):
    out = subprocess.run(["openssl", "dgst", "-sha256", "-hmac", secret, body_file], capture_output=True,
                         text=True, check=True).stdout
    return "sha256=" + out.strip().split()[-1]


def run(*args, **kw):
    kw.setdefault("mock", mock)
    env = dict(kw.pop("env", None) or {})
    env.setdefault("WEBHOOK_SECRET", SECRET)
    return s.run(*args, env=env, **kw)


# ---- verify ---------------------------------------------------------------------------------------------
def test_verify():
    r = run("webhook", "verify", "--secret-env", "WEBHOOK_SECRET", "--signature", sig, "--body-file", body_file)
    s.check("verify: openssl-signed body is valid (exit 0)", r.rc == 0, r)
    r = run("webhook", "verify", "--secret-file", secret_file, "--signature", big_sig, "--body-file", big_file)
    s.check("verify: 3 MiB binary body streamed in chunks (exit 0)", r.rc == 0, r)
    r = run("webhook", "verify", "--secret-file", secret_file, "--signature", sig.upper().replace("SHA256=", "sha256="),
            "--body-file", body_file)
    s.check("verify: upper-case hex accepted", r.rc == 0, r)
    r = run("webhook", "verify", "--secret-file", secret_file, "--signature", sig, "--body-file", "-", stdin=body.decode())
    s.check("verify: body on stdin", r.rc == 0, r)
    tampered = write("tampered.json", body.replace(b"hello", b"hellO"))
    r = run("webhook", "verify", "--secret-file", secret_file, "--signature", sig, "--body-file", tampered)
    s.check("verify: a changed body is rejected (exit 12, message on stderr)",
            r.rc == 12 and r.out == "" and "signature" in r.err, r)
    r = run("webhook", "verify", "--secret-env", "WEBHOOK_SECRET", "--signature", sig, "--body-file", body_file,
            env={"WEBHOOK_SECRET": "whsec_some_other_secret_000000"})
    s.check("verify: another secret is rejected (exit 12)", r.rc == 12, r)
    r = run("webhook", "verify", "--secret-file", secret_file, "--signature", "sha1=abc", "--body-file", body_file)
    s.check("verify: a malformed signature is rejected (exit 12)", r.rc == 12, r)

    headers = write("headers.txt", "POST /hooks HTTP/1.1\r\nHost: example\r\nx-agentrail-event-id: %s\r\n"
                    "X-AgentRail-Signature: %s\r\nContent-Type: application/json\r\n\r\n" % (event["id"], sig), "w")
    r = run("webhook", "verify", "--secret-file", secret_file, "--headers-file", headers, "--body-file", body_file, "--print")
    s.check("verify --headers-file --print: prints the verified body verbatim",
            r.rc == 0 and r.out.rstrip("\n").encode() == body, r)
    r = run("webhook", "verify", "--secret-file", secret_file, "--headers-file", headers, "--body-file", tampered, "--print")
    s.check("verify --print prints nothing for an invalid body", r.rc == 12 and r.out == "", r)
    r = run("webhook", "verify", "--secret-file", secret_file, "--headers-file", headers, "--body-file", body_file,
            "--jq", ".data.taskId", "--print")
    s.check("verify --print --jq", r.rc == 0 and r.out.strip() == T1, r)
    nohdr = write("nohdr.txt", "Content-Type: application/json\n", "w")
    r = run("webhook", "verify", "--secret-file", secret_file, "--headers-file", nohdr, "--body-file", body_file)
    s.check("verify: headers file without the signature is a usage error (2)", r.rc == 2, r)
    r = run("webhook", "verify", "--secret", SECRET, "--signature", sig, "--body-file", body_file)
    s.check("verify: the secret itself is never accepted on argv (exit 2)", r.rc == 2, r)
    r = run("webhook", "verify", "--signature", sig, "--body-file", body_file)
    s.check("verify: a secret source is required (exit 2)", r.rc == 2, r)
    r = run("webhook", "verify", "--secret-env", "NO_SUCH_VARIABLE_X", "--signature", sig, "--body-file", body_file)
    s.check("verify: unset --secret-env variable is a usage error (2)", r.rc == 2, r)


# ---- sign -------------------------------------------------------------------------------------------------
def test_sign():
    r = run("webhook", "sign", "--secret-file", secret_file, "--body-file", big_file)
    s.check("sign: equals openssl's HMAC", r.rc == 0 and r.out.strip() == big_sig, r)
    r = run("webhook", "sign", "--secret-env", "WEBHOOK_SECRET", "--body-file", body_file, "--headers",
            "--subscription-id", "evsub_E2E")
    hdrs = dict(line.split(": ", 1) for line in r.lines())
    s.check("sign --headers: the whole X-AgentRail-* set, ids from the body",
            r.rc == 0 and hdrs.get("X-AgentRail-Signature") == sig and hdrs.get("X-AgentRail-Event-Id") == event["id"]
            and hdrs.get("X-AgentRail-Event-Type") == "task.updated" and hdrs.get("X-AgentRail-Subscription-Id") == "evsub_E2E"
            and hdrs.get("X-AgentRail-Delivery-Attempt") == "1" and hdrs.get("X-AgentRail-Delivery-Id", "").startswith("dlv_"), r)


# ---- listen ---------------------------------------------------------------------------------------------
def test_listen():
    class Listener:
        def __init__(self, *args):
            self.proc = subprocess.Popen([s.cli, "webhook", "listen", "--port", "0", "--secret-env", "WEBHOOK_SECRET",
                                          *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                         env=s.env(mock, extra={"WEBHOOK_SECRET": SECRET}))
            line = self.proc.stderr.readline()
            m = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
            self.url = m.group(1) if m else None
            self.ready_line = line

        def post(self, data, headers):
            req = urllib.request.Request(self.url, data=data, method="POST", headers=headers)
            try:
                with urllib.request.urlopen(req, timeout=10) as r:
                    return r.status, r.read()
            except urllib.error.HTTPError as e:
                return e.code, e.read()

        def finish(self, timeout=30):
            try:
                out, err = self.proc.communicate(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                out, err = self.proc.communicate()
            return self.proc.returncode, out, err

    def signed_headers(data, event_id, secret=SECRET):
        f = write("tmp-body", data)
        return {"Content-Type": "application/json", "X-AgentRail-Event-Id": event_id,
                "X-AgentRail-Event-Type": "task.updated", "X-AgentRail-Delivery-Id": "dlv_1",
                "X-AgentRail-Delivery-Attempt": "1", "X-AgentRail-Signature": openssl_signature(f, secret)}

    # Local posts: 401 on a bad signature, duplicates acknowledged once, --count ends it.
    lst = Listener("--count", "2", "-o", "ndjson")
    s.check("listen --port 0 prints a ready line with the URL on stderr", lst.url is not None, lst.ready_line)
    ev_a = dict(event, id="evt_01E2EA")
    ev_b = dict(event, id="evt_01E2EB")
    a = json.dumps(ev_a).encode()
    b = json.dumps(ev_b).encode()
    st1 = lst.post(a, signed_headers(a, ev_a["id"]))
    st2 = lst.post(a, signed_headers(a, ev_a["id"]))
    st3 = lst.post(b, signed_headers(b, ev_b["id"], secret="whsec_wrong_secret_0000000000"))
    st4 = lst.post(b, dict(signed_headers(b, ev_b["id"]), **{"X-AgentRail-Signature": ""}))
    st5 = lst.post(b, signed_headers(b, ev_b["id"]))
    rc, out, err = lst.finish()
    lines = [l for l in out.splitlines() if l.strip()]
    s.check("listen answers 200, 200 (duplicate), 401, 401, 200",
            [st1[0], st2[0], st3[0], st4[0], st5[0]] == [200, 200, 401, 401, 200], [st1, st2, st3, st4, st5])
    s.check("listen prints each verified event once, verbatim, and stops after --count (exit 0)",
            rc == 0 and lines == [a.decode(), b.decode()], "rc=%s out=%s err=%s" % (rc, out, err))
    s.check("listen reports rejected deliveries on stderr", "rejected" in err, err)

    # A chunk size that would wrap the body-size check around (2^64 - 2 after a 16-byte chunk) is refused;
    # it used to pass the check and hand the bytes after it to the handler as the body.
    lst = Listener("--count", "1")
    raw = (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
           b"10\r\n" + b"{" * 16 + b"\r\nfffffffffffffffe\r\n0\r\n\r\n" + b"x" * 100)
    answer = b""
    with socket.create_connection(("127.0.0.1", int(lst.url.rstrip("/").rsplit(":", 1)[1])), timeout=10) as conn:
        conn.sendall(raw)
        conn.shutdown(socket.SHUT_WR)
        while True:
            chunk = conn.recv(65536)
            if not chunk:
                break
            answer += chunk
    st = lst.post(a, signed_headers(a, ev_a["id"]))
    rc, out, err = lst.finish()
    s.check("listen answers 413 to a chunk size that overflows the body limit",
            answer.startswith(b"HTTP/1.1 413") and st[0] == 200 and rc == 0, (answer, st, rc, err))

    # A real delivery from the mock: subscription created with the CLI, event triggered, forwarded on.
    forwarded = []

    class Sink(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            data = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            forwarded.append((dict(self.headers.items()), data))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    sink = http.server.HTTPServer(("127.0.0.1", 0), Sink)
    threading.Thread(target=sink.serve_forever, daemon=True).start()
    sink_url = "http://127.0.0.1:%d/hook" % sink.server_address[1]

    lst = Listener("--count", "1", "--timeout", "60s", "--forward-to", sink_url)
    r = run("subscriptions", "create", "--url", lst.url, "--event-type", "task.updated", "--task", T1,
            "--secret-env", "WEBHOOK_SECRET", "--json", key=ADMIN_KEY)
    sub = r.json() or {}
    s.check("subscription created with agentrail subscriptions create", r.rc == 0 and sub.get("id", "").startswith("evsub_"), r)
    req = urllib.request.Request(mock.base_url + "/_mock/events/burst", data=json.dumps({"count": 1, "taskId": T1}).encode(),
                                 method="POST", headers={"Content-Type": "application/json"})
    urllib.request.urlopen(req, timeout=10).read()
    rc, out, err = lst.finish(timeout=60)
    lines = [l for l in out.splitlines() if l.strip()]
    delivered = json.loads(lines[0]) if lines else {}
    s.check("listen received and verified a real signed delivery from the mock (exit 0)",
            rc == 0 and len(lines) == 1 and delivered.get("type") == "task.updated"
            and delivered.get("data", {}).get("taskId") == T1, "rc=%s out=%s err=%s" % (rc, out, err))
    wait_until(lambda: forwarded, timeout=10, what="the listener to forward the delivery")
    fwd_headers, fwd_body = forwarded[0] if forwarded else ({}, b"")
    lower = {k.lower(): v for k, v in fwd_headers.items()}
    s.check("the delivery was forwarded with its body and X-AgentRail-* headers",
            fwd_body.decode() == lines[0] if lines else False, forwarded)
    s.check("forwarded signature still verifies the forwarded body",
            "x-agentrail-signature" in lower and "x-agentrail-event-id" in lower and
            run("webhook", "verify", "--secret-env", "WEBHOOK_SECRET", "--signature", lower.get("x-agentrail-signature", ""),
                "--body-file", "-", stdin=fwd_body.decode()).rc == 0, lower)
    deliveries = json.load(urllib.request.urlopen(mock.base_url + "/_mock/deliveries?subscriptionId=" + sub.get("id", ""),
                                                  timeout=10))["data"]
    s.check("the mock recorded the delivery as delivered", any(d.get("status") == "delivered" for d in deliveries), deliveries)
    sink.shutdown()

    # --timeout ends an idle listener with exit 0
    t0 = time.time()
    lst = Listener("--timeout", "1s")
    rc, out, err = lst.finish(timeout=10)
    s.check("listen --timeout ends an idle listener (exit 0)", rc == 0 and within(time.time() - t0, 6), "rc=%s err=%s" % (rc, err))
