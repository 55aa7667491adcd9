// SPDX-License-Identifier: GPL-2.0
/*
 * AFL++ target, persistent mode: the same input format as the libFuzzer
 * target. Build with afl-clang-fast (make fuzz-afl); without AFL++ it
 * builds as a plain program that runs one input from stdin.
 */
#include <stdlib.h>
#include <unistd.h>

#include <linux/printk.h>

#include "schedule.h"

#ifndef __AFL_FUZZ_TESTCASE_LEN
static ssize_t fuzz_len;
static unsigned char fuzz_buf[1 << 16];
#define __AFL_FUZZ_TESTCASE_LEN fuzz_len
#define __AFL_FUZZ_TESTCASE_BUF fuzz_buf
#define __AFL_FUZZ_INIT() do { } while (0)
#define __AFL_INIT() do { } while (0)
#define __AFL_LOOP(x) \
	((fuzz_len = read(0, fuzz_buf, sizeof(fuzz_buf))) > 0 ? 1 : 0)
#else
__AFL_FUZZ_INIT();
#endif

int main(void)
{
	unsigned char *buf;

	xs_printk_set_level(0);
	__AFL_INIT();
	buf = __AFL_FUZZ_TESTCASE_BUF;
	while (__AFL_LOOP(10000)) {
		size_t len = (size_t)__AFL_FUZZ_TESTCASE_LEN;

		if (xs_fuzz_run_input(buf, len, stderr))
			abort();
	}
	return 0;
}
