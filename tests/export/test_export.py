#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Tests of xsmmu-export on the fixture tree (ctest -L export).

usage: test_export.py EXPORTER SRC_KERNEL FIXTURE CASE
Each CASE is one ctest test; it exits 0 on success, 1 with a message.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

EXPORTER, SRC, FIXTURE, CASE = sys.argv[1:5]
SIGN = "Test Dev <test@example.org>"


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def tree_copy(tmp):
    t = os.path.join(tmp, "tree")
    shutil.copytree(FIXTURE, t)
    return t


def export(tree, out, *extra):
    return subprocess.run([EXPORTER, "--kernel-tree", tree, "--out", out,
                           "--signoff", SIGN, "--comparison", os.devnull,
                           "--date", "Wed, 25 Nov 2026 12:00:00 +0000"] +
                          list(extra), capture_output=True, text=True)


def apply_all(tree, out):
    for name in sorted(os.listdir(out)):
        if name.startswith("0000"):
            continue
        r = subprocess.run(["git", "apply", "--check", os.path.join(out, name)],
                           cwd=tree, capture_output=True, text=True)
        if r.returncode:
            fail("%s does not apply: %s" % (name, r.stderr))
        subprocess.run(["git", "apply", os.path.join(out, name)], cwd=tree,
                       check=True)


def piece_body(path):
    with open(os.path.join(SRC, path), encoding="utf-8") as f:
        text = f.read()
    if text.startswith("// SPDX-License-Identifier"):
        text = text.split("\n\n", 1)[1]
    return text


def expect_error(r, *words):
    if r.returncode == 0:
        fail("the exporter succeeded where it must fail")
    for w in words:
        if w not in r.stderr:
            fail("error message lacks '%s': %s" % (w, r.stderr))


