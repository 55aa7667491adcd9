// SPDX-License-Identifier: GPL-2.0-only
/* Piece of drivers/iommu/dma-iommu.c, placed after iommu_dma_unmap_page()
 * by MANIFEST.json; xsmmu-export drops this header.
 */

/*
 * Ranges held between two syncs of a domain. A full batch is synced at
 * once, so this bounds memory (48 KiB per domain), not correctness: a
 * NAPI poll of 64 packets with all their fragments stays well below it.
 */
#define IOMMU_DMA_BATCH_SIZE	2048

static bool iommu_dma_xsmmu __read_mostly;

static int __init iommu_dma_xsmmu_setup(char *str)
{
	return kstrtobool(str, &iommu_dma_xsmmu);
}

early_param("iommu.xsmmu", iommu_dma_xsmmu_setup);

/*
 * Invalidate the domain and release what was unmapped before the
 * invalidation started. Unmaps added while it runs wait for the next
 * sync; a sync that finds nothing held returns at once, because the
 * sync that released those entries has already invalidated them.
 */
static void iommu_dma_batch_sync(struct iommu_domain *domain)
{
	struct iommu_dma_cookie *cookie = domain->iova_cookie;
	struct iommu_dma_batch *batch = cookie->batch;
	struct iommu_dma_batch_entry *e;
	unsigned int i, kept = 0;
	unsigned long flags;
	u64 seq;

	spin_lock_irqsave(&batch->lock, flags);
	if (!batch->count) {
		spin_unlock_irqrestore(&batch->lock, flags);
		return;
	}
	seq = ++batch->syncs_started;
	spin_unlock_irqrestore(&batch->lock, flags);

	domain->ops->sync_domain_iotlb(domain);

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
 * With iommu.xsmmu=1, a DMA domain whose IOMMU can sync a whole domain
 * gets a batch, and its ordinary unmaps stay strict: only the explicit
 * no-sync calls defer their invalidation, never the flush queue.
 */
static void iommu_dma_batch_init(struct iommu_domain *domain)
{
	struct iommu_dma_cookie *cookie = domain->iova_cookie;
	struct iommu_dma_batch *batch;

	if (!iommu_dma_xsmmu || cookie->batch ||
	    !domain->ops->sync_domain_iotlb)
		return;
	batch = kvzalloc(struct_size(batch, entries, IOMMU_DMA_BATCH_SIZE),
			 GFP_KERNEL);
	if (!batch)
		return;	/* no-sync unmaps then stay synchronous */
	spin_lock_init(&batch->lock);
	batch->size = IOMMU_DMA_BATCH_SIZE;
	cookie->batch = batch;
	if (domain->type == IOMMU_DOMAIN_DMA_FQ)
		domain->type = IOMMU_DOMAIN_DMA;
}

/* The domain is going away: complete and release what it still holds. */
static void iommu_dma_batch_destroy(struct iommu_domain *domain)
{
	struct iommu_dma_cookie *cookie = domain->iova_cookie;

	if (!cookie || !cookie->batch)
		return;
	iommu_dma_batch_sync(domain);
	WARN_ON(cookie->batch->count);
	kvfree(cookie->batch);
	cookie->batch = NULL;
}

static void __iommu_dma_unmap_no_sync(struct device *dev, dma_addr_t dma_addr,
				      size_t size)
{
	struct iommu_domain *domain = iommu_get_dma_domain(dev);
	struct iommu_dma_cookie *cookie = domain->iova_cookie;
	struct iova_domain *iovad = &cookie->iovad;
	size_t iova_off = iova_offset(iovad, dma_addr);
	struct iommu_iotlb_gather iotlb_gather;
	size_t unmapped;

	if (!cookie->batch) {
		__iommu_dma_unmap(dev, dma_addr, size);
		return;
	}
	dma_addr -= iova_off;
	size = iova_align(iovad, size + iova_off);
	iommu_iotlb_gather_init(&iotlb_gather);
	unmapped = iommu_unmap_fast(domain, dma_addr, size, &iotlb_gather);
	WARN_ON(unmapped != size);
	iommu_dma_batch_add(domain, dma_addr, size, iotlb_gather.freelist);
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
