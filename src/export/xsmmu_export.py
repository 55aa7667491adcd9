#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""xsmmu-export: turn src/kernel into a patch series for a 5.15 tree.

Reads src/kernel/MANIFEST.json and splices every piece into the files of
the user's kernel tree (in memory; anchors are function, struct and
initializer names plus line patterns, never line numbers). Then, in a
scratch git repository that borrows the tree's objects (the tree and its
.git are only read), it commits the series one patch at a time and runs
`git format-patch --cover-letter --base=<commit>`, so the patches carry
index lines, function names in hunk headers and the base commit, and
fills the cover letter with src/kernel/cover-letter.txt. A missing or
ambiguous anchor, a tree that is not shaped like 5.15, or a piece
already present is an error naming the file, the anchor and the piece,
and nothing is written.

Python 3 standard library and git.
"""

import argparse
import email.utils
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap

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


def is_c(path):
    return path.endswith((".c", ".h"))


class Splicer:
    def __init__(self, kernel_src, read):
        self.src = kernel_src
        self.read = read         # path -> text of the file before the series
        self.files = {}          # path -> list of lines (current)
        self.original = {}       # path -> text before any piece
        self.placed = {}         # piece path -> (file, end line index)

    def lines(self, path):
        if path not in self.files:
            text = self.read(path)
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
        if where == "sorted-entry":
            return self.sorted_entry(name, lines, spec), 0
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
            if not is_c(p["file"]):
                return i + 1, 0
            return statement_end(lines, i) + 1, 0
        if where == "before-line":
            return i, 0
        raise ExportError("%s: unknown placement '%s'" % (name, where))

    @staticmethod
    def sorted_entry(name, lines, spec):
        """A list of entries kept in alphabetical order (the boot
        parameters of kernel-parameters.txt): `entry` matches an entry's
        first line and captures its key, `group` the entries the new one
        joins (say, every iommu.* parameter). The new entry goes before
        the first entry of the group whose key sorts after `key`, else
        before the entry that follows the group's last one."""
        entry = re.compile(spec["entry"])
        group = re.compile(spec["group"])
        key = spec["key"].lower()
        entries = [(i, entry.match(l).group(1).lower())
                   for i, l in enumerate(lines) if entry.match(l)]
        members = [k for k, (i, _) in enumerate(entries)
                   if group.search(lines[i])]
        if not members:
            raise ExportError("%s: no entry matches /%s/" %
                              (name, spec["group"]))
        for k in members:
            if entries[k][1] == key:
                raise ExportError("%s: entry '%s' is already at line %d" %
                                  (name, spec["key"], entries[k][0] + 1))
            if entries[k][1] > key:
                return entries[k][0]
        last = members[-1]
        if last + 1 < len(entries):
            return entries[last + 1][0]
        return len(lines)

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


# ---- git ------------------------------------------------------------------

def git_env(extra=None):
    """git with no user or system configuration (format.*, diff.*,
    commit.gpgsign and hooks would change the series), in the C locale."""
    env = dict(os.environ)
    for k in list(env):
        if k.startswith("GIT_") and k != "GIT_EXEC_PATH":
            del env[k]
    env.update({"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
                "LC_ALL": "C", "TZ": "UTC"})
    env.update(extra or {})
    return env


def git(cwd, *argv, env=None, input=None, what=None):
    try:
        r = subprocess.run(["git"] + list(argv), cwd=cwd, env=env or git_env(),
                           input=input, capture_output=True)
    except OSError as e:
        raise ExportError("cannot run git (%s): the exporter needs git" %
                          e.strerror)
    if r.returncode:
        raise ExportError("%s: git %s failed: %s" % (
            what or cwd, " ".join(argv[:2]),
            r.stderr.decode("utf-8", "replace").strip()))
    return r.stdout.decode("utf-8", "surrogateescape")


