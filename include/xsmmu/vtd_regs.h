/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VT-d remapping-hardware registers and second-level paging-entry fields,
 * named after the Intel VT-d specification (chapter 11, "Register
 * Descriptions", and chapter 9, "Translation Structure Formats"). Offsets and
 * bit positions are the ones software programs; the 5.15 kernel's DMAR_*_REG
 * and DMA_* macros encode the same values.
 */
#ifndef XSMMU_VTD_REGS_H
#define XSMMU_VTD_REGS_H

#include <xsmmu/types.h>

/* Register offsets (spec 11.4). */
#define VTD_REG_VER		0x00	/* 32 */
#define VTD_REG_CAP		0x08	/* 64 */
#define VTD_REG_ECAP		0x10	/* 64 */
#define VTD_REG_GCMD		0x18	/* 32 */
#define VTD_REG_GSTS		0x1c	/* 32 */
#define VTD_REG_RTADDR		0x20	/* 64 */
#define VTD_REG_CCMD		0x28	/* 64 */
#define VTD_REG_FSTS		0x34	/* 32 */
#define VTD_REG_FECTL		0x38	/* 32 */
#define VTD_REG_IQH		0x80	/* 64 */
#define VTD_REG_IQT		0x88	/* 64 */
#define VTD_REG_IQA		0x90	/* 64 */
#define VTD_REG_ICS		0x9c	/* 32 */
#define VTD_REG_IECTL		0xa0	/* 32 */
#define VTD_REG_IQER		0xb0	/* 64 */
/*
 * Register-based IOTLB invalidation registers start at ECAP.IRO * 16
 * (spec 11.4.8): IVA then IOTLB.
 */
#define VTD_IOTLB_REG_BASE	0x100
#define VTD_REG_IVA		(VTD_IOTLB_REG_BASE + 0x0)	/* 64 */
#define VTD_REG_IOTLB		(VTD_IOTLB_REG_BASE + 0x8)	/* 64 */
/* Fault recording registers start at CAP.FRO * 16 (spec 11.4.14). */
#define VTD_FRCD_REG_BASE	0x400
#define VTD_REG_SPACE		0x1000

/* VER: major 7:4, minor 3:0. */
#define VTD_VER_VALUE		0x10

/* CAP (spec 11.4.2). */
#define VTD_CAP_ND(v)		XS_FIELD_GET(v, 2, 0)
#define VTD_CAP_SAGAW(v)	XS_FIELD_GET(v, 12, 8)
#define VTD_CAP_MGAW(v)		XS_FIELD_GET(v, 21, 16)
#define VTD_CAP_FRO(v)		XS_FIELD_GET(v, 33, 24)
#define VTD_CAP_SLLPS(v)	XS_FIELD_GET(v, 37, 34)
#define VTD_CAP_PSI		XS_BIT(39)
#define VTD_CAP_NFR(v)		XS_FIELD_GET(v, 47, 40)
#define VTD_CAP_MAMV(v)		XS_FIELD_GET(v, 53, 48)
#define VTD_CAP_DWD		XS_BIT(54)
#define VTD_CAP_DRD		XS_BIT(55)
#define VTD_CAP_SAGAW_4LVL	XS_BIT(2)	/* 48-bit AGAW, 4-level */
#define VTD_CAP_SLLPS_2M	XS_BIT(0)
#define VTD_CAP_SLLPS_1G	XS_BIT(1)

/* ECAP (spec 11.4.3). */
#define VTD_ECAP_C		XS_BIT(0)
#define VTD_ECAP_QI		XS_BIT(1)
#define VTD_ECAP_DT		XS_BIT(2)
#define VTD_ECAP_IR		XS_BIT(3)
#define VTD_ECAP_PT		XS_BIT(6)
#define VTD_ECAP_IRO(v)		XS_FIELD_GET(v, 17, 8)
#define VTD_ECAP_DIT		XS_BIT(41)
#define VTD_ECAP_SMTS		XS_BIT(43)

/* GCMD / GSTS share bit positions (spec 11.4.4, 11.4.5). */
#define VTD_GCMD_TE		XS_BIT(31)
#define VTD_GCMD_SRTP		XS_BIT(30)
#define VTD_GCMD_QIE		XS_BIT(26)
#define VTD_GSTS_TES		XS_BIT(31)
#define VTD_GSTS_RTPS		XS_BIT(30)
#define VTD_GSTS_QIES		XS_BIT(26)

/* FSTS (spec 11.4.7.1): RW1C status bits, FRI read-only. */
#define VTD_FSTS_PFO		XS_BIT(0)
#define VTD_FSTS_PPF		XS_BIT(1)
#define VTD_FSTS_IQE		XS_BIT(4)
#define VTD_FSTS_ICE		XS_BIT(5)
#define VTD_FSTS_ITE		XS_BIT(6)
#define VTD_FSTS_FRI(v)		XS_FIELD_GET(v, 15, 8)
#define VTD_FSTS_RW1C		(VTD_FSTS_PFO | VTD_FSTS_IQE | VTD_FSTS_ICE | \
				 VTD_FSTS_ITE)

