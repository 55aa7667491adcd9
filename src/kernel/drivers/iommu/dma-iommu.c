// SPDX-License-Identifier: GPL-2.0-only
/* Piece of drivers/iommu/dma-iommu.c, placed after iommu_dma_unmap_page()
 * by MANIFEST.json; xsmmu-export drops this header.
 */

/*
 * Ranges held between two syncs of a domain. A full batch is synced at
 * once, so this bounds memory, not correctness: a NAPI poll of 64 packets
 * with all their fragments stays well below it. The batch is 2048 entries
 * of 32 bytes after a 40-byte header on 64-bit (65,576 bytes, from
 * kvzalloc: vmalloc when no order-5 block is free).
 */
#define IOMMU_DMA_BATCH_SIZE	2048

/*
 * The most ranges one sync invalidates range by range; above it the sync
 * flushes the whole domain. The sync runs with interrupts off (a sync may
 * be called from any context), and a page-selective sync waits once per
 * chunk of descriptors: this keeps the interrupts-off section to a few
 * waits, and the range list to 64 entries (2,560 bytes on 64-bit).
 */
#define IOMMU_DMA_SYNC_MAX_RANGES	64

enum {
	IOMMU_DMA_XSMMU_OFF,
	IOMMU_DMA_XSMMU_DOMAIN,		/* sync: invalidate the whole domain */
	IOMMU_DMA_XSMMU_RANGES,		/* sync: one PSI per held range */
	IOMMU_DMA_XSMMU_ADAPTIVE,	/* ranges up to a count, else domain */
};

static int iommu_dma_xsmmu __read_mostly;

/*
 * Ranges above which the adaptive sync flushes the whole domain. n
 * page-selective descriptors keep the hot translations (descriptor rings,
 * cached RX pages) that one domain-selective descriptor drops and the
 * device then refills by page walks; the two cost the same near
 * n = (DSI + refill reads * read latency) / PSI, about 9 for a NIC's
 * hot set of 6 reads.
 */
static unsigned int iommu_dma_xsmmu_max_ranges __read_mostly = 8;

/* iommu.xsmmu=0|1|domain|ranges|adaptive (1 is domain) */
static int __init iommu_dma_xsmmu_setup(char *str)
{
	bool on;

	if (!str)
		return -EINVAL;
	if (!strcmp(str, "domain")) {
		iommu_dma_xsmmu = IOMMU_DMA_XSMMU_DOMAIN;
	} else if (!strcmp(str, "ranges")) {
		iommu_dma_xsmmu = IOMMU_DMA_XSMMU_RANGES;
	} else if (!strcmp(str, "adaptive")) {
		iommu_dma_xsmmu = IOMMU_DMA_XSMMU_ADAPTIVE;
	} else if (!kstrtobool(str, &on)) {
		iommu_dma_xsmmu = on ? IOMMU_DMA_XSMMU_DOMAIN :
				       IOMMU_DMA_XSMMU_OFF;
	} else {
		return -EINVAL;
	}
	return 0;
}

early_param("iommu.xsmmu", iommu_dma_xsmmu_setup);

static int __init iommu_dma_xsmmu_max_ranges_setup(char *str)
{
	return kstrtouint(str, 0, &iommu_dma_xsmmu_max_ranges);
}

early_param("iommu.xsmmu_max_ranges", iommu_dma_xsmmu_max_ranges_setup);

/*
 * Coalesce the syncs of a domain: a caller whose unmaps are all older
 * than a sync that has completed since it called returns without one of
 * its own, even if newer unmaps are held by then (they are not its own).
 */
static bool iommu_dma_xsmmu_coalesce __read_mostly;

static int __init iommu_dma_xsmmu_coalesce_setup(char *str)
{
	return kstrtobool(str, &iommu_dma_xsmmu_coalesce);
}

early_param("iommu.xsmmu_coalesce", iommu_dma_xsmmu_coalesce_setup);

/* Invalidate the held ranges one by one, or the whole domain. */
static bool iommu_dma_batch_by_ranges(struct iommu_domain *domain,
				      unsigned int nr)
{
	if (!domain->ops->sync_iotlb_ranges || nr > IOMMU_DMA_SYNC_MAX_RANGES)
		return false;
	return iommu_dma_xsmmu == IOMMU_DMA_XSMMU_RANGES ||
	       (iommu_dma_xsmmu == IOMMU_DMA_XSMMU_ADAPTIVE &&
		nr <= iommu_dma_xsmmu_max_ranges);
}

