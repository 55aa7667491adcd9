/* SPDX-License-Identifier: GPL-2.0 */
/*
 * RCU (shim) on liburcu's memory-barrier flavour: no signals, any thread
 * may read once it has registered (xs_kernel_thread_enter() does it).
 */
#ifndef _XS_SHIM_LINUX_RCUPDATE_H
#define _XS_SHIM_LINUX_RCUPDATE_H

#include <urcu/urcu-memb.h>

#define rcu_read_lock()			urcu_memb_read_lock()
#define rcu_read_unlock()		urcu_memb_read_unlock()
#define synchronize_rcu()		urcu_memb_synchronize_rcu()
#define rcu_dereference(p)		rcu_dereference_sym_shim(p)
#define rcu_dereference_sym_shim(p)	CMM_LOAD_SHARED(p)
#define rcu_assign_pointer(p, v)	rcu_assign_pointer_shim(p, v)
#define rcu_assign_pointer_shim(p, v) \
	do { cmm_smp_wmb(); CMM_STORE_SHARED(p, v); } while (0)

#endif
