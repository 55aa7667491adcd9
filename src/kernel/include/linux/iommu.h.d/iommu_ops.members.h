	void (*sync_iotlb_ranges)(struct iommu_domain *domain,
				  struct iommu_iotlb_gather *ranges,
				  unsigned int nr);
