// SPDX-License-Identifier: GPL-2.0
/*
 * The invalidation queue as software sees it (VT-d spec 6.5.2 and 11.4.9):
 * register state after enabling, fetching head to tail with wrap-around,
 * invalid descriptors stopping the queue with IQE until software replaces
 * them and clears the RW1C status bit (what 5.15's qi_check_fault() does),
 * wait descriptor ordering and completion, and the virtual-time interface.
 */
#include <string.h>

#include "vtd_fixture.h"

static u32 fsts(struct vtd_fx *fx)
{
	return vtd_reg_read32(fx->u, VTD_REG_FSTS);
}

/*
 * Submits [wait(2), bad, wait(1)]. The descriptor before the bad one must
 * complete, the queue must stop with IQH on the bad one and nothing after
 * it may take effect (spec 6.5.2.10: "hardware ... sets IQE ... and stops
 * fetching"). Then recovers as qi_check_fault() does: overwrite the slot,
 * clear IQE, and the rest of the queue runs.
 */
static void check_rejected(struct vtd_fx *fx, struct vtd_desc bad,
			   const char *what, unsigned int arg)
{
	struct vtd_desc fix = vtd_desc_iec(false, 0, 0);
	u64 iqe_before = vtd_stats(fx->u)->iqe;
	u32 bad_idx = (fx->tail + 1) % VTD_FX_QLEN;
	struct vtd_desc q[3];
	u64 iqer;

	vtd_fx_status_reset(fx, 1);
	vtd_fx_status_reset(fx, 2);
	q[0] = vtd_fx_wait(fx, 2, 0x2222);
	q[1] = bad;
	q[2] = vtd_fx_wait(fx, 1, 0x1111);
	vtd_fx_submit(fx, q, 3);
	vtd_iq_drain(fx->u);

	if (!(fsts(fx) & VTD_FSTS_IQE))
		fail_msg("%s %u (%016llx:%016llx): IQE not set", what, arg,
			 (unsigned long long)bad.qw1,
			 (unsigned long long)bad.qw0);
	assert_int_equal(vtd_fx_status(fx, 2), 0x2222);
	assert_int_equal(vtd_fx_status(fx, 1), FX_STATUS_INIT);
	assert_int_equal(vtd_fx_iqh(fx), bad_idx);
	iqer = vtd_reg_read64(fx->u, VTD_REG_IQER);
	/* Hardware reports either an invalid type or an invalid field. */
	if (VTD_IQER_IQEI(iqer) != VTD_IQEI_TYPE &&
	    VTD_IQER_IQEI(iqer) != VTD_IQEI_RSVD)
		fail_msg("%s %u: IQEI %llu", what, arg,
			 (unsigned long long)VTD_IQER_IQEI(iqer));
	assert_true(vtd_iq_idle(fx->u));
	assert_int_equal(vtd_unit_next_event(fx->u), VTD_NO_EVENT);
	assert_int_equal(vtd_stats(fx->u)->iqe, iqe_before + 1);

	/* Time alone does not restart a stopped queue. */
	xs_clock_advance(&fx->clk, 1000000);
	vtd_unit_run(fx->u);
	assert_int_equal(vtd_fx_status(fx, 1), FX_STATUS_INIT);
	assert_int_equal(vtd_fx_iqh(fx), bad_idx);

	/* FSTS.IQE is RW1C: writing 0 leaves it set. */
	vtd_reg_write32(fx->u, VTD_REG_FSTS, 0);
	assert_true(fsts(fx) & VTD_FSTS_IQE);

	vtd_fx_write_slot(fx, bad_idx, &fix);
	vtd_reg_write32(fx->u, VTD_REG_FSTS, (u32)VTD_FSTS_IQE);
	assert_false(fsts(fx) & VTD_FSTS_IQE);
	vtd_iq_drain(fx->u);
	assert_int_equal(vtd_fx_status(fx, 1), 0x1111);
	assert_int_equal(vtd_fx_iqh(fx), fx->tail);
	assert_int_equal(fsts(fx) & (VTD_FSTS_IQE | VTD_FSTS_ITE |
				     VTD_FSTS_ICE), 0);
}

