#!/usr/bin/env python3
"""Operator API (intake-routing-admin.openapi.yaml) and the reference server's managed-runner and
task-source routes: state (rule sets and profiles drive evaluations, evaluations and intake write audit
records, intake creates routed tasks, runs and events), auth and scopes, validation, idempotency."""

import hashlib
import json
import os
import sys
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mockutil import *  # noqa: E402,F403

A, D = ADMIN_KEY, DEMO_KEY


def idem():
    return "operator-" + uuid.uuid4().hex


def make_key(m, agent_id, scopes):
    body = {"agent": {"id": agent_id, "displayName": agent_id, "role": "operator", "externalIdentities": []},
            "scopes": scopes, "rateLimit": {"windowSeconds": 60, "maxRequests": 1000}}
    r = m.post("/agent-api-keys", body, key=A, idem=idem())
    assert r.status == 201, r
    return r.json()["data"]["apiKey"]


def put(m, path, body, key=A, idem_key=None):
    return m.request("PUT", path, body=body, key=key, idem=idem_key or idem())


def rule(rid, target, priority=10, conditions=None, confidence=0.9, target_type="agent", enabled=True):
    return {"id": rid, "name": f"Rule {rid}", "enabled": enabled, "priority": priority,
            "conditions": conditions or {}, "target": {"type": target_type, "id": target},
            "confidence": confidence, "explanation": f"{rid} explanation"}


def rule_set(rules, classifier=None):
    return {"sourceRef": "test", "changeReason": "test rules", "rules": rules,
            "classifier": classifier or {"enabled": False, "provider": "test-router", "confidenceThreshold": 0.8,
                                         "maxCandidates": 3, "fallbackTriageQueueId": "triage_test"}}


def profile(status="active", caps=None, owns=None, repos=None, max_tasks=20):
    return {"displayName": "Profile", "role": "engineer", "status": status, "capabilityTags": caps or [],
            "ownershipTags": owns or [], "repoAllowlist": repos or [], "maxConcurrentTasks": max_tasks,
            "sourceRef": "test", "changeReason": "test profile"}


def snapshot(number=1, labels=None, issue_type="bug", repo=("acme", "widgets"), caps=None, owns=None,
             project=None, priority="high", version="v1"):
    owner, name = repo
    return {"provider": "github", "providerIssueId": f"github:{owner}/{name}:issues/{number}", "sourceVersion": version,
            "repository": {"provider": "github", "owner": owner, "name": name, "defaultBranch": "main"},
            "title": f"Issue {number}", "bodyDigest": "sha256:abc", "labels": labels or [], "project": project,
            "issueType": issue_type, "priority": priority, "ownershipTags": owns or [], "capabilityTags": caps or [],
            "links": {"providerIssue": f"https://github.com/{owner}/{name}/issues/{number}"}}


def evaluate(m, snap, version=None, key=A):
    body = {"snapshot": snap}
    if version is not None:
        body["ruleSetVersion"] = version
    r = m.post("/operator/routing/evaluations", body, key=key, idem=idem())
    assert r.status == 200, r
    return r.json()["data"]


def source_repair(source):
    return {"sourceRef": "test", "changeReason": "test repair", "source": source}


def assert_error(r, status, code):
    assert r.status == status, r
    assert r.json()["error"]["code"] == code, r


def my_task_ids(m, key):
    r = m.get("/tasks/mine?limit=100", key=key)
    assert r.status == 200, r
    return [t["id"] for t in r.json()["data"]]


# ---- rule sets ----

def test_rule_set_get_and_replace(binary):
    with Mock(binary) as m:
        r = m.get("/operator/routing/rule-sets/current", key=A)
        assert r.status == 200, r
        v1 = r.json()
        assert v1["data"]["version"] == 1 and v1["data"]["status"] == "active" and v1["data"]["source"] == "database_seed"
        assert v1["data"]["rules"][0]["id"] == "rule_demo_bugs" and v1["meta"]["requestId"].startswith("req_")
        assert v1["availableActions"] == ["update", "evaluate"]

        body = rule_set([rule("r1", "agt_demo")])
        k = idem()
        r = put(m, "/operator/routing/rule-sets/current", body, idem_key=k)
        assert r.status == 201, r
        v2 = r.json()["data"]
        assert v2["version"] == 2 and v2["status"] == "active" and v2["source"] == "admin_api"
        assert v2["createdBy"] == "agt_admin" and v2["audit"] == {"supersedesRuleSetId": v1["data"]["id"],
                                                                  "changeReason": "test rules"}
        # Defaults of the classifier are filled in.
        assert v2["classifier"]["fallbackBehavior"] == "require_suitable_agent" and v2["classifier"]["timeoutMs"] == 180000
        assert m.get("/operator/routing/rule-sets/current", key=A).json()["data"]["id"] == v2["id"]

        replay = put(m, "/operator/routing/rule-sets/current", body, idem_key=k)
        assert replay.status == 201 and replay.body == r.body and replay.headers.get("idempotent-replayed") == "true"
        assert m.get("/operator/routing/rule-sets/current", key=A).json()["data"]["version"] == 2
        assert_error(put(m, "/operator/routing/rule-sets/current", rule_set([]), idem_key=k), 409, "conflict")
        assert put(m, "/operator/routing/rule-sets/current", rule_set([])).json()["data"]["version"] == 3


def test_rule_set_validation(binary):
    with Mock(binary) as m:
        r = m.request("PUT", "/operator/routing/rule-sets/current", body=rule_set([]), key=A)
        assert_error(r, 400, "validation_error")
        assert r.json()["error"]["details"]["fieldErrors"][0]["field"] == "Idempotency-Key"
        cases = [
            ({**rule_set([]), "extra": 1}, "extra"),
            ({k: v for k, v in rule_set([]).items() if k != "classifier"}, "classifier"),
            (rule_set([rule("r1", "not-an-agent")]), "rules.0.target.id"),
            (rule_set([rule("r1", "agt_demo", confidence=1.5)]), "rules.0.confidence"),
            (rule_set([rule("r1", "agt_demo", conditions={"labelsAll": ["x"]})]), "rules.0.conditions.labelsAll"),
            (rule_set([rule("r1", "agt_demo"), rule("r1", "agt_other")]), "rules.1.id"),
            (rule_set([rule("r1", "q", target_type="team")]), "rules.0.target.type"),
            (rule_set([], {"enabled": True, "provider": "p", "confidenceThreshold": 0.5, "maxCandidates": 0,
                           "fallbackTriageQueueId": "t"}), "classifier.maxCandidates"),
            (rule_set([], {"enabled": True, "provider": "p", "confidenceThreshold": 0.5, "maxCandidates": 1,
                           "fallbackTriageQueueId": "t", "timeoutMs": 10}), "classifier.timeoutMs"),
        ]
        for body, field in cases:
            r = put(m, "/operator/routing/rule-sets/current", body)
            assert_error(r, 400, "validation_error")
            fields = [e["field"] for e in r.json()["error"]["details"]["fieldErrors"]]
            assert field in fields, (field, fields)
            assert r.json()["error"]["details"]["availableActions"] == ["fix_request"]
        r = m.request("PUT", "/operator/routing/rule-sets/current", raw="{nope", key=A, idem=idem())
        assert_error(r, 400, "validation_error")
        assert m.get("/operator/routing/rule-sets/current", key=A).json()["data"]["version"] == 1


