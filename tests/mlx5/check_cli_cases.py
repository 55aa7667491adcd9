#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""xsmmu-sim's behaviour case by case (ctest -L cli), each able to fail.

usage: check_cli_cases.py XSMMU_SIM CASE

replay:          a --json result replayed matches itself (exit 0, every
                 figure matches), also after Python's json module wrote
                 it again (its floats as the shortest decimals); the
                 same file with a count and a fractional figure changed
                 does not (exit 1, both named, no other figure differs).
replay_settings: a result run with --set, --param and a seed replays
                 with exactly those (the command it carries too).
trace:           --trace writes a header (version, commit, command), one
                 section per mode with its seed, named fields, invariants
                 by key, and says when the ring dropped events.
close_midway:    every packet completes without a close; with a channel
                 closed midway, completed + dropped = asked (TX and RX).
octal:           --packets 010 runs ten packets (decimal), as 10 does.
threads:         --threads prints no CPU figure, and says why.
verdict:         under the table, each protected mode safe, lazy unsafe
                 by design with its S2 count, the best safe mode the one
                 with the least CPU, lazy's window, and a legend line for
                 every column and code.
Exits 0, or 1 with every mismatch listed.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

errors = []


def check(cond, msg):
    if not cond:
        errors.append(msg)


def run(cmd):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=100)


def replay(sim, tmp):
    path = os.path.join(tmp, "run.json")
    r = run([sim, "--packets", "2000", "--channels", "2", "--json"])
    check(r.returncode == 0, "--json exited %d: %s" % (r.returncode,
                                                       r.stderr[-500:]))
    with open(path, "w") as f:
        f.write(r.stdout)
    r = run([sim, "--replay", path])
    check(r.returncode == 0, "replay exited %d: %s" % (r.returncode,
                                                       r.stderr[-500:]))
    check("every figure of the 8 modes matches" in r.stderr,
          "replay did not say its figures match: %r" % r.stderr[-500:])
    doc = json.loads(open(path).read())
    with open(path, "w") as f:
        json.dump(doc, f)
    r = run([sim, "--replay", path])
    check(r.returncode == 0 and "every figure of the 8 modes matches" in
          r.stderr, "replay of the file as Python wrote it: exit %d: %r" %
          (r.returncode, r.stderr[-500:]))
    lazy = [x for x in doc["runs"] if x["mode"] == "lazy"][0]
    lazy["invalidation_waits"] += 1
    strict = [x for x in doc["runs"] if x["mode"] == "strict"][0]
    check(isinstance(strict["cpu_ns_per_packet"], float),
          "cpu_ns_per_packet is not a float: %r" %
          strict["cpu_ns_per_packet"])
    strict["cpu_ns_per_packet"] += 0.001
    # The cost model's figures are compared too, the steady window's
    # members one by one.
    strict["steady"]["waits_per_packet"] += 0.5
    strict["bound"] = "device"
    with open(path, "w") as f:
        json.dump(doc, f)
    r = run([sim, "--replay", path])
    check(r.returncode == 1, "tampered replay exited %d, expected 1" %
          r.returncode)
    check(re.search(r"lazy: invalidation_waits recorded \d+, now \d+",
                    r.stderr), "tampered figure not named: %r" %
          r.stderr[-500:])
    check(re.search(r"strict: cpu_ns_per_packet recorded [0-9.]+, now "
                    r"[0-9.]+", r.stderr),
          "tampered fractional figure not named: %r" % r.stderr[-500:])
    check(re.search(r"strict: steady\.waits_per_packet recorded [0-9.]+, "
                    r"now 1\.0", r.stderr),
          "tampered steady figure not named: %r" % r.stderr[-500:])
    check(re.search(r'strict: bound recorded "device", now "cpu"',
                    r.stderr),
          "tampered bound not named: %r" % r.stderr[-500:])
    check(": 4 figures differ" in r.stderr,
          "not exactly the 4 tampered figures differ: %r" %
          r.stderr[-500:])


