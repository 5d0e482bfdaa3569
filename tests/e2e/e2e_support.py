"""Helpers for the CLI end-to-end tests: start agentrail-mock, run the agentrail binary, record checks.

Usage in a test script:
    from e2e_support import Suite
    s = Suite()                      # reads argv: AGENTRAIL_BIN MOCK_BIN
    mock = s.mock("--tasks", "10")   # started on a free port; stopped at exit
    r = s.run("tasks", "list", "--json", mock=mock)
    s.check("list is JSON", r.rc == 0 and isinstance(r.json(), list), r)
    s.finish()                       # prints "N passed, N failed", exits non-zero on failure
"""

import atexit
import json
import os
import shlex
import signal
import subprocess
import sys
import tempfile
import time

DEMO_KEY = "ar_local_demo_key"
ADMIN_KEY = "ar_local_admin_key"
READONLY_KEY = "ar_local_readonly_key"


class Mock:
    def __init__(self, binary, *args):
        self.proc = subprocess.Popen([binary, "--port", "0", *args], stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True)
        line = self.proc.stdout.readline()
        ready = json.loads(line)
        assert ready.get("event") == "ready", line
        self.base_url = ready["baseUrl"]
        atexit.register(self.stop)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()


class Result:
    def __init__(self, args, rc, out, err):
        self.args, self.rc, self.out, self.err = args, rc, out, err

    def json(self):
        try:
            return json.loads(self.out)
        except ValueError:
            return None

    def lines(self):
        return [l for l in self.out.splitlines() if l.strip()]

    def __str__(self):
        return "args=%s rc=%s\nstdout=%s\nstderr=%s" % (self.args, self.rc, self.out[:1500], self.err[:1500])


class Suite:
    def __init__(self):
        if len(sys.argv) < 3:
            sys.exit("usage: %s AGENTRAIL_BIN AGENTRAIL_MOCK_BIN" % sys.argv[0])
        self.cli = os.path.abspath(sys.argv[1])
        self.mock_bin = os.path.abspath(sys.argv[2])
        self.passed = 0
        self.failed = 0
        self.tmp = tempfile.mkdtemp(prefix="agentrail-e2e-")
        self.home = os.path.join(self.tmp, "home")
        os.makedirs(self.home)

    @property
    def sanitized(self):
        """True when the binary runs under AddressSanitizer/ThreadSanitizer: its memory and timing then say
        nothing about the program's own (ASan's quarantine alone keeps up to 256 MiB of freed memory)."""
        if not hasattr(self, "_sanitized"):
            libs = subprocess.run(["ldd", self.cli], capture_output=True, text=True).stdout
            self._sanitized = any(name in libs for name in ("libasan", "libtsan", "libubsan"))
        return self._sanitized

    def rss_within(self, rss_mib, limit_mib):
        """A peak-memory bound that holds for a normal build (not checked under sanitizers)."""
        return self.sanitized or rss_mib < limit_mib

    def mock(self, *args):
        return Mock(self.mock_bin, *args)

    def env(self, mock=None, key=DEMO_KEY, extra=None):
        env = {k: v for k, v in os.environ.items() if not k.startswith("AGENTRAIL_")}
        env.pop("NO_COLOR", None)
        env.pop("CLICOLOR_FORCE", None)
        env["HOME"] = self.home
        env["XDG_CONFIG_HOME"] = os.path.join(self.home, ".config")
        if mock is not None:
            env["AGENTRAIL_BASE_URL"] = mock.base_url
        if key is not None:
            env["AGENTRAIL_API_KEY"] = key
        env.update(extra or {})
        return {k: v for k, v in env.items() if v is not None}

    def run(self, *args, mock=None, key=DEMO_KEY, env=None, stdin=None, timeout=60):
        cmd = [self.cli, *args]
        p = subprocess.run(cmd, input=stdin, capture_output=True, text=True, timeout=timeout,
                           env=self.env(mock, key, env))
        return Result(args, p.returncode, p.stdout, p.stderr)

    def run_tty(self, *args, mock=None, key=DEMO_KEY, env=None, timeout=60):
        """Runs under a pseudo-terminal via script(1); stdout and stderr arrive mixed in `out`."""
        cmd = " ".join(shlex.quote(a) for a in [self.cli, *args])
        extra = {"COLUMNS": "120", "TERM": "xterm"}
        extra.update(env or {})
        p = subprocess.run(["script", "-qec", cmd, "/dev/null"], capture_output=True, text=True, timeout=timeout,
                           env=self.env(mock, key, extra), stdin=subprocess.DEVNULL)
        return Result(args, p.returncode, p.stdout.replace("\r\n", "\n"), p.stderr)

    def check(self, name, ok, detail=""):
        if ok:
            self.passed += 1
            print("ok   %s" % name)
        else:
            self.failed += 1
            print("FAIL %s\n     %s" % (name, str(detail).replace("\n", "\n     ")))
        sys.stdout.flush()

    def finish(self):
        print("%d passed, %d failed" % (self.passed, self.failed))
        sys.exit(1 if self.failed else 0)


def wait_for(predicate, timeout=10.0, interval=0.1):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


def interrupt(proc, timeout=10):
    """Sends SIGINT (Ctrl-C) and collects the output; a process that does not stop in time is killed (and
    the caller's checks on its exit status then fail)."""
    proc.send_signal(signal.SIGINT)
    try:
        return proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.communicate()