def test_operator_auth_and_scopes(binary):
    with Mock(binary) as m:
        reader = make_key(m, "agt_reader", ["routing:read"])
        evaluator = make_key(m, "agt_evaluator", ["routing:evaluate"])
        cases = [
            ("GET", "/operator/routing/rule-sets/current", None, "routing:read"),
            ("PUT", "/operator/routing/rule-sets/current", rule_set([]), "routing:admin"),
            ("GET", "/operator/routing/agent-profiles/agt_demo", None, "routing:read"),
            ("PUT", "/operator/routing/agent-profiles/agt_demo", profile(), "routing:admin"),
            ("POST", "/operator/routing/evaluations", {"snapshot": snapshot()}, "routing:evaluate"),
            ("GET", "/operator/routing/audit/rdec_unknown", None, "routing:read"),
            ("POST", "/operator/intake/provider-issues", snapshot(), "routing:admin"),
            ("POST", "/operator/setup/verification-task", {"agentId": "agt_demo"}, "routing:admin"),
            ("GET", "/operator/agent-runs", None, "usage:read"),
            ("GET", "/operator/agent-runs/run_unknown", None, "usage:read"),
            ("PATCH", f"/operator/tasks/{TODO_TASK}/source", source_repair({"baseBranch": "dev"}), "routing:admin"),
            ("POST", "/agent-runs/run_unknown/report", {"status": "progress", "summary": "x"}, "tasks:write"),
        ]
        for method, path, body, scope in cases:
            assert_error(m.request(method, path, body=body, idem=idem()), 401, "unauthorized")
            assert_error(m.request(method, path, body=body, key="ar_live_unknown", idem=idem()), 401, "unauthorized")
            r = m.request(method, path, body=body, key=READONLY_KEY, idem=idem())
            assert_error(r, 403, "insufficient_scope")
            assert r.json()["error"]["details"]["requiredScope"] == scope, (path, r)
            assert r.json()["error"]["details"]["grantedScopes"] == ["tasks:read"]
        # Each routing scope opens exactly its operations.
        assert m.get("/operator/routing/rule-sets/current", key=reader).status == 200
        assert m.get("/operator/routing/agent-profiles/agt_demo", key=reader).status == 200
        assert_error(put(m, "/operator/routing/rule-sets/current", rule_set([]), key=reader), 403, "insufficient_scope")
        assert_error(m.post("/operator/routing/evaluations", {"snapshot": snapshot()}, key=reader, idem=idem()), 403,
                     "insufficient_scope")
        assert m.post("/operator/routing/evaluations", {"snapshot": snapshot()}, key=evaluator, idem=idem()).status == 200
        assert_error(m.get("/operator/routing/rule-sets/current", key=evaluator), 403, "insufficient_scope")
        # Ids that do not match their pattern are 404 before any auth check, like the task routes.
        for path in ("/operator/routing/agent-profiles/demo", "/operator/routing/audit/dec_1",
                     "/operator/agent-runs/xyz", "/agent-runs/xyz/context", "/operator/tasks/tsk_a-b/source"):
            method = "PATCH" if path.endswith("/source") else "GET"
            assert_error(m.request(method, path), 404, "not_found")
        assert_error(m.request("DELETE", "/operator/routing/rule-sets/current", key=A), 404, "not_found")
        # Operations are attributed in the key's usage.
        usage = m.get("/agent-api-keys/akey_localreadonly/usage", key=A).json()["data"]
        assert usage["totals"]["denied"] >= len(cases)


def test_prefix_usage_and_faults_apply(binary):
    with Mock(binary, "--path-prefix", "/v1") as m:
        # Both with and without the prefix, like every route.
        assert m.get("/operator/routing/rule-sets/current", key=A).status == 200
        assert m.get("/operator/routing/rule-sets/current", key=A, prefix=False).status == 200
        evaluate(m, snapshot())
        usage = m.get("/agent-api-keys/akey_localadmin/usage", key=A).json()["data"]
        ops = {o["operation"]: o["count"] for o in usage["byOperation"]}
        assert ops.get("get_current_routing_rule_set") == 2 and ops.get("evaluate_routing") == 1, ops
        scopes = {x["scope"]: x["count"] for x in usage["byScope"]}
        assert scopes.get("routing:read") == 2 and scopes.get("routing:evaluate") == 1, scopes
        m.control("POST", "/_mock/faults", {"kind": "status", "status": 503, "pathContains": "/operator/intake"})
        assert_error(m.post("/operator/intake/provider-issues", snapshot(), key=A, idem=idem()), 503, "unavailable")
        assert m.post("/operator/intake/provider-issues", snapshot(), key=A, idem=idem()).status == 202


# ---- agent profiles ----

def test_agent_profile_get_and_replace(binary):
    with Mock(binary) as m:
        r = m.get("/operator/routing/agent-profiles/agt_demo", key=A)
        assert r.status == 200, r
        seeded = r.json()["data"]
        assert seeded["agentId"] == "agt_demo" and seeded["source"] == "config_file_import"
        assert_error(m.get("/operator/routing/agent-profiles/agt_nobody", key=A), 404, "not_found")

        body = profile(caps=["rust"], owns=["infra"], repos=["acme/widgets"], max_tasks=2)
        k = idem()
        r = put(m, "/operator/routing/agent-profiles/agt_newbie", body, idem_key=k)
        assert r.status == 200, r
        created = r.json()
        assert created["data"] == {"agentId": "agt_newbie", **{f: body[f] for f in (
            "displayName", "role", "status", "capabilityTags", "ownershipTags", "repoAllowlist", "maxConcurrentTasks")},
            "source": "operator_admin", "sourceRef": "test", "changeReason": "test profile", "updatedBy": "agt_admin",
            "updatedAt": created["data"]["updatedAt"]}
        assert created["availableActions"] == ["evaluate", "view_audit"]
        assert m.get("/operator/routing/agent-profiles/agt_newbie", key=A).json()["data"] == created["data"]
        replay = put(m, "/operator/routing/agent-profiles/agt_newbie", body, idem_key=k)
        assert replay.body == r.body and replay.headers.get("idempotent-replayed") == "true"
        assert_error(put(m, "/operator/routing/agent-profiles/agt_newbie", profile(), idem_key=k), 409, "conflict")
        # The same key for another agent's profile is another request (records are scoped by resource).
        assert put(m, "/operator/routing/agent-profiles/agt_other", body, idem_key=k).json()["data"]["agentId"] == "agt_other"

        for bad, field in ((profile(status="retired"), "status"), ({**profile(), "maxConcurrentTasks": 51},
                                                                    "maxConcurrentTasks"),
                           ({**profile(), "capabilityTags": [1]}, "capabilityTags"),
                           ({k2: v for k2, v in profile().items() if k2 != "sourceRef"}, "sourceRef"),
                           ({**profile(), "agentId": "agt_x"}, "agentId")):
            r = put(m, "/operator/routing/agent-profiles/agt_newbie", bad)
            assert_error(r, 400, "validation_error")
            assert field in [e["field"] for e in r.json()["error"]["details"]["fieldErrors"]], (field, r)


