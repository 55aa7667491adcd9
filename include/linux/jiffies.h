/* SPDX-License-Identifier: GPL-2.0 */
/* jiffies (shim): HZ = 1000 ticks of the virtual clock. */
#ifndef _XS_SHIM_LINUX_JIFFIES_H
#define _XS_SHIM_LINUX_JIFFIES_H

#define HZ	1000
#define XS_NS_PER_JIFFY	(1000000000ULL / HZ)

unsigned long xs_jiffies(void);
#define jiffies			xs_jiffies()

static inline unsigned long msecs_to_jiffies(unsigned int m)
{
	return (unsigned long)m * HZ / 1000;
}

#define time_after(a, b)	((long)((b) - (a)) < 0)

#endif
