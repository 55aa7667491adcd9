/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Virtual time. Every simulated operation advances the clock by a cost from
 * the parameter table; nothing reads the host clock, so a run is
 * deterministic for a seed. Units are nanoseconds.
 */
#ifndef XSMMU_CLOCK_H
#define XSMMU_CLOCK_H

#include <xsmmu/types.h>

struct xs_clock {
	u64 now;
};

/*
 * Atomic, so that simulated CPUs running on real threads (the threaded
 * mode) share one time line; relaxed, because the clock orders nothing.
 */
static inline u64 xs_clock_now(const struct xs_clock *c)
{
	return __atomic_load_n(&c->now, __ATOMIC_RELAXED);
}

static inline void xs_clock_advance(struct xs_clock *c, u64 ns)
{
	__atomic_fetch_add(&c->now, ns, __ATOMIC_RELAXED);
}

/* Time never goes backwards: advancing to the past is a no-op. */
static inline void xs_clock_advance_to(struct xs_clock *c, u64 t)
{
	u64 cur = xs_clock_now(c);

	while (t > cur &&
	       !__atomic_compare_exchange_n(&c->now, &cur, t, false,
					    __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
}

#endif
