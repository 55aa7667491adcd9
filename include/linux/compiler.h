/* SPDX-License-Identifier: GPL-2.0 */
/* Compiler idioms of the kernel (shim). */
#ifndef _XS_SHIM_LINUX_COMPILER_H
#define _XS_SHIM_LINUX_COMPILER_H

#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)
#define __read_mostly
#ifndef __always_inline
#define __always_inline		inline __attribute__((always_inline))
#endif
#define noinline		__attribute__((noinline))
#define __must_check		__attribute__((warn_unused_result))
#define __maybe_unused		__attribute__((unused))
#define __cold			__attribute__((cold))
#define __percpu
#define __rcu
#define __iomem
#define __force
#define __user
#define __init
#define __exit
#define __initdata
#define barrier()		__asm__ __volatile__("" ::: "memory")
#define READ_ONCE(x)		(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v)	(*(volatile __typeof__(x) *)&(x) = (v))
#define fallthrough		__attribute__((__fallthrough__))

#endif
