	void (*sync_domain_iotlb)(struct iommu_domain *domain);
