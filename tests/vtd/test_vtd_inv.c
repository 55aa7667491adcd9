// SPDX-License-Identifier: GPL-2.0
/*
 * What each invalidation granularity removes from the IOTLB and the
 * paging-structure caches (VT-d spec 6.5.2.3 and 6.2.x): global drops
 * everything, domain-selective drops the whole domain whatever IH says,
 * page-selective drops the 2^AM-page aligned block of the domain and, with
 * IH=0, the non-leaf entries that translate it. Also the device-TLB error
 * paths (ITE, ICE) and the descriptors that are only validated and costed.
 */
#include <string.h>

#include "vtd_fixture.h"

static u32 fsts(struct vtd_fx *fx)
{
	return vtd_reg_read32(fx->u, VTD_REG_FSTS);
}

static u32 psc_total(struct vtd_fx *fx, u32 did)
{
	return vtd_psc_count(fx->u, did, VTD_PSC_PDE) +
	       vtd_psc_count(fx->u, did, VTD_PSC_PDPE) +
	       vtd_psc_count(fx->u, did, VTD_PSC_PML4E);
}

/*
 * Three domains, each with 4K pages in two different 1 GiB regions, all
 * touched so that the IOTLB and every PSC level hold entries for them.
 */
static const u64 three_iova[] = { 0x1000, 0x2000, 0x40000000, 0x40001000 };

static void three_domains(struct vtd_fx *fx)
{
	static const u16 sid[3] = { FX_SID_A, FX_SID_B, FX_SID_C };
	static const u16 did[3] = { FX_DID_A, FX_DID_B, FX_DID_C };
	unsigned int d, i;

	for (d = 0; d < 3; d++) {
		vtd_fx_domain(fx, d, sid[d], did[d]);
		for (i = 0; i < XS_ARRAY_SIZE(three_iova); i++) {
			vtd_fx_map(fx, d, three_iova[i],
				   0x1000000 * (d + 1) + 0x1000 * i,
				   VTD_PG_4K, VTD_SL_RW, VTD_PG_4K);
			vtd_fx_touch(fx, sid[d], three_iova[i]);
		}
		assert_int_equal(vtd_iotlb_count(fx->u, did[d]), 4);
		/* One PML4E, two PDPEs, two PDEs per domain. */
		assert_int_equal(vtd_psc_count(fx->u, did[d], VTD_PSC_PML4E),
				 1);
		assert_int_equal(vtd_psc_count(fx->u, did[d], VTD_PSC_PDPE),
				 2);
		assert_int_equal(vtd_psc_count(fx->u, did[d], VTD_PSC_PDE), 2);
	}
	assert_int_equal(vtd_iotlb_count(fx->u, VTD_ANY_DID), 12);
}

static void test_inv_global_drops_all(void **state)
{
	struct vtd_fx *fx = *state;
	struct vtd_desc d = vtd_fx_global();

	three_domains(fx);
	vtd_stats_reset(fx->u);
	vtd_fx_sync(fx, &d, 1);
	assert_int_equal(vtd_iotlb_count(fx->u, VTD_ANY_DID), 0);
	assert_int_equal(psc_total(fx, VTD_ANY_DID), 0);
	assert_int_equal(vtd_stats(fx->u)->iotlb_dropped[VTD_GRAN_GLOBAL], 12);
	assert_int_equal(vtd_stats(fx->u)->iotlb_inv[VTD_GRAN_GLOBAL], 1);
	assert_int_equal(vtd_stats(fx->u)->iotlb_inv[VTD_GRAN_DSI], 0);
	assert_int_equal(vtd_stats(fx->u)->iotlb_inv[VTD_GRAN_PSI], 0);
}

/*
 * Domain-selective: every IOTLB and PSC entry of the domain goes, those of
 * other domains stay. IH is defined for page-selective invalidation only,
 * so a DSI with IH=1 still drops the domain's PSC entries.
 */
