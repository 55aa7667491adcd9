	.sync_domain_iotlb	= intel_iommu_sync_domain_iotlb,
