#!/usr/bin/env python3
"""End-to-end tests of the CLI foundation and the tasks, keys, subscriptions, api, health, version, config
and help commands: every output format, every exit code these groups produce, config precedence, secret
handling and pagination, all against a real agentrail-mock."""

import json
import os
import re
import signal
import stat
import subprocess
import time
import urllib.request

import pytest

from e2e_support import ADMIN_KEY, DEMO_KEY, READONLY_KEY

s = mock = None  # bound by scenario() below
T1, T2, T3, T4, T5, T6 = ("tsk_01JZDEMO000000000000000%d" % i for i in range(1, 7))
OTHER = "tsk_01JZOTHER000000000000001"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture(scope="module", autouse=True)
def scenario(suite):
    """The Suite of this module (tests/e2e/conftest.py) and the mocks it runs against."""
    global s, mock
    s = suite
    mock = s.mock("--tasks", "250")


def run(*args, **kw):
    kw.setdefault("mock", mock)
    return s.run(*args, **kw)


def api_all_task_ids():
    ids, cursor = [], None
    while True:
        url = mock.base_url + "/tasks/mine?limit=100" + ("&cursor=" + cursor if cursor else "")
        req = urllib.request.Request(url, headers={"Authorization": "Bearer " + DEMO_KEY})
        body = json.load(urllib.request.urlopen(req))
        ids += [t["id"] for t in body["data"]]
        if not body["page"]["hasMore"]:
            return ids
        cursor = body["page"]["nextCursor"]


# ---- version, help -------------------------------------------------------------------------------------
def test_version_help():
    r = run("version")
    s.check("version prints cli, library and curl versions", r.rc == 0 and "libagentrail" in r.out and "curl" in r.out, r)
    r = run("--version")
    s.check("--version", r.rc == 0 and r.out.startswith("agentrail "), r)
    r = run("version", "--json")
    s.check("version --json", r.rc == 0 and set(r.json() or {}) >= {"cli", "library", "curl"}, r)
    r = run("help", "exit-codes")
    s.check("help exit-codes table", r.rc == 0 and "130" in r.out and "cursor_expired" in r.out, r)
    r = run("exit-codes", "-o", "json")
    s.check("exit-codes json", r.rc == 0 and len(r.json() or []) == 17 and r.json()[6]["code"] == 6, r)
    r = run("--help")
    s.check("--help lists the groups", r.rc == 0 and all(g in r.out for g in ("tasks", "keys", "subscriptions", "api")), r)
    r = run()
    s.check("no subcommand is a usage error (2)", r.rc == 2, r)
    r = run("help")
    s.check("help prints the top-level help", r.rc == 0 and "Usage: agentrail" in r.out and "tasks" in r.out, r)
    r = run("tasks")
    s.check("a group without a subcommand is a usage error (2)", r.rc == 2, r)


# ---- health --------------------------------------------------------------------------------------------
def test_health():
    r = run("health", key=None)
    s.check("health table without a key", r.rc == 0 and "Status" in r.out and "ok" in r.out, r)
    r = run("health", "--json")
    s.check("health json", r.rc == 0 and (r.json() or {}).get("status") == "ok", r)
    r = run("health", "-o", "ndjson")
    s.check("health ndjson is one line", r.rc == 0 and len(r.lines()) == 1 and json.loads(r.lines()[0])["status"] == "ok", r)
    r = run("health", "--jq", ".status")
    s.check("health --jq prints raw strings", r.rc == 0 and r.out == "ok\n", r)
    r = run("health", "-q")
    s.check("health -q", r.rc == 0 and r.out == "ok\n", r)