# ---- evaluations and audit ----

def test_evaluation_matching(binary):
    with Mock(binary) as m:
        put(m, "/operator/routing/agent-profiles/agt_demo", profile())
        put(m, "/operator/routing/agent-profiles/agt_other", profile())
        put(m, "/operator/routing/agent-profiles/agt_paused", profile(status="paused"))
        put(m, "/operator/routing/agent-profiles/agt_busy", profile(max_tasks=0))
        put(m, "/operator/routing/agent-profiles/agt_fenced", profile(repos=["acme/other"]))
        put(m, "/operator/routing/agent-profiles/agt_docs", profile(repos=["ACME/Widgets"]))
        rules = [
            rule("a_bug", "agt_demo", 10, {"repositories": ["acme/widgets"], "labelsAny": ["bug", "crash"]}, 0.9),
            rule("b_urgent", "agt_other", 20, {"priorities": ["critical"], "issueTypes": ["bug"]}, 0.8),
            rule("c_paused", "agt_paused", 50, {"labelsAny": ["paused"]}),
            rule("d_busy", "agt_busy", 50, {"labelsAny": ["busy"]}),
            rule("e_fenced", "agt_fenced", 50, {"labelsAny": ["fenced"]}),
            rule("f_unknown", "agt_nobody", 50, {"labelsAny": ["nobody"]}),
            rule("g_conflict1", "agt_demo", 90, {"labelsAny": ["dispute"]}, 0.6),
            rule("g_conflict2", "agt_other", 90, {"labelsAny": ["dispute"]}, 0.7),
            rule("h_triage", "triage_security", 80, {"labelsAny": ["security"]}, 1.0, target_type="triage_queue"),
            rule("i_caps", "agt_demo", 5, {"capabilityTagsAll": ["cpp", "cli"], "ownershipTagsAny": ["client"]}, 0.7),
            rule("j_project", "agt_other", 5, {"projects": ["Quality"]}, 0.6),
            rule("k_disabled", "agt_demo", 100, {}, 1.0, enabled=False),
            rule("l_docs", "agt_docs", 30, {"issueTypes": ["documentation"]}, 0.5),
            rule("m_same1", "agt_other", 60, {"labelsAny": ["same"]}, 0.5),
            rule("m_same2", "agt_other", 60, {"labelsAny": ["same"]}, 0.75),
        ]
        assert put(m, "/operator/routing/rule-sets/current", rule_set(rules)).status == 201

        d = evaluate(m, snapshot(labels=["bug"]))
        assert d["outcome"] == "assigned" and d["target"] == {"type": "agent", "id": "agt_demo"}, d
        assert d["assignment"]["assigneeAgentId"] == "agt_demo" and d["assignment"]["assignmentSource"] == "deterministic_rule"
        assert d["assignment"]["triageQueueId"] is None and d["assignment"]["assignedAt"] is None  # a dry run
        assert d["assignment"]["routingDecisionId"] == d["id"] and d["id"].startswith("rdec_")
        assert d["confidence"] == 0.9 and [r["id"] for r in d["routingReason"]["matchedRules"]] == ["a_bug"]
        assert d["routingReason"]["summary"] == "a_bug explanation" and d["routingReason"]["conflictReasons"] == []
        assert d["taskId"] is None and d["taskIdentifier"] is None and d["availableActions"] == ["view_audit"]
        # Higher priority numbers win; labels and other values compare case-insensitively.
        d = evaluate(m, snapshot(labels=["BUG"], priority="critical"))
        assert d["target"]["id"] == "agt_other" and d["confidence"] == 0.8, d
        # A paused, full, fenced or profile-less agent's rule is left out; routing goes on with the others.
        for label in ("paused", "busy", "fenced", "nobody"):
            d = evaluate(m, snapshot(labels=[label, "bug"]))
            assert d["target"]["id"] == "agt_demo" and d["routingReason"]["matchedRules"][0]["id"] == "a_bug", (label, d)
        # Equal priority, different targets: conflict, parked in the fallback triage queue.
        d = evaluate(m, snapshot(labels=["dispute"]))
        assert d["outcome"] == "conflict" and d["target"] == {"type": "triage_queue", "id": "triage_test"}, d
        assert d["assignment"]["assignmentSource"] == "manual_triage" and d["assignment"]["assigneeAgentId"] is None
        assert [r["id"] for r in d["routingReason"]["matchedRules"]] == ["g_conflict2", "g_conflict1"]
        assert d["routingReason"]["conflictReasons"] == ["multiple_targets_at_priority_90"] and d["confidence"] == 0.7
        # Equal priority, one target: the most confident rule speaks for all.
        d = evaluate(m, snapshot(labels=["same"]))
        assert d["outcome"] == "assigned" and d["confidence"] == 0.75, d
        assert [r["id"] for r in d["routingReason"]["matchedRules"]] == ["m_same2", "m_same1"]
        assert d["routingReason"]["summary"] == "m_same2 explanation"
        # A rule may route to a triage queue.
        d = evaluate(m, snapshot(labels=["security", "bug"]))
        assert d["outcome"] == "triage" and d["target"] == {"type": "triage_queue", "id": "triage_security"}, d
        assert d["assignment"]["triageQueueId"] == "triage_security"
        # All capability tags and any ownership tag; projects; repositories compare case-insensitively.
        d = evaluate(m, snapshot(repo=("x", "y"), issue_type="feature", caps=["CPP", "cli", "extra"], owns=["client"]))
        assert d["target"]["id"] == "agt_demo" and d["routingReason"]["matchedRules"][0]["id"] == "i_caps", d
        d = evaluate(m, snapshot(repo=("x", "y"), issue_type="feature", caps=["cpp"], owns=["client"]))
        assert d["outcome"] == "no_route", d
        d = evaluate(m, snapshot(repo=("x", "y"), issue_type="feature", project="quality"))
        assert d["target"]["id"] == "agt_other", d
        d = evaluate(m, snapshot(issue_type="documentation"))
        assert d["target"]["id"] == "agt_docs", d
        # Nothing matches and the classifier is off: no_route to the fallback queue.
        d = evaluate(m, snapshot(repo=("x", "y"), issue_type="feature"))
        assert d["outcome"] == "no_route" and d["target"] == {"type": "triage_queue", "id": "triage_test"}
        assert d["routingReason"]["conflictReasons"] == ["no_matching_rule"] and d["confidence"] == 0
        assert d["routingReason"]["classifier"] is None
        # Deterministic: the same snapshot gives the same decision (apart from its id).
        a, b = evaluate(m, snapshot(labels=["bug"])), evaluate(m, snapshot(labels=["bug"]))
        for x in (a, b):
            x.pop("id"), x["assignment"].pop("routingDecisionId")
        assert a == b


