#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Tests of scripts/kernel-check's own logic (ctest -L kernel-check).

usage: test_kernel_check.py SCRIPT LOGDIR CASE
No kernel tree and no QEMU: the config fragment, the argument handling
and the console parser on console logs captured from real boots (LOGDIR).
Each CASE is one ctest test; it exits 0 on success, 1 with a message.
"""
import os
import re
import subprocess
import sys
import tempfile

SCRIPT, LOGDIR, CASE = sys.argv[1:4]


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def kc(*args):
    return subprocess.run([sys.executable, SCRIPT] + list(args),
                          capture_output=True, text=True, timeout=60)


def log_text(mode):
    with open(os.path.join(LOGDIR, "console-%s.log" % mode)) as f:
        return f.read()


def parse(text, mode):
    """Run the script's parser on text; return (exit status, stdout)."""
    with tempfile.NamedTemporaryFile("w", suffix=".log", delete=False) as f:
        f.write(text)
    try:
        r = kc("--parse-log", f.name, "--mode", mode)
    finally:
        os.unlink(f.name)
    if r.returncode not in (0, 1):
        fail("--parse-log exited %d: %s" % (r.returncode, r.stderr))
    return r.returncode, r.stdout


def expect_verdict(text, mode, want_ok, why, problem=None):
    rc, out = parse(text, mode)
    if (rc == 0) != want_ok or (out.split()[1:2] != ["PASS" if want_ok else "FAIL"]):
        fail("%s: expected %s, got status %d:\n%s" % (why, "PASS" if want_ok else "FAIL",
                                                      rc, out))
    if problem and problem not in out:
        fail("%s: the report does not say %r:\n%s" % (why, problem, out))
    return out


def case_fragment_ok():
    r = kc("--check-fragment")
    if r.returncode != 0 or "required ones set" not in r.stdout:
        fail("the project's fragment was refused: %s%s" % (r.stdout, r.stderr))


def case_fragment_bad():
    with tempfile.TemporaryDirectory() as tmp:
        frag = os.path.join(tmp, "frag.config")
        here = os.path.join(os.path.dirname(SCRIPT), "..", "kernel-test", "xsmmu-check.config")
        with open(here) as f:
            good = f.read()
        cases = [
            (good.replace("CONFIG_INTEL_IOMMU=y\n", ""), "CONFIG_INTEL_IOMMU"),
            (good + "CONFIG_PCI=y\n", "set twice"),
            (good + "CONFIG_FOO=maybe\n", "not a config line"),
        ]
        for text, want in cases:
            with open(frag, "w") as f:
                f.write(text)
            r = kc("--check-fragment", frag)
            if r.returncode != 1 or want not in r.stderr:
                fail("fragment with %r: status %d, stderr %r" % (want, r.returncode, r.stderr))
        # a .config that lost a symbol of the fragment (a missing dependency)
        dot = os.path.join(tmp, ".config")
        with open(dot, "w") as f:
            f.write(re.sub(r"^CONFIG_IRQ_REMAP=y$", "# CONFIG_IRQ_REMAP is not set",
                           good, flags=re.M))
        r = kc("--check-fragment", "--dot-config", dot)
        if r.returncode != 1 or "CONFIG_IRQ_REMAP=y (got n)" not in r.stderr:
            fail("a .config without IRQ_REMAP passed: %d %r" % (r.returncode, r.stderr))
        with open(dot, "w") as f:
            f.write(good)
        r = kc("--check-fragment", "--dot-config", dot)
        if r.returncode != 0:
            fail("a .config with every symbol was refused: %r" % r.stderr)


def case_arguments():
    for args, want in [(["--bogus"], "unrecognized arguments"),
                       ([], "--kernel-tree is required"),
                       (["--kernel-tree", "/tmp", "--modes", "off,warp"], "unknown mode warp"),
                       (["--parse-log", "x.log"], "--parse-log needs --mode"),
                       (["--kernel-tree", "/tmp", "--jobs", "0"], "--jobs must be"),
                       (["--kernel-tree", "/tmp", "--config", "NET=y"], "not CONFIG_NAME=value")]:
        r = kc(*args)
        if r.returncode != 2 or "usage:" not in r.stderr or want not in r.stderr:
            fail("%s: status %d, stderr %r" % (args, r.returncode, r.stderr))


