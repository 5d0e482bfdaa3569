#!/usr/bin/env python3
"""Executable documentation: every ```sh / ```console block of README.md and docs/*.md is marked runnable or
syntax-only (see docs_snippets.py for the convention); runnable blocks run against a fresh agentrail-mock and
must keep their documented exit codes and output, syntax-only blocks must pass `bash -n`, and README.md's
session must be exactly what packaging/demo-session.sh prints (regenerate it with
packaging/regen-readme-session.sh)."""

import glob
import os
import sys
import time

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import docs_snippets as ds  # noqa: E402
from e2e_support import within  # noqa: E402

s = None  # bound by scenario() below


@pytest.fixture(scope="module", autouse=True)
def scenario(suite):
    """The Suite of this module (tests/e2e/conftest.py)."""
    global s
    s = suite


# ---- every shell block of README.md and docs/ runs as documented ----
def test_every_shell_block_of_readme_md_and_docs_runs_as():
    runner = ds.Runner(s.cli, s.mock_bin)
    started = time.time()

    files = [os.path.join(ds.ROOT, "README.md")] + sorted(
        f for f in glob.glob(os.path.join(ds.ROOT, "docs", "*.md")) if not f.endswith("commands.md"))
    shell_blocks = [b for f in files for b in ds.blocks(f) if b.lang in ("sh", "console")]

    unmarked = [b.where() for b in shell_blocks if b.marker is None]
    s.check("every sh/console block is marked runnable or syntax-only", not unmarked, "unmarked: %s" % unmarked)

    runnable = [b for b in shell_blocks if b.marker == "runnable"]
    for b in shell_blocks:
        if b.marker is None:
            continue
        problems = ds.check_block(runner, b)
        s.check("%s (%s, %s) runs as documented" % (b.where(), b.lang, b.marker), not problems, "\n".join(problems))

    by_file = {}
    for b in runnable:
        by_file[os.path.relpath(b.path, ds.ROOT)] = by_file.get(os.path.relpath(b.path, ds.ROOT), 0) + 1
    print("runnable blocks: %s; syntax-only: %d" % (by_file, sum(b.marker == "syntax-only" for b in shell_blocks)))
    s.check("README.md, docs/recipes.md and docs/mock-server.md each have runnable blocks",
            all(by_file.get(f, 0) > 0 for f in ("README.md", "docs/recipes.md", "docs/mock-server.md")), by_file)

    # The README session is generated from a real run of packaging/demo-session.sh, not edited by hand.
    readme = open(os.path.join(ds.ROOT, "README.md"), encoding="utf-8").read()
    start, end = ds.readme_session_span(readme)
    session = ds.demo_session(runner)
    s.check("README's session is packaging/demo-session.sh's output (packaging/regen-readme-session.sh)",
            readme[start:end] == session,
            "\n".join(__import__("difflib").unified_diff(readme[start:end].split("\n"), session.split("\n"),
                                                          "README.md", "demo-session.sh", lineterm="")))
    commands = [c for c, _, _ in ds.console_steps(readme[start:end])]
    s.check("the session ends with the task's whole history read back with --from-start",
            "--from-start" in commands[-1] and any(c.startswith("agentrail task start") for c in commands), commands)

    # The checker itself notices drift: a changed output line, a changed exit code, a missing line.
    session_block = next(b for b in runnable if b.path.endswith("README.md") and b.text == readme[start:end])
    steps = ds.console_steps(session_block.text)
    drift = session_block.text.replace("Status      in_review", "Status      in_progress", 1)
    s.check("a drifted output line is reported",
            drift != session_block.text and ds.check_block(runner, ds.Block(b.path, 0, "console", "runnable", {}, drift)),
            drift)
    bad_exit = "$ agentrail task submit tsk_01JZDEMO0000000000000001 --summary x --quiet\n"
    s.check("an unexpected exit code is reported (submit of a todo task exits 6)",
            ds.check_block(runner, ds.Block(b.path, 0, "console", "runnable", {}, bad_exit)))
    exit6 = bad_exit.rstrip() + "  # exit 6\n..."
    s.check("a documented exit code is accepted",
            not ds.check_block(runner, ds.Block(b.path, 0, "console", "runnable", {}, exit6)),
            ds.check_block(runner, ds.Block(b.path, 0, "console", "runnable", {}, exit6)))
    s.check("a syntax error in a syntax-only block is reported",
            ds.check_block(runner, ds.Block(b.path, 0, "sh", "syntax-only", {}, "if true; then echo")))

    took = time.time() - started
    s.check("the docs test stays fast (%.1fs < 30s)" % took, within(took, 30))
