#!/usr/bin/env python3
"""Tables that fit a terminal, and long output through the pager: `tasks list` under a pseudo-terminal of 80,
100 and 160 columns (widths in cells: wide CJK and emoji count 2, combining marks 0), column priorities (TITLE
is the last to go), ids cut in the middle on a TTY only, NEXT with the most useful action first, -o wide and
--columns; piped, nothing is ever cut. The pager: $AGENTRAIL_PAGER / $PAGER for output longer than the screen,
never when piped, short, or with --no-pager."""

import os
import re
import unicodedata

import pytest

from pty_support import run_pty

s = mock = seed = None  # bound by scenario() below
ELLIPSIS = "\u2026"

WIDE_TITLE = "\u4fee\u590d\u767b\u5f55\u95ee\u9898 \U0001F680 cafe\u0301 \u6587\u6863\u548c\u6d4b\u8bd5\u7528\u4f8b\u5168\u90e8\u66f4\u65b0\u5b8c\u6210"


@pytest.fixture(scope="module", autouse=True)
def scenario(suite):
    """The Suite of this module (tests/e2e/conftest.py) and a mock whose DEMO-2 has a wide title."""
    global s, mock, seed
    s = suite

    def edit(data):
        data["tasks"][1]["title"] = WIDE_TITLE  # DEMO-2

    mock, seed = s.seeded_mock(edit)


def cells(text):
    n = 0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        n += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return n


def rows_of(r):
    return [l for l in r.out.split("\n") if re.search(r"\bDEMO-\d\b", l)]


def col_start(line, header):
    """Cell offset at which `header` starts in the header line."""
    return cells(line[:line.index(header)])


# ---- 80, 100, 160 columns -------------------------------------------------------------------------------
def test_80_100_160_columns():
    for cols in (80, 100, 160):
        r = run_pty(s, "tasks", "list", cols=cols, mock=mock)
        lines = [l for l in r.out.split("\n") if l.strip()]
        header = lines[0] if lines else ""
        rows = rows_of(r)
        widest = max([cells(l) for l in lines] or [0])
        s.check("%d columns: exit 0, 7 rows, no line wider than %d cells" % (cols, cols),
                r.rc == 0 and len(rows) == 7 and widest <= cols, (widest, r))
        s.check("%d columns: TITLE, KEY and STATUS are kept" % cols,
                all(h in header.split() for h in ("TITLE", "KEY", "STATUS")), header)
        s.check("%d columns: the NEXT column puts ship before view_*" % cols,
                any("DEMO-4" in l and re.search(r"\bship\b", l) and not re.search(r"\bview_.*\bship\b", l)
                    for l in rows), rows)
        # Alignment in cells: the TITLE column starts at the same cell in every row, the wide one included.
        start = col_start(header, "TITLE") if "TITLE" in header else -1
        starts = set()
        for l in rows:
            title_part = next((t for t in (seed["tasks"][i]["title"] for i in range(7)) if t[:4] in l), None)
            if title_part:
                starts.add(cells(l[:l.index(title_part[:4])]))
        s.check("%d columns: titles start in the same cell on every row (wide characters counted as 2)" % cols,
                starts == {start}, (start, starts, rows))

    r80 = run_pty(s, "tasks", "list", cols=80, mock=mock)
    header = r80.lines()[0] if r80.lines() else ""
    s.check("80 columns: low-priority columns (UPDATED, PRIORITY) make room for the title",
            "UPDATED" not in header and "TITLE" in header, header)
    s.check("80 columns: ids are cut in the middle with an ellipsis", any(re.search(r"tsk_\w+%s\w+" % ELLIPSIS, l)
                                                                           for l in rows_of(r80)), r80)
    s.check("80 columns: a cut title ends in an ellipsis, whole characters only",
            any("DEMO-2" in l and l.rstrip().endswith(ELLIPSIS) and "\ufffd" not in l for l in rows_of(r80)), r80)
    r160 = run_pty(s, "tasks", "list", cols=160, mock=mock)
    s.check("160 columns: every default column and whole titles",
            r160.lines() and r160.lines()[0].split() == ["ID", "KEY", "STATUS", "PRIORITY", "UPDATED", "NEXT", "TITLE"]
            and "Resume the event stream after a dropped connection" in r160.out, r160)
    r40 = run_pty(s, "tasks", "list", cols=40, mock=mock)
    s.check("40 columns: the title is the last column standing",
            r40.rc == 0 and "TITLE" in (r40.lines() or [""])[0] and max(cells(l) for l in r40.lines()) <= 40, r40)


# ---- piped: nothing cut ---------------------------------------------------------------------------------
def test_piped_nothing_cut():
    r = s.run("tasks", "list", mock=mock, env={"COLUMNS": "40"})
    s.check("piped: whole ids, whole titles, no ellipsis, every column",
            r.rc == 0 and "tsk_01JZDEMO0000000000000001" in r.out and WIDE_TITLE in r.out and ELLIPSIS not in r.out
            and r.lines()[0].split() == ["ID", "KEY", "STATUS", "PRIORITY", "UPDATED", "NEXT", "TITLE"], r)
    s.check("piped: NEXT puts ship first", any(re.search(r"DEMO-4 .* ship, view_ci_status", l) for l in r.lines()), r)
    r = run_pty(s, "tasks", "list", cols=80, mock=mock, stdout_pipe=True)
    s.check("stdout piped with a terminal on stderr: nothing cut",
            "tsk_01JZDEMO0000000000000004" in r.piped and ELLIPSIS not in r.piped, r.piped)