static void test_iq_registers_after_enable(void **state)
{
	struct vtd_fx *fx = *state;
	u64 cap = vtd_reg_read64(fx->u, VTD_REG_CAP);
	u64 ecap = vtd_reg_read64(fx->u, VTD_REG_ECAP);
	u32 gsts = vtd_reg_read32(fx->u, VTD_REG_GSTS);

	assert_int_equal(vtd_reg_read32(fx->u, VTD_REG_VER), VTD_VER_VALUE);
	assert_true(gsts & VTD_GSTS_QIES);
	assert_true(gsts & VTD_GSTS_TES);
	assert_int_equal(vtd_reg_read64(fx->u, VTD_REG_IQA), fx->iq_phys);
	assert_int_equal(vtd_reg_read64(fx->u, VTD_REG_IQH), 0);
	assert_int_equal(vtd_reg_read64(fx->u, VTD_REG_IQT), 0);
	assert_int_equal(fsts(fx), 0);
	assert_int_equal(vtd_reg_read32(fx->u, VTD_REG_ICS), 0);

	/* CAP (spec 11.4.2): counts are encoded minus one, MGAW too. */
	assert_true(VTD_CAP_SAGAW(cap) & VTD_CAP_SAGAW_4LVL);
	assert_int_equal(VTD_CAP_MGAW(cap), VTD_AGAW_BITS - 1);
	assert_int_equal(VTD_CAP_FRO(cap) * 16, VTD_FRCD_REG_BASE);
	assert_int_equal(VTD_CAP_NFR(cap), fx->cfg.nfr - 1);
	assert_int_equal(VTD_CAP_MAMV(cap), fx->cfg.mamv);
	assert_true(cap & VTD_CAP_PSI);
	assert_int_equal(VTD_CAP_SLLPS(cap),
			 VTD_CAP_SLLPS_2M | VTD_CAP_SLLPS_1G);
	assert_true(ecap & VTD_ECAP_QI);
	assert_true(ecap & VTD_ECAP_DT);
	assert_int_equal(fx->cfg.mamv,
			 xs_param(&fx->params, XS_P_CAP_MAMV));
}

/* Types 0 and 6..15 are not legacy descriptors (spec 6.5.2). */
static void test_iq_unknown_types(void **state)
{
	struct vtd_fx *fx = *state;
	struct vtd_desc d = { 0 };
	unsigned int t;

	for (t = 0; t < 16; t++) {
		if (t >= VTD_DESC_CC && t <= VTD_DESC_WAIT)
			continue;
		d.qw0 = t;
		d.qw1 = 0;
		check_rejected(fx, d, "type", t);
	}
}

/* Bits 11:9 are Type[6:4]: any of them set names a non-legacy type. */
static void test_iq_type_hi_bits(void **state)
{
	struct vtd_fx *fx = *state;
	struct vtd_desc d;
	unsigned int b;

	for (b = 9; b <= 11; b++) {
		d = vtd_fx_global();
		d.qw0 |= XS_BIT(b);
		check_rejected(fx, d, "iotlb type-hi bit", b);
		d = vtd_fx_wait(fx, 3, 3);
		d.qw0 |= XS_BIT(b);
		check_rejected(fx, d, "wait type-hi bit", b);
		d = vtd_desc_cc(VTD_CC_GLOBAL, 0, 0, 0);
		d.qw0 |= XS_BIT(b);
		check_rejected(fx, d, "cc type-hi bit", b);
		d = vtd_desc_iec(false, 0, 0);
		d.qw0 |= XS_BIT(b);
		check_rejected(fx, d, "iec type-hi bit", b);
		d = vtd_desc_devtlb(FX_SID_A, FX_SID_A, 0, 0x1000, false);
		d.qw0 |= XS_BIT(b);
		check_rejected(fx, d, "devtlb type-hi bit", b);
	}
}

static void check_rsvd(struct vtd_fx *fx, struct vtd_desc base, u64 rsvd0,
		       u64 rsvd1, const char *name)
{
	struct vtd_desc d;
	unsigned int b;
	char what[64];

	for (b = 0; b < 64; b++) {
		if (rsvd0 & XS_BIT(b)) {
			d = base;
			d.qw0 |= XS_BIT(b);
			snprintf(what, sizeof(what), "%s qw0 bit", name);
			check_rejected(fx, d, what, b);
		}
		if (rsvd1 & XS_BIT(b)) {
			d = base;
			d.qw1 |= XS_BIT(b);
			snprintf(what, sizeof(what), "%s qw1 bit", name);
			check_rejected(fx, d, what, b);
		}
	}
	/* The base itself is valid: the bit alone made the difference. */
	vtd_fx_sync(fx, &base, 1);
}

