#!/usr/bin/env python3
"""Lifecycle state machine, availableActions, events, auth and scope errors, CI/review simulation."""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mockutil import *  # noqa: E402,F403

D = DEMO_KEY


def idem(tag):
    return f"lifecycle-{tag}-{time.time_ns()}"


def task(m, tid, key=D):
    r = m.get(f"/tasks/{tid}", key=key)
    assert r.status == 200, r
    return r.json()


def test_full_lifecycle_with_events(binary):
    with Mock(binary) as m:
        s = SSEStream(m, f"taskId={TODO_TASK}&heartbeatMs=100")
        t0 = task(m, TODO_TASK)
        assert t0["data"]["status"] == "todo" and t0["availableActions"] == ["start", "block"]
        r = m.post(f"/tasks/{TODO_TASK}/start", key=D, idem=idem("start"))
        assert r.status == 202 and r.json()["data"]["status"] == "in_progress", r
        assert r.json()["availableActions"] == ["submit", "block"]
        assert r.json()["data"]["updatedAt"] > t0["data"]["updatedAt"]
        r = m.post(f"/tasks/{TODO_TASK}/submit", {"summary": "Done", "mode": "artifact",
                                                   "artifacts": [{"type": "pull_request",
                                                                  "url": "https://github.com/o/r/pull/42"}]},
                   key=D, idem=idem("submit"))
        assert r.status == 202, r
        sub = r.json()["data"]
        assert sub["action"] == "accepted" and sub["prNumber"] == 42 and sub["status"] == "in_review"
        # Defaults: CI passes and the review approves right away, so the task can ship.
        t1 = task(m, TODO_TASK)
        assert t1["data"]["status"] == "in_review"
        assert t1["availableActions"] == ["view_ci_status", "view_review_feedback", "ship"], t1["availableActions"]
        assert t1["data"]["headSha"] == sub["headSha"] and t1["data"]["submissionId"] == sub["submissionId"]
        ci = m.get(f"/tasks/{TODO_TASK}/ci-status", key=D).json()["data"]
        assert ci["overallStatus"] == "passed" and ci["summary"]["failed"] == 0
        rv = m.get(f"/tasks/{TODO_TASK}/review-feedback", key=D).json()["data"]
        assert rv["latestDecision"]["outcome"] == "approved"
        r = m.post(f"/tasks/{TODO_TASK}/ship", {"mode": "merge_only", "targetEnvironment": "staging",
                                                 "expectedHeadSha": sub["headSha"]}, key=D, idem=idem("ship"))
        assert r.status == 202 and r.json()["data"]["status"] == "queued" and r.json()["data"]["queuedAt"], r
        t2 = task(m, TODO_TASK)
        assert t2["data"]["status"] == "done" and t2["availableActions"] == ["rollback"]
        r = m.post(f"/tasks/{TODO_TASK}/rollback", key=D)
        assert r.status == 202 and r.json()["data"]["status"] == "in_progress", r

        events = s.events(7, timeout=5)
        kinds = [(e["event"], e["json"]["data"]["status"]) for e in events]
        assert kinds == [("task.updated", "in_progress"), ("task.updated", "in_review"), ("task.updated", "in_review"),
                         ("task.review_approved", "in_review"), ("task.updated", "done"), ("task.shipped", "done"),
                         ("task.updated", "in_progress")], kinds
        seqs = [e["json"]["sequence"] for e in events]
        versions = [e["json"]["taskVersion"] for e in events]
        assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
        # One mutation may emit two events (ship: task.updated + task.shipped) with the same version.
        assert versions == sorted(versions) and versions[4] == versions[5] and len(set(versions)) == 6, versions
        assert events[0]["json"]["data"]["previousStatus"] == "todo"
        assert events[5]["json"]["data"]["shipStatus"] == "succeeded"
        assert events[0]["json"]["data"]["links"]["task"] == f"{m.base_url}/tasks/{TODO_TASK}"
        s.close()


