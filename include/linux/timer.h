/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Timers (shim) on the virtual clock: jiffies are virtual nanoseconds
 * divided by the tick, and a timer runs when the simulation advances the
 * clock past its expiry (xs_timers_run()), never behind its back.
 */
#ifndef _XS_SHIM_LINUX_TIMER_H
#define _XS_SHIM_LINUX_TIMER_H

#include <linux/types.h>
#include <linux/jiffies.h>

struct timer_list {
	unsigned long expires;
	void (*function)(struct timer_list *t);
	bool pending;
	struct timer_list *next;
};

void timer_setup(struct timer_list *t, void (*fn)(struct timer_list *),
		 unsigned int flags);
int mod_timer(struct timer_list *t, unsigned long expires);
int del_timer(struct timer_list *t);
#define del_timer_sync(t)	del_timer(t)

static inline int timer_pending(const struct timer_list *t)
{
	return t->pending;
}

#define from_timer(var, callback_timer, field) \
	container_of(callback_timer, __typeof__(*var), field)

#endif
