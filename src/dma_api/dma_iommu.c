// SPDX-License-Identifier: GPL-2.0
/*
 * The DMA-IOMMU glue as 5.15 has it (drivers/iommu/dma-iommu.c), for the
 * model: an IOVA domain per DMA domain, map = allocate IOVA + iommu_map,
 * unmap = iommu_unmap_fast, then either iotlb_sync and free the IOVA
 * (strict) or queue the IOVA and the freed page-table pages on the flush
 * queue (lazy: the domain type is IOMMU_DOMAIN_DMA_FQ).
 */
#include <linux/dma-map-ops.h>
#include <linux/init.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <xsmmu/kworld.h>
#include <xsmmu/mutant.h>
#include <xsmmu/oracle.h>

#include "dma_iommu_internal.h"
#include "kworld_internal.h"
#include <drivers/iommu/dma-iommu.c.d/batch.protos.h>

/* Devices behind an external-facing port (PCI "untrusted"). */
static bool dev_is_untrusted(struct device *dev)
{
	return dev->xs_untrusted;
}

static struct iommu_dma_cookie *cookie_of(struct iommu_domain *domain)
{
	return domain->iova_cookie;
}

int iommu_get_dma_cookie(struct iommu_domain *domain)
{
	struct iommu_dma_cookie *cookie;

	if (domain->iova_cookie)
		return -EEXIST;
	cookie = kzalloc(sizeof(*cookie), GFP_KERNEL);
	if (!cookie)
		return -ENOMEM;
	cookie->type = IOMMU_DMA_IOVA_COOKIE;
	INIT_LIST_HEAD(&cookie->msi_page_list);
	domain->iova_cookie = cookie;
	return 0;
}

void iommu_put_dma_cookie(struct iommu_domain *domain)
{
	struct iommu_dma_cookie *cookie = domain->iova_cookie;

	if (!cookie)
		return;
#include <drivers/iommu/dma-iommu.c.d/iommu_put_dma_cookie.call.h>
	if (cookie->iovad.granule) {
		/* L1: every IOVA must be back before the domain goes. */
		xs_iova_flush_queues(&cookie->iovad);
		if (cookie->iovad.xs_outstanding && xs_kw->oracle)
			xs_oracle_report(xs_kw->oracle, XS_L1, -1, -1, 0, 0,
					 "%lu IOVA ranges never freed when the domain went away",
					 cookie->iovad.xs_outstanding);
		put_iova_domain(&cookie->iovad);
	}
	kfree(cookie);
	domain->iova_cookie = NULL;
}

static void iommu_dma_flush_iotlb_all(struct iova_domain *iovad)
{
	struct iommu_dma_cookie *cookie;
	struct iommu_domain *domain;

	cookie = container_of(iovad, struct iommu_dma_cookie, iovad);
	domain = cookie->fq_domain;
	domain->ops->flush_iotlb_all(domain);
}

/* The flush queue's destructor: page-table pages, after the flush. */
void iommu_dma_entry_dtor(unsigned long data)
{
	struct page *freelist = (struct page *)data;

	while (freelist) {
		unsigned long p = (unsigned long)page_address(freelist);

		freelist = freelist->freelist;
		free_page(p);
	}
}

int iommu_dma_init_fq(struct iommu_domain *domain)
{
	struct iommu_dma_cookie *cookie = domain->iova_cookie;
	int ret;

	if (cookie->fq_domain)
		return 0;
	ret = init_iova_flush_queue(&cookie->iovad, iommu_dma_flush_iotlb_all,
				    iommu_dma_entry_dtor);
	if (ret) {
		pr_warn("iova flush queue initialization failed\n");
		return ret;
	}
	WRITE_ONCE(cookie->fq_domain, domain);
	return 0;
}

