#!/usr/bin/env python3
"""The operator commands against agentrail-mock, one block per operation: routing rules show/set, routing
profile show/set, routing evaluate, routing audit, intake issue, setup verify-task, runs list/show/context/
report, task source set. Each checks what the command prints and what changed on the server (or, for dry
runs and refusals, that nothing did), plus scopes, bad input files and exit codes."""

import json
import os
import shlex
import subprocess

import pytest

from e2e_support import ADMIN_KEY, DEMO_KEY

s = mock = None  # bound by scenario() below


@pytest.fixture(scope="module", autouse=True)
def scenario(suite):
    """The Suite of this module (tests/e2e/conftest.py) and the mocks it runs against."""
    global s, mock
    s = suite
    mock = s.mock()


def op(*args, **kw):
    kw.setdefault("key", ADMIN_KEY)
    return s.run(*args, mock=mock, **kw)


def write(name, value):
    path = os.path.join(s.tmp, name)
    with open(path, "w") as f:
        f.write(value if isinstance(value, str) else json.dumps(value))
    return path


def snapshot(number, issue_type="bug", repo="demo"):
    return {"provider": "github", "providerIssueId": "github:agentrail-mock/%s:issues/%d" % (repo, number),
            "sourceVersion": "2026-05-05T12:00:00Z:%d" % number,
            "repository": {"provider": "github", "owner": "agentrail-mock", "name": repo, "defaultBranch": "main"},
            "title": "Issue %d" % number, "bodyDigest": "sha256:%032x" % number, "labels": ["bug"],
            "project": None, "issueType": issue_type, "priority": "high", "ownershipTags": [],
            "capabilityTags": [], "links": {"providerIssue": "https://github.com/agentrail-mock/%s/issues/%d" % (repo, number)}}


def my_task_keys(key=DEMO_KEY):
    r = s.run("tasks", "list", "--all", "-o", "json", mock=mock, key=key)
    return [t["identifier"] for t in r.json() or []]