static void test_iq_rsvd_iotlb(void **state)
{
	struct vtd_fx *fx = *state;

	check_rsvd(fx, vtd_fx_psi(FX_DID_A, 0x5000, 0, false),
		   VTD_IOTLB_RSVD0, VTD_IOTLB_RSVD1, "iotlb psi");
	check_rsvd(fx, vtd_fx_dsi(FX_DID_A), VTD_IOTLB_RSVD0, 0,
		   "iotlb dsi");
}

static void test_iq_rsvd_cc(void **state)
{
	struct vtd_fx *fx = *state;

	check_rsvd(fx, vtd_desc_cc(VTD_CC_DEVICE, FX_DID_A, FX_SID_A, 0),
		   VTD_CC_RSVD0, VTD_CC_RSVD1, "cc");
}

static void test_iq_rsvd_devtlb(void **state)
{
	struct vtd_fx *fx = *state;

	check_rsvd(fx, vtd_desc_devtlb(FX_SID_A, FX_SID_A, 0, 0x5000, false),
		   VTD_DEVTLB_RSVD0, VTD_DEVTLB_RSVD1, "devtlb");
}

static void test_iq_rsvd_iec(void **state)
{
	struct vtd_fx *fx = *state;

	check_rsvd(fx, vtd_desc_iec(true, 7, 0), VTD_IEC_RSVD0,
		   VTD_IEC_RSVD1, "iec");
}

static void test_iq_rsvd_wait(void **state)
{
	struct vtd_fx *fx = *state;

	check_rsvd(fx, vtd_fx_wait(fx, 3, 0x33), VTD_WAIT_RSVD0,
		   VTD_WAIT_RSVD1, "wait");
}

/* G = 00b is a reserved granularity (spec 6.5.2.1, 6.5.2.3). */
static void test_iq_reserved_granularity(void **state)
{
	struct vtd_fx *fx = *state;

	check_rejected(fx, vtd_desc_iotlb(0, FX_DID_A, 0, 0, false, false,
					  false), "iotlb g", 0);
	check_rejected(fx, vtd_desc_cc(0, FX_DID_A, 0, 0), "cc g", 0);
}

/* AM beyond CAP.MAMV is an invalid PSI (spec 6.5.2.3, 11.4.2). */
static void test_iq_am_beyond_mamv(void **state)
{
	struct vtd_fx *fx = *state;
	u8 mamv = fx->cfg.mamv;
	struct vtd_desc d;

	d = vtd_fx_psi(FX_DID_A, 0, mamv, false);
	vtd_fx_sync(fx, &d, 1);
	check_rejected(fx, vtd_fx_psi(FX_DID_A, 0, mamv + 1, false), "am",
		       mamv + 1);
	check_rejected(fx, vtd_fx_psi(FX_DID_A, 0, 0x3f, false), "am", 0x3f);
}

static void tweak_no_dt(struct vtd_unit_config *cfg, struct xs_params *p)
{
	cfg->dev_tlb = false;
}

static int setup_no_dt(void **state)
{
	*state = vtd_fx_new(tweak_no_dt);
	return *state ? 0 : -1;
}

/* Without ECAP.DT a device-TLB descriptor is an invalid type. */
static void test_iq_devtlb_without_dt(void **state)
{
	struct vtd_fx *fx = *state;

	assert_false(vtd_reg_read64(fx->u, VTD_REG_ECAP) & VTD_ECAP_DT);
	check_rejected(fx, vtd_desc_devtlb(FX_SID_A, FX_SID_A, 0, 0x5000,
					   false), "devtlb without DT", 0);
}

/* IQT beyond the queue size: IQE with IQEI = 1 (spec 11.4.9.7). */
static void test_iq_tail_beyond_queue(void **state)
{
	struct vtd_fx *fx = *state;
	struct vtd_desc w = vtd_fx_wait(fx, 1, 0x1111);

	vtd_fx_status_reset(fx, 1);
	vtd_fx_write_slot(fx, 0, &w);
	vtd_reg_write64(fx->u, VTD_REG_IQT,
			(u64)VTD_FX_QLEN << VTD_IQ_SHIFT_128);
	vtd_iq_drain(fx->u);
	assert_true(fsts(fx) & VTD_FSTS_IQE);
	assert_int_equal(VTD_IQER_IQEI(vtd_reg_read64(fx->u, VTD_REG_IQER)),
			 VTD_IQEI_TAIL);
	assert_int_equal(vtd_fx_status(fx, 1), FX_STATUS_INIT);

	vtd_fx_set_tail(fx, 1);
	vtd_reg_write32(fx->u, VTD_REG_FSTS, (u32)VTD_FSTS_IQE);
	vtd_iq_drain(fx->u);
	assert_false(fsts(fx) & VTD_FSTS_IQE);
	assert_int_equal(vtd_fx_status(fx, 1), 0x1111);
	assert_int_equal(vtd_fx_iqh(fx), 1);
}