def case_missing_tree():
    with tempfile.TemporaryDirectory() as tmp:
        gone = os.path.join(tmp, "no-such-tree")
        r = kc("--kernel-tree", gone, "--out", os.path.join(tmp, "out"))
        if r.returncode != 1 or "no such directory" not in r.stderr or gone not in r.stderr:
            fail("missing tree: status %d, stderr %r" % (r.returncode, r.stderr))
        with open(os.path.join(tmp, "Makefile"), "w") as f:
            f.write("VERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 0\n")
        r = kc("--kernel-tree", tmp, "--out", os.path.join(tmp, "out"))
        if r.returncode != 1 or "not a 5.15 tree" not in r.stderr:
            fail("6.1 tree: status %d, stderr %r" % (r.returncode, r.stderr))
        r = kc("--parse-log", gone, "--mode", "domain")
        if r.returncode != 1 or "No such file" not in r.stderr:
            fail("missing log: status %d, stderr %r" % (r.returncode, r.stderr))


def case_mutant_edit():
    """--mutant refuses an edit it cannot apply exactly once, by name."""
    with tempfile.TemporaryDirectory() as tmp:
        with open(os.path.join(tmp, "Makefile"), "w") as f:
            f.write("VERSION = 5\nPATCHLEVEL = 15\nSUBLEVEL = 100\n")
        edit = os.path.join(tmp, "m.edit")
        for text, want in [("file: kernel/dma/mapping.c\n", "not a mutant edit"),
                           ("file: kernel/dma/mapping.c\n@@ old\nno such text\n"
                            "@@ new\nx\n@@ end\n", "occurs 0 times"),
                           ("file: kernel/dma/nothing.c\n@@ old\nx\n@@ new\ny\n@@ end\n",
                            "kernel/dma/nothing.c")]:
            with open(edit, "w") as f:
                f.write(text)
            r = kc("--kernel-tree", tmp, "--out", os.path.join(tmp, "out"),
                   "--export-bin", "/bin/true", "--mutant", edit)
            if r.returncode != 1 or want not in r.stderr:
                fail("edit %r: status %d, stderr %r" % (text, r.returncode, r.stderr))


def case_parse_captured():
    """Every captured log passes in its own mode, with its figures."""
    modes = sorted(f[len("console-"):-len(".log")] for f in os.listdir(LOGDIR)
                   if f.startswith("console-") and f.endswith(".log"))
    if not modes:
        fail("no captured console log in %s" % LOGDIR)
    for mode in modes:
        out = expect_verdict(log_text(mode), mode, True, "captured %s" % mode)
        if "after-sync DMAs refused 1/1" not in out:
            fail("captured %s: the fault after the sync is not paired:\n%s" % (mode, out))


def case_parse_damaged():
    """The parser fails a log when any of the evidence is missing or wrong."""
    text = log_text("domain")
    fault = re.compile(r"^.*DMAR: \[DMA Write.*fault addr.*\n", re.M)
    if not fault.search(text):
        fail("the captured domain log has no DMAR fault line")
    expect_verdict(fault.sub("", text), "domain", False, "no DMAR fault",
                   "no DMAR fault logged")
    # a fault at another page does not count for the DMA after the sync
    moved = re.sub(r"(fault addr (?:0x)?)([0-9a-f]+)",
                   lambda m: m.group(1) + "%x" % (int(m.group(2), 16) + 0x100000), text)
    expect_verdict(moved, "domain", False, "fault at another address",
                   "no DMAR fault logged")
    expect_verdict(text.replace("xsmmu-check: PASS", "xsmmu-check: FAIL", 1), "domain",
                   False, "a FAIL line", "module: FAIL")
    cut = text[:text.index("xsmmu-check: DONE")]
    expect_verdict(cut, "domain", False, "truncated log", "did not finish")
    expect_verdict(text.replace("xsmmu-check: END", ""), "domain", False, "no END",
                   "init did not finish")
    # the strict run's module expected strict: judged as a batched mode it fails
    expect_verdict(log_text("strict"), "domain", False, "wrong mode", "expects expect=batched")
    warn = text.replace("xsmmu-check: DONE",
                        "WARNING: CPU: 0 PID: 1 at drivers/iommu/dma-iommu.c:1 x\n"
                        "[    9.0] xsmmu-check: DONE", 1)
    expect_verdict(warn, "domain", False, "a kernel WARN", "kernel reported")
    left = re.sub(r"translations-after leaves=\d+", "translations-after leaves=7", text)
    expect_verdict(left, "domain", False, "translations left", "translations left")
    nodone = re.sub(r"DONE passed=(\d+)", lambda m: "DONE passed=%d" % (int(m.group(1)) + 1),
                    text)
    expect_verdict(nodone, "domain", False, "DONE count mismatch", "does not match")


CASES = {n[len("case_"):]: f for n, f in globals().items() if n.startswith("case_")}

if __name__ == "__main__":
    if CASE not in CASES:
        fail("unknown case %s" % CASE)
    CASES[CASE]()
    print("ok " + CASE)
