#!/usr/bin/env python3
"""End-to-end tests of secrets entered safely and of the TOML config file: `agentrail login` and
`config set api_key` on a pseudo-terminal (the key is never echoed; Ctrl-C gives the echo back), login from a
pipe, `keys rotate --save`, the warning for a key in a file others can read, warnings for unknown keys and
wrong types, and `retries` / `timeout` in a profile working like their flags."""

import http.server
import json
import os
import pty
import select
import signal
import socket
import stat
import subprocess
import termios
import threading
import time

import pytest

from e2e_support import ADMIN_KEY, DEMO_KEY, within

s = mock = cfgdir = cfg = None  # bound by scenario() below


@pytest.fixture(scope="module", autouse=True)
def scenario(suite):
    """The Suite of this module (tests/e2e/conftest.py) and the mocks it runs against."""
    global s, mock, cfgdir, cfg
    s = suite
    mock = s.mock()
    cfgdir = os.path.join(s.home, ".config", "agentrail")
    cfg = os.path.join(cfgdir, "config.toml")


def run(*args, **kw):
    kw.setdefault("key", None)
    return s.run(*args, **kw)


def text():
    with open(cfg) as f:
        return f.read()


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def write_config(content, file_mode=0o600):
    os.makedirs(cfgdir, exist_ok=True)
    with open(cfg, "w") as f:
        f.write(content)
    os.chmod(cfg, file_mode)


def reset():
    if os.path.exists(cfg):
        os.unlink(cfg)


class Pty:
    """The CLI with a pseudo-terminal as stdin, stdout and stderr; the test holds both ends, so it can read
    what the terminal shows and look at the terminal's settings while the CLI runs and after."""

    def __init__(self, *args, env=None):
        self.master, self.slave = os.openpty()
        self.out = b""
        self.proc = subprocess.Popen([s.cli, *args], stdin=self.slave, stdout=self.slave, stderr=self.slave,
                                     env=s.env(None, None, env), start_new_session=True)

    def read_until(self, needle, timeout=10):
        deadline = time.time() + timeout
        while needle.encode() not in self.out and time.time() < deadline:
            ready, _, _ = select.select([self.master], [], [], 0.1)
            if ready:
                try:
                    self.out += os.read(self.master, 4096)
                except OSError:
                    break
        return needle.encode() in self.out

    def echo_on(self):
        return bool(termios.tcgetattr(self.slave)[3] & termios.ECHO)

    def type(self, data):
        os.write(self.master, data.encode())

    def finish(self, timeout=20):
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = self.proc.wait()
        deadline = time.time() + 2
        while time.time() < deadline:
            ready, _, _ = select.select([self.master], [], [], 0.1)
            if not ready:
                break
            try:
                chunk = os.read(self.master, 4096)
            except OSError:
                break
            if not chunk:
                break
            self.out += chunk
        echo = self.echo_on()
        os.close(self.master)
        os.close(self.slave)
        return rc, self.out.decode(errors="replace"), echo


# ---- login on a terminal: prompt with echo off, key checked, stored with mode 0600 -----------------------
def test_login_on_a_terminal_prompt_with_echo_off_key():
    reset()
    p = Pty("login", "--base-url", mock.base_url)
    prompted = p.read_until("(input hidden): ")
    echo_during_prompt = p.echo_on()
    p.type(DEMO_KEY + "\n")
    rc, out, echo_after = p.finish()
    s.check("login on a TTY prompts with the terminal's echo off", prompted and not echo_during_prompt, out)
    s.check("login on a TTY: the key typed is not echoed", rc == 0 and DEMO_KEY not in out and "Logged in to" in out,
            out)
    s.check("login: the terminal's echo is back afterwards", echo_after, out)
    s.check("login stores base URL and key in the profile, mode 0600",
            os.path.exists(cfg) and mode(cfg) == 0o600 and 'api_key = "%s"' % DEMO_KEY in text() and
            'base_url = "%s"' % mock.base_url in text() and 'current_profile = "default"' in text(),
            text() if os.path.exists(cfg) else "no file")
    r = run("tasks", "list", "-q", "--limit", "1")
    s.check("after login a command needs nothing else", r.rc == 0 and r.out.startswith("tsk_"), r)

    # Ctrl-C at the prompt: exit 130, echo restored, nothing saved.
    before = text()
    p = Pty("login", "--profile", "other", "--base-url", mock.base_url)
    p.read_until("(input hidden): ")
    p.type("ar_partial")
    time.sleep(0.2)
    os.killpg(p.proc.pid, signal.SIGINT)
    rc, out, echo_after = p.finish()
    s.check("Ctrl-C at the login prompt: exit 130, echo restored, nothing saved",
            rc == 130 and echo_after and text() == before and "ar_partial" not in out, (rc, out, echo_after))

    # `config set api_key` on a terminal with no value prompts the same way (and does not echo).
    p = Pty("config", "set", "--profile", "tty", "api_key")
    prompted = p.read_until("(input hidden): ")
    echo_during_prompt = p.echo_on()
    p.type("ar_typed_on_tty\n")
    rc, out, echo_after = p.finish()
    s.check("config set api_key on a TTY prompts with echo off and stores the key",
            prompted and not echo_during_prompt and rc == 0 and "ar_typed_on_tty" not in out and echo_after and
            'api_key = "ar_typed_on_tty"' in text() and mode(cfg) == 0o600, (out, text()))


