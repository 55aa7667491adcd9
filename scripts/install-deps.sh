#!/usr/bin/env bash
# Installs the Debian 12 packages xsmmu builds and tests with, when missing.
# Run as root (or with sudo available); does nothing if all are present.
set -euo pipefail

pkgs=(cmake make gcc g++ pkg-config python3 git
      libcmocka-dev liburcu-dev libjemalloc-dev libbenchmark-dev)

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
