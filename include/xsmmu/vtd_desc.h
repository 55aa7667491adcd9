/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Invalidation-queue descriptors, 128-bit legacy format (VT-d spec 6.5.2),
 * one group of field macros per descriptor type with its reserved-bit mask.
 * qw0 is bits 63:0 of the descriptor, qw1 bits 127:64. Bits 11:9 of qw0 are
 * the upper type bits (Type[6:4]); legacy types have them zero.
 *
 * The encoders are for software and tests; the model decodes with
 * vtd_desc_decode(), which rejects what hardware rejects.
 */
#ifndef XSMMU_VTD_DESC_H
#define XSMMU_VTD_DESC_H

#include <xsmmu/types.h>
#include <xsmmu/vtd_regs.h>

struct vtd_desc {
	u64 qw0;
	u64 qw1;
	u64 qw2;	/* only in 256-bit mode; must be zero for legacy types */
	u64 qw3;
};

enum vtd_desc_type {
	VTD_DESC_CC = 0x1,	/* context-cache invalidate */
	VTD_DESC_IOTLB = 0x2,	/* IOTLB invalidate */
	VTD_DESC_DEVTLB = 0x3,	/* device-TLB invalidate */
	VTD_DESC_IEC = 0x4,	/* interrupt-entry-cache invalidate */
	VTD_DESC_WAIT = 0x5,	/* invalidation wait */
};

#define VTD_DESC_TYPE_LO(q0)	XS_FIELD_GET(q0, 3, 0)
#define VTD_DESC_TYPE_HI(q0)	XS_FIELD_GET(q0, 11, 9)

/* Context-cache invalidate (spec 6.5.2.1). */
#define VTD_CC_G(g)		XS_FIELD_PREP(g, 5, 4)
#define VTD_CC_DID(d)		XS_FIELD_PREP(d, 31, 16)
#define VTD_CC_SID(s)		XS_FIELD_PREP(s, 47, 32)
#define VTD_CC_FM(f)		XS_FIELD_PREP(f, 49, 48)
#define VTD_CC_RSVD0		(XS_GENMASK(8, 6) | XS_GENMASK(15, 12) | \
				 XS_GENMASK(63, 50))
#define VTD_CC_RSVD1		(~0ULL)
enum { VTD_CC_GLOBAL = 1, VTD_CC_DOMAIN = 2, VTD_CC_DEVICE = 3 };

/* IOTLB invalidate (spec 6.5.2.3). */
#define VTD_IOTLB_G(g)		XS_FIELD_PREP(g, 5, 4)
#define VTD_IOTLB_DW		XS_BIT(6)
#define VTD_IOTLB_DR		XS_BIT(7)
#define VTD_IOTLB_DID(d)	XS_FIELD_PREP(d, 31, 16)
#define VTD_IOTLB_AM(a)		XS_FIELD_PREP(a, 5, 0)
#define VTD_IOTLB_IH		XS_BIT(6)
#define VTD_IOTLB_ADDR(a)	((u64)(a) & XS_GENMASK(63, 12))
#define VTD_IOTLB_RSVD0		(XS_BIT(8) | XS_GENMASK(15, 12) | \
				 XS_GENMASK(63, 32))
#define VTD_IOTLB_RSVD1		XS_GENMASK(11, 7)
enum { VTD_IOTLB_GLOBAL = 1, VTD_IOTLB_DSI = 2, VTD_IOTLB_PSI = 3 };

/* Device-TLB invalidate (spec 6.5.2.5). */
#define VTD_DEVTLB_PFSID_LO(p)	XS_FIELD_PREP((p) & 0xf, 15, 12)
#define VTD_DEVTLB_MIP(q)	XS_FIELD_PREP(q, 20, 16)
#define VTD_DEVTLB_SID(s)	XS_FIELD_PREP(s, 47, 32)
#define VTD_DEVTLB_PFSID_HI(p)	XS_FIELD_PREP((p) >> 4, 63, 52)
#define VTD_DEVTLB_S		XS_BIT(0)
#define VTD_DEVTLB_ADDR(a)	((u64)(a) & XS_GENMASK(63, 12))
#define VTD_DEVTLB_RSVD0	(XS_GENMASK(8, 4) | XS_GENMASK(31, 21) | \
				 XS_GENMASK(51, 48))
#define VTD_DEVTLB_RSVD1	XS_GENMASK(11, 1)

/* Interrupt-entry-cache invalidate (spec 6.5.2.7). */
#define VTD_IEC_G_INDEX		XS_BIT(4)
#define VTD_IEC_IM(m)		XS_FIELD_PREP(m, 31, 27)
#define VTD_IEC_IIDX(i)		XS_FIELD_PREP(i, 47, 32)
#define VTD_IEC_RSVD0		(XS_GENMASK(8, 5) | XS_GENMASK(26, 12) | \
				 XS_GENMASK(63, 48))
#define VTD_IEC_RSVD1		(~0ULL)

