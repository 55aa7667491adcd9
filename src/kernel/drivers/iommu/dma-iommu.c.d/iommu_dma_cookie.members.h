	/* xsmmu: unmaps waiting for dma_sync_device_iotlb() */
	struct iommu_dma_batch		*batch;
