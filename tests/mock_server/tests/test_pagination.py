#!/usr/bin/env python3
"""Cursor pagination over generated tasks."""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mockutil import *  # noqa: E402,F403

SEEDED_DEMO_TASKS = 7


def walk(m, query):
    items, pages, cursor = [], 0, None
    while True:
        q = query + (f"&cursor={cursor}" if cursor else "")
        r = m.get(f"/tasks/mine?{q}", key=DEMO_KEY)
        assert r.status == 200, r
        d = r.json()
        pages += 1
        items += d["data"]
        if d["page"]["hasMore"]:
            assert d["availableActions"] == ["fetch_next_page"] and d["page"]["nextCursor"]
            cursor = d["page"]["nextCursor"]
        else:
            assert d["availableActions"] == [] and d["page"]["nextCursor"] is None
            return items, pages


def test_walk_all_pages(binary):
    with Mock(binary, "--tasks", "250") as m:
        items, pages = walk(m, "limit=100")
        ids = [t["id"] for t in items]
        assert pages == 3 and len(ids) == 250 + SEEDED_DEMO_TASKS and len(set(ids)) == len(ids)
        assert all(re.fullmatch(r"tsk_[A-Za-z0-9]+", i) for i in ids)
        items, pages = walk(m, "limit=25")
        assert len(items) == 257 and pages == 11
        todo, _ = walk(m, "status=todo&limit=10")
        assert todo and all(t["status"] == "todo" for t in todo)
        assert len(todo) == len([t for t in items if t["status"] == "todo"])


def test_limits_and_invalid_inputs(binary):
    with Mock(binary, "--tasks", "150") as m:
        def count(q):
            r = m.get(f"/tasks/mine?{q}", key=DEMO_KEY)
            assert r.status == 200
            return len(r.json()["data"])
        assert count("") == 25
        assert count("limit=0") == 1
        assert count("limit=500") == 100
        # Like the reference server: invalid inputs give an empty page, not a 400.
        assert count("limit=abc") == 0
        assert count("cursor=not-a-cursor") == 0
        assert count("status=archived") == 0
