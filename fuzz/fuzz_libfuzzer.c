// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the first byte picks the protected mode, the rest is
 * the schedule. Any oracle violation aborts (the crash the engine keeps
 * and minimises). Build: make fuzz (clang -fsanitize=fuzzer,address,
 * undefined).
 */
#include <stdlib.h>

#include <linux/printk.h>

#include "schedule.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	xs_printk_set_level(0);
	return 0;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	if (xs_fuzz_run_input(data, size, stderr))
		abort();
	return 0;
}
