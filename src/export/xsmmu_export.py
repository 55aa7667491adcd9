#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""xsmmu-export: turn src/kernel into a patch series for a 5.15 tree.

Reads src/kernel/MANIFEST.json, splices every piece into the user's kernel
tree (in memory), and writes a `git format-patch` style series: one patch
per logical change, a cover letter, Signed-off-by. Anchors are function,
struct and initializer names plus line patterns, never line numbers. A
missing or ambiguous anchor, a tree that is not shaped like 5.15, or a
piece already present is an error naming the file, the anchor and the
piece, and nothing is written.

Python 3 standard library only.
"""

import argparse
import difflib
import email.utils
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

VERSION = "xsmmu-export 1"


class ExportError(Exception):
    pass


# ---- C source scanning -------------------------------------------------

def strip_code(line):
    """The line without string literals and comments (rough, enough for
    brace counting in kernel code)."""
    line = re.sub(r'"(\\.|[^"\\])*"', '""', line)
    line = re.sub(r"'(\\.|[^'\\])*'", "''", line)
    line = re.sub(r"/\*.*?\*/", "", line)
    line = re.sub(r"//.*", "", line)
    return line


def block_end(lines, start):
    """Index of the line closing the brace block that opens at or after
    line `start`."""
    depth = 0
    opened = False
    in_comment = False
    for i in range(start, len(lines)):
        text = lines[i]
        if in_comment:
            if "*/" not in text:
                continue
            text = text[text.index("*/") + 2:]
            in_comment = False
        code = strip_code(text)
        if "/*" in code:
            code = code[:code.index("/*")]
            in_comment = True
        for ch in code:
            if ch == "{":
                depth += 1
                opened = True
            elif ch == "}":
                depth -= 1
                if opened and depth == 0:
                    return i
    return None


def find_scopes(lines, name):
    """Definitions of `name` at file level: a function with a body, a
    struct definition ("struct foo"), or an initialized variable. Returns
    a list of (first_line, last_line)."""
    found = []
    if name.startswith("struct "):
        head = re.compile(r"^" + re.escape(name) + r"\s*\{")
        for i, l in enumerate(lines):
            if head.match(l):
                end = block_end(lines, i)
                if end is not None:
                    found.append((i, end))
        return found
    func = re.compile(r"^[A-Za-z_].*\b" + re.escape(name) + r"\s*\(")
    init = re.compile(r"^[A-Za-z_].*\b" + re.escape(name) + r"\s*(\[\])?\s*=\s*\{")
    for i, l in enumerate(lines):
        if init.match(l):
            end = block_end(lines, i)
            if end is not None:
                found.append((i, end))
            continue
        if not func.match(l) or l.rstrip().endswith(";"):
            continue
        # A definition: the body's '{' comes before any ';'.
        j = i
        body = None
        while j < len(lines) and j < i + 12:
            code = strip_code(lines[j])
            if ";" in code and "{" not in code:
                break
            if "{" in code:
                body = j
                break
            j += 1
        if body is None:
            continue
        end = block_end(lines, body)
        if end is not None:
            found.append((i, end))
    return found


def statement_end(lines, i):
    """The last line of the statement or declaration starting at line i."""
    depth = 0
    for j in range(i, len(lines)):
        code = strip_code(lines[j]).rstrip()
        depth += code.count("(") - code.count(")")
        if depth <= 0 and (code.endswith((";", ",", "{", "}", ":")) or
                           code == ""):
            return j
    return i


# ---- pieces --------------------------------------------------------------

def describe(p):
    where = p.get("where")
    bits = ["%s %s" % (where, p.get("scope") or "(file)")]
    if "pattern" in p:
        bits.append("/%s/" % p["pattern"])
    if "lines" in p:
        bits.append(" + ".join("/%s/" % x for x in p["lines"]))
    return ", ".join(bits)


def piece_signature(text):
    """The piece's first line of real code: what tells that it is there."""
    for l in text.splitlines():
        s = l.strip()
        if not s or s.startswith(("/*", "*", "//")):
            continue
        return s
    return None


