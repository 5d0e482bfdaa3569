#!/usr/bin/env python3
"""End-to-end tests that the CLI never reports a success the server did not give, against agentrail-mock
(which, like the reference server, keeps idempotency records forever and replays the first answer):
1. a fresh Idempotency-Key per command (start -> block -> resolve -> start really starts again, a second
   blocker episode really resolves, `keys create` twice gives two keys, a second start is a conflict);
2. `tasks list --all -o json` is one JSON array (and --jq sees it whole); --all tables line up across pages;
3. `task ci --watch` / `task wait` end at once on a 4xx; `events tail` reconnect rules (--no-retry,
   --retries N, 401/404 end at once);
4. honest messages: an unknown key id, `--force` without the pre-check read, a past --expires-at, no
   Idempotency-Key on DELETE."""

import json
import re
import threading
import time
import urllib.request

import pytest

from e2e_support import ADMIN_KEY, DEMO_KEY, within
from hostile import HostileServer, http_response, json_response

s = None  # bound by scenario() below
T1, T2, T3, T4, T5 = ("tsk_01JZDEMO000000000000000%d" % i for i in range(1, 6))


@pytest.fixture(scope="module", autouse=True)
def scenario(suite):
    """The Suite of this module (tests/e2e/conftest.py)."""
    global s
    s = suite


def control(mock, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(mock.base_url + path, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read() or b"null")


def fault(mock, **rule):
    return control(mock, "POST", "/_mock/faults", rule)


def timed(*args, **kw):
    started = time.monotonic()
    r = s.run(*args, **kw)
    return r, time.monotonic() - started


def events_of(mock, task):
    """Every event of `task` the mock has published, read back through `events tail` (replay from 0)."""
    r = s.run("events", "tail", "--since", "0", "--task", task, "--timeout", "1s", "-o", "ndjson", mock=mock)
    return [json.loads(l) for l in r.out.splitlines() if l.strip()]


def status_of(mock, task):
    r = s.run("task", "show", task, "--json", mock=mock)
    return (r.json() or {}).get("status")


BLOCK = ("--reason", "missing_github_credentials", "--action-required", "Add the token",
         "--resume-instructions", "Resolve, then start again")


# ---- 1. one Idempotency-Key per invocation ------------------------------------------------------------
def test_1_one_idempotency_key_per_invocation():
    m = s.mock()
    r = s.run("task", "start", T1, "--json", mock=m)
    s.check("start: in_progress", r.rc == 0 and r.json()["status"] == "in_progress", r)
    r = s.run("task", "block", T1, *BLOCK, "--json", mock=m)
    s.check("block: blocked", r.rc == 0 and r.json()["status"] == "blocked", r)
    r = s.run("task", "resolve", T1, "--summary", "Token added.", "--json", mock=m)
    s.check("resolve: todo", r.rc == 0 and r.json()["status"] == "todo", r)
    r = s.run("task", "start", T1, "--json", mock=m)
    s.check("start again after the blocker was resolved: the answer says in_progress",
            r.rc == 0 and r.json()["status"] == "in_progress", r)
    s.check("... and the task really is in_progress on the server", status_of(m, T1) == "in_progress")
    started = [e for e in events_of(m, T1)
               if e["type"] == "task.updated" and e["data"].get("previousStatus") == "todo"
               and e["data"].get("status") == "in_progress"]
    s.check("... and two start events were emitted (one per start)", len(started) == 2, started)

    # A second blocker episode resolved with the same summary as the first.
    r = s.run("task", "block", T1, *BLOCK, "--json", mock=m)
    s.check("second blocker episode: blocked", r.rc == 0 and r.json()["status"] == "blocked", r)
    r = s.run("task", "resolve", T1, "--summary", "Token added.", "--json", mock=m)
    s.check("second resolve with the same summary: todo", r.rc == 0 and r.json()["status"] == "todo", r)
    s.check("... and the task really left blocked", status_of(m, T1) == "todo")
    resolved = [e for e in events_of(m, T1)
                if e["type"] == "task.updated" and e["data"].get("previousStatus") == "blocked"]
    s.check("... and two resolve events were emitted", len(resolved) == 2 and
            all(e["data"]["summary"] == "Blocker resolved: Token added." for e in resolved), resolved)

    # A second start on a task already in_progress is a new request: the server refuses it.
    s.run("task", "start", T1, mock=m)
    r = s.run("task", "start", T1, "--errors", "json", mock=m)
    err = (json.loads(r.err.strip().splitlines()[-1]) if r.err.strip() else {}).get("error", {})
    s.check("second start on an in_progress task: exit 6, with the key it was sent with",
            r.rc == 6 and err.get("status") == 409 and
            re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}",
                         err.get("idempotencyKey", "")) is not None, r)
    r = s.run("task", "start", T1, mock=m)
    s.check("... and the text error names the idempotency key", r.rc == 6 and "idempotency key: " in r.err, r)

    # keys create twice with the same arguments: two keys.
    create = ("keys", "create", "--agent-id", "agt_truth_bot", "--display-name", "Truth Bot", "--role", "ci",
              "--scope", "tasks:read", "--json")
    a = s.run(*create, mock=m, key=ADMIN_KEY)
    b = s.run(*create, mock=m, key=ADMIN_KEY)
    ka, kb = (a.json() or {}), (b.json() or {})
    s.check("keys create twice: two different keys and secrets",
            a.rc == 0 and b.rc == 0 and ka.get("id") != kb.get("id") and ka.get("apiKey") != kb.get("apiKey"), (a, b))

    # A caller's own key still replays (a re-run of the same CI step).
    r1 = s.run("task", "start", T2, "--idempotency-key", "ci-4711-start", "--json", mock=m)
    r2 = s.run("task", "start", T2, "--idempotency-key", "ci-4711-start", "--json", mock=m)
    s.check("--idempotency-key: a re-run with the same key replays the first answer (exit 0, same body)",
            r1.rc == 0 and r2.rc == 0 and r1.out == r2.out and status_of(m, T2) == "in_progress", (r1, r2))

    # Retries of one call reuse its key: the first attempt fails with 503, the retry succeeds.
    fault(m, kind="status", status=503, count=1, method="POST", pathContains="/tasks/%s/blocker" % T2)
    r = s.run("task", "block", T2, *BLOCK, "--json", "-v", "-v", mock=m)
    keys = re.findall(r"Idempotency-Key: ([0-9a-f-]{36})", r.err)
    s.check("a retried mutation resends the same key (two attempts, one key)",
            r.rc == 0 and r.json()["status"] == "blocked" and len(keys) == 2 and keys[0] == keys[1], r)


