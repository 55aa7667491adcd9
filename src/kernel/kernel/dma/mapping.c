// SPDX-License-Identifier: GPL-2.0
/* Piece of kernel/dma/mapping.c, placed after dma_unmap_page_attrs() by
 * MANIFEST.json; xsmmu-export drops this header.
 */

/**
 * dma_enable_no_sync_unmap - opt the device in to batched unmaps
 * @dev: device whose driver will use the no-sync unmaps
 *
 * From this call on, the no-sync unmaps of @dev are held until
 * dma_sync_device_iotlb() where the DMA layer can batch them (an IOMMU
 * DMA domain with the iommu.xsmmu boot parameter set), and the ordinary
 * unmaps of the device's DMA domain are strict. Devices whose drivers
 * never call it keep their domain's configured behaviour. May sleep.
 *
 * Return: true if no-sync unmaps of @dev will be batched; false if they
 * stay ordinary synchronous unmaps (the driver may then skip its own
 * batching).
 */
bool dma_enable_no_sync_unmap(struct device *dev)
{
	const struct dma_map_ops *ops = get_dma_ops(dev);

	might_sleep();
	if (dma_map_direct(dev, ops) || !ops->enable_no_sync_unmap ||
	    !ops->unmap_page_no_sync || !ops->sync_device_iotlb)
		return false;
	return ops->enable_no_sync_unmap(dev);
}
EXPORT_SYMBOL_GPL(dma_enable_no_sync_unmap);

/**
 * dma_unmap_page_attrs_no_sync - unmap without waiting for the IOTLB
 * @dev: device the mapping belongs to
 * @addr: DMA address returned by the mapping call
 * @size: size of the mapping
 * @dir: direction of the mapping
 * @attrs: DMA_ATTR_* flags of the mapping
 *
 * The translation is removed from the page tables, but the IOTLB may
 * still hold it until dma_sync_device_iotlb() returns: the caller must
 * not free or reuse the memory before then. The IOVA stays reserved until
 * that sync, so no other mapping can get it while a stale entry exists.
 * Devices whose DMA ops cannot defer the invalidation get the ordinary
 * synchronous unmap, never an unmap without invalidation.
 */
void dma_unmap_page_attrs_no_sync(struct device *dev, dma_addr_t addr,
				  size_t size, enum dma_data_direction dir,
				  unsigned long attrs)
{
	const struct dma_map_ops *ops = get_dma_ops(dev);

	if (WARN_ON_ONCE(!valid_dma_direction(dir)))
		return;
	if (dma_map_direct(dev, ops) ||
	    arch_dma_unmap_page_direct(dev, addr + size) ||
	    !ops->unmap_page_no_sync || !ops->sync_device_iotlb) {
		dma_unmap_page_attrs(dev, addr, size, dir, attrs);
		return;
	}
	ops->unmap_page_no_sync(dev, addr, size, dir, attrs);
	debug_dma_unmap_page(dev, addr, size, dir);
}
EXPORT_SYMBOL_GPL(dma_unmap_page_attrs_no_sync);

/**
 * dma_sync_device_iotlb - complete the device's deferred unmaps
 * @dev: device whose no-sync unmaps must take effect
 *
 * Invalidates the IOTLB of the device's DMA domain on every IOMMU it is
 * attached to and returns after the hardware reported completion; then
 * the IOVAs and page-table pages held by earlier no-sync unmaps are
 * released. Afterwards the device cannot reach any buffer unmapped before
 * the call. Does nothing where unmaps are never deferred.
 */
void dma_sync_device_iotlb(struct device *dev)
{
	const struct dma_map_ops *ops = get_dma_ops(dev);

	if (dma_map_direct(dev, ops) || !ops->sync_device_iotlb)
		return;
	ops->sync_device_iotlb(dev);
}
EXPORT_SYMBOL_GPL(dma_sync_device_iotlb);
