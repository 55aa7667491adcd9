
/*
 * Unmap without waiting for the IOTLB invalidation: the IOVA and any
 * page-table pages the unmap freed stay held until the next
 * dma_sync_device_iotlb() on the device, which must run before the
 * memory is freed or reused. Where the device's DMA ops cannot defer
 * (dma-direct, IOMMUs without batched sync), this is dma_unmap_*().
 */
static inline void dma_unmap_single_attrs_no_sync(struct device *dev,
						  dma_addr_t addr, size_t size,
						  enum dma_data_direction dir,
						  unsigned long attrs)
{
	dma_unmap_page_attrs_no_sync(dev, addr, size, dir, attrs);
}

#define dma_unmap_page_no_sync(d, a, s, r) \
	dma_unmap_page_attrs_no_sync(d, a, s, r, 0)
#define dma_unmap_single_no_sync(d, a, s, r) \
	dma_unmap_single_attrs_no_sync(d, a, s, r, 0)
