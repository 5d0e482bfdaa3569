#!/usr/bin/env python3
"""Load: 100 pages of 100 tasks over one connection, and 100,000 streamed events.

The mock must not be the bottleneck of client benchmarks. Bounds here are generous (a shared CI
machine, a Python client); the measured times are printed.
"""

import os
import socket
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import timing  # noqa: E402
from mockutil import *  # noqa: E402,F403


def test_hundred_pages_of_hundred_tasks(binary):
    with Mock(binary, "--tasks", "10000") as m:
        base = m.control("GET", "/_mock/stats")["connections"]
        m.close()
        cursor, pages, total = None, 0, 0
        start = time.time()
        while pages < 100:
            r = m.get("/tasks/mine?limit=100" + (f"&cursor={cursor}" if cursor else ""), key=DEMO_KEY)
            d = r.json()
            total += len(d["data"])
            pages += 1
            cursor = d["page"]["nextCursor"]
        elapsed = time.time() - start
        m.close()
        conns = m.control("GET", "/_mock/stats")["connections"] - base
        print(f"  100 pages x 100 tasks: {elapsed:.3f}s over {conns - 1} connection(s)")
        assert total == 10000 and conns == 2, (total, conns)
        assert within(elapsed, 5.0), elapsed


def test_stream_hundred_thousand_events(binary):
    with Mock(binary) as m:
        s = socket.create_connection((m.host, m.port), timeout=10)
        s.sendall(b"GET /task-events/stream HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + DEMO_KEY.encode() +
                  b"\r\n\r\n")
        buf = b""
        while b"\r\n\r\n" not in buf:
            buf += s.recv(65536)
        head, _, buf = buf.partition(b"\r\n\r\n")
        assert b" 200 " in head.split(b"\r\n")[0]
        n = 100_000
        start = time.time()
        m.control("POST", "/_mock/events/burst", {"count": n})
        # De-chunk and count event frames; a marker may straddle chunk boundaries, so keep a small tail.
        count, tail = 0, b""
        marker = b"\nevent: "
        pending = buf
        payload_total = 0
        while count < n and time.time() - start < 30 * timing.SLOWDOWN:
            while True:
                nl = pending.find(b"\r\n")
                if nl < 0:
                    break
                size = int(pending[:nl], 16)
                if len(pending) < nl + 2 + size + 2:
                    break
                data = tail + pending[nl + 2:nl + 2 + size]
                count += data.count(marker)
                tail = data[-(len(marker) - 1):]
                payload_total += size
                pending = pending[nl + 2 + size + 2:]
            if count >= n:
                break
            chunk = s.recv(1 << 20)
            if not chunk:
                break
            pending += chunk
        elapsed = time.time() - start
        s.close()
        stats = m.control("GET", "/_mock/stats")
        print(f"  {count} events ({payload_total / 1e6:.1f} MB) in {elapsed:.3f}s")
        assert count == n, count
        assert stats["events"]["published"] == n
        assert within(elapsed, 10.0), elapsed


def test_many_clients_connecting_at_once(binary):
    """64 clients connecting at the same moment are all connected at once: a listen backlog too small for them
    (cpp-httplib's is 5) makes the kernel drop SYNs, and each client so dropped waits 1 s to retransmit."""
    with Mock(binary) as m:
        start = time.time()
        socks = []
        try:
            for _ in range(64):
                s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                s.setblocking(False)
                s.connect_ex((m.host, m.port))
                socks.append(s)
            pending = list(socks)
            while pending and time.time() - start < 5:
                _, writable, _ = select.select([], pending, [], 0.05)
                pending = [s for s in pending if s not in writable]
            elapsed = time.time() - start
        finally:
            for s in socks:
                s.close()
        print(f"  64 simultaneous connects: all connected in {elapsed:.3f}s")
        assert not pending and elapsed < 0.5, (len(pending), elapsed)