# ---- routing rules show / set -------------------------------------------------------------------------
def test_routing_rules_show_set():
    r = op("routing", "rules", "show")
    s.check("rules show: table with the seeded rule", r.rc == 0 and "rule_demo_bugs" in r.out and "Rules" in r.out, r)
    current = op("routing", "rules", "show", "-o", "json").json()
    s.check("rules show -o json: the rule set as sent", current and current["version"] == 1 and
            current["rules"][0]["target"] == {"type": "agent", "id": "agt_demo"}, current)
    r = op("routing", "rules", "show", key=DEMO_KEY)
    s.check("rules show without routing:read exits 4", r.rc == 4 and "routing:read" in r.err, r)

    new_rules = {"sourceRef": "e2e", "changeReason": "Route architecture issues to agt_other",
                 "rules": [dict(current["rules"][0], priority=20),
                           {"id": "rule_arch", "name": "Architecture", "enabled": True, "priority": 5,
                            "conditions": {"issueTypes": ["architecture"]}, "target": {"type": "agent", "id": "agt_other"},
                            "confidence": 0.9, "explanation": "Architecture work goes to the other agent."}],
                 "classifier": current["classifier"]}
    rules_file = write("rules.json", new_rules)
    r = op("routing", "rules", "set", "-f", rules_file, "--dry-run")
    s.check("rules set --dry-run: shows each change", r.rc == 0 and "~ /rules/rule_demo_bugs/priority: 10 -> 20" in r.out
            and "+ /rules/rule_arch = " in r.out and "nothing sent" in r.out, r)
    r = op("routing", "rules", "set", "-f", rules_file, "--dry-run", "-o", "json")
    changes = r.json() or []
    s.check("rules set --dry-run -o json: the changes as JSON",
            {"op": "change", "path": "/rules/rule_demo_bugs/priority", "from": 10, "to": 20} in changes
            and any(c["op"] == "add" and c["path"] == "/rules/rule_arch" for c in changes), r)
    s.check("rules set --dry-run sent nothing", op("routing", "rules", "show", "-o", "json").json()["version"] == 1)
    r = op("routing", "rules", "set", "-f", rules_file, stdin="")
    s.check("rules set without --yes off a terminal: exit 2, nothing sent",
            r.rc == 2 and "--yes" in r.err and op("routing", "rules", "show", "--jq", ".version").out.strip() == "1", r)
    r = s.run_tty("routing", "rules", "set", "-f", rules_file, mock=mock, key=ADMIN_KEY)
    s.check("rules set on a terminal asks; no answer: exit 2, nothing sent",
            r.rc == 2 and "Replace the routing rule set? [y/N]" in r.out and "not confirmed" in r.out
            and op("routing", "rules", "show", "--jq", ".version").out.strip() == "1", r)
    # A terminal that answers "y": script(1) gives the command a pty and feeds it our stdin.
    cmd = " ".join(shlex.quote(a) for a in [s.cli, "routing", "rules", "set", "-f", rules_file, "-q"])
    p = subprocess.run(["script", "-qec", cmd, "/dev/null"], input="y\n", capture_output=True, text=True, timeout=60,
                       env=s.env(mock, ADMIN_KEY, {"TERM": "xterm"}))
    s.check("rules set on a terminal, answered y: replaced",
            p.returncode == 0 and op("routing", "rules", "show", "--jq", ".version").out.strip() == "2", p.stdout)
    new_rules["changeReason"] = "Same rules, new reason"
    r = op("routing", "rules", "set", "-f", write("rules2.json", new_rules), "--yes", "-o", "json")
    data = r.json() or {}
    s.check("rules set --yes: a new active revision that supersedes the last",
            r.rc == 0 and data.get("version") == 3 and data.get("status") == "active"
            and data["audit"]["changeReason"] == "Same rules, new reason" and data["audit"]["supersedesRuleSetId"], r)
    r = op("routing", "rules", "set", "-f", "-", "--yes", stdin=json.dumps(new_rules), key=DEMO_KEY)
    s.check("rules set with a key without routing:admin: exit 4", r.rc == 4, r)
    for name, content, needle in (("broken.json", "{", "not valid JSON"),
                                  ("array.json", "[1]", "expected a JSON object"),
                                  ("partial.json", {"sourceRef": "x", "rules": []}, "changeReason: missing"),
                                  ("badtarget.json", dict(new_rules, rules=[dict(new_rules["rules"][1], target={"type": "robot", "id": "x"})]),
                                   "target.type"),
                                  ("badconf.json", dict(new_rules, rules=[dict(new_rules["rules"][1], confidence=2)]), "between 0 and 1")):
        r = op("routing", "rules", "set", "-f", write(name, content), "--yes")
        s.check("rules set with %s: usage error (exit 2) naming the problem" % name, r.rc == 2 and needle in r.err, r)
    r = op("routing", "rules", "set", "-f", os.path.join(s.tmp, "missing.json"), "--yes")
    s.check("rules set with a missing file: exit 2", r.rc == 2 and "missing.json" in r.err, r)


