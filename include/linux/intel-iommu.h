/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Intel VT-d driver's header (shim): the 5.15 names of the queued-
 * invalidation macros, structures and functions that the patch calls.
 * The macros are the descriptor layout (spec 6.5.2); tests check them
 * against the hardware model's own field definitions bit for bit. The
 * structures keep the 5.15 member names the code touches; the driver
 * behind them is src/dma_api/intel_iommu.c, written for this model.
 */
#ifndef _XS_SHIM_LINUX_INTEL_IOMMU_H
#define _XS_SHIM_LINUX_INTEL_IOMMU_H

#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/iommu.h>
#include <linux/iova.h>
#include <xsmmu/vtd_pgtable.h>

struct vtd_unit;

#define VTD_PAGE_SHIFT		12
#define VTD_PAGE_SIZE		(1UL << VTD_PAGE_SHIFT)
#define VTD_PAGE_MASK		(((u64)-1) << VTD_PAGE_SHIFT)
#define DMAR_UNITS_SUPPORTED	8	/* 5.15: MAX_IO_APICS; enough here */
#define MAX_AGAW_PFN_WIDTH	52

/* Capability fields the flush code reads (spec 11.4.2). */
#define cap_pgsel_inv(c)	(((c) >> 39) & 1)
#define cap_max_amask_val(c)	(((c) >> 48) & 0x3f)
#define cap_caching_mode(c)	(((c) >> 7) & 1)
#define cap_write_drain(c)	(((c) >> 54) & 1)
#define cap_read_drain(c)	(((c) >> 55) & 1)
#define ecap_qis(e)		(((e) >> 1) & 1)
#define ecap_dev_iotlb_support(e)	(((e) >> 2) & 1)
#define ecap_dit(e)		(((e) >> 41) & 1)

/* IOTLB register granularities; the queued form shifts them to 5:4. */
#define DMA_TLB_FLUSH_GRANU_OFFSET	60
#define DMA_TLB_GLOBAL_FLUSH	(((u64)1) << 60)
#define DMA_TLB_DSI_FLUSH	(((u64)2) << 60)
#define DMA_TLB_PSI_FLUSH	(((u64)3) << 60)
#define DMA_CCMD_GLOBAL_INVL	(((u64)1) << 61)
#define DMA_CCMD_DOMAIN_INVL	(((u64)2) << 61)
#define DMA_CCMD_DEVICE_INVL	(((u64)3) << 61)

#define QI_LENGTH		256
enum {
	QI_FREE,
	QI_IN_USE,
	QI_DONE,
	QI_ABORT
};

#define QI_CC_TYPE		0x1
#define QI_IOTLB_TYPE		0x2
#define QI_DIOTLB_TYPE		0x3
#define QI_IEC_TYPE		0x4
#define QI_IWD_TYPE		0x5

#define QI_IOTLB_DID(did)	(((u64)did) << 16)
#define QI_IOTLB_DR(dr)		(((u64)dr) << 7)
#define QI_IOTLB_DW(dw)		(((u64)dw) << 6)
#define QI_IOTLB_GRAN(gran)	(((u64)gran) >> (DMA_TLB_FLUSH_GRANU_OFFSET - 4))
#define QI_IOTLB_ADDR(addr)	(((u64)addr) & VTD_PAGE_MASK)
#define QI_IOTLB_IH(ih)		(((u64)ih) << 6)
#define QI_IOTLB_AM(am)		(((u8)am) & 0x3f)

#define QI_CC_FM(fm)		(((u64)fm) << 48)
#define QI_CC_SID(sid)		(((u64)sid) << 32)
#define QI_CC_DID(did)		(((u64)did) << 16)
#define QI_CC_GRAN(gran)	(((u64)gran) >> (61 - 4))

#define QI_DEV_IOTLB_SID(sid)	((u64)((sid) & 0xffff) << 32)
#define QI_DEV_IOTLB_QDEP(qdep)	(((qdep) & 0x1f) << 16)
#define QI_DEV_IOTLB_ADDR(addr)	((u64)(addr) & VTD_PAGE_MASK)
#define QI_DEV_IOTLB_PFSID(pfsid) (((u64)((pfsid) & 0xf) << 12) | \
				   ((u64)(((pfsid) >> 4) & 0xfff) << 52))
#define QI_DEV_IOTLB_SIZE	1
#define QI_DEV_IOTLB_MAX_INVS	32

