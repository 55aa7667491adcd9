	/* Unmaps held for dma_sync_device_iotlb(), from the opt-in on */
	struct iommu_dma_batch		*batch;