# ---- tasks list ----------------------------------------------------------------------------------------
def test_tasks_list():
    r = run("tasks", "list")
    s.check("tasks list table (piped)", r.rc == 0 and r.lines()[0].split()[:3] == ["ID", "KEY", "STATUS"], r)
    s.check("tasks list piped: RFC 3339 times, no colour", re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", r.out) is not None
            and "\x1b[" not in r.out, r)
    s.check("tasks list piped: data only, no Next steps hint on stdout or stderr",
            "Next steps:" not in r.out + r.err and "--cursor" not in r.out + r.err, r)
    r = run("tasks", "list", "--json")
    data = r.json()
    s.check("tasks list --json is the data array", r.rc == 0 and isinstance(data, list) and len(data) == 25, r)
    s.check("tasks list --json keeps server fields", all("availableActions" in t and "blocker" in t for t in data), r)
    r = run("task", "list", "-o", "ndjson", "--limit", "5")
    s.check("task (alias) list ndjson: one item per line",
            r.rc == 0 and len(r.lines()) == 5 and all(json.loads(l)["id"].startswith("tsk_") for l in r.lines()), r)
    r = run("tasks", "list", "--limit", "3", "--jq", ".[].identifier")
    s.check("tasks list --jq", r.rc == 0 and len(r.lines()) == 3 and not r.out.startswith('"'), r)
    r = run("tasks", "list", "--limit", "4", "-q")
    s.check("tasks list -q prints ids", r.rc == 0 and len(r.lines()) == 4 and all(l.startswith("tsk_") for l in r.lines()), r)
    r = run("tasks", "list", "--limit", "2", "--raw")
    env = r.json() or {}
    s.check("tasks list --raw is the envelope", r.rc == 0 and {"data", "page", "availableActions"} <= set(env), r)
    r = run("tasks", "list", "--status", "blocked", "--json")
    s.check("tasks list --status", r.rc == 0 and all(t["status"] == "blocked" for t in r.json()) and r.json(), r)
    cursor = env.get("page", {}).get("nextCursor")
    r = run("tasks", "list", "--limit", "2", "--cursor", cursor, "--json")
    s.check("tasks list --cursor gives the next page", r.rc == 0 and r.json()[0]["id"] not in [t["id"] for t in env["data"]], r)

    expected = api_all_task_ids()
    r = run("tasks", "list", "--all", "--limit", "100", "-o", "ndjson")
    got = [json.loads(l)["id"] for l in r.lines()]
    s.check("tasks list --all ndjson follows every page (%d tasks)" % len(expected), r.rc == 0 and got == expected, r)
    r = run("tasks", "list", "--all")
    rows = r.lines()
    s.check("tasks list --all table: header once, a row per task",
            r.rc == 0 and sum(1 for l in rows if l.startswith("ID ")) == 1 and len(rows) == len(expected) + 1, r)
    r = run("tasks", "list", "--all", "--json")
    pages = [json.loads(x) for x in re.split(r"(?m)^(?=\[)", r.out) if x.strip()]
    s.check("tasks list --all --json prints one array per page", r.rc == 0 and sum(len(p) for p in pages) == len(expected), r)
    r = run("tasks", "list", "--all", "--limit", "100", "--debug")
    s.check("tasks list --all --debug: several requests", r.rc == 0 and r.err.count("/tasks/mine") >= 3, r)
    s.check("--debug never shows the key", DEMO_KEY not in r.err and DEMO_KEY not in r.out, r.err[:2000])
    r = run("tasks", "list", "--limit", "1", "-vv", "-q")
    s.check("-vv logs requests on stderr, results stay on stdout", r.rc == 0 and "GET" in r.err and
            r.out.startswith("tsk_") and DEMO_KEY not in r.err, r)
    r = run("tasks", "list", "--limit", "1", "-q")
    s.check("no logs by default", r.rc == 0 and r.err == "", r)

    r = s.run_tty("tasks", "list", "--limit", "5", mock=mock)
    s.check("tasks list on a TTY: colour and relative times", r.rc == 0 and "\x1b[" in r.out and
            re.search(r"(ago|just now|in \d)", ANSI.sub("", r.out)) is not None, r)
    r = s.run_tty("tasks", "list", "--limit", "5", mock=mock, env={"NO_COLOR": "1"})
    s.check("NO_COLOR turns colour off on a TTY", r.rc == 0 and "\x1b[" not in r.out, r)
    r = run("tasks", "list", "--limit", "2", env={"CLICOLOR_FORCE": "1"})
    s.check("CLICOLOR_FORCE forces colour when piped", r.rc == 0 and "\x1b[" in r.out, r)
    r = s.run_tty("tasks", "list", "--limit", "25", mock=mock, env={"COLUMNS": "60"})
    width = max(len(ANSI.sub("", l)) for l in r.out.splitlines() if re.search(r"\b[A-Z]+-\d+\b", l))
    s.check("TTY rows are truncated to the terminal width", r.rc == 0 and width <= 60, (width, r))
    r = run("tasks", "list", "--limit", "25", env={"COLUMNS": "60"})
    s.check("piped rows are never truncated", r.rc == 0 and max(len(l) for l in r.lines()) > 60, r)


