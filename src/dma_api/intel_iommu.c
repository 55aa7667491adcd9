// SPDX-License-Identifier: GPL-2.0
/*
 * The parts of the 5.15 Intel IOMMU driver (drivers/iommu/intel/iommu.c)
 * that an unmap goes through, written for the model: domains with one
 * domain id per unit they are attached to, second-level tables in
 * simulated memory, map and unmap (the unmap collects the page-table
 * pages it frees in the gather's freelist), iotlb_sync (page-selective
 * invalidation on every unit, ih = !freelist, then the freelist freed)
 * and flush_iotlb_all (domain-selective invalidation on every unit, and
 * the device-TLBs). Register-based invalidation is used when the unit
 * runs without queued invalidation, as 5.15 does.
 *
 * Only 4 KiB leaves are built: the DMA API mappings modelled here are
 * small, and keeping leaves at 4 KiB keeps the oracle's per-frame counts
 * exact.
 */
#include <linux/intel-iommu.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <xsmmu/kworld.h>
#include <xsmmu/model_lock.h>
#include <xsmmu/mutant.h>
#include <xsmmu/oracle.h>
#include <xsmmu/vtd.h>

#include "kworld_internal.h"

#define INTEL_IOMMU_PGSIZES	(~0xFFFUL)
#define XS_DOMAIN_IDS		1024	/* ids handed out per unit */

struct intel_iommu *g_iommus[DMAR_UNITS_SUPPORTED];
int g_num_of_iommus;

static void charge(u64 ns)
{
	xs_clock_advance(&xs_kw->clock, ns);
}

/* ---- register-based invalidation (no queued invalidation) ---- */

static u64 reg_inv_cost(u64 type)
{
	switch (type) {
	case DMA_TLB_GLOBAL_FLUSH:
		return xs_param(&xs_kw->params, XS_P_INV_IOTLB_GLOBAL_NS);
	case DMA_TLB_DSI_FLUSH:
		return xs_param(&xs_kw->params, XS_P_INV_IOTLB_DSI_NS);
	default:
		return xs_param(&xs_kw->params, XS_P_INV_IOTLB_PSI_NS);
	}
}

static void __iommu_flush_iotlb(struct intel_iommu *iommu, u16 did, u64 addr,
				unsigned int size_order, u64 type)
{
	struct vtd_unit *u = iommu->xs_unit;
	u64 val = 0, val_iva = 0;
	int spins = 0;

	switch (type) {
	case DMA_TLB_GLOBAL_FLUSH:
		val = DMA_TLB_GLOBAL_FLUSH | VTD_IOTLB_IVT;
		break;
	case DMA_TLB_DSI_FLUSH:
		val = DMA_TLB_DSI_FLUSH | VTD_IOTLB_IVT | ((u64)did << 32);
		break;
	case DMA_TLB_PSI_FLUSH:
		val = DMA_TLB_PSI_FLUSH | VTD_IOTLB_IVT | ((u64)did << 32);
		/* IH is bit 6 of addr here: the register path honours it. */
		val_iva = size_order | addr;
		break;
	default:
		BUG();
	}
	if (cap_write_drain(iommu->cap))
		val |= VTD_IOTLB_REG_DW;
	raw_spin_lock(&iommu->register_lock);
	if (val_iva) {
		charge(xs_param(&xs_kw->params, XS_P_MMIO_WRITE_NS));
		vtd_reg_write64(u, VTD_REG_IVA, val_iva);
	}
	charge(xs_param(&xs_kw->params, XS_P_MMIO_WRITE_NS));
	vtd_reg_write64(u, VTD_REG_IOTLB, val);
	/* The model completes at once; charge what the hardware takes. */
	charge(reg_inv_cost(type));
	while (vtd_reg_read64(u, VTD_REG_IOTLB) & VTD_IOTLB_IVT) {
		charge(xs_param(&xs_kw->params, XS_P_STATUS_POLL_NS));
		if (WARN_ON(++spins > 1000000))
			break;
	}
	raw_spin_unlock(&iommu->register_lock);
}

static void __iommu_flush_context(struct intel_iommu *iommu, u16 did,
				  u16 sid, u8 fm, u64 type)
{
	/* Context entries are always coherent in the model: cost only. */
	charge(xs_param(&xs_kw->params, XS_P_MMIO_WRITE_NS) +
	       xs_param(&xs_kw->params, XS_P_INV_CC_NS));
}

