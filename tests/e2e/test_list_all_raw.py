#!/usr/bin/env python3
"""End-to-end tests of `tasks list --all` passing items on as the server's bytes (-o ndjson / -o json
without --jq): the lines are the items exactly as sent (unknown fields, member order, unicode, escapes,
number spellings), the JSON array equals the parse-and-dump rendering for a server that sends canonical
JSON, terminal-unsafe text stays escaped, and failures (body cap, malformed page, HTTP error) end the
list after the pages before them, as before. Pages are served by tests/e2e/hostile.py on one kept-alive
connection."""

import json

import pytest

from hostile import HostileServer, http_response

s = None  # bound by scenario() below

# Items written by hand: server member order (not sorted), numbers as spelled, escapes as sent.
# Each has the members the typed model requires, so the parse-and-dump path accepts them too.
REQUIRED = b',"identifier":"A-1","priority":"high","updatedAt":"2026-01-01T00:00:00Z"'
RAW_ITEMS = [
    b'{"id":"tsk_1","title":"caf\\u00e9 \\ud83d\\ude80 \xe6\x97\xa5\xe6\x9c\xac","status":"todo",'
    b'"futureField":{"nested":[1,-2.50,3E+10,true,null],"empty":{},"none":[]},"n":1.0,"availableActions":[]'
    + REQUIRED + b'}',
    b'{"status":"blocked","id":"tsk_2","title":"esc \\u001b[2J\\u001b]52;c;AAAA\\u0007 bell \\" \\\\ \\/",'
    b'"availableActions":[],"blocker":{"kind":"other","summary":"line1\\nline2","sourceRunId":"r","sourceAgentId":"a",'
    b'"reason":"x","actionRequired":"y","resumeInstructions":"z","createdAt":"2026-01-01T00:00:00Z"}' + REQUIRED + b'}',
    b'{"id":"tsk_3","title":"","status":"in_review","x":{"deep":[[[[{"a":[{}]}]]]]},"availableActions":["ship"]'
    + REQUIRED + b'}',
]

# Canonical items (sorted members, compact, nlohmann's escapes): what a parse-and-dump prints.
CANONICAL = [
    {"availableActions": ["start"], "id": "tsk_%d" % i, "identifier": "A-%d" % i, "priority": "low",
     "status": "todo", "title": "T\u00e9st %d \u65e5 \\ \"q\" \u001b[31m" % i, "updatedAt": "2026-01-01T00:00:00Z",
     "unknownField": {"k": [i, 2.5, None, False]}}
    for i in range(7)
]


@pytest.fixture(scope="module", autouse=True)
def scenario(suite):
    """The Suite of this module (tests/e2e/conftest.py)."""
    global s
    s = suite


def canonical(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, sort_keys=True).encode()


def paged_handler(pages, pretty=False):
    """Serves `pages` (lists of item bytes) in order, the cursor naming the next page index."""
    def handler(conn, request):
        index = 0
        if "cursor=" in request.path:
            index = int(request.path.split("cursor=", 1)[1].split("&", 1)[0][1:])
        items = pages[index]
        more = index + 1 < len(pages)
        sep = b",\n    " if pretty else b","
        page = b'{"page":{"nextCursor":%s,"hasMore":%s},"data":[%s],"availableActions":[]}' % (
            (b'"p%d"' % (index + 1)) if more else b"null", b"true" if more else b"false", sep.join(items))
        conn.sendall(http_response(200, page))
        return True
    return handler


def same_items(out, items):
    """NDJSON `out` holds `items` (as JSON values), in order."""
    return [json.loads(l) for l in out.splitlines()] == [json.loads(i) for i in items]


def run(server, *args):
    return s.run("tasks", "list", "--all", *args, env={"AGENTRAIL_BASE_URL": server.base_url})


def run_bytes(server, *args):
    import subprocess
    p = subprocess.run([s.cli, "tasks", "list", "--all", *args], capture_output=True, timeout=60,
                       env=s.env(None, extra={"AGENTRAIL_BASE_URL": server.base_url}))
    return p.returncode, p.stdout, p.stderr.decode(errors="replace")


# ---- the server's bytes -----------------------------------------------------------------------------------
def test_the_servers_bytes():
    with HostileServer(paged_handler([[RAW_ITEMS[0]], [RAW_ITEMS[1], RAW_ITEMS[2]]])) as server:
        rc, out, err = run_bytes(server, "-o", "ndjson")
        s.check("--all -o ndjson prints each item exactly as the server sent it (order, numbers, escapes)",
                rc == 0 and out == b"\n".join(RAW_ITEMS) + b"\n", (rc, out[:600], err))
        s.check("--all -o ndjson: terminal escapes stay JSON escapes (no raw ESC/BEL byte)",
                b"\x1b" not in out and b"\x07" not in out and b"\\u001b]52" in out, out[:600])
        s.check("--all -o ndjson: both pages over one connection", server.connections == 1 and len(server.requests) == 2,
                (server.connections, len(server.requests)))
        p = __import__("subprocess").run([s.cli, "tasks", "list", "-o", "ndjson"], capture_output=True, timeout=60,
                                         env=s.env(None, extra={"AGENTRAIL_BASE_URL": server.base_url}))
        s.check("tasks list -o ndjson (one page) prints the same bytes as --all for that page",
                p.returncode == 0 and p.stdout == RAW_ITEMS[0] + b"\n", (p.returncode, p.stdout[:300], p.stderr))
        rc, out, err = run_bytes(server, "-o", "json")
        s.check("--all -o json is one array whose items equal the server's",
                rc == 0 and json.loads(out) == [json.loads(i) for i in RAW_ITEMS] and b'"n": 1.0' in out
                and b"3E+10" in out and b"\\u00e9" in out, (rc, out[:800], err))