static int iommu_dma_init_domain(struct iommu_domain *domain, u64 base,
				 u64 limit)
{
	struct iommu_dma_cookie *cookie = domain->iova_cookie;
	unsigned long order = __ffs(domain->pgsize_bitmap);
	unsigned long base_pfn = max_t(unsigned long, 1, base >> order);

	if (!cookie || cookie->type != IOMMU_DMA_IOVA_COOKIE)
		return -EINVAL;
	if (cookie->iovad.granule)
		return 0;	/* already set up by another device */
	init_iova_domain(&cookie->iovad, 1UL << order, base_pfn);
	if (!cookie->iovad.buddy)
		return -ENOMEM;
#include <drivers/iommu/dma-iommu.c.d/iommu_dma_init_domain.call.h>
	if (domain->type == IOMMU_DOMAIN_DMA_FQ && iommu_dma_init_fq(domain))
		domain->type = IOMMU_DOMAIN_DMA;
	return 0;
}

static int dma_info_to_prot(enum dma_data_direction dir, bool coherent,
		     unsigned long attrs)
{
	int prot = coherent ? IOMMU_CACHE : 0;

	switch (dir) {
	case DMA_BIDIRECTIONAL:
		return prot | IOMMU_READ | IOMMU_WRITE;
	case DMA_TO_DEVICE:
		return prot | IOMMU_READ;
	case DMA_FROM_DEVICE:
		return prot | IOMMU_WRITE;
	default:
		return 0;
	}
}

static dma_addr_t iommu_dma_alloc_iova(struct iommu_domain *domain, size_t size,
				u64 dma_limit, struct device *dev)
{
	struct iommu_dma_cookie *cookie = domain->iova_cookie;
	struct iova_domain *iovad = &cookie->iovad;
	unsigned long shift, iova_len, iova = 0;

	shift = iova_shift(iovad);
	iova_len = size >> shift;
	/*
	 * Freeing non-power-of-two-sized allocations back into the IOVA
	 * caches would bite later: round cacheable sizes up (5.15).
	 */
	if (iova_len < (1 << (IOVA_RANGE_CACHE_MAX_SIZE - 1)))
		iova_len = roundup_pow_of_two(iova_len);
	if (dev->bus_dma_limit && dev->bus_dma_limit < dma_limit)
		dma_limit = dev->bus_dma_limit;
	if (domain->geometry.force_aperture &&
	    dma_limit > domain->geometry.aperture_end)
		dma_limit = domain->geometry.aperture_end;
	/* Try to get PCI devices a SAC address first. */
	if (dma_limit > DMA_BIT_MASK(32))
		iova = alloc_iova_fast(iovad, iova_len,
				       DMA_BIT_MASK(32) >> shift, false);
	if (!iova)
		iova = alloc_iova_fast(iovad, iova_len, dma_limit >> shift,
				       true);
	if (iova) {
		xs_trace_emit(&xs_kw->trace, xs_clock_now(&xs_kw->clock),
			      XS_TR_KW_IOVA_ALLOC, 0, smp_processor_id(),
			      dev->xs_sid, (u64)iova << shift,
			      (u64)iova_len << shift);
		if (xs_kw->oracle)
			xs_oracle_iova_alloc(xs_kw->oracle, domain,
					     (u64)iova << shift,
					     (u64)iova_len << shift);
	}
	return (dma_addr_t)iova << shift;
}

void iommu_dma_free_iova(struct iommu_dma_cookie *cookie, dma_addr_t iova,
			 size_t size, struct iommu_iotlb_gather *gather)
{
	struct iova_domain *iovad = &cookie->iovad;

	xs_trace_emit(&xs_kw->trace, xs_clock_now(&xs_kw->clock), XS_TR_KW_IOVA_FREE, 0,
		      smp_processor_id(), gather && gather->queued, iova,
		      size);
	if (gather && gather->queued)
		queue_iova(iovad, iova_pfn(iovad, iova),
			   size >> iova_shift(iovad),
			   (unsigned long)gather->freelist);
	else
		free_iova_fast(iovad, iova_pfn(iovad, iova),
			       size >> iova_shift(iovad));
}