# ---- task show / start / block / resolve --------------------------------------------------------------
def test_task_show_start_block_resolve():
    r = run("task", "show", T1)
    s.check("task show table piped: no next steps", r.rc == 0 and "Title" in r.out and "Next steps:" not in r.out + r.err
            and "agentrail task start" not in r.out + r.err, r)
    r = run("task", "show", T1, "--json")
    s.check("task show --json is data", r.rc == 0 and r.json()["id"] == T1 and "acceptanceCriteria" in r.json(), r)
    r = run("task", "show", T1, "-o", "ndjson")
    s.check("task show ndjson", r.rc == 0 and len(r.lines()) == 1 and json.loads(r.out)["id"] == T1, r)
    r = run("task", "show", T1, "--jq", ".status")
    s.check("task show --jq", r.rc == 0 and r.out == "todo\n", r)
    r = run("task", "show", T1, "--raw")
    s.check("task show --raw has meta and availableActions", r.rc == 0 and "meta" in r.json() and
            "availableActions" in r.json(), r)
    r = s.run_tty("task", "show", T1, mock=mock)
    s.check("task show on a TTY", r.rc == 0 and "Next steps:" in ANSI.sub("", r.out), r)

    r = run("task", "submit", T1, "--summary", "too early")
    s.check("submit on a todo task fails fast: exit 6, one error line, then one next: command per line",
            r.rc == 6 and r.err.splitlines() == [
                "error: submit task %s: action_not_available: task is todo and does not offer submit; pass --force to "
                "send it anyway" % T1,
                "next: agentrail task start %s" % T1,
                "next: agentrail task block %s --reason TEXT --action-required TEXT --resume-instructions TEXT" % T1], r)
    r = run("task", "start", T1, "-q")
    s.check("task start -q prints the id", r.rc == 0 and r.out == T1 + "\n", r)
    r = run("task", "show", T1, "--jq", ".status")
    s.check("task is in_progress after start", r.out == "in_progress\n", r)

    r = run("task", "block", T3, "--reason", "need creds", "--action-required", "Add the token",
            "--resume-instructions", "Resolve, then restart", "--json")
    s.check("task block", r.rc == 0 and r.json()["status"] == "blocked", r)
    r = run("task", "resolve", T3, "--summary", "token added", "--json")
    s.check("task resolve", r.rc == 0 and r.json()["status"] == "todo", r)