# ---- identical to the parse-and-dump rendering for canonical JSON --------------------------------------------
def test_identical_to_the_parse_and_dump_rendering_for():
    pages = [[canonical(i) for i in CANONICAL[:3]], [canonical(i) for i in CANONICAL[3:6]], [], [canonical(CANONICAL[6])]]
    with HostileServer(paged_handler(pages)) as server:
        rc, out, err = run_bytes(server, "-o", "json")
        expected = (json.dumps(CANONICAL, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode()
        s.check("--all -o json of canonical pages equals dump(2) of the whole array, byte for byte",
                rc == 0 and out == expected, (rc, out[:800], expected[:800], err))
        rc, out, err = run_bytes(server, "-o", "ndjson")
        s.check("--all -o ndjson of canonical pages equals dump() of each item",
                rc == 0 and out == b"".join(canonical(i) + b"\n" for i in CANONICAL), (rc, out[:600], err))
        rc, jq_out, err = run_bytes(server, "--jq", ".[]")
        s.check("--all -o ndjson equals the parsed path (--jq '.[]') line for line",
                rc == 0 and [json.loads(l) for l in jq_out.splitlines()] == [json.loads(l) for l in out.splitlines()],
                (rc, jq_out[:400], err))

    with HostileServer(paged_handler([[]])) as server:
        rc, out, err = run_bytes(server, "-o", "json")
        s.check("--all -o json of no items prints []", rc == 0 and out == b"[]\n", (rc, out, err))


# ---- a pretty-printed server: still one line per item ------------------------------------------------------
def test_a_pretty_printed_server_still_one_line_per_item():
    pretty_items = [json.dumps(json.loads(i), indent=3, ensure_ascii=False).encode() for i in RAW_ITEMS]
    with HostileServer(paged_handler([pretty_items], pretty=True)) as server:
        rc, out, err = run_bytes(server, "-o", "ndjson")
        lines = out.splitlines()
        s.check("--all -o ndjson of a pretty-printed answer: one compact line per item",
                rc == 0 and len(lines) == 3 and [json.loads(l) for l in lines] == [json.loads(i) for i in RAW_ITEMS]
                and all(b"\n" not in l and b": " not in l.replace(b'": "', b"") for l in lines), (rc, out[:600], err))


# ---- failures end the list after the pages before them -------------------------------------------------------
def test_failures_end_the_list_after_the_pages_before_them():
    big = b'{"id":"tsk_big","title":"%s","availableActions":[]%s}' % (b"x" * (300 * 1024), REQUIRED)
    with HostileServer(paged_handler([[RAW_ITEMS[0]], [big]])) as server:
        rc, out, err = run_bytes(server, "-o", "ndjson", "--max-body", "128K")
        s.check("a page over --max-body: the page before it printed, then exit 11 naming the limit",
                rc == 11 and same_items(out, RAW_ITEMS[:1]) and "limit of 128 KiB" in err, (rc, out[:300], err))

    for name, bad in [("raw control character", b'{"id":"t","title":"a\x1bb"}'),
                      ("invalid UTF-8", b'{"id":"t","title":"\xff"}'),
                      ("truncated item", b'{"id":"t","title":')]:
        with HostileServer(paged_handler([[RAW_ITEMS[0]], [bad]])) as server:
            rc, out, err = run_bytes(server, "-o", "ndjson")
            s.check("a page with a %s: the page before it printed, then exit 11 'not JSON'" % name,
                    rc == 11 and same_items(out, RAW_ITEMS[:1]) and "not JSON" in err and b"\x1b" not in out,
                    (rc, out[:300], err))

    def error_on_second(conn, request):
        if "cursor=" in request.path:
            conn.sendall(http_response(404, b'{"error":{"code":"not_found","message":"gone","details":{}}}'))
        else:
            conn.sendall(http_response(200, b'{"data":[%s],"page":{"nextCursor":"p1","hasMore":true}}' % RAW_ITEMS[2]))
        return True

    with HostileServer(error_on_second) as server:
        rc, out, err = run_bytes(server, "-o", "json")
        s.check("--all -o json with a 404 on page 2: the array is not closed, exit 5",
                rc == 5 and out.startswith(b"[\n  {") and not out.rstrip().endswith(b"]"), (rc, out[:300], err))