static void __iommu_dma_unmap(struct device *dev, dma_addr_t dma_addr, size_t size)
{
	struct iommu_domain *domain = iommu_get_dma_domain(dev);
	struct iommu_dma_cookie *cookie = cookie_of(domain);
	struct iova_domain *iovad = &cookie->iovad;
	size_t iova_off = iova_offset(iovad, dma_addr);
	struct iommu_iotlb_gather iotlb_gather;
	size_t unmapped;

	dma_addr -= iova_off;
	size = iova_align(iovad, size + iova_off);
	iommu_iotlb_gather_init(&iotlb_gather);
	iotlb_gather.queued = READ_ONCE(cookie->fq_domain) != NULL;

	unmapped = iommu_unmap_fast(domain, dma_addr, size, &iotlb_gather);
	WARN_ON(unmapped != size);

	if (!iotlb_gather.queued)
		iommu_iotlb_sync(domain, &iotlb_gather);
	iommu_dma_free_iova(cookie, dma_addr, size, &iotlb_gather);
}

static dma_addr_t __iommu_dma_map(struct device *dev, phys_addr_t phys,
				  size_t size, int prot, u64 dma_mask)
{
	struct iommu_domain *domain = iommu_get_dma_domain(dev);
	struct iommu_dma_cookie *cookie = cookie_of(domain);
	struct iova_domain *iovad = &cookie->iovad;
	size_t iova_off = iova_offset(iovad, phys);
	dma_addr_t iova;

	size = iova_align(iovad, size + iova_off);
	iova = iommu_dma_alloc_iova(domain, size, dma_mask, dev);
	if (!iova)
		return DMA_MAPPING_ERROR;
	if (iommu_map_atomic(domain, iova, phys - iova_off, size, prot)) {
		iommu_dma_free_iova(cookie, iova, size, NULL);
		return DMA_MAPPING_ERROR;
	}
	return iova + iova_off;
}

/*
 * swiotlb bounce buffers for untrusted devices. 5.15's
 * iommu_dma_map_page() bounces a buffer whose start or size is not
 * aligned to the IOVA granule (the device would otherwise reach the rest
 * of the pages the buffer shares), and iommu_dma_unmap_page() copies it
 * back and gives the slot back to the pool right after the strict unmap.
 * The model's pool is one block of simulated memory taken at the first
 * bounce, in page slots handed out first fit; a run may not exceed
 * 256 KiB (IO_TLB_SEGSIZE slots of 2 KiB). A slot handed to a new
 * mapping is a page changing owner: the oracle checks that no
 * translation made for the old one is left (S2), and a device access
 * through one afterwards is an S1. Slots still in use when the world
 * goes are a leak (L1): a bounce the unmap never released.
 */
#define XS_SWIOTLB_PAGES	128
#define XS_SWIOTLB_MAX_PAGES	64

struct xs_swiotlb_slot {
	phys_addr_t orig;	/* the buffer's first byte (first slot of a run) */
	size_t size;		/* bytes bounced (first slot of a run) */
	unsigned int run;	/* pages of the run (first slot), 0: free */
	bool used;
};

static struct {
	struct page *pool;
	struct xs_swiotlb_slot slot[XS_SWIOTLB_PAGES];
	unsigned int used;
} swiotlb;
static DEFINE_SPINLOCK(swiotlb_lock);

static bool is_swiotlb_buffer(phys_addr_t phys)
{
	phys_addr_t start;

	if (!swiotlb.pool)
		return false;
	start = page_to_phys(swiotlb.pool);
	return phys >= start &&
	       phys < start + ((phys_addr_t)XS_SWIOTLB_PAGES << PAGE_SHIFT);
}

static unsigned int swiotlb_index(phys_addr_t phys)
{
	return (phys - page_to_phys(swiotlb.pool)) >> PAGE_SHIFT;
}

/* Copies len bytes between simulated memory at two physical addresses. */
static void phys_copy(phys_addr_t to, phys_addr_t from, size_t len)
{
	while (len) {
		size_t n = min_t(size_t, len,
				 min(PAGE_SIZE - offset_in_page(to),
				     PAGE_SIZE - offset_in_page(from)));

		memcpy(phys_to_virt(to), phys_to_virt(from), n);
		to += n;
		from += n;
		len -= n;
	}
}

