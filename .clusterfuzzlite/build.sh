#!/bin/bash -eu
# ClusterFuzzLite / OSS-Fuzz build script: builds the libFuzzer target with
# the engine's $CC/$CFLAGS/$LIB_FUZZING_ENGINE and ships the seed corpus.
cmake -S "$SRC/xsmmu" -B build-cfl -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	-DCMAKE_C_FLAGS="$CFLAGS" -DCMAKE_CXX_FLAGS="$CXXFLAGS" \
	-DXSMMU_LIBFUZZER=ON
cmake --build build-cfl -j"$(nproc)" --target xsmmu-libfuzzer
cp build-cfl/bin/xsmmu-libfuzzer "$OUT/xsmmu_schedule_fuzzer"
zip -j "$OUT/xsmmu_schedule_fuzzer_seed_corpus.zip" "$SRC"/xsmmu/fuzz/corpus/*.bin \
	"$SRC"/xsmmu/fuzz/regressions/*.bin