static void test_inv_dsi_domain_only(void **state)
{
	struct vtd_fx *fx = *state;
	struct vtd_desc d = vtd_fx_dsi(FX_DID_B);
	unsigned int i;

	three_domains(fx);
	d.qw1 |= VTD_IOTLB_IH;
	vtd_stats_reset(fx->u);
	vtd_fx_sync(fx, &d, 1);
	assert_int_equal(vtd_iotlb_count(fx->u, FX_DID_B), 0);
	assert_int_equal(psc_total(fx, FX_DID_B), 0);
	assert_int_equal(vtd_iotlb_count(fx->u, FX_DID_A), 4);
	assert_int_equal(vtd_iotlb_count(fx->u, FX_DID_C), 4);
	assert_int_equal(psc_total(fx, FX_DID_A), 5);
	assert_int_equal(psc_total(fx, FX_DID_C), 5);
	for (i = 0; i < XS_ARRAY_SIZE(three_iova); i++) {
		assert_false(vtd_fx_cached(fx, FX_DID_B, three_iova[i]));
		assert_true(vtd_fx_cached(fx, FX_DID_A, three_iova[i]));
		assert_true(vtd_fx_cached(fx, FX_DID_C, three_iova[i]));
	}
	assert_int_equal(vtd_stats(fx->u)->iotlb_dropped[VTD_GRAN_DSI], 4);
	assert_int_equal(vtd_stats(fx->u)->iotlb_inv[VTD_GRAN_DSI], 1);

	/* Same with IH=0. */
	d = vtd_fx_dsi(FX_DID_A);
	vtd_fx_sync(fx, &d, 1);
	assert_int_equal(vtd_iotlb_count(fx->u, FX_DID_A), 0);
	assert_int_equal(psc_total(fx, FX_DID_A), 0);
	assert_int_equal(vtd_iotlb_count(fx->u, FX_DID_C), 4);
	assert_int_equal(vtd_stats(fx->u)->iotlb_dropped[VTD_GRAN_DSI], 8);
	assert_int_equal(vtd_stats(fx->u)->iotlb_inv[VTD_GRAN_DSI], 2);
}

/*
 * PSI with AM = 0..MAMV: exactly the 2^AM pages of the naturally aligned
 * block go; the pages just below and just above it stay (spec 6.5.2.3,
 * "Address Mask"). Only the addressed domain is affected.
 */
static void test_inv_psi_am_sweep(void **state)
{
	struct vtd_fx *fx = *state;
	unsigned int am, i, j, n;

	vtd_fx_domain(fx, 0, FX_SID_A, FX_DID_A);
	vtd_fx_domain(fx, 1, FX_SID_B, FX_DID_B);
	for (am = 0; am <= fx->cfg.mamv; am++) {
		u64 size = VTD_PG_4K << am;
		u64 start = 3 * size;
		u64 in[3] = { start, start + ((size / 2) & ~0xfffULL),
				start + size - 0x1000 };
		u64 out[2] = { start - 0x1000, start + size };
		struct vtd_desc d;
		u64 dropped;
		unsigned int nin = 0;

		for (i = 0; i < 3; i++) {
			for (j = 0; j < i; j++)
				if (in[j] == in[i])
					break;
			if (j < i)
				continue;
			in[nin++] = in[i];
		}
		for (i = 0; i < nin + 2; i++) {
			u64 a = i < nin ? in[i] : out[i - nin];
			u64 p;

			for (n = 0; n < 2; n++) {
				if (vtd_pgtable_lookup(&fx->pt[n], a, &p, NULL,
						       NULL))
					vtd_fx_map(fx, n, a, a, VTD_PG_4K,
						   VTD_SL_RW, VTD_PG_4K);
			}
			vtd_fx_touch(fx, FX_SID_A, a);
			vtd_fx_touch(fx, FX_SID_B, a);
		}
		for (i = 0; i < nin; i++)
			assert_true(vtd_fx_cached(fx, FX_DID_A, in[i]));
		for (i = 0; i < 2; i++)
			assert_true(vtd_fx_cached(fx, FX_DID_A, out[i]));

		dropped = vtd_stats(fx->u)->iotlb_dropped[VTD_GRAN_PSI];
		d = vtd_fx_psi(FX_DID_A, start, (u8)am, false);
		vtd_fx_sync(fx, &d, 1);
		for (i = 0; i < nin; i++) {
			if (vtd_fx_cached(fx, FX_DID_A, in[i]))
				fail_msg("am %u: page %#llx inside kept", am,
					 (unsigned long long)in[i]);
			assert_true(vtd_fx_cached(fx, FX_DID_B, in[i]));
		}
		for (i = 0; i < 2; i++)
			if (!vtd_fx_cached(fx, FX_DID_A, out[i]))
				fail_msg("am %u: page %#llx outside dropped",
					 am, (unsigned long long)out[i]);
		assert_int_equal(vtd_stats(fx->u)->iotlb_dropped[VTD_GRAN_PSI],
				 dropped + nin);
	}
	assert_int_equal(vtd_stats(fx->u)->iotlb_inv[VTD_GRAN_PSI],
			 fx->cfg.mamv + 1);
}

