	if (iommu_dma_batching(cookie))
		iotlb_gather.queued = false;
