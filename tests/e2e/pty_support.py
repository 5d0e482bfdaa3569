"""Runs the agentrail binary under a pseudo-terminal of a given size (python's pty module), for the behaviour
that only a terminal gets: fitted tables, the pager, live progress lines."""

import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import termios
import time

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class PtyResult:
    def __init__(self, args, rc, raw, timeline):
        self.args, self.rc, self.raw, self.timeline = args, rc, raw, timeline
        self.out = ANSI.sub("", raw.replace("\r\n", "\n"))

    def lines(self):
        return [l for l in self.out.split("\n") if l.strip()]

    def __str__(self):
        return "args=%s rc=%s\noutput=%r" % (self.args, self.rc, self.raw[:3000])


def run_pty(suite, *args, cols=80, rows=24, mock=None, env=None, timeout=30, stdout_pipe=False):
    """Runs `agentrail ARGS` with stdin, stdout and stderr on a pty of cols x rows (stdout on a pipe with
    stdout_pipe, to test "piped" with a terminal on stderr). Returns the terminal's output, and a timeline
    of (seconds since start, bytes) chunks as they arrived."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    # A real pager would wait for keys: tests that want one name it.
    extra = {"TERM": "xterm", "COLUMNS": str(cols), "LINES": str(rows), "LC_ALL": "C.UTF-8", "AGENTRAIL_PAGER": "cat"}
    extra.update(env or {})
    proc = subprocess.Popen([suite.cli, *args], stdin=slave, stdout=subprocess.PIPE if stdout_pipe else slave,
                            stderr=slave, env=suite.env(mock, extra=extra), close_fds=True, start_new_session=True)
    os.close(slave)
    chunks, timeline, start = [], [], time.time()
    deadline = start + timeout
    while time.time() < deadline:
        ready, _, _ = select.select([master], [], [], 0.1)
        if ready:
            try:
                data = os.read(master, 65536)
            except OSError:
                data = b""
            if not data:
                break
            chunks.append(data)
            timeline.append((time.time() - start, data))
        elif proc.poll() is not None:
            # drain what is left
            ready, _, _ = select.select([master], [], [], 0.2)
            if not ready:
                break
    if proc.poll() is None:
        proc.kill()
    rc = proc.wait(timeout=10)
    piped = proc.stdout.read().decode("utf-8", "replace") if stdout_pipe else ""
    os.close(master)
    r = PtyResult(args, rc, b"".join(chunks).decode("utf-8", "replace"), timeline)
    r.piped = piped
    return r