/* Hardware ignores ADDR bits 12+AM-1..12: the aligned block goes. */
static void test_inv_psi_unaligned_addr(void **state)
{
	struct vtd_fx *fx = *state;
	struct vtd_desc d;
	u64 a;

	vtd_fx_domain(fx, 0, FX_SID_A, FX_DID_A);
	vtd_fx_map(fx, 0, 0xf000, 0x500000, 6 * VTD_PG_4K, VTD_SL_RW,
		   VTD_PG_4K);
	for (a = 0xf000; a <= 0x14000; a += 0x1000)
		vtd_fx_touch(fx, FX_SID_A, a);

	d = vtd_fx_psi(FX_DID_A, 0x12000, 2, false);
	vtd_fx_sync(fx, &d, 1);
	assert_true(vtd_fx_cached(fx, FX_DID_A, 0xf000));
	for (a = 0x10000; a <= 0x13000; a += 0x1000)
		assert_false(vtd_fx_cached(fx, FX_DID_A, a));
	assert_true(vtd_fx_cached(fx, FX_DID_A, 0x14000));
	assert_int_equal(vtd_stats(fx->u)->iotlb_dropped[VTD_GRAN_PSI], 4);
}

/* A 2 MiB entry overlapping the range is dropped (spec 6.5.2.3). */
static void test_inv_psi_superpage(void **state)
{
	struct vtd_fx *fx = *state;
	struct vtd_iotlb_view v;
	struct vtd_desc d;

	vtd_fx_domain(fx, 0, FX_SID_A, FX_DID_A);
	vtd_fx_map(fx, 0, 0x200000, 0x800000, VTD_PG_2M, VTD_SL_RW,
		   VTD_PG_2M);
	vtd_fx_map(fx, 0, 0x400000, 0xa00000, VTD_PG_4K, VTD_SL_RW,
		   VTD_PG_4K);
	vtd_fx_touch(fx, FX_SID_A, 0x200000);
	vtd_fx_touch(fx, FX_SID_A, 0x400000);
	assert_true(vtd_iotlb_probe(fx->u, FX_DID_A, 0x200000, &v));
	assert_int_equal(v.level, 2);
	assert_int_equal(v.phys, 0x800000);

	/* One 4K page near the end of the superpage. */
	d = vtd_fx_psi(FX_DID_A, 0x3ff000, 0, true);
	vtd_fx_sync(fx, &d, 1);
	assert_false(vtd_iotlb_probe(fx->u, FX_DID_A, 0x200000, &v));
	assert_true(vtd_fx_cached(fx, FX_DID_A, 0x400000));
	assert_int_equal(vtd_iotlb_count(fx->u, FX_DID_A), 1);
}

/*
 * IH=0: the non-leaf entries that translate the range must be flushed as
 * well (spec 11.4.8.2, IVA_REG.IH: "hardware must flush both the cached
 * leaf and non-leaf page-table entries corresponding to mappings specified
 * by ADDR and AM"). Other domains keep theirs.
 */
static void test_inv_psi_ih0_drops_psc(void **state)
{
	struct vtd_fx *fx = *state;
	const u64 x = 0x40001000;
	struct vtd_desc d;
	int l;
	u64 t;

	three_domains(fx);
	for (l = 0; l < VTD_PSC_LEVELS; l++)
		assert_true(vtd_psc_probe(fx->u, FX_DID_A, x, l, &t));
	vtd_stats_reset(fx->u);
	d = vtd_fx_psi(FX_DID_A, x, 0, false);
	vtd_fx_sync(fx, &d, 1);
	assert_false(vtd_fx_cached(fx, FX_DID_A, x));
	for (l = 0; l < VTD_PSC_LEVELS; l++) {
		if (vtd_psc_probe(fx->u, FX_DID_A, x, l, &t))
			fail_msg("PSC level %d entry for %#llx kept with IH=0",
				 l, (unsigned long long)x);
		assert_true(vtd_psc_probe(fx->u, FX_DID_B, x, l, &t));
		assert_true(vtd_psc_probe(fx->u, FX_DID_C, x, l, &t));
	}
	assert_int_equal(psc_total(fx, FX_DID_B), 5);
	assert_int_equal(psc_total(fx, FX_DID_C), 5);
	assert_true(vtd_stats(fx->u)->psc_dropped[VTD_PSC_PDE] >= 1);
	assert_int_equal(vtd_stats(fx->u)->iotlb_dropped[VTD_GRAN_PSI], 1);
	/* The next walk of x reads every level again. */
	{
		struct vtd_xlate xl;

		assert_int_equal(vtd_translate(fx->u, FX_SID_A, x, false, &xl),
				 0);
		assert_false(xl.iotlb_hit);
		assert_int_equal(xl.walk_reads, 4);
	}
}

