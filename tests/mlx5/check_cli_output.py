#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""xsmmu-sim's machine-readable output, checked field by field (ctest -L cli).

usage: check_cli_output.py XSMMU_SIM CASE

CASE normal:    every mode clean but lazy, whose freed pages the IOTLB
                still maps (S2 > 0, a window > 0).
CASE malicious: the device also reads every IOVA it was given: it reaches
                freed memory in passthrough and lazy (S1 > 0), never in
                the protected modes.
CASE lazy_csv:  --mode lazy --csv: lazy's exposure (S2 > 0, a window) is
                reported but not fatal: exit status 0.
Exits 0, or 1 with every mismatch listed. The exit status of xsmmu-sim
must be 0 (a violation in a protected mode makes it 1).
"""
import csv
import io
import json
import subprocess
import sys

PACKETS = 2000
# The modes the simulator must report, and which may show violations:
# written here, not read from the program under test.
PROTECTED = ["strict", "xsmmu-seed", "xsmmu-poll", "psi-batch", "adaptive",
             "coalesce"]
UNPROTECTED = ["passthrough", "lazy"]
INVARIANTS = ["S1", "S2", "S3", "S4", "S5", "L1", "F1", "W"]

errors = []


def check(cond, msg):
    if not cond:
        errors.append(msg)


def report(what):
    for e in errors:
        print("FAIL: " + e)
    if not errors:
        print("ok: " + what)
    return 1 if errors else 0


def lazy_csv(sim):
    cmd = [sim, "--mode", "lazy", "--packets", str(PACKETS), "--csv"]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=100)
    check(r.returncode == 0, "%s exited with %d: %s" %
          (" ".join(cmd), r.returncode, r.stderr[-2000:]))
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    check(len(rows) == 1, "%d CSV rows, expected one" % len(rows))
    for row in rows:
        check(row.get("mode") == "lazy", "mode %r" % row.get("mode"))
        check(row.get("seed") == "1" and row.get("profile") == "mtu" and
              row.get("packets_asked") == str(PACKETS) and
              "inv_wait_ns=400" in row.get("params", ""),
              "CSV row does not carry the settings: %r" % row)
        for k in INVARIANTS:
            check(k in row, "no %s column" % k)
        check(int(row.get("S2") or 0) > 0, "S2 = %r, expected > 0" %
              row.get("S2"))
        check(int(row.get("exposure_window_max_ns") or 0) > 0,
              "no exposure window")
        for k in ("S3", "S4", "S5", "L1", "F1"):
            check(row.get(k) == "0", "%s = %r" % (k, row.get(k)))
    return report("lazy csv")


def main():
    sim, case = sys.argv[1:3]
    if case == "lazy_csv":
        return lazy_csv(sim)
    if case not in ("normal", "malicious"):
        print("unknown case " + case)
        return 2
    cmd = [sim, "--mode", "all", "--packets", str(PACKETS), "--channels",
           "2", "--json"]
    if case == "malicious":
        cmd.append("--malicious")
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=100)
    check(r.returncode == 0, "%s exited with %d: %s" %
          (" ".join(cmd), r.returncode, r.stderr[-2000:]))
    try:
        doc = json.loads(r.stdout)
    except ValueError as e:
        print("FAIL: output is not JSON (%s): %r" % (e, r.stdout[:500]))
        return 1
    check(isinstance(doc, dict), "output is not an object")
    if not isinstance(doc, dict):
        doc = {}
    # The settings that reproduce the run travel with it.
    st = doc.get("settings", {})
    check(st.get("seed") == 1 and st.get("packets") == PACKETS and
          st.get("channels") == 2 and st.get("profile") == "mtu" and
          st.get("malicious") == (case == "malicious"),
          "settings %r do not say what was run" % st)
    check(len(st.get("params", {})) >= 20 and
          st.get("params", {}).get("inv_wait_ns") == 400,
          "settings.params incomplete: %r" % st.get("params"))
    check(st.get("profile_keys", {}).get("tx_per_tick") == 16,
          "settings.profile_keys incomplete")
    xs = doc.get("xsmmu", {})
    check(xs.get("version") and xs.get("commit"), "no version or commit")
    check("--seed 1" in doc.get("command", ""), "no command line")
    rows = doc.get("runs")
    check(isinstance(rows, list), "no list of runs")
    if not isinstance(rows, list):
        rows = []
    seen = [row.get("mode") for row in rows]
    check(sorted(seen) == sorted(PROTECTED + UNPROTECTED),
          "modes %s, expected each of %s once" %
          (seen, PROTECTED + UNPROTECTED))
    for row in rows:
        mode = row.get("mode")
        v = row.get("violations", {})
        for k in INVARIANTS:
            check(k in v, "%s: no %s count" % (mode, k))
        for k, n in v.items():
            check(isinstance(n, int) and n >= 0,
                  "%s: %s = %r is not a count" % (mode, k, n))
        check(row.get("packets") == PACKETS,
              "%s: %r packets, asked for %d" % (mode, row.get("packets"),
                                                PACKETS))
        if mode in PROTECTED:
            for k, n in v.items():
                check(n == 0, "%s (protected): %s = %r" % (mode, k, n))
            check(row.get("exposure_window_max_ns") == 0,
                  "%s (protected): exposure window %r" %
                  (mode, row.get("exposure_window_max_ns")))
        elif mode in UNPROTECTED:
            # Exposed, but nothing leaks, no byte is wrong, no WARN.
            for k in ("S3", "S4", "S5", "L1", "F1", "W"):
                check(v.get(k) == 0, "%s: %s = %r" % (mode, k, v.get(k)))
        if case == "malicious":
            check(row.get("malicious_accesses", 0) > 0,
                  "%s: the malicious device made no access" % mode)
    by_mode = {row.get("mode"): row for row in rows}
    lazy = by_mode.get("lazy", {})
    lazy_v = lazy.get("violations", {})
    check(lazy_v.get("S2", 0) > 0, "lazy: S2 = %r, expected > 0" %
          lazy_v.get("S2"))
    check(lazy.get("exposure_window_max_ns", 0) > 0,
          "lazy: no exposure window")
    pt_v = by_mode.get("passthrough", {}).get("violations", {})
    if case == "malicious":
        check(lazy_v.get("S1", 0) > 0, "lazy: malicious S1 = %r, expected > 0"
              % lazy_v.get("S1"))
        check(pt_v.get("S1", 0) > 0,
              "passthrough: malicious S1 = %r, expected > 0" % pt_v.get("S1"))
    else:
        for k, n in pt_v.items():
            check(n == 0, "passthrough: %s = %r without a malicious device"
                  % (k, n))
    return report("%d modes, %s" % (len(rows), case))


if __name__ == "__main__":
    sys.exit(main())
