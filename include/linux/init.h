/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Boot parameters (shim): early_param() and __setup() register their
 * parser at load time; xs_kernel_cmdline() feeds them a command line the
 * way the kernel does at boot, so tests drive "iommu.xsmmu=1" exactly as a
 * user would.
 */
#ifndef _XS_SHIM_LINUX_INIT_H
#define _XS_SHIM_LINUX_INIT_H

#include <linux/compiler.h>

struct xs_boot_param {
	const char *name;
	int (*early)(char *arg);	/* early_param: returns 0 or -errno */
	int (*setup)(char *str);	/* __setup: returns 1 when handled */
	struct xs_boot_param *next;
};

void xs_boot_param_register(struct xs_boot_param *p);
/*
 * Parses "a=b c d=e": each word goes to the parsers registered for its
 * name. Returns the number of words nobody handled or that a parser
 * refused (each reported on stderr).
 */
int xs_kernel_cmdline(const char *cmdline);

#define __XS_PARAM(id, str, e, s)					\
	static struct xs_boot_param __xs_param_##id = {			\
		.name = str, .early = e, .setup = s };			\
	__attribute__((constructor)) static void __xs_reg_##id(void)	\
	{								\
		xs_boot_param_register(&__xs_param_##id);		\
	}
#define early_param(str, fn)	__XS_PARAM(fn, str, fn, NULL)
#define __setup(str, fn)	__XS_PARAM(fn, str, NULL, fn)

#endif
