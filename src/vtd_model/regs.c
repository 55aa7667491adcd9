// SPDX-License-Identifier: GPL-2.0
/*
 * The register file (spec chapter 11). 64-bit registers can be accessed
 * as two 32-bit halves, as the kernel does with readl/writel on IQH/IQT.
 */
#include "vtd_internal.h"
#include <xsmmu/model_lock.h>

static bool is_reg64(u32 off)
{
	switch (off) {
	case VTD_REG_CAP:
	case VTD_REG_ECAP:
	case VTD_REG_RTADDR:
	case VTD_REG_CCMD:
	case VTD_REG_IQH:
	case VTD_REG_IQT:
	case VTD_REG_IQA:
	case VTD_REG_IQER:
	case VTD_REG_IVA:
	case VTD_REG_IOTLB:
		return true;
	}
	return off >= VTD_FRCD_REG_BASE &&
	       off < VTD_FRCD_REG_BASE + 16U * 256 && !(off & 7);
}

static bool is_frcd(const struct vtd_unit *u, u32 off)
{
	return off >= VTD_FRCD_REG_BASE &&
	       off < VTD_FRCD_REG_BASE + 16U * u->cfg.nfr;
}

u64 vtd_reg_read64(struct vtd_unit *u, u32 off)
{
	XS_MODEL_GUARD();
	vtd_unit_run(u);
	if (is_frcd(u, off))
		return vtd_frcd_read(u, off);
	switch (off) {
	case VTD_REG_CAP:
		return u->cap;
	case VTD_REG_ECAP:
		return u->ecap;
	case VTD_REG_RTADDR:
		return u->rtaddr;
	case VTD_REG_CCMD:
		return u->ccmd;
	case VTD_REG_IQH:
		return (u64)u->iq.head << u->iq.shift;
	case VTD_REG_IQT:
		return (u64)u->iq.tail << u->iq.shift;
	case VTD_REG_IQA:
		return u->iq.iqa;
	case VTD_REG_IQER:
		return u->iq.iqer;
	case VTD_REG_IVA:
		return u->iva;
	case VTD_REG_IOTLB:
		return u->iotlb_reg;
	}
	return vtd_reg_read32(u, off);
}

u32 vtd_reg_read32(struct vtd_unit *u, u32 off)
{
	XS_MODEL_GUARD();
	vtd_unit_run(u);
	if (is_reg64(off))
		return (u32)vtd_reg_read64(u, off);
	if ((off & 4) && is_reg64(off - 4))
		return (u32)(vtd_reg_read64(u, off - 4) >> 32);
	switch (off) {
	case VTD_REG_VER:
		return VTD_VER_VALUE;
	case VTD_REG_GSTS:
		return u->gsts;
	case VTD_REG_FSTS:
		return u->fsts | vtd_fault_pending_mask(u) |
		       (u32)XS_FIELD_PREP(u->fri, 15, 8);
	case VTD_REG_FECTL:
		return u->fectl;
	case VTD_REG_ICS:
		return u->ics;
	case VTD_REG_IECTL:
		return u->iectl;
	}
	return 0;
}

/* Register-based IOTLB invalidation (spec 6.5.1): completes at once. */
static void write_iotlb_reg(struct vtd_unit *u, u64 val)
{
	unsigned int gran = (unsigned int)VTD_IOTLB_IIRG(val);

	u->iotlb_reg = val;
	if (!(val & VTD_IOTLB_IVT) || !gran)
		return;
	vtd_inv_iotlb(u, gran, (u16)VTD_IOTLB_REG_DID(val),
		      u->iva & VTD_IVA_ADDR_MASK, (u8)VTD_IVA_AM(u->iva),
		      !!(u->iva & VTD_IVA_IH), vtd_now(u));
	/* IAIG reports the granularity actually performed. */
	if (gran == VTD_IOTLB_PSI && !u->cfg.psi)
		gran = VTD_IOTLB_DSI;
	u->iotlb_reg = (val & ~VTD_IOTLB_IVT & ~XS_GENMASK(58, 57)) |
		       ((u64)gran << VTD_IOTLB_IAIG_SHIFT);
}

static void write_gcmd(struct vtd_unit *u, u32 val)
{
	if (val & VTD_GCMD_SRTP)
		u->gsts |= VTD_GSTS_RTPS;
	if (val & VTD_GCMD_TE)
		u->gsts |= VTD_GSTS_TES;
	else
		u->gsts &= ~VTD_GSTS_TES;
	vtd_iq_enable(u, !!(val & VTD_GCMD_QIE));
}

static void write_fsts(struct vtd_unit *u, u32 val)
{
	u32 clear = val & VTD_FSTS_RW1C & u->fsts;

	u->fsts &= ~clear;
	if (clear & VTD_FSTS_IQE)
		u->iq.iqer &= ~XS_GENMASK(3, 0);
	if (clear & VTD_FSTS_ITE)
		u->iq.iqer &= ~XS_GENMASK(47, 32);
	if (clear & VTD_FSTS_ICE)
		u->iq.iqer &= ~XS_GENMASK(63, 48);
	if (clear & (VTD_FSTS_IQE | VTD_FSTS_ITE))
		vtd_iq_resume(u);
}

void vtd_reg_write64(struct vtd_unit *u, u32 off, u64 val)
{
	XS_MODEL_GUARD();
	vtd_unit_run(u);
	vtd_trace(u, vtd_now(u), XS_TR_REG_WRITE, off, val, 0);
	if (is_frcd(u, off)) {
		vtd_frcd_write(u, off, val);
		return;
	}
	switch (off) {
	case VTD_REG_RTADDR:
		u->rtaddr = val;
		return;
	case VTD_REG_CCMD:
		/* Context caches are not modelled: done at once. */
		u->ccmd = val & ~VTD_CCMD_ICC;
		return;
	case VTD_REG_IQT:
		vtd_iq_write_tail(u, val);
		return;
	case VTD_REG_IQA:
		/* Ignored while the queue is enabled (spec 11.4.9.3). */
		if (!u->iq.enabled)
			u->iq.iqa = val & ~VTD_IQA_RSVD;
		return;
	case VTD_REG_IVA:
		u->iva = val;
		return;
	case VTD_REG_IOTLB:
		write_iotlb_reg(u, val);
		return;
	}
	if (!is_reg64(off))
		vtd_reg_write32(u, off, (u32)val);
}

void vtd_reg_write32(struct vtd_unit *u, u32 off, u32 val)
{
	XS_MODEL_GUARD();
	if (is_reg64(off)) {
		u64 old = vtd_reg_read64(u, off);

		vtd_reg_write64(u, off, (old & ~0xffffffffULL) | val);
		return;
	}
	if ((off & 4) && is_reg64(off - 4)) {
		u64 old = vtd_reg_read64(u, off - 4);

		vtd_reg_write64(u, off - 4, (old & 0xffffffffULL) |
						    ((u64)val << 32));
		return;
	}
	vtd_unit_run(u);
	vtd_trace(u, vtd_now(u), XS_TR_REG_WRITE, off, val, 0);
	switch (off) {
	case VTD_REG_GCMD:
		write_gcmd(u, val);
		return;
	case VTD_REG_FSTS:
		write_fsts(u, val);
		return;
	case VTD_REG_FECTL:
		u->fectl = val & (VTD_IECTL_IM);
		return;
	case VTD_REG_ICS:
		u->ics &= ~(val & VTD_ICS_IWC);
		return;
	case VTD_REG_IECTL:
		u->iectl = val & VTD_IECTL_IM;
		return;
	}
}