class Splicer:
    def __init__(self, kernel_src, tree):
        self.src = kernel_src
        self.tree = tree
        self.files = {}          # path -> list of lines (current)
        self.original = {}       # path -> text before any piece
        self.placed = {}         # piece path -> (file, end line index)

    def lines(self, path):
        if path not in self.files:
            full = os.path.join(self.tree, path)
            try:
                with open(full, encoding="utf-8", errors="surrogateescape") as f:
                    text = f.read()
            except OSError as e:
                raise ExportError("%s: cannot read target file (%s); is %s a "
                                  "5.15 kernel tree?" % (path, e.strerror,
                                                         self.tree))
            self.original[path] = text
            self.files[path] = text.splitlines(keepends=True)
        return self.files[path]

    def piece_text(self, piece):
        full = os.path.join(self.src, piece)
        try:
            with open(full, encoding="utf-8") as f:
                text = f.read()
        except OSError as e:
            raise ExportError("piece %s: %s" % (piece, e.strerror))
        # A .c piece starts with its licence and placement header, which
        # belong to this repository, not to the kernel file: up to the
        # first blank line.
        if text.startswith("// SPDX-License-Identifier"):
            if "\n\n" not in text:
                raise ExportError("piece %s: no blank line after its header"
                                  % piece)
            text = text.split("\n\n", 1)[1]
        return text

    def locate(self, p, lines, spec):
        """Returns the insertion index (lines inserted before it) and, for
        replacements, how many lines go."""
        where = p["where"]
        scope = p.get("scope", "")
        name = "%s in %s (%s)" % (p["piece"], p["file"], describe(dict(p, **spec)))
        if where == "after-piece":
            if scope not in self.placed:
                raise ExportError("%s: piece %s is not placed before it" %
                                  (name, scope))
            return self.placed[scope][1] + 1, 0
        if scope:
            scopes = find_scopes(lines, scope)
            if not scopes:
                raise ExportError("%s: anchor '%s' not found" % (name, scope))
            if len(scopes) > 1 and ("pattern" in spec or "lines" in spec):
                # Alternative definitions (#ifdef branches): the one that
                # holds the line pattern is meant.
                key = re.compile(spec.get("pattern") or spec["lines"][0])
                scopes = [(a, z) for a, z in scopes
                          if any(key.search(l) for l in lines[a:z + 1])]
            if len(scopes) != 1:
                raise ExportError("%s: anchor '%s' is %s (%d "
                                  "definitions, lines %s)" %
                                  (name, scope,
                                   "ambiguous" if scopes else "not found",
                                   len(scopes),
                                   ", ".join(str(a + 1) for a, _ in scopes)))
            first, last = scopes[0]
        else:
            first, last = 0, len(lines) - 1
        if where in ("after-function", "after-struct"):
            at = last + 1
            # An export belongs to its function: insert after it.
            if at < len(lines) and re.match(
                    r"^EXPORT_SYMBOL(_GPL)?\(" + re.escape(scope) + r"\);",
                    lines[at]):
                at += 1
            return at, 0
        if where == "before-end":
            return last, 0
        if where == "replace-lines":
            pats = [re.compile(x) for x in spec["lines"]]
            hits = []
            for i in range(first, last + 1 - len(pats) + 1):
                if all(pats[k].search(lines[i + k]) for k in range(len(pats))):
                    hits.append(i)
            return self.unique(name, hits), len(pats)
        pat = re.compile(spec["pattern"])
        start = first
        if spec.get("after"):
            after = re.compile(spec["after"])
            starts = [i for i in range(first, last + 1)
                      if after.search(lines[i])]
            start = self.unique(name + " [after /%s/]" % spec["after"],
                                starts)
        hits = [i for i in range(start, last + 1) if pat.search(lines[i])]
        if spec.get("after"):
            hits = hits[:1]
        i = self.unique(name, hits)
        if where == "after-line":
            return statement_end(lines, i) + 1, 0
        if where == "before-line":
            return i, 0
        raise ExportError("%s: unknown placement '%s'" % (name, where))

    @staticmethod
    def unique(name, hits):
        if not hits:
            raise ExportError("%s: anchor not found" % name)
        if len(hits) > 1:
            raise ExportError("%s: anchor is ambiguous (lines %s)" %
                              (name, ", ".join(str(h + 1) for h in hits)))
        return hits[0]

    def place(self, p):
        lines = self.lines(p["file"])
        text = self.piece_text(p["piece"])
        sig = piece_signature(text)
        if sig and sig in self.original[p["file"]] and \
                p["piece"] not in self.placed:
            raise ExportError("%s: piece %s is already in the tree ('%s'): "
                              "was the series applied already?" %
                              (p["file"], p["piece"], sig))
        specs = p.get("anchors") or [p]
        errors = []
        for spec in specs:
            try:
                at, drop = self.locate(p, lines, spec)
                break
            except ExportError as e:
                errors.append(str(e))
        else:
            raise ExportError("; ".join(errors))
        body = text.splitlines(keepends=True)
        # A new file-level block gets a blank line before it.
        if p["where"] in ("after-function", "after-struct") and \
                body and body[0].strip():
            body = ["\n"] + body
        if p.get("indent"):
            body = [(p["indent"] + l) if l.strip() else l for l in body]
        lines[at:at + drop] = body
        self.placed[p["piece"]] = (p["file"], at + len(body) - 1)


