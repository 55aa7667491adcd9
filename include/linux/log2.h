/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _XS_SHIM_LINUX_LOG2_H
#define _XS_SHIM_LINUX_LOG2_H

static inline int __ilog2_u64(unsigned long long n)
{
	return 63 - __builtin_clzll(n);
}

#define ilog2(n)		__ilog2_u64(n)
#define is_power_of_2(n)	((n) != 0 && (((n) & ((n) - 1)) == 0))

static inline unsigned long roundup_pow_of_two(unsigned long n)
{
	return n <= 1 ? 1 : 1UL << (64 - __builtin_clzl(n - 1));
}

static inline unsigned long __fls(unsigned long w)
{
	return 63 - __builtin_clzl(w);
}

static inline unsigned long __ffs(unsigned long w)
{
	return __builtin_ctzl(w);
}

#endif