/* Returns the bounce's physical address, or DMA_MAPPING_ERROR. */
static phys_addr_t swiotlb_map(struct device *dev, phys_addr_t orig,
			       size_t size, size_t aligned_size,
			       enum dma_data_direction dir,
			       unsigned long attrs)
{
	unsigned int n = aligned_size >> PAGE_SHIFT, i, j, at;
	size_t copied;
	phys_addr_t tlb;

	spin_lock(&swiotlb_lock);
	if (!swiotlb.pool) {
		swiotlb.pool = alloc_pages(GFP_KERNEL | __GFP_NOWARN,
					   ilog2(XS_SWIOTLB_PAGES));
		if (swiotlb.pool)
			for (i = 0; i < XS_SWIOTLB_PAGES; i++)
				xs_page_set_owner(swiotlb.pool + i,
						  "swiotlb bounce");
	}
	for (at = 0; swiotlb.pool && n <= XS_SWIOTLB_MAX_PAGES &&
	     at + n <= XS_SWIOTLB_PAGES; at++) {
		for (j = 0; j < n && !swiotlb.slot[at + j].used; j++)
			;
		if (j == n)
			break;
		at += j;
	}
	if (!swiotlb.pool || n > XS_SWIOTLB_MAX_PAGES ||
	    at + n > XS_SWIOTLB_PAGES) {
		spin_unlock(&swiotlb_lock);
		/* "swiotlb buffer is full" */
		return (phys_addr_t)DMA_MAPPING_ERROR;
	}
	for (j = 0; j < n; j++) {
		struct page *page = swiotlb.pool + at + j;

		swiotlb.slot[at + j].used = true;
		/* A new owner: nothing of the last bounce may reach it. */
		if (xs_kw->oracle)
			xs_oracle_page_reuse(xs_kw->oracle, page,
					     "handed to a new swiotlb bounce");
		xs_page_new_owner(page);
	}
	swiotlb.slot[at].orig = orig;
	swiotlb.slot[at].size = size;
	swiotlb.slot[at].run = n;
	swiotlb.used += n;
	spin_unlock(&swiotlb_lock);
	tlb = page_to_phys(swiotlb.pool + at);
	/* The padding is cleared: the device sees zeros, not a last bounce. */
	copied = 0;
	if (!(attrs & DMA_ATTR_SKIP_CPU_SYNC) &&
	    (dir == DMA_TO_DEVICE || dir == DMA_BIDIRECTIONAL)) {
		phys_copy(tlb, orig, size);
		copied = size;
	}
	for (i = copied >> PAGE_SHIFT; i < n; i++) {
		phys_addr_t pg = tlb + ((phys_addr_t)i << PAGE_SHIFT);
		size_t from = i == copied >> PAGE_SHIFT ?
			      offset_in_page(copied) : 0;

		memset((u8 *)phys_to_virt(pg) + from, 0, PAGE_SIZE - from);
	}
	return tlb;
}

static void swiotlb_sync(phys_addr_t tlb, size_t size, bool for_cpu)
{
	struct xs_swiotlb_slot *s = &swiotlb.slot[swiotlb_index(tlb)];

	if (WARN_ON(!s->run))
		return;
	size = min(size, s->size);
	if (for_cpu)
		phys_copy(s->orig, tlb, size);
	else
		phys_copy(tlb, s->orig, size);
}

static void swiotlb_unmap(phys_addr_t tlb)
{
	unsigned int at = swiotlb_index(tlb), j;

	spin_lock(&swiotlb_lock);
	if (WARN_ON(!swiotlb.slot[at].run)) {
		spin_unlock(&swiotlb_lock);
		return;
	}
	for (j = swiotlb.slot[at].run; j--; )
		swiotlb.slot[at + j].used = false;
	swiotlb.used -= swiotlb.slot[at].run;
	swiotlb.slot[at].run = 0;
	spin_unlock(&swiotlb_lock);
}

u64 xs_swiotlb_teardown(void)
{
	u64 leaks = 0;

	if (swiotlb.used && xs_kw && xs_kw->oracle) {
		xs_oracle_report(xs_kw->oracle, XS_L1, -1, -1, 0, 0,
				 "%u swiotlb bounce pages never released",
				 swiotlb.used);
		leaks = 1;
	}
	if (swiotlb.pool)
		__free_pages(swiotlb.pool, ilog2(XS_SWIOTLB_PAGES));
	memset(&swiotlb, 0, sizeof(swiotlb));
	return leaks;
}

