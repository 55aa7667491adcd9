/* SPDX-License-Identifier: GPL-2.0 */
/*
 * struct dma_map_ops (shim): the 5.15 members for single mappings, in
 * their 5.15 order, with their 5.15 signatures; scatterlist, mmap and
 * coherent-allocation members are left out (nothing here uses them).
 */
#ifndef _XS_SHIM_LINUX_DMA_MAP_OPS_H
#define _XS_SHIM_LINUX_DMA_MAP_OPS_H

#include <linux/dma-mapping.h>

struct dma_map_ops {
	unsigned int flags;
	dma_addr_t (*map_page)(struct device *dev, struct page *page,
			       unsigned long offset, size_t size,
			       enum dma_data_direction dir,
			       unsigned long attrs);
	void (*unmap_page)(struct device *dev, dma_addr_t dma_handle,
			   size_t size, enum dma_data_direction dir,
			   unsigned long attrs);
	void (*sync_single_for_cpu)(struct device *dev, dma_addr_t dma_handle,
				    size_t size, enum dma_data_direction dir);
	void (*sync_single_for_device)(struct device *dev,
				       dma_addr_t dma_handle, size_t size,
				       enum dma_data_direction dir);
	int (*dma_supported)(struct device *dev, u64 mask);
	size_t (*max_mapping_size)(struct device *dev);
	/* The patch's members (src/kernel), spliced in as the exporter does. */
#include <linux/dma-map-ops.h.d/dma_map_ops.members.h>
};

static inline const struct dma_map_ops *get_dma_ops(struct device *dev)
{
	return dev->dma_ops;
}

static inline void set_dma_ops(struct device *dev,
			       const struct dma_map_ops *dma_ops)
{
	dev->dma_ops = dma_ops;
}

#endif
