/* SPDX-License-Identifier: GPL-2.0 */
/* Per-CPU allocations (shim): one slot per possible CPU. */
#ifndef _XS_SHIM_LINUX_PERCPU_H
#define _XS_SHIM_LINUX_PERCPU_H

#include <linux/types.h>
#include <linux/smp.h>

struct xs_percpu_hdr {
	size_t stride;
	u64 zeroed;	/* slots cleared so far, a bit per CPU */
};

void *__alloc_percpu(size_t size, size_t align);
void free_percpu(void *p);
void *xs_per_cpu_ptr(void *p, unsigned int cpu);

#define alloc_percpu(type) \
	((type *)__alloc_percpu(sizeof(type), __alignof__(type)))
#define per_cpu_ptr(p, cpu) \
	((__typeof__(p))xs_per_cpu_ptr((void *)(p), (cpu)))
#define this_cpu_ptr(p)		per_cpu_ptr(p, xs_cpu_current())
#define raw_cpu_ptr(p)		this_cpu_ptr(p)

#endif