def test_evaluation_classifier(binary):
    with Mock(binary) as m:
        put(m, "/operator/routing/agent-profiles/agt_rust", profile(caps=["rust", "async"], owns=["runtime"]))
        put(m, "/operator/routing/agent-profiles/agt_web", profile(caps=["frontend"], owns=["dashboard"]))
        classifier = {"enabled": True, "provider": "test-router", "confidenceThreshold": 0.75, "maxCandidates": 3,
                      "fallbackTriageQueueId": "triage_test", "fallbackBehavior": "require_suitable_agent"}
        put(m, "/operator/routing/rule-sets/current", rule_set([], classifier))
        d = evaluate(m, snapshot(repo=("x", "y"), caps=["rust", "async"], owns=["runtime", "other"]))
        assert d["outcome"] == "assigned" and d["target"]["id"] == "agt_rust", d
        assert d["assignment"]["assignmentSource"] == "classifier" and d["confidence"] == 0.75
        assert d["routingReason"]["classifier"] == {"provider": "test-router", "confidence": 0.75,
                                                    "suggestedTarget": {"type": "agent", "id": "agt_rust"}}
        # Below the threshold: waits for a suitable agent ...
        d = evaluate(m, snapshot(repo=("x", "y"), caps=["rust", "gpu", "cuda"], owns=[]))
        assert d["outcome"] == "no_route" and d["routingReason"]["classifier"]["confidence"] == 0.33, d
        assert d["routingReason"]["conflictReasons"] == ["no_matching_rule", "classifier_below_threshold"]
        # ... or, with assign_closest_match, goes to the closest match as best effort.
        put(m, "/operator/routing/rule-sets/current", rule_set([], {**classifier, "fallbackBehavior": "assign_closest_match"}))
        d = evaluate(m, snapshot(repo=("x", "y"), caps=["rust", "gpu", "cuda"], owns=[]))
        assert d["outcome"] == "assigned" and d["target"]["id"] == "agt_rust", d
        assert d["assignment"]["assignmentSource"] == "classifier_best_effort" and d["confidence"] == 0.33
        # No overlap at all: no candidate.
        d = evaluate(m, snapshot(repo=("x", "y"), caps=["cobol"]))
        assert d["outcome"] == "no_route" and d["routingReason"]["classifier"] is None, d


def test_evaluation_writes_audit_and_changes_nothing(binary):
    with Mock(binary) as m:
        before = my_task_ids(m, D)
        runs_before = m.get("/operator/agent-runs", key=A).json()["data"]
        s = SSEStream(m, "heartbeatMs=100", key=A)
        snap = snapshot(labels=["bug"], repo=("agentrail-mock", "demo"))
        d = evaluate(m, snap)
        assert d["outcome"] == "assigned" and d["target"]["id"] == "agt_demo", d
        r = m.get(f"/operator/routing/audit/{d['id']}", key=A)
        assert r.status == 200, r
        audit = r.json()
        current = m.get("/operator/routing/rule-sets/current", key=A).json()["data"]
        assert audit["data"]["ruleSet"] == {"id": current["id"], "version": 1}
        canonical = json.dumps(snap, sort_keys=True, separators=(",", ":"))
        assert audit["data"]["inputDigest"] == "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()
        assert audit["data"]["decision"] == {**d, "availableActions": ["view_rule_set"]}
        assert audit["availableActions"] == ["view_rule_set"] and audit["data"]["createdAt"]
        # A dry run creates no task, no run and no event.
        assert my_task_ids(m, D) == before
        assert m.get("/operator/agent-runs", key=A).json()["data"] == runs_before
        assert s.events(1, timeout=0.5) == []
        s.close()
        assert_error(m.get("/operator/routing/audit/rdec_01UNKNOWN", key=A), 404, "not_found")

        # ruleSetVersion guards against a stale view: only the active version is accepted.
        put(m, "/operator/routing/rule-sets/current", rule_set([rule("other", "agt_other")]))
        current = evaluate(m, snap, version=2)
        assert current["target"]["id"] == "agt_other"
        assert m.get(f"/operator/routing/audit/{current['id']}", key=A).json()["data"]["ruleSet"]["version"] == 2
        r = m.post("/operator/routing/evaluations", {"ruleSetVersion": 1, "snapshot": snap}, key=A, idem=idem())
        assert_error(r, 409, "conflict")
        assert r.json()["error"]["details"]["ruleSetVersion"] == 1
        assert r.json()["error"]["details"]["currentRuleSetVersion"] == 2
        for version, status in ((99, 409), (0, 400), ("2", 400), (None, 200)):
            r = m.post("/operator/routing/evaluations", {"ruleSetVersion": version, "snapshot": snap}, key=A, idem=idem())
            assert r.status == status, (version, r)
        # Snapshot validation follows ProviderIssueSnapshot.
        for bad, field in (({**snap, "provider": "bitbucket"}, "snapshot.provider"),
                           ({**snap, "issueType": "chore"}, "snapshot.issueType"),
                           ({**snap, "title": "x" * 241}, "snapshot.title"),
                           ({**snap, "labels": ["l"] * 51}, "snapshot.labels"),
                           ({**snap, "links": {"providerIssue": "not a url"}}, "snapshot.links.providerIssue"),
                           ({**snap, "repository": {"provider": "github", "owner": "o", "name": "n"}},
                            "snapshot.repository.defaultBranch"),
                           ({k: v for k, v in snap.items() if k != "bodyDigest"}, "snapshot.bodyDigest")):
            r = m.post("/operator/routing/evaluations", {"snapshot": bad}, key=A, idem=idem())
            assert_error(r, 400, "validation_error")
            assert field in [e["field"] for e in r.json()["error"]["details"]["fieldErrors"]], (field, r)
        assert_error(m.post("/operator/routing/evaluations", {"snapshot": snap}, key=A), 400, "validation_error")
        # Same key, same body: replayed; another body: 409.
        k = idem()
        first = m.post("/operator/routing/evaluations", {"snapshot": snap}, key=A, idem=k)
        again = m.post("/operator/routing/evaluations", {"snapshot": snap}, key=A, idem=k)
        assert again.body == first.body and again.headers.get("idempotent-replayed") == "true"
        assert_error(m.post("/operator/routing/evaluations", {"snapshot": {**snap, "title": "t"}}, key=A, idem=k), 409,
                     "conflict")


