/* SPDX-License-Identifier: GPL-2.0 */
/* cmpxchg() (shim): full barrier, returns the old value, 5.15's contract. */
#ifndef _XS_SHIM_LINUX_ATOMIC_H
#define _XS_SHIM_LINUX_ATOMIC_H

#define cmpxchg(ptr, old, new) ({					\
	__typeof__(*(ptr)) __xs_old = (old);				\
	__atomic_compare_exchange_n((ptr), &__xs_old, (new), false,	\
				    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);\
	__xs_old;							\
})

#endif