# ---- submit, ci, review, ship, rollback ---------------------------------------------------------------
def test_submit_ci_review_ship_rollback():
    r = run("task", "submit", T1, "--summary", "done", "--mode", "artifact", "--artifact",
            "pull_request=https://github.com/acme/app/pull/7", "--check", "unit=passed", "--notes", "n")
    s.check("task submit (artifact) table", r.rc == 0 and "Submission" in r.out and "in_review" in r.out, r)
    r = run("task", "submit", T1, "--summary", "done", "--mode", "artifact", "--artifact",
            "pull_request=https://github.com/acme/app/pull/7", "--check", "unit=passed", "--notes", "n", "--force", "--json")
    s.check("same submit again is a new request (new key): the task is already in review, exit 6",
            r.rc == 6 and "already in review" in r.err, r)
    r = run("task", "ci", T1)
    s.check("task ci table", r.rc == 0 and "Overall" in r.out, r)
    r = run("task", "ci", T1, "--json")
    s.check("task ci json", r.rc == 0 and "overallStatus" in r.json(), r)
    r = run("task", "ci", T1, "-q")
    s.check("task ci -q prints the overall status", r.rc == 0 and len(r.lines()) == 1, r)
    r = run("task", "review", T1)
    s.check("task review table", r.rc == 0 and "Outcome" in r.out, r)
    r = run("task", "review", T1, "-o", "ndjson")
    s.check("task review ndjson", r.rc == 0 and "latestDecision" in json.loads(r.out), r)

    r = run("task", "ship", T1, "--expected-head-sha", "nothex")
    s.check("ship with a bad sha is a usage error", r.rc == 2 and "SHA" in r.err, r)
    r = run("task", "ship", T2)
    s.check("ship on a todo task: exit 6 (action not available)", r.rc == 6, r)
    r = run("task", "ship", T1, "--json")
    ship_ok = r.rc == 0 and "operationId" in (r.json() or {})
    s.check("task ship (head SHA taken from the task)", ship_ok, r)
    r = run("task", "rollback", T1, "--json")
    s.check("task rollback", r.rc == 0 and isinstance(r.json(), dict), r)

    # Idempotency: the same key with another body is a conflict (exit 6) and the key is reported.
    run("task", "start", T2)
    r = run("task", "submit", T2, "--summary", "first", "--mode", "artifact", "--artifact", "doc=https://x.test/a",
            "--idempotency-key", "e2e-reused-key-1")
    s.check("submit with an explicit idempotency key", r.rc == 0, r)
    r = run("task", "submit", T4, "--summary", "second", "--mode", "artifact", "--artifact", "doc=https://x.test/b",
            "--idempotency-key", "e2e-reused-key-1", "--force")
    s.check("idempotency key reused with another body: exit 6 and the key is shown",
            r.rc == 6 and "e2e-reused-key-1" in r.err, r)
    r = run("task", "submit", T4, "--summary", "second", "--mode", "artifact", "--artifact", "doc=https://x.test/b",
            "--idempotency-key", "e2e-reused-key-1", "--force", "--errors", "json")
    err = json.loads(r.err.strip().splitlines()[-1]) if r.err.strip() else {}
    s.check("--errors json: one JSON object on stderr", r.rc == 6 and err.get("error", {}).get("exitCode") == 6 and
            err["error"].get("idempotencyKey") == "e2e-reused-key-1", r)


