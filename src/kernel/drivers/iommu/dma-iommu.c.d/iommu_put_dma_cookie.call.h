	iommu_dma_batch_destroy(domain);