# ---- intake ----

def test_intake_routes_task_to_agent_with_event_and_run(binary):
    with Mock(binary) as m:
        s = SSEStream(m, "heartbeatMs=100", key=D)
        snap = snapshot(number=42, labels=["bug"], repo=("agentrail-mock", "demo"))
        k = idem()
        r = m.post("/operator/intake/provider-issues", snap, key=A, idem=k)
        assert r.status == 202, r
        d = r.json()["data"]
        assert d["outcome"] == "assigned" and d["target"]["id"] == "agt_demo", d
        assert d["taskIdentifier"] == "github:agentrail-mock/demo:issues/42" and d["assignment"]["assignedAt"], d
        assert d["availableActions"] == ["view_task", "view_audit"] and r.json()["availableActions"] == d["availableActions"]
        task_id = d["taskId"]
        assert task_id in my_task_ids(m, D) and task_id not in my_task_ids(m, OTHER_KEY)
        t = m.get(f"/tasks/{task_id}", key=D).json()["data"]
        assert t["status"] == "todo" and t["title"] == "Issue 42" and t["priority"] == "high"
        assert t["assigneeAgentId"] == "agt_demo" and t["triageQueueId"] is None
        assert t["assignmentSource"] == "deterministic_rule" and t["routingDecisionId"] == d["id"]
        assert t["routingConfidence"] == 0.95 and t["routingReason"] == d["routingReason"]
        assert t["links"]["issue"] == "https://github.com/agentrail-mock/demo/issues/42"
        assert t["description"] == "Provider snapshot github:agentrail-mock/demo:issues/42\nBody digest: sha256:abc"
        assert t["context"] == {"project": "agentrail-mock/demo", "goal": "Provider issue intake: github:agentrail-mock/demo:issues/42"}

        ev = s.events(1, timeout=5)
        assert len(ev) == 1 and ev[0]["event"] == "task.updated", ev
        data = ev[0]["json"]["data"]
        assert data["taskId"] == task_id and data["previousStatus"] is None and data["status"] == "todo"
        assert data["actor"] == {"id": "agt_admin", "role": "operator"}

        audit = m.get(f"/operator/routing/audit/{d['id']}", key=A).json()
        assert audit["data"]["decision"]["taskId"] == task_id and audit["availableActions"] == ["view_task", "view_rule_set"]

        runs = m.get("/operator/agent-runs?agentId=agt_demo", key=A).json()["data"]
        assert len(runs) == 1 and runs[0]["taskId"] == task_id, runs
        assert runs[0]["status"] == "starting" and runs[0]["branchName"] == "agentrail/github-agentrail-mock-demo-issues-42"

        # A retry with the same key replays; nothing new is created.
        again = m.post("/operator/intake/provider-issues", snap, key=A, idem=k)
        assert again.status == 202 and again.body == r.body
        assert my_task_ids(m, D).count(task_id) == 1
        assert_error(m.post("/operator/intake/provider-issues", {**snap, "title": "x"}, key=A, idem=k), 409, "conflict")
        assert s.events(1, timeout=0.3) == []
        # The same snapshot under a new key routes the same task again: a new decision, no second task or run.
        r2 = m.post("/operator/intake/provider-issues", snap, key=A, idem=idem())
        assert r2.status == 202 and r2.json()["data"]["taskId"] == task_id and r2.json()["data"]["id"] != d["id"]
        assert my_task_ids(m, D).count(task_id) == 1
        assert len(m.get("/operator/agent-runs?agentId=agt_demo", key=A).json()["data"]) == 1
        assert s.events(1, timeout=5)[0]["json"]["data"]["taskId"] == task_id
        s.close()


def test_intake_newer_snapshot_reroutes_todo_task(binary):
    with Mock(binary) as m:
        put(m, "/operator/routing/rule-sets/current",
            rule_set([rule("bugs", "agt_demo", 10, {"labelsAny": ["bug"]}),
                      rule("tests", "agt_other", 10, {"labelsAny": ["flaky"]})]))
        put(m, "/operator/routing/agent-profiles/agt_demo", profile())
        first = m.post("/operator/intake/provider-issues", snapshot(7, labels=["bug"]), key=A, idem=idem()).json()["data"]
        task_id = first["taskId"]
        assert first["taskIdentifier"] == "github:acme/widgets:issues/7" and task_id in my_task_ids(m, D)
        s = SSEStream(m, f"taskId={task_id}&heartbeatMs=100", key=A)
        r = m.post("/operator/intake/provider-issues", snapshot(7, labels=["flaky"], version="v2", priority="low"),
                   key=A, idem=idem())
        assert r.status == 202, r
        second = r.json()["data"]
        assert second["taskId"] == task_id and second["target"]["id"] == "agt_other" and second["id"] != first["id"]
        assert task_id not in my_task_ids(m, D) and task_id in my_task_ids(m, OTHER_KEY)
        t = m.get(f"/tasks/{task_id}", key=OTHER_KEY).json()["data"]
        assert t["priority"] == "low" and t["routingDecisionId"] == second["id"]
        ev = s.events(1, timeout=5)
        assert ev and "assignee" in ev[0]["json"]["data"]["changedFields"], ev
        s.close()
        # Like the reference server, a task is routed again whatever its status.
        assert m.post(f"/tasks/{task_id}/start", key=OTHER_KEY, idem=idem()).status == 202
        r = m.post("/operator/intake/provider-issues", snapshot(7, labels=["bug"], version="v3"), key=A, idem=idem())
        assert r.status == 202 and r.json()["data"]["target"]["id"] == "agt_demo"
        assert task_id not in my_task_ids(m, OTHER_KEY) and task_id in my_task_ids(m, D)
        assert m.get(f"/tasks/{task_id}", key=D).json()["data"]["status"] == "in_progress"