def test_block_and_resolve(binary):
    with Mock(binary) as m:
        s = SSEStream(m, "eventTypes=task.awaiting_user")
        blocker = {"sourceRunId": "run_1", "sourceAgentId": "agt_demo", "reason": "missing_token",
                   "actionRequired": "Add the token.", "resumeInstructions": "Start again."}
        r = m.post(f"/tasks/{IN_PROGRESS_TASK}/blocker", blocker, key=D, idem=idem("block"))
        assert r.status == 202, r
        d = r.json()
        assert d["data"]["status"] == "blocked" and d["availableActions"] == ["resolve_blocker"]
        assert d["data"]["blocker"]["kind"] == "awaiting_user" and d["data"]["blocker"]["reason"] == "missing_token"
        ev = s.events(1, timeout=3)
        assert ev and ev[0]["event"] == "task.awaiting_user" and ev[0]["json"]["data"]["previousStatus"] == "in_progress"
        r = m.post(f"/tasks/{IN_PROGRESS_TASK}/resolve-blocker", {"resolutionSummary": "Token added."}, key=D,
                   idem=idem("resolve"))
        assert r.status == 202 and r.json()["data"]["status"] == "todo" and r.json()["data"]["blocker"] is None
        assert r.json()["availableActions"] == ["start", "block"]
        # Wrong-state transitions answer 409 with the current status.
        r = m.post(f"/tasks/{DONE_TASK}/blocker", blocker, key=D, idem=idem("block2"))
        assert r.status == 409 and r.json()["error"]["details"]["currentStatus"] == "done", r
        r = m.post(f"/tasks/{DONE_TASK}/start", key=D, idem=idem("start"))
        assert r.status == 409, r
        s.close()


def test_auth_and_scope_errors(binary):
    with Mock(binary) as m:
        assert m.get("/tasks/mine").status == 401
        r = m.get("/tasks/mine", key="ar_live_unknown")
        assert r.status == 401 and r.json()["error"]["code"] == "unauthorized"
        r = m.post(f"/tasks/{TODO_TASK}/start", key=READONLY_KEY, idem=idem("s"))
        e = r.json()["error"]
        assert r.status == 403 and e["code"] == "insufficient_scope", r
        assert e["details"]["requiredScope"] == "tasks:write" and e["details"]["grantedScopes"] == ["tasks:read"]
        r = m.get(f"/tasks/{OTHER_TASK}", key=D)
        assert r.status == 403 and r.json()["error"]["code"] == "forbidden", r
        assert m.get(f"/tasks/{OTHER_TASK}", key=OTHER_KEY).status == 200
        # ids that do not match the pattern, unknown routes and wrong methods: 404 before auth.
        for method, path in [("GET", "/tasks/not-a-task"), ("GET", "/tasks/tsk_ab_cd"), ("GET", "/nope"),
                             ("DELETE", "/tasks/mine"), ("PUT", f"/tasks/{TODO_TASK}"),
                             ("GET", "/agent-api-keys/bad/usage"), ("GET", "/event-subscriptions/sub_1")]:
            r = m.request(method, path)
            assert r.status == 404 and r.json()["error"]["code"] == "not_found", (method, path, r)
        # Unknown but well-formed ids are 404 after auth.
        assert m.get("/tasks/tsk_unknown", key=D).status == 404
        assert m.get("/tasks/tsk_unknown").status == 401
        # Malformed JSON body.
        r = m.post(f"/tasks/{IN_PROGRESS_TASK}/submit", raw="{oops", key=D, idem=idem("bad"))
        assert r.status == 400 and r.json()["error"]["code"] == "validation_error", r
        # Unknown fields and field errors.
        r = m.post(f"/tasks/{IN_PROGRESS_TASK}/submit", {"summary": "x", "mode": "fax", "extra": 1}, key=D,
                   idem=idem("bad2"))
        fields = {f["field"] for f in r.json()["error"]["details"]["fieldErrors"]}
        assert r.status == 400 and fields == {"mode", "extra"}, r
        assert r.headers["content-type"].startswith("application/json")


