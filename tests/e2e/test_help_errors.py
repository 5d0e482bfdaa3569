#!/usr/bin/env python3
"""Finding your way and errors people can read, end to end: typo suggestions at every level, help for any
command (grouped top level, examples, global flags, upper-case positionals), version facts, hints only on a
terminal (stdout and stderr checked apart through pseudo-terminals), the no-key and no-server errors, and
the exact text of each kind of error."""

import json
import os
import pty
import re
import select
import subprocess
import time

import pytest

from e2e_support import READONLY_KEY

s = mock = URL = None  # bound by scenario() below
T1, T5 = "tsk_01JZDEMO0000000000000001", "tsk_01JZDEMO0000000000000005"


@pytest.fixture(scope="module", autouse=True)
def scenario(suite):
    """The Suite of this module (tests/e2e/conftest.py) and the mocks it runs against."""
    global s, mock, URL
    s = suite
    mock = s.mock()
    URL = mock.base_url


def run(*args, **kw):
    kw.setdefault("mock", mock)
    return s.run(*args, **kw)


def err_lines(r):
    return r.err.splitlines()


# ---- Finding your way: typos ----------------------------------------------------------------------------
def test_finding_your_way_typos():
    TYPOS = [
        (("taks", "list"), ["error: unknown_command: `taks` is not an agentrail command. Did you mean `tasks`?",
                            "next: agentrail tasks list"]),
        (("tasks", "lst"), ["error: unknown_command: `lst` is not a command of `agentrail tasks`. Did you mean `list`?",
                            "next: agentrail tasks list"]),
        (("event", "tail"), ["error: unknown_command: `event` is not an agentrail command. Did you mean `events`?",
                             "next: agentrail events tail"]),
        (("config", "show"), ["error: unknown_command: `show` is not a command of `agentrail config`. Did you mean "
                              "`get` or `explain`?", "next: agentrail config get", "next: agentrail config explain"]),
        (("subs", "lst", "-q"), ["error: unknown_command: `lst` is not a command of `agentrail subscriptions`. Did you "
                                 "mean `list`?", "next: agentrail subs list -q"]),
        (("tasks", "list", "--stauts", "todo"), ["error: unknown_flag: unknown flag `--stauts` for `agentrail tasks list`. "
                                                 "Did you mean `--status`?", "next: agentrail tasks list --status todo"]),
        (("--bogus",), ["error: unknown_flag: unknown flag `--bogus` for `agentrail`", "next: agentrail --help"]),
        (("task", "frobnicate"), ["error: unknown_command: `frobnicate` is not a command of `agentrail tasks`",
                                  "next: agentrail help tasks"]),
        (("help", "taks", "submit"), ["error: unknown_command: `taks` is not an agentrail command. Did you mean `tasks`?",
                                      "next: agentrail help tasks submit"]),
    ]
    for args, expected in TYPOS:
        r = run(*args)
        s.check("typo `agentrail %s`: exit 2, names the word, suggests, nothing on stdout" % " ".join(args),
                r.rc == 2 and r.out == "" and err_lines(r) == expected, "%s\nexpected: %s" % (r, expected))
    r = run("taks", "list", "--errors", "json")
    e = (json.loads(r.err) if r.err.strip().startswith("{") else {}).get("error", {})
    s.check("typo with --errors json: one JSON object with the suggestions as next", r.rc == 2 and
            e.get("code") == "unknown_command" and e.get("next") == ["agentrail tasks list --errors json"], r)

    r = run()
    s.check("bare agentrail prints the top-level help (stderr, exit 2)", r.rc == 2 and r.out == "" and
            r.err.startswith("agentrail: the AgentRail") and "\nTasks:\n" in r.err, r)
    r = run("tasks")
    s.check("a group without its subcommand prints the group's help (exit 2)", r.rc == 2 and
            "Usage: agentrail tasks COMMAND" in r.err and "\nCommands:\n" in r.err, r)
    r = run("tasks", "list", "--limit", "0")
    s.check("a bad flag value: error: prefix, the command's --help as next",
            r.rc == 2 and err_lines(r) == ["error: usage: --limit: Value 0 not in range 1 to 100",
                                           "next: agentrail tasks list --help"], r)