void xs_swiotlb_forget(void)
{
	memset(&swiotlb, 0, sizeof(swiotlb));
}

static dma_addr_t iommu_dma_map_page(struct device *dev, struct page *page,
				     unsigned long offset, size_t size,
				     enum dma_data_direction dir,
				     unsigned long attrs)
{
	phys_addr_t phys = page_to_phys(page) + offset;
	int prot = dma_info_to_prot(dir, dev->dma_coherent, attrs);
	struct iommu_domain *domain = iommu_get_dma_domain(dev);
	struct iova_domain *iovad = &cookie_of(domain)->iovad;
	dma_addr_t iova;

	if (dev_is_untrusted(dev) && iova_offset(iovad, phys | size)) {
		phys = swiotlb_map(dev, phys, size, iova_align(iovad, size),
				   dir, attrs);
		if (phys == (phys_addr_t)DMA_MAPPING_ERROR)
			return DMA_MAPPING_ERROR;
	}
	iova = __iommu_dma_map(dev, phys, size, prot, *dev->dma_mask);
	if (iova == DMA_MAPPING_ERROR && is_swiotlb_buffer(phys))
		swiotlb_unmap(phys);
	return iova;
}

/*
 * Coherent x86: nothing to do for the CPU, except copying a bounce
 * buffer (untrusted devices only) back to the buffer or out to it.
 */
static void iommu_dma_sync_single_for_cpu(struct device *dev,
					  dma_addr_t dma_handle, size_t size,
					  enum dma_data_direction dir)
{
	phys_addr_t phys;

	if (!dev_is_untrusted(dev) || dir == DMA_TO_DEVICE)
		return;
	phys = iommu_iova_to_phys(iommu_get_dma_domain(dev), dma_handle);
	if (is_swiotlb_buffer(phys))
		swiotlb_sync(phys, size, true);
}

static void iommu_dma_sync_single_for_device(struct device *dev,
					     dma_addr_t dma_handle, size_t size,
					     enum dma_data_direction dir)
{
	phys_addr_t phys;

	if (!dev_is_untrusted(dev) || dir == DMA_FROM_DEVICE)
		return;
	phys = iommu_iova_to_phys(iommu_get_dma_domain(dev), dma_handle);
	if (is_swiotlb_buffer(phys))
		swiotlb_sync(phys, size, false);
}

static void iommu_dma_unmap_page(struct device *dev, dma_addr_t dma_handle,
				 size_t size, enum dma_data_direction dir,
				 unsigned long attrs)
{
	phys_addr_t phys = 0;

	if (dev_is_untrusted(dev))
		phys = iommu_iova_to_phys(iommu_get_dma_domain(dev),
					  dma_handle);
	if (!(attrs & DMA_ATTR_SKIP_CPU_SYNC))
		iommu_dma_sync_single_for_cpu(dev, dma_handle, size, dir);
	__iommu_dma_unmap(dev, dma_handle, size);
	if (phys && is_swiotlb_buffer(phys))
		swiotlb_unmap(phys);
}

#if XSMMU_MUTANT == XSMMU_MUTANT_IOVA_EARLY_INVALIDATED
/* The batch's release: the mutant's unmap has already freed the IOVA. */
#define iommu_dma_free_iova(cookie, iova, size, gather) do { } while (0)
#elif XSMMU_MUTANT == XSMMU_MUTANT_TABLE_EARLY
/* The batch's release: the mutant's unmap has already freed the tables. */
#define iommu_dma_entry_dtor(freelist) do { } while (0)
#endif
#include <drivers/iommu/dma-iommu.c>
#undef iommu_dma_free_iova
#undef iommu_dma_entry_dtor