/*
 * IH=1: software promises the non-leaf entries did not change, so the
 * PSC entries stay (what F&S relies on) and the next miss on a page under
 * the same page table costs one read.
 */
static void test_inv_psi_ih1_keeps_psc(void **state)
{
	struct vtd_fx *fx = *state;
	const u64 x = 0x40001000;
	struct vtd_xlate xl;
	struct vtd_desc d;
	u32 before[VTD_PSC_LEVELS];
	int l;
	u64 t;

	three_domains(fx);
	for (l = 0; l < VTD_PSC_LEVELS; l++)
		before[l] = vtd_psc_count(fx->u, FX_DID_A, l);
	vtd_stats_reset(fx->u);
	d = vtd_fx_psi(FX_DID_A, x, 0, true);
	vtd_fx_sync(fx, &d, 1);
	assert_false(vtd_fx_cached(fx, FX_DID_A, x));
	assert_true(vtd_fx_cached(fx, FX_DID_A, 0x40000000));
	for (l = 0; l < VTD_PSC_LEVELS; l++) {
		assert_true(vtd_psc_probe(fx->u, FX_DID_A, x, l, &t));
		assert_int_equal(vtd_psc_count(fx->u, FX_DID_A, l), before[l]);
		assert_int_equal(vtd_stats(fx->u)->psc_dropped[l], 0);
	}
	assert_int_equal(vtd_translate(fx->u, FX_SID_A, x, false, &xl), 0);
	assert_false(xl.iotlb_hit);
	assert_int_equal(xl.walk_reads, 1);
}

/* PSI only touches its own domain's IOTLB entries. */
static void test_inv_psi_other_domain_untouched(void **state)
{
	struct vtd_fx *fx = *state;
	struct vtd_desc d = vtd_fx_psi(FX_DID_C, 0x2000, 0, false);

	three_domains(fx);
	vtd_fx_sync(fx, &d, 1);
	assert_false(vtd_fx_cached(fx, FX_DID_C, 0x2000));
	assert_true(vtd_fx_cached(fx, FX_DID_A, 0x2000));
	assert_true(vtd_fx_cached(fx, FX_DID_B, 0x2000));
	assert_int_equal(vtd_iotlb_count(fx->u, VTD_ANY_DID), 11);
}

/*
 * Context-cache and interrupt-entry-cache invalidations touch neither the
 * IOTLB nor the PSCs; DR/DW on an IOTLB descriptor are drain hints the
 * hardware may ignore, never a reason to reject it.
 */
static void test_inv_cc_iec_drain_bits(void **state)
{
	struct vtd_fx *fx = *state;
	struct vtd_desc q[6];

	three_domains(fx);
	vtd_stats_reset(fx->u);
	q[0] = vtd_desc_cc(VTD_CC_GLOBAL, 0, 0, 0);
	q[1] = vtd_desc_cc(VTD_CC_DOMAIN, FX_DID_A, 0, 0);
	q[2] = vtd_desc_cc(VTD_CC_DEVICE, FX_DID_A, FX_SID_A, 3);
	q[3] = vtd_desc_iec(false, 0, 0);
	q[4] = vtd_desc_iec(true, 0x40, 2);
	q[5] = vtd_desc_iotlb(VTD_IOTLB_PSI, FX_DID_B, 0x7000, 0, false, true,
			      true);
	vtd_fx_sync(fx, q, 6);
	assert_int_equal(vtd_iotlb_count(fx->u, VTD_ANY_DID), 12);
	/* The PSI (IH = 0) drops DID_B's three PSC entries over 0x7000. */
	assert_int_equal(psc_total(fx, VTD_ANY_DID), 12);
	assert_int_equal(psc_total(fx, FX_DID_B), 2);
	assert_int_equal(vtd_stats(fx->u)->desc_done[VTD_DESC_CC], 3);
	assert_int_equal(vtd_stats(fx->u)->desc_done[VTD_DESC_IEC], 2);
	assert_int_equal(vtd_stats(fx->u)->desc_done[VTD_DESC_IOTLB], 1);
	assert_int_equal(vtd_stats(fx->u)->desc_done[VTD_DESC_WAIT], 1);
	assert_int_equal(vtd_stats(fx->u)->waits, 1);
}

