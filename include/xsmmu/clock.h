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

static inline u64 xs_clock_now(const struct xs_clock *c)
{
	return c->now;
}

static inline void xs_clock_advance(struct xs_clock *c, u64 ns)
{
	c->now += ns;
}

/* Time never goes backwards: advancing to the past is a no-op. */
static inline void xs_clock_advance_to(struct xs_clock *c, u64 t)
{
	if (t > c->now)
		c->now = t;
}

#endif