/*
 * Invalidate what was unmapped before the sync started, then release it.
 * Unmaps added while it runs wait for the next sync. Syncs of a domain
 * take turns: one that finds nothing held returns at once, because the
 * sync that released those entries has already invalidated them (several
 * queues of one function share the domain: their syncs coalesce). With
 * iommu.xsmmu_coalesce=1, a caller also returns once the first sync that
 * started after its call has completed: sync n covers every entry added
 * before it started, and all of the caller's were added before the call.
 */
static void iommu_dma_batch_sync(struct iommu_domain *domain)
{
	struct iommu_dma_cookie *cookie = domain->iova_cookie;
	struct iommu_dma_batch *batch = cookie->batch;
	struct iommu_dma_batch_entry *e;
	unsigned int i, kept = 0, nr = 0;
	unsigned long flags, sflags;
	bool by_ranges;
	u64 seq, covered_by = 0;

	if (iommu_dma_xsmmu_coalesce) {
		spin_lock_irqsave(&batch->lock, flags);
		covered_by = batch->syncs_started + 1;
		spin_unlock_irqrestore(&batch->lock, flags);
	}

	spin_lock_irqsave(&batch->sync_lock, sflags);
	if (covered_by && batch->syncs_completed >= covered_by) {
		spin_unlock_irqrestore(&batch->sync_lock, sflags);
		return;
	}
	spin_lock_irqsave(&batch->lock, flags);
	if (!batch->count) {
		spin_unlock_irqrestore(&batch->lock, flags);
		spin_unlock_irqrestore(&batch->sync_lock, sflags);
		return;
	}
	seq = ++batch->syncs_started;
	by_ranges = batch->ranges &&
		    iommu_dma_batch_by_ranges(domain, batch->count);
	for (i = 0; by_ranges && i < batch->count; i++, nr++) {
		e = &batch->entries[i];
		batch->ranges[nr].start = e->iova;
		batch->ranges[nr].end = e->iova + e->size - 1;
		batch->ranges[nr].pgsize = e->size;
		batch->ranges[nr].freelist = e->freelist;
		batch->ranges[nr].queued = false;
	}
	spin_unlock_irqrestore(&batch->lock, flags);

	if (by_ranges)
		domain->ops->sync_iotlb_ranges(domain, batch->ranges, nr);
	else
		iommu_flush_iotlb_all(domain);

	spin_lock_irqsave(&batch->lock, flags);
	for (i = 0; i < batch->count; i++) {
		e = &batch->entries[i];
		if (e->seq >= seq) {
			batch->entries[kept++] = *e;
			continue;
		}
		iommu_dma_free_iova(cookie, e->iova, e->size, NULL);
		iommu_dma_entry_dtor((unsigned long)e->freelist);
	}
	batch->count = kept;
	spin_unlock_irqrestore(&batch->lock, flags);
	batch->syncs_completed = seq;
	spin_unlock_irqrestore(&batch->sync_lock, sflags);
}

static void iommu_dma_batch_add(struct iommu_domain *domain, dma_addr_t iova,
				size_t size, struct page *freelist)
{
	struct iommu_dma_batch *batch = domain->iova_cookie->batch;
	struct iommu_dma_batch_entry *e;
	unsigned long flags;

	spin_lock_irqsave(&batch->lock, flags);
	while (batch->count == batch->size) {
		spin_unlock_irqrestore(&batch->lock, flags);
		iommu_dma_batch_sync(domain);
		spin_lock_irqsave(&batch->lock, flags);
	}
	e = &batch->entries[batch->count++];
	e->iova = iova;
	e->size = size;
	e->freelist = freelist;
	e->seq = batch->syncs_started;
	spin_unlock_irqrestore(&batch->lock, flags);
}

/*
 * Give the domain a batch, once: from then on its no-sync unmaps are
 * batched and its ordinary unmaps strict. A lazy domain's flush queue
 * stays set up for the unmaps that raced with the switch (they were
 * queued as before and are freed after the queue's own flush); the flush
 * here invalidates what earlier lazy unmaps left in the IOTLB, so no
 * stale translation survives the opt-in longer than the queue's timeout
 * would have let it.
 */
