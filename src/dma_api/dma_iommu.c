// SPDX-License-Identifier: GPL-2.0
/*
 * The DMA-IOMMU glue as 5.15 has it (drivers/iommu/dma-iommu.c), for the
 * model: an IOVA domain per DMA domain, map = allocate IOVA + iommu_map,
 * unmap = iommu_unmap_fast, then either iotlb_sync and free the IOVA
 * (strict) or queue the IOVA and the freed page-table pages on the flush
 * queue (lazy: the domain type is IOMMU_DOMAIN_DMA_FQ).
 */
#include <linux/atomic.h>
#include <linux/dma-map-ops.h>
#include <linux/init.h>
#include <linux/jump_label.h>
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
#include <drivers/iommu/dma-iommu.c.d/batch.key.h>

u64 xs_dma_iommu_unmaps[2];

/* A world is a fresh boot: no domain has opted in yet. */
void xs_dma_iommu_boot(void)
{
	xs_static_key_reset(&iommu_dma_batch_enabled);
	memset(xs_dma_iommu_unmaps, 0, sizeof(xs_dma_iommu_unmaps));
}

bool xs_dma_iommu_batch_enabled(void)
{
	return static_branch_unlikely(&iommu_dma_batch_enabled);
}

/* Devices behind an external-facing port (PCI "untrusted"). */
static bool dev_is_untrusted(struct device *dev)
{
	return dev->xs_untrusted;
}

/*
 * The flush queue's destructor: the page-table pages the unmap took out,
 * given back once the flush has made them unreachable.
 */
void iommu_dma_entry_dtor(unsigned long data)
{
	struct page *pg, *next;

	for (pg = (struct page *)data; pg; pg = next) {
		next = pg->freelist;	/* read before the page goes */
		free_page((unsigned long)page_address(pg));
	}
}

#include <drivers/iommu/dma-iommu.c.d/batch.free.h>

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

/* The flush queue's flush: all of the IOTLB of the domain it serves. */
static void iommu_dma_flush_iotlb_all(struct iova_domain *iovad)
{
	struct iommu_domain *fq_domain =
		container_of(iovad, struct iommu_dma_cookie, iovad)->fq_domain;

	fq_domain->ops->flush_iotlb_all(fq_domain);
}

int iommu_dma_init_fq(struct iommu_domain *domain)
{
	struct iommu_dma_cookie *cookie = domain->iova_cookie;
	int err;

	if (cookie->fq_domain)
		return 0;	/* the queue is already there */
	err = init_iova_flush_queue(&cookie->iovad, iommu_dma_flush_iotlb_all,
				    iommu_dma_entry_dtor);
	if (err) {
		pr_warn("no IOVA flush queue for this domain (%d)\n", err);
		return err;
	}
	/* Only now may unmaps defer their IOVAs to the queue. */
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
	if (domain->type == IOMMU_DOMAIN_DMA_FQ && iommu_dma_init_fq(domain))
		domain->type = IOMMU_DOMAIN_DMA;
	return 0;
}

/*
 * IOMMU page permissions for a DMA direction: the device may read what
 * goes to it and write what comes from it; no direction, no access.
 */
static int dma_info_to_prot(enum dma_data_direction dir, bool coherent,
			    unsigned long attrs)
{
	bool reads = dir == DMA_TO_DEVICE || dir == DMA_BIDIRECTIONAL;
	bool writes = dir == DMA_FROM_DEVICE || dir == DMA_BIDIRECTIONAL;
	int prot = (reads ? IOMMU_READ : 0) | (writes ? IOMMU_WRITE : 0);

	if (prot && coherent)
		prot |= IOMMU_CACHE;
	return prot;
}

