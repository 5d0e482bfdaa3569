#!/usr/bin/env python3
"""Fixed-window rate limiting: 429 with retry-after and documented details; usage counters."""

import datetime
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mockutil import *  # noqa: E402,F403


def test_window_budget_and_429(binary):
    with Mock(binary) as m:
        # A fresh key with an hour-long window, so the test never straddles a window boundary in practice.
        body = {"agent": {"id": "agt_rl", "displayName": "RL", "role": "r", "externalIdentities": []},
                "scopes": ["tasks:read"], "rateLimit": {"windowSeconds": 3600, "maxRequests": 5}}
        key = m.post("/agent-api-keys", body, key=ADMIN_KEY, idem="rl-key-000001").json()["data"]
        statuses = [m.get("/tasks/mine", key=key["apiKey"]).status for _ in range(4)]
        # A request that fails with 4xx still uses the budget.
        statuses.append(m.get(f"/tasks/{TODO_TASK}", key=key["apiKey"]).status)
        r = m.get("/tasks/mine", key=key["apiKey"])
        assert statuses == [200, 200, 200, 200, 403], statuses
        assert r.status == 429, r
        err = r.json()["error"]
        assert err["code"] == "rate_limited"
        d = err["details"]
        assert d["limit"] == {"windowSeconds": 3600, "maxRequests": 5} and d["remaining"] == 0
        retry = int(r.headers["retry-after"])
        assert 1 <= retry <= 3600 and d["retryAfterSeconds"] == retry
        reset = datetime.datetime.fromisoformat(d["resetAt"].replace("Z", "+00:00"))
        now = datetime.datetime.now(datetime.timezone.utc)
        assert 0 < (reset - now).total_seconds() <= 3601
        # Other keys are unaffected.
        assert m.get("/tasks/mine", key=DEMO_KEY).status == 200
        u = m.get(f"/agent-api-keys/{key['id']}/usage", key=ADMIN_KEY).json()["data"]
        assert u["totals"] == {"accepted": 4, "denied": 2}, u["totals"]
        assert u["rateLimit"]["currentWindow"]["used"] == 5 and u["rateLimit"]["currentWindow"]["remaining"] == 0


def test_seeded_tiny_limit_key(binary):
    with Mock(binary) as m:
        codes = []
        for _ in range(8):
            codes.append(m.get("/tasks/mine", key=RATELIMITED_KEY).status)
            if codes[-1] == 429:
                break
        # 3 per 60 s window; a window boundary in the middle may allow up to 3 more.
        assert codes[-1] == 429 and 3 <= codes.count(200) <= 6, codes
        r = m.get("/tasks/mine", key=RATELIMITED_KEY)
        if r.status == 429:
            assert r.json()["error"]["details"]["limit"] == {"windowSeconds": 60, "maxRequests": 3}