/* A device-TLB invalidation the device answers completes normally. */
static void test_inv_devtlb_ok(void **state)
{
	struct vtd_fx *fx = *state;
	struct vtd_desc d = vtd_desc_devtlb(FX_SID_A, FX_SID_A, 0, 0x5000,
					    false);

	vtd_set_devtlb_behaviour(fx->u, FX_SID_A, VTD_DEVTLB_OK);
	vtd_fx_sync(fx, &d, 1);
	assert_int_equal(vtd_stats(fx->u)->desc_done[VTD_DESC_DEVTLB], 1);
	assert_int_equal(vtd_stats(fx->u)->ite, 0);
}

/*
 * A device that never answers: after the time-out hardware sets ITE,
 * records the source id in IQER.ITESID, and the pending wait descriptor
 * is not completed (spec 6.5.2.10; 5.15 marks it QI_ABORT and resubmits).
 */
static void test_inv_devtlb_timeout_ite(void **state)
{
	struct vtd_fx *fx = *state;
	u64 timeout = xs_param(&fx->params, XS_P_DEVTLB_TIMEOUT_NS);
	struct vtd_desc q[2];
	u64 start;

	vtd_set_devtlb_behaviour(fx->u, FX_SID_B, VTD_DEVTLB_TIMEOUT);
	vtd_fx_status_reset(fx, 0);
	q[0] = vtd_desc_devtlb(FX_SID_B, FX_SID_B, 0, 0x5000, false);
	q[1] = vtd_fx_wait(fx, 0, 0x77);
	start = fx->clk.now;
	vtd_fx_submit(fx, q, 2);

	xs_clock_advance_to(&fx->clk, start + timeout / 2);
	vtd_unit_run(fx->u);
	assert_false(fsts(fx) & VTD_FSTS_ITE);

	vtd_iq_drain(fx->u);
	assert_true(fsts(fx) & VTD_FSTS_ITE);
	assert_true(fx->clk.now >= start + timeout);
	assert_int_equal(VTD_IQER_ITESID(vtd_reg_read64(fx->u, VTD_REG_IQER)),
			 FX_SID_B);
	assert_int_equal(vtd_fx_status(fx, 0), FX_STATUS_INIT);
	assert_true(vtd_iq_idle(fx->u));
	assert_int_equal(vtd_stats(fx->u)->ite, 1);

	xs_clock_advance(&fx->clk, 10 * timeout);
	vtd_unit_run(fx->u);
	assert_int_equal(vtd_fx_status(fx, 0), FX_STATUS_INIT);
	assert_true(fsts(fx) & VTD_FSTS_ITE);

	/* Software clears ITE (RW1C); new submissions complete again. */
	vtd_set_devtlb_behaviour(fx->u, FX_SID_B, VTD_DEVTLB_OK);
	vtd_reg_write32(fx->u, VTD_REG_FSTS, (u32)VTD_FSTS_ITE);
	assert_false(fsts(fx) & VTD_FSTS_ITE);
	vtd_fx_status_reset(fx, 5);
	q[0] = vtd_fx_wait(fx, 5, 0x55);
	vtd_fx_submit(fx, q, 1);
	vtd_iq_drain(fx->u);
	assert_int_equal(vtd_fx_status(fx, 5), 0x55);
	assert_false(fsts(fx) & VTD_FSTS_ITE);
}

