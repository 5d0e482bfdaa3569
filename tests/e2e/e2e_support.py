"""Helpers for the CLI end-to-end tests: start agentrail-mock, run the agentrail binary, record checks.

The tests run under pytest (tests/e2e/conftest.py). Each test file is a scenario against one or more mocks;
its tests run in order and share the module's Suite `s`, which tests/e2e/conftest.py creates per module:

    import pytest

    s = mock = None  # bound per module: the Suite, and the mock the scenario runs against

    @pytest.fixture(scope="module", autouse=True)
    def scenario(suite):
        global s, mock
        s, mock = suite, suite.mock("--tasks", "10")   # started on a free port; stopped after the module

    def test_list():
        r = s.run("tasks", "list", "--json", mock=mock)
        s.check("list is JSON", r.rc == 0 and isinstance(r.json(), list), r)

A check records its outcome and the test goes on (every check of a test runs); the test fails at its end
listing every check that failed (tests/e2e/conftest.py).
"""

import atexit
import json
import os
import shlex
import signal
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "pytest_support"))
from timing import wait_until, within  # noqa: E402,F401 - for the tests
import tally  # noqa: E402
import timing  # noqa: E402

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
    def __init__(self, cli, mock_bin, tmp=None):
        self.cli = os.path.abspath(cli)
        self.mock_bin = os.path.abspath(mock_bin)
        self.passed = 0
        self.failed = 0
        self.failures = []  # (name, detail) of every failed check, in order
        self.tmp = tmp or tempfile.mkdtemp(prefix="agentrail-e2e-")
        self.home = os.path.join(self.tmp, "home")
        os.makedirs(self.home)
        self._mocks = []

    @property
    def sanitized(self):
        """True when the binaries run under AddressSanitizer/ThreadSanitizer: their memory and timing then say
        nothing about the program's own (ASan's quarantine alone keeps up to 256 MiB of freed memory)."""
        return timing.SANITIZED

    def rss_within(self, rss_mib, limit_mib):
        """A peak-memory bound that holds for a normal build (not checked under sanitizers)."""
        return self.sanitized or rss_mib < limit_mib

    def mock(self, *args):
        """Starts agentrail-mock ARGS on a free port; it is stopped when the suite closes."""
        m = Mock(self.mock_bin, *args)
        self._mocks.append(m)
        return m

    def seeded_mock(self, edit):
        """Starts agentrail-mock on tests/mock_server/seed.example.json as changed by edit(seed); returns
        (mock, seed)."""
        root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
        with open(os.path.join(root, "tests/mock_server/seed.example.json")) as f:
            seed = json.load(f)
        edit(seed)
        seed_file = os.path.join(self.tmp, "seed.json")
        with open(seed_file, "w") as f:
            json.dump(seed, f)
        return self.mock("--seed", seed_file), seed

    def close(self):
        for m in self._mocks:
            m.stop()
        self._mocks = []

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
        tally.record("e2e", ok)
        if ok:
            self.passed += 1
            print("ok   %s" % name)
        else:
            self.failed += 1
            self.failures.append((name, str(detail)))
            print("FAIL %s\n     %s" % (name, str(detail).replace("\n", "\n     ")))
        sys.stdout.flush()


def interrupt(proc, timeout=10):
    """Sends SIGINT (Ctrl-C) and collects the output; a process that does not stop in time is killed (and
    the caller's checks on its exit status then fail)."""
    proc.send_signal(signal.SIGINT)
    try:
        return proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.communicate()