def test_keys_create_rotate_usage(binary):
    with Mock(binary) as m:
        body = {"agent": {"id": "agt_new", "displayName": "New", "role": "ci", "externalIdentities": []},
                "scopes": ["tasks:read"], "rateLimit": {"windowSeconds": 60, "maxRequests": 100}}
        r = m.post("/agent-api-keys", body, key=ADMIN_KEY, idem=idem("key"))
        assert r.status == 201, r
        created = r.json()["data"]
        assert created["apiKey"].startswith("ar_live_") and created["id"].startswith("akey_")
        assert m.get("/tasks/mine", key=created["apiKey"]).status == 200
        for _ in range(3):
            m.get("/tasks/mine", key=D)
        m.get(f"/tasks/{OTHER_TASK}", key=D)  # 403 forbidden: a denial
        u = m.get("/agent-api-keys/akey_localdemo/usage", key=D).json()["data"]
        ops = {o["operation"]: o["count"] for o in u["byOperation"]}
        scopes = {s["scope"]: s["count"] for s in u["byScope"]}
        assert ops["list_my_tasks"] == 3 and ops["get_agent_api_key_usage"] == 1, ops
        assert scopes["tasks:read"] >= 3 and u["totals"]["denied"] == 1 and u["totals"]["accepted"] == 4, u
        assert u["rateLimit"]["currentWindow"]["used"] >= 5 and u["lastUsedAt"]
        # Rotation: the new key works, the old one is 401, the old id reports rotated.
        r = m.post(f"/agent-api-keys/{created['id']}/rotate", key=created["apiKey"], idem=idem("rot"))
        assert r.status == 201, r
        new = r.json()["data"]
        assert new["rotatedFromKeyId"] == created["id"] and new["scopes"] == ["tasks:read"]
        assert m.get("/tasks/mine", key=created["apiKey"]).status == 401
        assert m.get("/tasks/mine", key=new["apiKey"]).status == 200
        u = m.get(f"/agent-api-keys/{created['id']}/usage", key=ADMIN_KEY).json()["data"]
        assert u["status"] == "rotated" and u["availableActions"] == []
        # Non-admin keys cannot create keys.
        r = m.post("/agent-api-keys", body, key=D, idem=idem("key2"))
        assert r.status == 403 and r.json()["error"]["details"]["requiredScope"] == "auth:admin"


def test_ci_and_review_control(binary):
    with Mock(binary, "--ci", "pending", "--review", "pending") as m:
        s = SSEStream(m, f"taskId={IN_PROGRESS_TASK}")
        r = m.post(f"/tasks/{IN_PROGRESS_TASK}/submit", {"summary": "x", "mode": "adapter_managed"}, key=D,
                   idem=idem("sub"))
        d = r.json()["data"]
        assert r.status == 202 and d["action"] == "created" and d["prUrl"].endswith(f"/pull/{d['prNumber']}"), r
        assert m.get(f"/tasks/{IN_PROGRESS_TASK}/ci-status", key=D).json()["data"]["overallStatus"] == "running"
        ship = {"mode": "merge_only", "targetEnvironment": "staging", "expectedHeadSha": d["headSha"]}
        r = m.post(f"/tasks/{IN_PROGRESS_TASK}/ship", ship, key=D, idem=idem("ship1"))
        assert r.status == 409 and r.json()["error"]["details"]["ciStatus"] == "running", r
        ci = m.control("POST", f"/_mock/tasks/{IN_PROGRESS_TASK}/ci", {"overallStatus": "failed"})
        assert ci["data"]["overallStatus"] == "failed" and ci["data"]["failureSummaries"]
        assert "submit" in task(m, IN_PROGRESS_TASK)["availableActions"]
        m.control("POST", f"/_mock/tasks/{IN_PROGRESS_TASK}/ci", {"overallStatus": "passed"})
        rv = m.control("POST", f"/_mock/tasks/{IN_PROGRESS_TASK}/review",
                       {"outcome": "changes_requested", "summary": "Add tests.",
                        "comments": [{"body": "Test the error path.", "severity": "must_fix"}]})
        assert rv["data"]["comments"][0]["severity"] == "must_fix"
        assert task(m, IN_PROGRESS_TASK)["availableActions"] == ["view_ci_status", "view_review_feedback", "submit"]
        m.control("POST", f"/_mock/tasks/{IN_PROGRESS_TASK}/review", {"outcome": "approved"})
        assert task(m, IN_PROGRESS_TASK)["availableActions"][-1] == "ship"
        # Events: submit, ci failed, ci passed again, review decisions: the reference server's types.
        evs = s.events(5, timeout=3)
        assert [e["event"] for e in evs] == ["task.updated", "task.ci_failed", "task.ci_recovered",
                                             "task.review_changes_requested", "task.review_approved"], evs
        assert [e["json"]["data"].get("ciStatus") for e in evs[1:3]] == ["failed", "passed"]
        assert [e["json"]["data"].get("reviewOutcome") for e in evs[3:]] == ["changes_requested", "approved"]
        r = m.post(f"/tasks/{IN_PROGRESS_TASK}/ship", ship, key=D, idem=idem("ship2"))
        assert r.status == 202, r
        s.close()


