// SPDX-License-Identifier: GPL-2.0
/*
 * Primary fault logging (spec 7.2.1): fault recording registers used as a
 * ring starting at FSTS.FRI. A record whose F bit is still set when the
 * ring comes round to it means overflow: the fault is lost and PFO is set.
 */
#include "vtd_internal.h"
#include <xsmmu/model_lock.h>

void vtd_fault_record(struct vtd_unit *u, u16 sid, u64 iova, u8 reason,
		      bool read)
{
	struct vtd_frcd *r = &u->frcd[u->fri];

	u->stats.faults++;
	vtd_trace(u, vtd_now(u), XS_TR_FAULT, sid, iova, reason);
	if (r->hi & VTD_FRCD_HI_F) {
		u->fsts |= VTD_FSTS_PFO;
		u->stats.faults_lost++;
		return;
	}
	r->lo = iova & VTD_FRCD_LO_FI_MASK;
	r->hi = VTD_FRCD_HI_F | (read ? VTD_FRCD_HI_T : 0) |
		XS_FIELD_PREP(reason, 39, 32) | XS_FIELD_PREP(sid, 15, 0);
	u->fri = (u->fri + 1) % u->cfg.nfr;
}

/* PPF is the OR of the F bits (spec 11.4.7.1). */
u32 vtd_fault_pending_mask(const struct vtd_unit *u)
{
	u32 i;

	for (i = 0; i < u->cfg.nfr; i++)
		if (u->frcd[i].hi & VTD_FRCD_HI_F)
			return VTD_FSTS_PPF;
	return 0;
}

u64 vtd_frcd_read(struct vtd_unit *u, u32 off)
{
	u32 idx = (off - VTD_FRCD_REG_BASE) / 16;

	if (idx >= u->cfg.nfr)
		return 0;
	return (off & 8) ? u->frcd[idx].hi : u->frcd[idx].lo;
}

/* Only F is writable, and it is write-1-to-clear. */
void vtd_frcd_write(struct vtd_unit *u, u32 off, u64 val)
{
	u32 idx = (off - VTD_FRCD_REG_BASE) / 16;

	if (idx >= u->cfg.nfr || !(off & 8))
		return;
	if (val & VTD_FRCD_HI_F)
		u->frcd[idx].hi &= ~VTD_FRCD_HI_F;
}

bool vtd_fault_get(struct vtd_unit *u, unsigned int idx,
		   struct vtd_fault *out)
{
	XS_MODEL_GUARD();
	const struct vtd_frcd *r;

	if (idx >= u->cfg.nfr)
		return false;
	r = &u->frcd[idx];
	if (!(r->hi & VTD_FRCD_HI_F))
		return false;
	out->sid = (u16)VTD_FRCD_HI_SID(r->hi);
	out->reason = (u8)VTD_FRCD_HI_FR(r->hi);
	out->read = !!(r->hi & VTD_FRCD_HI_T);
	out->iova = r->lo & VTD_FRCD_LO_FI_MASK;
	return true;
}