# ---- help for any command --------------------------------------------------------------------------------
def test_help_for_any_command():
    r = run("help", "tasks")
    s.check("agentrail help tasks: the group's help, exit 0", r.rc == 0 and r.out == run("tasks", "--help").out and
            "Usage: agentrail tasks COMMAND" in r.out, r)
    r = run("help", "task", "submit")
    s.check("agentrail help task submit (alias): the command's help, exit 0",
            r.rc == 0 and r.out == run("task", "submit", "--help").out and "Usage: agentrail tasks submit TASK" in r.out, r)

    top = run("--help").out
    groups = ["Tasks:", "Events & webhooks:", "Keys & subscriptions:", "Setup & diagnostics:"]
    pos = [top.find("\n" + g + "\n") for g in groups]
    s.check("top-level commands grouped, in order", all(p > 0 for p in pos) and pos == sorted(pos), (pos, top))
    s.check("exit-codes appears once in the top-level help", len(re.findall(r"^\s+exit-codes\b", top, re.M)) == 1, top)
    s.check("help exit-codes still works", run("help", "exit-codes", "--json").rc == 0)

    ref = run("help", "reference").out
    leaves = []
    for block in ref.split("\n## ")[1:]:
        path = block.split("\n", 1)[0].strip()
        if path.startswith("agentrail") and "\nCommands:" not in block:
            leaves.append(path)
    s.check("the reference lists the leaf commands (%d)" % len(leaves), len(leaves) >= 30, leaves)
    bad = []
    for path in leaves:
        words = path.split()[1:]
        h = run(*words, "--help").out
        examples = re.findall(r"^  \$ agentrail ", h, re.M) + re.findall(r"^  \$ \S+ \"\$\(agentrail ", h, re.M)
        problems = []
        if not 1 <= len(re.findall(r"^  \$ ", h, re.M)) <= 3:
            problems.append("examples: %d" % len(re.findall(r"^  \$ ", h, re.M)))
        if "\nExamples:\n" not in h:
            problems.append("no Examples heading")
        if path not in ("agentrail completion", "agentrail help"):
            g = h.split("\nGlobal flags:\n", 1)
            if len(g) != 2 or not all(f in g[1].split("\n\n")[0] for f in ("-o,--output", "--json", "--jq", "--raw",
                                                                            "-q,--quiet")):
                problems.append("no Global flags heading with -o, --json, --jq, --raw, -q")
        usage = re.search(r"^Usage: (.*)$", h, re.M)
        if not usage or re.search(r" \[?[a-z_]+\]?( |$)", usage.group(1).replace(path, "").replace("[flags]", "")):
            problems.append("positional not upper case: %s" % (usage.group(1) if usage else None))
        if problems:
            bad.append((path, problems))
    s.check("every leaf command's help: 1-3 examples, global flags under their own heading, upper-case positionals",
            not bad, bad)
    h = run("keys", "usage", "--help").out
    s.check("positionals upper case: KEY_ID, TASK", "Usage: agentrail keys usage KEY_ID [flags]" in h and
            "\n  KEY_ID " in h and "Usage: agentrail tasks show TASK [flags]" in run("task", "show", "--help").out, h)
    man = run("help", "man").out
    s.check("the man page carries each command's examples", man.count("\nExamples:\n") >= len(leaves) and
            "$ agentrail task submit tsk_01JZDEMO" in man.replace("\\-", "-"), man[:300])
    s.check("docs/commands.md carries them too", ref.count("\nExamples:\n") >= len(leaves), "")