class Tree:
    """The user's tree, read only: a git work tree (the series is based on
    a commit, HEAD unless --base says otherwise) or a plain directory."""

    def __init__(self, path, base):
        self.path = path
        self.git_dir = None
        self.base = None
        r = subprocess.run(["git", "rev-parse", "--show-toplevel",
                            "--git-path", "objects"], cwd=path,
                           env=git_env(), capture_output=True, text=True)
        top = r.stdout.splitlines() if r.returncode == 0 else []
        if len(top) == 2 and os.path.realpath(top[0]) == os.path.realpath(path):
            self.objects = os.path.abspath(os.path.join(path, top[1]))
            rev = base or "HEAD"
            r = subprocess.run(["git", "rev-parse", "--verify", "-q",
                                rev + "^{commit}"], cwd=path, env=git_env(),
                               capture_output=True, text=True)
            if r.returncode:
                raise ExportError("--kernel-tree %s: '%s' is not a commit" %
                                  (path, rev))
            self.base = r.stdout.strip()
        elif base:
            raise ExportError("--base %s: %s is not the top of a git work "
                              "tree" % (base, path))

    def read(self, path):
        """The file as the series' base has it."""
        if self.base:
            r = subprocess.run(["git", "cat-file", "blob",
                                "%s:%s" % (self.base, path)], cwd=self.path,
                               env=git_env(), capture_output=True)
            if r.returncode:
                raise ExportError("%s: not in commit %s of %s; is it a 5.15 "
                                  "kernel tree?" % (path, self.base[:12],
                                                    self.path))
            return r.stdout.decode("utf-8", "surrogateescape")
        try:
            with open(os.path.join(self.path, path), encoding="utf-8",
                      errors="surrogateescape") as f:
                return f.read()
        except OSError as e:
            raise ExportError("%s: cannot read target file (%s); is %s a "
                              "5.15 kernel tree?" % (path, e.strerror,
                                                     self.path))

    def scratch(self, where, files, originals):
        """A scratch repository at `where` whose HEAD and index are the
        base: for a git tree, its objects are borrowed (alternates) and
        only `files` are checked out, so nothing is written to the user's
        repository and a partial object store is enough; for a plain
        tree, a base commit of `files` as they are. Returns the base."""
        git(None, "init", "-q", where, what="scratch repository")
        info = os.path.join(where, ".git", "info")
        os.makedirs(info, exist_ok=True)
        # Function names in hunk headers as the kernel's .gitattributes
        # asks, without adding that file to the scratch tree.
        with open(os.path.join(info, "attributes"), "w") as f:
            f.write("*.c diff=cpp\n*.h diff=cpp\n")
        if self.base:
            with open(os.path.join(where, ".git", "objects", "info",
                                   "alternates"), "w") as f:
                f.write(self.objects + "\n")
            git(where, "read-tree", self.base, what="scratch repository")
            git(where, "update-ref", "--no-deref", "HEAD", self.base,
                what="scratch repository")
            git(where, "checkout-index", "-f", "--", *files,
                what="scratch repository")
            return self.base
        for path in files:
            write_file(where, path, originals[path])
        git(where, "add", "--", *files, what="scratch repository")
        env = git_env(identity_env("xsmmu-export <xsmmu-export@invalid>",
                                   "Thu, 01 Jan 1970 00:00:00 +0000"))
        git(where, "commit", "-q", "--no-verify", "-m", "base", env=env,
            what="scratch repository")
        return git(where, "rev-parse", "HEAD").strip()


def write_file(root, path, text):
    full = os.path.join(root, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w", encoding="utf-8", errors="surrogateescape",
              newline="") as f:
        f.write(text)


def identity_env(who, date):
    name, mail = email.utils.parseaddr(who)
    env = {"GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": mail,
           "GIT_COMMITTER_NAME": name, "GIT_COMMITTER_EMAIL": mail}
    if date:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date
    return env


# ---- the series -----------------------------------------------------------

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


def check_subject(subject):
    """Subsystem style: 'prefix: Capitalised summary' (a summary may also
    start with an identifier such as a function name)."""
    m = re.match(r"^([A-Za-z0-9_.,/+-]+): (\S+)", subject)
    if not m:
        raise ExportError("subject '%s': expected 'subsystem: Summary'" %
                          subject)
    word = m.group(2)
    if not (word[0].isupper() or "_" in word or word.endswith("()")):
        raise ExportError("subject '%s': the summary after '%s:' starts with "
                          "a capital letter in the iommu and netdev trees" %
                          (subject, m.group(1)))


