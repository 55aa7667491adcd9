	iommu_dma_batch_init(domain);
