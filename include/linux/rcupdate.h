/* SPDX-License-Identifier: GPL-2.0 */
/*
 * RCU (shim) on liburcu's memory-barrier flavour: no signals, any thread
 * may read once it has registered (xs_kernel_thread_enter() does it).
 */
#ifndef _XS_SHIM_LINUX_RCUPDATE_H
#define _XS_SHIM_LINUX_RCUPDATE_H

#include <urcu/urcu-memb.h>

/* Every thread that reads under RCU registers first (liburcu). */
#define xs_rcu_register_thread()	urcu_memb_register_thread()
#define xs_rcu_unregister_thread()	urcu_memb_unregister_thread()
#define rcu_read_lock()			urcu_memb_read_lock()
#define rcu_read_unlock()		urcu_memb_read_unlock()
#define synchronize_rcu()		urcu_memb_synchronize_rcu()
/* rcu_dereference() and rcu_assign_pointer() come from liburcu itself. */

#endif