# The modes of xsmmu-sim the cover letter shows, and how a reader of the
# cover letter knows them.
MODES = [
    ("passthrough", "no translation (iommu=pt)"),
    ("strict", "strict (iommu.strict=1)"),
    ("lazy", "lazy (flush queue, the default)"),
    ("xsmmu-poll", "this series, domain flush"),
    ("psi-batch", "this series, ranges"),
    ("adaptive", "this series, adaptive"),
]
SIM_ARGS = ["--packets", "50000", "--channels", "4", "--seed", "1"]


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
    r = subprocess.run([sim] + SIM_ARGS + ["--json"], capture_output=True,
                       text=True)
    p = subprocess.run([sim, "--list-profiles"], capture_output=True, text=True)
    try:
        runs = {x["mode"]: x for x in json.loads(r.stdout)["runs"]}
        profile = [l for l in p.stdout.splitlines()
                   if l.startswith("profile mtu:")][0]
    except (ValueError, IndexError, KeyError, TypeError):
        return "(xsmmu-sim failed: no comparison)\n"
    out = ["%-32s %7s %7s %8s %7s\n" % ("", "waits", "CPU ns", "unsafe",
                                        "window"),
           "%-32s %7s %7s %8s %7s\n" % ("", "/packet", "/packet", "frees",
                                        "(us)")]
    for mode, label in MODES:
        x = runs.get(mode)
        if not x:
            continue
        unsafe = sum(v for k, v in x["violations"].items() if k != "W")
        out.append("%-32s %7.3f %7.0f %8d %7.0f\n" % (
            label, x["invalidation_waits"] / max(1, x["packets"]),
            x["cpu_ns_per_packet"], unsafe,
            x["exposure_window_max_ns"] / 1000.0))
    workload = profile.split(":", 1)[1].strip()
    out.append("\n" + textwrap.fill("""How these figures were obtained: they are output of a model, not
measurements. The patches' own C code was compiled against userspace
stand-ins for the kernel and run in a discrete-event model of a VT-d unit
(queued invalidation, IOTLB, paging-structure caches) and of mlx5e TX
completion and RX page handling, with `xsmmu-sim %s` on
one workload: %s; 4 channels on 4 CPUs share one IOMMU domain. CPU time
is modelled time: driver work is assumed at 250 ns per packet, and one
invalidation round trip (submit, wait for completion) at 680 ns, a
figure checked only against one published dmar_perf_latency histogram.
"waits" counts those round trips; "unsafe frees" counts the times the
model's checker saw a page freed, or an IOVA handed out again, while the
device could still reach it, plus leaks and any other breach of the
rules listed above; "window" is the longest time a freed page stayed
reachable. For lazy mode both are its known exposure, by design. No
hardware figures are offered.""" % (" ".join(SIM_ARGS), workload),
                                     width=72, break_on_hyphens=False) + "\n")
    return "".join(out)


def read_cover(src):
    path = os.path.join(src, "cover-letter.txt")
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        raise ExportError("--kernel-src %s: cover-letter.txt: %s" %
                          (src, e.strerror))
    subject, _, body = text.partition("\n\n")
    if "\n" in subject.strip() or "%COMPARISON%" not in body:
        raise ExportError("%s: expected a one-line subject, a blank line, and "
                          "a body holding %COMPARISON%" % path)
    return subject.strip(), body


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


class Series:
    """What export() made: the patches (name, text), the base commit (None
    for a plain tree), the tree the last patch leaves, the files it
    touches and their text before the series."""

    def __init__(self, patches, base, final_tree, originals):
        self.patches = patches
        self.base = base
        self.final_tree = final_tree
        self.originals = originals