def test_ci_pending_then_passes(binary):
    with Mock(binary, "--ci-pending-seconds", "0.4", "--review-delay-seconds", "0.2") as m:
        r = m.post(f"/tasks/{IN_PROGRESS_TASK}/submit", {"summary": "x"}, key=D, idem=idem("sub"))
        assert r.status == 202
        assert m.get(f"/tasks/{IN_PROGRESS_TASK}/ci-status", key=D).json()["data"]["overallStatus"] == "running"
        assert m.get(f"/tasks/{IN_PROGRESS_TASK}/review-feedback", key=D).json()["data"]["latestDecision"]["outcome"] == "pending"
        wait_until(lambda: m.get(f"/tasks/{IN_PROGRESS_TASK}/ci-status", key=D).json()["data"]["overallStatus"] == "passed",
                 timeout=3, what="CI to pass")
        assert task(m, IN_PROGRESS_TASK)["availableActions"][-1] == "ship"


def test_failing_ci_flag(binary):
    with Mock(binary, "--ci", "failing", "--review", "changes_requested") as m:
        m.post(f"/tasks/{IN_PROGRESS_TASK}/submit", {"summary": "x"}, key=D, idem=idem("sub"))
        ci = m.get(f"/tasks/{IN_PROGRESS_TASK}/ci-status", key=D).json()
        assert ci["data"]["overallStatus"] == "failed" and ci["availableActions"] == ["retry_failed_checks", "view_logs"]
        rv = m.get(f"/tasks/{IN_PROGRESS_TASK}/review-feedback", key=D).json()["data"]
        assert rv["latestDecision"]["outcome"] == "changes_requested" and rv["comments"]
        # Resubmission is allowed after failure and reuses the PR.
        r = m.post(f"/tasks/{IN_PROGRESS_TASK}/submit", {"summary": "fixed"}, key=D, idem=idem("sub2"))
        assert r.status == 202 and r.json()["data"]["action"] == "existing", r


def test_contract_event_types_flag(binary):
    # --event-types contract: CI and review transitions use only the document's four types.
    with Mock(binary, "--event-types", "contract", "--ci", "pending", "--review", "pending") as m:
        s = SSEStream(m, f"taskId={IN_PROGRESS_TASK}")
        m.post(f"/tasks/{IN_PROGRESS_TASK}/submit", {"summary": "x"}, key=D, idem=idem("sub"))
        m.control("POST", f"/_mock/tasks/{IN_PROGRESS_TASK}/ci", {"overallStatus": "failed"})
        m.control("POST", f"/_mock/tasks/{IN_PROGRESS_TASK}/ci", {"overallStatus": "passed"})
        m.control("POST", f"/_mock/tasks/{IN_PROGRESS_TASK}/review", {"outcome": "changes_requested"})
        m.control("POST", f"/_mock/tasks/{IN_PROGRESS_TASK}/review", {"outcome": "approved"})
        evs = s.events(5, timeout=3)
        assert [e["event"] for e in evs] == ["task.updated"] * 3 + ["task.reviewed"] * 2, evs
        assert [e["json"]["data"].get("reviewOutcome") for e in evs[3:]] == ["changes_requested", "approved"]
        s.close()


def test_failing_ci_emits_ci_failed(binary):
    # The reference server's types: a failed run is task.ci_failed, the next pass task.ci_recovered.
    with Mock(binary, "--ci", "failing") as m:
        s = SSEStream(m, f"taskId={IN_PROGRESS_TASK}")
        m.post(f"/tasks/{IN_PROGRESS_TASK}/submit", {"summary": "x"}, key=D, idem=idem("sub"))
        evs = s.events(3, timeout=3)
        assert [e["event"] for e in evs] == ["task.updated", "task.ci_failed", "task.review_approved"], evs
        assert evs[1]["json"]["data"]["ciStatus"] == "failed"
        m.control("POST", f"/_mock/tasks/{IN_PROGRESS_TASK}/ci", {"overallStatus": "passed"})
        assert [e["event"] for e in s.events(1, timeout=3)] == ["task.ci_recovered"]
        s.close()
        # The seed's DEMO-5 failed CI before the server started: its next pass is a recovery too.
        s = SSEStream(m, "taskId=tsk_01JZDEMO0000000000000005")
        m.control("POST", "/_mock/tasks/tsk_01JZDEMO0000000000000005/ci", {"overallStatus": "passed"})
        assert [e["event"] for e in s.events(1, timeout=3)] == ["task.ci_recovered"]
        s.close()
