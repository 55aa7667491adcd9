bool dma_enable_no_sync_unmap(struct device *dev);
void dma_unmap_page_attrs_no_sync(struct device *dev, dma_addr_t addr,
				  size_t size, enum dma_data_direction dir,
				  unsigned long attrs);
void dma_sync_device_iotlb(struct device *dev);