/* ---- units ---- */

int xs_intel_iommu_add(struct vtd_unit *unit, bool use_qi)
{
	struct intel_iommu *iommu;
	int idx = g_num_of_iommus;

	if (idx >= DMAR_UNITS_SUPPORTED)
		return -ENOSPC;
	iommu = kzalloc(sizeof(*iommu), GFP_KERNEL);
	if (!iommu)
		return -ENOMEM;
	iommu->domain_ids = kcalloc(XS_DOMAIN_IDS / BITS_PER_LONG,
				    sizeof(unsigned long), GFP_KERNEL);
	if (!iommu->domain_ids) {
		kfree(iommu);
		return -ENOMEM;
	}
	/* Domain id 0 is reserved (5.15 does not hand it out). */
	iommu->domain_ids[0] = 1;
	iommu->xs_unit = unit;
	iommu->seq_id = idx;
	snprintf(iommu->name, sizeof(iommu->name), "dmar%u", (unsigned int)idx % 100);
	raw_spin_lock_init(&iommu->register_lock);
	iommu->cap = vtd_reg_read64(unit, VTD_REG_CAP);
	iommu->ecap = vtd_reg_read64(unit, VTD_REG_ECAP);
	if (use_qi && !dmar_enable_qi(iommu)) {
		iommu->flush.flush_context = qi_flush_context;
		iommu->flush.flush_iotlb = qi_flush_iotlb;
		pr_info("DMAR: %s: using Queued invalidation\n", iommu->name);
	} else {
		iommu->flush.flush_context = __iommu_flush_context;
		iommu->flush.flush_iotlb = __iommu_flush_iotlb;
		pr_info("DMAR: %s: using Register based invalidation\n",
			iommu->name);
	}
	iommu->gcmd |= VTD_GCMD_TE;
	vtd_reg_write32(unit, VTD_REG_GCMD, iommu->gcmd);
	g_iommus[idx] = iommu;
	g_num_of_iommus++;
	return idx;
}

void xs_intel_iommu_remove_all(void)
{
	int i;

	for (i = 0; i < g_num_of_iommus; i++) {
		struct intel_iommu *iommu = g_iommus[i];

		dmar_disable_qi(iommu);
		kfree(iommu->domain_ids);
		kfree(iommu);
		g_iommus[i] = NULL;
	}
	g_num_of_iommus = 0;
}

void xs_intel_iommu_forget_all(void)
{
	int i;

	for (i = 0; i < g_num_of_iommus; i++)
		g_iommus[i] = NULL;
	g_num_of_iommus = 0;
}

/* ---- page-table pages ---- */

static u64 pgtable_alloc(void *ctx)
{
	struct page *page = alloc_page(GFP_ATOMIC | __GFP_ZERO);

	if (!page)
		return 0;
	xs_page_set_kind(page, XS_PAGE_KIND_PGTABLE);
	xs_page_set_owner(page, "intel-iommu page table");
	return page_to_pfn(page);
}

/* An unmap detached a table: it waits on the gather's freelist. */
static void pgtable_to_freelist(void *ctx, u64 pfn)
{
	struct iommu_iotlb_gather *gather = ctx;
	struct page *page = pfn_to_page(pfn);

	page->freelist = gather->freelist;
	gather->freelist = page;
}

static void pgtable_free_now(void *ctx, u64 pfn)
{
	__free_page(pfn_to_page(pfn));
}

/* 5.15 dma_free_pagelist(): frees a freelist after its flush. */
static void dma_free_pagelist(struct page *freelist)
{
	struct page *pg;

	while ((pg = freelist)) {
		freelist = pg->freelist;
		free_page((unsigned long)page_address(pg));
	}
}

/* ---- domains ---- */

static struct iommu_domain *intel_iommu_domain_alloc(unsigned int type)
{
	struct dmar_domain *dmar_domain;

	if (type != IOMMU_DOMAIN_DMA && type != IOMMU_DOMAIN_DMA_FQ &&
	    type != IOMMU_DOMAIN_UNMANAGED)
		return NULL;
	dmar_domain = kzalloc(sizeof(*dmar_domain), GFP_KERNEL);
	if (!dmar_domain)
		return NULL;
	INIT_LIST_HEAD(&dmar_domain->devices);
	dmar_domain->nid = NUMA_NO_NODE;
	if (vtd_pgtable_init(&dmar_domain->xs_pt, xs_kw->pm, pgtable_alloc,
			     NULL)) {
		kfree(dmar_domain);
		return NULL;
	}
	dmar_domain->domain.geometry.aperture_start = 0;
	dmar_domain->domain.geometry.aperture_end = (1ULL << 48) - 1;
	dmar_domain->domain.geometry.force_aperture = true;
	return &dmar_domain->domain;
}