def export(args, workdir):
    src = os.path.abspath(args.kernel_src)
    path = os.path.abspath(args.kernel_tree)
    if not os.path.isdir(path):
        raise ExportError("--kernel-tree %s: not a directory" % path)
    tree = Tree(path, args.base)
    try:
        head = tree.read("Makefile")[:400]
    except ExportError:
        raise ExportError("%s: no top-level Makefile: not a kernel tree" % path)
    ver = re.search(r"^VERSION = (\d+)\s*$", head, re.M)
    plv = re.search(r"^PATCHLEVEL = (\d+)\s*$", head, re.M)
    if not ver or not plv or (ver.group(1), plv.group(1)) != ("5", "15"):
        if not args.any_version:
            raise ExportError("%s: not a 5.15 tree (Makefile says %s.%s); "
                              "--any-version to try anyway" %
                              (path, ver.group(1) if ver else "?",
                               plv.group(1) if plv else "?"))
    manifest = read_manifest(src)
    series = manifest["series"]
    for entry in series:
        check_subject(entry["subject"])
    cover_subject, cover_body = read_cover(src)
    author = identity(args)
    date = mail_date(args.date)
    if not date and os.environ.get("SOURCE_DATE_EPOCH"):
        try:
            date = email.utils.formatdate(int(os.environ["SOURCE_DATE_EPOCH"]))
        except ValueError:
            raise ExportError("SOURCE_DATE_EPOCH=%r is not a number of seconds"
                              % os.environ["SOURCE_DATE_EPOCH"])
    comparison = comparison_text(args)

    # Every piece placed in memory first: an anchor that fails stops the
    # export before anything is committed or written.
    sp = Splicer(src, tree.read)
    steps = []
    for entry in series:
        touched = []
        for p in entry["pieces"]:
            sp.lines(p["file"])
            if p["file"] not in touched:
                touched.append(p["file"])
            sp.place(p)
        steps.append((entry, {f: "".join(sp.files[f]) for f in touched}))
    files = sorted(sp.original)

    repo = os.path.join(workdir, "series")
    base = tree.scratch(repo, files, sp.original)
    env = git_env(identity_env(author, date))
    for entry, contents in steps:
        for f, text in contents.items():
            write_file(repo, f, text)
        git(repo, "add", "--", *contents, env=env)
        msg = "%s\n\n%s\n\nSigned-off-by: %s\n" % (
            entry["subject"], entry["body"].strip("\n"), author)
        git(repo, "commit", "-q", "--no-verify", "--cleanup=verbatim",
            "-F", "-", env=env, input=msg.encode("utf-8"))
    out = os.path.join(workdir, "out")
    fp = ["-c", "core.abbrev=12", "format-patch", "-q", "--cover-letter",
          "--no-renames", "--signature", VERSION, "-o", out]
    if tree.base:
        fp.append("--base=" + base)
    git(repo, *fp, base + "..HEAD", env=env)
    patches = []
    for name in sorted(os.listdir(out)):
        with open(os.path.join(out, name), encoding="utf-8",
                  errors="surrogateescape") as f:
            text = f.read()
        if name.startswith("0000-"):
            text = fill_cover(text, cover_subject,
                              cover_body.replace("%COMPARISON%",
                                                 comparison.rstrip("\n")),
                              date)
        patches.append((name, text))
    final_tree = git(repo, "rev-parse", "HEAD^{tree}").strip()
    return Series(patches, tree.base, final_tree, sp.original)


def fill_cover(text, subject, body, date):
    if "*** SUBJECT HERE ***" not in text or "*** BLURB HERE ***" not in text:
        raise ExportError("git format-patch wrote a cover letter without its "
                          "placeholders")
    text = text.replace("*** SUBJECT HERE ***", subject, 1)
    text = text.replace("*** BLURB HERE ***", body.strip("\n"), 1)
    if date:
        # git dates the cover letter now; the series' date keeps the
        # output reproducible.
        text = re.sub(r"^Date: .*$", "Date: " + date, text, count=1,
                      flags=re.M)
    return text


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
                      errors="surrogateescape", newline="") as f:
                f.write(text)
        if os.path.isdir(out):
            shutil.rmtree(out)
        os.rename(tmp, out)
    except OSError as e:
        shutil.rmtree(tmp, ignore_errors=True)
        raise ExportError("--out %s: %s" % (out, e.strerror))
    return out


