/* Enabled at the first opt-in: until then unmaps test nothing more. */
static DEFINE_STATIC_KEY_FALSE(iommu_dma_batch_enabled);

/* Ordinary unmaps of a domain that batches are strict. */
static inline bool iommu_dma_batching(struct iommu_dma_cookie *cookie)
{
	return static_branch_unlikely(&iommu_dma_batch_enabled) &&
	       READ_ONCE(cookie->batch);
}
