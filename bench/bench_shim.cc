// SPDX-License-Identifier: GPL-2.0
// The thin C++ shim between the C benchmarks and Google Benchmark.
#include <benchmark/benchmark.h>

#include "bench.h"

struct xs_bench {
	benchmark::State *state;
};

extern "C" int xs_bench_running(struct xs_bench *b)
{
	return b->state->KeepRunning();
}

extern "C" void xs_bench_counter(struct xs_bench *b, const char *name,
				 double value, int rate)
{
	b->state->counters[name] = benchmark::Counter(
		value, rate ? benchmark::Counter::kIsRate :
			      benchmark::Counter::kDefaults);
}

extern "C" void xs_bench_pause(struct xs_bench *b)
{
	b->state->PauseTiming();
}

extern "C" void xs_bench_resume(struct xs_bench *b)
{
	b->state->ResumeTiming();
}

extern "C" void xs_bench_register(const char *name, xs_bench_fn fn, long arg,
				  int iterations)
{
	auto *bm = benchmark::RegisterBenchmark(name,
		[fn, arg](benchmark::State &state) {
			struct xs_bench b = { &state };

			fn(&b, arg);
		});
	if (iterations)
		bm->Iterations(iterations);
	bm->Unit(benchmark::kMillisecond);
}

int main(int argc, char **argv)
{
	xs_bench_register_all();
	benchmark::Initialize(&argc, argv);
	if (benchmark::ReportUnrecognizedArguments(argc, argv))
		return 2;
	benchmark::RunSpecifiedBenchmarks();
	benchmark::Shutdown();
	return 0;
}
