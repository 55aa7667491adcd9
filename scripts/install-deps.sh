#!/usr/bin/env bash
# Installs the Debian 12 packages xsmmu needs, when missing, the same way
# for every use: apt-get update once, then --no-install-recommends.
# Run as root (or with sudo available); does nothing if all are present.
#
#   scripts/install-deps.sh            building and testing (make run, test)
#   scripts/install-deps.sh report     + gnuplot-nox (make report)
#   scripts/install-deps.sh coverage   + gcovr (make coverage)
#   scripts/install-deps.sh fuzz       + clang (make fuzz)
set -euo pipefail

pkgs=(cmake make gcc g++ pkg-config python3 git qemu-system-x86
      libcmocka-dev liburcu-dev libjemalloc-dev libbenchmark-dev
      libjansson-dev)
for extra in "$@"; do
	case "$extra" in
	report) pkgs+=(gnuplot-nox) ;;
	coverage) pkgs+=(gcovr) ;;
	fuzz) pkgs+=(clang) ;;
	*) echo "install-deps: unknown group '$extra' (report, coverage, fuzz)" >&2
	   exit 2 ;;
	esac
done

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
		grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "xsmmu: installing ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
