#!/usr/bin/env python3
"""libcurl (and the thirty-odd libraries it brings) is loaded on the first network call only: the CLI
binary records no DT_NEEDED entry for it, commands that never touch the network (`webhook verify`,
`--help`, `completion`) run without loading it, and a network command loads it and works. libm is not
mapped at start-up either (cli/libm_functions.cpp)."""

import os
import subprocess

import pytest

s = mock = None  # bound by scenario() below
SECRET = "whsec_lazy_libcurl_test_0123456789"
T1 = "tsk_01JZDEMO0000000000000001"


@pytest.fixture(scope="module", autouse=True)
def scenario(suite):
    """The Suite of this module (tests/e2e/conftest.py) and the mocks it runs against."""
    global s, mock
    s = suite
    mock = s.mock()


def loaded_libraries(*args, mock=None, env=None):
    """Runs the CLI with LD_DEBUG=files: the dynamic loader logs every library it opens, at start-up and
    through dlopen(), on stderr."""
    extra = {"LD_DEBUG": "files"}
    extra.update(env or {})
    r = s.run(*args, mock=mock, env=extra)
    return r, [line for line in r.err.splitlines() if "file=" in line]


# ---- the binary links no libcurl and no libm ----
def test_the_binary_links_no_libcurl_and_no_libm():
    needed = subprocess.run(["readelf", "-d", s.cli], capture_output=True, text=True).stdout
    s.check("the binary does not link libcurl at start-up (no DT_NEEDED libcurl)",
            "(NEEDED)" in needed and "libcurl" not in needed, needed)
    # A sanitizer runtime links libm itself: the check means something only in a plain build.
    if not s.sanitized:
        s.check("the binary does not map libm at start-up (ceil/round built in, log10 opened on first use)",
                "libm.so" not in needed, needed)


# ---- commands without the network do not load libcurl; a network command does ----
def test_commands_without_the_network_do_not_load_libcurl():
    body_file = os.path.join(s.tmp, "body.json")
    with open(body_file, "wb") as f:
        f.write(b'{"id":"evt_1"}')
    sig = "sha256=" + subprocess.run(["openssl", "dgst", "-sha256", "-hmac", SECRET, body_file], capture_output=True,
                                     text=True, check=True).stdout.strip().split()[-1]
    r, libs = loaded_libraries("webhook", "verify", "--secret-env", "WEBHOOK_SECRET", "--signature", sig,
                               "--body-file", body_file, env={"WEBHOOK_SECRET": SECRET})
    s.check("webhook verify: valid (exit 0)", r.rc == 0, r)
    s.check("webhook verify: libcurl not loaded", not any("libcurl" in line for line in libs), "\n".join(libs))

    r, libs = loaded_libraries("--help")
    s.check("--help: exit 0", r.rc == 0, r)
    s.check("--help: libcurl not loaded", not any("libcurl" in line for line in libs), "\n".join(libs))

    r, libs = loaded_libraries("tasks", "show", T1, "-o", "json", mock=mock)
    s.check("tasks show: works through the lazily loaded libcurl", r.rc == 0 and T1 in r.out, r)
    s.check("tasks show: libcurl loaded", any("libcurl" in line for line in libs), "\n".join(libs))

    r = s.run("version", "-o", "json")
    s.check("version names libcurl's version", r.rc == 0 and "libcurl/" in r.out, r)

    mock.stop()