#define QI_IWD_STATUS_DATA(d)	(((u64)d) << 32)
#define QI_IWD_STATUS_WRITE	(((u64)1) << 5)
#define QI_IWD_FENCE		(((u64)1) << 6)
#define QI_IWD_PRQ_DRAIN	(((u64)1) << 7)

#define QI_OPT_WAIT_DRAIN	BIT(0)

struct qi_desc {
	u64 qw0;
	u64 qw1;
	u64 qw2;
	u64 qw3;
};

struct q_inval {
	raw_spinlock_t q_lock;
	void *desc;		/* the queue, in simulated memory */
	int *desc_status;	/* status words, in simulated memory */
	int free_head;
	int free_tail;
	int free_cnt;
	/* Simulation: where desc and desc_status live physically. */
	phys_addr_t xs_desc_phys;
	phys_addr_t xs_status_phys;
	/*
	 * Simulation: submitters between queueing and reclaim (under
	 * q_lock), the only ones that can still free slots.
	 */
	int xs_submitters;
};

struct intel_iommu;

struct iommu_flush {
	void (*flush_context)(struct intel_iommu *iommu, u16 did, u16 sid,
			      u8 fm, u64 type);
	void (*flush_iotlb)(struct intel_iommu *iommu, u16 did, u64 addr,
			    unsigned int size_order, u64 type);
};

struct intel_iommu {
	u64 cap;
	u64 ecap;
	u32 gcmd;
	raw_spinlock_t register_lock;
	int seq_id;
	char name[13];
	unsigned long *domain_ids;	/* bitmap of domain ids in use */
	struct iommu_flush flush;
	struct q_inval *qi;
	/* Simulation: the hardware unit behind the registers. */
	struct vtd_unit *xs_unit;
	u64 xs_qi_spins;		/* poll iterations, all submits */
	u64 xs_qi_stuck;		/* submits the hardware never completed */
	/* submits queued while another submitter waited (under q_lock) */
	u64 xs_qi_queued_behind;
};

struct device_domain_info {
	struct list_head link;		/* in dmar_domain->devices */
	u8 bus;
	u8 devfn;
	u16 pfsid;
	u8 ats_supported:1;
	u8 ats_enabled:1;
	u8 ats_qdep;
	struct device *dev;
	struct intel_iommu *iommu;
	struct dmar_domain *domain;
};

struct dmar_domain {
	int nid;
	unsigned int iommu_refcnt[DMAR_UNITS_SUPPORTED];
	u16 iommu_did[DMAR_UNITS_SUPPORTED];
	u8 has_iotlb_device:1;
	u8 iommu_coherency:1;
	u8 iommu_snooping:1;
	struct list_head devices;
	int flags;
	u64 max_addr;
	struct iommu_domain domain;
	/* Simulation: the second-level table, in simulated memory. */
	struct vtd_pgtable xs_pt;
};

#define DOMAIN_FLAG_USE_FIRST_LEVEL	BIT(1)

extern struct intel_iommu *g_iommus[DMAR_UNITS_SUPPORTED];
extern int g_num_of_iommus;

#define for_each_domain_iommu(idx, domain)			\
	for (idx = 0; idx < g_num_of_iommus; idx++)		\
		if (domain->iommu_refcnt[idx])

static inline struct dmar_domain *to_dmar_domain(struct iommu_domain *dom)
{
	return container_of(dom, struct dmar_domain, domain);
}

static inline bool domain_use_first_level(struct dmar_domain *domain)
{
	return domain->flags & DOMAIN_FLAG_USE_FIRST_LEVEL;
}

int qi_submit_sync(struct intel_iommu *iommu, struct qi_desc *desc,
		   unsigned int count, unsigned long options);
void qi_global_iec(struct intel_iommu *iommu);
void qi_flush_context(struct intel_iommu *iommu, u16 did, u16 sid, u8 fm,
		      u64 type);
void qi_flush_iotlb(struct intel_iommu *iommu, u16 did, u64 addr,
		    unsigned int size_order, u64 type);
void qi_flush_dev_iotlb(struct intel_iommu *iommu, u16 sid, u16 pfsid,
			u16 qdep, u64 addr, unsigned int mask);
void qi_flush_piotlb(struct intel_iommu *iommu, u16 did, u32 pasid, u64 addr,
		     unsigned long npages, bool ih);
int dmar_enable_qi(struct intel_iommu *iommu);
void dmar_disable_qi(struct intel_iommu *iommu);

extern const struct iommu_ops intel_iommu_ops;

#endif
