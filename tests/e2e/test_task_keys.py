#!/usr/bin/env python3
"""A task's key (DEMO-1, or any identifier) works wherever a task id does: resolved through tasks/mine, page by
page, stopping at the first exact match; an unknown or ambiguous key exits 5 naming the candidates."""

import json

import pytest

s = mock = seed = None  # bound by scenario() below
T1, T4 = "tsk_01JZDEMO0000000000000001", "tsk_01JZDEMO0000000000000004"


@pytest.fixture(scope="module", autouse=True)
def scenario(suite):
    """The Suite of this module (tests/e2e/conftest.py) and a mock seeded with two look-alike keys."""
    global s, mock, seed
    s = suite

    def edit(data):
        # Two tracker identifiers that end alike: "ENG-7" alone is ambiguous, each full identifier is not.
        data["tasks"][5]["identifier"] = "linear:acme:issues/ENG-7"
        data["tasks"][6]["identifier"] = "linear:beta:issues/ENG-7"

    mock, seed = s.seeded_mock(edit)


def run(*args, **kw):
    return s.run(*args, mock=mock, **kw)


# ---- a key works wherever a task id does ----
def test_a_key_works_wherever_a_task_id_does():
    r = run("task", "show", "DEMO-4", "-q")
    s.check("task show DEMO-4: the key names the task", r.rc == 0 and r.out.strip() == T4, r)
    r = run("task", "show", "demo-4", "--json")
    s.check("keys match ignoring case", r.rc == 0 and (r.json() or {}).get("id") == T4, r)
    r = run("task", "show", T1, "-q", "--debug")
    s.check("an id is used as it is (no task list read)", r.rc == 0 and "/tasks/mine" not in r.err, r.err[:500])
    r = run("task", "show", "DEMO-1", "-q", "--debug")
    s.check("a key is looked up through tasks/mine", r.rc == 0 and r.out.strip() == T1 and "/tasks/mine" in r.err, r)
    r = run("task", "show", "linear:acme:issues/ENG-7", "-q")
    s.check("a full tracker identifier names its task", r.rc == 0 and r.out.strip() == seed["tasks"][5]["id"], r)
    r = run("task", "ci", "DEMO-4", "-q")
    s.check("task ci DEMO-4", r.rc == 0 and r.out.strip() == "passed", r)
    r = run("task", "review", "DEMO-4", "-q")
    s.check("task review DEMO-4", r.rc == 0 and r.out.strip() == "approved", r)
    r = run("task", "wait", "DEMO-4", "--until", "ci=passed", "--timeout", "10s", "--json")
    s.check("task wait DEMO-4", r.rc == 0 and (r.json() or {}).get("taskId") == T4, r)
    r = run("task", "ci", "DEMO-4", "--watch", "--timeout", "10s", "--json")
    s.check("task ci --watch DEMO-4", r.rc == 0 and (r.json() or {}).get("overallStatus") == "passed", r)
    r = run("task", "start", "DEMO-1", "-q")
    s.check("task start DEMO-1 (a mutation)", r.rc == 0 and r.out.strip() == T1, r)
    r = run("events", "list", "--task", "DEMO-1", "--json") if False else None  # events list has no --task

    r = run("events", "tail", "--task", "DEMO-1", "--from-start", "--timeout", "2s", "-o", "ndjson")
    events = [json.loads(l) for l in r.lines()] if r.rc == 0 else []
    s.check("events tail --task DEMO-1: only that task's events",
            r.rc == 0 and events and all(e.get("data", {}).get("taskId") == T1 for e in events), r)
    r = run("subscriptions", "create", "--url", "https://example.com/hook", "--event-type", "task.updated",
            "--task", "DEMO-1", "--json")
    sub = (r.json() or {}) if r.rc == 0 else {}
    s.check("subscriptions create --task DEMO-1 stores the task id",
            r.rc == 0 and T1 in json.dumps(sub.get("filters", {})) and "DEMO-1" not in json.dumps(sub.get("filters", {})), r)


# ---- ambiguous and unknown keys ----
def test_ambiguous_and_unknown_keys():
    r = run("task", "show", "ENG-7")
    s.check("an ambiguous key: exit 5 naming both candidates",
            r.rc == 5 and "ambiguous_task_key" in r.err and "linear:acme:issues/ENG-7" in r.err
            and "linear:beta:issues/ENG-7" in r.err, r)
    r = run("task", "show", "ENG-7", "--errors", "json")
    err = json.loads(r.err or "{}").get("error", {}) if r.err.startswith("{") else {}
    s.check("--errors json carries the candidates with ids",
            r.rc == 5 and len(err.get("details", {}).get("candidates", [])) == 2
            and all(c["id"].startswith("tsk_") for c in err["details"]["candidates"]), r)
    r = run("task", "show", "DEMO-99")
    s.check("an unknown key: exit 5, keys of the same project suggested",
            r.rc == 5 and "task_not_found" in r.err and "DEMO-99" in r.err and "DEMO-1" in r.err
            and len(r.err.strip().splitlines()[-1]) < 200, r)
    r = run("task", "show", "NOPE")
    s.check("an unknown key without look-alikes: exit 5 pointing at tasks list",
            r.rc == 5 and "agentrail tasks list" in r.err, r)
    r = run("task", "show", "bad key")
    s.check("a key with a space: usage error, nothing sent", r.rc == 2, r)


# ---- the lookup reads pages until the first exact match ----
def test_the_lookup_reads_pages_until_the_first_exact_match():
    # Paged, stopping at the first exact match: with 300 tasks, GEN-5 is on the first page of 100.
    big = s.mock("--tasks", "300")
    r = s.run("task", "show", "GEN-5", "-q", "--debug", mock=big)
    s.check("the lookup stops at the page holding the key", r.rc == 0 and r.err.count("GET") >= 1
            and r.err.count("/tasks/mine") == 1, r.err.count("/tasks/mine"))
    r = s.run("task", "show", "GEN-290", "-q", "--debug", mock=big)
    s.check("a key on a later page is found by following pages", r.rc == 0 and r.out.startswith("tsk_")
            and r.err.count("/tasks/mine") >= 3, r.err.count("/tasks/mine"))
