	.sync_domain_iotlb	= intel_iommu_sync_domain_iotlb,
	.sync_iotlb_ranges	= intel_iommu_sync_iotlb_ranges,