# ---- the series -----------------------------------------------------------

def diffstat(changes):
    rows = []
    total_add = total_del = 0
    for path, old, new in changes:
        add = dele = 0
        for l in difflib.unified_diff(old, new, n=0):
            if l.startswith("+") and not l.startswith("+++"):
                add += 1
            elif l.startswith("-") and not l.startswith("---"):
                dele += 1
        rows.append((path, add, dele))
        total_add += add
        total_del += dele
    width = max(len(r[0]) for r in rows)
    most = max(add + dele for _, add, dele in rows)
    # As git does: the bars share what an 80-column line leaves, scaled
    # to the largest change (each non-empty side at least one mark).
    room = max(10, 79 - (width + 9))
    out = []
    for path, add, dele in rows:
        if most > room:
            plus = (add * room + most - 1) // most if add else 0
            minus = (dele * room + most - 1) // most if dele else 0
        else:
            plus, minus = add, dele
        out.append(" %-*s | %4d %s%s\n" % (width, path, add + dele,
                                             "+" * plus, "-" * minus))
    out.append(" %d file%s changed, %d insertion%s(+), %d deletion%s(-)\n" %
               (len(rows), "" if len(rows) == 1 else "s",
                total_add, "" if total_add == 1 else "s",
                total_del, "" if total_del == 1 else "s"))
    return "".join(out)


def unified(path, old, new):
    out = ["diff --git a/%s b/%s\n" % (path, path)]
    for l in difflib.unified_diff(old, new, "a/" + path, "b/" + path, n=3):
        out.append(l if l.endswith("\n") else l + "\n\\ No newline at end of file\n")
    return "".join(out)


def slug(subject):
    s = re.sub(r"[^A-Za-z0-9]+", "-", subject).strip("-")
    return s[:52].rstrip("-")


def identity(args):
    if args.signoff:
        name, mail = email.utils.parseaddr(args.signoff)
        if not name or "@" not in mail:
            raise ExportError("--signoff must look like 'Name <mail@host>'")
        return "%s <%s>" % (name, mail)
    try:
        name = subprocess.run(["git", "config", "user.name"], cwd=args.kernel_tree,
                              capture_output=True, text=True).stdout.strip()
        mail = subprocess.run(["git", "config", "user.email"], cwd=args.kernel_tree,
                              capture_output=True, text=True).stdout.strip()
    except OSError:
        name = mail = ""
    if not name or not mail:
        raise ExportError("no identity for Signed-off-by: pass --signoff "
                          "'Name <mail>' or set git's user.name and user.email")
    return "%s <%s>" % (name, mail)


