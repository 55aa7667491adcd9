#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Runs a command; passes only on one exit status with a message.

usage: expect_exit.py [--stdout FILE] STATUS REGEX COMMAND [ARG...]

ctest's WILL_FAIL passes on any failure, a crash or a sanitizer report
included; a usage error must be exactly STATUS with REGEX on stderr, in
one line (one clear message, not one per mode), and nothing on stdout.
--stdout FILE sends the command's standard output to FILE (/dev/full:
a write error must be an error).
"""
import re
import subprocess
import sys


def main():
    args = sys.argv[1:]
    out = None
    if args[0] == "--stdout":
        out = open(args[1], "w")
        args = args[2:]
    status, regex, cmd = int(args[0]), args[1], args[2:]
    r = subprocess.run(cmd, stdout=out or subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, timeout=60)
    r.stdout = r.stdout or ""
    bad = []
    if status == 2 and len(r.stderr.splitlines()) != 1:
        bad.append("%d lines on stderr, expected one message" %
                   len(r.stderr.splitlines()))
    if r.returncode != status:
        bad.append("exit status %d, expected %d" % (r.returncode, status))
    if not re.search(regex, r.stderr):
        bad.append("stderr does not match %r" % regex)
    if r.stdout:
        bad.append("output on stdout: %r" % r.stdout[:200])
    for b in bad:
        print("FAIL: %s: %s" % (" ".join(cmd), b))
    if bad:
        print("stderr: " + r.stderr[-2000:])
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
