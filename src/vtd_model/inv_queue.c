// SPDX-License-Identifier: GPL-2.0
/*
 * Queued invalidation (spec 6.5.2). Hardware fetches descriptors from IQH
 * towards IQT, one at a time and in order; each completes after the cost
 * the parameter table gives for its type, and its effect (cache entries
 * dropped, status written) happens at that completion time, not when IQT
 * was written. A device access in between still sees the old entries, as
 * on hardware. This in-order completion is what makes a wait descriptor's
 * status write a proof that every earlier descriptor took effect.
 *
 * Errors (spec 6.5.2.10):
 *  IQE  invalid descriptor or tail: IQH stays at the culprit, the queue
 *       stops until software clears FSTS.IQE, then resumes from IQH.
 *  ITE  a device-TLB invalidation timed out: the descriptors still pending
 *       behind it, wait descriptors included, are discarded (their status
 *       is never written), IQH moves to IQT, and the queue accepts no work
 *       until software clears FSTS.ITE.
 *  ICE  a bad device-TLB invalidation completion: recorded, the queue goes
 *       on.
 */
#include "vtd_internal.h"
#include <xsmmu/model_lock.h>

static u64 iq_slot_addr(const struct vtd_iq *q, u32 idx)
{
	return (q->iqa & VTD_IQA_IQA_MASK) + ((u64)idx << q->shift);
}

static struct vtd_desc_limits limits(const struct vtd_unit *u)
{
	struct vtd_desc_limits lim = {
		.mamv = u->cfg.mamv,
		.psi = u->cfg.psi,
		.dev_tlb = u->cfg.dev_tlb,
		.dit = u->cfg.dit,
		.wide = u->iq.shift == VTD_IQ_SHIFT_256,
	};

	return lim;
}

static u64 desc_cost(const struct vtd_unit *u)
{
	const struct xs_params *p = u->params;
	const struct vtd_iq *q = &u->iq;
	u64 c = xs_param(p, XS_P_IQ_DESC_FETCH_NS);

	if (q->cur_err)
		return c;
	switch (q->cur_f.type) {
	case VTD_DESC_CC:
		return c + xs_param(p, XS_P_INV_CC_NS);
	case VTD_DESC_IOTLB:
		if (q->cur_f.gran == VTD_IOTLB_GLOBAL)
			return c + xs_param(p, XS_P_INV_IOTLB_GLOBAL_NS);
		if (q->cur_f.gran == VTD_IOTLB_DSI || !u->cfg.psi)
			return c + xs_param(p, XS_P_INV_IOTLB_DSI_NS);
		return c + xs_param(p, XS_P_INV_IOTLB_PSI_NS);
	case VTD_DESC_DEVTLB:
		if (u->ctx[q->cur_f.sid].devtlb == VTD_DEVTLB_TIMEOUT)
			return c + xs_param(p, XS_P_DEVTLB_TIMEOUT_NS);
		return c + xs_param(p, XS_P_INV_DEVTLB_NS);
	case VTD_DESC_IEC:
		return c + xs_param(p, XS_P_INV_IEC_NS);
	case VTD_DESC_WAIT:
		return c + xs_param(p, XS_P_INV_WAIT_NS);
	}
	return c;
}

/* Fetch the descriptor at IQH if the engine is free and there is work. */
static void iq_fetch(struct vtd_unit *u, u64 start)
{
	struct vtd_iq *q = &u->iq;
	struct vtd_desc_limits lim;
	u64 a;

	if (!q->enabled || q->stopped || q->busy || q->head == q->tail ||
	    q->tail >= q->entries)
		return;
	a = iq_slot_addr(q, q->head);
	if (xs_physmem_read(u->pm, a, &q->cur, (size_t)1 << q->shift)) {
		q->cur_err = "descriptor fetch from unbacked memory";
		q->cur_iqei = VTD_IQEI_FETCH;
	} else {
		if (q->shift == VTD_IQ_SHIFT_128)
			q->cur.qw2 = q->cur.qw3 = 0;
		lim = limits(u);
		q->cur_err = vtd_desc_decode(&q->cur, &lim, &q->cur_f);
		q->cur_iqei = q->cur_f.iqei;
	}
	if (start < q->free_at)
		start = q->free_at;
	q->done_at = start + desc_cost(u);
	q->busy = true;
}