# ---- version -----------------------------------------------------------------------------------------------
def test_version():
    r = run("version")
    s.check("version names the commit and the build date", r.rc == 0 and
            re.search(r"\(commit [0-9a-f]{7,40}|\(commit unknown", r.out) and
            re.search(r"built \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", r.out), r)
    v = run("version", "--json").json() or {}
    s.check("version --json: commit and buildDate", set(v) >= {"cli", "commit", "buildDate", "library", "curl"} and
            re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", v.get("buildDate", "")), v)


# ---- hints only on a terminal ------------------------------------------------------------------------------
def test_hints_only_on_a_terminal():
    def run_ptys(args, stdout_tty, stderr_tty, shell=None, timeout=20):
        """Runs with stdout and/or stderr on their own pseudo-terminals (or pipes); returns (rc, out, err)."""
        env = s.env(mock, extra={"COLUMNS": "160", "TERM": "xterm", "NO_COLOR": "1"})
        fds, parent = {}, {}
        for name, tty in (("out", stdout_tty), ("err", stderr_tty)):
            if tty:
                m, c = pty.openpty()
            else:
                m, c = os.pipe()
            fds[name], parent[name] = c, m
        cmd = ["bash", "-c", shell] if shell else [s.cli, *args]
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=fds["out"], stderr=fds["err"], env=env)
        os.close(fds["out"])
        os.close(fds["err"])
        data = {"out": b"", "err": b""}
        open_fds = dict(parent)
        deadline = time.time() + timeout
        while open_fds and time.time() < deadline:
            ready, _, _ = select.select(list(open_fds.values()), [], [], 0.2)
            for fd in ready:
                name = next(k for k, v in open_fds.items() if v == fd)
                try:
                    chunk = os.read(fd, 65536)
                except OSError:
                    chunk = b""
                if chunk:
                    data[name] += chunk
                else:
                    os.close(fd)
                    del open_fds[name]
            if p.poll() is not None and not ready:
                break
        for fd in open_fds.values():
            os.close(fd)
        rc = p.wait(timeout=5)
        return rc, data["out"].decode().replace("\r\n", "\n"), data["err"].decode().replace("\r\n", "\n")

    HINT = re.compile(r"Next steps:|\(none\)|^  agentrail ", re.M)
    rc, out, err = run_ptys(["task", "show", T1], True, True)
    s.check("on a terminal: task show's Next steps go to stderr, not stdout",
            rc == 0 and "Title" in out and not HINT.search(out) and "Next steps:" in err and
            "agentrail task start " + T1 in err, (rc, out, err))
    rc, out, err = run_ptys(None, False, True, shell="%s task show %s | cat" % (s.cli, T1))
    s.check("`agentrail task show X | cat` on a terminal prints no hint lines", rc == 0 and "Title" in err + out and
            not HINT.search(out + err), (rc, out, err))
    rc, out, err = run_ptys(None, False, True, shell="%s subs list | cat" % s.cli)
    s.check("`agentrail subs list | cat` on a terminal prints no hint lines (no (none))", rc == 0 and
            not HINT.search(out + err), (rc, out, err))
    rc, out, err = run_ptys(["subs", "list"], True, True)
    s.check("`subs list` on a terminal: the empty list's (none) is a hint on stderr", rc == 0 and "(none)" in err and
            "(none)" not in out, (rc, out, err))
    rc, out, err = run_ptys(["task", "show", T1], True, False)
    s.check("stdout a terminal, stderr redirected: no hints anywhere", rc == 0 and "Title" in out and
            not HINT.search(out + err), (rc, out, err))
    rc, out, err = run_ptys(["tasks", "list"], False, False)
    s.check("tasks list piped: stdout holds data only", rc == 0 and out.startswith("ID ") and not HINT.search(out + err),
            (rc, out, err))