# ---- login from a pipe -------------------------------------------------------------------------------------
def test_login_from_a_pipe():
    r = run("login", "--profile", "admin", "--base-url", mock.base_url, stdin=ADMIN_KEY + "\n")
    s.check("login reads the key from stdin when it is not a TTY, into a new profile",
            r.rc == 0 and "[profile.admin]" in text() and ADMIN_KEY in text() and ADMIN_KEY not in r.out + r.err, r)
    before = text()
    r = run("login", "--profile", "bad", "--base-url", mock.base_url, stdin="ar_local_wrong_key\n")
    s.check("login with a key the server rejects: exit 3, nothing saved",
            r.rc == 3 and "rejected this API key" in r.err and "nothing was saved" in r.err and text() == before, r)
    r = run("login", "--base-url", "http://127.0.0.1:1", "--no-retry", stdin=DEMO_KEY + "\n")
    s.check("login with no server: exit 10, nothing saved", r.rc == 10 and text() == before, r)
    r = run("login", "--profile", "admin", "--json", stdin=ADMIN_KEY + "\n")
    j = r.json() or {}
    s.check("login --json: profile, URL and masked key", r.rc == 0 and j.get("profile") == "admin" and
            j.get("baseUrl") == mock.base_url and ADMIN_KEY not in r.out, r)


# ---- keys rotate --save -------------------------------------------------------------------------------------
def test_keys_rotate_save():
    r = s.run("keys", "create", "--agent-id", "agt_rotator", "--display-name", "Rotator", "--role", "ops",
              "--scope", "auth:admin", "--scope", "tasks:read", "--json", mock=mock, key=ADMIN_KEY)
    created = r.json() or {}
    key_id, first_secret = created.get("id", ""), created.get("apiKey", "")
    r = run("login", "--profile", "ops", "--base-url", mock.base_url, stdin=first_secret + "\n")
    s.check("a created key logs in", r.rc == 0 and first_secret in text(), r)
    r = run("keys", "rotate", key_id, "--profile", "ops", "--save")
    after = text()
    s.check("keys rotate --save: the new secret goes into the active profile, which is named",
            r.rc == 0 and first_secret not in after and "profile ops" in r.err and "ar_" not in r.out and
            mode(cfg) == 0o600, (r, after))
    r = run("tasks", "list", "-q", "--limit", "1", "--profile", "ops")
    s.check("keys rotate --save: the profile works with the new key", r.rc == 0, r)
    r = run("keys", "rotate", key_id, "--profile", "ops", "--save", "--save-to", os.path.join(s.tmp, "k"))
    s.check("--save and --save-to exclude each other", r.rc == 2, r)

    # Without --save: how to save it, and never a suggestion to rotate again.
    r = s.run("keys", "create", "--agent-id", "agt_other", "--display-name", "Other", "--role", "ops",
              "--scope", "tasks:read", "--json", mock=mock, key=ADMIN_KEY)
    other_id = (r.json() or {}).get("id", "")
    r = s.run_tty("keys", "rotate", other_id, mock=mock, key=ADMIN_KEY)
    s.check("keys rotate without --save says how to save the key and does not suggest rotating again",
            r.rc == 0 and "agentrail config set api_key" in r.out and "keys rotate" not in r.out and
            "agentrail keys usage akey_" in r.out, r)

    # With a key file: --save writes the file the profile names.
    keyfile = os.path.join(s.tmp, "rotator.key")
    r = s.run("keys", "create", "--agent-id", "agt_filer", "--display-name", "Filer", "--role", "ops",
              "--scope", "auth:admin", "--json", mock=mock, key=ADMIN_KEY)
    file_id, file_secret = (r.json() or {}).get("id", ""), (r.json() or {}).get("apiKey", "")
    with open(keyfile, "w") as f:
        f.write(file_secret + "\n")
    os.chmod(keyfile, 0o600)
    run("config", "set", "--profile", "filer", "base_url", mock.base_url)
    run("config", "set", "--profile", "filer", "api_key_file", keyfile)
    r = run("keys", "rotate", file_id, "--profile", "filer", "--save")
    with open(keyfile) as f:
        new_secret = f.read().strip()
    s.check("keys rotate --save with api_key_file: the key file gets the new secret",
            r.rc == 0 and new_secret.startswith("ar_") and new_secret != file_secret and keyfile in r.err and
            mode(keyfile) == 0o600, r)