static void intel_iommu_domain_free(struct iommu_domain *domain)
{
	struct dmar_domain *dmar_domain = to_dmar_domain(domain);

	WARN_ON(!list_empty(&dmar_domain->devices));
	vtd_pgtable_destroy(&dmar_domain->xs_pt, pgtable_free_now, NULL);
	kfree(dmar_domain);
}

static int domain_id_alloc(struct intel_iommu *iommu)
{
	int id;

	for (id = 1; id < XS_DOMAIN_IDS; id++) {
		unsigned long bit = 1UL << (id % BITS_PER_LONG);

		if (!(iommu->domain_ids[id / BITS_PER_LONG] & bit)) {
			iommu->domain_ids[id / BITS_PER_LONG] |= bit;
			return id;
		}
	}
	return -ENOSPC;
}

static void domain_id_free(struct intel_iommu *iommu, int id)
{
	iommu->domain_ids[id / BITS_PER_LONG] &=
		~(1UL << (id % BITS_PER_LONG));
}

static void domain_update_iotlb(struct dmar_domain *domain)
{
	struct device_domain_info *info;
	bool has = false;

	list_for_each_entry(info, &domain->devices, link)
		if (info->ats_enabled)
			has = true;
	domain->has_iotlb_device = has;
}

static int intel_iommu_attach_device(struct iommu_domain *domain,
				     struct device *dev)
{
	struct dmar_domain *dmar_domain = to_dmar_domain(domain);
	struct intel_iommu *iommu = dev->xs_iommu;
	struct device_domain_info *info;
	int idx, did;

	if (!iommu)
		return -ENODEV;
	idx = iommu->seq_id;
	info = kzalloc(sizeof(*info), GFP_KERNEL);
	if (!info)
		return -ENOMEM;
	if (!dmar_domain->iommu_refcnt[idx]) {
		did = domain_id_alloc(iommu);
		if (did < 0) {
			kfree(info);
			return did;
		}
		dmar_domain->iommu_did[idx] = (u16)did;
	}
	dmar_domain->iommu_refcnt[idx]++;
	info->bus = dev->xs_sid >> 8;
	info->devfn = dev->xs_sid & 0xff;
	info->dev = dev;
	info->iommu = iommu;
	info->domain = dmar_domain;
	list_add(&info->link, &dmar_domain->devices);
	dev->iommu = (struct dev_iommu *)info;
	vtd_context_set(iommu->xs_unit, dev->xs_sid,
			dmar_domain->iommu_did[idx], dmar_domain->xs_pt.root);
	/* Context entry was not present: no caching mode, no flush needed. */
	return 0;
}

static void intel_iommu_detach_device(struct iommu_domain *domain,
				      struct device *dev)
{
	struct dmar_domain *dmar_domain = to_dmar_domain(domain);
	struct device_domain_info *info = (void *)dev->iommu;
	struct intel_iommu *iommu = dev->xs_iommu;
	int idx;
	u16 did;

	if (WARN_ON(!info || !iommu))
		return;
	idx = iommu->seq_id;
	did = dmar_domain->iommu_did[idx];
	/* 5.15 domain_context_clear_one(): clear, flush context, DSI. */
	vtd_context_clear(iommu->xs_unit, dev->xs_sid);
	iommu->flush.flush_context(iommu, did, dev->xs_sid, 0,
				   DMA_CCMD_DEVICE_INVL);
	iommu->flush.flush_iotlb(iommu, did, 0, 0, DMA_TLB_DSI_FLUSH);
	list_del(&info->link);
	kfree(info);
	dev->iommu = NULL;
	domain_update_iotlb(dmar_domain);
	if (--dmar_domain->iommu_refcnt[idx] == 0) {
		domain_id_free(iommu, did);
		dmar_domain->iommu_did[idx] = 0;
	}
}