static int iommu_dma_batch_alloc(struct iommu_domain *domain)
{
	struct iommu_dma_cookie *cookie = domain->iova_cookie;
	struct iommu_dma_batch *batch;

	if (!iommu_dma_xsmmu || !domain->ops->flush_iotlb_all)
		return -EOPNOTSUPP;
	if (READ_ONCE(cookie->batch))
		return 0;
	batch = kvzalloc(struct_size(batch, entries, IOMMU_DMA_BATCH_SIZE),
			 GFP_KERNEL);
	if (!batch)
		return -ENOMEM;
	if (iommu_dma_xsmmu != IOMMU_DMA_XSMMU_DOMAIN &&
	    domain->ops->sync_iotlb_ranges)
		/* without it, syncs flush the whole domain */
		batch->ranges = kvcalloc(IOMMU_DMA_SYNC_MAX_RANGES,
					 sizeof(*batch->ranges), GFP_KERNEL);
	spin_lock_init(&batch->lock);
	spin_lock_init(&batch->sync_lock);
	batch->size = IOMMU_DMA_BATCH_SIZE;
	static_branch_enable(&iommu_dma_batch_enabled);
	if (cmpxchg(&cookie->batch, NULL, batch)) {
		/* another device of the domain opted in first */
		kvfree(batch->ranges);
		kvfree(batch);
		return 0;
	}
	if (domain->type == IOMMU_DOMAIN_DMA_FQ) {
		domain->type = IOMMU_DOMAIN_DMA;
		iommu_flush_iotlb_all(domain);
	}
	return 0;
}

static void __iommu_dma_unmap_no_sync(struct device *dev, dma_addr_t dma_addr,
				      size_t size)
{
	struct iommu_domain *domain = iommu_get_dma_domain(dev);
	struct iommu_dma_cookie *cookie = domain->iova_cookie;
	size_t iova_off = iova_offset(&cookie->iovad, dma_addr);
	struct iommu_iotlb_gather gather;

	if (!cookie->batch) {
		__iommu_dma_unmap(dev, dma_addr, size);
		return;
	}
	dma_addr -= iova_off;
	/* Whole IOVA granules, as the synchronous unmap takes them out */
	size = iova_align(&cookie->iovad, size + iova_off);
	iommu_iotlb_gather_init(&gather);
	WARN_ON(iommu_unmap_fast(domain, dma_addr, size, &gather) != size);
	iommu_dma_batch_add(domain, dma_addr, size, gather.freelist);
}

static void iommu_dma_unmap_page_no_sync(struct device *dev,
					 dma_addr_t dma_handle, size_t size,
					 enum dma_data_direction dir,
					 unsigned long attrs)
{
	/*
	 * A bounce buffer would go back to the swiotlb pool before the
	 * invalidation and could be handed to another mapping while this
	 * device still reaches it: untrusted devices stay synchronous.
	 */
	if (dev_is_untrusted(dev)) {
		iommu_dma_unmap_page(dev, dma_handle, size, dir, attrs);
		return;
	}
	if (!(attrs & DMA_ATTR_SKIP_CPU_SYNC))
		iommu_dma_sync_single_for_cpu(dev, dma_handle, size, dir);
	__iommu_dma_unmap_no_sync(dev, dma_handle, size);
}

static void iommu_dma_sync_device_iotlb(struct device *dev)
{
	struct iommu_domain *domain = iommu_get_dma_domain(dev);

	if (domain->iova_cookie && domain->iova_cookie->batch)
		iommu_dma_batch_sync(domain);
}

/*
 * Opt the device's domain in to batched unmaps. Sleeps. Returns whether
 * no-sync unmaps of the device will be held for dma_sync_device_iotlb().
 */
static bool iommu_dma_enable_no_sync_unmap(struct device *dev)
{
	struct iommu_domain *domain = iommu_get_dma_domain(dev);

	/* A bounce buffer cannot wait for a sync: see the no-sync unmap. */
	if (dev_is_untrusted(dev) || !domain->iova_cookie)
		return false;
	return !iommu_dma_batch_alloc(domain);
}
