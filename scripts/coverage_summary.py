#!/usr/bin/env python3
"""Summary of make coverage (scripts/coverage.sh).

  coverage_summary.py OUTDIR FUZZING_MD   prints summary.json; writes
                                          OUTDIR/fuzz_missed.txt (lines
                                          and branches of src/kernel the
                                          fuzzer missed, exceptions aside)
  coverage_summary.py --table SUMMARY     prints it as a table

summary.json: {"files": {"src/kernel/<path>": {"fuzz": {"lines": %,
"branches": %}, "sim": {...}, "unit": {...}}}, "exceptions":
{"src/kernel/<path>:<line>": "<reason>"}}, percentages from 0 to 100.
The exceptions are the rows of the table under "## Coverage exceptions"
in docs/fuzzing.md: | `src/kernel/<path>:<line>` | <reason> |.
"""
import json
import re
import sys

RUNS = ("fuzz", "sim", "unit")


def percent(covered, total):
    return round(100.0 * covered / total, 2) if total else 100.0


def exceptions(md_path):
    out = {}
    in_section = False
    row = re.compile(r"^\|\s*`(src/kernel/[^`:]+:\d+)`\s*\|\s*(.+?)\s*\|\s*$")
    with open(md_path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("## "):
                in_section = line.strip() == "## Coverage exceptions"
                continue
            m = row.match(line) if in_section else None
            if m:
                out[m.group(1)] = m.group(2)
    return out


def per_file(run_json):
    """filename -> (lines covered, lines, branches covered, branches,
    missed line numbers, line numbers with a missed branch)"""
    with open(run_json, encoding="utf-8") as f:
        data = json.load(f)
    files = {}
    for fe in data["files"]:
        name = fe["file"]
        lc = lt = bc = bt = 0
        missed, bmissed = [], []
        for ln in fe["lines"]:
            if ln.get("gcovr/noncode"):
                continue
            lt += 1
            if ln["count"] > 0:
                lc += 1
            else:
                missed.append(ln["line_number"])
            for br in ln.get("branches", []):
                bt += 1
                if br["count"] > 0:
                    bc += 1
                elif ln["line_number"] not in bmissed:
                    bmissed.append(ln["line_number"])
        old = files.get(name)
        if old:  # the same file seen twice: keep the union
            lc, lt = max(lc, old[0]), max(lt, old[1])
            bc, bt = max(bc, old[2]), max(bt, old[3])
        files[name] = (lc, lt, bc, bt, missed, bmissed)
    return files


def summarize(outdir, md_path):
    exc = exceptions(md_path)
    runs = {r: per_file(f"{outdir}/{r}.json") for r in RUNS}
    names = sorted(set().union(*[set(v) for v in runs.values()]))
    summary = {"files": {}, "exceptions": exc}
    missed_lines = []
    for name in names:
        entry = {}
        for r in RUNS:
            lc, lt, bc, bt, missed, bmissed = runs[r].get(
                name, (0, 0, 0, 0, [], []))
            entry[r] = {"lines": percent(lc, lt),
                        "branches": percent(bc, bt)}
            if r == "fuzz":
                for n in missed:
                    if f"{name}:{n}" not in exc:
                        missed_lines.append(f"{name}:{n} line")
                for n in bmissed:
                    if f"{name}:{n}" not in exc:
                        missed_lines.append(f"{name}:{n} branch")
        summary["files"][name] = entry
    with open(f"{outdir}/fuzz_missed.txt", "w", encoding="utf-8") as f:
        f.write("".join(m + "\n" for m in missed_lines))
    json.dump(summary, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")


def table(summary_path):
    with open(summary_path, encoding="utf-8") as f:
        s = json.load(f)
    print(f"{'file':<72} " + " ".join(f"{r + ' l/b':>13}" for r in RUNS))
    for name, e in s["files"].items():
        cells = " ".join(f"{e[r]['lines']:6.1f}/{e[r]['branches']:5.1f}"
                         for r in RUNS)
        print(f"{name:<72} {cells}")
    print(f"{len(s['exceptions'])} exceptions listed in docs/fuzzing.md")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--table":
        table(sys.argv[2])
    elif len(sys.argv) == 3:
        summarize(sys.argv[1], sys.argv[2])
    else:
        sys.stderr.write(__doc__)
        sys.exit(2)