#if XSMMU_MUTANT == XSMMU_MUTANT_IOVA_EARLY
/* Mutant: the seed's no-sync unmap on a strict domain. */
static void mutant_unmap_page_no_sync(struct device *dev, dma_addr_t addr,
				      size_t size, enum dma_data_direction dir,
				      unsigned long attrs)
{
	struct iommu_domain *domain = iommu_get_dma_domain(dev);
	struct iommu_dma_cookie *cookie = domain->iova_cookie;
	struct iova_domain *iovad = &cookie->iovad;
	size_t iova_off = iova_offset(iovad, addr);
	struct iommu_iotlb_gather gather;

	addr -= iova_off;
	size = iova_align(iovad, size + iova_off);
	iommu_iotlb_gather_init(&gather);
	iommu_unmap_fast(domain, addr, size, &gather);
	iommu_dma_free_iova(cookie, addr, size, NULL);
	iommu_dma_entry_dtor((unsigned long)gather.freelist);
}
#define iommu_dma_unmap_page_no_sync mutant_unmap_page_no_sync
#endif

#if XSMMU_MUTANT == XSMMU_MUTANT_IOVA_EARLY_INVALIDATED || \
	XSMMU_MUTANT == XSMMU_MUTANT_TABLE_EARLY
/*
 * Mutants of one step each of the patch's no-sync unmap: everything as
 * __iommu_dma_unmap_no_sync() does it, except that the IOVA
 * (IOVA_EARLY_INVALIDATED) or the emptied page-table pages (TABLE_EARLY)
 * are released before the sync instead of after it.
 */
static void mutant_unmap_page_no_sync(struct device *dev, dma_addr_t addr,
				      size_t size, enum dma_data_direction dir,
				      unsigned long attrs)
{
	struct iommu_domain *domain = iommu_get_dma_domain(dev);
	struct iommu_dma_cookie *cookie = domain->iova_cookie;
	struct iova_domain *iovad = &cookie->iovad;
	size_t iova_off = iova_offset(iovad, addr);
	struct iommu_iotlb_gather gather;
	size_t unmapped;

	if (dev_is_untrusted(dev) || !cookie->batch) {
		iommu_dma_unmap_page_no_sync(dev, addr, size, dir, attrs);
		return;
	}
	if (!(attrs & DMA_ATTR_SKIP_CPU_SYNC))
		iommu_dma_sync_single_for_cpu(dev, addr, size, dir);
	addr -= iova_off;
	size = iova_align(iovad, size + iova_off);
	iommu_iotlb_gather_init(&gather);
	unmapped = iommu_unmap_fast(domain, addr, size, &gather);
	WARN_ON(unmapped != size);
#if XSMMU_MUTANT == XSMMU_MUTANT_IOVA_EARLY_INVALIDATED
	iommu_dma_free_iova(cookie, addr, size, NULL);
#else
	/*
	 * The freelist pointer still goes into the batch: the sync sees that
	 * tables went (no invalidation hint), only the release moved.
	 */
	iommu_dma_entry_dtor((unsigned long)gather.freelist);
#endif
	iommu_dma_batch_add(domain, addr, size, gather.freelist);
}
#define iommu_dma_unmap_page_no_sync mutant_unmap_page_no_sync
#endif

static const struct dma_map_ops iommu_dma_ops = {
	.map_page = iommu_dma_map_page,
	.unmap_page = iommu_dma_unmap_page,
	.sync_single_for_cpu = iommu_dma_sync_single_for_cpu,
	.sync_single_for_device = iommu_dma_sync_single_for_device,
#include <drivers/iommu/dma-iommu.c.d/iommu_dma_ops.members.h>
};

void iommu_setup_dma_ops(struct device *dev, u64 dma_base, u64 dma_limit)
{
	struct iommu_domain *domain = iommu_get_domain_for_dev(dev);

	if (domain && iommu_is_dma_domain(domain)) {
		if (iommu_dma_init_domain(domain, dma_base, dma_limit))
			goto out_err;
		dev->dma_ops = &iommu_dma_ops;
	} else {
		dev->dma_ops = NULL;	/* dma-direct */
	}
	return;
out_err:
	pr_warn("Failed to set up IOMMU for device %s; retaining platform DMA ops\n",
		dev_name(dev));
}