# ---- -o wide and --columns ------------------------------------------------------------------------------
def test_o_wide_and_columns():
    r = run_pty(s, "tasks", "list", "-o", "wide", cols=80, mock=mock)
    s.check("-o wide on 80 columns: every column (DUE too), nothing cut",
            r.rc == 0 and r.lines()[0].split() == ["ID", "KEY", "STATUS", "PRIORITY", "UPDATED", "DUE", "NEXT", "TITLE"]
            and "tsk_01JZDEMO0000000000000001" in r.out and ELLIPSIS not in r.out, r)
    r = run_pty(s, "tasks", "list", "--columns", "key,Title,status", cols=80, mock=mock)
    s.check("--columns key,Title,status: those columns in that order",
            r.rc == 0 and r.lines()[0].split() == ["KEY", "TITLE", "STATUS"], r)
    r = s.run("tasks", "list", "--columns", "key,due", mock=mock)
    s.check("--columns piped: a wide-only column by name", r.rc == 0 and r.lines()[0].split() == ["KEY", "DUE"]
            and "2030-01-15T17:00:00Z" in r.out, r)
    r = s.run("tasks", "list", "--columns", "key,nope", mock=mock)
    s.check("--columns with an unknown name: exit 2 naming the choices",
            r.rc == 2 and "nope" in r.err and "title" in r.err, r)


# ---- pager ----------------------------------------------------------------------------------------------
def test_pager():
    big = s.mock("--tasks", "40")
    paged = os.path.join(s.tmp, "paged.txt")
    env_file = os.path.join(s.tmp, "pager-env.txt")
    pager = "sh -c 'echo \"LESS=$LESS\" > %s; cat > %s'" % (env_file, paged)

    def reset():
        for p in (paged, env_file):
            if os.path.exists(p):
                os.remove(p)

    reset()
    r = run_pty(s, "tasks", "list", "--limit", "40", cols=120, rows=20, mock=big, env={"AGENTRAIL_PAGER": pager})
    text = open(paged).read() if os.path.exists(paged) else ""
    s.check("long output on a TTY goes through AGENTRAIL_PAGER (all of it, not on the terminal)",
            r.rc == 0 and text.count("GEN-") >= 40 and "GEN-" not in r.out, (text[:300], r))
    s.check("the pager gets LESS=FRX when LESS is unset",
            os.path.exists(env_file) and open(env_file).read().strip() == "LESS=FRX", env_file)
    reset()
    r = run_pty(s, "tasks", "list", "--limit", "40", cols=120, rows=20, mock=big,
                env={"AGENTRAIL_PAGER": None, "PAGER": pager, "LESS": "-R"})
    s.check("PAGER is used when AGENTRAIL_PAGER is unset; a LESS of the user's is kept",
            os.path.exists(paged) and open(paged).read().count("GEN-") >= 40
            and open(env_file).read().strip() == "LESS=-R", r)
    reset()
    r = run_pty(s, "--no-pager", "tasks", "list", "--limit", "40", cols=120, rows=20, mock=big,
                env={"AGENTRAIL_PAGER": pager})
    s.check("--no-pager: printed on the terminal", r.rc == 0 and not os.path.exists(paged) and r.out.count("GEN-") >= 40,
            r)
    r = run_pty(s, "tasks", "list", "--limit", "3", cols=120, rows=20, mock=big, env={"AGENTRAIL_PAGER": pager})
    s.check("output shorter than the screen: no pager", r.rc == 0 and not os.path.exists(paged) and "DEMO-1" in r.out, r)
    r = run_pty(s, "task", "show", "DEMO-4", cols=120, rows=40, mock=big, env={"AGENTRAIL_PAGER": pager})
    s.check("a short `task show` on a TTY: its next-step hints come after the result, not before it",
            r.rc == 0 and not os.path.exists(paged) and "Next steps:" in r.out and "Description" in r.out
            and r.out.index("Description") < r.out.index("Next steps:"), r)
    r = run_pty(s, "tasks", "list", "--limit", "40", cols=120, rows=20, mock=big, env={"AGENTRAIL_PAGER": pager},
                stdout_pipe=True)
    s.check("piped: no pager", r.rc == 0 and not os.path.exists(paged) and r.piped.count("GEN-") >= 40, r)
    r = run_pty(s, "tasks", "list", "--limit", "40", "--json", cols=120, rows=20, mock=big,
                env={"AGENTRAIL_PAGER": pager})
    s.check("-o json on a TTY: no pager", r.rc == 0 and not os.path.exists(paged), r)
    r = run_pty(s, "tasks", "list", "--limit", "40", cols=120, rows=20, mock=big, env={"AGENTRAIL_PAGER": "head -n 2"})
    s.check("a pager that quits early: exit 0, no error", r.rc == 0 and "error" not in r.out.lower(), r)