void xs_intel_enable_ats(struct device *dev, u16 qdep)
{
	struct device_domain_info *info = (void *)dev->iommu;

	if (WARN_ON(!info))
		return;
	info->ats_supported = 1;
	info->ats_enabled = 1;
	info->ats_qdep = (u8)qdep;
	info->pfsid = 0;	/* no DIT in use: PFSID is reserved */
	if (ecap_dit(info->iommu->ecap))
		info->pfsid = dev->xs_sid;
	domain_update_iotlb(info->domain);
}

/* ---- map / unmap ---- */

static int intel_iommu_map(struct iommu_domain *domain, unsigned long iova,
			   phys_addr_t hpa, size_t size, int iommu_prot,
			   gfp_t gfp)
{
	XS_MODEL_GUARD();
	struct dmar_domain *dmar_domain = to_dmar_domain(domain);
	u64 prot = 0;
	int ret;

	if (iommu_prot & IOMMU_READ)
		prot |= VTD_SL_R;
	if (iommu_prot & IOMMU_WRITE)
		prot |= VTD_SL_W;
	if (!prot)
		return -EINVAL;
	charge(xs_param(&xs_kw->params, XS_P_CPU_DMA_MAP_NS));
	ret = vtd_pgtable_map(&dmar_domain->xs_pt, iova, hpa, size, prot,
			      VTD_PG_4K);
	if (ret)
		return ret;
	if (dmar_domain->max_addr < iova + size)
		dmar_domain->max_addr = iova + size;
	return 0;
}

static size_t intel_iommu_unmap(struct iommu_domain *domain,
				unsigned long iova, size_t size,
				struct iommu_iotlb_gather *gather)
{
	XS_MODEL_GUARD();
	struct dmar_domain *dmar_domain = to_dmar_domain(domain);
	s64 unmapped;

	charge(xs_param(&xs_kw->params, XS_P_CPU_DMA_UNMAP_NS));
	unmapped = vtd_pgtable_unmap(&dmar_domain->xs_pt, iova, size,
				     pgtable_to_freelist, gather);
	if (unmapped < 0)
		return 0;
	if (dmar_domain->max_addr == iova + size)
		dmar_domain->max_addr = iova;
	iommu_iotlb_gather_add_page(domain, gather, iova, size);
	return size;
}

static phys_addr_t intel_iommu_iova_to_phys(struct iommu_domain *domain,
					    dma_addr_t iova)
{
	struct dmar_domain *dmar_domain = to_dmar_domain(domain);
	u64 phys, prot, pgsz;

	if (vtd_pgtable_lookup(&dmar_domain->xs_pt, iova, &phys, &prot, &pgsz))
		return 0;
	return phys;
}

/* ---- flushes ---- */

static void iommu_flush_dev_iotlb(struct dmar_domain *domain, u64 addr,
				  unsigned int mask)
{
	struct device_domain_info *info;

	/* Only devices with ATS on keep translations of their own. */
	if (!domain->has_iotlb_device)
		return;
	list_for_each_entry(info, &domain->devices, link) {
		u16 rid = (u16)info->bus << 8 | info->devfn;

		if (info->ats_enabled)
			qi_flush_dev_iotlb(info->iommu, rid, info->pfsid,
					   info->ats_qdep, addr, mask);
	}
}

/*
 * Page-selective invalidation of @pages pages from @pfn in @domain's
 * IOTLB on @iommu, then in the device TLBs of its ATS devices. PSI
 * covers 2^am pages aligned to their size; a unit without PSI, or a
 * range wider than its largest mask, gets a domain-selective one.
 * @ih asks to keep the paging-structure caches (IH, address bit 6).
 */
static void iommu_flush_iotlb_psi(struct intel_iommu *iommu,
				  struct dmar_domain *domain,
				  unsigned long pfn, unsigned int pages,
				  int ih, int map)
{
	u16 did = domain->iommu_did[iommu->seq_id];
	u64 addr = (u64)pfn << VTD_PAGE_SHIFT;
	unsigned int am = ilog2(roundup_pow_of_two(pages));
	u64 hint = ih ? 1ULL << 6 : 0;
	bool psi_ok;

	BUG_ON(pages == 0);
	xs_trace_emit(&xs_kw->trace, xs_clock_now(&xs_kw->clock), XS_TR_KW_SYNC,
		      iommu->seq_id, smp_processor_id(), iommu->seq_id, did,
		      3);
	psi_ok = cap_pgsel_inv(iommu->cap) &&
		 am <= cap_max_amask_val(iommu->cap);
	if (domain_use_first_level(domain))
		qi_flush_piotlb(iommu, did, 0, addr, pages, hint != 0);
	else if (psi_ok)
		iommu->flush.flush_iotlb(iommu, did, addr | hint, am,
					 DMA_TLB_PSI_FLUSH);
	else
		iommu->flush.flush_iotlb(iommu, did, 0, 0, DMA_TLB_DSI_FLUSH);
	/*
	 * A new mapping (non-present to present) is flushed only for
	 * caching mode's sake; no device TLB can hold it.
	 */
	if (map && cap_caching_mode(iommu->cap))
		return;
	iommu_flush_dev_iotlb(domain, addr, am);
}