/* Invalidation wait (spec 6.5.2.8). */
#define VTD_WAIT_IF		XS_BIT(4)
#define VTD_WAIT_SW		XS_BIT(5)
#define VTD_WAIT_FN		XS_BIT(6)
#define VTD_WAIT_PD		XS_BIT(7)
#define VTD_WAIT_DATA(d)	XS_FIELD_PREP(d, 63, 32)
#define VTD_WAIT_ADDR(a)	((u64)(a) & XS_GENMASK(63, 2))
#define VTD_WAIT_RSVD0		(XS_BIT(8) | XS_GENMASK(31, 12))
#define VTD_WAIT_RSVD1		XS_GENMASK(1, 0)

/* Decoded form, for the model and for traces. */
struct vtd_desc_fields {
	enum vtd_desc_type type;
	unsigned int gran;	/* CC, IOTLB: G; IEC: 0 global, 1 index */
	u16 did;
	u16 sid;
	u16 pfsid;
	u8 fm;			/* CC */
	u8 am;			/* IOTLB: address mask; IEC: index mask */
	u8 mip;			/* device-TLB: max invalidations pending */
	bool ih, dr, dw;	/* IOTLB */
	bool size;		/* device-TLB S bit */
	bool wait_if, wait_sw, wait_fn, wait_pd;
	u32 status_data;
	u64 addr;		/* IOTLB/device-TLB address, wait status addr */
	u32 iidx;		/* IEC interrupt index */
	enum vtd_iqei iqei;	/* why it is invalid (IQER.IQEI), else 0 */
};

/*
 * Limits of the decoding unit: the model's capability registers. A
 * descriptor that violates them is invalid (IQE), as on hardware.
 */
struct vtd_desc_limits {
	u8 mamv;		/* CAP.MAMV: largest AM accepted */
	bool psi;		/* CAP.PSI */
	bool dev_tlb;		/* ECAP.DT: device-TLB descriptors accepted */
	bool dit;		/* ECAP.DIT: PFSID is a field, else reserved */
	bool wide;		/* 256-bit descriptors: qw2, qw3 must be 0 */
};

/*
 * Decodes and validates one descriptor. Returns NULL, or the reason it is
 * invalid (a short static string) with out->iqei set to the IQER code
 * hardware reports for it and the fields that could be decoded.
 */
const char *vtd_desc_decode(const struct vtd_desc *d,
			    const struct vtd_desc_limits *lim,
			    struct vtd_desc_fields *out);

/* Formats a descriptor for traces: "iotlb psi did=5 addr=... am=0 ih=1". */
int vtd_desc_format(const struct vtd_desc *d, char *buf, size_t len);

/* Encoders, one per descriptor type. */
static inline struct vtd_desc vtd_desc_cc(unsigned int gran, u16 did, u16 sid,
					  u8 fm)
{
	struct vtd_desc d = { 0 };

	d.qw0 = VTD_DESC_CC | VTD_CC_G(gran) | VTD_CC_DID(did) |
		VTD_CC_SID(sid) | VTD_CC_FM(fm);
	return d;
}

static inline struct vtd_desc vtd_desc_iotlb(unsigned int gran, u16 did,
					     u64 addr, u8 am, bool ih, bool dr,
					     bool dw)
{
	struct vtd_desc d = { 0 };

	d.qw0 = VTD_DESC_IOTLB | VTD_IOTLB_G(gran) | VTD_IOTLB_DID(did) |
		(dr ? VTD_IOTLB_DR : 0) | (dw ? VTD_IOTLB_DW : 0);
	d.qw1 = VTD_IOTLB_ADDR(addr) | (ih ? VTD_IOTLB_IH : 0) |
		VTD_IOTLB_AM(am);
	return d;
}

static inline struct vtd_desc vtd_desc_devtlb(u16 sid, u16 pfsid, u8 mip,
					      u64 addr, bool size)
{
	struct vtd_desc d = { 0 };

	d.qw0 = VTD_DESC_DEVTLB | VTD_DEVTLB_SID(sid) | VTD_DEVTLB_MIP(mip) |
		VTD_DEVTLB_PFSID_LO(pfsid) | VTD_DEVTLB_PFSID_HI(pfsid);
	d.qw1 = VTD_DEVTLB_ADDR(addr) | (size ? VTD_DEVTLB_S : 0);
	return d;
}

static inline struct vtd_desc vtd_desc_iec(bool index, u32 iidx, u8 im)
{
	struct vtd_desc d = { 0 };

	d.qw0 = VTD_DESC_IEC | (index ? VTD_IEC_G_INDEX : 0) |
		VTD_IEC_IM(im) | VTD_IEC_IIDX(iidx);
	return d;
}

static inline struct vtd_desc vtd_desc_wait(bool sw, bool intr, bool fence,
					    u32 data, u64 status_addr)
{
	struct vtd_desc d = { 0 };

	d.qw0 = VTD_DESC_WAIT | (sw ? VTD_WAIT_SW : 0) |
		(intr ? VTD_WAIT_IF : 0) | (fence ? VTD_WAIT_FN : 0) |
		VTD_WAIT_DATA(data);
	d.qw1 = VTD_WAIT_ADDR(status_addr);
	return d;
}

#endif
