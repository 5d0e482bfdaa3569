#!/usr/bin/env python3
"""Event -> stdout latency of two stream readers, measured on the same events.

    latency.py BASE_URL N CMD_A -- CMD_B

Starts both commands (shell command lines; each prints one line per event on stdout), then N times:
publishes one event through the mock's POST /_mock/events/burst on a kept-alive connection and waits
until each reader has printed its line. The latency of a reader is the time from just before the
publish to the moment its line is read. Both readers see the same events at the same moment, so load
from other processes hits both alike. Prints "A_P50 A_P99 B_P50 B_P99" in milliseconds.
"""

import http.client
import os
import selectors
import signal
import subprocess
import sys
import time
import urllib.parse


def percentile(values, p):
    s = sorted(values)
    k = max(0, min(len(s) - 1, int(round(p / 100.0 * len(s) + 0.5)) - 1))
    return s[k]


def main():
    base, n = sys.argv[1], int(sys.argv[2])
    rest = sys.argv[3:]
    sep = rest.index("--")
    cmds = [" ".join(rest[:sep]), " ".join(rest[sep + 1:])]
    procs = [subprocess.Popen(["bash", "-c", "exec " + c if "|" not in c else c], stdout=subprocess.PIPE,
                              stdin=subprocess.DEVNULL, start_new_session=True) for c in cmds]
    sel = selectors.DefaultSelector()
    bufs = [b"", b""]
    for i, p in enumerate(procs):
        os.set_blocking(p.stdout.fileno(), False)
        sel.register(p.stdout, selectors.EVENT_READ, i)

    url = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    body = b'{"count": 1, "taskId": "tsk_01GEN0000001"}'

    def publish():
        conn.request("POST", url.path.rstrip("/") + "/_mock/events/burst", body=body,
                     headers={"Content-Type": "application/json"})
        r = conn.getresponse()
        r.read()

    def wait_lines(deadline):
        """Waits until both readers printed a line; returns their arrival times (None on timeout)."""
        got = [None, None]
        while None in got:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            for key, _ in sel.select(left):
                i = key.data
                chunk = os.read(key.fileobj.fileno(), 65536)
                now = time.perf_counter()
                if not chunk:
                    raise SystemExit("latency: reader %d ended" % i)
                bufs[i] += chunk
                if b"\n" in bufs[i] and got[i] is None:
                    got[i] = now
                    bufs[i] = bufs[i][bufs[i].index(b"\n") + 1:]
        return got

    try:
        # Warm-up: both readers connected and printing (the stream starts at the live tail).
        start = time.monotonic()
        while True:
            publish()
            if wait_lines(time.monotonic() + 0.5) is not None:
                break
            if time.monotonic() - start > 20:
                raise SystemExit("latency: the readers printed nothing in 20 s")
        time.sleep(0.2)
        for i in range(2):  # drop any line of the warm-up still buffered
            try:
                while os.read(procs[i].stdout.fileno(), 65536):
                    pass
            except BlockingIOError:
                pass
            bufs[i] = b""
        lat = [[], []]
        for _ in range(n):
            t0 = time.perf_counter()
            publish()
            got = wait_lines(time.monotonic() + 5)
            if got is None:
                raise SystemExit("latency: an event did not arrive within 5 s")
            for i in range(2):
                lat[i].append((got[i] - t0) * 1000)
            time.sleep(0.003)
        print("%.2f %.2f %.2f %.2f" % (percentile(lat[0], 50), percentile(lat[0], 99),
                                       percentile(lat[1], 50), percentile(lat[1], 99)))
    finally:
        for p in procs:
            try:
                os.killpg(p.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for p in procs:
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()


if __name__ == "__main__":
    main()
