// SPDX-License-Identifier: GPL-2.0
/*
 * The model demo: one VT-d unit, one domain, one device. A set of hot
 * pages stays mapped (an RX ring) while buffers are mapped, written by the
 * device, unmapped and invalidated under one of three policies. It shows,
 * at the hardware level, the cost the mode comparison is about: waits
 * spent per unmap, and the refill misses a domain-selective flush causes
 * on the hot pages. Issue 5 replaces it with the NIC simulation.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <xsmmu/vtd.h>
#include <xsmmu/vtd_pgtable.h>

#include "model_demo.h"

#define DEMO_SID	0x0100
#define DEMO_DID	1
#define HOT_BASE	0x10000000ULL
#define BUF_BASE	0x40000000ULL

struct demo {
	struct xs_params params;
	struct xs_clock clk;
	struct xs_trace trace;
	struct xs_physmem *pm;
	struct vtd_unit *u;
	struct vtd_pgtable pt;
	u64 iq_base;
	u64 status;
	u32 iq_tail;
	u32 seq;
	u64 rng;
	u64 wait_ns;
	u64 descs;
};

static u64 rnd(struct demo *d)
{
	/* splitmix64: deterministic for a seed */
	u64 z = (d->rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static u64 alloc_table(void *ctx)
{
	return xs_physmem_alloc_frame(ctx);
}

static void free_table(void *ctx, u64 pfn)
{
	xs_physmem_free_frame(ctx, pfn);
}

const char *demo_policy_name(enum demo_policy p)
{
	static const char *const names[DEMO_NR_POLICIES] = {
		[DEMO_PSI_EACH] = "psi-each (strict)",
		[DEMO_DSI_BATCH] = "dsi-batch (seed)",
		[DEMO_PSI_BATCH] = "psi-batch",
	};

	return names[p];
}

static void queue_desc(struct demo *d, struct vtd_desc desc)
{
	u64 a = d->iq_base + 16ULL * d->iq_tail;

	xs_physmem_write64(d->pm, a, desc.qw0);
	xs_physmem_write64(d->pm, a + 8, desc.qw1);
	d->iq_tail = (d->iq_tail + 1) % 256;
	d->descs++;
}

/* Appends a wait, rings the doorbell and spins until the status lands. */
static int submit_and_wait(struct demo *d)
{
	u64 t0;

	queue_desc(d, vtd_desc_wait(true, false, false, ++d->seq, d->status));
	t0 = xs_clock_now(&d->clk);
	xs_clock_advance(&d->clk, xs_param(&d->params, XS_P_MMIO_WRITE_NS));
	vtd_reg_write32(d->u, VTD_REG_IQT, d->iq_tail << 4);
	while (xs_physmem_read32(d->pm, d->status) != d->seq) {
		if (vtd_reg_read32(d->u, VTD_REG_FSTS) & VTD_FSTS_IQE) {
			fprintf(stderr, "demo: invalidation queue error\n");
			return -EIO;
		}
		xs_clock_advance(&d->clk,
				 xs_param(&d->params, XS_P_STATUS_POLL_NS));
		vtd_unit_run(d->u);
	}
	d->wait_ns += xs_clock_now(&d->clk) - t0;
	return 0;
}

static int setup(struct demo *d, const struct demo_opts *o,
		 const struct xs_params *p)
{
	struct vtd_unit_config cfg;
	u32 i;

	memset(d, 0, sizeof(*d));
	d->params = *p;
	d->rng = o->seed;
	if (xs_trace_init(&d->trace, 4096))
		return -ENOMEM;
	d->trace.on = o->trace_path != NULL;
	d->pm = xs_physmem_create(xs_param(p, XS_P_PHYS_FRAMES));
	if (!d->pm)
		return -ENOMEM;
	vtd_unit_config_default(&cfg, p);
	d->u = vtd_unit_create(&cfg, d->pm, &d->clk, &d->params, &d->trace);
	if (!d->u)
		return -EINVAL;
	d->iq_base = xs_physmem_alloc_frame(d->pm) << XS_PAGE_SHIFT;
	d->status = xs_physmem_alloc_frame(d->pm) << XS_PAGE_SHIFT;
	vtd_reg_write64(d->u, VTD_REG_IQA, d->iq_base);
	vtd_reg_write32(d->u, VTD_REG_IQT, 0);
	vtd_reg_write32(d->u, VTD_REG_GCMD, VTD_GCMD_QIE | VTD_GCMD_TE);
	if (vtd_pgtable_init(&d->pt, d->pm, alloc_table, d->pm))
		return -ENOMEM;
	vtd_context_set(d->u, DEMO_SID, DEMO_DID, d->pt.root);
	for (i = 0; i < o->hot_pages; i++) {
		u64 pfn = xs_physmem_alloc_frame(d->pm);

		if (!pfn || vtd_pgtable_map(&d->pt, HOT_BASE + i * XS_PAGE_SIZE,
					    pfn << XS_PAGE_SHIFT, XS_PAGE_SIZE,
					    VTD_SL_RW, VTD_PG_4K))
			return -ENOMEM;
	}
	return 0;
}

static void teardown(struct demo *d)
{
	if (d->pt.root)
		vtd_pgtable_destroy(&d->pt, free_table, d->pm);
	vtd_unit_destroy(d->u);
	xs_physmem_destroy(d->pm);
	xs_trace_destroy(&d->trace);
}

/* Invalidates the ranges of the last n unmaps under the policy. */
static int invalidate(struct demo *d, enum demo_policy pol, const u64 *iova,
		      u32 n)
{
	u32 i;

	switch (pol) {
	case DEMO_PSI_EACH:
		for (i = 0; i < n; i++) {
			/* 5.15's qi_flush_iotlb() always sends IH=0. */
			queue_desc(d, vtd_desc_iotlb(VTD_IOTLB_PSI, DEMO_DID,
						     iova[i], 0, false, true,
						     true));
			if (submit_and_wait(d))
				return -EIO;
		}
		return 0;
	case DEMO_DSI_BATCH:
		queue_desc(d, vtd_desc_iotlb(VTD_IOTLB_DSI, DEMO_DID, 0, 0,
					     false, true, true));
		return submit_and_wait(d);
	case DEMO_PSI_BATCH:
		for (i = 0; i < n; i++)
			queue_desc(d, vtd_desc_iotlb(VTD_IOTLB_PSI, DEMO_DID,
						     iova[i], 0, true, true,
						     true));
		return submit_and_wait(d);
	default:
		return -EINVAL;
	}
}

int demo_run(const struct demo_opts *o, const struct xs_params *p,
	     enum demo_policy pol, struct demo_result *res)
{
	const struct vtd_stats *st;
	u64 *pending, *pfns, op;
	u8 byte = 0xa5;
	struct demo d;
	u32 n = 0, i;
	int r;

	pending = calloc(o->batch, sizeof(*pending));
	pfns = calloc(o->batch, sizeof(*pfns));
	r = (pending && pfns) ? setup(&d, o, p) : -ENOMEM;
	for (op = 0; !r && op < o->ops; op++) {
		u64 iova = BUF_BASE + (op % 4096) * XS_PAGE_SIZE;
		u64 pfn = xs_physmem_alloc_frame(d.pm);

		if (!pfn || vtd_pgtable_map(&d.pt, iova, pfn << XS_PAGE_SHIFT,
					    XS_PAGE_SIZE, VTD_SL_RW,
					    VTD_PG_4K)) {
			r = -ENOMEM;
			break;
		}
		vtd_dma(d.u, DEMO_SID, iova, &byte, 1, true);
		for (i = 0; i < o->hot_accesses && o->hot_pages; i++) {
			u64 h = HOT_BASE +
				(rnd(&d) % o->hot_pages) * XS_PAGE_SIZE;

			vtd_dma(d.u, DEMO_SID, h, &byte, 1, true);
		}
		vtd_pgtable_unmap(&d.pt, iova, XS_PAGE_SIZE, NULL, NULL);
		pending[n] = iova;
		pfns[n++] = pfn;
		if (n == (pol == DEMO_PSI_EACH ? 1 : o->batch) ||
		    op + 1 == o->ops) {
			r = invalidate(&d, pol, pending, n);
			/* Only now may the buffers go back to the allocator. */
			for (i = 0; i < n; i++)
				xs_physmem_free_frame(d.pm, pfns[i]);
			n = 0;
		}
	}
	if (!r) {
		st = vtd_stats(d.u);
		res->policy = demo_policy_name(pol);
		res->ops = o->ops;
		res->descriptors = d.descs;
		res->waits = st->waits;
		res->iotlb_hits = st->iotlb_hits;
		res->iotlb_misses = st->iotlb_misses;
		res->walk_reads = st->walk_reads;
		res->inv_wait_ns = d.wait_ns;
		if (o->trace_path) {
			FILE *f = fopen(o->trace_path, "w");

			if (f) {
				xs_trace_dump(&d.trace, f, 0);
				fclose(f);
			} else {
				perror(o->trace_path);
				r = -EIO;
			}
		}
	}
	if (pending && pfns)
		teardown(&d);
	free(pending);
	free(pfns);
	return r;
}
