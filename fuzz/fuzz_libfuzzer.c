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
	static const enum xs_mode modes[] = {
		XS_MODE_STRICT, XS_MODE_XSMMU_SEED, XS_MODE_XSMMU_POLL,
		XS_MODE_PSI_BATCH, XS_MODE_ADAPTIVE, XS_MODE_COALESCE,
	};
	struct xs_fuzz_result r;

	if (!size)
		return 0;
	if (xs_fuzz_run(modes[data[0] % 5], data + 1, size - 1, &r, stderr))
		abort();
	return 0;
}
