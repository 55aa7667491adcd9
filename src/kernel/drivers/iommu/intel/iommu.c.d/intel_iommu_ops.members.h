	.sync_iotlb_ranges	= intel_iommu_sync_iotlb_ranges,
