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


GIT_ENV = dict(os.environ, GIT_CONFIG_NOSYSTEM="1",
               GIT_CONFIG_GLOBAL=os.devnull, GIT_AUTHOR_NAME="Fixture",
               GIT_AUTHOR_EMAIL="fixture@example.org",
               GIT_COMMITTER_NAME="Fixture",
               GIT_COMMITTER_EMAIL="fixture@example.org",
               GIT_AUTHOR_DATE="@0 +0000", GIT_COMMITTER_DATE="@0 +0000")


def git(tree, *argv):
    r = subprocess.run(["git"] + list(argv), cwd=tree, env=GIT_ENV,
                       capture_output=True, text=True)
    if r.returncode:
        fail("git %s: %s" % (" ".join(argv), r.stderr))
    return r.stdout


def plain_copy(tmp):
    """The fixture as a plain directory (an unpacked tarball)."""
    t = os.path.join(tmp, "tree")
    shutil.copytree(FIXTURE, t)
    return t


def tree_copy(tmp):
    """The fixture as a git work tree with one commit, as a kernel
    developer's tree is."""
    t = plain_copy(tmp)
    git(t, "init", "-q")
    git(t, "add", "-A")
    git(t, "commit", "-q", "-m", "fixture")
    return t


def edit(tree, path, old, new):
    """Change a file of the tree and commit it: the exporter reads the
    base commit."""
    p = os.path.join(tree, path)
    with open(p) as f:
        text = f.read()
    if old not in text:
        fail("fixture %s has no '%s'" % (path, old))
    with open(p, "w") as f:
        f.write(text.replace(old, new))
    if os.path.isdir(os.path.join(tree, ".git")):
        git(tree, "commit", "-q", "-a", "-m", "edit " + path)


def fake_checkpatch(tree, verdict=0):
    """scripts/checkpatch.pl that passes (or fails) every patch."""
    os.makedirs(os.path.join(tree, "scripts"), exist_ok=True)
    with open(os.path.join(tree, "scripts", "checkpatch.pl"), "w") as f:
        f.write('print "total: %d errors, 0 warnings, 0 checks\\n";\n'
                'exit %d;\n' % (verdict, verdict))
    if os.path.isdir(os.path.join(tree, ".git")):
        git(tree, "add", "scripts")
        git(tree, "commit", "-q", "-m", "checkpatch")


def patches(out):
    texts = {}
    for n in sorted(os.listdir(out)):
        with open(os.path.join(out, n), encoding="utf-8") as f:
            texts[n] = f.read()
    return texts


def export(tree, out, *extra):
    return subprocess.run([EXPORTER, "--kernel-tree", tree, "--out", out,
                           "--signoff", SIGN, "--comparison", os.devnull,
                           "--date", "Wed, 25 Nov 2026 12:00:00 +0000"] +
                          list(extra), capture_output=True, text=True)


