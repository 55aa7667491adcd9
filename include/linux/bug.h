/* SPDX-License-Identifier: GPL-2.0 */
/*
 * BUG_ON and WARN_ON that report (shim). In the kernel a WARN is a bug
 * report that lets execution go on; here it goes on too, and is printed
 * with its file and line, counted, and handed to the current world's
 * oracle as a "W" verdict: a test fixture (fatal oracle) fails on it, the
 * fuzzer counts it as a finding and xsmmu-sim exits non-zero, unless a
 * test declared it expected (xs_oracle_expect()). Outside any world a
 * WARN is only printed and counted. A BUG is printed and handed to the
 * installed handler (the default aborts; tests install one that fails
 * the test). Neither is ever silent.
 *
 * WARN_ON_ONCE and WARN_ONCE warn once per call site per boot (world
 * creation), as a booted kernel does.
 */
#ifndef _XS_SHIM_LINUX_BUG_H
#define _XS_SHIM_LINUX_BUG_H

#include <linux/compiler.h>

void xs_kernel_warn(const char *file, int line, const char *cond);
void xs_kernel_warn_fmt(const char *file, int line, const char *cond,
			const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void xs_kernel_bug(const char *file, int line, const char *cond);
unsigned long xs_kernel_warn_count(void);
/* True the first time a call site gets here in this boot. */
int xs_kernel_warn_once_first(unsigned long *site_boot);
/* A new boot: every WARN_ON_ONCE site may warn again (world creation). */
void xs_kernel_warn_once_reset(void);
typedef void (*xs_bug_handler_t)(const char *file, int line,
				 const char *cond);
xs_bug_handler_t xs_kernel_set_bug_handler(xs_bug_handler_t h);

#define WARN_ON(cond) ({						\
	int __ret_warn_on = !!(cond);					\
	if (unlikely(__ret_warn_on))					\
		xs_kernel_warn(__FILE__, __LINE__, #cond);		\
	unlikely(__ret_warn_on);					\
})
#define WARN(cond, fmt...) ({						\
	int __ret_warn_on = !!(cond);					\
	if (unlikely(__ret_warn_on))					\
		xs_kernel_warn_fmt(__FILE__, __LINE__, #cond, fmt);	\
	unlikely(__ret_warn_on);					\
})
/* The site's flag holds the boot it last warned in (0: never). */
#define might_sleep()	do { } while (0)

#define WARN_ON_ONCE(cond) ({						\
	static unsigned long __warned_boot;				\
	int __ret_warn_once = !!(cond);					\
	if (unlikely(__ret_warn_once) &&				\
	    xs_kernel_warn_once_first(&__warned_boot))			\
		xs_kernel_warn(__FILE__, __LINE__, #cond);		\
	unlikely(__ret_warn_once);					\
})
#define WARN_ONCE(cond, fmt...) ({					\
	static unsigned long __warned_boot;				\
	int __ret_warn_once = !!(cond);					\
	if (unlikely(__ret_warn_once) &&				\
	    xs_kernel_warn_once_first(&__warned_boot))			\
		xs_kernel_warn_fmt(__FILE__, __LINE__, #cond, fmt);	\
	unlikely(__ret_warn_once);					\
})
#define BUG() xs_kernel_bug(__FILE__, __LINE__, "BUG()")
#define BUG_ON(cond) do {						\
	if (unlikely(cond))						\
		xs_kernel_bug(__FILE__, __LINE__, #cond);		\
} while (0)

#endif