/* A completion with a bad tag: ICE with the source id in IQER.ICESID. */
static void test_inv_devtlb_bad_completion_ice(void **state)
{
	struct vtd_fx *fx = *state;
	struct vtd_desc q[2];

	vtd_set_devtlb_behaviour(fx->u, FX_SID_C, VTD_DEVTLB_BAD_COMPLETION);
	q[0] = vtd_desc_devtlb(FX_SID_C, FX_SID_C, 0, 0x5000, false);
	q[1] = vtd_fx_wait(fx, 0, 0x77);
	vtd_fx_submit(fx, q, 2);
	vtd_iq_drain(fx->u);
	assert_true(fsts(fx) & VTD_FSTS_ICE);
	assert_false(fsts(fx) & VTD_FSTS_IQE);
	assert_int_equal(VTD_IQER_ICESID(vtd_reg_read64(fx->u, VTD_REG_IQER)),
			 FX_SID_C);
	assert_int_equal(vtd_stats(fx->u)->ice, 1);
	vtd_reg_write32(fx->u, VTD_REG_FSTS, (u32)VTD_FSTS_ICE);
	assert_false(fsts(fx) & VTD_FSTS_ICE);
}

/* The observer sees every fill and every drop, with the entry's data. */
struct obs_counts {
	u64 fills, drops, psc_fills, psc_drops, waits;
	u64 last_drop_iova, last_drop_phys;
	u32 last_wait_data;
};

static void obs_fill(void *ctx, struct vtd_unit *u, u16 did, u64 iova,
		     u64 phys, u8 level, u32 gen)
{
	((struct obs_counts *)ctx)->fills++;
}

static void obs_drop(void *ctx, struct vtd_unit *u, u16 did, u64 iova,
		     u64 phys, u8 level, u32 gen)
{
	struct obs_counts *c = ctx;

	c->drops++;
	c->last_drop_iova = iova;
	c->last_drop_phys = phys;
}

static void obs_psc_fill(void *ctx, struct vtd_unit *u, u16 did, u64 iova,
			 u64 table_phys, enum vtd_psc_level level, u32 gen)
{
	((struct obs_counts *)ctx)->psc_fills++;
}

static void obs_psc_drop(void *ctx, struct vtd_unit *u, u16 did, u64 iova,
			 u64 table_phys, enum vtd_psc_level level, u32 gen)
{
	((struct obs_counts *)ctx)->psc_drops++;
}

static void obs_wait(void *ctx, struct vtd_unit *u, u64 status_addr,
		     u32 data)
{
	struct obs_counts *c = ctx;

	c->waits++;
	c->last_wait_data = data;
}

static void test_inv_observer_sees_drops(void **state)
{
	struct vtd_fx *fx = *state;
	struct obs_counts c;
	struct vtd_observer obs = {
		.ctx = &c,
		.iotlb_fill = obs_fill,
		.iotlb_drop = obs_drop,
		.psc_fill = obs_psc_fill,
		.psc_drop = obs_psc_drop,
		.wait_done = obs_wait,
	};
	struct vtd_desc d;

	memset(&c, 0, sizeof(c));
	vtd_set_observer(fx->u, &obs);
	three_domains(fx);
	assert_int_equal(c.fills, 12);
	assert_int_equal(c.psc_fills, 15);

	d = vtd_fx_psi(FX_DID_A, 0x40001000, 0, true);
	vtd_fx_sync(fx, &d, 1);
	assert_int_equal(c.drops, 1);
	assert_int_equal(c.last_drop_iova, 0x40001000);
	assert_int_equal(c.last_drop_phys, 0x1000000 + 0x3000);
	assert_int_equal(c.psc_drops, 0);
	assert_int_equal(c.waits, 1);
	assert_int_equal(c.last_wait_data, 0x600d);

	d = vtd_fx_global();
	vtd_fx_sync(fx, &d, 1);
	assert_int_equal(c.drops, 12);
	assert_int_equal(c.psc_drops, 15);
	assert_int_equal(c.waits, 2);
}

/*
 * Hardware that does not act on the hint (psi_ih_keeps_psc=0, what F&S's
 * PSC-miss counts after strict unmaps suggest): a PSI with IH=1 drops the
 * PSC entries over the block like IH=0, so the next walk reads every level.
 */
static void tweak_ih_ignored(struct vtd_unit_config *cfg, struct xs_params *p)
{
	(void)p;
	cfg->psi_ih_keeps_psc = false;
}

static int setup_ih_ignored(void **state)
{
	*state = vtd_fx_new(tweak_ih_ignored);
	return *state ? 0 : -1;
}

