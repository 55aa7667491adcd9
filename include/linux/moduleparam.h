/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Module parameters (shim): declared as in the kernel; the simulation sets
 * the variables through the model's own setters.
 */
#ifndef _XS_SHIM_LINUX_MODULEPARAM_H
#define _XS_SHIM_LINUX_MODULEPARAM_H

#define module_param(name, type, perm) \
	static __attribute__((unused)) void *__xs_modparam_##name = &name
#define MODULE_PARM_DESC(name, desc)

#endif