def apply_all(tree, out):
    """git am -3 the series, as a maintainer would."""
    names = [os.path.join(out, n) for n in sorted(os.listdir(out))
             if not n.startswith("0000")]
    r = subprocess.run(["git", "am", "-3"] + names, cwd=tree, env=GIT_ENV,
                       capture_output=True, text=True)
    if r.returncode:
        fail("git am -3 of the series failed: %s%s" % (r.stdout, r.stderr))


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
        # A long subject is folded onto a second header line.
        head = text.split("\n\n", 1)[0].replace("\n ", " ")
        subjects.append(re.search(r"^Subject: \[PATCH \d/5\] (.*)$", head,
                                  re.M).group(1))
        if "Signed-off-by: " + SIGN not in text:
            fail(n + ": no Signed-off-by")
    with open(os.path.join(SRC, "MANIFEST.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    want = [e["subject"] for e in manifest["series"]]
    if subjects != want:
        fail("subjects %s, the manifest says %s" % (subjects, want))
    prefixes = ("iommu/vt-d:", "iommu/dma:", "dma-mapping:", "net/mlx5e:")
    for s in subjects:
        if not s.startswith(prefixes):
            fail("subject '%s' has none of the prefixes %s" % (s, prefixes))
    apply_all(tree, out)
    # Identical sources: every piece is in the patched tree byte for byte.
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
    edit(tree, "drivers/iommu/intel/iommu.c", "intel_flush_iotlb_all",
         "intel_flush_all")
    out = os.path.join(tmp, "series")
    r = export(tree, out)
    expect_error(r, "drivers/iommu/intel/iommu.c", "intel_flush_iotlb_all",
                 "not found", "drivers/iommu/intel/iommu.c")
    if os.path.exists(out):
        fail("an output directory was written despite the error")


def case_ambiguous_anchor(tmp):
    tree = tree_copy(tmp)
    edit(tree, "drivers/net/ethernet/mellanox/mlx5/core/en_main.c",
         "\txdp_rxq_info_unreg(&rq->xdp_rxq);\n",
         "\txdp_rxq_info_unreg(&rq->xdp_rxq);\n"
         "\txdp_rxq_info_unreg(&rq->xdp_rxq);\n")
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
    edit(tree, "Makefile", "PATCHLEVEL = 15", "PATCHLEVEL = 10")
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


def case_format_patch(tmp):
    """What git format-patch gives a maintainer: index lines for git am
    -3, function names in hunk headers, the base commit, and the cover
    letter's placeholders filled."""
    tree = tree_copy(tmp)
    head = git(tree, "rev-parse", "HEAD").strip()
    out = os.path.join(tmp, "s")
    r = export(tree, out)
    if r.returncode:
        fail("export failed: " + r.stderr)
    texts = patches(out)
    cover = texts["0000-cover-letter.patch"]
    if "\nbase-commit: %s\n" % head not in cover:
        fail("the cover letter does not name base-commit %s" % head)
    for bad in ("*** SUBJECT HERE ***", "*** BLURB HERE ***"):
        if bad in cover:
            fail("cover letter keeps git's placeholder " + bad)
    with open(os.path.join(SRC, "cover-letter.txt"), encoding="utf-8") as f:
        subject = f.readline().strip()
    if "Subject: [PATCH 0/5] " + subject not in cover.replace("\n ", " "):
        fail("cover letter subject is not '%s'" % subject)
    for n, text in texts.items():
        if n.startswith("0000"):
            continue
        if not re.search(r"^index [0-9a-f]{12}\.\.[0-9a-f]{12} 100644$",
                         text, re.M):
            fail(n + ": no index line")
        for m in re.finditer(r"^diff --git a/(\S+)", text, re.M):
            if m.group(1).endswith(".c") and not re.search(
                    r"^@@ [^@]+ @@ \S", text[m.end():], re.M):
                fail("%s: %s: hunk headers without function names" %
                     (n, m.group(1)))
    if not re.search(r"^@@ [^@]+ @@ static void intel_flush_iotlb_all\(",
                     texts[sorted(texts)[1]], re.M):
        fail("patch 1's hunk does not name intel_flush_iotlb_all()")
    # A label above the change: git's default would name the label.
    if not re.search(r"^@@ [^@]+ @@ static int mlx5e_alloc_rq\(",
                     texts[sorted(texts)[5]], re.M):
        fail("patch 5's en_main.c hunk does not name mlx5e_alloc_rq()")


def case_cover_letter_method(tmp):
    """The comparison comes from xsmmu-sim with its method stated and in
    words a reader can decode."""
    tree = tree_copy(tmp)
    out = os.path.join(tmp, "s")
    r = subprocess.run([EXPORTER, "--kernel-tree", tree, "--out", out,
                        "--signoff", SIGN, "--date",
                        "Wed, 25 Nov 2026 12:00:00 +0000"],
                       capture_output=True, text=True)
    if r.returncode:
        fail("export failed: " + r.stderr)
    cover = patches(out)["0000-cover-letter.patch"]
    for want in ("strict (iommu.strict=1)", "lazy (flush queue",
                 "this series, domain flush", "not\nmeasurements",
                 "xsmmu-sim --packets 50000"):
        if want not in cover:
            fail("cover letter lacks '%s'" % want)
    for code in ("xsmmu-seed", "xsmmu-poll", "psi-batch", "S1", "S5",
                 "F1", "%COMPARISON%"):
        if code in cover:
            fail("cover letter shows the simulator's code '%s'" % code)
    rows = re.findall(r"^(strict|this series, domain flush)\s.*?"
                      r"(\d+)\s+(\d+)\s+(\d+)$", cover, re.M)
    if len(rows) != 2:
        fail("cover letter table rows not found: %s" % rows)
    for label, cpu, unsafe, window in rows:
        if unsafe != "0" or window != "0":
            fail("%s: unsafe frees %s, window %s in the model" %
                 (label, unsafe, window))
    for line in cover.split("\n---\n")[0].splitlines():
        if len(line) > 80 and not line.startswith("Subject:"):
            fail("cover letter line of %d columns: %s" % (len(line), line))


def snapshot(root):
    """Every file under root with its size, time and contents."""
    seen = {}
    for d, _, files in os.walk(root):
        for n in files:
            p = os.path.join(d, n)
            st = os.lstat(p)
            with open(p, "rb") as f:
                seen[os.path.relpath(p, root)] = (st.st_size, st.st_mtime_ns,
                                                  f.read())
    return seen


def case_tree_untouched(tmp):
    """The user's tree, its .git included, is the same byte for byte after
    an export with --check, and no scratch directory is left behind."""
    tree = tree_copy(tmp)
    fake_checkpatch(tree)
    scratch = os.path.join(tmp, "tmpdir")
    os.makedirs(scratch)
    before = snapshot(tree)
    r = subprocess.run([EXPORTER, "--kernel-tree", tree, "--out",
                        os.path.join(tmp, "s"), "--signoff", SIGN,
                        "--comparison", os.devnull, "--check"],
                       capture_output=True, text=True,
                       env=dict(os.environ, TMPDIR=scratch))
    if r.returncode:
        fail("export --check failed: %s%s" % (r.stdout, r.stderr))
    if "git am -3: 5 patches applied" not in r.stdout:
        fail("--check did not report git am -3: " + r.stdout)
    after = snapshot(tree)
    changed = sorted(k for k in set(before) | set(after)
                     if before.get(k) != after.get(k))
    if changed:
        fail("the export changed the user's tree: %s" % changed[:10])
    if os.listdir(scratch):
        fail("scratch left behind: %s" % os.listdir(scratch))
    # And after a failure.
    r = subprocess.run([EXPORTER, "--kernel-tree", tree, "--out",
                        os.path.join(tmp, "s2"), "--signoff", SIGN,
                        "--date", "garbage"], capture_output=True, text=True,
                       env=dict(os.environ, TMPDIR=scratch))
    if r.returncode == 0 or os.listdir(scratch):
        fail("a failed export left %s" % os.listdir(scratch))


def case_check_fails_on_checkpatch(tmp):
    """--check fails when checkpatch fails a patch."""
    tree = tree_copy(tmp)
    fake_checkpatch(tree, verdict=1)
    r = export(tree, os.path.join(tmp, "s"), "--check")
    no_traceback(r)
    if r.returncode == 0:
        fail("--check passed with a failing checkpatch")


def case_plain_tree(tmp):
    """A tree that is not a git work tree (a tarball) still exports, with
    a note that there is no base-commit, and --check still runs git am
    -3 on a scratch copy."""
    tree = plain_copy(tmp)
    fake_checkpatch(tree)
    out = os.path.join(tmp, "s")
    r = export(tree, out, "--check")
    if r.returncode:
        fail("export of a plain tree failed: %s%s" % (r.stdout, r.stderr))
    if "no base-commit" not in r.stderr:
        fail("no note about the missing base-commit: " + r.stderr)
    if "base-commit:" in patches(out)["0000-cover-letter.patch"]:
        fail("a base-commit for a tree that has none")
    if "git am -3: 5 patches applied" not in r.stdout:
        fail("--check did not run git am -3: " + r.stdout)


def case_subject_style(tmp):
    """A subject that is not in subsystem style stops the export."""
    src = os.path.join(tmp, "kernel")
    shutil.copytree(SRC, src)
    with open(os.path.join(src, "MANIFEST.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    subject = manifest["series"][0]["subject"]
    prefix, summary = subject.split(": ", 1)
    manifest["series"][0]["subject"] = "%s: %s" % (
        prefix, summary[0].lower() + summary[1:])
    with open(os.path.join(src, "MANIFEST.json"), "w",
              encoding="utf-8") as f:
        json.dump(manifest, f)
    tree = tree_copy(tmp)
    out = os.path.join(tmp, "s")
    r = export(tree, out, "--kernel-src", src)
    no_traceback(r)
    expect_error(r, manifest["series"][0]["subject"], "capital letter")
    if os.path.exists(out):
        fail("a refused export wrote %s" % out)


def param_order(tree):
    with open(os.path.join(tree, "Documentation/admin-guide/"
                           "kernel-parameters.txt"), encoding="utf-8") as f:
        return re.findall(r"^\t([^\s=\[]+)=?", f.read(), re.M)


def case_sorted_entry(tmp):
    """The boot parameters go into kernel-parameters.txt in their
    alphabetical place within the iommu.* group: after the group when
    every entry sorts before them, else before the first that sorts
    after."""
    tree = tree_copy(tmp)
    out = os.path.join(tmp, "s")
    if export(tree, out).returncode:
        fail("export failed")
    apply_all(tree, out)
    names = param_order(tree)
    want = ["iommu.passthrough", "iommu.xsmmu", "iommu.xsmmu_coalesce",
            "iommu.xsmmu_max_ranges", "io7"]
    at = names.index("iommu.passthrough")
    if names[at:at + len(want)] != want:
        fail("parameters in the order %s" % names)
    with open(os.path.join(tree, "Documentation/core-api/dma-api.rst"),
              encoding="utf-8") as f:
        rst = f.read()
    if not rst.index("Part Id - ") < rst.index("Part Ie - ") < \
            rst.index("Part II - "):
        fail("dma-api.rst: the new part is not between Id and II")
    tree2 = os.path.join(tmp, "t2")
    shutil.copytree(FIXTURE, tree2)
    edit(tree2, "Documentation/admin-guide/kernel-parameters.txt",
         "\tio7=", "\tiommu.zone=\t[X86] Sorts after xsmmu.\n\n\tio7=")
    out2 = os.path.join(tmp, "s2")
    r = export(tree2, out2)
    if r.returncode:
        fail("export failed: " + r.stderr)
    for n in sorted(os.listdir(out2))[1:]:
        subprocess.run(["git", "apply", os.path.join(out2, n)], cwd=tree2,
                       check=True)
    names = param_order(tree2)
    if names.index("iommu.xsmmu_max_ranges") + 1 != names.index("iommu.zone")\
            or names.index("iommu.xsmmu") != \
            names.index("iommu.passthrough") + 1:
        fail("parameters in the order %s" % names)


def case_am_three_way(tmp):
    """The tree moved after the export (a context line of a hunk changed):
    plain git am refuses, git am -3 merges through the index lines."""
    tree = tree_copy(tmp)
    out = os.path.join(tmp, "s")
    if export(tree, out).returncode:
        fail("export failed")
    names = [os.path.join(out, n) for n in sorted(os.listdir(out))
             if not n.startswith("0000")]
    # The first context line of a hunk (three lines above the change, so
    # the merge is clean), in a file no earlier patch touched.
    seen, moved = set(), None
    for n in names:
        with open(n, encoding="utf-8") as f:
            diff = f.read()
        for part in re.split(r"^diff --git a/", diff, flags=re.M)[1:]:
            path = part.split(" ", 1)[0]
            if path in seen or not path.endswith(".c"):
                seen.add(path)
                continue
            seen.add(path)
            with open(os.path.join(tree, path), encoding="utf-8") as f:
                base = f.read().splitlines()
            for hunk in re.split(r"^@@ .*$", part, flags=re.M)[1:]:
                body = hunk.split("\n")[1:4]
                line = body[0][1:]
                if all(l.startswith(" ") for l in body) and \
                        len(line.strip()) > 3 and base.count(line) == 1:
                    moved = (path, line)
                    break
            if moved:
                break
        if moved:
            break
    if not moved:
        fail("no hunk with a context line to move")
    edit(tree, moved[0], moved[1] + "\n", moved[1] + " /* moved */\n")
    r = subprocess.run(["git", "am"] + names, cwd=tree, env=GIT_ENV,
                       capture_output=True, text=True)
    if r.returncode == 0:
        fail("plain git am applied a patch whose context changed: the test "
             "does not reach the three-way fallback")
    git(tree, "am", "--abort")
    apply_all(tree, out)
    with open(os.path.join(tree, moved[0]), encoding="utf-8") as f:
        text = f.read()
    if moved[1] + " /* moved */\n" not in text:
        fail("git am -3 lost the tree's change to %s" % moved[0])


def case_bad_base(tmp):
    tree = tree_copy(tmp)
    out = os.path.join(tmp, "s")
    r = export(tree, out, "--base", "no-such-ref")
    no_traceback(r)
    expect_error(r, "no-such-ref", "not a commit")
    r = export(plain_copy(os.path.join(tmp, "p")), out, "--base", "HEAD")
    no_traceback(r)
    expect_error(r, "--base", "not the top of a git work tree")
    if os.path.exists(out):
        fail("a refused export wrote %s" % out)


CASES = {name[5:]: fn for name, fn in globals().items()
         if name.startswith("case_")}

if CASE not in CASES:
    fail("no case '%s' (cases: %s)" % (CASE, ", ".join(sorted(CASES))))
with tempfile.TemporaryDirectory() as tmp:
    CASES[CASE](tmp)
print("ok: " + CASE)
