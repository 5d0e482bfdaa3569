#!/usr/bin/env python3
"""The checked-in completion scripts in completions/ equal `agentrail completion SHELL`, and each one loads in
its shell (bash, zsh, fish) and completes `agentrail ta<TAB>` to `task` and `tasks`, plus a few deeper cases; task
ids and keys complete from the server through the hidden `agentrail __complete tasks PREFIX`, silently empty when
no server answers."""

import os
import shutil
import subprocess

import pytest

from e2e_support import within

s = None  # bound by scenario() below
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FILES = {"bash": "completions/agentrail.bash", "zsh": "completions/_agentrail", "fish": "completions/agentrail.fish"}
REGEN = "regenerate with: agentrail completion %s > %s"


@pytest.fixture(scope="module", autouse=True)
def scenario(suite):
    """The Suite of this module (tests/e2e/conftest.py)."""
    global s
    s = suite


def sh(cmd, timeout=30):
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=s.env(), cwd=ROOT)
    return p.returncode, p.stdout, p.stderr


# ---- the checked-in scripts equal the binary's output ----
def test_the_checked_in_scripts_equal_the_binarys_output():
    for shell, rel in FILES.items():
        r = s.run("completion", shell)
        with open(os.path.join(ROOT, rel)) as f:
            checked_in = f.read()
        s.check("%s: %s equals the generated script" % (shell, rel), r.rc == 0 and r.out == checked_in,
                REGEN % (shell, rel) if r.rc == 0 else r)

    r = s.run("completion", "powershell")
    s.check("unknown shell: exit 2", r.rc == 2, r)


# ---- bash: source the file, call the function with COMP_WORDS/COMP_CWORD ---------------------------------
def test_bash_source_the_file_call_the_function_with_comp():
    BASH = r'''
set -e
source completions/agentrail.bash
c() { COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _agentrail; echo "${COMPREPLY[*]}"; }
complete -p agentrail
c agentrail ta
c agentrail task sub
c agentrail tasks list --status ""
c agentrail -o nd
c agentrail events tail --state
c agentrail --profile x ev
'''
    if shutil.which("bash"):
        rc, out, err = sh(["bash", "--norc", "--noprofile", "-c", BASH])
        lines = out.splitlines()
        s.check("bash: loads and registers the completion", rc == 0 and lines and "_agentrail" in lines[0], out + err)
        s.check("bash: agentrail ta<TAB> -> task tasks", len(lines) > 1 and sorted(lines[1].split()) == ["task", "tasks"], out)
        s.check("bash: subcommand of an alias", len(lines) > 2 and lines[2] == "submit", out)
        s.check("bash: option choices", len(lines) > 3 and lines[3].split() == ["todo", "in_progress", "in_review", "blocked"], out)
        s.check("bash: global option choices anywhere", len(lines) > 4 and lines[4] == "ndjson", out)
        s.check("bash: options of a nested command", len(lines) > 5 and lines[5] == "--state-file", out)
        s.check("bash: option values are skipped when finding the command", len(lines) > 6 and lines[6] == "events", out)


# ---- zsh: compinit, then run _agentrail with compadd/_describe captured -----------------------------------
def test_zsh_compinit_then_run_agentrail_with_compadd():
    ZSH = r'''
fpath=($PWD/completions $fpath)
autoload -Uz compinit && compinit -u -D -d /dev/null
print -r -- "compdef: ${_comps[agentrail]:-none}"
candidates=()
compadd() { candidates+=("${@[$(( ${@[(i)--]} + 1 )),-1]}") }
_describe() { local -a items; items=("${(@P)${@[-1]}}"); candidates+=("${items[@]%%:*}") }
_files() { candidates+=(FILES) }
complete() { candidates=(); words=("$@"); CURRENT=${#words}; _agentrail; print -r -- "${(j: :)${(@M)candidates:#${words[-1]}*}}" }
complete agentrail ta
complete agentrail tasks list --status ""
complete agentrail -o j
complete agentrail webhook listen --se
'''
    if shutil.which("zsh"):
        rc, out, err = sh(["zsh", "-f", "-c", ZSH])
        lines = out.splitlines()
        s.check("zsh: loads with compinit, registered for agentrail", rc == 0 and lines and lines[0] == "compdef: _agentrail",
                out + err)
        s.check("zsh: agentrail ta<TAB> -> task tasks", len(lines) > 1 and sorted(lines[1].split()) == ["task", "tasks"], out + err)
        s.check("zsh: option choices", len(lines) > 2 and lines[2].split() == ["todo", "in_progress", "in_review", "blocked"], out)
        s.check("zsh: global option choices", len(lines) > 3 and lines[3] == "json", out)
        s.check("zsh: options of a nested command", len(lines) > 4 and sorted(lines[4].split()) == ["--secret-env", "--secret-file"], out)


# ---- fish: source, then complete -C ----------------------------------------------------------------------
def test_fish_source_then_complete_c():
    if shutil.which("fish"):
        rc, out, err = sh(["fish", "--no-config", "-c",
                           "source completions/agentrail.fish; complete -C'agentrail ta'; echo ---; "
                           "complete -C'agentrail task wait tsk_1 --po'; echo ---; complete -C'agentrail --errors '"])
        parts = out.split("---\n")
        first = sorted(line.split("\t")[0] for line in parts[0].splitlines()) if parts else []
        s.check("fish: agentrail ta<TAB> -> task tasks (with descriptions)",
                rc == 0 and first == ["task", "tasks"] and "\t" in parts[0], out + err)
        s.check("fish: options of a nested command", len(parts) > 1 and parts[1].startswith("--poll-interval"), out)
        s.check("fish: global option choices", len(parts) > 2 and sorted(parts[2].split()) == ["json", "text"], out)


