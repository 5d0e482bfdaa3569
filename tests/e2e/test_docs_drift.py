#!/usr/bin/env python3
"""docs/commands.md and docs/agentrail.1 are generated from the command tree (`agentrail help reference`,
`agentrail help man`): they must equal the binary's output, so the docs cannot drift from the parser."""

import os
import re
import shutil
import subprocess

import pytest

s = None  # bound by scenario() below
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


@pytest.fixture(scope="module", autouse=True)
def scenario(suite):
    """The Suite of this module (tests/e2e/conftest.py)."""
    global s
    s = suite


# ---- the generated files equal the binary's output ----
def test_the_generated_files_equal_the_binarys_output():
    for topic, rel in (("reference", "docs/commands.md"), ("man", "docs/agentrail.1")):
        r = s.run("help", topic)
        with open(os.path.join(ROOT, rel)) as f:
            checked_in = f.read()
        diff = ""
        if r.rc == 0 and r.out != checked_in:
            a, b = checked_in.splitlines(), r.out.splitlines()
            n = next((i for i in range(min(len(a), len(b))) if a[i] != b[i]), min(len(a), len(b)))
            diff = "first difference at line %d:\n  file:   %s\n  binary: %s" % (
                n + 1, a[n] if n < len(a) else "<end>", b[n] if n < len(b) else "<end>")
        s.check("%s equals `agentrail help %s`" % (rel, topic), r.rc == 0 and r.out == checked_in,
                (diff + "\nregenerate with: agentrail help %s > %s" % (topic, rel)) if r.rc == 0 else r)


# ---- the reference and the man page: what they contain ----
def test_the_reference_and_the_man_page_what_they():
    r = s.run("help", "reference")
    top = [line for line in s.run("--help").out.splitlines()]
    for group in ("tasks", "events", "webhook", "doctor", "completion"):
        s.check("the reference documents `agentrail %s`" % group, "## agentrail %s\n" % group in r.out, group)
    s.check("the reference lists the exit codes", "| 15 | `cursor_expired` |" in r.out, r.out[-800:])
    s.check("hidden help topics stay out of --help", not any(l.strip().startswith(("reference", "man ")) for l in top), top)

    man = s.run("help", "man").out
    version = s.run("--version").out.split()
    s.check("the man page's .TH carries the release date and the version",
            re.search(r'^\.TH AGENTRAIL 1 "\d{4}-\d\d-\d\d" "agentrail (\S+)"', man, re.M) is not None
            and re.search(r'^\.TH AGENTRAIL 1 "[^"]*" "agentrail (\S+)"', man, re.M).group(1) in version,
            [l for l in man.splitlines() if l.startswith(".TH")] + version)
    for section in ("EXAMPLES", "FILES", "ENVIRONMENT", "EXIT STATUS"):
        s.check("the man page has %s" % section, "\n.SH %s\n" % section in man, section)

    if shutil.which("man"):
        p = subprocess.run(["man", "-l", os.path.join(ROOT, "docs/agentrail.1")], capture_output=True, text=True,
                           env=dict(s.env(), MANWIDTH="100"), timeout=30)
        text = re.sub(".\x08", "", p.stdout)  # overstrike bold/underline
        s.check("the man page renders", p.returncode == 0 and "EXIT STATUS" in text and "events tail" in text,
                p.stderr[:500])
