#!/usr/bin/env bash
# make coverage: how much of the patch (src/kernel) each kind of workload
# reaches, measured by gcov through gcovr (Debian's gcovr package).
#
# Three runs on one instrumented build (build/coverage), counters zeroed
# before each:
#   fuzz  the random fuzzer alone: every protected mode, fixed seed and
#         execution count (XSMMU_COV_FUZZ_EXECS, default 2000)
#   sim   xsmmu-sim --mode all, once per traffic profile, plus the
#         --malicious, --close-midway and --set units=2 variants of
#         the default and the second releaser (--recover-every,
#         --reopen-every, XDP_TX)
#   unit  the unit tests (ctest without the fuzz label)
# Writes build/coverage/summary.json (format in docs/fuzzing.md),
# build/coverage/<run>.json (gcovr's own JSON, line by line) and an HTML
# report of the three runs together in build/coverage/html/.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=$root/build/coverage
execs=${XSMMU_COV_FUZZ_EXECS:-2000}
jobs=${JOBS:-$(nproc)}

command -v gcovr >/dev/null || {
	echo "coverage: gcovr is missing (apt-get install gcovr)" >&2
	exit 1
}

cmake -S . -B "$out" -DCMAKE_BUILD_TYPE=Debug -DXSMMU_COVERAGE=ON >/dev/null
cmake --build "$out" -j "$jobs"

zero() { find "$out" -name '*.gcda' -delete; }

# gcovr over src/kernel only: the patch, as it runs inside the model's
# copies of the 5.15 files (#included there, so gcov names the piece).
# Tests that fork (the fail-fast checks) can leave gcov a negative branch
# count; such lines are skipped, with a report on stderr. Only the
# library's own objects are read: mutant builds compile changed copies
# of the same files, whose line numbers differ.
collect() {
	gcovr -r "$root" --object-directory "$out" \
		--filter 'src/kernel/' --exclude-unreachable-branches \
		--gcov-ignore-parse-errors \
		--json "$out/$1.json" --json-summary "$out/$1.summary.json" \
		"$out/src/CMakeFiles/xsmmu_objs.dir" >/dev/null
}

zero
"$out/bin/xsmmu-fuzz" --seed 1 --execs "$execs" >"$out/fuzz.log"
collect fuzz

zero
for p in mtu small tso mixed; do
	"$out/bin/xsmmu-sim" --mode all --profile "$p" --packets 20000 \
		>>"$out/sim.log"
done
"$out/bin/xsmmu-sim" --mode all --packets 20000 --malicious >>"$out/sim.log"
"$out/bin/xsmmu-sim" --mode all --packets 20000 --close-midway \
	>>"$out/sim.log"
"$out/bin/xsmmu-sim" --mode all --packets 20000 --set units=2 \
	>>"$out/sim.log"
# The second releaser: RX recovery and reopens on a work CPU, XDP_TX.
"$out/bin/xsmmu-sim" --mode all --profile tcp-rx --set xdp_tx_every=2 \
	--packets 20000 --recover-every 3 --reopen-every 10 >>"$out/sim.log"
collect sim

zero
(cd "$out" && ctest -j "$jobs" -LE fuzz >"$out/unit.log")
collect unit

mkdir -p "$out/html"
gcovr -r "$root" --add-tracefile "$out/fuzz.json" \
	--add-tracefile "$out/sim.json" --add-tracefile "$out/unit.json" \
	--html-details "$out/html/index.html" >/dev/null

python3 "$root/scripts/coverage_summary.py" "$out" \
	"$root/docs/fuzzing.md" >"$out/summary.json"
python3 "$root/scripts/coverage_summary.py" --table "$out/summary.json"
echo "coverage: $out/summary.json, $out/html/index.html"