# ---- permission warning ---------------------------------------------------------------------------------
def test_permission_warning():
    write_config('[profile.default]\nbase_url = "%s"\napi_key = "%s"\n' % (mock.base_url, DEMO_KEY), 0o644)
    r = run("tasks", "list", "-q", "--limit", "1")
    s.check("a group/world-readable config file holding a key: warning naming chmod 600",
            r.rc == 0 and "holds an API key" in r.err and ("chmod 600 " + cfg) in r.err, r)
    os.chmod(cfg, 0o640)
    r = run("tasks", "list", "-q", "--limit", "1")
    s.check("group-readable is warned about too", "chmod 600" in r.err, r)
    write_config('[profile.default]\nbase_url = "%s"\n' % mock.base_url, 0o644)
    r = run("tasks", "list", "-q", "--limit", "1", key=DEMO_KEY)
    s.check("a readable config file without a key: no warning", r.rc == 0 and "chmod" not in r.err, r)


# ---- unknown keys and wrong types ---------------------------------------------------------------------
def test_unknown_keys_and_wrong_types():
    write_config('# typo below\n[profile.default]\nbase-url = "%s"\nretries = "3"\n' % mock.base_url)
    r = run("config", "explain", "--json")
    s.check("a typo'd key is a warning naming the key, the file and the line, with a suggestion",
            (cfg + ":3:1: unknown key 'base-url' in [profile.default] (did you mean 'base_url'?)") in r.err, r)
    s.check("a value of the wrong type is a warning naming the key and the file",
            (cfg + ":4:1: retries in [profile.default] must be an integer") in r.err, r)
    s.check("the typo'd key is not used (default URL)", ((r.json() or {}).get("baseUrl") or {}).get("source") == "default",
            r)
    write_config('[profile.default]\nbase_url = "http://x"\nretries = 3\nretries = 4\n')
    r = run("config", "explain")
    s.check("a syntax error names file:line:column, exit 2", r.rc == 2 and (cfg + ":4:") in r.err, r)
    write_config('''# full TOML
current_profile = "dotted"
profile.dotted.base_url = """
%s"""
[profile.dotted.extra]   # a table this CLI does not know
x = { y = 1 }
''' % mock.base_url)
    r = run("tasks", "list", "-q", "--limit", "1", key=DEMO_KEY)
    s.check("dotted keys and multi-line strings work in the config file", r.rc == 0 and r.out.startswith("tsk_"), r)
    r = run("config", "set", "timeout", "20s")
    s.check("config set keeps the file's comments and unknown tables",
            r.rc == 0 and text().startswith("# full TOML\n") and "x = { y = 1 }" in text() and
            'profile.dotted.timeout = "20s"' in text(), text())


# ---- retries and timeout in a profile work like their flags ---------------------------------------------
def test_retries_and_timeout_in_a_profile_work_like_their():
    class Counting(http.server.BaseHTTPRequestHandler):
        hits = 0

        def do_GET(self):
            Counting.hits += 1
            body = b'{"error":{"code":"internal_error","message":"boom","details":{}}}'
            self.send_response(503)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Counting)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    failing = "http://127.0.0.1:%d" % server.server_address[1]

    write_config('[profile.default]\nbase_url = "%s"\nretries = 1\n' % failing)
    Counting.hits = 0
    r = run("tasks", "list", key=DEMO_KEY)
    s.check("retries in the profile: 1 retry (2 requests)", r.rc == 9 and Counting.hits == 2, (r, Counting.hits))
    Counting.hits = 0
    r = run("tasks", "list", "--retries", "0", key=DEMO_KEY)
    s.check("--retries beats the profile's retries", r.rc == 9 and Counting.hits == 1, (r, Counting.hits))
    r = run("config", "explain", "--json")
    ex = r.json() or {}
    s.check("config explain shows retries from the profile and the default timeout",
            ex.get("retries", {}).get("value") == "1" and ex.get("retries", {}).get("source") == "config" and
            ex.get("timeout", {}).get("source") == "default", r)
    server.shutdown()

    # A server that accepts and never answers: the profile's timeout ends the call.
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    write_config('[profile.default]\nbase_url = "http://127.0.0.1:%d"\ntimeout = "1s"\nretries = 0\n' %
                 silent.getsockname()[1])
    start = time.time()
    r = run("tasks", "list", key=DEMO_KEY, timeout=30)
    elapsed = time.time() - start
    s.check("timeout in the profile ends a silent call (exit 10 in about 1 s)", r.rc == 10 and within(elapsed, 8), (r, elapsed))
    r = run("config", "explain", "--json", "--timeout", "3s")
    ex = r.json() or {}
    s.check("--timeout beats the profile's timeout in config explain",
            ex.get("timeout", {}).get("value") == "3s" and ex.get("timeout", {}).get("source") == "flag", r)
    write_config('[profile.default]\nbase_url = "http://x"\nretries = 50\n')
    r = run("tasks", "list", key=DEMO_KEY)
    s.check("retries out of range in the profile: exit 2 naming the file", r.rc == 2 and cfg in r.err and "0-10" in r.err,
            r)
    silent.close()
