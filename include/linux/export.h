/* SPDX-License-Identifier: GPL-2.0 */
/*
 * EXPORT_SYMBOL_GPL (shim): a marker with no effect in userspace. It is a
 * redeclaration, so it must name a declared symbol, as in the kernel.
 */
#ifndef _XS_SHIM_LINUX_EXPORT_H
#define _XS_SHIM_LINUX_EXPORT_H

#define EXPORT_SYMBOL(sym)	extern __typeof__(sym) sym
#define EXPORT_SYMBOL_GPL(sym)	extern __typeof__(sym) sym

#endif