def header(author, date, n, total, subject):
    h = "From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001\n"
    h += "From: %s\n" % author
    if date:
        h += "Date: %s\n" % date
    num = "%d/%d" % (n, total)
    h += "Subject: [PATCH %s] %s\n\n" % (num, subject)
    return h


def comparison_text(args):
    if args.comparison:
        try:
            with open(args.comparison, encoding="utf-8") as f:
                return f.read()
        except OSError as e:
            raise ExportError("--comparison %s: %s" % (args.comparison,
                                                        e.strerror))
        except UnicodeDecodeError:
            raise ExportError("--comparison %s: not UTF-8 text" %
                              args.comparison)
    sim = os.path.join(os.path.dirname(os.path.abspath(__file__)), "xsmmu-sim")
    if not os.access(sim, os.X_OK):
        return "(xsmmu-sim not found next to the exporter: no comparison)\n"
    r = subprocess.run([sim, "--packets", "50000", "--channels", "4",
                        "--json"], capture_output=True, text=True)
    try:
        doc = json.loads(r.stdout)
        runs = doc["runs"]
    except (ValueError, KeyError, TypeError):
        return "(xsmmu-sim failed: no comparison)\n"
    out = ["%s (xsmmu %s, commit %s)\n" % (
        doc.get("command", "xsmmu-sim"),
        doc.get("xsmmu", {}).get("version", "?"),
        doc.get("xsmmu", {}).get("commit", "?")),
        "mode          inv. waits  waits/pkt  CPU ns/pkt  violations (S1..S5 L1 F1)  max exposure\n"]
    for x in runs:
        v = x["violations"]
        out.append("%-12s %10d %10.3f %11.1f  %-25s  %d ns\n" % (
            x["mode"], x["invalidation_waits"],
            x["invalidation_waits"] / max(1, x["packets"]),
            x["cpu_ns_per_packet"],
            " ".join(str(v[k]) for k in ("S1", "S2", "S3", "S4", "S5", "L1", "F1")),
            x["exposure_window_max_ns"]))
    return "".join(out)


COVER = """\
This series lets a driver unmap a batch of DMA buffers and invalidate the
IOTLB once for the whole batch, always before the memory is freed or
reused. Today a 5.15 user of an Intel IOMMU chooses between strict mode
(one invalidation round trip per unmap) and the lazy flush queue (fast,
but a device can still reach freed memory until the queue is flushed,
up to 10 ms later). This is the third option.

  dma_unmap_page_no_sync(dev, ...)     x N   page tables cleared; IOVA and
                                             page-table pages held
  dma_sync_device_iotlb(dev)                 one domain invalidation on
                                             every unit, wait, release
  free / recycle the buffers                 only now

The sync reuses the domain flush the flush queue already uses
(device-TLBs, first-level domains, register-based invalidation
included). Held IOVAs cannot be handed out before the invalidation that
covers them, and freed page-table pages are released only after it.
Where no-sync unmaps cannot be deferred (dma-direct, passthrough, other
IOMMUs, iommu.xsmmu unset, untrusted devices) the calls are the ordinary
synchronous unmap. mlx5e uses it for TX completions (one sync per
completion poll) and RX page release (one sync per poll, only for pages
leaving the RX cache).

Safety argument: a buffer is freed only after a sync has returned, and a
sync returns only after the hardware has reported completion of an
invalidation that started after the buffer's unmap. The orderings a
fuzzer and the simulator's workloads drive were checked against a VT-d
model by an oracle that checks, on every event, that no device access
reaches a freed or reassigned page,
that no page is freed or IOVA reused while translatable, that no
page-table page is freed while cached, that syncs return only after
completion, and that nothing leaks.

Modelled comparison (xsmmu-sim, default mlx5 traffic; lazy's violations
are its known exposure window):

%s
Boot with iommu.xsmmu=1 to enable. With it, DMA domains that batch keep
their ordinary unmaps strict.

"""


def read_manifest(src):
    path = os.path.join(src, "MANIFEST.json")
    if not os.path.isdir(src):
        raise ExportError("--kernel-src %s: not a directory" % src)
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except OSError as e:
        raise ExportError("--kernel-src %s: %s: %s" % (src, "MANIFEST.json",
                                                        e.strerror))
    except ValueError as e:
        raise ExportError("%s: not valid JSON (%s)" % (path, e))