/* Sets an error bit and the IQER field that goes with it. */
static void iq_error(struct vtd_unit *u, u32 fsts_bit, u64 iqer, u64 time,
		     unsigned int kind, u64 a1)
{
	u64 field = fsts_bit == VTD_FSTS_IQE ? XS_GENMASK(3, 0) :
		    fsts_bit == VTD_FSTS_ITE ? XS_GENMASK(47, 32) :
					       XS_GENMASK(63, 48);

	u->fsts |= fsts_bit;
	u->iq.iqer = (u->iq.iqer & ~field) | iqer;
	u->iq.stopped = fsts_bit != VTD_FSTS_ICE;
	vtd_trace(u, time, kind, u->iq.head, a1, 0);
}

void vtd_inv_iotlb(struct vtd_unit *u, unsigned int gran, u16 did, u64 addr,
		   u8 am, bool ih, u64 time)
{
	u32 dropped = 0, psc = 0;
	u64 start, end;

	/* Without CAP.PSI hardware performs a domain-selective flush. */
	if (gran == VTD_IOTLB_PSI && !u->cfg.psi)
		gran = VTD_IOTLB_DSI;
	switch (gran) {
	case VTD_IOTLB_GLOBAL:
		dropped = vtd_iotlb_inv_global(u);
		psc = vtd_psc_inv(u, true, 0, 0, ~0ULL);
		u->stats.iotlb_dropped[VTD_GRAN_GLOBAL] += dropped;
		u->stats.iotlb_inv[VTD_GRAN_GLOBAL]++;
		break;
	case VTD_IOTLB_DSI:
		/* IH is defined for PSI only; DSI drops the PSCs too. */
		dropped = vtd_iotlb_inv_domain(u, did);
		psc = vtd_psc_inv(u, false, did, 0, ~0ULL);
		u->stats.iotlb_dropped[VTD_GRAN_DSI] += dropped;
		u->stats.iotlb_inv[VTD_GRAN_DSI]++;
		break;
	case VTD_IOTLB_PSI:
		/* The low AM bits of ADDR are ignored: an aligned block. */
		start = addr & ~((XS_PAGE_SIZE << am) - 1);
		end = start + (XS_PAGE_SIZE << am);
		dropped = vtd_iotlb_inv_range(u, did, start, end);
		/*
		 * The spec asks for the non-leaf entries over the block;
		 * psi_ih0_psc_domain models hardware that drops all of the
		 * domain's instead (more than asked, so still correct).
		 */
		if ((!ih || !u->cfg.psi_ih_keeps_psc) &&
		    u->cfg.psi_ih0_psc_domain)
			psc = vtd_psc_inv(u, false, did, 0, ~0ULL);
		else if (!ih || !u->cfg.psi_ih_keeps_psc)
			psc = vtd_psc_inv(u, false, did, start, end);
		u->stats.iotlb_dropped[VTD_GRAN_PSI] += dropped;
		u->stats.iotlb_inv[VTD_GRAN_PSI]++;
		break;
	}
	vtd_trace(u, time, XS_TR_INV_IOTLB, gran, did, dropped);
	if (psc)
		vtd_trace(u, time, XS_TR_INV_PSC, gran, did, psc);
}

static void do_wait(struct vtd_unit *u, const struct vtd_desc_fields *f,
		    u64 time)
{
	u->stats.waits++;
	if (f->wait_sw) {
		xs_physmem_write32(u->pm, f->addr, f->status_data);
		vtd_trace(u, time, XS_TR_IQ_WAIT, u->iq.head, f->addr,
			  f->status_data);
		if (u->obs.wait_done)
			u->obs.wait_done(u->obs.ctx, u, f->addr,
					 f->status_data);
	}
	if (f->wait_if)
		u->ics |= VTD_ICS_IWC;
}