# ---- routing profile show / set -----------------------------------------------------------------------
def test_routing_profile_show_set():
    r = op("routing", "profile", "show", "agt_demo")
    s.check("profile show: the seeded profile", r.rc == 0 and "Demo Agent" in r.out and "agentrail-mock/demo" in r.out, r)
    r = op("routing", "profile", "show", "agt_nobody")
    s.check("profile show of an unknown agent: exit 5", r.rc == 5, r)
    r = op("routing", "profile", "show", "not-an-agent")
    s.check("profile show with a malformed id: exit 2", r.rc == 2, r)
    profile = {"displayName": "Admin As Agent", "role": "operator", "status": "active", "capabilityTags": ["ops"],
               "ownershipTags": ["infra"], "repoAllowlist": ["agentrail-mock/infra"], "maxConcurrentTasks": 2,
               "sourceRef": "e2e", "changeReason": "New routable agent"}
    profile_file = write("profile.json", profile)
    r = op("routing", "profile", "set", "agt_admin", "-f", profile_file, "--dry-run")
    s.check("profile set --dry-run of a new profile: every field is an addition",
            r.rc == 0 and '+ /displayName = "Admin As Agent"' in r.out and "+ /maxConcurrentTasks = 2" in r.out, r)
    s.check("profile set --dry-run sent nothing", op("routing", "profile", "show", "agt_admin").rc == 5)
    r = op("routing", "profile", "set", "agt_admin", "-f", profile_file, "--yes", "-o", "json")
    s.check("profile set --yes creates it", r.rc == 0 and (r.json() or {}).get("agentId") == "agt_admin" and
            op("routing", "profile", "show", "agt_admin", "--jq", ".displayName").out.strip() == "Admin As Agent", r)
    r = op("routing", "profile", "set", "agt_admin", "-f", write("profile2.json", dict(profile, maxConcurrentTasks=4)),
           "--yes")
    s.check("profile set shows only what changes (on stderr) and replaces",
            r.rc == 0 and "~ /maxConcurrentTasks: 2 -> 4" in r.err and "/displayName" not in r.err and
            op("routing", "profile", "show", "agt_admin", "--jq", ".maxConcurrentTasks").out.strip() == "4", r)
    r = op("routing", "profile", "set", "agt_admin", "-f", write("profile3.json", dict(profile, status="sleeping")), "--yes")
    s.check("profile set with a bad status: exit 2", r.rc == 2 and "status" in r.err, r)
    r = op("routing", "profile", "set", "agt_admin", "-f", profile_file)
    s.check("profile set without --yes off a terminal: exit 2", r.rc == 2 and "--yes" in r.err, r)