def check(args, series, out, workdir):
    """checkpatch --strict on every patch, then `git am -3` of the whole
    series onto a fresh scratch repository of the base, which must end at
    the tree the export made. Returns the number of problems."""
    problems = 0
    path = os.path.abspath(args.kernel_tree)
    names = [n for n, _ in series.patches if not n.startswith("0000-")]
    cp = os.path.join(path, "scripts", "checkpatch.pl")
    if not os.path.exists(cp):
        print("xsmmu-export: error: --check: %s has no scripts/checkpatch.pl, "
              "so the series was not checked" % path, file=sys.stderr)
        problems += 1
    else:
        for name in names:
            r = subprocess.run(["perl", cp, "--strict", "--no-tree",
                                os.path.join(out, name)], capture_output=True,
                               text=True, cwd=path)
            summary = [l for l in r.stdout.splitlines()
                       if l.startswith("total:")]
            print("%s: checkpatch %s" % (name, summary[0] if summary else "?"))
            if r.returncode:
                problems += 1
                print(r.stdout, file=sys.stderr)
    tree = Tree(path, args.base)
    repo = os.path.join(workdir, "am")
    tree.scratch(repo, sorted(series.originals), series.originals)
    env = git_env(identity_env("xsmmu-export check <check@invalid>",
                               "Thu, 01 Jan 1970 00:00:00 +0000"))
    r = subprocess.run(["git", "am", "-3", "-q"] +
                       [os.path.join(out, n) for n in names], cwd=repo,
                       env=env, capture_output=True, text=True)
    if r.returncode:
        print("xsmmu-export: error: --check: git am -3 of the series failed:"
              "\n%s%s" % (r.stdout, r.stderr), file=sys.stderr)
        return problems + 1
    got = git(repo, "rev-parse", "HEAD^{tree}").strip()
    if got != series.final_tree:
        print("xsmmu-export: error: --check: git am -3 gives tree %s, the "
              "export made %s" % (got, series.final_tree), file=sys.stderr)
        return problems + 1
    print("git am -3: %d patches applied onto %s, same tree as exported" %
          (len(names), series.base[:12] if series.base else
           "a scratch copy of the touched files"))
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
    ap.add_argument("--base", help="the commit of --kernel-tree to base the "
                    "series on (default: HEAD)")
    ap.add_argument("--kernel-src", default=default_src,
                    help="the project's src/kernel (default: %(default)s)")
    ap.add_argument("--signoff", help="'Name <mail>' (default: git's identity)")
    ap.add_argument("--date", help="date of every patch (default: "
                    "$SOURCE_DATE_EPOCH, else now)")
    ap.add_argument("--comparison", help="text for the cover letter's "
                    "comparison (default: run xsmmu-sim)")
    ap.add_argument("--check", action="store_true",
                    help="checkpatch --strict every patch and git am -3 the "
                    "series onto a scratch copy of the base")
    ap.add_argument("--any-version", action="store_true",
                    help="do not insist on a 5.15 Makefile")
    args = ap.parse_args(argv)
    workdir = tempfile.mkdtemp(prefix="xsmmu-export-")
    try:
        try:
            series = export(args, workdir)
            out = write_out(args.out, series.patches)
        except ExportError as e:
            print("xsmmu-export: error: %s" % e, file=sys.stderr)
            return 1
        if not series.base:
            print("xsmmu-export: note: %s is not a git work tree: the series "
                  "has no base-commit" % os.path.abspath(args.kernel_tree),
                  file=sys.stderr)
        for name, _ in series.patches:
            print(os.path.join(out, name))
        if args.check:
            try:
                if check(args, series, out, workdir):
                    return 1
            except ExportError as e:
                print("xsmmu-export: error: --check: %s" % e, file=sys.stderr)
                return 1
        return 0
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