# ---- no key, no server ---------------------------------------------------------------------------------------
def test_no_key_no_server():
    NO_KEY = ["error: list tasks: no_api_key: this command needs an API key and none is set; nothing was sent",
              "next: printf '%s' \"$KEY\" | agentrail config set api_key",
              "next: export AGENTRAIL_API_KEY=KEY",
              "next: agentrail --api-key-file FILE COMMAND"]
    # A closed port: had anything been sent, the answer would be a network error (10), not 3.
    dead = {"AGENTRAIL_BASE_URL": "http://127.0.0.1:9"}
    r = s.run("tasks", "list", key=None, env=dead)
    s.check("no key: exit 3 before anything is sent, naming the ways to set one", r.rc == 3 and err_lines(r) == NO_KEY, r)
    for args in (("task", "show", T1), ("subs", "list"), ("keys", "usage", "akey_localdemo"), ("events", "tail")):
        r = s.run(*args, key=None, env=dead)
        s.check("no key: `%s` exits 3 with no_api_key" % " ".join(args), r.rc == 3 and ": no_api_key: " in r.err, r)
    r = run("health", key=None)
    s.check("no key: health needs none and works", r.rc == 0, r)

    for args, op in ((("tasks", "list"), "list tasks: network: GET http://127.0.0.1:9/tasks/mine"),
                     (("task", "show", T1), "show task %s: network: GET http://127.0.0.1:9/tasks/%s" % (T1, T1)),
                     (("subs", "list"), "list event subscriptions: network: GET http://127.0.0.1:9/event-subscriptions"),
                     (("health",), "health check: network: GET http://127.0.0.1:9/health")):
        started = time.time()
        r = s.run(*args, "--retries", "1", env=dead)
        took = time.time() - started
        expected = ["error: %s failed: Couldn't connect to server; is the server running at http://127.0.0.1:9?" % op,
                    "next: agentrail doctor"]
        s.check("no server: `%s` says what to check, after its retry (%.1fs)" % (" ".join(args), took),
                r.rc == 10 and err_lines(r) == expected and took > 0.2, "%s\nexpected: %s" % (r, expected))

    r = s.run("events", "tail", "--timeout", "2s", env=dead)
    s.check("no server: `events tail --timeout` that no server answered exits 10 (not 0) and says what to check",
            r.rc == 10 and [l for l in err_lines(r) if not l.startswith("warning:")] ==
            ["error: tail events: network: no server answered the event stream before --timeout 2s; "
             "is the server running at http://127.0.0.1:9?", "next: agentrail doctor"], r)


