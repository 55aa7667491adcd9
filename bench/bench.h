/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The C side of the benchmarks: a benchmark is a C function that loops
 * while xs_bench_running() says so; the thin C++ shim (bench_shim.cc)
 * registers it with Google Benchmark and reports its counters.
 */
#ifndef XS_BENCH_H
#define XS_BENCH_H

#ifdef __cplusplus
extern "C" {
#endif

struct xs_bench;

typedef void (*xs_bench_fn)(struct xs_bench *b, long arg);

/* True while the benchmark should run another iteration. */
int xs_bench_running(struct xs_bench *b);
/* A counter; rate != 0 reports it per second of measured time. */
void xs_bench_counter(struct xs_bench *b, const char *name, double value,
		      int rate);
void xs_bench_pause(struct xs_bench *b);
void xs_bench_resume(struct xs_bench *b);
void xs_bench_register(const char *name, xs_bench_fn fn, long arg,
		       int iterations);

/* Registers every benchmark of bench_sim.c (and bench_fuzz.c). */
void xs_bench_register_all(void);
void xs_bench_register_fuzz(void);

#ifdef __cplusplus
}
#endif

#endif
