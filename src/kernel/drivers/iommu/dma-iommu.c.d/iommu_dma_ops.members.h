	.unmap_page_no_sync	= iommu_dma_unmap_page_no_sync,
	.sync_device_iotlb	= iommu_dma_sync_device_iotlb,
	.enable_no_sync_unmap	= iommu_dma_enable_no_sync_unmap,