/*
 * A tail beyond the queue stays in IQT as written (the register is
 * read-write, spec 11.4.9.2; QEMU's intel-iommu reads it back too): IQE
 * is set, nothing is fetched, and clearing IQE alone fetches nothing.
 * Found by xsmmu-vtd-diff (the model used to keep the old tail).
 */
static void test_iq_tail_beyond_queue_reads_back(void **state)
{
	struct vtd_fx *fx = *state;
	struct vtd_desc w = vtd_fx_wait(fx, 1, 0x2222);
	u64 bad = (u64)VTD_FX_QLEN << VTD_IQ_SHIFT_128;

	vtd_fx_status_reset(fx, 1);
	vtd_fx_write_slot(fx, 0, &w);
	vtd_reg_write64(fx->u, VTD_REG_IQT, bad);
	vtd_iq_drain(fx->u);
	assert_int_equal(vtd_reg_read64(fx->u, VTD_REG_IQT), bad);
	assert_true(fsts(fx) & VTD_FSTS_IQE);
	vtd_reg_write32(fx->u, VTD_REG_FSTS, (u32)VTD_FSTS_IQE);
	vtd_iq_drain(fx->u);
	assert_int_equal(vtd_fx_iqh(fx), 0);
	assert_int_equal(vtd_fx_status(fx, 1), FX_STATUS_INIT);
	/* A valid tail: the queue runs. */
	vtd_fx_set_tail(fx, 1);
	vtd_iq_drain(fx->u);
	assert_int_equal(vtd_fx_status(fx, 1), 0x2222);
	assert_int_equal(vtd_fx_iqh(fx), 1);
}

/*
 * The queue is a ring of 2^(QS+8) entries: after the last slot hardware
 * fetches slot 0 (spec 6.5.2). Descriptors on both sides of the wrap take
 * effect and IQH wraps with them.
 */
static void test_iq_wrap_around(void **state)
{
	struct vtd_fx *fx = *state;
	struct vtd_desc filler = vtd_desc_wait(false, false, false, 0, 0);
	struct vtd_desc q[10];
	const u64 pa = 0x40000, pb = 0x80000;
	unsigned int i;

	vtd_fx_domain(fx, 0, FX_SID_A, FX_DID_A);
	vtd_fx_map(fx, 0, pa, 0x100000, VTD_PG_4K, VTD_SL_RW, VTD_PG_4K);
	vtd_fx_map(fx, 0, pb, 0x101000, VTD_PG_4K, VTD_SL_RW, VTD_PG_4K);

	for (i = 0; i < 250; i++)
		vtd_fx_submit(fx, &filler, 1);
	vtd_iq_drain(fx->u);
	assert_int_equal(vtd_fx_iqh(fx), 250);

	vtd_fx_touch(fx, FX_SID_A, pa);
	vtd_fx_touch(fx, FX_SID_A, pb);
	vtd_fx_status_reset(fx, 10);
	vtd_fx_status_reset(fx, 11);
	for (i = 0; i < 10; i++)
		q[i] = filler;
	q[2] = vtd_fx_psi(FX_DID_A, pa, 0, false);	/* slot 252 */
	q[5] = vtd_fx_wait(fx, 10, 0xaaaa);		/* slot 255 */
	q[7] = vtd_fx_psi(FX_DID_A, pb, 0, false);	/* slot 1 */
	q[9] = vtd_fx_wait(fx, 11, 0xbbbb);		/* slot 3 */
	vtd_fx_submit(fx, q, 10);
	assert_int_equal(vtd_reg_read64(fx->u, VTD_REG_IQT), 4 << 4);
	vtd_iq_drain(fx->u);

	assert_int_equal(fsts(fx), 0);
	assert_int_equal(vtd_fx_status(fx, 10), 0xaaaa);
	assert_int_equal(vtd_fx_status(fx, 11), 0xbbbb);
	assert_false(vtd_fx_cached(fx, FX_DID_A, pa));
	assert_false(vtd_fx_cached(fx, FX_DID_A, pb));
	assert_int_equal(vtd_fx_iqh(fx), 4);
	assert_int_equal(vtd_reg_read64(fx->u, VTD_REG_IQH), 4 << 4);
	assert_int_equal(vtd_stats(fx->u)->waits, 250 + 8);
}

