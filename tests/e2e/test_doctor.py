#!/usr/bin/env python3
"""End-to-end tests of `agentrail doctor`: every check reported with an id, a result and a hint, exit 0 on a
healthy mock, the exit code of the first failing check otherwise (bad key 3, unreachable server 10), and
scopes discovered from a 403's grantedScopes."""

import json
import os
import socket
import time

import pytest

from e2e_support import READONLY_KEY
from hostile import HostileServer, json_response

s = mock = None  # bound by scenario() below
IDS = ["config", "reachability", "clock_skew", "auth", "scopes", "tasks"]


@pytest.fixture(scope="module", autouse=True)
def scenario(suite):
    """The Suite of this module (tests/e2e/conftest.py) and the mocks it runs against."""
    global s, mock
    s = suite
    mock = s.mock()


def checks(r):
    try:
        return {c["id"]: c for c in json.loads(r.out)["checks"]}
    except (ValueError, KeyError, TypeError):
        return {}


# ---- a healthy mock, a read-only key, a bad key, no key ----
def test_a_healthy_mock_a_read_only_key_a_bad_key_no_key():
    r = s.run("doctor", "--json", mock=mock)
    c = checks(r)
    s.check("healthy mock: exit 0, ok:true, every check present in order",
            r.rc == 0 and json.loads(r.out)["ok"] is True and list(c) == IDS, r)
    s.check("healthy mock: no check fails; each has result, detail and hint",
            all(x["result"] in ("ok", "warn") and "detail" in x and "hint" in x for x in c.values()), r)
    s.check("reachability reports the latency", "latencyMs" in c.get("reachability", {}).get("data", {}), r)
    s.check("clock skew is measured", abs(c.get("clock_skew", {}).get("data", {}).get("skewSeconds", 99)) < 60, r)
    s.check("tasks counts the visible tasks", c.get("tasks", {}).get("data", {}).get("visibleTasks") == 7, r)
    s.check("the key never appears in the output", "ar_local_demo_key" not in r.out + r.err, r)

    r = s.run("doctor", mock=mock)
    s.check("table view lists the checks", r.rc == 0 and all(i in r.out for i in IDS) and "CHECK" in r.out, r)

    r = s.run("doctor", "--json", mock=mock, key=READONLY_KEY)
    c = checks(r)
    s.check("scopes from a 403's grantedScopes, with a warning for what is missing",
            r.rc == 0 and c.get("scopes", {}).get("result") == "warn" and
            "tasks:read" in c.get("scopes", {}).get("data", {}).get("grantedScopes", []), r)

    r = s.run("doctor", "--json", mock=mock, key="ar_not_a_real_key_000")
    c = checks(r)
    s.check("bad key: auth fails, exit 3, dependent checks not run",
            r.rc == 3 and c.get("auth", {}).get("result") == "fail" and c.get("reachability", {}).get("result") == "ok"
            and "not checked" in c.get("tasks", {}).get("detail", "") and json.loads(r.out)["ok"] is False, r)
    s.check("bad key: the failing check is named on stderr", "doctor: auth" in r.err, r)

    r = s.run("doctor", mock=mock, key=None)
    s.check("no key: config warns, auth fails (exit 3)", r.rc == 3 and "no API key" in r.out, r)


# ---- an unreachable server and bad settings ----
def test_an_unreachable_server_and_bad_settings():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    r = s.run("doctor", "--json", env={"AGENTRAIL_BASE_URL": "http://127.0.0.1:%d" % port})
    c = checks(r)
    s.check("unreachable server: exit 10, reachability fails with a hint",
            r.rc == 10 and c.get("reachability", {}).get("result") == "fail" and c["reachability"]["hint"], r)

    r = s.run("doctor", "--json", env={"AGENTRAIL_BASE_URL": "not a url"})
    c = checks(r)
    s.check("bad settings: config fails, exit 2", r.rc == 2 and c.get("config", {}).get("result") == "fail", r)


# ---- server times that are not usable, lower-case t and z ----
def test_server_times_that_are_not_usable_lower_case_t_and():
    def health_at(time_text):
        """A server whose /health reports `time_text`; every other route is unauthorized."""
        def handler(conn, request):
            if request.path == "/health":
                conn.sendall(json_response(200, {"status": "ok", "service": "agentrail", "publicBaseUrl": "http://x",
                                                 "time": time_text, "uptimeSeconds": 1}))
            else:
                conn.sendall(json_response(401, {"error": {"code": "unauthorized", "message": "no", "details": {}}}))
        return HostileServer(handler)

    for bad in ["2026-05-01T02:48:nanZ", "2026-05-01T02:48:infZ", "2026-05-01T02:48:1e999Z"]:
        with health_at(bad) as server:
            c = checks(s.run("doctor", "--json", env={"AGENTRAIL_BASE_URL": server.base_url}))
        skew = c.get("clock_skew", {})
        s.check("a server time with seconds %r is not usable (no NaN skew)" % bad.split(":")[-1],
                skew.get("result") == "warn" and "usable time" in skew.get("detail", ""), c)
    with health_at(time.strftime("%Y-%m-%dt%H:%M:%Sz", time.gmtime())) as server:
        c = checks(s.run("doctor", "--json", env={"AGENTRAIL_BASE_URL": server.base_url}))
    s.check("a lower-case t and z are RFC 3339 too", c.get("clock_skew", {}).get("result") == "ok", c)


# ---- a config file readable by others ----
def test_a_config_file_readable_by_others():
    os.makedirs(os.path.join(s.home, ".config", "agentrail"), exist_ok=True)
    cfg = os.path.join(s.home, ".config", "agentrail", "config.toml")
    with open(cfg, "w") as f:
        f.write('[profile.default]\nbase_url = "%s"\n' % mock.base_url)
    os.chmod(cfg, 0o644)
    r = s.run("doctor", "--json", key="ar_local_demo_key", env={"AGENTRAIL_BASE_URL": None})
    c = checks(r)
    s.check("a config file readable by others is a warning with a chmod hint",
            r.rc == 0 and c.get("config", {}).get("result") == "warn" and "chmod 600" in c["config"]["hint"], r)