# ---- 2. tasks list --all -o json: one document -------------------------------------------------------
def test_2_tasks_list_all_o_json_one_document():
    big = s.mock("--tasks", "250")
    all_ids = []
    cursor = None
    while True:
        url = big.base_url + "/tasks/mine?limit=100" + ("&cursor=" + cursor if cursor else "")
        req = urllib.request.Request(url, headers={"Authorization": "Bearer " + DEMO_KEY})
        body = json.load(urllib.request.urlopen(req, timeout=10))
        all_ids += [t["id"] for t in body["data"]]
        if not body["page"]["hasMore"]:
            break
        cursor = body["page"]["nextCursor"]
    r = s.run("tasks", "list", "--all", "--limit", "10", "-o", "json", mock=big)
    doc = r.json()
    s.check("--all -o json is ONE JSON array of every item, in order (%d items)" % len(all_ids),
            r.rc == 0 and isinstance(doc, list) and [t["id"] for t in doc] == all_ids, r.out[:300])
    one_page = s.run("tasks", "list", "--limit", "100", "-o", "json", mock=big)
    first_hundred = json.dumps(json.loads(one_page.out)[:100], indent=2)
    s.check("... printed like a whole array (same text as without --all for the same items)",
            r.out.startswith(first_hundred[:-2]), r.out[:300])
    r = s.run("tasks", "list", "--all", "--limit", "10", "--jq", "length", mock=big)
    s.check("--all --jq length: one number for the whole list", r.rc == 0 and r.out == "%d\n" % len(all_ids), r)
    r = s.run("tasks", "list", "--all", "--limit", "100", "--raw", "-o", "json", mock=big)
    envs = r.json()
    s.check("--all --raw -o json: one array of the page envelopes",
            r.rc == 0 and isinstance(envs, list) and len(envs) == 3 and all("page" in e for e in envs), r.out[:300])
    empty = s.mock()
    nobody = s.run("keys", "create", "--agent-id", "agt_nobody", "--display-name", "Nobody", "--role", "ci",
                   "--scope", "tasks:read", "-q", mock=empty, key=ADMIN_KEY).out.strip()
    r = s.run("tasks", "list", "--all", "-o", "json", mock=empty, key=nobody)
    s.check("--all -o json with nothing to list: []", r.rc == 0 and r.out == "[]\n", r)
    r = s.run("tasks", "list", "--all", "--limit", "10", "-o", "ndjson", mock=big)
    s.check("--all -o ndjson: still one item per line", r.rc == 0 and
            [json.loads(l)["id"] for l in r.lines()] == all_ids, r.out[:300])

    def aligned(lines):
        """Column starts from the header; every row has a cell starting there, preceded by two spaces."""
        header = lines[0]
        starts = [mm.start() for mm in re.finditer(r"(?<=  )\S", header)]
        bad = [l for l in lines[1:] if any(len(l) <= p or l[p - 2:p] != "  " or l[p] == " " for p in starts)]
        return len(starts) >= 5 and not bad, bad[:3]

    r = s.run("tasks", "list", "--all", "--limit", "10", mock=big)
    ok, bad = aligned(r.lines())
    s.check("--all table (piped): rows of later pages line up with the first page's", r.rc == 0 and ok and
            len(r.lines()) == len(all_ids) + 1, bad or r.out[:500])
    r = s.run("tasks", "list", "--all", "--limit", "100", mock=s.mock("--tasks", "1500"))
    ok, bad = aligned(r.lines())
    s.check("--all table (piped), 1,500 rows: rows past the 1,000-row look-ahead line up too (keys GEN-1000+)",
            r.rc == 0 and ok and len(r.lines()) > 1500, bad or r.out[:500])
    r = s.run_tty("tasks", "list", "--all", "--limit", "10", mock=big, env={"COLUMNS": "200"})
    lines = [re.sub(r"\x1b\[[0-9;]*m", "", l) for l in r.lines()]
    ok, bad = aligned(lines)
    s.check("--all table (terminal): rows of later pages line up too", r.rc == 0 and ok, bad or r.out[:500])


