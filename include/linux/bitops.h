/* SPDX-License-Identifier: GPL-2.0 */
/* Atomic bit operations (shim) on unsigned long words. */
#ifndef _XS_SHIM_LINUX_BITOPS_H
#define _XS_SHIM_LINUX_BITOPS_H

#include <linux/bits.h>

static inline int test_bit(long nr, const volatile unsigned long *addr)
{
	return (__atomic_load_n(&addr[nr / BITS_PER_LONG], __ATOMIC_ACQUIRE) >>
		(nr % BITS_PER_LONG)) & 1;
}

static inline void set_bit(long nr, volatile unsigned long *addr)
{
	__atomic_fetch_or(&addr[nr / BITS_PER_LONG],
			  1UL << (nr % BITS_PER_LONG), __ATOMIC_ACQ_REL);
}

static inline void clear_bit(long nr, volatile unsigned long *addr)
{
	__atomic_fetch_and(&addr[nr / BITS_PER_LONG],
			   ~(1UL << (nr % BITS_PER_LONG)), __ATOMIC_ACQ_REL);
}

#endif
