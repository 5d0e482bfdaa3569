#!/usr/bin/env python3
"""Soak test of `agentrail webhook listen --forward-to` against agentrail-mock on 127.0.0.1.

agentrail-mock delivers N events twice over (two subscriptions to the same listener, so every event id
arrives at least twice), the harness redelivers some itself (same signed body, a later attempt number), and
the forward target answers 5xx at random and is slow for a few stretches. Checks: every delivery the
listener took was verified (the target checks each forwarded signature too), each event id was forwarded
and accepted exactly once, none lost, every event printed once, and the listener kept answering quickly
while the target was slow.

usage: soak_webhook.py AGENTRAIL_BIN MOCK_BIN [--deliveries N] [--seed N]
Prints figures, then "N passed, N failed"; exit status 1 on any failure. Every loop is bounded in time.
"""

import argparse
import atexit
import hashlib
import hmac
import http.server
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

ADMIN_KEY = "ar_local_admin_key"
TASK = "tsk_01JZDEMO0000000000000001"
SECRET = "whsec_soak_secret_0123456789abcdef"


def proc_rss_kib(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


class Target(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, rng, fail_rate):
        super().__init__(("127.0.0.1", 0), TargetHandler)
        self.rng, self.fail_rate = rng, fail_rate
        self.lock = threading.Lock()
        self.accepted = {}  # event id -> times answered 2xx
        self.failed = 0
        self.bad_signatures = 0
        self.slow_until = 0.0
        self.slow_answers = 0


class TargetHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        t = self.server
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        event_id = self.headers.get("X-AgentRail-Event-Id", "")
        with t.lock:
            fail = t.rng.random() < t.fail_rate
            slow = time.monotonic() < t.slow_until
        if slow:
            time.sleep(2.0)
        if not hmac.compare_digest(self.headers.get("X-AgentRail-Signature", ""), expected):
            with t.lock:
                t.bad_signatures += 1
            status = 400
        elif fail:
            status = 503
        else:
            status = 200
        with t.lock:
            if status == 200:
                t.accepted[event_id] = t.accepted.get(event_id, 0) + 1
            elif status == 503:
                t.failed += 1
            t.slow_answers += slow
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("agentrail")
    ap.add_argument("mock")
    ap.add_argument("--deliveries", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=None)
    a = ap.parse_args()
    seed = a.seed if a.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    work = tempfile.mkdtemp(prefix="agentrail-soak-webhook-")
    if not os.environ.get("SOAK_KEEP"):
        atexit.register(shutil.rmtree, work, True)
    print("soak webhook: %d events, seed %d" % (a.deliveries, seed), flush=True)

    mock_proc = subprocess.Popen([a.mock, "--port", "0", "--delivery-backoff-scale", "0.001",
                                  "--delivery-workers", "4", "--replay-buffer", str(4 * a.deliveries)],
                                 stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    base_url = json.loads(mock_proc.stdout.readline())["baseUrl"]
    target = Target(rng, 0.05)
    threading.Thread(target=target.serve_forever, daemon=True).start()
    target_url = "http://127.0.0.1:%d/hook" % target.server_address[1]

    env = {k: v for k, v in os.environ.items() if not k.startswith("AGENTRAIL_")}
    env.update({"AGENTRAIL_BASE_URL": base_url, "HOME": work, "WEBHOOK_SECRET": SECRET})
    out_path = os.path.join(work, "listen.out")
    err_path = os.path.join(work, "listen.err")
    out_f, err_f = open(out_path, "w"), open(err_path, "w")
    listener = subprocess.Popen([a.agentrail, "webhook", "listen", "--port", "0", "--secret-env", "WEBHOOK_SECRET",
                                 "--forward-to", target_url, "-o", "ndjson"], stdout=out_f, stderr=err_f, env=env)
    listen_url = None
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and listen_url is None:
        with open(err_path) as f:
            for line in f:
                if line.startswith("ready: listening on "):
                    listen_url = line.split()[3]
        time.sleep(0.05)
    if listen_url is None:
        print("FAIL the listener did not start\n0 passed, 1 failed")
        sys.exit(1)

    def mock_call(method, path, body=None, key=None):
        headers = {"Content-Type": "application/json"}
        if key:
            headers["Authorization"] = "Bearer " + key
        req = urllib.request.Request(base_url + path, data=json.dumps(body).encode() if body is not None else None,
                                     method=method, headers=headers)
        with urllib.request.urlopen(req, timeout=30) as r:
            return json.loads(r.read() or b"null")

    for n in range(2):  # two endpoints of the same listener: every event arrives twice
        r = subprocess.run([a.agentrail, "subscriptions", "create", "--url", listen_url + "sub%d" % n, "--event-type", "task.updated",
                            "--task", TASK, "--secret-env", "WEBHOOK_SECRET", "--json"], capture_output=True,
                           text=True, env=dict(env, AGENTRAIL_API_KEY=ADMIN_KEY), timeout=30)
        if r.returncode != 0:
            print("FAIL subscriptions create: %s\n0 passed, 1 failed" % r.stderr)
            sys.exit(1)

    rss_start = proc_rss_kib(listener.pid)
    published = []  # sequences
    redelivered = 0
    slow_probe = []  # seconds the listener took to answer while the target was slow
    t0 = time.monotonic()
    slow_windows = 0
    while len(published) < a.deliveries:
        n = min(a.deliveries - len(published), rng.randint(1, 200))
        d = mock_call("POST", "/_mock/events/burst", {"count": n, "taskId": TASK})["data"]
        published.extend(range(d["firstSequence"], d["lastSequence"] + 1))
        halfway = slow_windows == 0 and len(published) >= a.deliveries // 3
        if (halfway or rng.random() < 0.05) and slow_windows < 5:
            # The target turns slow (2 s per answer) for 4 s; the listener must still answer at once.
            with target.lock:
                target.slow_until = time.monotonic() + 4.0
            slow_windows += 1
            time.sleep(0.5)
            probe = json.dumps({"id": "evt_probe_%d" % slow_windows, "type": "task.updated",
                                "occurredAt": "2026-05-01T03:21:04Z", "sequence": 0,
                                "data": {"taskId": TASK, "summary": "probe"}}).encode()
            sig = "sha256=" + hmac.new(SECRET.encode(), probe, hashlib.sha256).hexdigest()
            req = urllib.request.Request(listen_url, data=probe, method="POST", headers={
                "Content-Type": "application/json", "X-AgentRail-Signature": sig,
                "X-AgentRail-Event-Id": "evt_probe_%d" % slow_windows})
            started = time.monotonic()
            try:
                urllib.request.urlopen(req, timeout=10).read()
                slow_probe.append(time.monotonic() - started)
            except (urllib.error.URLError, OSError):
                slow_probe.append(99.0)
        time.sleep(rng.uniform(0.0, 0.05))
    publish_seconds = time.monotonic() - t0

    # Redeliveries of our own: the same signed bodies again, later attempt numbers.
    deliveries = mock_call("GET", "/_mock/deliveries")["data"]
    delivered = [d for d in deliveries if d.get("status") == "delivered"]
    # Wait for the mock to finish delivering and the target to have every event.
    expected = 2 * a.deliveries
    deadline = time.monotonic() + max(120, a.deliveries / 20)
    while time.monotonic() < deadline:
        stats = mock_call("GET", "/_mock/stats")["webhooks"]
        with target.lock:
            have = len(target.accepted)
        if stats.get("byStatus", {}).get("delivered", 0) >= expected and have >= a.deliveries + slow_windows:
            break
        time.sleep(0.5)
    # Bodies of deliveries, to redeliver: read back from what the listener printed.
    with open(out_path) as f:
        printed_lines = [l for l in f if l.strip()]
    for line in rng.sample(printed_lines, min(len(printed_lines), max(10, a.deliveries // 20))):
        body = line.rstrip("\n").encode()
        ev = json.loads(body)
        sig = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        req = urllib.request.Request(listen_url, data=body, method="POST", headers={
            "Content-Type": "application/json", "X-AgentRail-Signature": sig, "X-AgentRail-Event-Id": ev["id"],
            "X-AgentRail-Delivery-Attempt": "2"})
        try:
            answer = json.loads(urllib.request.urlopen(req, timeout=10).read())
            redelivered += answer.get("duplicate") is True
        except (urllib.error.URLError, OSError, ValueError):
            pass
    time.sleep(1.0)
    rss_end = proc_rss_kib(listener.pid)
    listener.send_signal(signal.SIGINT)
    try:
        rc = listener.wait(timeout=30)
    except subprocess.TimeoutExpired:
        listener.kill()
        rc = listener.wait()
    out_f.close()
    err_f.close()
    stats = mock_call("GET", "/_mock/stats")["webhooks"]
    mock_proc.terminate()
    mock_proc.wait(timeout=10)

    with open(out_path) as f:
        printed = [json.loads(l) for l in f if l.strip()]
    printed_ids = [p["id"] for p in printed]
    printed_seqs = sorted(p["sequence"] for p in printed if not p["id"].startswith("evt_probe_"))
    with target.lock:
        accepted = dict(target.accepted)
        failed, bad = target.failed, target.bad_signatures
        slow_answers = target.slow_answers
    event_ids = {i for i in accepted if not i.startswith("evt_probe_")}
    once = all(c == 1 for c in accepted.values())
    by_status = stats.get("byStatus", {})
    print("figures:")
    print("  events published          %d (each delivered by two subscriptions: %d deliveries)" % (
        len(published), 2 * len(published)))
    print("  mock delivery attempts    %d (by status %s)" % (stats.get("attempts", 0), by_status))
    print("  harness redeliveries      %d answered as duplicates" % redelivered)
    print("  forward target            %d accepted, %d answered 503, %d slow answers (%d slow stretches)" % (
        sum(accepted.values()), failed, slow_answers, slow_windows))
    print("  listener answer while the target was slow: %s s" % ", ".join("%.3f" % x for x in slow_probe))
    print("  listener RSS              start %.1f MiB, end %.1f MiB" % ((rss_start or 0) / 1024, (rss_end or 0) / 1024))
    print("  publishing took %.1f s" % publish_seconds)

    passed = failed_checks = 0

    def check(name, ok, detail=""):
        nonlocal passed, failed_checks
        if ok:
            passed += 1
            print("ok   %s" % name)
        else:
            failed_checks += 1
            print("FAIL %s\n     %s" % (name, str(detail)[:2000]))

    check("the listener stopped cleanly on SIGINT", rc in (0, 130), rc)
    check("every delivery the mock made was accepted (2 per event)", by_status.get("delivered", 0) == expected
          and not by_status.get("failed"), by_status)
    check("every event printed exactly once", printed_seqs == sorted(published)
          and len(printed_ids) == len(set(printed_ids)), (len(printed_seqs), len(published)))
    check("every event forwarded and accepted by the target exactly once, none lost",
          len(event_ids) == len(published) and once, (len(event_ids), len(published),
                                                        [i for i, c in accepted.items() if c != 1][:10]))
    check("every forwarded signature verified at the target", bad == 0, bad)
    check("the target's 503s were retried (some happened)", failed > 0 or len(published) < 100, failed)
    check("redeliveries were answered as duplicates", redelivered >= 10 or redelivered == len(printed_lines),
          redelivered)
    check("the listener answered within 1 s while the target was slow", all(x < 1.0 for x in slow_probe)
          and (slow_probe or a.deliveries < 2000), slow_probe)
    # Bounded by design: at most 10,000 queued forwards (~1 KiB each here) and 10,000 remembered ids.
    check("listener RSS stayed within 32 MiB of its start (the queue and the id window are bounded)",
          rss_start and rss_end and rss_end - rss_start < 32768, (rss_start, rss_end))
    print("%d passed, %d failed" % (passed, failed_checks))
    sys.exit(1 if failed_checks else 0)


if __name__ == "__main__":
    main()
