
static void iommu_dma_batch_init(struct iommu_domain *domain);
static void iommu_dma_batch_destroy(struct iommu_domain *domain);