/*
 * A wait descriptor completes only after every earlier descriptor has
 * (spec 6.5.2.8), and nothing takes effect before its completion time.
 */
static void test_wait_ordering(void **state)
{
	struct vtd_fx *fx = *state;
	const u64 iova = 0x100000;
	struct vtd_desc q[2];
	u64 t_psi, t_wait;

	vtd_fx_domain(fx, 0, FX_SID_A, FX_DID_A);
	vtd_fx_map(fx, 0, iova, 0x300000, VTD_PG_4K, VTD_SL_RW, VTD_PG_4K);
	vtd_fx_touch(fx, FX_SID_A, iova);
	assert_true(vtd_fx_cached(fx, FX_DID_A, iova));

	vtd_fx_status_reset(fx, 0);
	q[0] = vtd_fx_psi(FX_DID_A, iova, 0, false);
	q[1] = vtd_fx_wait(fx, 0, 1);
	vtd_fx_submit(fx, q, 2);
	vtd_unit_run(fx->u);
	assert_false(vtd_iq_idle(fx->u));
	assert_true(vtd_fx_cached(fx, FX_DID_A, iova));
	assert_int_equal(vtd_fx_status(fx, 0), FX_STATUS_INIT);

	t_psi = vtd_unit_next_event(fx->u);
	assert_true(t_psi != VTD_NO_EVENT);
	assert_true(t_psi > fx->clk.now);

	xs_clock_advance_to(&fx->clk, t_psi - 1);
	vtd_unit_run(fx->u);
	assert_true(vtd_fx_cached(fx, FX_DID_A, iova));
	assert_int_equal(vtd_fx_status(fx, 0), FX_STATUS_INIT);
	assert_int_equal(vtd_fx_iqh(fx), 0);

	xs_clock_advance_to(&fx->clk, t_psi);
	vtd_unit_run(fx->u);
	assert_false(vtd_fx_cached(fx, FX_DID_A, iova));
	assert_int_equal(vtd_fx_status(fx, 0), FX_STATUS_INIT);
	assert_int_equal(vtd_fx_iqh(fx), 1);

	t_wait = vtd_unit_next_event(fx->u);
	assert_true(t_wait != VTD_NO_EVENT);
	assert_true(t_wait > t_psi);
	xs_clock_advance_to(&fx->clk, t_wait - 1);
	vtd_unit_run(fx->u);
	assert_int_equal(vtd_fx_status(fx, 0), FX_STATUS_INIT);

	vtd_iq_drain(fx->u);
	assert_int_equal(fx->clk.now, t_wait);
	assert_int_equal(vtd_fx_status(fx, 0), 1);
	assert_int_equal(vtd_fx_iqh(fx), 2);
	assert_int_equal(vtd_unit_next_event(fx->u), VTD_NO_EVENT);
}

/* IF=1: ICS.IWC is set on completion and is RW1C (spec 11.4.9.4). */
static void test_wait_if_sets_iwc(void **state)
{
	struct vtd_fx *fx = *state;
	struct vtd_desc w = vtd_desc_wait(false, true, false, 0, 0);

	assert_int_equal(vtd_reg_read32(fx->u, VTD_REG_ICS), 0);
	vtd_fx_submit(fx, &w, 1);
	vtd_unit_run(fx->u);
	assert_int_equal(vtd_reg_read32(fx->u, VTD_REG_ICS), 0);
	vtd_iq_drain(fx->u);
	assert_int_equal(vtd_reg_read32(fx->u, VTD_REG_ICS), VTD_ICS_IWC);
	vtd_reg_write32(fx->u, VTD_REG_ICS, 0);
	assert_int_equal(vtd_reg_read32(fx->u, VTD_REG_ICS), VTD_ICS_IWC);
	vtd_reg_write32(fx->u, VTD_REG_ICS, (u32)VTD_ICS_IWC);
	assert_int_equal(vtd_reg_read32(fx->u, VTD_REG_ICS), 0);

	/* Without IF (and with SW) IWC stays clear. */
	vtd_fx_sync(fx, NULL, 0);
	assert_int_equal(vtd_reg_read32(fx->u, VTD_REG_ICS), 0);
}

