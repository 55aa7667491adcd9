	void (*unmap_page_no_sync)(struct device *dev, dma_addr_t dma_handle,
				   size_t size, enum dma_data_direction dir,
				   unsigned long attrs);
	void (*sync_device_iotlb)(struct device *dev);
	bool (*enable_no_sync_unmap)(struct device *dev);