# ---- 3. watches, waits and tails stop on errors that will not go away --------------------------------
def test_3_watches_waits_and_tails_stop_on_errors_that_will():
    w = s.mock()
    fault(w, kind="status", status=404, code="not_found", message="CI source not found for task.", count=-1,
          method="GET", pathContains="/ci-status")
    r, took = timed("task", "ci", T4, "--watch", "--timeout", "20s", mock=w)
    s.check("task ci --watch: 404 'CI source not found' ends it at once with exit 5 (took %.1fs)" % took,
            r.rc == 5 and within(took, 8) and "CI source not found" in r.err, r)
    r, took = timed("task", "wait", T4, "--until", "ci=passed", "--timeout", "20s", mock=w)
    s.check("task wait --until ci=passed: the same 404 ends it with exit 5 (took %.1fs)" % took,
            r.rc == 5 and within(took, 8), r)
    fault(w, kind="status", status=403, code="forbidden", message="Task is not assigned to this agent.", count=-1,
          method="GET", pathContains="/review-feedback")
    r, took = timed("task", "wait", T4, "--until", "review=approved", "--timeout", "20s", mock=w)
    s.check("task wait --until review=approved: a 403 ends it with exit 4 (took %.1fs)" % took,
            r.rc == 4 and within(took, 8), r)
    r, took = timed("task", "wait", T1, "--until", "ci=passed", "--timeout", "2s", mock=w)
    s.check("task wait on a task with no submission yet keeps waiting (timeout, exit 14), no CI request",
            r.rc == 14, r)

    down = s.mock("--fault", json.dumps({"kind": "status", "status": 503, "code": "fallback_mode", "count": -1,
                                         "pathContains": "/task-events/stream"}))
    r, took = timed("events", "tail", "--no-retry", "--timeout", "10s", mock=down)
    injected = control(down, "GET", "/_mock/faults")["injected"]["total"]
    s.check("events tail --no-retry on 503 fallback_mode: exit 9 at once, one connection (took %.1fs)" % took,
            r.rc == 9 and within(took, 5) and injected == 1 and "fallback_mode" in r.err, (r, injected))
    r, took = timed("events", "tail", "--retries", "2", "--timeout", "20s", mock=down)
    injected2 = control(down, "GET", "/_mock/faults")["injected"]["total"] - injected
    s.check("events tail --retries 2: three connections, each reconnect shown, then exit 9 (took %.1fs)" % took,
            r.rc == 9 and injected2 == 3 and r.err.count("event stream reconnecting") == 2, (r, injected2))
    r, took = timed("events", "tail", "--timeout", "4s", mock=down)
    injected3 = control(down, "GET", "/_mock/faults")["injected"]["total"] - injected - injected2
    s.check("events tail without --retries keeps reconnecting through 503s (until --timeout, exit 0)",
            r.rc == 0 and injected3 >= 2 and "retrying in" in r.err, (r, injected3))
    cut = s.mock("--fault", json.dumps({"kind": "sse_cut", "everyEvents": 2}))
    control(cut, "POST", "/_mock/events/burst", {"count": 5})
    r, took = timed("events", "tail", "--since", "0", "--no-retry", "--timeout", "10s", mock=cut)
    s.check("events tail --no-retry: a stream the server closes ends it with exit 10, not 0 (took %.1fs)" % took,
            r.rc == 10 and len(r.lines()) == 2 and within(took, 5), r)
    closes = []

    def one_event_then_close(conn, request):
        closes.append(request.path)
        body = b'id: evt_1\nevent: task.updated\ndata: {"id":"evt_1","type":"task.updated","data":{}}\n\n'
        conn.sendall(http_response(200, body, {"Content-Type": "text/event-stream"}))

    with HostileServer(one_event_then_close) as server:
        r = s.run("events", "tail", "--no-retry", "--timeout", "10s", env={"AGENTRAIL_BASE_URL": server.base_url})
    s.check("events tail --no-retry: a stream the server ends cleanly is exit 10 too, never 0",
            r.rc == 10 and len(r.lines()) == 1 and "closed the event stream after 1 events" in r.err and
            len(closes) == 1, (r, closes))
    gone = s.mock("--fault", json.dumps({"kind": "status", "status": 404, "code": "not_found", "count": -1,
                                         "pathContains": "/task-events/stream"}))
    r, took = timed("events", "tail", "--timeout", "30s", mock=gone)
    s.check("events tail: 404 ends it at once with exit 5 (took %.1fs)" % took, r.rc == 5 and within(took, 5), r)
    r, took = timed("events", "tail", "--timeout", "30s", mock=w, key="ar_local_wrong_key")
    s.check("events tail: 401 ends it at once with exit 3 (took %.1fs)" % took, r.rc == 3 and within(took, 5), r)


