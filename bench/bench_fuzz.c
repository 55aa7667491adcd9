// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzzer speed: executions per second of one protected mode, on the
 * inputs the random fuzzer makes (xsmmu-fuzz's default length, a fixed
 * seed), each a whole execution: world created, schedule run, queues
 * closed, world torn down, oracle verdict. Target (issue 12): at least
 * 1,000 per second per core in a release build.
 */
#include <stdio.h>
#include <stdlib.h>

#include <xsmmu/rand.h>

#include "bench.h"
#include "schedule.h"

#define INPUTS		64
#define MAX_LEN		256

static u8 inputs[INPUTS][MAX_LEN];
static size_t input_len[INPUTS];

static void make_inputs(void)
{
	struct xs_rand rng;
	size_t i, j;

	xs_rand_seed(&rng, 1);
	for (i = 0; i < INPUTS; i++) {
		input_len[i] = 4 + (size_t)xs_rand_below(&rng, MAX_LEN - 4);
		for (j = 0; j < input_len[i]; j++)
			inputs[i][j] = (u8)xs_rand_next(&rng);
	}
}

static void bench_fuzz_execs(struct xs_bench *b, long mode)
{
	struct xs_fuzz_result r;
	double execs = 0;
	unsigned int i = 0;

	while (xs_bench_running(b)) {
		if (xs_fuzz_run((enum xs_mode)mode, inputs[i], input_len[i],
				&r, NULL))
			abort();	/* the real code must stay clean */
		i = (i + 1) % INPUTS;
		execs++;
	}
	xs_bench_counter(b, "execs", execs, 1);
}

void xs_bench_register_fuzz(void)
{
	static char names[16][64];
	unsigned int m;

	make_inputs();
	for (m = 0; m < xs_fuzz_nr_modes && m < 16; m++) {
		snprintf(names[m], sizeof(names[m]), "fuzz_execs/%s",
			 xs_mode_name(xs_fuzz_modes[m]));
		xs_bench_register(names[m], bench_fuzz_execs, xs_fuzz_modes[m],
				  0);
	}
}
