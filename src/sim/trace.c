// SPDX-License-Identifier: GPL-2.0
/* The trace ring: the last cap records, printed oldest first. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

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

/* The arguments of each hardware kind (as in xsmmu/trace.h). */
static const char *const hw_fields[XS_TR__HW_COUNT] = {
	[XS_TR_REG_WRITE] = "offset value -",
	[XS_TR_IQ_DESC] = "index qw0 qw1",
	[XS_TR_IQ_IQE] = "index iqei -",
	[XS_TR_IQ_ITE] = "index sid -",
	[XS_TR_IQ_ICE] = "index sid -",
	[XS_TR_IQ_WAIT] = "index status_addr data",
	[XS_TR_INV_IOTLB] = "gran did dropped",
	[XS_TR_INV_PSC] = "gran did dropped",
	[XS_TR_IOTLB_FILL] = "did iova phys",
	[XS_TR_IOTLB_EVICT] = "did iova phys",
	[XS_TR_WALK] = "did iova reads",
	[XS_TR_FAULT] = "sid iova reason",
	[XS_TR_DMA] = "sid iova phys|write",
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
	for (i = 0; i < XS_TR__MAX; i++) {
		t->names[i] = i < XS_TR__HW_COUNT ? hw_names[i] : NULL;
		t->fields[i] = i < XS_TR__HW_COUNT ? hw_fields[i] : NULL;
		t->decode_a0[i] = NULL;
	}
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

void xs_trace_fields(struct xs_trace *t, unsigned int kind,
		     const char *fields, const char *(*decode_a0)(u64 a0))
{
	if (kind < XS_TR__MAX) {
		t->fields[kind] = fields;
		t->decode_a0[kind] = decode_a0;
	}
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

		const char *fields = t->fields[r->kind];
		unsigned int a;
		int len;

		fprintf(f, "#%" PRIu64 " t=%" PRIu64 "ns unit=%u cpu=%u %s",
			r->seq, r->time, r->unit, r->cpu, name ? name : "?");
		for (a = 0; a < 3; a++) {
			/* The a-th name of fields, or "a0".."a2" without. */
			len = 2;
			if (fields) {
				while (*fields == ' ')
					fields++;
				len = (int)strcspn(fields, " ");
			}
			if (fields && len == 1 && *fields == '-') {
				fields += len;
				continue;
			}
			if (fields)
				fprintf(f, " %.*s=", len, fields);
			else
				fprintf(f, " a%u=", a);
			if (fields)
				fields += len;
			if (!a && t->decode_a0[r->kind])
				fprintf(f, "%s", t->decode_a0[r->kind](r->a[0]));
			else
				fprintf(f, "%#" PRIx64, r->a[a]);
		}
		fprintf(f, "\n");
	}
}