def test_intake_without_route_waits_in_triage(binary):
    with Mock(binary) as m:
        s = SSEStream(m, "heartbeatMs=100", key=A)
        demo_stream = SSEStream(m, "heartbeatMs=100", key=D)
        r = m.post("/operator/intake/provider-issues", snapshot(9, repo=("x", "y"), issue_type="feature", caps=["cobol"]),
                   key=A, idem=idem())
        assert r.status == 202, r
        d = r.json()["data"]
        assert d["outcome"] == "no_route" and d["target"] == {"type": "triage_queue", "id": "triage_engineering"}, d
        assert d["taskId"] and d["taskId"] not in my_task_ids(m, D) and d["taskId"] not in my_task_ids(m, OTHER_KEY)
        ev = s.events(1, timeout=5)
        assert ev and ev[0]["json"]["data"]["taskId"] == d["taskId"], ev
        assert demo_stream.events(1, timeout=0.3) == []
        assert m.get("/operator/agent-runs", key=A).json()["data"] == []
        s.close()
        demo_stream.close()
        for bad in ({**snapshot(), "priority": "urgent"}, {"snapshot": snapshot()}, []):
            assert_error(m.post("/operator/intake/provider-issues", bad, key=A, idem=idem()), 400, "validation_error")
        assert_error(m.post("/operator/intake/provider-issues", snapshot(), key=A), 400, "validation_error")
        assert_error(m.post("/operator/intake/provider-issues", snapshot(), key=A, idem="short"), 400,
                     "validation_error")


# ---- setup verification ----

def test_setup_verification_task(binary):
    with Mock(binary) as m:
        agent_key = make_key(m, "agt_setup", ["tasks:read"])
        # The agent needs an active routing profile.
        r = m.post("/operator/setup/verification-task", {"agentId": "agt_setup"}, key=A, idem=idem())
        assert_error(r, 404, "not_found")
        assert r.json()["error"]["details"]["availableActions"] == ["create_profile"]
        put(m, "/operator/routing/agent-profiles/agt_setup", {**profile(status="paused"), "displayName": "Setup Bot"})
        r = m.post("/operator/setup/verification-task", {"agentId": "agt_setup"}, key=A, idem=idem())
        assert_error(r, 409, "conflict")
        assert r.json()["error"]["details"]["profileStatus"] == "paused"
        put(m, "/operator/routing/agent-profiles/agt_setup",
            {**profile(repos=["acme/widgets"]), "displayName": "Setup Bot"})

        k = idem()
        r = m.post("/operator/setup/verification-task", {"agentId": "agt_setup", "sourceRef": "agentrail-cli:init"},
                   key=A, idem=k)
        assert r.status == 201, r
        d = r.json()["data"]
        assert d["taskIdentifier"] == "LOCAL-SETUP-AGT-SETUP" and d["agentId"] == "agt_setup"
        assert d["sourceRef"] == "agentrail-cli:init" and d["status"] == "in_progress" and d["createdAt"] == d["updatedAt"]
        assert r.json()["availableActions"] == ["submit", "block"]
        listed = m.get("/tasks/mine?status=in_progress&limit=1", key=agent_key).json()["data"]
        assert [t["id"] for t in listed] == [d["taskId"]]
        t = m.get(f"/tasks/{d['taskId']}", key=agent_key).json()["data"]
        assert t["title"] == "Verify AgentRail setup for Setup Bot" and t["context"]["project"] == "acme/widgets"
        assert t["links"]["issue"] == "agentrail://setup-verification/agt_setup"
        assert t["acceptanceCriteria"][0] == "GET /tasks/mine?status=in_progress&limit=1 returns LOCAL-SETUP-AGT-SETUP."
        replay = m.post("/operator/setup/verification-task", {"agentId": "agt_setup", "sourceRef": "agentrail-cli:init"},
                        key=A, idem=k)
        assert replay.body == r.body
        # A rerun without the key refreshes the same task instead of creating another: back in progress.
        blocker = {"sourceRunId": "run_1", "sourceAgentId": "agt_setup", "reason": "r", "actionRequired": "a",
                   "resumeInstructions": "i"}
        writer = make_key(m, "agt_setup", ["tasks:write"])
        assert m.post(f"/tasks/{d['taskId']}/blocker", blocker, key=writer, idem=idem()).status == 202
        rerun = m.post("/operator/setup/verification-task", {"agentId": "agt_setup"}, key=A, idem=idem())
        assert rerun.status == 201, rerun
        again = rerun.json()["data"]
        assert again["taskId"] == d["taskId"] and again["sourceRef"] == "operator_setup_verification"
        assert again["createdAt"] == d["createdAt"] and again["updatedAt"] >= d["updatedAt"]
        assert again["status"] == "in_progress"
        assert len(m.get("/tasks/mine", key=agent_key).json()["data"]) == 1
        runs = m.get("/operator/agent-runs?agentId=agt_setup", key=A).json()["data"]
        assert len(runs) == 1 and runs[0]["taskId"] == d["taskId"] and runs[0]["status"] == "starting", runs

        assert_error(m.post("/operator/setup/verification-task", {"agentId": "agt_nobody"}, key=A, idem=idem()), 404,
                     "not_found")
        for bad in ({}, {"agentId": "agt_setup", "extra": True}, {"agentId": 5}, {"agentId": "setup"}):
            assert_error(m.post("/operator/setup/verification-task", bad, key=A, idem=idem()), 400, "validation_error")
        assert_error(m.post("/operator/setup/verification-task", {"agentId": "agt_setup"}, key=A), 400,
                     "validation_error")


# ---- managed runs ----

def make_runs(m, count):
    """Creates `count` runs through setup verification tasks of new agents; returns (run id, agent key) pairs,
    oldest first."""
    out = []
    for i in range(count):
        agent = f"agt_runner{i}"
        key = make_key(m, agent, ["tasks:read", "tasks:write"])
        put(m, f"/operator/routing/agent-profiles/{agent}", profile())
        assert m.post("/operator/setup/verification-task", {"agentId": agent}, key=A, idem=idem()).status == 201
        out.append((m.get(f"/operator/agent-runs?agentId={agent}", key=A).json()["data"][0]["runId"], key))
        time.sleep(0.002)  # distinct updatedAt (millisecond precision) for the ordering below
    return out


RUN_FIELDS = ["runId", "agentId", "runner", "taskId", "taskIdentifier", "status", "repoPath", "worktreePath",
              "branchName", "promptPath", "logPath", "handoffPath", "createdAt", "startedAt", "finishedAt",
              "updatedAt", "exitCode", "summary", "runContextTokenHash", "runContextTokenIssuedAt", "userAction",
              "reports", "reportedHandoff", "launch"]


