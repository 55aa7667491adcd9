/* SPDX-License-Identifier: GPL-2.0 */
/*
 * BUG_ON and WARN_ON that report (shim). A WARN is counted and printed
 * with its file and line and execution goes on, as in the kernel; a BUG is
 * printed and handed to the installed handler (the default aborts; tests
 * install one that fails the test). Neither is ever silent.
 */
#ifndef _XS_SHIM_LINUX_BUG_H
#define _XS_SHIM_LINUX_BUG_H

#include <linux/compiler.h>

void xs_kernel_warn(const char *file, int line, const char *cond);
void xs_kernel_bug(const char *file, int line, const char *cond);
unsigned long xs_kernel_warn_count(void);
typedef void (*xs_bug_handler_t)(const char *file, int line,
				 const char *cond);
xs_bug_handler_t xs_kernel_set_bug_handler(xs_bug_handler_t h);

#define WARN_ON(cond) ({						\
	int __ret_warn_on = !!(cond);					\
	if (unlikely(__ret_warn_on))					\
		xs_kernel_warn(__FILE__, __LINE__, #cond);		\
	unlikely(__ret_warn_on);					\
})
#define WARN_ON_ONCE(cond)	WARN_ON(cond)
#define WARN(cond, fmt...)	WARN_ON(cond)
#define WARN_ONCE(cond, fmt...)	WARN_ON(cond)
#define BUG() xs_kernel_bug(__FILE__, __LINE__, "BUG()")
#define BUG_ON(cond) do {						\
	if (unlikely(cond))						\
		xs_kernel_bug(__FILE__, __LINE__, #cond);		\
} while (0)

#endif