def mail_date(text):
    """An RFC 2822 date for the Date: header, or None; git am needs one it
    can parse, so anything else is refused here."""
    if not text:
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        parsed = None
    if parsed is None:
        raise ExportError("--date %r is not an RFC 2822 date (e.g. 'Wed, 25 "
                          "Nov 2026 12:00:00 +0000')" % text)
    return email.utils.format_datetime(parsed)


def export(args):
    src = os.path.abspath(args.kernel_src)
    tree = os.path.abspath(args.kernel_tree)
    if not os.path.isdir(tree):
        raise ExportError("--kernel-tree %s: not a directory" % tree)
    mk = os.path.join(tree, "Makefile")
    try:
        with open(mk, encoding="utf-8", errors="replace") as f:
            head = f.read(400)
    except OSError:
        raise ExportError("%s: no top-level Makefile: not a kernel tree" % tree)
    ver = re.search(r"^VERSION = (\d+)\s*$", head, re.M)
    plv = re.search(r"^PATCHLEVEL = (\d+)\s*$", head, re.M)
    if not ver or not plv or (ver.group(1), plv.group(1)) != ("5", "15"):
        if not args.any_version:
            raise ExportError("%s: not a 5.15 tree (Makefile says %s.%s); "
                              "--any-version to try anyway" %
                              (tree, ver.group(1) if ver else "?",
                               plv.group(1) if plv else "?"))
    manifest = read_manifest(src)
    author = identity(args)
    date = mail_date(args.date)
    if not date and os.environ.get("SOURCE_DATE_EPOCH"):
        try:
            date = email.utils.formatdate(int(os.environ["SOURCE_DATE_EPOCH"]))
        except ValueError:
            raise ExportError("SOURCE_DATE_EPOCH=%r is not a number of seconds"
                              % os.environ["SOURCE_DATE_EPOCH"])

    sp = Splicer(src, tree)
    patches = []
    series = manifest["series"]
    for n, entry in enumerate(series, 1):
        before = {}
        for p in entry["pieces"]:
            lines = sp.lines(p["file"])
            before.setdefault(p["file"], list(lines))
            sp.place(p)
        changes = [(path, before[path], sp.files[path]) for path in before]
        body = entry["body"].rstrip("\n") + "\n\n"
        body += "Signed-off-by: %s\n---\n" % author
        body += diffstat(changes) + "\n"
        body += "".join(unified(path, old, new) for path, old, new in changes)
        body += "-- \n%s\n\n" % VERSION
        name = "%04d-%s.patch" % (n, slug(entry["subject"]))
        patches.append((name, header(author, date, n, len(series),
                                     entry["subject"]) + body))
    all_changes = [(path, sp.original[path].splitlines(keepends=True),
                    sp.files[path]) for path in sp.files]
    cover = header(author, date, 0, len(series),
                   "batched DMA unmap: one IOTLB sync per batch, before the free")
    cover += COVER % comparison_text(args).rstrip("\n")
    for name, text in patches:
        cover += "  %s\n" % text.split("Subject: ", 1)[1].split("\n", 1)[0]
    cover += "\n" + diffstat(all_changes) + "\n-- \n%s\n\n" % VERSION
    patches.insert(0, ("0000-cover-letter.patch", cover))
    return patches


def write_out(out, patches):
    out = os.path.abspath(out)
    parent = os.path.dirname(out)
    if os.path.exists(out) and not os.path.isdir(out):
        raise ExportError("--out %s exists and is not a directory" % out)
    if os.path.isdir(out) and any(not f.endswith(".patch")
                                  for f in os.listdir(out)):
        raise ExportError("--out %s holds files other than patches; "
                          "refusing to replace it" % out)
    try:
        tmp = tempfile.mkdtemp(prefix=".xsmmu-export-", dir=parent)
    except OSError as e:
        raise ExportError("--out %s: cannot write there (%s)" % (out, e.strerror))
    try:
        for name, text in patches:
            with open(os.path.join(tmp, name), "w", encoding="utf-8",
                      errors="surrogateescape") as f:
                f.write(text)
        if os.path.isdir(out):
            shutil.rmtree(out)
        os.rename(tmp, out)
    except OSError as e:
        shutil.rmtree(tmp, ignore_errors=True)
        raise ExportError("--out %s: %s" % (out, e.strerror))
    return out