def test_agent_runs_list_and_get(binary):
    with Mock(binary) as m:
        ids = [run_id for run_id, _ in make_runs(m, 5)]
        r = m.get("/operator/agent-runs", key=A)
        assert r.status == 200, r
        body = r.json()
        assert [x["runId"] for x in body["data"]] == ids[::-1] and body["availableActions"] == []
        assert "page" not in body and body["meta"]["requestId"].startswith("req_")
        assert [x["runId"] for x in m.get("/operator/agent-runs?limit=2", key=A).json()["data"]] == ids[:2:-1][:2]
        run = m.get(f"/operator/agent-runs/{ids[0]}", key=A).json()
        assert list(run["data"]) == RUN_FIELDS, list(run["data"])
        d = run["data"]
        assert d["agentId"] == "agt_runner0" and d["status"] == "starting" and d["reports"] == []
        assert d["startedAt"] is None and d["exitCode"] is None and d["userAction"] is None
        assert d["taskIdentifier"] == "LOCAL-SETUP-AGT-RUNNER0" and d["branchName"] == "agentrail/local-setup-agt-runner0"
        token = m.control("GET", f"/_mock/agent-runs/{ids[0]}/token")["data"]["token"]
        assert d["runContextTokenHash"] == hashlib.sha256(token.encode()).hexdigest()
        assert run["availableActions"] == []
        assert len(m.get("/operator/agent-runs?status=starting", key=A).json()["data"]) == 5
        assert m.get("/operator/agent-runs?status=succeeded", key=A).json()["data"] == []
        assert m.get("/operator/agent-runs?agentId=agt_nobody", key=A).json()["data"] == []
        r = m.get("/operator/agent-runs/run_missing", key=A)
        assert_error(r, 404, "not_found")
        assert r.json()["error"]["details"]["availableActions"] == ["list_agent_runs"]
        for query in ("status=queued", "limit=0", "limit=101", "limit=x", "limit=-1"):
            assert_error(m.get(f"/operator/agent-runs?{query}", key=A), 400, "validation_error")


def test_run_context(binary):
    with Mock(binary) as m:
        (first, _), (second, _) = make_runs(m, 2)
        token = m.control("GET", f"/_mock/agent-runs/{first}/token")["data"]["token"]
        other_token = m.control("GET", f"/_mock/agent-runs/{second}/token")["data"]["token"]
        assert token.startswith("arrun_") and len(token) >= 30 and token != other_token
        # The run-context token of this run, never an API key.
        assert_error(m.get(f"/agent-runs/{first}/context"), 401, "unauthorized")
        assert_error(m.get(f"/agent-runs/{first}/context", key=A), 401, "unauthorized")
        assert_error(m.get(f"/agent-runs/{first}/context", key=other_token), 401, "unauthorized")
        assert_error(m.get("/agent-runs/run_missing/context", key=token), 401, "unauthorized")
        r = m.get(f"/agent-runs/{first}/context", key=token)
        assert r.status == 200, r
        ctx = r.json()
        run, task = ctx["data"]["run"], ctx["data"]["task"]
        assert list(run) == ["runId", "agentId", "runner", "taskId", "taskIdentifier", "status", "worktreePath",
                             "branchName"]
        assert run["runId"] == first and run["agentId"] == "agt_runner0" and run["status"] == "running"
        assert task["identifier"] == "LOCAL-SETUP-AGT-RUNNER0" and task["status"] == "in_progress"
        assert task["availableActions"] == ["submit", "block"] == ctx["availableActions"]
        assert [a["id"] for a in ctx["data"]["nextActions"]] == ["submit", "block"]
        assert all(a["label"] for a in ctx["data"]["nextActions"])
        after = m.get(f"/operator/agent-runs/{first}", key=A).json()["data"]
        assert after["status"] == "running" and after["startedAt"]
        # Control: a run for any assigned task, with its token; an active run is reused.
        created = m.control("POST", "/_mock/agent-runs", {"taskId": TODO_TASK})["data"]
        assert created["agentId"] == "agt_demo" and created["token"].startswith("arrun_")
        again = m.control("POST", "/_mock/agent-runs", {"taskId": TODO_TASK})["data"]
        assert again["runId"] == created["runId"]
        ctx = m.get(f"/agent-runs/{created['runId']}/context", key=created["token"]).json()
        assert [a["id"] for a in ctx["data"]["nextActions"]] == ["start", "block"]
        assert m.request("GET", "/_mock/agent-runs/run_missing/token").status == 404
        assert m.request("POST", "/_mock/agent-runs", body={"taskId": "tsk_nope"}).status == 400


def test_run_report(binary):
    with Mock(binary) as m:
        (first, first_key), (second, second_key) = make_runs(m, 2)
        report = {"status": "progress", "summary": "  Reading the task.  "}
        assert_error(m.post(f"/agent-runs/{first}/report", report), 401, "unauthorized")
        token = m.control("GET", f"/_mock/agent-runs/{first}/token")["data"]["token"]
        assert_error(m.post(f"/agent-runs/{first}/report", report, key=token), 401, "unauthorized")
        r = m.post(f"/agent-runs/{first}/report", report, key=second_key)
        assert_error(r, 403, "forbidden")
        assert_error(m.post("/agent-runs/run_missing/report", report, key=first_key), 404, "not_found")
        for bad in ({"status": "done", "summary": "x"}, {"status": "progress"}, {"status": "progress", "summary": " "},
                    {"status": "blocked", "summary": "x", "reason": "r", "actionRequired": "a"},
                    {**report, "handoff": []}, {**report, "extra": 1}):
            assert_error(m.post(f"/agent-runs/{first}/report", bad, key=first_key), 400, "validation_error")

        r = m.post(f"/agent-runs/{first}/report", report, key=first_key)
        assert r.status == 202, r
        d = r.json()["data"]
        assert d["status"] == "running" and d["summary"] == "Reading the task." and d["startedAt"]
        assert [x["status"] for x in d["reports"]] == ["progress"] and d["reports"][0]["handoff"] is None
        handoff = {"branch": "agentrail/x", "commits": 2}
        k = idem()
        done = m.post(f"/agent-runs/{first}/report", {"status": "completed", "summary": "Done.", "handoff": handoff},
                      key=first_key, idem=k)
        assert done.status == 202, done
        d = done.json()["data"]
        assert d["status"] == "succeeded" and d["exitCode"] == 0 and d["finishedAt"] and d["reportedHandoff"] == handoff
        assert [x["status"] for x in d["reports"]] == ["progress", "completed"]
        replay = m.post(f"/agent-runs/{first}/report", {"status": "completed", "summary": "Done.", "handoff": handoff},
                        key=first_key, idem=k)
        assert replay.body == done.body and replay.headers.get("idempotent-replayed") == "true"
        assert [x["runId"] for x in m.get("/operator/agent-runs?status=succeeded", key=A).json()["data"]] == [first]

        # Blocked: the task goes to awaiting-user, with the run as the blocker's source.
        s = SSEStream(m, "eventTypes=task.awaiting_user&heartbeatMs=100", key=A)
        blocked = {"status": "blocked", "summary": "Needs a token.", "reason": "missing_token",
                   "actionRequired": "Add a deploy token.", "resumeInstructions": "Resolve, then start again."}
        r = m.post(f"/agent-runs/{second}/report", blocked, key=A)  # an auth:admin key may report too
        assert r.status == 202, r
        d = r.json()["data"]
        assert d["status"] == "awaiting_user" and d["finishedAt"]
        assert d["userAction"]["kind"] == "awaiting_user" and d["userAction"]["actionRequired"] == "Add a deploy token."
        task = m.get(f"/tasks/{d['taskId']}", key=second_key).json()["data"]
        assert task["status"] == "blocked" and task["blocker"]["sourceRunId"] == second
        assert task["blocker"]["sourceAgentId"] == "agt_runner1"
        ev = s.events(1, timeout=5)
        assert ev and ev[0]["json"]["data"]["taskId"] == d["taskId"], ev
        s.close()
        r = m.post(f"/agent-runs/{second}/report", blocked, key=second_key)
        assert_error(r, 409, "conflict")
        assert r.json()["error"]["details"]["currentStatus"] == "blocked"


