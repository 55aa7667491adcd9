// SPDX-License-Identifier: GPL-2.0
/* The trace ring: the last cap records, printed oldest first. */
#include <inttypes.h>
#include <stdlib.h>

#include <xsmmu/trace.h>

static const char *const hw_names[XS_TR__HW_COUNT] = {
	[XS_TR_REG_WRITE] = "reg_write",
	[XS_TR_IQ_DESC] = "iq_desc",
	[XS_TR_IQ_IQE] = "iq_iqe",
	[XS_TR_IQ_ITE] = "iq_ite",
	[XS_TR_IQ_ICE] = "iq_ice",
	[XS_TR_IQ_WAIT] = "iq_wait",
	[XS_TR_INV_IOTLB] = "inv_iotlb",
	[XS_TR_INV_PSC] = "inv_psc",
	[XS_TR_IOTLB_FILL] = "iotlb_fill",
	[XS_TR_IOTLB_EVICT] = "iotlb_evict",
	[XS_TR_WALK] = "walk",
	[XS_TR_FAULT] = "fault",
	[XS_TR_DMA] = "dma",
};

int xs_trace_init(struct xs_trace *t, u32 cap)
{
	unsigned int i;
	u32 c = 1;

	while (c < cap)
		c <<= 1;
	t->ring = calloc(c, sizeof(*t->ring));
	if (!t->ring)
		return -1;
	t->cap = c;
	t->seq = 0;
	t->digest = 0;
	t->on = true;
	for (i = 0; i < XS_TR__MAX; i++)
		t->names[i] = i < XS_TR__HW_COUNT ? hw_names[i] : NULL;
	return 0;
}

void xs_trace_destroy(struct xs_trace *t)
{
	free(t->ring);
	t->ring = NULL;
	t->cap = 0;
	t->on = false;
}

void xs_trace_name(struct xs_trace *t, unsigned int kind, const char *name)
{
	if (kind < XS_TR__MAX)
		t->names[kind] = name;
}

#define XS_TRACE_MIX	0x9e3779b97f4a7c15ULL

void xs_trace_emit_slow(struct xs_trace *t, u64 time, unsigned int kind,
			unsigned int unit, u32 cpu, u64 a0, u64 a1, u64 a2)
{
	struct xs_trace_rec *r = &t->ring[t->seq & (t->cap - 1)];

	r->seq = t->seq++;
	r->time = time;
	r->kind = (u16)kind;
	r->unit = (u16)unit;
	r->cpu = cpu;
	r->a[0] = a0;
	r->a[1] = a1;
	r->a[2] = a2;
	/* Two runs with the same digest emitted the same records. */
	t->digest = (t->digest ^ (time + ((u64)kind << 48) +
				  ((u64)unit << 40) + cpu)) * XS_TRACE_MIX;
	t->digest = (t->digest ^ a0) * XS_TRACE_MIX;
	t->digest = (t->digest ^ a1) * XS_TRACE_MIX;
	t->digest = (t->digest ^ a2) * XS_TRACE_MIX;
}

u32 xs_trace_count(const struct xs_trace *t)
{
	return t->seq < t->cap ? (u32)t->seq : t->cap;
}

const struct xs_trace_rec *xs_trace_get(const struct xs_trace *t, u32 i)
{
	u32 n = xs_trace_count(t);

	if (i >= n)
		return NULL;
	return &t->ring[(t->seq - n + i) & (t->cap - 1)];
}

void xs_trace_dump(const struct xs_trace *t, FILE *f, u32 n)
{
	u32 have = xs_trace_count(t);
	u32 i;

	if (!n || n > have)
		n = have;
	for (i = have - n; i < have; i++) {
		const struct xs_trace_rec *r = xs_trace_get(t, i);
		const char *name = t->names[r->kind];

		fprintf(f,
			"#%" PRIu64 " t=%" PRIu64 "ns unit=%u cpu=%u %s "
			"%#" PRIx64 " %#" PRIx64 " %#" PRIx64 "\n",
			r->seq, r->time, r->unit, r->cpu,
			name ? name : "?", r->a[0], r->a[1], r->a[2]);
	}
}