# ---- exit codes ----------------------------------------------------------------------------------------
def test_exit_codes():
    r = run("tasks", "list", key="ar_local_wrong_key")
    s.check("exit 3: unknown key", r.rc == 3 and "unauthorized" in r.err and "ar_local_wrong_key" not in r.err, r)
    r = run("task", "start", T5, key=READONLY_KEY)
    s.check("exit 4: read-only key on a write", r.rc == 4 and "tasks:write" in r.err, r)
    r = run("task", "show", OTHER)
    s.check("exit 4: another agent's task", r.rc == 4, r)
    r = run("task", "show", "tsk_doesnotexist000")
    s.check("exit 5: unknown task", r.rc == 5 and "not_found" in r.err, r)
    r = run("subscriptions", "get", "evsub_doesnotexist")
    s.check("exit 5: unknown subscription", r.rc == 5, r)
    r = run("api", "POST", "/tasks/%s/blocker" % T5, "--data", '{"reason":""}', "--idempotency-key", "e2e-block-bad-1")
    s.check("exit 7: validation rejected by the server", r.rc == 7 and "validation" in r.err, r)
    r = run("task", "submit", T5, "--summary", "via the adapter", "-q")
    s.check("task submit (adapter_managed, the default) -q prints the submission id", r.rc == 0 and
            r.out.startswith("sub_"), r)
    down = s.mock("--fault", json.dumps({"kind": "status", "status": 503, "code": "fallback_mode", "count": -1}))
    r = s.run("tasks", "list", "--no-retry", mock=down)
    s.check("exit 9: maintenance mode (503)", r.rc == 9 and "fallback_mode" in r.err, r)
    flaky = s.mock("--fault", json.dumps({"kind": "status", "status": 503, "count": 1}))
    r = s.run("tasks", "list", "-q", mock=flaky)
    s.check("a 503 is retried, then the command succeeds", r.rc == 0 and r.out.startswith("tsk_"), r)
    broken = s.mock("--fault", json.dumps({"kind": "malformed_json", "pathContains": "/tasks/mine", "count": -1}))
    r = s.run("tasks", "list", "--no-retry", mock=broken)
    s.check("exit 11: malformed JSON answer", r.rc == 11, r)
    slow = s.mock("--fault", json.dumps({"kind": "latency", "latencyMs": 3000, "count": -1}))
    r = s.run("tasks", "list", "--no-retry", "--timeout", "300ms", mock=slow)
    s.check("exit 10: timeout", r.rc == 10 and "timeout" in r.err, r)

    def interrupt(mock_, *args):
        p = subprocess.Popen([s.cli, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env=s.env(mock_))
        time.sleep(0.6)
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=20)
        return p.returncode, out, err

    rc, out, err = interrupt(slow, "tasks", "list")
    s.check("exit 130: Ctrl-C during a request", rc == 130, (rc, out, err))
    rc, out, err = interrupt(slow, "tasks", "list", "--all", "--limit", "100", "-q")
    s.check("exit 130: Ctrl-C during --all prints the page in flight, then stops", rc == 130 and len(out.split()) == 7,
            (rc, len(out.split()), err))
    r = run("tasks", "list", "--no-retry", env={"AGENTRAIL_BASE_URL": "http://127.0.0.1:1"})
    s.check("exit 10: connection refused", r.rc == 10 and "network" in r.err, r)
    for args, what in [(("task", "show", "not a task"), "bad task id"), (("tasks", "list", "--limit", "0"), "limit 0"),
                       (("tasks", "list", "--limit", "101"), "limit 101"), (("tasks", "list", "--status", "nope"), "status"),
                       (("task", "submit", T1, "--summary", "x", "--artifact", "bad"), "artifact"),
                       (("task", "submit", T1, "--summary", "x", "--check", "unit=green"), "check status"),
                       (("keys", "usage", "key_1"), "key id"), (("tasks", "list", "--jq", ".[[["), "jq syntax"),
                       (("tasks", "list", "--timeout", "soon"), "timeout"), (("api", "FETCH", "/x"), "method"),
                       (("api", "POST", "/x", "--data", "{nope"), "data json"), (("task", "frobnicate"), "unknown command"),
                       (("api", "POST", "/x", "--data", '{"n":1e999}'), "data number out of range")]:
        r = run(*args)
        s.check("exit 2: %s" % what, r.rc == 2 and r.err.strip() != "", r)
    limited = s.mock()
    # 3 requests per fixed 60 s window: one window boundary among the runs allows up to 3 more.
    codes = []
    while len(codes) < 7 and (not codes or codes[-1] == 0):
        codes.append(s.run("tasks", "list", "--no-retry", mock=limited, key="ar_local_ratelimited_key").rc)
    s.check("exit 8: rate limited", codes[-1] == 8 and 3 <= codes.count(0) <= 6, codes)