/* IQA (spec 11.4.9.3): base 63:12, DW 11, QS 2:0 (2^(QS+8) entries). */
#define VTD_IQA_IQA_MASK	XS_GENMASK(63, 12)
#define VTD_IQA_DW_256		XS_BIT(11)
#define VTD_IQA_QS(v)		XS_FIELD_GET(v, 2, 0)
#define VTD_IQA_RSVD		XS_GENMASK(10, 3)
/* IQH / IQT: descriptor index in 18:4 (128-bit) or 18:5 (256-bit). */
#define VTD_IQ_INDEX_MASK	XS_GENMASK(18, 4)
#define VTD_IQ_SHIFT_128	4
#define VTD_IQ_SHIFT_256	5

/* IOTLB_REG (spec 11.4.8.1) and IVA_REG (11.4.8.2). */
#define VTD_IOTLB_IVT		XS_BIT(63)
#define VTD_IOTLB_IIRG(v)	XS_FIELD_GET(v, 61, 60)
#define VTD_IOTLB_IAIG_SHIFT	57
#define VTD_IOTLB_REG_DR	XS_BIT(49)
#define VTD_IOTLB_REG_DW	XS_BIT(48)
#define VTD_IOTLB_REG_DID(v)	XS_FIELD_GET(v, 47, 32)
#define VTD_IVA_AM(v)		XS_FIELD_GET(v, 5, 0)
#define VTD_IVA_IH		XS_BIT(6)
#define VTD_IVA_ADDR_MASK	XS_GENMASK(63, 12)
/* CCMD (spec 11.4.6): ICC starts a register-based context invalidation. */
#define VTD_CCMD_ICC		XS_BIT(63)

/* ICS (spec 11.4.9.4). */
#define VTD_ICS_IWC		XS_BIT(0)

/* IECTL (spec 11.4.9.5). */
#define VTD_IECTL_IM		XS_BIT(31)
#define VTD_IECTL_IP		XS_BIT(30)

/*
 * IQER (spec 11.4.9.7): IQEI 3:0 says why IQE was set; ITESID 47:32 and
 * ICESID 63:48 name the device behind an ITE or ICE.
 */
#define VTD_IQER_IQEI(v)	XS_FIELD_GET(v, 3, 0)
#define VTD_IQER_ITESID(v)	XS_FIELD_GET(v, 47, 32)
#define VTD_IQER_ICESID(v)	XS_FIELD_GET(v, 63, 48)
enum vtd_iqei {
	VTD_IQEI_NONE = 0,	/* no information */
	VTD_IQEI_TAIL = 1,	/* IQT beyond the queue or misaligned */
	VTD_IQEI_FETCH = 2,	/* descriptor fetch from memory failed */
	VTD_IQEI_TYPE = 3,	/* invalid or unsupported descriptor type */
	VTD_IQEI_RSVD = 4,	/* reserved field set, or a field beyond CAP */
	VTD_IQEI_DW = 5,	/* descriptor width not supported */
};

/* Fault recording register, 128 bits (spec 11.4.14). */
#define VTD_FRCD_LO_FI_MASK	XS_GENMASK(63, 12)
#define VTD_FRCD_HI_SID(v)	XS_FIELD_GET(v, 15, 0)
#define VTD_FRCD_HI_FR(v)	XS_FIELD_GET(v, 39, 32)
#define VTD_FRCD_HI_T		XS_BIT(62)	/* 1 = read request */
#define VTD_FRCD_HI_F		XS_BIT(63)

/* Fault reasons for DMA remapping (spec 7.1.3, table "Fault Reasons"). */
enum vtd_fault_reason {
	VTD_FR_NONE = 0x0,
	VTD_FR_ROOT_NOT_PRESENT = 0x1,
	VTD_FR_CTX_NOT_PRESENT = 0x2,
	VTD_FR_ADDR_BEYOND_AW = 0x4,
	VTD_FR_WRITE = 0x5,	/* write to an entry with W=0 */
	VTD_FR_READ = 0x6,	/* read from an entry with R=0 */
	VTD_FR_SL_RSVD = 0xc,	/* reserved bit set in a paging entry */
};

/*
 * Second-level paging entry (spec 9.8). R and W gate access at every
 * level; an entry with R=W=0 is not present. PS marks a superpage at the
 * PDPE (1 GiB) or PDE (2 MiB) level.
 */
#define VTD_SL_R		XS_BIT(0)
#define VTD_SL_W		XS_BIT(1)
#define VTD_SL_PS		XS_BIT(7)
#define VTD_SL_SNP		XS_BIT(11)	/* leaf; reserved without ECAP.SC */
#define VTD_SL_TM		XS_BIT(62)	/* leaf; reserved without ECAP.DT */
#define VTD_SL_ADDR_MASK	XS_GENMASK(51, 12)
#define VTD_SL_RW		(VTD_SL_R | VTD_SL_W)
/* Host address width modelled: 46 bits, as common server parts report. */
#define VTD_HAW			46
#define VTD_SL_RSVD_ADDR	XS_GENMASK(51, VTD_HAW)
#define VTD_AGAW_BITS		48
#define VTD_SL_LEVELS		4
#define VTD_LEVEL_STRIDE	9

static inline unsigned int vtd_level_shift(int level)
{
	return XS_PAGE_SHIFT + (unsigned int)(level - 1) * VTD_LEVEL_STRIDE;
}

static inline unsigned int vtd_level_index(u64 iova, int level)
{
	return (unsigned int)((iova >> vtd_level_shift(level)) & 0x1ff);
}

#endif