def replay_settings(sim, tmp):
    path = os.path.join(tmp, "run.json")
    cmd = [sim, "--mode", "psi-batch", "--profile", "mixed", "--set",
           "tx_len=3000", "--param", "inv_wait_ns=900", "--seed", "7",
           "--packets", "1500", "--channels", "3", "--json"]
    r = run(cmd)
    check(r.returncode == 0, "run exited %d" % r.returncode)
    with open(path, "w") as f:
        f.write(r.stdout)
    doc = json.loads(r.stdout)
    st = doc["settings"]
    check(st["seed"] == 7 and st["channels"] == 3 and
          st["profile"] == "mixed" and st["mode"] == "psi-batch" and
          st["params"]["inv_wait_ns"] == 900 and
          st["profile_keys"]["tx_len_min"] == 3000 and
          st["profile_keys"]["tx_len_max"] == 3000,
          "settings do not say what ran: %r" % st)
    check(all(w in doc["command"] for w in
              ("--mode psi-batch", "--profile mixed", "--seed 7",
               "--param inv_wait_ns=900", "--set tx_len_min=3000")),
          "command %r" % doc["command"])
    r = run([sim, "--replay", path, "--json"])
    check(r.returncode == 0, "replay exited %d: %s" % (r.returncode,
                                                       r.stderr[-500:]))
    again = json.loads(r.stdout)
    check(again["settings"] == st, "replayed settings differ")
    # The printed command runs the same figures too.
    words = doc["command"].split()[1:] + ["--json"]
    r = run([sim] + words)
    runs = json.loads(r.stdout)["runs"]
    for a, b in zip(runs, doc["runs"]):
        a.pop("sim_packets_per_second")
        b.pop("sim_packets_per_second")
        check(a == b, "the printed command ran other figures")


def trace(sim, tmp):
    path = os.path.join(tmp, "run.trace")
    r = run([sim, "--mode", "lazy", "--mode", "strict", "--packets", "500",
             "--trace", path, "--trace-events", "100", "--seed", "5"])
    check(r.returncode == 0, "run exited %d" % r.returncode)
    text = open(path).read()
    check(re.match(r"# xsmmu-sim \S+ \(commit \S+\) trace\n# xsmmu-sim "
                   r"--mode strict .*--seed 5", text),
          "no header: %r" % text[:300])
    # --mode twice runs both, in the table's order.
    check("== mode strict, seed 5" in text and "== mode lazy, seed 5" in text
          and text.index("== mode strict") < text.index("== mode lazy"),
          "not one section per mode asked")
    check(re.search(r"^# xsmmu-sim --mode strict --mode lazy ", text, re.M),
          "the command does not name both modes")
    check(re.search(r"# \d+ events recorded, the last 128 kept \(the ring "
                    r"is full", text), "truncation not said")
    check("the trace keeps the last 128 of" in r.stderr,
          "truncation not said on stderr")
    check(re.search(r"iq_desc index=0x[0-9a-f]+ qw0=", text),
          "fields not named")
    # A lazy run with a malicious device: violations by key.
    r = run([sim, "--mode", "lazy", "--packets", "2000", "--malicious",
             "--trace", path, "--trace-events", "1000000"])
    text = open(path).read()
    check(re.search(r"kw_violation inv=S[1-5]", text),
          "violation without its invariant key")
    check(not re.search(r"kw_violation inv=0x", text),
          "violation printed as a number")


def close_midway(sim, tmp):
    # Without a close nothing is lost: every packet completes (the last
    # one sent is posted to the device, MPWQE sessions included).
    for prof, per in (("small", 1), ("mixed", 1), ("tcp-rx", 1.5)):
        r = run([sim, "--mode", "strict", "--profile", prof, "--channels",
                 "4", "--packets", "20000", "--json"])
        x = json.loads(r.stdout)["runs"][0]
        check(x["packets"] == int(20000 * per) and x["dropped"] == 0,
              "%s without a close: %d completed, %d dropped, %d asked" %
              (prof, x["packets"], x["dropped"], 20000 * per))
    for prof, per in (("small", 1), ("mixed", 1), ("tcp-rx", 1.5)):
        r = run([sim, "--mode", "strict", "--profile", prof, "--channels",
                 "4", "--packets", "20000", "--close-midway", "--json"])
        check(r.returncode == 0, "%s: exit %d" % (prof, r.returncode))
        x = json.loads(r.stdout)["runs"][0]
        # tcp-rx answers every second received packet with an ACK.
        check(x["packets"] + x["dropped"] == int(20000 * per),
              "%s: %d completed + %d dropped, %d asked" %
              (prof, x["packets"], x["dropped"], 20000 * per))