# ---- keys ----------------------------------------------------------------------------------------------
def test_keys():
    keyfile = os.path.join(s.tmp, "new.key")
    r = run("keys", "create", "--agent-id", "agt_e2e_bot", "--display-name", "E2E Bot", "--role", "ci",
            "--scope", "tasks:read", "--scope", "ci:read", "--rate-limit", "100/60s", "--external", "github:e2e-bot",
            "--save-to", keyfile, "--json", key=ADMIN_KEY)
    created = r.json() or {}
    secret = open(keyfile).read().strip() if os.path.exists(keyfile) else ""
    s.check("keys create --save-to: secret in the file, not on stdout", r.rc == 0 and secret.startswith("ar_") and
            "apiKey" not in created and secret not in r.out, r)
    s.check("--save-to file has mode 0600", os.path.exists(keyfile) and stat.S_IMODE(os.stat(keyfile).st_mode) == 0o600)
    s.check("the new key works", run("tasks", "list", "-q", key=secret).rc == 0)
    r = run("keys", "create", "--agent-id", "agt_e2e_two", "--display-name", "Two", "--role", "ci",
            "--scope", "tasks:read", key=ADMIN_KEY)
    s.check("keys create table prints the secret once and warns", r.rc == 0 and "API key" in r.out and
            re.search(r"ar_\w+", r.out) and "shown only once" in r.err, r)
    r = run("keys", "create", "--agent-id", "agt_e2e_three", "--display-name", "Three", "--role", "ci",
            "--scope", "tasks:read", "-q", key=ADMIN_KEY)
    s.check("keys create -q prints only the secret", r.rc == 0 and len(r.lines()) == 1 and r.out.startswith("ar_"), r)
    r = run("keys", "create", "--agent-id", "agt_x", "--display-name", "X", "--role", "ci", "--scope", "nope:read",
            key=ADMIN_KEY)
    s.check("keys create with an unknown scope: exit 2", r.rc == 2, r)
    r = run("keys", "create", "--agent-id", "agt_x", "--display-name", "X", "--role", "ci", "--scope", "tasks:read")
    s.check("keys create with a non-admin key: exit 4", r.rc == 4, r)
    r = run("keys", "usage", created.get("id", "akey_missing"), key=ADMIN_KEY)
    s.check("keys usage table", r.rc == 0 and "Accepted" in r.out, r)
    r = run("keys", "usage", "akey_localdemo", "--json", key=ADMIN_KEY)
    s.check("keys usage json", r.rc == 0 and r.json()["keyId"] == "akey_localdemo", r)
    r = run("keys", "usage", "akey_localdemo", "-o", "ndjson", key=ADMIN_KEY)
    s.check("keys usage ndjson", r.rc == 0 and len(r.lines()) == 1, r)
    rotated_file = os.path.join(s.tmp, "rotated.key")
    r = run("keys", "rotate", created.get("id", "akey_missing"), "--save-to", rotated_file, "-q", key=ADMIN_KEY)
    new_secret = open(rotated_file).read().strip() if os.path.exists(rotated_file) else ""
    s.check("keys rotate --save-to", r.rc == 0 and new_secret.startswith("ar_") and new_secret != secret and
            r.out.strip().startswith("akey_"), r)
    s.check("the rotated-out key stops working (exit 3)", run("tasks", "list", key=secret).rc == 3)


# ---- subscriptions -------------------------------------------------------------------------------------
def test_subscriptions():
    r = run("subscriptions", "create", "--url", "http://127.0.0.1:9/hook", "--event-type", "task.updated",
            "--task", T1, "--description", "e2e", "--json")
    sub = r.json() or {}
    s.check("subscriptions create generates and prints a whsec_ secret once",
            r.rc == 0 and re.fullmatch(r"whsec_[0-9a-f]{64}", sub.get("secret", "")) is not None, r)
    r = run("subscriptions", "create", "--url", "http://127.0.0.1:9/hook2", "--event-type", "task.shipped")
    s.check("subscriptions create table shows the secret and warns", r.rc == 0 and "whsec_" in r.out and
            "shown only once" in r.err, r)
    secret_file = os.path.join(s.tmp, "hook.secret")
    r = run("subscriptions", "create", "--url", "http://127.0.0.1:9/hook3", "--event-type", "task.reviewed",
            "--save-secret-to", secret_file, "-q")
    s.check("--save-secret-to: 0600 file, secret not printed", r.rc == 0 and r.out.strip().startswith("evsub_") and
            "whsec_" not in r.out and stat.S_IMODE(os.stat(secret_file).st_mode) == 0o600, r)
    r = run("subscriptions", "create", "--url", "http://127.0.0.1:9/hook4", "--event-type", "task.updated",
            "--secret-env", "E2E_SECRET", "--json", env={"E2E_SECRET": "a-secret-of-enough-length"})
    s.check("--secret-env: the given secret is not echoed", r.rc == 0 and "a-secret-of-enough-length" not in r.out, r)
    r = run("subscriptions", "create", "--url", "http://127.0.0.1:9/hook", "--event-type", "task.updated",
            "--task", T1, "--description", "e2e", "--secret-env", "E2E_SECRET", env={"E2E_SECRET": "another-secret-long"})
    s.check("duplicate subscription: exit 6", r.rc == 6, r)
    r = run("subscriptions", "create", "--url", "ftp://x", "--event-type", "task.updated")
    s.check("subscriptions create with a bad url: exit 2", r.rc == 2, r)
    r = run("subscriptions", "list")
    s.check("subscriptions list table", r.rc == 0 and sub.get("id", "?") in r.out, r)
    r = run("subscriptions", "list", "-o", "ndjson")
    s.check("subscriptions list ndjson", r.rc == 0 and all(json.loads(l)["id"].startswith("evsub_") for l in r.lines()), r)
    r = run("subscriptions", "get", sub.get("id", "evsub_x"), "--json")
    s.check("subscriptions get", r.rc == 0 and r.json()["id"] == sub.get("id"), r)
    r = run("subscriptions", "delete", sub.get("id", "evsub_x"), "--jq", ".status")
    s.check("subscriptions delete", r.rc == 0 and r.out == "disabled\n", r)


