#!/usr/bin/env python3
"""Idempotency-Key semantics: verbatim replay, 409 on a changed body, scoping per operation and task."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mockutil import *  # noqa: E402,F403

D = DEMO_KEY
BLOCKER = {"sourceRunId": "run_idem", "sourceAgentId": "agt_demo", "reason": "r", "actionRequired": "a",
           "resumeInstructions": "i"}


def test_replay_is_verbatim_and_has_no_side_effect(binary):
    with Mock(binary) as m:
        first = m.post(f"/tasks/{TODO_TASK}/start", key=D, idem="start-key-0001")
        assert first.status == 202, first
        version_events = m.control("GET", "/_mock/stats")["events"]["published"]
        again = m.post(f"/tasks/{TODO_TASK}/start", key=D, idem="start-key-0001")
        assert again.status == 202 and again.body == first.body, (first, again)
        assert again.headers.get("idempotent-replayed") == "true"
        assert m.control("GET", "/_mock/stats")["events"]["published"] == version_events, "replay emitted an event"
        # A new key re-executes: the task is no longer in todo.
        assert m.post(f"/tasks/{TODO_TASK}/start", key=D, idem="start-key-0002").status == 409

        body = {"summary": "done", "mode": "artifact", "artifacts": [{"type": "doc", "url": "https://e.x/a"}]}
        s1 = m.post(f"/tasks/{TODO_TASK}/submit", body, key=D, idem="submit-key-0001")
        assert s1.status == 202
        # The same fields in another order are the same request.
        reordered = '{"artifacts":[{"url":"https://e.x/a","type":"doc"}],"mode":"artifact","summary":"done"}'
        s2 = m.post(f"/tasks/{TODO_TASK}/submit", raw=reordered, key=D, idem="submit-key-0001")
        assert s2.status == 202 and s2.body == s1.body


def test_changed_body_conflicts(binary):
    with Mock(binary) as m:
        r = m.post(f"/tasks/{TODO_TASK}/blocker", BLOCKER, key=D, idem="block-key-0001")
        assert r.status == 202
        r = m.post(f"/tasks/{TODO_TASK}/blocker", {**BLOCKER, "reason": "other"}, key=D, idem="block-key-0001")
        err = r.json()["error"]
        assert r.status == 409 and err["code"] == "conflict", r
        assert err["details"]["idempotencyKey"] == "block-key-0001"


def test_keys_are_scoped_per_operation_and_task(binary):
    with Mock(binary) as m:
        k = "shared-key-0001"
        a = m.post(f"/tasks/{TODO_TASK}/start", key=D, idem=k)
        b = m.post(f"/tasks/{TODO_TASK_2}/start", key=D, idem=k)
        assert a.status == 202 and b.status == 202
        assert a.json()["data"]["id"] == TODO_TASK and b.json()["data"]["id"] == TODO_TASK_2
        # Same key on another operation of the same task is a different request too.
        c = m.post(f"/tasks/{TODO_TASK}/blocker", BLOCKER, key=D, idem=k)
        assert c.status == 202 and c.json()["data"]["status"] == "blocked", c


def test_missing_or_short_key(binary):
    with Mock(binary) as m:
        r = m.post(f"/tasks/{TODO_TASK}/start", key=D)
        assert r.status == 400 and r.json()["error"]["details"]["fieldErrors"][0]["field"] == "Idempotency-Key"
        r = m.post(f"/tasks/{TODO_TASK}/start", key=D, idem="short")
        assert r.status == 400
        r = m.post("/event-subscriptions", {"url": "http://127.0.0.1:9/x", "eventTypes": ["task.updated"],
                                            "secret": "0123456789abcdef"}, key=D)
        assert r.status == 400
        # rollback ignores the key entirely.
        assert m.post(f"/tasks/{DONE_TASK}/rollback", key=D).status == 202


def test_create_key_replay_returns_same_secret(binary):
    with Mock(binary) as m:
        body = {"agent": {"id": "agt_x", "displayName": "X", "role": "r", "externalIdentities": []},
                "scopes": ["tasks:read"], "rateLimit": {"windowSeconds": 60, "maxRequests": 10}}
        a = m.post("/agent-api-keys", body, key=ADMIN_KEY, idem="create-key-0001")
        b = m.post("/agent-api-keys", body, key=ADMIN_KEY, idem="create-key-0001")
        assert a.status == b.status == 201 and a.json()["data"]["apiKey"] == b.json()["data"]["apiKey"]
        c = m.post("/agent-api-keys", body, key=ADMIN_KEY, idem="create-key-0002")
        assert c.json()["data"]["apiKey"] != a.json()["data"]["apiKey"]


def test_failed_requests_are_not_stored(binary):
    with Mock(binary) as m:
        # 409 (wrong state) is not recorded: after the state changes, the same key succeeds.
        assert m.post(f"/tasks/{BLOCKED_TASK}/start", key=D, idem="retry-key-0001").status == 409
        m.post(f"/tasks/{BLOCKED_TASK}/resolve-blocker", {"resolutionSummary": "ok"}, key=D, idem="resolve-key-01")
        assert m.post(f"/tasks/{BLOCKED_TASK}/start", key=D, idem="retry-key-0001").status == 202


def test_records_never_expire_like_the_reference_server(binary):
    """A key reused after a full start -> block -> resolve cycle is still a replay of the first answer: the
    task stays in todo and nothing is emitted. This is what the reference server does, and why clients must
    not derive keys from the request alone."""
    with Mock(binary) as m:
        first = m.post(f"/tasks/{TODO_TASK}/start", key=D, idem="cycle-start-01")
        assert first.status == 202 and first.json()["data"]["status"] == "in_progress"
        assert m.post(f"/tasks/{TODO_TASK}/blocker", BLOCKER, key=D, idem="cycle-block-01").status == 202
        assert m.post(f"/tasks/{TODO_TASK}/resolve-blocker", {"resolutionSummary": "ok"}, key=D,
                      idem="cycle-resolve-01").status == 202
        published = m.control("GET", "/_mock/stats")["events"]["published"]
        again = m.post(f"/tasks/{TODO_TASK}/start", key=D, idem="cycle-start-01")
        assert again.status == 202 and again.body == first.body and again.headers.get("idempotent-replayed")
        assert m.get(f"/tasks/{TODO_TASK}", key=D).json()["data"]["status"] == "todo"
        assert m.control("GET", "/_mock/stats")["events"]["published"] == published
        # A new key acts.
        fresh = m.post(f"/tasks/{TODO_TASK}/start", key=D, idem="cycle-start-02")
        assert fresh.status == 202 and fresh.json()["data"]["status"] == "in_progress"