/* The effect of a valid descriptor (device TLBs are not modelled). */
static void iq_apply(struct vtd_unit *u, const struct vtd_desc_fields *f,
		     u64 t)
{
	switch (f->type) {
	case VTD_DESC_IOTLB:
		vtd_inv_iotlb(u, f->gran, f->did, f->addr, f->am, f->ih, t);
		break;
	case VTD_DESC_WAIT:
		do_wait(u, f, t);
		break;
	default:
		/* No context or interrupt-entry cache, no device TLB. */
		break;
	}
}

/*
 * ITE (spec 6.5.2.11): hardware aborts the wait descriptors it had fetched
 * while the device-TLB invalidation was outstanding, without their status
 * write, and IQH stays after them. The model's fetch-ahead window is "up to
 * and including the next wait descriptor": the descriptors before it take
 * effect, the wait is aborted. This is the layout 5.15's qi_check_fault()
 * expects when it marks those waits QI_ABORT and resubmits.
 */
static void iq_abort_fetched(struct vtd_unit *u, u64 t)
{
	struct vtd_iq *q = &u->iq;
	struct vtd_desc_limits lim = limits(u);
	struct vtd_desc_fields f;
	struct vtd_desc d = { 0 };

	while (q->head != q->tail) {
		if (xs_physmem_read(u->pm, iq_slot_addr(q, q->head), &d,
				    (size_t)1 << q->shift) ||
		    vtd_desc_decode(&d, &lim, &f))
			return;	/* IQE comes once ITE is cleared */
		q->head = (q->head + 1) % q->entries;
		if (f.type == VTD_DESC_WAIT) {
			vtd_trace(u, t, XS_TR_IQ_WAIT, q->head, f.addr, 0);
			return;
		}
		iq_apply(u, &f, t);
		u->stats.desc_done[f.type & 7]++;
	}
}

/*
 * Completes the fetched descriptor. Returns false when the queue stopped
 * (IQH then stays where the spec says it stays).
 */
static bool iq_complete(struct vtd_unit *u)
{
	struct vtd_iq *q = &u->iq;
	const struct vtd_desc_fields *f = &q->cur_f;
	u64 t = q->done_at;

	q->busy = false;
	q->free_at = t;
	u->stats.iq_busy_ns += desc_cost(u);
	vtd_trace(u, t, XS_TR_IQ_DESC, q->head, q->cur.qw0, q->cur.qw1);
	if (q->cur_err) {
		u->stats.iqe++;
		iq_error(u, VTD_FSTS_IQE, XS_FIELD_PREP(q->cur_iqei, 3, 0), t,
			 XS_TR_IQ_IQE, q->cur_iqei);
		return false;
	}
	if (f->type == VTD_DESC_DEVTLB &&
	    u->ctx[f->sid].devtlb == VTD_DEVTLB_TIMEOUT) {
		u->stats.ite++;
		u->stats.desc_done[VTD_DESC_DEVTLB]++;
		iq_error(u, VTD_FSTS_ITE, XS_FIELD_PREP(f->sid, 47, 32), t,
			 XS_TR_IQ_ITE, f->sid);
		q->head = (q->head + 1) % q->entries;
		iq_abort_fetched(u, t);
		return false;
	}
	if (f->type == VTD_DESC_DEVTLB &&
	    u->ctx[f->sid].devtlb == VTD_DEVTLB_BAD_COMPLETION) {
		/* ICE is reported; the queue goes on (spec 6.5.2.10). */
		u->stats.ice++;
		iq_error(u, VTD_FSTS_ICE, XS_FIELD_PREP(f->sid, 63, 48), t,
			 XS_TR_IQ_ICE, f->sid);
	}
	iq_apply(u, f, t);
	u->stats.desc_done[f->type & 7]++;
	q->head = (q->head + 1) % q->entries;
	return true;
}