# ---- 4. honest messages -------------------------------------------------------------------------------
def test_4_honest_messages():
    h = s.mock()
    for cmd in (("keys", "usage", "akey_unknown"), ("keys", "rotate", "akey_unknown")):
        r = s.run(*cmd, mock=h, key=ADMIN_KEY)
        s.check("%s: exit 3, says the key id was not found, no hint to check the caller's key" % " ".join(cmd),
                r.rc == 3 and "akey_unknown was not found" in r.err and "config explain" not in r.err, r)
    r = s.run("keys", "usage", "akey_localdemo", mock=h, key="ar_local_wrong_key")
    s.check("a bad caller key still gets the hint to check the key: next: agentrail config explain",
            r.rc == 3 and "\nnext: agentrail config explain\n" in r.err, r)

    rot = s.mock()
    requests_before = control(rot, "GET", "/_mock/stats")["requests"]
    r = s.run("keys", "rotate", "akey_localdemo", "--expires-at", "2020-01-01T00:00:00Z", mock=rot)
    after = control(rot, "GET", "/_mock/stats")["requests"]
    s.check("keys rotate --expires-at in the past: exit 2, refused before any request",
            r.rc == 2 and "in the past" in r.err and after == requests_before + 1, (r, requests_before, after))
    # Two hours ahead on the UTC clock, written as +05:00 local time: three hours ago.
    ahead = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(time.time() + 7200)) + "+05:00"
    r = s.run("keys", "rotate", "akey_localdemo", "--expires-at", ahead, mock=rot)
    s.check("... the zone offset counts (%s is in the past)" % ahead, r.rc == 2 and "in the past" in r.err, r)
    r = s.run("keys", "rotate", "akey_localdemo", "--expires-at", "2999-01-01T00:00:00+02:00", "--json", mock=rot)
    s.check("keys rotate --expires-at in the future is sent", r.rc == 0 and
            (r.json() or {}).get("expiresAt") == "2999-01-01T00:00:00+02:00", r)

    # --force sends the mutation without reading the task (here the read is refused, the submit is not).
    s.run("task", "start", T2, mock=h)
    fault(h, kind="status", status=403, code="forbidden", message="Task is not assigned to this agent.",
          count=-1, method="GET", pathContains="/tasks/" + T2)
    submit = ("task", "submit", T2, "--summary", "done", "--mode", "artifact", "--artifact",
              "pull_request=https://git.example.test/acme/app/pull/9")
    r = s.run(*submit, mock=h)
    s.check("submit without --force reads the task first (and fails on the refused read: exit 4)", r.rc == 4, r)
    r = s.run(*submit, "--force", "--json", mock=h)
    s.check("submit --force skips the read and submits", r.rc == 0 and r.json()["status"] == "in_review", r)
    sha = (r.json() or {}).get("headSha", "")
    control(h, "DELETE", "/_mock/faults")
    fault(h, kind="status", status=403, code="forbidden", message="Task is not assigned to this agent.",
          count=-1, method="GET", pathContains="/tasks/" + T2)
    r = s.run("task", "ship", T2, "--force", mock=h)
    s.check("ship --force without --expected-head-sha: exit 2 (it does not read the task)", r.rc == 2, r)
    r = s.run("task", "ship", T2, "--force", "--expected-head-sha", sha, "--json", mock=h)
    s.check("ship --force --expected-head-sha skips the read and ships", r.rc == 0 and
            "operationId" in (r.json() or {}), r)
    control(h, "DELETE", "/_mock/faults")

    # `api` sends an Idempotency-Key on POST/PUT/PATCH only.
    seen = []
    lock = threading.Lock()

    def recorder(conn, request):
        with lock:
            seen.append((request.method, request.headers.get("idempotency-key")))
        conn.sendall(json_response(202, {"data": {"id": "evsub_1", "status": "disabled"}}))
        return True

    with HostileServer(recorder) as server:
        env = {"AGENTRAIL_BASE_URL": server.base_url}
        for method in ("DELETE", "GET", "POST", "PUT", "PATCH"):
            data = ("--data", "{}") if method in ("POST", "PUT", "PATCH") else ()
            s.run("api", method, "/event-subscriptions/evsub_1", *data, env=env)
        s.run("api", "DELETE", "/event-subscriptions/evsub_1", "--idempotency-key", "given-key-123", env=env)
    keyed = {m: k for m, k in seen[:5]}
    s.check("api: no Idempotency-Key on DELETE or GET (even when --idempotency-key is given)",
            keyed.get("DELETE") is None and keyed.get("GET") is None and len(seen) == 6 and seen[5][1] is None, seen)
    s.check("api: a fresh Idempotency-Key on POST, PUT and PATCH",
            all(keyed.get(m) and len(keyed[m]) == 36 for m in ("POST", "PUT", "PATCH")) and
            len({keyed[m] for m in ("POST", "PUT", "PATCH")}) == 3, seen)
    r = s.run("api", "DELETE", "/event-subscriptions/evsub_doesnotexist", mock=h)
    s.check("api DELETE against the mock still works (404 -> exit 5)", r.rc == 5, r)