def octal(sim, tmp):
    for arg in ("010", "10"):
        r = run([sim, "--mode", "strict", "--packets", arg, "--json"])
        check(r.returncode == 0, "--packets %s: exit %d" % (arg,
                                                            r.returncode))
        x = json.loads(r.stdout)
        check(x["settings"]["packets"] == 10 and
              x["runs"][0]["packets"] == 10,
              "--packets %s ran %r" % (arg, x["runs"][0]["packets"]))


def threads(sim, tmp):
    r = run([sim, "--threads", "--mode", "xsmmu-poll", "--packets", "2000",
             "--channels", "2"])
    check(r.returncode == 0, "exit %d: %s" % (r.returncode, r.stderr[-300:]))
    row = [l for l in r.stdout.splitlines() if l.startswith("xsmmu-poll ")]
    check(row and row[0].split()[6] == "-", "a CPU figure: %r" % row)
    check(row and row[0].split()[8:10] == ["-", "-"],
          "a throughput figure or bound: %r" % row)
    check("with --threads the CPU figures are not comparable" in r.stdout,
          "no reason given")
    check("a --threads run is not deterministic, so it has no steady window"
          in r.stdout, "the legend claims a steady window")


def verdict(sim, tmp):
    r = run([sim, "--packets", "4000", "--channels", "2"])
    check(r.returncode == 0, "exit %d" % r.returncode)
    lines = r.stdout.splitlines()
    head = [i for i, l in enumerate(lines) if l.startswith("mode ")]
    check(len(head) == 1, "no table header")
    if not head:
        return
    cols = lines[head[0]].split()
    rows = {}
    for l in lines[head[0] + 1:]:
        if not l.strip():
            break
        w = l.split()
        rows[w[0]] = dict(zip(cols, w))
    check(sorted(rows) == sorted(["passthrough", "strict", "lazy",
                                  "xsmmu-seed", "xsmmu-poll", "psi-batch",
                                  "adaptive", "coalesce"]),
          "table rows %r" % sorted(rows))
    text = r.stdout
    check("the figures per packet are the steady state's" in text,
          "the legend does not say the figures are the steady window's")
    for m in ("strict", "xsmmu-seed", "xsmmu-poll", "psi-batch",
              "adaptive", "coalesce"):
        check(re.search(r"^  %-12s safe: no violation$" % m, text, re.M),
              "%s: no 'safe' verdict" % m)
    s2 = rows.get("lazy", {}).get("S2")
    check(re.search(r"^  lazy +unsafe by design \(the reference\): S2 x%s "
                    r"\(a freed page was still mapped" % s2, text, re.M),
          "lazy's verdict does not name its S2 count %s" % s2)
    protected = [m for m in rows if m not in ("passthrough", "lazy")]
    best = min(protected, key=lambda m: float(rows[m]["cpu_ns/pk"]))
    check(re.search(r"best safe mode on CPU: %s\b.*, %s ns per packet" %
                    (best, rows[best]["cpu_ns/pk"]), text),
          "best safe mode is %s at %s ns" % (best, rows[best]["cpu_ns/pk"]))
    check("lazy leaves freed pages reachable by the device for up to %s us"
          % rows["lazy"]["max_win_us"] in text, "lazy's window not stated")
    fast = max(protected, key=lambda m: (float(rows[m]["gbps"]),
                                         -float(rows[m]["cpu_ns/pk"])))
    check(re.search(r"best safe mode on modelled throughput: %s\b.*, %s Gb/s "
                    r"\(bound: %s\)" % (fast, rows[fast]["gbps"],
                                        rows[fast]["bound"]), text),
          "best safe mode on throughput is %s at %s Gb/s" %
          (fast, rows[fast]["gbps"]))
    for k in ("S1", "S2", "S3", "S4", "S5", "L1", "F1", "W", "packets",
              "descs/pk", "waits/pk", "iotlb_hit%", "walks/pk", "cpu_ns/pk",
              "dev_ns/pk", "gbps", "bound", "max_win_us", "sim_pps"):
        check(re.search(r"^ +%s +\S" % re.escape(k), text, re.M),
              "legend does not explain %s" % k)


def main():
    sim, case = sys.argv[1:3]
    cases = {"replay": replay, "replay_settings": replay_settings,
             "trace": trace, "close_midway": close_midway, "octal": octal,
             "threads": threads, "verdict": verdict}
    if case not in cases:
        print("unknown case " + case)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        cases[case](sim, tmp)
    for e in errors:
        print("FAIL: " + e)
    if not errors:
        print("ok: " + case)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
