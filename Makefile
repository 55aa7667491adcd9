# Thin wrapper over CMake so that the README's two commands do everything.
#   make run   install missing packages, build, run the main job
#   make test  install missing packages, build twice (release and
#              ASan+UBSan), run every test in both, and the lock
#              mutants under ThreadSanitizer
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=
ifeq ($(CI),true)
CMAKE_FLAGS += -DXSMMU_WERROR=ON
endif

.PHONY: all deps build build-san run test test-release test-san test-locks test-tsan bench report fuzz fuzz-afl coverage clean

all: build

deps:
	@scripts/install-deps.sh

# The compiler's output goes to a log (shown whole if the build fails),
# so that the main job's output is its table.
build: deps
	@cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS) >/dev/null
	@echo "building (log: build/build.log)"
	@cmake --build build -j $(JOBS) >build/build.log 2>&1 || \
		{ cat build/build.log; echo "build failed" >&2; exit 1; }

build-san: deps
	@cmake -S . -B build/san -DCMAKE_BUILD_TYPE=Debug \
		-DXSMMU_SANITIZE=address,undefined $(CMAKE_FLAGS) >/dev/null
	@echo "building with ASan+UBSan (log: build/san/build.log)"
	@cmake --build build/san -j $(JOBS) >build/san/build.log 2>&1 || \
		{ cat build/san/build.log; echo "build failed" >&2; exit 1; }

run: build
	build/bin/xsmmu-sim $(ARGS)

test-release: build
	cd build && ctest --output-on-failure -j $(JOBS)

test-san: build-san
	cd build/san && ctest --output-on-failure -j $(JOBS)

# Every lock the patch takes, removed one at a time (fuzz/mutants/*.edit
# with a "tsan:" line), must make ThreadSanitizer report the race in the
# threaded simulator: the lock mutants alone, built in the TSan tree.
test-locks: deps
	@cmake -S . -B build/tsan -DCMAKE_BUILD_TYPE=Debug \
		-DXSMMU_SANITIZE=thread $(CMAKE_FLAGS) >/dev/null
	@echo "building the lock mutants with TSan (log: build/tsan/build.log)"
	@cmake --build build/tsan -j $(JOBS) --target tsan-lock-mutants \
		>build/tsan/build.log 2>&1 || \
		{ cat build/tsan/build.log; echo "build failed" >&2; exit 1; }
	cd build/tsan && ctest --output-on-failure -j $(JOBS) -L lock

test: test-release test-san test-locks

test-tsan: deps
	cmake -S . -B build/tsan -DCMAKE_BUILD_TYPE=Debug \
		-DXSMMU_SANITIZE=thread $(CMAKE_FLAGS) >/dev/null
	cmake --build build/tsan -j $(JOBS)
	cd build/tsan && ctest --output-on-failure -j $(JOBS) -L threads

# libFuzzer (clang, ASan+UBSan) on the seed corpus; FUZZ_ARGS go to the
# engine (e.g. FUZZ_ARGS="-fork=2 -max_total_time=3600").
FUZZ_ARGS ?= -max_total_time=60
fuzz: deps
	@scripts/install-deps.sh fuzz
	CC=clang CXX=clang++ cmake -S . -B build/libfuzzer -DCMAKE_BUILD_TYPE=RelWithDebInfo \
		-DXSMMU_LIBFUZZER=ON -DXSMMU_SANITIZE=address,undefined >/dev/null
	cmake --build build/libfuzzer -j $(JOBS) --target xsmmu-libfuzzer
	mkdir -p build/libfuzzer/corpus build/libfuzzer/findings
	cp -n fuzz/corpus/*.bin build/libfuzzer/corpus/
	build/libfuzzer/bin/xsmmu-libfuzzer build/libfuzzer/corpus \
		-artifact_prefix=build/libfuzzer/findings/ $(FUZZ_ARGS)

# AFL++ (apt-get install afl++): persistent-mode target.
fuzz-afl: deps
	CC=afl-clang-fast CXX=afl-clang-fast++ cmake -S . -B build/afl \
		-DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build build/afl -j $(JOBS) --target xsmmu-afl
	@echo "run: afl-fuzz -i fuzz/corpus -o build/afl/out -- build/afl/bin/xsmmu-afl"

# The sweeps and plots of the report (gnuplot-nox for the plots).
report: build
	@scripts/install-deps.sh report
	build/bin/xsmmu-sim --report build/report

# src/kernel coverage by the fuzzer, the simulator and the unit tests
# (gcovr): build/coverage/summary.json and build/coverage/html/.
coverage: deps
	@scripts/install-deps.sh coverage
	scripts/coverage.sh

bench: build
	cmake --build build --target bench

clean:
	rm -rf build