void vtd_unit_run(struct vtd_unit *u)
{
	XS_MODEL_GUARD();
	struct vtd_iq *q = &u->iq;
	u64 now = vtd_now(u);

	while (q->busy && q->done_at <= now) {
		if (!iq_complete(u))
			break;
		iq_fetch(u, q->free_at);
	}
}

u64 vtd_unit_next_event(const struct vtd_unit *u)
{
	XS_MODEL_GUARD();
	return u->iq.busy ? u->iq.done_at : VTD_NO_EVENT;
}

bool vtd_iq_idle(struct vtd_unit *u)
{
	XS_MODEL_GUARD();
	vtd_unit_run(u);
	return !u->iq.busy;
}

u64 vtd_iq_drain(struct vtd_unit *u)
{
	XS_MODEL_GUARD();
	u64 t0 = vtd_now(u);

	vtd_unit_run(u);
	while (u->iq.busy) {
		xs_clock_advance_to(u->clk, u->iq.done_at);
		vtd_unit_run(u);
	}
	return vtd_now(u) - t0;
}

void vtd_iq_reset(struct vtd_unit *u)
{
	struct vtd_iq *q = &u->iq;

	q->head = 0;
	q->busy = false;
	q->stopped = false;
	q->free_at = 0;
}

/* IQA takes effect when the queue is enabled (spec 11.4.9.3). */
void vtd_iq_enable(struct vtd_unit *u, bool on)
{
	struct vtd_iq *q = &u->iq;

	if (on == q->enabled)
		return;
	q->enabled = on;
	if (on) {
		q->shift = (q->iqa & VTD_IQA_DW_256) ? VTD_IQ_SHIFT_256 :
						       VTD_IQ_SHIFT_128;
		q->entries = 256U << VTD_IQA_QS(q->iqa);
		if (q->shift == VTD_IQ_SHIFT_256)
			q->entries /= 2;
		vtd_iq_reset(u);
		u->gsts |= VTD_GSTS_QIES;
		iq_fetch(u, vtd_now(u));
	} else {
		q->busy = false;
		u->gsts &= ~VTD_GSTS_QIES;
	}
}

void vtd_iq_write_tail(struct vtd_unit *u, u64 val)
{
	struct vtd_iq *q = &u->iq;
	u64 idx = (val & VTD_IQ_INDEX_MASK) >> q->shift;
	bool bad_low = val & ((1ULL << q->shift) - 1);

	vtd_unit_run(u);
	if (!q->enabled) {
		q->tail = (u32)idx;
		return;
	}
	if (bad_low || (val & ~VTD_IQ_INDEX_MASK)) {
		/* Reserved bits set: IQE, the old tail stays (IQEI = 1). */
		u->stats.iqe++;
		iq_error(u, VTD_FSTS_IQE, XS_FIELD_PREP(VTD_IQEI_TAIL, 3, 0),
			 vtd_now(u), XS_TR_IQ_IQE, VTD_IQEI_TAIL);
		return;
	}
	if (idx >= q->entries) {
		/*
		 * A tail beyond the queue: the register holds what software
		 * wrote (it is read-write, spec 11.4.9.2), IQE is set
		 * (IQEI = 1) and nothing is fetched until a valid tail.
		 */
		q->tail = (u32)idx;
		u->stats.iqe++;
		iq_error(u, VTD_FSTS_IQE, XS_FIELD_PREP(VTD_IQEI_TAIL, 3, 0),
			 vtd_now(u), XS_TR_IQ_IQE, VTD_IQEI_TAIL);
		return;
	}
	q->tail = (u32)idx;
	iq_fetch(u, vtd_now(u));
}

/* Software cleared IQE/ITE: hardware resumes from IQH. */
void vtd_iq_resume(struct vtd_unit *u)
{
	struct vtd_iq *q = &u->iq;

	if (u->fsts & (VTD_FSTS_IQE | VTD_FSTS_ITE))
		return;
	q->stopped = false;
	iq_fetch(u, vtd_now(u));
}