# ---- routing evaluate (dry run) and audit --------------------------------------------------------------
def test_evaluate_then_intake_setup_runs_and_task_source():
    """Routing evaluate and audit, then the intake, set-up, runs and task-source steps that build on them."""
    before = my_task_keys()
    issue_file = write("issue.json", snapshot(900))
    r = op("routing", "evaluate", "-f", issue_file)
    s.check("evaluate: chosen agent, confidence, matched rule, dry-run note",
            r.rc == 0 and "agt_demo" in r.out and "0.95" in r.out and "rule_demo_bugs" in r.out and "Dry run" in r.out, r)
    decision = op("routing", "evaluate", "-f", issue_file, "-o", "json").json() or {}
    s.check("evaluate -o json: no task in a dry run", decision.get("outcome") == "assigned"
            and decision.get("taskId") is None and decision["target"]["id"] == "agt_demo", decision)
    s.check("evaluate created no task", my_task_keys() == before)
    arch = op("routing", "evaluate", "-f", write("arch.json", snapshot(901, "architecture")), "-o", "json").json() or {}
    s.check("evaluate follows the replaced rule set (architecture -> agt_other)",
            arch.get("target", {}).get("id") == "agt_other" and
            [m["id"] for m in arch["routingReason"]["matchedRules"]] == ["rule_arch"], arch)
    r = op("routing", "evaluate", "-f", write("wrapped.json", {"ruleSetVersion": 3, "snapshot": snapshot(901, "architecture")}),
           "-o", "json")
    s.check("evaluate {ruleSetVersion: 3, snapshot}: the active version", r.rc == 0 and
            (r.json() or {}).get("target", {}).get("id") == "agt_other", r)
    r = op("routing", "evaluate", "-f", issue_file, "--rule-set-version", "1")
    s.check("evaluate --rule-set-version of a superseded version: stale, exit 6", r.rc == 6 and "stale" in r.err, r)
    r = op("routing", "evaluate", "-f", issue_file, key=DEMO_KEY)
    s.check("evaluate without routing:evaluate: exit 4", r.rc == 4, r)
    r = op("routing", "evaluate", "-f", write("bad_issue.json", dict(snapshot(902), labels="bug")))
    s.check("evaluate with a mistyped member: exit 2 naming it", r.rc == 2 and "labels" in r.err, r)

    r = op("routing", "audit", decision["id"])
    s.check("audit: the recorded decision and rule set", r.rc == 0 and decision["id"] in r.out and "rule_demo_bugs" in r.out
            and "v3" in r.out, r)
    audit = op("routing", "audit", decision["id"], "-o", "json").json() or {}
    s.check("audit -o json", audit.get("decision", {}).get("id") == decision["id"] and audit["ruleSet"]["version"] == 3, audit)
    r = op("routing", "audit", "rdec_00000000000000000000000000")
    s.check("audit of an unknown decision: exit 5", r.rc == 5, r)
    r = op("routing", "audit", "bogus")
    s.check("audit with a malformed id: exit 2", r.rc == 2, r)

    # ---- intake issue ---------------------------------------------------------------------------------------
    r = op("intake", "issue", "-f", issue_file, "--dry-run", "-o", "json")
    s.check("intake issue --dry-run evaluates only", r.rc == 0 and (r.json() or {}).get("taskId") is None
            and my_task_keys() == before, r)
    ingested = op("intake", "issue", "-f", issue_file, "-o", "json").json() or {}
    task_key = ingested.get("taskIdentifier") or "?"
    s.check("intake issue -o json: the decision carries the task", ingested.get("taskId", "").startswith("tsk_") and task_key, ingested)
    s.check("the ingested task is in the agent's tasks list", task_key in my_task_keys(), my_task_keys())
    r = op("intake", "issue", "-f", write("issue903.json", snapshot(903)))
    s.check("intake issue (table): routed and the task created; piped, no next-step hints", r.rc == 0
            and "agt_demo" in r.out and "tsk_" in r.out and "agentrail task show" not in r.out + r.err, r)
    r = op("intake", "issue", "-f", issue_file, "-o", "json")
    s.check("the same issue again is routed again onto the same task", r.rc == 0 and
            (r.json() or {}).get("taskId") == ingested.get("taskId") and my_task_keys().count(task_key) == 1, r)
    replay_file = write("issue904.json", snapshot(904))
    first = op("intake", "issue", "-f", replay_file, "--idempotency-key", "intake-e2e-904", "-o", "json").json() or {}
    again = op("intake", "issue", "-f", replay_file, "--idempotency-key", "intake-e2e-904", "-o", "json").json() or {}
    s.check("intake issue with the same --idempotency-key replays the first answer (one task)",
            first.get("taskId") and first == again and my_task_keys().count(first.get("taskIdentifier")) == 1, [first, again])
    r = op("intake", "issue", "-f", write("issue905.json", snapshot(905)), "--idempotency-key", "intake-e2e-904")
    s.check("the same --idempotency-key with another issue: exit 6", r.rc == 6, r)
    r = op("intake", "issue", "-f", issue_file, key=DEMO_KEY)
    s.check("intake issue without routing:admin: exit 4", r.rc == 4, r)
    r = s.run("events", "tail", "--from-start", "--task", ingested.get("taskId", ""), "--count", "1", "-o", "ndjson",
              mock=mock, key=DEMO_KEY, timeout=30)
    event = json.loads(r.out.splitlines()[0]) if r.rc == 0 and r.out.strip() else {}
    s.check("the ingested task's event is on events tail", event.get("data", {}).get("taskIdentifier") == task_key, r)

    # ---- setup verify-task ------------------------------------------------------------------------------------
    r = op("setup", "verify-task", "--agent", "agt_other", "--source-ref", "agentrail-cli:e2e", "-o", "json")
    setup = r.json() or {}
    s.check("setup verify-task: an in_progress task for the agent", r.rc == 0 and setup.get("status") == "in_progress"
            and setup.get("agentId") == "agt_other" and setup.get("sourceRef") == "agentrail-cli:e2e", r)
    r2 = op("setup", "verify-task", "--agent", "agt_other", "-o", "json")
    s.check("setup verify-task again reuses the task", (r2.json() or {}).get("taskIdentifier") == setup.get("taskIdentifier"), r2)
    other = s.run("tasks", "list", "--status", "in_progress", "-o", "json", mock=mock, key="ar_local_other_key").json() or []
    s.check("the agent's key sees the setup task in_progress", setup.get("taskId") in [t["id"] for t in other], other)
    r = op("setup", "verify-task", "--agent", "agt_other", key=DEMO_KEY)
    s.check("setup verify-task without routing:admin: exit 4", r.rc == 4, r)
    r = op("setup", "verify-task", "--agent", "bob")
    s.check("setup verify-task with a malformed agent id: exit 2", r.rc == 2, r)

    # ---- runs list / show / context / report (reference-server routes) -------------------------------------
    r = op("runs", "list", "--agent", "agt_demo", "--status", "starting", "--limit", "5")
    s.check("runs list: the run the intake started", r.rc == 0 and "RUN" in r.out and task_key in r.out, r)
    runs = op("runs", "list", "--agent", "agt_demo", "-o", "json").json() or []
    run = next((x for x in runs if x.get("taskId") == ingested.get("taskId")), {})
    run_id = run.get("runId", "")
    s.check("runs list -o json: runs as the reference server sends them", run_id.startswith("run_")
            and run.get("agentId") == "agt_demo" and run.get("status") == "starting" and "launch" in run, runs)
    r = op("runs", "list", "--limit", "1", "-o", "json")
    s.check("runs list --limit 1", r.rc == 0 and len(r.json() or []) == 1, r)
    r = op("runs", "list", "--status", "sleeping")
    s.check("runs list --status with an unknown status: exit 2", r.rc == 2, r)
    r = op("runs", "show", run_id)
    s.check("runs show", r.rc == 0 and run_id in r.out and task_key in r.out, r)
    r = op("runs", "show", "run_doesnotexist")
    s.check("runs show of an unknown run: exit 5", r.rc == 5, r)
    r = op("runs", "list", key="ar_local_readonly_key")
    s.check("runs list without usage:read: exit 4", r.rc == 4, r)

    token = json.loads(subprocess.run(["curl", "-s", "%s/_mock/agent-runs/%s/token" % (mock.base_url, run_id)],
                                      capture_output=True, text=True, timeout=10).stdout or "{}").get("data", {}).get("token", "")
    token_file = write("run.token", token + "\n")
    r = op("runs", "context", run_id, "--run-token-file", token_file)
    s.check("runs context with the run-context token: the task card and next actions",
            r.rc == 0 and task_key in r.out and "Issue 900" in r.out and "Next" in r.out, r)
    r = op("runs", "context", run_id, "--run-token-file", token_file, "-o", "json", "--debug")
    card = r.json() or {}
    s.check("runs context -o json: {run, task, nextActions}; the token never appears in the log",
            r.rc == 0 and card.get("run", {}).get("runId") == run_id and card.get("task", {}).get("identifier") == task_key
            and isinstance(card.get("nextActions"), list) and token and token not in r.err and "/context" in r.err,
            r.err[-2000:])
    r = op("runs", "context", run_id, "--run-token-file", write("apikey.token", ADMIN_KEY))
    s.check("runs context with an API key instead of the run token: exit 3", r.rc == 3, r)
    r = op("runs", "context", run_id, "--run-token-file", write("empty.token", ""))
    s.check("runs context with an empty token file: exit 2", r.rc == 2, r)

    r = op("runs", "report", run_id, "-f", write("progress.json", {"status": "progress", "summary": "Reproduced it"}),
           "-o", "json", key=DEMO_KEY)
    rep = r.json() or {}
    s.check("runs report (the run's agent key): the report is on the run",
            r.rc == 0 and [x["summary"] for x in rep.get("reports", [])] == ["Reproduced it"], r)
    r = op("runs", "report", run_id, "-f", write("progress2.json", {"status": "progress", "summary": "x"}),
           key="ar_local_other_key")
    s.check("runs report with another agent's key: exit 4", r.rc == 4, r)
    r = op("runs", "report", run_id, "-f", write("blocked.json", {"status": "blocked", "summary": "Need a decision"}),
           key=DEMO_KEY)
    s.check("runs report blocked without reason/actionRequired/resumeInstructions: the server refuses (exit 7)", r.rc == 7, r)
    r = op("runs", "report", run_id, "-f", write("done.json", {"status": "completed", "summary": "Fixed it",
                                                                "handoff": {"commitSha": "abc"}}), key=DEMO_KEY)
    s.check("runs report completed (table)", r.rc == 0 and "Fixed it" in r.out, r)
    r = op("runs", "show", run_id, "-o", "json")
    shown = r.json() or {}
    s.check("runs show after the reports: both kept, the handoff recorded",
            [x["status"] for x in shown.get("reports", [])] == ["progress", "completed"]
            and shown.get("reportedHandoff") == {"commitSha": "abc"}, shown)
    r = op("runs", "report", run_id, "-f", write("badreport.json", {"summary": "no status"}))
    s.check("runs report without a status: exit 2", r.rc == 2 and "status" in r.err, r)
    r = op("runs", "report", run_id, "-f", write("badhandoff.json", {"status": "progress", "summary": "x", "handoff": 3}))
    s.check("runs report with a handoff that is not an object: exit 2", r.rc == 2 and "handoff" in r.err, r)

    # ---- task source set (reference-server route) ----------------------------------------------------------
    task_id = ingested.get("taskId", "")
    source = {"sourceRef": "ops-e2e", "changeReason": "The issue moved to the release branch",
              "source": {"baseBranch": "release/1.2", "labels": ["bug", "regression"]}}
    r = op("task", "source", "set", task_id, "-f", write("source.json", source), "-o", "json")
    data = r.json() or {}
    s.check("task source set: the changed source", r.rc == 0 and data.get("taskId") == task_id and
            data.get("source", {}).get("baseBranch") == "release/1.2", r)
    r = op("task", "source", "set", task_id, "-f", write("source2.json", dict(source, source={"baseBranch": None})))
    s.check("task source set (table): a null removes the field", r.rc == 0 and task_id in r.out and "release/1.2" not in r.out, r)
    r = op("task", "source", "set", task_id, "-f", write("source3.json", source), key=DEMO_KEY)
    s.check("task source set without routing:admin: exit 4", r.rc == 4, r)
    r = op("task", "source", "set", task_id, "-f", write("source4.json", dict(source, source={"owner": "o"})))
    s.check("task source set {source: owner without repo}: exit 2", r.rc == 2 and "owner and repo" in r.err, r)
    r = op("task", "source", "set", task_id, "-f", write("source5.json", {}))
    s.check("task source set with nothing to change: exit 2", r.rc == 2, r)
    r = op("task", "source", "set", task_id, "-f", write("source6.json", dict(source, changeReason="")))
    s.check("task source set without a changeReason: exit 2", r.rc == 2 and "changeReason" in r.err, r)
    r = op("task", "source", "set", "tsk_bad_id", "-f", write("source7.json", source))
    s.check("task source set with a malformed task id: exit 2", r.rc == 2, r)
    r = op("task", "source", "set", "tsk_00000000000000000000000000", "-f", write("source8.json", source))
    s.check("task source set of an unknown task: exit 5", r.rc == 5, r)