# ---- dynamic: task ids and keys from the server (`agentrail __complete tasks`) ---------------------------
def test_dynamic_task_ids_and_keys_from_the_server():
    import time

    mock = s.mock()
    BIN_DIR = os.path.dirname(s.cli)

    def sh_env(cmd, base_url, timeout=30):
        env = s.env(mock)
        env["PATH"] = BIN_DIR + os.pathsep + env.get("PATH", "")
        env["AGENTRAIL_BASE_URL"] = base_url
        start = time.time()
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env, cwd=ROOT)
        return p.returncode, p.stdout, p.stderr, time.time() - start

    DEMO_KEYS = ["DEMO-%d" % i for i in range(1, 8)]
    r = s.run("__complete", "tasks", "DEMO-", mock=mock)
    s.check("__complete tasks DEMO-: every key with its title, tab-separated",
            r.rc == 0 and sorted(l.split("\t")[0] for l in r.lines()) == DEMO_KEYS and "\tHonour Retry-After" in r.out, r)
    r = s.run("__complete", "tasks", "tsk_01JZDEMO0000000000000004", mock=mock)
    s.check("__complete tasks tsk_...: the id with its key and title",
            r.rc == 0 and r.lines() == ["tsk_01JZDEMO0000000000000004\tDEMO-4: Resume the event stream after a dropped connection"], r)
    start = time.time()
    r = s.run("__complete", "tasks", "", env={"AGENTRAIL_BASE_URL": "http://127.0.0.1:1"})
    s.check("__complete with no server: nothing, exit 0, at once", r.rc == 0 and r.out == "" and r.err == ""
            and within(time.time() - start, 3), r)
    r = s.run("__complete", "tasks", "", mock=mock, key="ar_wrong_key")
    s.check("__complete with a bad key: nothing, exit 0", r.rc == 0 and r.out == "" and r.err == "", r)
    s.check("__complete is hidden from --help", "__complete" not in s.run("--help").out)

    DYN_BASH = r'''
source completions/agentrail.bash
c() { COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _agentrail; echo "${COMPREPLY[*]}"; }
c agentrail task show DEMO-
c agentrail tasks wait tsk_01JZDEMO000000000000000
c agentrail events tail --task DEMO-
c agentrail task show --
'''
    if shutil.which("bash"):
        rc, out, err, _ = sh_env(["bash", "--norc", "--noprofile", "-c", DYN_BASH], mock.base_url)
        lines = out.splitlines()
        s.check("bash: task show <TAB> completes keys from the server",
                rc == 0 and lines and sorted(lines[0].split()) == DEMO_KEYS, out + err)
        s.check("bash: task wait <TAB> completes ids", len(lines) > 1 and len(lines[1].split()) == 7
                and all(w.startswith("tsk_01JZDEMO") for w in lines[1].split()), out)
        s.check("bash: --task <TAB> completes keys", len(lines) > 2 and sorted(lines[2].split()) == DEMO_KEYS, out)
        s.check("bash: options still complete after a task command", len(lines) > 3 and "--help" in lines[3].split(), out)
        rc, out, err, took = sh_env(["bash", "--norc", "--noprofile", "-c", DYN_BASH], "http://127.0.0.1:1")
        s.check("bash: no server: no candidates, no error, fast", rc == 0 and out.splitlines()[:1] == [""]
                and err == "" and within(took, 5), (out, err, took))

    DYN_ZSH = r'''
fpath=($PWD/completions $fpath)
autoload -Uz compinit && compinit -u -D -d /dev/null
candidates=()
compadd() { candidates+=("${@[$(( ${@[(i)--]} + 1 )),-1]}") }
_describe() { local -a items; items=("${(@P)${@[-1]}}"); candidates+=("${items[@]%%:*}") }
_files() { candidates+=(FILES) }
complete() { candidates=(); words=("$@"); CURRENT=${#words}; _agentrail; print -r -- "${(j: :)${(@M)candidates:#${words[-1]}*}}" }
complete agentrail task show DEMO-
complete agentrail events tail --task DEMO-
'''
    if shutil.which("zsh"):
        rc, out, err, _ = sh_env(["zsh", "-f", "-c", DYN_ZSH], mock.base_url)
        lines = out.splitlines()
        s.check("zsh: task show <TAB> completes keys from the server",
                rc == 0 and lines and sorted(lines[0].split()) == DEMO_KEYS, out + err)
        s.check("zsh: --task <TAB> completes keys", len(lines) > 1 and sorted(lines[1].split()) == DEMO_KEYS, out + err)

    if shutil.which("fish"):
        rc, out, err, _ = sh_env(["fish", "--no-config", "-c",
                                  "source completions/agentrail.fish; complete -C'agentrail task show DEMO-'; echo ---; "
                                  "complete -C'agentrail task ci tsk_01JZDEMO0000000000000004'"], mock.base_url)
        parts = out.split("---\n")
        first = sorted(line.split("\t")[0] for line in parts[0].splitlines()) if parts else []
        s.check("fish: task show <TAB> completes keys with titles", rc == 0 and first == DEMO_KEYS
                and "Honour Retry-After" in parts[0], out + err)
        s.check("fish: an id completes with its key", len(parts) > 1 and parts[1].startswith("tsk_01JZDEMO0000000000000004\tDEMO-4"),
                out)