/* SW=0: the wait completes (IQH moves) but writes nothing. */
static void test_wait_without_sw(void **state)
{
	struct vtd_fx *fx = *state;
	struct vtd_desc w = vtd_desc_wait(false, false, false, 0x5555,
					  vtd_fx_status_addr(fx, 4));

	vtd_fx_status_reset(fx, 4);
	vtd_fx_submit(fx, &w, 1);
	vtd_iq_drain(fx->u);
	assert_int_equal(vtd_fx_iqh(fx), 1);
	assert_int_equal(vtd_fx_status(fx, 4), FX_STATUS_INIT);
	assert_int_equal(vtd_stats(fx->u)->waits, 1);
	assert_int_equal(vtd_stats(fx->u)->desc_done[VTD_DESC_WAIT], 1);
}

/* Queue work happens in virtual time: pending work has a future event. */
static void test_next_event_and_idle(void **state)
{
	struct vtd_fx *fx = *state;
	struct vtd_desc q[3];
	u64 before, took, ev;

	assert_true(vtd_iq_idle(fx->u));
	assert_int_equal(vtd_unit_next_event(fx->u), VTD_NO_EVENT);
	assert_int_equal(vtd_iq_drain(fx->u), 0);

	q[0] = vtd_fx_dsi(FX_DID_A);
	q[1] = vtd_desc_iec(false, 0, 0);
	q[2] = vtd_fx_wait(fx, 0, 9);
	vtd_fx_submit(fx, q, 3);
	before = fx->clk.now;
	ev = vtd_unit_next_event(fx->u);
	assert_false(vtd_iq_idle(fx->u));
	assert_true(ev > before && ev != VTD_NO_EVENT);
	/* Observing without advancing the clock changes nothing. */
	vtd_unit_run(fx->u);
	assert_int_equal(vtd_unit_next_event(fx->u), ev);
	assert_int_equal(fx->clk.now, before);

	took = vtd_iq_drain(fx->u);
	assert_true(took > 0);
	assert_int_equal(took, fx->clk.now - before);
	assert_true(vtd_iq_idle(fx->u));
	assert_int_equal(vtd_unit_next_event(fx->u), VTD_NO_EVENT);
	assert_int_equal(vtd_stats(fx->u)->desc_done[VTD_DESC_IOTLB], 1);
	assert_int_equal(vtd_stats(fx->u)->desc_done[VTD_DESC_IEC], 1);
	assert_int_equal(vtd_stats(fx->u)->desc_done[VTD_DESC_WAIT], 1);
	assert_int_equal(vtd_stats(fx->u)->iotlb_inv[VTD_GRAN_DSI], 1);
}

/* Costs are read from the parameter table on every step. */
static void test_drain_time_follows_params(void **state)
{
	struct vtd_fx *fx = *state;
	struct vtd_desc q[2];
	u64 t1, t2;

	q[0] = vtd_fx_psi(FX_DID_A, 0x1000, 0, false);
	q[1] = vtd_fx_wait(fx, 0, 1);
	vtd_fx_submit(fx, q, 2);
	t1 = vtd_iq_drain(fx->u);
	assert_true(t1 >= xs_param(&fx->params, XS_P_INV_IOTLB_PSI_NS));

	fx->params.v[XS_P_INV_IOTLB_PSI_NS] += 1000;
	vtd_fx_submit(fx, q, 2);
	t2 = vtd_iq_drain(fx->u);
	assert_int_equal(t2, t1 + 1000);

	fx->params.v[XS_P_INV_WAIT_NS] += 300;
	vtd_fx_submit(fx, q, 2);
	assert_int_equal(vtd_iq_drain(fx->u), t2 + 300);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, vtd_fx_setup, vtd_fx_teardown)
		T(test_iq_registers_after_enable),
		T(test_iq_unknown_types),
		T(test_iq_type_hi_bits),
		T(test_iq_rsvd_iotlb),
		T(test_iq_rsvd_cc),
		T(test_iq_rsvd_devtlb),
		T(test_iq_rsvd_iec),
		T(test_iq_rsvd_wait),
		T(test_iq_reserved_granularity),
		T(test_iq_am_beyond_mamv),
		cmocka_unit_test_setup_teardown(test_iq_devtlb_without_dt,
						setup_no_dt, vtd_fx_teardown),
		T(test_iq_tail_beyond_queue),
		T(test_iq_tail_beyond_queue_reads_back),
		T(test_iq_wrap_around),
		T(test_wait_ordering),
		T(test_wait_if_sets_iwc),
		T(test_wait_without_sw),
		T(test_next_event_and_idle),
		T(test_drain_time_follows_params),
#undef T
	};

	return XS_RUN_GROUP("vtd_iq", tests);
}