static dma_addr_t iommu_dma_alloc_iova(struct iommu_domain *domain, size_t size,
				u64 dma_limit, struct device *dev)
{
	struct iommu_dma_cookie *cookie = domain->iova_cookie;
	struct iova_domain *iovad = &cookie->iovad;
	unsigned long shift = iova_shift(iovad);
	unsigned long pages = size >> shift;
	u64 limit = dma_limit;
	unsigned long pfn = 0;

	/*
	 * A size the per-CPU IOVA caches keep goes in as a power of two, so
	 * that what a cache gives back has the order it was freed with.
	 */
	if (pages < (1UL << (IOVA_RANGE_CACHE_MAX_SIZE - 1)))
		pages = roundup_pow_of_two(pages);
	if (dev->bus_dma_limit)
		limit = min_t(u64, limit, dev->bus_dma_limit);
	if (domain->geometry.force_aperture)
		limit = min_t(u64, limit, domain->geometry.aperture_end);
	/*
	 * Below 4 GiB first (a single-address-cycle address for PCI); only
	 * then up to the limit, and that try may drain the caches.
	 */
	if (limit > DMA_BIT_MASK(32))
		pfn = alloc_iova_fast(iovad, pages, DMA_BIT_MASK(32) >> shift,
				      false);
	if (!pfn)
		pfn = alloc_iova_fast(iovad, pages, limit >> shift, true);
	if (!pfn)
		return 0;
	xs_trace_emit(&xs_kw->trace, xs_clock_now(&xs_kw->clock),
		      XS_TR_KW_IOVA_ALLOC, 0, smp_processor_id(), dev->xs_sid,
		      (u64)pfn << shift, (u64)pages << shift);
	if (xs_kw->oracle)
		xs_oracle_iova_alloc(xs_kw->oracle, domain, (u64)pfn << shift,
				     (u64)pages << shift);
	return (dma_addr_t)pfn << shift;
}

/*
 * Give an IOVA range back: at once, or (a gather that was queued) through
 * the flush queue, which frees it and the gathered page-table pages only
 * after its next IOTLB flush.
 */
void iommu_dma_free_iova(struct iommu_dma_cookie *cookie, dma_addr_t iova,
			 size_t size, struct iommu_iotlb_gather *gather)
{
	struct iova_domain *iovad = &cookie->iovad;
	unsigned long pfn = iova_pfn(iovad, iova);
	unsigned long pages = size >> iova_shift(iovad);
	bool deferred = gather && gather->queued;

	xs_trace_emit(&xs_kw->trace, xs_clock_now(&xs_kw->clock),
		      XS_TR_KW_IOVA_FREE, 0, smp_processor_id(), deferred,
		      iova, size);
	if (!deferred) {
		free_iova_fast(iovad, pfn, pages);
		return;
	}
	queue_iova(iovad, pfn, pages, (unsigned long)gather->freelist);
}

static void __iommu_dma_unmap(struct device *dev, dma_addr_t dma_addr, size_t size)
{
	struct iommu_domain *domain = iommu_get_dma_domain(dev);
	struct iommu_dma_cookie *cookie = cookie_of(domain);
	struct iova_domain *iovad = &cookie->iovad;
	dma_addr_t start = dma_addr - iova_offset(iovad, dma_addr);
	size_t len = iova_align(iovad, size + (dma_addr - start));
	struct iommu_iotlb_gather iotlb_gather;
	size_t done;

	iommu_iotlb_gather_init(&iotlb_gather);
	/* With a flush queue the IOVA waits for the queue's flush. */
	iotlb_gather.queued = READ_ONCE(cookie->fq_domain) != NULL;
#include <drivers/iommu/dma-iommu.c.d/__iommu_dma_unmap.strict.h>
	xs_dma_iommu_unmaps[iotlb_gather.queued]++;
	done = iommu_unmap_fast(domain, start, len, &iotlb_gather);
	WARN_ON(done != len);
	if (!iotlb_gather.queued)
		iommu_iotlb_sync(domain, &iotlb_gather);	/* strict */
	iommu_dma_free_iova(cookie, start, len, &iotlb_gather);
}

static dma_addr_t __iommu_dma_map(struct device *dev, phys_addr_t phys,
				  size_t size, int prot, u64 dma_mask)
{
	struct iommu_domain *domain = iommu_get_dma_domain(dev);
	struct iommu_dma_cookie *cookie = cookie_of(domain);
	struct iova_domain *iovad = &cookie->iovad;
	phys_addr_t start = phys - iova_offset(iovad, phys);
	size_t len = iova_align(iovad, size + (phys - start));
	dma_addr_t iova = iommu_dma_alloc_iova(domain, len, dma_mask, dev);

	if (!iova)
		return DMA_MAPPING_ERROR;
	if (!iommu_map_atomic(domain, iova, start, len, prot))
		return iova + (phys - start);
	/* Nothing was mapped: the IOVA goes straight back. */
	iommu_dma_free_iova(cookie, iova, len, NULL);
	return DMA_MAPPING_ERROR;
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
#elif XSMMU_MUTANT == XSMMU_MUTANT_SYNC_NOOP
/* Mutant: the batch's domain sync invalidates nothing. */
#define iommu_flush_iotlb_all(domain) do { } while (0)
#endif
#include <drivers/iommu/dma-iommu.c>
#undef iommu_dma_free_iova
#undef iommu_dma_entry_dtor
#undef iommu_flush_iotlb_all

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