def case_applies_identical(tmp):
    tree = tree_copy(tmp)
    out = os.path.join(tmp, "series")
    r = export(tree, out)
    if r.returncode:
        fail("export failed: " + r.stderr)
    names = sorted(os.listdir(out))
    if len(names) != 6 or names[0] != "0000-cover-letter.patch":
        fail("expected a cover letter and 5 patches, got %s" % names)
    subjects = []
    for n in names[1:]:
        with open(os.path.join(out, n), encoding="utf-8") as f:
            text = f.read()
        subjects.append(re.search(r"^Subject: \[PATCH \d/5\] (.*)$", text,
                                  re.M).group(1))
        if "Signed-off-by: " + SIGN not in text:
            fail(n + ": no Signed-off-by")
    prefixes = ["iommu/vt-d:", "dma-mapping:", "iommu/dma:", "net/mlx5e:",
                "net/mlx5e:"]
    for s, p in zip(subjects, prefixes):
        if not s.startswith(p):
            fail("subject '%s' should start with %s" % (s, p))
    apply_all(tree, out)
    # Identical sources: every piece is in the patched tree byte for byte.
    with open(os.path.join(SRC, "MANIFEST.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    for e in manifest["series"]:
        for p in e["pieces"]:
            body = piece_body(p["piece"])
            if p.get("indent"):
                body = "".join((p["indent"] + l) if l.strip() else l
                               for l in body.splitlines(keepends=True))
            with open(os.path.join(tree, p["file"]), encoding="utf-8") as f:
                patched = f.read()
            if body not in patched:
                fail("%s is not byte-identical in %s" % (p["piece"], p["file"]))
    # The call sites went where they belong.
    with open(os.path.join(tree, "drivers/net/ethernet/mellanox/mlx5/core/"
                           "en_tx.c"), encoding="utf-8") as f:
        tx = f.read()
    if tx.count("mlx5e_tx_wi_defer(") != 5:   # definition + 4 calls
        fail("en_tx.c: expected 4 calls of mlx5e_tx_wi_defer()")
    # Each upstream release pair now runs only when the SQ does not batch.
    if tx.count("mlx5e_consume_skb(sq, wi->skb, cqe, napi_budget);") != 1 or \
       not re.search(r"if \(!mlx5e_tx_wi_defer\(sq, wi, &dma_fifo_cc, cqe,\n"
                     r"\s+napi_budget, &defer\)\) \{\n"
                     r"\s+mlx5e_tx_wi_dma_unmap\(sq, wi, &dma_fifo_cc\);\n"
                     r"\s+mlx5e_consume_skb\(sq, wi->skb, cqe, napi_budget\);",
                     tx):
        fail("en_tx.c: the completion lines did not move under the test")


def case_missing_anchor(tmp):
    tree = tree_copy(tmp)
    p = os.path.join(tree, "drivers/iommu/intel/iommu.c")
    with open(p) as f:
        text = f.read()
    text = text.replace("intel_flush_iotlb_all", "intel_flush_all")
    with open(p, "w") as f:
        f.write(text)
    out = os.path.join(tmp, "series")
    r = export(tree, out)
    expect_error(r, "drivers/iommu/intel/iommu.c", "intel_flush_iotlb_all",
                 "not found", "drivers/iommu/intel/iommu.c")
    if os.path.exists(out):
        fail("an output directory was written despite the error")


def case_ambiguous_anchor(tmp):
    tree = tree_copy(tmp)
    p = os.path.join(tree, "drivers/net/ethernet/mellanox/mlx5/core/en_main.c")
    with open(p) as f:
        text = f.read()
    text = text.replace("\txdp_rxq_info_unreg(&rq->xdp_rxq);\n",
                        "\txdp_rxq_info_unreg(&rq->xdp_rxq);\n"
                        "\txdp_rxq_info_unreg(&rq->xdp_rxq);\n")
    with open(p, "w") as f:
        f.write(text)
    r = export(tree, os.path.join(tmp, "series"))
    expect_error(r, "en_main.c", "mlx5e_free_rq", "ambiguous")


def case_already_applied(tmp):
    tree = tree_copy(tmp)
    out = os.path.join(tmp, "series")
    if export(tree, out).returncode:
        fail("first export failed")
    apply_all(tree, out)
    r = export(tree, os.path.join(tmp, "again"))
    expect_error(r, "already")


def case_unwritable_output(tmp):
    tree = tree_copy(tmp)
    blocker = os.path.join(tmp, "file")
    with open(blocker, "w") as f:
        f.write("x")
    r = export(tree, os.path.join(blocker, "series"))
    expect_error(r, "cannot write")
    os.makedirs(os.path.join(tmp, "busy"))
    with open(os.path.join(tmp, "busy", "notes.txt"), "w") as f:
        f.write("mine")
    r = export(tree, os.path.join(tmp, "busy"))
    expect_error(r, "refusing")
    if not os.path.exists(os.path.join(tmp, "busy", "notes.txt")):
        fail("the user's file was removed")


def case_not_515(tmp):
    tree = tree_copy(tmp)
    p = os.path.join(tree, "Makefile")
    with open(p) as f:
        text = f.read().replace("PATCHLEVEL = 15", "PATCHLEVEL = 10")
    with open(p, "w") as f:
        f.write(text)
    expect_error(export(tree, os.path.join(tmp, "s")), "not a 5.15 tree")


def case_deterministic(tmp):
    tree = tree_copy(tmp)
    a, b = os.path.join(tmp, "a"), os.path.join(tmp, "b")
    if export(tree, a).returncode or export(tree, b).returncode:
        fail("export failed")
    if sorted(os.listdir(a)) != sorted(os.listdir(b)) or not os.listdir(a):
        fail("two runs wrote different (or no) files: %s / %s" %
             (sorted(os.listdir(a)), sorted(os.listdir(b))))
    for n in sorted(os.listdir(a)):
        with open(os.path.join(a, n), "rb") as fa, \
                open(os.path.join(b, n), "rb") as fb:
            if fa.read() != fb.read():
                fail(n + " differs between two runs")


def run_exporter(tree, out, *args):
    return subprocess.run([EXPORTER, "--kernel-tree", tree, "--out", out,
                           "--signoff", SIGN] + list(args),
                          capture_output=True, text=True)


def no_traceback(r):
    if "Traceback" in r.stderr:
        fail("a Python traceback instead of a message: " + r.stderr)


def case_bad_inputs(tmp):
    """Each bad input: exit non-zero, one clear message, nothing written."""
    tree = tree_copy(tmp)
    out = os.path.join(tmp, "s")
    r = run_exporter(tree, out, "--comparison",
                     os.path.join(tmp, "no-such-file"),
                     "--date", "Wed, 25 Nov 2026 12:00:00 +0000")
    no_traceback(r)
    expect_error(r, "--comparison", "No such file")
    r = export(tree, out, "--kernel-src", os.path.join(tmp, "no-such-dir"))
    no_traceback(r)
    expect_error(r, "--kernel-src", "not a directory")
    r = run_exporter(tree, out, "--comparison", os.devnull,
                     "--date", "garbage")
    no_traceback(r)
    expect_error(r, "--date", "RFC 2822")
    if os.path.exists(out):
        fail("a failed export wrote %s" % out)


def case_date_is_normalised(tmp):
    """A date git am can parse goes into every patch in RFC 2822 form."""
    tree = tree_copy(tmp)
    out = os.path.join(tmp, "s")
    r = run_exporter(tree, out, "--comparison", os.devnull,
                     "--date", "25 Nov 2026 12:00:00 +0000")
    if r.returncode:
        fail("export failed: " + r.stderr)
    for n in sorted(os.listdir(out)):
        with open(os.path.join(out, n), encoding="utf-8") as f:
            if "\nDate: Wed, 25 Nov 2026 12:00:00 +0000\n" not in f.read():
                fail(n + ": no normalised Date: header")


def case_check_without_checkpatch(tmp):
    """--check in a tree without scripts/checkpatch.pl did not check."""
    tree = tree_copy(tmp)
    r = export(tree, os.path.join(tmp, "s"), "--check")
    no_traceback(r)
    expect_error(r, "checkpatch.pl", "not checked")


def case_diffstat_fits_80_columns(tmp):
    tree = tree_copy(tmp)
    out = os.path.join(tmp, "s")
    if export(tree, out).returncode:
        fail("export failed")
    for n in sorted(os.listdir(out)):
        with open(os.path.join(out, n), encoding="utf-8") as f:
            text = f.read()
        stat = text.split("\n---\n", 1)[-1] if not n.startswith("0000") \
            else text
        for line in stat.splitlines():
            if " | " in line and re.search(r"\| +\d+ [+-]*$", line) and \
                    len(line) > 80:
                fail("%s: diffstat line of %d columns: %s" %
                     (n, len(line), line))


CASES = {name[5:]: fn for name, fn in globals().items()
         if name.startswith("case_")}

if CASE not in CASES:
    fail("no case '%s' (cases: %s)" % (CASE, ", ".join(sorted(CASES))))
with tempfile.TemporaryDirectory() as tmp:
    CASES[CASE](tmp)
print("ok: " + CASE)
