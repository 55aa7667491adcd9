	iommu_dma_batch_free(domain);
