#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Runs a command; passes only on one exit status with a message.

usage: expect_exit.py STATUS REGEX COMMAND [ARG...]

ctest's WILL_FAIL passes on any failure, a crash or a sanitizer report
included; a usage error must be exactly STATUS with REGEX on stderr and
nothing on stdout.
"""
import re
import subprocess
import sys


def main():
    status, regex, cmd = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    bad = []
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
