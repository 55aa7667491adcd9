/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A bounded ring of hardware and software steps, so that a failing run can
 * explain itself: the last N records are printed with the seed. Recording is
 * a store into a preallocated ring; nothing allocates on the hot path.
 */
#ifndef XSMMU_TRACE_H
#define XSMMU_TRACE_H

#include <stdio.h>
#include <xsmmu/types.h>

enum xs_trace_kind {
	XS_TR_REG_WRITE,	/* a0 = offset, a1 = value */
	XS_TR_IQ_DESC,		/* a0 = index, a1 = qw0, a2 = qw1 */
	XS_TR_IQ_IQE,		/* a0 = index, a1 = IQEI */
	XS_TR_IQ_ITE,		/* a0 = index, a1 = source id */
	XS_TR_IQ_ICE,		/* a0 = index, a1 = source id */
	XS_TR_IQ_WAIT,		/* a0 = index, a1 = status address, a2 = data */
	XS_TR_INV_IOTLB,	/* a0 = gran, a1 = did, a2 = entries dropped */
	XS_TR_INV_PSC,		/* a0 = gran, a1 = did, a2 = entries dropped */
	XS_TR_IOTLB_FILL,	/* a0 = did, a1 = iova, a2 = phys */
	XS_TR_IOTLB_EVICT,	/* a0 = did, a1 = iova, a2 = phys */
	XS_TR_WALK,		/* a0 = did, a1 = iova, a2 = memory reads */
	XS_TR_FAULT,		/* a0 = source id, a1 = iova, a2 = reason */
	XS_TR_DMA,		/* a0 = source id, a1 = iova, a2 = phys|write */
	XS_TR__HW_COUNT,
	/* Software layers add their kinds from here (see xs_trace_name). */
	XS_TR_SW_BASE = 64,
	XS_TR__MAX = 128
};

struct xs_trace_rec {
	u64 seq;
	u64 time;
	u16 kind;
	u16 unit;
	u32 cpu;
	u64 a[3];
};

struct xs_trace {
	struct xs_trace_rec *ring;
	u32 cap;		/* power of two */
	u64 seq;		/* records ever emitted */
	u64 digest;		/* of every record ever emitted */
	bool on;
	const char *names[XS_TR__MAX];
	/*
	 * The names of a kind's three arguments, space-separated ("-": not
	 * used), and an optional decoder of its first one (a code printed
	 * as a name, such as an invariant's key).
	 */
	const char *fields[XS_TR__MAX];
	const char *(*decode_a0[XS_TR__MAX])(u64 a0);
};

int xs_trace_init(struct xs_trace *t, u32 cap);
void xs_trace_destroy(struct xs_trace *t);
void xs_trace_name(struct xs_trace *t, unsigned int kind, const char *name);
/* Names kind's arguments (see struct xs_trace); decode_a0 may be NULL. */
void xs_trace_fields(struct xs_trace *t, unsigned int kind,
		     const char *fields, const char *(*decode_a0)(u64 a0));

void xs_trace_emit_slow(struct xs_trace *t, u64 time, unsigned int kind,
			unsigned int unit, u32 cpu, u64 a0, u64 a1, u64 a2);

static inline void xs_trace_emit(struct xs_trace *t, u64 time,
				 unsigned int kind, unsigned int unit, u32 cpu,
				 u64 a0, u64 a1, u64 a2)
{
	if (t && t->on)
		xs_trace_emit_slow(t, time, kind, unit, cpu, a0, a1, a2);
}

/* Prints the last n records (all that remain if n is 0), oldest first. */
void xs_trace_dump(const struct xs_trace *t, FILE *f, u32 n);
/* Number of records currently held (at most cap). */
u32 xs_trace_count(const struct xs_trace *t);
/* The i-th oldest record still held, or NULL. */
const struct xs_trace_rec *xs_trace_get(const struct xs_trace *t, u32 i);

#endif