# ---- the exact text of each kind of error ----------------------------------------------------------------------
def test_the_exact_text_of_each_kind_of_error():
    r = run("tasks", "list", key="ar_local_wrong_key")
    s.check("unauthorized", r.rc == 3 and err_lines(r) == ["error: list tasks: unauthorized: Authentication failed",
                                                           "next: agentrail config explain"], r)
    r = run("task", "start", T5, key=READONLY_KEY)
    s.check("insufficient scope: required and granted scopes, next: agentrail doctor", r.rc == 4 and len(err_lines(r)) == 2
            and err_lines(r)[0] == "error: start task %s: insufficient_scope: Agent API key does not grant the required "
            "scope; needs tasks:write (key has: tasks:read)" % T5 and err_lines(r)[1] == "next: agentrail doctor", r)
    r = run("task", "show", "tsk_01JZOTHER000000000000001")
    s.check("forbidden: list_my_tasks becomes agentrail tasks list", r.rc == 4 and err_lines(r) == [
        "error: show task tsk_01JZOTHER000000000000001: forbidden: Task is not assigned to this agent",
        "next: agentrail tasks list"], r)
    r = run("task", "show", "tsk_doesnotexist000")
    s.check("not found", r.rc == 5 and err_lines(r) == ["error: show task tsk_doesnotexist000: not_found: Resource not found",
                                                        "next: agentrail tasks list"], r)
    r = run("api", "POST", "/tasks/%s/blocker" % T5, "--data", '{"reason":""}', "--idempotency-key", "help-errors-1")
    s.check("validation: field errors as clauses, no retry of the same input, no key of a refused request",
            r.rc == 7 and err_lines(r) == [
                "error: POST /tasks/%s/blocker: validation_error: Invalid request payload; sourceRunId: is required; "
                "sourceAgentId: is required; reason: must not be empty; actionRequired: is required; resumeInstructions: "
                "is required" % T5], r)
    r = run("task", "submit", T1, "--summary", "too early")
    s.check("action not available: one next: line per offered action", r.rc == 6 and err_lines(r) == [
        "error: submit task %s: action_not_available: task is todo and does not offer submit; pass --force to send it "
        "anyway" % T1, "next: agentrail task start %s" % T1,
        "next: agentrail task block %s --reason TEXT --action-required TEXT --resume-instructions TEXT" % T1], r)
    r = run("keys", "usage", "key_1")
    s.check("invalid argument", r.rc == 2 and err_lines(r) == [
        "error: invalid_argument: key id: 'key_1' is not a valid id (expected akey_[A-Za-z0-9]+)"], r)
    down = s.mock("--fault", json.dumps({"kind": "status", "status": 503, "code": "fallback_mode", "count": -1}))
    r = s.run("tasks", "list", "--no-retry", mock=down)
    s.check("server (503): the failed command as the retry", r.rc == 9 and err_lines(r) == [
        "error: list tasks: fallback_mode: Injected fault", "next: agentrail tasks list --no-retry"], r)
    broken = s.mock("--fault", json.dumps({"kind": "malformed_json", "pathContains": "/tasks/mine", "count": -1}))
    r = s.run("tasks", "list", "--no-retry", mock=broken)
    s.check("protocol", r.rc == 11 and len(err_lines(r)) == 1 and
            err_lines(r)[0].startswith("error: list tasks: protocol: malformed response: HTTP 200 body is not JSON: "), r)
    slow = s.mock("--fault", json.dumps({"kind": "latency", "latencyMs": 3000, "count": -1}))
    r = s.run("tasks", "list", "--no-retry", "--timeout", "300ms", mock=slow)
    s.check("timeout", r.rc == 10 and len(err_lines(r)) == 2 and re.fullmatch(
        r"error: list tasks: timeout: GET %s/tasks/mine failed: Timeout was reached \(Operation timed out after \d+ "
        r"milliseconds with 0 bytes received\); is the server running at %s\?" % (re.escape(slow.base_url),
                                                                               re.escape(slow.base_url)),
        err_lines(r)[0]) and err_lines(r)[1] == "next: agentrail doctor", r)
    limited = s.mock()
    # 3 requests per fixed 60 s window: one window boundary among the runs allows up to 3 more.
    for _ in range(7):
        r = s.run("tasks", "list", "--no-retry", mock=limited, key="ar_local_ratelimited_key")
        if r.rc != 0:
            break
    s.check("rate limited: retry after, the command as the retry", r.rc == 8 and len(err_lines(r)) == 2 and re.fullmatch(
        r"error: list tasks: rate_limited: Rate limit exceeded for this agent key; retry after: \d+s", err_lines(r)[0])
        and err_lines(r)[1] == "next: agentrail tasks list --no-retry", r)
    body = os.path.join(s.tmp, "body.json")
    with open(body, "w") as f:
        f.write("{}")
    r = run("webhook", "verify", "--secret-env", "WS", "--signature", "sha256=00", "--body-file", body,
            env={"WS": "whsec_help_errors"})
    s.check("signature", r.rc == 12 and err_lines(r) == [
        "error: verify webhook signature: signature_invalid: the signature does not match the body for this secret (the "
        "body must be the exact bytes received, and the secret that of the subscription)"], r)
    r = run("task", "wait", T1, "--until", "ci=passed", "--timeout", "1s")
    s.check("wait timeout", r.rc == 14 and [l for l in err_lines(r) if l.startswith("error:")][0] ==
            "error: wait for task %s until ci=passed: wait_timeout: timed out after 1s waiting for ci=passed (task is todo)"
            % T1, r)

    # Every error line of this suite: no doubled punctuation, never ` | `, no raw action names, short.
    RAW = ("list_my_tasks", "request_scope", "view_ci_status", "view_review_feedback", "resolve_blocker", "fetch_next_page",
           "reauthenticate", "reconnect_without_cursor", "retry_failed_checks", "view_logs", "view_usage", "get_task")
    lines = [l for a in (("taks", "list"), ("task", "show", "tsk_doesnotexist000"), ("task", "submit", T1, "--summary", "x"))
             for l in run(*a).err.splitlines()]
    lines += [l for l in s.run("task", "start", T5, mock=mock, key=READONLY_KEY).err.splitlines()]
    s.check("error lines: no '.;', no ' | ', no raw action names, under 160 characters",
            lines and all(".;" not in l and " | " not in l and not any(a in l for a in RAW) and len(l) <= 160
                          for l in lines), lines)
