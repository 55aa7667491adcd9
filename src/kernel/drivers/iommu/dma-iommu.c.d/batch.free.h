
/*
 * The domain is going away: invalidate what its batch still holds, then
 * release it. No unmap or sync of the domain can run any more.
 */
static void iommu_dma_batch_free(struct iommu_domain *domain)
{
	struct iommu_dma_cookie *cookie = domain->iova_cookie;
	struct iommu_dma_batch *batch = cookie->batch;
	struct iova_domain *iovad = &cookie->iovad;
	struct iommu_dma_batch_entry *e;
	unsigned int i;

	if (!batch)
		return;
	if (batch->count)
		iommu_flush_iotlb_all(domain);
	for (i = 0; i < batch->count; i++) {
		e = &batch->entries[i];
		free_iova_fast(iovad, iova_pfn(iovad, e->iova),
			       e->size >> iova_shift(iovad));
		iommu_dma_entry_dtor((unsigned long)e->freelist);
	}
	kvfree(batch->ranges);
	kvfree(batch);
	cookie->batch = NULL;
}