def check(tree, out, files):
    """git apply on a scratch copy of the touched files, then the tree's
    checkpatch on each patch. Returns the number of problems."""
    problems = 0
    scratch = tempfile.mkdtemp(prefix="xsmmu-check-")
    try:
        for path in files:
            os.makedirs(os.path.join(scratch, os.path.dirname(path)), exist_ok=True)
            shutil.copy(os.path.join(tree, path), os.path.join(scratch, path))
        for name in sorted(os.listdir(out)):
            if name.startswith("0000"):
                continue
            patch = os.path.join(out, name)
            r = subprocess.run(["git", "apply", "--check", patch], cwd=scratch,
                               capture_output=True, text=True)
            if r.returncode:
                print("%s: git apply --check failed:\n%s" % (name, r.stderr),
                      file=sys.stderr)
                problems += 1
                break
            subprocess.run(["git", "apply", patch], cwd=scratch, check=True,
                           capture_output=True)
            print("%s: applies" % name)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    cp = os.path.join(tree, "scripts", "checkpatch.pl")
    if not os.path.exists(cp):
        print("xsmmu-export: error: --check: %s has no scripts/checkpatch.pl, "
              "so the series was not checked" % tree, file=sys.stderr)
        return problems + 1
    for name in sorted(os.listdir(out)):
        if name.startswith("0000"):
            continue
        r = subprocess.run(["perl", cp, "--strict", "--no-tree",
                            os.path.join(out, name)], capture_output=True,
                           text=True, cwd=tree)
        summary = [l for l in r.stdout.splitlines() if l.startswith("total:")]
        print("%s: checkpatch %s" % (name, summary[0] if summary else "?"))
        if r.returncode:
            problems += 1
            print(r.stdout, file=sys.stderr)
    return problems


def main(argv=None):
    here = os.path.dirname(os.path.abspath(__file__))
    # The build installs this script with the source tree's path filled in.
    configured = "@XSMMU_KERNEL_SRC@"
    default_src = os.environ.get("XSMMU_KERNEL_SRC") or \
        (configured if not configured.startswith("@") else
         os.path.join(here, "..", "kernel"))
    ap = argparse.ArgumentParser(
        prog="xsmmu-export",
        description="Export src/kernel as a patch series for a Linux 5.15 tree.")
    ap.add_argument("--kernel-tree", required=True,
                    help="the 5.15 tree to patch (read only)")
    ap.add_argument("--out", required=True, help="directory for the series")
    ap.add_argument("--kernel-src", default=default_src,
                    help="the project's src/kernel (default: %(default)s)")
    ap.add_argument("--signoff", help="'Name <mail>' (default: git's identity)")
    ap.add_argument("--date", help="Date: header (default: $SOURCE_DATE_EPOCH, "
                    "else none)")
    ap.add_argument("--comparison", help="text for the cover letter's "
                    "comparison (default: run xsmmu-sim)")
    ap.add_argument("--check", action="store_true",
                    help="git apply --check the series and run checkpatch")
    ap.add_argument("--any-version", action="store_true",
                    help="do not insist on a 5.15 Makefile")
    args = ap.parse_args(argv)
    try:
        patches = export(args)
        out = write_out(args.out, patches)
    except ExportError as e:
        print("xsmmu-export: error: %s" % e, file=sys.stderr)
        return 1
    for name, _ in patches:
        print(os.path.join(out, name))
    if args.check:
        manifest = read_manifest(os.path.abspath(args.kernel_src))
        files = sorted({p["file"] for e in manifest["series"]
                        for p in e["pieces"]})
        if check(os.path.abspath(args.kernel_tree), out, files):
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