# ---- task source ----

def test_task_source_repair(binary):
    with Mock(binary) as m:
        seeded = {"provider": "github", "owner": "agentrail-mock", "repo": "demo", "issueNumber": 103}
        body = source_repair({"owner": "acme", "repo": "widgets", "issueNumber": 3, "baseBranch": "release/1.x",
                              "labels": ["bug"]})
        k = idem()
        r = m.request("PATCH", f"/operator/tasks/{IN_PROGRESS_TASK}/source", body=body, key=A, idem=k)
        assert r.status == 200, r
        d = r.json()
        assert d["availableActions"] == ["get_task"] and d["meta"]["requestId"]
        d = d["data"]
        assert d["taskId"] == IN_PROGRESS_TASK
        assert d["source"] == {**seeded, "owner": "acme", "repo": "widgets", "issueNumber": 3,
                               "baseBranch": "release/1.x", "labels": ["bug"]}, d
        assert d["sourceAudit"] == {"sourceRef": "test", "changeReason": "test repair", "updatedBy": "agt_admin",
                                    "updatedAt": d["updatedAt"]}
        replay = m.request("PATCH", f"/operator/tasks/{IN_PROGRESS_TASK}/source", body=body, key=A, idem=k)
        assert replay.body == r.body and replay.headers.get("idempotent-replayed") == "true"
        assert_error(m.request("PATCH", f"/operator/tasks/{IN_PROGRESS_TASK}/source",
                               body=source_repair({"branch": "x"}), key=A, idem=k), 409, "conflict")
        t = m.get(f"/tasks/{IN_PROGRESS_TASK}", key=D).json()["data"]
        assert t["links"]["issue"] == "https://github.com/acme/widgets/issues/3" and t["updatedAt"] == d["updatedAt"]
        # The source's base branch is the default base of new pull requests.
        sub = m.post(f"/tasks/{IN_PROGRESS_TASK}/submit", {"summary": "done"}, key=D, idem=idem()).json()["data"]
        assert sub["base"] == "release/1.x", sub
        # null removes a field.
        r = m.request("PATCH", f"/operator/tasks/{IN_PROGRESS_TASK}/source",
                      body=source_repair({"baseBranch": None, "labels": None}), key=A, idem=idem())
        assert r.status == 200 and "baseBranch" not in r.json()["data"]["source"], r
        assert "labels" not in r.json()["data"]["source"] and r.json()["data"]["version"] > d["version"]

        for bad in ({}, {"sourceRef": "x", "changeReason": "y"}, source_repair({}), source_repair({"owner": "a"}),
                    source_repair({"issueNumber": 0}), source_repair({"labels": [""]}), source_repair({"branch": ""}),
                    source_repair({"colour": "red"}), source_repair({"provider": None}),
                    {**source_repair({"branch": "b"}), "sourceRef": " "}):
            r = m.request("PATCH", f"/operator/tasks/{TODO_TASK_2}/source", body=bad, key=A, idem=idem())
            assert_error(r, 400, "validation_error")
        assert_error(m.request("PATCH", f"/operator/tasks/{TODO_TASK_2}/source", body=source_repair({"branch": "b"}),
                               key=A), 400, "validation_error")
        assert_error(m.request("PATCH", "/operator/tasks/tsk_0000NOPE/source", body=source_repair({"branch": "b"}),
                               key=A, idem=idem()), 404, "not_found")
        assert_error(m.request("PATCH", f"/operator/tasks/{TODO_TASK_2}/source", body=source_repair({"branch": "b"}),
                               key=D, idem=idem()), 403, "insufficient_scope")


def test_reset_restores_seeded_routing(binary):
    with Mock(binary) as m:
        put(m, "/operator/routing/rule-sets/current", rule_set([]))
        put(m, "/operator/routing/agent-profiles/agt_new", profile())
        d = evaluate(m, snapshot())
        make_runs(m, 1)
        m.control("POST", "/_mock/reset")
        assert m.get("/operator/routing/rule-sets/current", key=A).json()["data"]["version"] == 1
        assert m.get("/operator/routing/agent-profiles/agt_new", key=A).status == 404
        assert m.get(f"/operator/routing/audit/{d['id']}", key=A).status == 404
        assert m.get("/operator/agent-runs", key=A).json()["data"] == []


def test_seed_routing_section(binary):
    import tempfile
    seed = {"agents": [{"id": "agt_admin"}, {"id": "agt_a"}],
            "keys": [{"id": "akey_admin", "apiKey": "k_admin", "agentId": "agt_admin", "scopes": ["auth:admin"]}],
            "routing": {"ruleSet": rule_set([rule("only", "agt_a")]),
                        "agentProfiles": [{"agentId": "agt_a", **profile()}]}}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(seed, f)
    try:
        with Mock(binary, "--seed", f.name) as m:
            rs = m.get("/operator/routing/rule-sets/current", key="k_admin").json()["data"]
            assert [r["id"] for r in rs["rules"]] == ["only"] and rs["source"] == "database_seed"
            assert evaluate(m, snapshot(), key="k_admin")["target"]["id"] == "agt_a"
        seed["routing"]["ruleSet"]["rules"][0]["confidence"] = 3
        with open(f.name, "w") as out:
            json.dump(seed, out)
        import subprocess
        bad = subprocess.run([binary, "--port", "0", "--seed", f.name], capture_output=True, text=True, timeout=10)
        assert bad.returncode == 2 and "routing.ruleSet" in bad.stderr, (bad.returncode, bad.stderr)
    finally:
        os.unlink(f.name)