# ---- api -----------------------------------------------------------------------------------------------
def test_api():
    r = run("api", "GET", "/tasks/mine?limit=2")
    s.check("api GET prints the body", r.rc == 0 and len(r.json()["data"]) == 2 and "page" in r.json(), r)
    body_file = os.path.join(s.tmp, "resolve.json")
    with open(body_file, "w") as f:
        json.dump({"resolutionSummary": "done by api"}, f)
    run("task", "block", T6.replace("6", "6"), "--reason", "r", "--action-required", "a", "--resume-instructions", "i")
    r = run("api", "post", "/tasks/%s/resolve-blocker" % T6, "--data", "@" + body_file, "--jq", ".data.status")
    s.check("api POST --data @file with --jq", r.rc == 0 and r.out == "todo\n", r)
    r = run("api", "GET", "/health", "-H", "X-Trace: e2e", "-o", "ndjson")
    s.check("api with -H and ndjson", r.rc == 0 and len(r.lines()) == 1, r)
    r = run("api", "GET", "/no/such/route")
    s.check("api unknown route: exit 5", r.rc == 5, r)


# ---- config: precedence, explain, set, use-profile, modes ---------------------------------------------
def test_config_precedence_explain_set_use_profile_modes():
    cfgdir = os.path.join(s.home, ".config", "agentrail")
    keyf = os.path.join(s.tmp, "demo.key")
    with open(keyf, "w") as f:
        f.write(DEMO_KEY + "\n")
    os.chmod(keyf, 0o600)
    r = run("config", "set", "base_url", mock.base_url, mock=None, key=None)
    s.check("config set base_url", r.rc == 0, r)
    r = run("config", "set", "api_key_file", keyf, mock=None, key=None)
    cfg = os.path.join(cfgdir, "config.toml")
    s.check("config file written with mode 0600", r.rc == 0 and stat.S_IMODE(os.stat(cfg).st_mode) == 0o600, r)
    r = run("tasks", "list", "-q", "--limit", "1", mock=None, key=None)
    s.check("config file alone is enough", r.rc == 0 and r.out.startswith("tsk_"), r)
    r = run("config", "explain", mock=None, key=None)
    s.check("config explain: sources shown, key masked", r.rc == 0 and "config" in r.out and DEMO_KEY not in r.out, r)
    r = run("config", "explain", "--json", mock=mock, key=DEMO_KEY)
    ex = r.json() or {}
    s.check("config explain: env beats config file", ex.get("baseUrl", {}).get("source") == "env" and
            ex.get("apiKey", {}).get("source") == "env" and DEMO_KEY not in r.out, r)
    r = run("config", "explain", "--json", "--base-url", "http://127.0.0.1:2", env={"AGENTRAIL_BASE_URL": "http://127.0.0.1:3"})
    s.check("config explain: flag beats env", (r.json() or {}).get("baseUrl", {}).get("value") == "http://127.0.0.1:2", r)
    r = run("tasks", "list", "-q", "--limit", "1", "--base-url", mock.base_url, env={"AGENTRAIL_BASE_URL": "http://127.0.0.1:1"})
    s.check("--base-url beats AGENTRAIL_BASE_URL", r.rc == 0, r)
    r = run("tasks", "list", "--no-retry", mock=None, key=None, env={"AGENTRAIL_BASE_URL": "http://127.0.0.1:1"})
    s.check("AGENTRAIL_BASE_URL beats the config file", r.rc == 10, r)
    r = run("tasks", "list", "-q", "--limit", "1", "--api-key-file", keyf, key="ar_local_wrong_key")
    s.check("--api-key-file beats AGENTRAIL_API_KEY", r.rc == 0, r)
    r = run("tasks", "list", "-q", "--limit", "1", "--api-key-stdin", key="ar_local_wrong_key", stdin=DEMO_KEY + "\n")
    s.check("--api-key-stdin", r.rc == 0, r)
    r = run("config", "set", "--profile", "ro", "base_url", mock.base_url, mock=None, key=None)
    r = run("config", "set", "--profile", "ro", "api_key", mock=None, key=None, stdin=READONLY_KEY + "\n")
    s.check("config set api_key reads stdin", r.rc == 0 and READONLY_KEY in open(cfg).read(), r)
    r = run("config", "set", "api_key", "ar_on_argv", mock=None, key=None)
    s.check("config set api_key VALUE is refused (argv)", r.rc == 2, r)
    r = run("task", "start", T5, "--profile", "ro", mock=None, key=None)
    s.check("--profile selects the profile (read-only key -> exit 4)", r.rc == 4, r)
    r = run("task", "start", T5, mock=None, key=None, env={"AGENTRAIL_PROFILE": "ro"})
    s.check("AGENTRAIL_PROFILE selects the profile", r.rc == 4, r)
    r = run("config", "use-profile", "ro", mock=None, key=None)
    r2 = run("config", "explain", "--json", mock=None, key=None)
    s.check("config use-profile", r.rc == 0 and (r2.json() or {}).get("profile", {}).get("value") == "ro", (r, r2))
    r = run("config", "list", "--json", mock=None, key=None)
    s.check("config list masks keys", r.rc == 0 and READONLY_KEY not in r.out and "ro" in r.json()["profiles"], r)
    r = run("config", "get", "base_url", mock=None, key=None)
    s.check("config get", r.rc == 0 and r.out.strip() == mock.base_url, r)
    r = run("tasks", "list", "--profile", "nope", mock=None, key=None)
    s.check("unknown profile: exit 2", r.rc == 2, r)
    os.chmod(cfg, 0o644)
    r = run("tasks", "list", "-q", "--limit", "1", mock=None, key=None)
    s.check("loose config mode gets a warning", r.rc == 0 and "chmod 600" in r.err, r)
    r = run("config", "use-profile", "default", mock=None, key=None)
    s.check("rewriting the config restores 0600", r.rc == 0 and stat.S_IMODE(os.stat(cfg).st_mode) == 0o600, r)
    with open(cfg, "a") as f:  # tables this CLI does not use, with names that are not bare keys
        f.write('\n["team settings"]\nowner = "me"\n\n[tools."]"]\nx = 1\n')
    r = run("config", "set", "--profile", "ro", "base_url", mock.base_url, mock=None, key=None)
    r2 = run("config", "get", "base_url", mock=None, key=None)
    s.check("config set keeps quoted table names loadable", r.rc == 0 and r2.rc == 0 and
            '["team settings"]' in open(cfg).read(), (r, r2, open(cfg).read()))
    r = run("tasks", "list", "--debug", "--limit", "1", mock=None, key=None)
    s.check("--debug with a key from the config file never shows it", r.rc == 0 and DEMO_KEY not in r.err, r.err[:2000])
