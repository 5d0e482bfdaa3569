#!/usr/bin/env python3
"""Soak test of `agentrail events tail` against agentrail-mock on 127.0.0.1.

For MINUTES it publishes events (paced, and in bursts) while it cuts streams at random (now, and after N
events), makes reconnects stall (no byte at all) or be forgotten silently, answers reconnects with 503 or
429, restarts the mock (a new server: the tail's cursor is gone, a gap it must announce), and restarts the
tail itself with --state-file. Then it checks that the union of everything every tail printed is exactly
the published sequence, in order, with no event twice, and that every event missing was published inside a
gap the tail announced; and that the tail's RSS and open file descriptors stay flat.

usage: soak_tail.py AGENTRAIL_BIN MOCK_BIN MINUTES [--seed N] [--keep DIR]
Prints figures, then "N passed, N failed"; exit status 1 on any failure. Every loop is bounded in time.
"""

import argparse
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

DEMO_KEY = "ar_local_demo_key"
TASK = "tsk_01JZDEMO0000000000000001"
STALL_TIMEOUT_S = 2
HEARTBEAT_MS = 500
RETRY_MS = 300


def log(msg):
    print("[%7.1fs] %s" % (time.monotonic() - T0, msg), flush=True)


T0 = time.monotonic()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def proc_rss_kib(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def proc_fds(pid):
    try:
        return len(os.listdir("/proc/%d/fd" % pid))
    except OSError:
        return None


class Mock:
    def __init__(self, binary, port, workdir):
        self.binary, self.port, self.workdir = binary, port, workdir
        self.base_url = "http://127.0.0.1:%d" % port
        self.proc = None
        self.tag = None

    def start(self):
        args = [self.binary, "--port", str(self.port), "--replay-buffer", "2000000",
                "--heartbeat-ms", str(HEARTBEAT_MS), "--sse-retry-ms", str(RETRY_MS)]
        deadline = time.monotonic() + 20
        while True:  # the old server's port may take a moment to be free again
            self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
            line = self.proc.stdout.readline()
            if line.strip():
                break
            self.proc.wait()
            if time.monotonic() > deadline:
                raise RuntimeError("agentrail-mock did not start on port %d" % self.port)
            time.sleep(0.2)
        self.tag = None

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def call(self, method, path, body=None, timeout=10):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base_url + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return json.loads(r.read() or b"null")

    def learn_tag(self):
        """The run tag in this server's event ids (evt_01<tag><sequence>), read off a replay from cursor 0."""
        req = urllib.request.Request(self.base_url + "/task-events/stream?cursor=0",
                                     headers={"Authorization": "Bearer " + DEMO_KEY, "Accept": "text/event-stream"})
        with urllib.request.urlopen(req, timeout=10) as r:
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                line = r.readline().decode()
                if line.startswith("id:"):
                    self.tag = line[3:].strip()[6:12]
                    return self.tag
        raise RuntimeError("no event id from the new server")


class Tail:
    def __init__(self, binary, base_url, workdir, index, state_file):
        self.index = index
        self.out_path = os.path.join(workdir, "tail-%03d.out" % index)
        self.err_path = os.path.join(workdir, "tail-%03d.err" % index)
        env = {k: v for k, v in os.environ.items() if not k.startswith("AGENTRAIL_")}
        env.update({"AGENTRAIL_BASE_URL": base_url, "AGENTRAIL_API_KEY": DEMO_KEY,
                    "HOME": os.path.join(workdir, "home")})
        self.out = open(self.out_path, "w")
        self.err = open(self.err_path, "w")
        self.proc = subprocess.Popen([binary, "events", "tail", "-o", "ndjson", "--state-file", state_file,
                                      "--stall-timeout", "%ds" % STALL_TIMEOUT_S, "--errors", "json"],
                                     stdout=self.out, stderr=self.err, env=env)
        self.started = time.monotonic()
        self.samples = []  # (monotonic, rss_kib, fds)

    def sample(self):
        rss, fds = proc_rss_kib(self.proc.pid), proc_fds(self.proc.pid)
        if rss is not None and fds is not None:
            self.samples.append((time.monotonic(), rss, fds))

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.out.close()
        self.err.close()
        return self.proc.returncode


class Publisher(threading.Thread):
    """Publishes paced events and, now and then, a burst. Holds `lock` while publishing so that a mock
    restart happens between two publications."""

    def __init__(self, mock, rng, stop):
        super().__init__(daemon=True)
        self.mock, self.rng, self.stop_flag = mock, rng, stop
        self.lock = threading.Lock()
        self.published = []  # (tag, first, last, t_before, t_after) in publication order
        self.bursts = 0
        self.errors = 0

    def run(self):
        while not self.stop_flag.is_set():
            burst = self.rng.random() < 0.03
            count = self.rng.randint(100, 1500) if burst else self.rng.randint(1, 3)
            with self.lock:
                tag = self.mock.tag
                t0 = time.time()
                try:
                    d = self.mock.call("POST", "/_mock/events/burst", {"count": count, "taskId": TASK})["data"]
                    self.published.append((tag, d["firstSequence"], d["lastSequence"], t0, time.time()))
                    self.bursts += burst
                except (urllib.error.URLError, OSError, ValueError):
                    self.errors += 1
            time.sleep(self.rng.uniform(0.05, 0.25))


def parse_time(text):
    # 2026-05-01T03:21:04.123Z
    main, frac = text.rstrip("Z").split(".")
    return time.mktime(time.strptime(main, "%Y-%m-%dT%H:%M:%S")) - time.timezone + int(frac) / 1000.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("agentrail")
    ap.add_argument("mock")
    ap.add_argument("minutes", type=float)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--keep", default=None, help="keep the work files in this directory")
    a = ap.parse_args()
    seed = a.seed if a.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    workdir = a.keep or tempfile.mkdtemp(prefix="agentrail-soak-")
    os.makedirs(os.path.join(workdir, "home"), exist_ok=True)
    state_file = os.path.join(workdir, "last-event-id")
    duration = a.minutes * 60
    # Scaled to the run: a 2-minute run still restarts each once or twice, a long one every few minutes.
    mock_restart_every = max(40.0, min(300.0, duration / 12))
    tail_restart_every = max(25.0, min(240.0, duration / 15))
    print("soak: %.1f minutes, seed %d, work files in %s" % (a.minutes, seed, workdir), flush=True)

    mock = Mock(a.mock, free_port(), workdir)
    mock.start()
    mock.call("POST", "/_mock/events/burst", {"count": 1, "taskId": TASK})
    mock.learn_tag()
    tags = [mock.tag]  # incarnation order
    counts = {"stream_cuts_now": 0, "cut_rules": 0, "stalls": 0, "forgotten": 0, "status_5xx": 0,
              "status_429": 0, "mock_restarts": 0, "tail_restarts": 0, "tail_restart_skipped": 0}
    stop = threading.Event()
    pub = Publisher(mock, rng, stop)
    # The first marker event was published before the tail started: it is not expected.
    tails = [Tail(a.agentrail, mock.base_url, workdir, 0, state_file)]
    deadline = time.monotonic() + 10
    # Published events count from the moment the tail's stream is open (the tag's stream was the first).
    while time.monotonic() < deadline and mock.call("GET", "/_mock/stats")["streams"]["total"] < 2:
        time.sleep(0.05)
    pub.start()
    end = time.monotonic() + duration
    next_mock_restart = time.monotonic() + rng.uniform(0.5, 1.0) * mock_restart_every
    next_tail_restart = time.monotonic() + rng.uniform(0.5, 1.0) * tail_restart_every
    next_report = time.monotonic() + 30
    next_sample = time.monotonic()
    injected_before_restart = {}
    failures = []
    exit15 = []  # (cursor the tail exited 15 for, index of the tail started in its place)

    def restart_if_exited():
        """Restarts the tail when it ended by itself (as a supervisor would); True when it had."""
        tail = tails[-1]
        if tail.proc.poll() is None:
            return False
        if tail.proc.returncode == 15:
            # The cursor in the state file was gone before this tail got through (the server restarted
            # while it was retrying): exit 15 is how the tail says so. A supervisor would remove the
            # file as the message advises; the events from that cursor on are announced as missing.
            try:
                with open(state_file) as f:
                    saved = f.read().strip()
                os.unlink(state_file)
            except OSError:
                saved = ""
            exit15.append((saved, len(tails)))
            log("tail %d exited 15 (cursor %s gone); restarted without it" % (tail.index, saved))
        else:
            failures.append("tail %d exited by itself with %s" % (tail.index, tail.proc.returncode))
            log(failures[-1])
        tails.append(Tail(a.agentrail, mock.base_url, workdir, len(tails), state_file))
        return True

    def add_fault(rule):
        try:
            mock.call("POST", "/_mock/faults", rule)
        except (urllib.error.URLError, OSError):
            pass

    def cut_now():
        try:
            return mock.call("POST", "/_mock/streams/cut")["data"]["cut"] > 0
        except (urllib.error.URLError, OSError):
            return False

    def fault_totals():
        try:
            return mock.call("GET", "/_mock/faults")["injected"]["byKind"]
        except (urllib.error.URLError, OSError):
            return {}

    while time.monotonic() < end:
        now = time.monotonic()
        tail = tails[-1]
        if restart_if_exited():
            continue
        if now >= next_sample:
            tail.sample()
            next_sample = now + 2
        if now >= next_report:
            log("published %d events, %d tails, %d mock restarts; tail RSS %s KiB, fds %s" % (
                sum(p[2] - p[1] + 1 for p in pub.published), len(tails), counts["mock_restarts"],
                tail.samples[-1][1] if tail.samples else "?", tail.samples[-1][2] if tail.samples else "?"))
            next_report = now + 30
        if now >= next_mock_restart:
            with pub.lock:
                time.sleep(1.0)  # the tail receives what was published
                for k, v in fault_totals().items():
                    injected_before_restart[k] = injected_before_restart.get(k, 0) + v
                mock.stop()
                time.sleep(rng.uniform(0.2, 2.0))  # the tail reconnects into a refused port meanwhile
                mock.start()
                mock.call("POST", "/_mock/events/burst", {"count": 1, "taskId": TASK})
                t_marker = time.time()
                mock.learn_tag()
                pub.published.append((mock.tag, 1, 1, t_marker, t_marker))
                tags.append(mock.tag)
            counts["mock_restarts"] += 1
            log("mock restarted (run tag %s)" % mock.tag)
            next_mock_restart = time.monotonic() + rng.uniform(0.5, 1.5) * mock_restart_every
            continue
        if now >= next_tail_restart:
            # Restart only with a cursor of the current server: a cursor of a previous one would make the
            # new tail exit 15 (the documented answer to a --state-file cursor the server does not have).
            try:
                with open(state_file) as f:
                    saved = f.read().strip()
            except OSError:
                saved = ""
            if saved[6:12] == mock.tag:
                tail.stop()
                tails.append(Tail(a.agentrail, mock.base_url, workdir, len(tails), state_file))
                counts["tail_restarts"] += 1
                next_tail_restart = time.monotonic() + rng.uniform(0.5, 1.5) * tail_restart_every
            else:
                counts["tail_restart_skipped"] += 1
                next_tail_restart = time.monotonic() + 2
            continue
        r = rng.random()
        if r < 0.10:
            counts["stream_cuts_now"] += cut_now()
        elif r < 0.14:
            add_fault({"kind": "sse_cut", "everyEvents": rng.randint(1, 400), "count": 1})
            counts["cut_rules"] += 1
        elif r < 0.18:
            add_fault({"kind": "sse_stall", "count": 1, "pathContains": "/task-events/stream"})
            counts["stalls"] += 1
        elif r < 0.21:
            add_fault({"kind": "sse_drop_idle", "idleMs": rng.randint(100, 1000), "count": 1})
            counts["forgotten"] += 1
        elif r < 0.26:
            add_fault({"kind": "status", "status": rng.choice([500, 502, 503]),
                       "pathContains": "/task-events/stream", "count": rng.randint(1, 3)})
            counts["status_5xx"] += 1
        elif r < 0.29:
            add_fault({"kind": "rate_limit", "retryAfterSeconds": 1, "pathContains": "/task-events/stream",
                       "count": 1})
            counts["status_429"] += 1
        if 0.14 <= r < 0.29 and rng.random() < 0.7:
            counts["stream_cuts_now"] += cut_now()  # the next connection meets the fault now
        time.sleep(rng.uniform(0.5, 3.0))

    # ---- wind down: stop publishing, clear the faults, let the last tail catch up, stop it ----------------
    stop.set()
    pub.join(timeout=30)
    try:
        mock.call("DELETE", "/_mock/faults")
    except (urllib.error.URLError, OSError):
        pass
    last_tag, _, last_seq, _, _ = pub.published[-1]
    expected_id_suffix = "%012d" % last_seq
    deadline = time.monotonic() + 30
    # The last events of the run can fall inside an announced gap (a mock restart just before the end:
    # the tail's cursor died with the old server). So while the tail has not printed the last one, one
    # more event is published every 8 s once a stream is open; the check below wants the tail to print
    # the last event published, and every other one to be printed or inside a gap.
    next_marker = time.monotonic() + 8

    def publish_one():
        """Publishes one event now; returns its (run tag, sequence)."""
        t0 = time.time()
        d = mock.call("POST", "/_mock/events/burst", {"count": 1, "taskId": TASK})["data"]
        pub.published.append((mock.tag, d["firstSequence"], d["lastSequence"], t0, time.time()))
        return mock.tag, d["lastSequence"]

    while time.monotonic() < deadline:
        if time.monotonic() >= next_marker and mock.call("GET", "/_mock/stats")["streams"]["active"] > 0:
            last_tag, last_seq = publish_one()
            expected_id_suffix = "%012d" % last_seq
            next_marker = time.monotonic() + 8
            counts["wind_down_markers"] = counts.get("wind_down_markers", 0) + 1
        if restart_if_exited():
            # A tail that ended (exit 15: its saved cursor died with a mock restart just before the end)
            # is restarted live, as in the run; one more event, once its stream is open, shows it works.
            stream_deadline = time.monotonic() + 10
            streams = mock.call("GET", "/_mock/stats")["streams"]["total"]
            while time.monotonic() < stream_deadline and \
                    mock.call("GET", "/_mock/stats")["streams"]["total"] <= streams:
                time.sleep(0.05)
            last_tag, last_seq = publish_one()
            expected_id_suffix = "%012d" % last_seq
            deadline = time.monotonic() + 30
            continue
        try:
            with open(state_file) as f:
                saved = f.read().strip()
        except OSError:
            saved = ""
        if saved[6:12] == last_tag and saved.endswith(expected_id_suffix):
            break
        time.sleep(0.2)
    tails[-1].sample()
    for k, v in fault_totals().items():
        injected_before_restart[k] = injected_before_restart.get(k, 0) + v
    tails[-1].stop()
    mock.stop()

    # ---- check -----------------------------------------------------------------------------------------------
    order = {tag: i for i, tag in enumerate(tags)}
    published = {}  # (incarnation, seq) -> (t_before, t_after)
    for tag, first, last, t0, t1 in pub.published:
        for q in range(first, last + 1):
            published[(order[tag], q)] = (t0, t1)
    printed, gaps, bad_lines, rcs, first_printed = [], [], 0, [], {}
    for t in tails:
        rcs.append(t.proc.returncode)
        first_printed[t.index] = None
        with open(t.out_path) as f:
            for line in f:
                try:
                    ev = json.loads(line)
                    printed.append((order.get(ev["id"][6:12], -1), ev["sequence"]))
                    if first_printed[t.index] is None:
                        first_printed[t.index] = printed[-1]
                except (ValueError, KeyError):
                    bad_lines += 1
        with open(t.err_path) as f:
            for line in f:
                try:
                    obj = json.loads(line)
                except ValueError:
                    continue
                if isinstance(obj, dict) and "gap" in obj:
                    gaps.append((parse_time(obj["gap"]["from"]), parse_time(obj["gap"]["to"]), obj["gap"]))
    # An exit 15 announces a gap from the event after its cursor up to the first event its replacement printed.
    for cursor, replacement in exit15:
        key = (order.get(cursor[6:12], -1), int(cursor[12:] or 0) + 1)
        t_from = published.get(key, (time.time(), 0))[0]
        t_to = time.time()
        first = first_printed.get(replacement)
        if first in published:
            t_to = published[first][1]
        gaps.append((t_from, t_to, {"reason": "exit_15", "from": t_from, "to": t_to}))
    seen = set()
    dups = [p for p in printed if p in seen or seen.add(p)]
    out_of_order = sum(1 for x, y in zip(printed, printed[1:]) if y <= x)
    unknown = [p for p in printed if p not in published]
    # The very first marker (published before the first tail) is not expected; neither is one of a server
    # that was restarted again before... (every marker is published while a tail runs, so all are expected).
    missing = sorted(k for k in published if k not in seen and k != (0, 1))
    slack = 0.5
    unannounced = [k for k in missing
                   if not any(f - slack <= published[k][1] and published[k][0] <= t + slack for f, t, _ in gaps)]

    rss = [(t, r, f) for tail in tails for (t, r, f) in tail.samples]
    first_window = [r for (t, r, f) in rss if t - T0 <= 60 + (rss[0][0] - T0 if rss else 0)]
    last_window = [r for (t, r, f) in rss if t >= (rss[-1][0] - 60 if rss else 0)]
    # Flatness per tail process (a restart starts a new one): after a 10 s warm-up, its RSS may not grow by
    # more than 8 MiB and its descriptors by more than 4 (one connection being replaced, a state-file save).
    growth = []
    for tail in tails:
        warm = [s for s in tail.samples if s[0] - tail.started >= 10]
        if len(warm) >= 2:
            growth.append((tail.index, warm[-1][1] - min(s[1] for s in warm[:3]),
                           max(s[2] for s in warm) - min(s[2] for s in warm[:3]), warm[-1][0] - warm[0][0]))
    kinds = injected_before_restart
    print("figures:")
    print("  minutes                  %.1f (seed %d)" % (a.minutes, seed))
    print("  events published         %d (%d bursts of 100-1500, the rest paced 1-3 every 50-250 ms)" % (
        len(published), pub.bursts))
    print("  events printed           %d (missing %d, all inside announced gaps: %s)" % (
        len(printed), len(missing), "yes" if not unannounced else "NO"))
    print("  gaps announced           %d (%s)" % (len(gaps), ", ".join(sorted(set(g[2]["reason"] for g in gaps)))))
    print("  stream cuts              %d now + %d after N events (rules added %d)" % (
        counts["stream_cuts_now"], kinds.get("sse_cut", 0), counts["cut_rules"]))
    print("  stalls                   %d silent streams + %d forgotten streams" % (
        kinds.get("sse_stall", 0), kinds.get("sse_drop_idle", 0)))
    print("  5xx / 429 on reconnect   %d / %d" % (kinds.get("status", 0), kinds.get("rate_limit", 0)))
    print("  mock restarts            %d" % counts["mock_restarts"])
    print("  wind-down markers        %d (one more event every 8 s until the tail printed the last)" % counts.get("wind_down_markers", 0))
    print("  tail restarts            %d (--state-file; %d deferred to a current cursor; %d after exit 15)" % (
        counts["tail_restarts"], counts["tail_restart_skipped"], len(exit15)))
    if rss:
        print("  tail max RSS             first minute %.1f MiB, last minute %.1f MiB" % (
            max(first_window) / 1024, max(last_window) / 1024))
        print("  tail open fds            min %d, max %d" % (min(f for _, _, f in rss), max(f for _, _, f in rss)))
    for idx, d_rss, d_fds, span in growth:
        if span >= 60:
            print("  tail %d over %.0f s: RSS %+d KiB, fds %+d" % (idx, span, d_rss, d_fds))

    passed = failed = 0

    def check(name, ok, detail=""):
        nonlocal passed, failed
        if ok:
            passed += 1
            print("ok   %s" % name)
        else:
            failed += 1
            print("FAIL %s\n     %s" % (name, str(detail)[:3000]))

    check("every tail ended cleanly (SIGINT: 130, or 15 for a state-file cursor the server had lost)",
          not failures and all(rc == 130 or (rc == 15 and any(r == i + 1 for _, r in exit15))
                               for i, rc in enumerate(rcs)), (failures, rcs))
    check("every printed line is one event of this run", bad_lines == 0 and not unknown, (bad_lines, unknown[:10]))
    check("no event printed twice", not dups, dups[:10])
    check("events printed in publication order", out_of_order == 0, out_of_order)
    check("every event not printed was published inside an announced gap", not unannounced,
          {"missing": len(missing), "unannounced": [(tags[i], q, published[(i, q)]) for i, q in unannounced[:10]],
           "gaps": [(g[2]["from"], g[2]["to"], g[2]["reason"]) for g in gaps]})
    check("the last event published was printed", (order[last_tag], last_seq) in seen, (last_tag, last_seq))
    # Under a sanitizer the memory figures say nothing about the program (ASan keeps freed memory).
    libs = subprocess.run(["ldd", a.agentrail], capture_output=True, text=True).stdout
    sanitized = any(name in libs for name in ("libasan", "libtsan", "libubsan"))
    check("RSS flat: no tail grew by more than 8 MiB after warm-up",
          sanitized or all(g[1] <= 8192 for g in growth), growth)
    check("fds flat: no tail gained more than 4 descriptors after warm-up", all(g[2] <= 4 for g in growth), growth)
    if mock_restart_every < duration:
        check("the mock was restarted at least once", counts["mock_restarts"] >= 1, counts)
    if tail_restart_every < duration:
        check("the tail was restarted with --state-file at least once", counts["tail_restarts"] >= 1, counts)
    print("%d passed, %d failed" % (passed, failed))
    if not failed and not a.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
