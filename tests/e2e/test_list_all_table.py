#!/usr/bin/env python3
"""End-to-end tests of the table view of `tasks list --all`: its cells are made from the items' bytes
(cli/render/raw_cells.cpp), and each must equal the cell the one-page `tasks list` makes from the parsed
item, for every column and for values that take each way through: plain strings, escapes and terminal
control characters, null and missing members, action lists (ranked), non-ASCII text. With one column a
table has no padding, so the two outputs are compared byte for byte."""

import subprocess

import pytest

from hostile import HostileServer, http_response

s = None  # bound by scenario() below

REQUIRED = b',"identifier":"A-%d","priority":"high","updatedAt":"2026-01-01T00:00:00Z"'
ITEMS = [
    b'{"id":"tsk_1","title":"caf\\u00e9 \\ud83d\\ude80 \xe6\x97\xa5\xe6\x9c\xac","status":"todo","dueAt":null,'
    b'"availableActions":["view_task","block","start"]' + REQUIRED % 1 + b'}',
    b'{"status":"blocked","id":"tsk_2","title":"esc \\u001b[2J\\u001b]52;c;AAAA\\u0007 bell \\" \\\\ \\/ tab\\t",'
    b'"availableActions":[],"dueAt":"2026-02-01T00:00:00Z"' + REQUIRED % 2 + b'}',
    b'{"id":"tsk_3","title":"","status":"in_review","x":{"deep":[[[[{"a":[{}]}]]]]},'
    b'"availableActions":[ "ship" , "sub\\u006dit" ]' + REQUIRED % 3 + b'}',
    b'{"id" : "tsk_4" , "title" : "spaced\\nlines" , "status" : "todo" , "availableActions" : [ ]'
    + REQUIRED % 4 + b'}',
    b'{"id":"tsk_5","title":"twice","title":"last wins","status":"done","availableActions":["ship"]'
    + REQUIRED % 5 + b'}',
]


@pytest.fixture(scope="module", autouse=True)
def scenario(suite):
    """The Suite of this module (tests/e2e/conftest.py)."""
    global s
    s = suite


def one_page(conn, request):
    body = b'{"page":{"nextCursor":null,"hasMore":false},"data":[%s],"availableActions":[]}' % b",".join(ITEMS)
    conn.sendall(http_response(200, body))
    return True


def run_bytes(server, *args):
    p = subprocess.run([s.cli, "tasks", "list", *args], capture_output=True, timeout=60,
                       env=s.env(None, extra={"AGENTRAIL_BASE_URL": server.base_url}))
    return p.returncode, p.stdout, p.stderr.decode(errors="replace")


def test_streamed_cells_equal_the_parsed_tables():
    with HostileServer(one_page) as server:
        for column in ["id", "key", "status", "priority", "updated", "due", "next", "title"]:
            rc1, page, err1 = run_bytes(server, "--columns", column)
            rc2, streamed, err2 = run_bytes(server, "--all", "--columns", column)
            s.check("--all -o table, column %s: the cells equal those of the parsed one-page table" % column,
                    rc1 == 0 and rc2 == 0 and page == streamed and len(streamed.splitlines()) == len(ITEMS) + 1,
                    (rc1, rc2, page[:600], streamed[:600], err1, err2))
        rc, out, err = run_bytes(server, "--all", "--columns", "title")
        s.check("--all -o table: terminal control characters shown escaped, never raw",
                rc == 0 and b"\x1b" not in out and b"\x07" not in out and b"\\x1b[2J" in out, (rc, out[:600], err))
        rc, out, err = run_bytes(server, "--all", "--columns", "next")
        s.check("--all -o table: NEXT ranks the actions and shows - for none",
                rc == 0 and out.splitlines()[1:] == [b"start, block, view_task", b"-", b"ship, submit", b"-", b"ship"],
                (rc, out, err))