static void test_inv_psi_ih1_ignored_drops_psc(void **state)
{
	struct vtd_fx *fx = *state;
	const u64 x = 0x40001000;
	struct vtd_xlate xl;
	struct vtd_desc d;
	int l;
	u64 t;

	three_domains(fx);
	d = vtd_fx_psi(FX_DID_A, x, 0, true);
	vtd_fx_sync(fx, &d, 1);
	for (l = 0; l < VTD_PSC_LEVELS; l++) {
		assert_false(vtd_psc_probe(fx->u, FX_DID_A, x, l, &t));
		assert_true(vtd_psc_probe(fx->u, FX_DID_B, x, l, &t));
	}
	assert_int_equal(vtd_translate(fx->u, FX_SID_A, x, false, &xl), 0);
	assert_false(xl.iotlb_hit);
	assert_int_equal(xl.walk_reads, 4);
}

/*
 * psi_ih0_psc_domain=1: hardware that, on a PSI with IH=0, drops every PSC
 * entry of the domain (the wording of the Xeon E7 v2 datasheet, see
 * docs/calibration.md), not only those over the block. The PSI is for
 * 0x40001000 (second GiB); the domain's entries for 0x1000 (first GiB,
 * another PDPE and PDE) do not overlap it. 0x3000, mapped but never
 * touched, sits under the same PDE as 0x1000: its walk length shows
 * whether that PDE entry survived.
 */
static const u64 psc_unrelated = 0x1000;
static const u64 psc_probe_iova = 0x3000;

static void tweak_psc_domain(struct vtd_unit_config *cfg, struct xs_params *p)
{
	struct vtd_unit_config fresh;
	char err[128];

	/* Through the parameter table, as --param sets it. */
	if (xs_params_set(p, "psi_ih0_psc_domain=1", err, sizeof(err)))
		fail_msg("%s", err);
	vtd_unit_config_default(&fresh, p);
	cfg->psi_ih0_psc_domain = fresh.psi_ih0_psc_domain;
}

static int setup_psc_domain(void **state)
{
	*state = vtd_fx_new(tweak_psc_domain);
	return *state ? 0 : -1;
}

/* Fills the caches and issues a one-page PSI in domain A. */
static void psc_scope_psi(struct vtd_fx *fx, bool ih)
{
	struct vtd_desc d = vtd_fx_psi(FX_DID_A, 0x40001000, 0, ih);
	int l;
	u64 t;

	three_domains(fx);
	vtd_fx_map(fx, 0, psc_probe_iova, 0x1000000 + 0x10000, VTD_PG_4K,
		   VTD_SL_RW, VTD_PG_4K);
	for (l = 0; l < VTD_PSC_LEVELS; l++)
		assert_true(vtd_psc_probe(fx->u, FX_DID_A, psc_unrelated, l,
					  &t));
	vtd_stats_reset(fx->u);
	vtd_fx_sync(fx, &d, 1);
	/* The leaf side is the same whatever the knob: the block only. */
	assert_false(vtd_fx_cached(fx, FX_DID_A, 0x40001000));
	assert_true(vtd_fx_cached(fx, FX_DID_A, psc_unrelated));
	assert_int_equal(vtd_stats(fx->u)->iotlb_dropped[VTD_GRAN_PSI], 1);
	/* Other domains keep every PSC entry, over the block and beyond. */
	assert_int_equal(psc_total(fx, FX_DID_B), 5);
	assert_int_equal(psc_total(fx, FX_DID_C), 5);
	for (l = 0; l < VTD_PSC_LEVELS; l++)
		assert_true(vtd_psc_probe(fx->u, FX_DID_B, psc_unrelated, l,
					  &t));
}

/* Memory reads of the first translation of the untouched 0x3000. */
static u32 psc_probe_walk(struct vtd_fx *fx)
{
	struct vtd_xlate xl;

	assert_int_equal(vtd_translate(fx->u, FX_SID_A, psc_probe_iova, false,
				       &xl), 0);
	assert_false(xl.iotlb_hit);
	return xl.walk_reads;
}