/* All of @dmar_domain on one unit: its IOTLB, then its device TLBs. */
static void domain_flush_on_unit(struct dmar_domain *dmar_domain,
				 struct intel_iommu *iommu, int idx, u16 did)
{
	xs_trace_emit(&xs_kw->trace, xs_clock_now(&xs_kw->clock), XS_TR_KW_SYNC,
		      idx, smp_processor_id(), idx, did, 2);
	if (!domain_use_first_level(dmar_domain))
		iommu->flush.flush_iotlb(iommu, did, 0, 0, DMA_TLB_DSI_FLUSH);
	else
		qi_flush_piotlb(iommu, did, 0, 0, -1, 0);
	/* In caching mode the device TLBs are the host's business. */
	if (cap_caching_mode(iommu->cap))
		return;
	iommu_flush_dev_iotlb(dmar_domain, 0, MAX_AGAW_PFN_WIDTH);
}

static void intel_flush_iotlb_all(struct iommu_domain *domain)
{
	struct dmar_domain *dmar_domain = to_dmar_domain(domain);
	int idx;
#if XSMMU_MUTANT == XSMMU_MUTANT_DOMAIN_SYNC_FIRST_UNIT_ONLY
	int units = 0;
#endif

	for_each_domain_iommu(idx, dmar_domain) {
		struct intel_iommu *iommu = g_iommus[idx];
#if XSMMU_MUTANT == XSMMU_MUTANT_DOMAIN_SYNC_UNIT0_DID
		/* Mutant: unit 0's id for the domain, on every unit. */
		u16 did = dmar_domain->iommu_did[0];
#else
		u16 did = dmar_domain->iommu_did[iommu->seq_id];
#endif

#if XSMMU_MUTANT == XSMMU_MUTANT_DOMAIN_SYNC_FIRST_UNIT_ONLY
		/* Mutant: the first unit the domain is on, no other. */
		if (units++)
			break;
#endif
		domain_flush_on_unit(dmar_domain, iommu, idx, did);
	}
}

#include <drivers/iommu/intel/iommu.c>

static void intel_iommu_tlb_sync(struct iommu_domain *domain,
				 struct iommu_iotlb_gather *gather)
{
	struct dmar_domain *dmar_domain = to_dmar_domain(domain);
	unsigned long iova_pfn = gather->start >> VTD_PAGE_SHIFT;
	size_t size = gather->end - gather->start;
	unsigned long nrpages;
	int iommu_id;

	if (gather->start == ULONG_MAX)
		return;
	nrpages = DIV_ROUND_UP(size + 1, VTD_PAGE_SIZE);
	for_each_domain_iommu(iommu_id, dmar_domain)
		iommu_flush_iotlb_psi(g_iommus[iommu_id], dmar_domain,
				      iova_pfn, nrpages, !gather->freelist, 0);
	dma_free_pagelist(gather->freelist);
}

const struct iommu_ops intel_iommu_ops = {
	.domain_alloc = intel_iommu_domain_alloc,
	.domain_free = intel_iommu_domain_free,
	.attach_dev = intel_iommu_attach_device,
	.detach_dev = intel_iommu_detach_device,
	.map = intel_iommu_map,
	.unmap = intel_iommu_unmap,
	.flush_iotlb_all = intel_flush_iotlb_all,
#include <drivers/iommu/intel/iommu.c.d/intel_iommu_ops.members.h>
	.iotlb_sync = intel_iommu_tlb_sync,
	.iova_to_phys = intel_iommu_iova_to_phys,
	.pgsize_bitmap = INTEL_IOMMU_PGSIZES,
};