/* Knob on, IH=0: the unrelated range's PML4E/PDPE/PDE entries go too. */
static void test_inv_psi_ih0_domain_drops_unrelated_psc(void **state)
{
	struct vtd_fx *fx = *state;
	int l;
	u64 t;

	assert_true(fx->cfg.psi_ih0_psc_domain);
	psc_scope_psi(fx, false);
	for (l = 0; l < VTD_PSC_LEVELS; l++)
		assert_false(vtd_psc_probe(fx->u, FX_DID_A, psc_unrelated, l,
					   &t));
	assert_int_equal(psc_total(fx, FX_DID_A), 0);
	/* Both GiB regions' entries: 2 PDE, 2 PDPE, 1 PML4E. */
	assert_int_equal(vtd_stats(fx->u)->psc_dropped[VTD_PSC_PDE], 2);
	assert_int_equal(vtd_stats(fx->u)->psc_dropped[VTD_PSC_PDPE], 2);
	assert_int_equal(vtd_stats(fx->u)->psc_dropped[VTD_PSC_PML4E], 1);
	assert_int_equal(psc_probe_walk(fx), 4);
}

/*
 * Knob off (the default), IH=0: the unrelated range's PDE and PDPE stay;
 * only the PML4E, whose 512 GiB span covers the block, goes.
 */
static void test_inv_psi_ih0_overlap_keeps_unrelated_psc(void **state)
{
	struct vtd_fx *fx = *state;
	u64 t;

	assert_false(fx->cfg.psi_ih0_psc_domain);
	psc_scope_psi(fx, false);
	assert_true(vtd_psc_probe(fx->u, FX_DID_A, psc_unrelated,
				  VTD_PSC_PDE, &t));
	assert_true(vtd_psc_probe(fx->u, FX_DID_A, psc_unrelated,
				  VTD_PSC_PDPE, &t));
	assert_false(vtd_psc_probe(fx->u, FX_DID_A, psc_unrelated,
				   VTD_PSC_PML4E, &t));
	assert_int_equal(psc_total(fx, FX_DID_A), 2);
	assert_int_equal(vtd_stats(fx->u)->psc_dropped[VTD_PSC_PDE], 1);
	assert_int_equal(vtd_stats(fx->u)->psc_dropped[VTD_PSC_PDPE], 1);
	assert_int_equal(psc_probe_walk(fx), 1);
}

/* IH=1 keeps every PSC entry of the domain, knob on or off. */
static void test_inv_psi_ih1_keeps_psc_any_scope(void **state)
{
	struct vtd_fx *fx = *state;
	int l;
	u64 t;

	psc_scope_psi(fx, true);
	assert_int_equal(psc_total(fx, FX_DID_A), 5);
	for (l = 0; l < VTD_PSC_LEVELS; l++) {
		assert_true(vtd_psc_probe(fx->u, FX_DID_A, 0x40001000, l, &t));
		assert_true(vtd_psc_probe(fx->u, FX_DID_A, psc_unrelated, l,
					  &t));
		assert_int_equal(vtd_stats(fx->u)->psc_dropped[l], 0);
	}
	assert_int_equal(psc_probe_walk(fx), 1);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, vtd_fx_setup, vtd_fx_teardown)
		T(test_inv_global_drops_all),
		T(test_inv_dsi_domain_only),
		T(test_inv_psi_am_sweep),
		T(test_inv_psi_unaligned_addr),
		T(test_inv_psi_superpage),
		T(test_inv_psi_ih0_drops_psc),
		T(test_inv_psi_ih1_keeps_psc),
		cmocka_unit_test_setup_teardown(test_inv_psi_ih1_ignored_drops_psc,
						setup_ih_ignored, vtd_fx_teardown),
		T(test_inv_psi_other_domain_untouched),
		T(test_inv_psi_ih0_overlap_keeps_unrelated_psc),
		T(test_inv_psi_ih1_keeps_psc_any_scope),
		cmocka_unit_test_setup_teardown(
			test_inv_psi_ih0_domain_drops_unrelated_psc,
			setup_psc_domain, vtd_fx_teardown),
		cmocka_unit_test_setup_teardown(
			test_inv_psi_ih1_keeps_psc_any_scope,
			setup_psc_domain, vtd_fx_teardown),
		T(test_inv_cc_iec_drain_bits),
		T(test_inv_devtlb_ok),
		T(test_inv_devtlb_timeout_ite),
		T(test_inv_devtlb_bad_completion_ice),
		T(test_inv_observer_sees_drops),
#undef T
	};

	return XS_RUN_GROUP("vtd_inv", tests);
}
