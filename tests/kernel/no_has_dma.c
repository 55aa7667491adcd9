// SPDX-License-Identifier: GPL-2.0
/*
 * Builds the patch's !CONFIG_HAS_DMA stubs the way a kernel without DMA
 * support sees them: no DMA-mapping implementation behind them, only
 * the types. A broken stub fails the build.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t dma_addr_t;
struct device;
enum dma_data_direction {
	DMA_BIDIRECTIONAL = 0,
	DMA_TO_DEVICE = 1,
	DMA_FROM_DEVICE = 2,
	DMA_NONE = 3,
};

#include <linux/dma-mapping.h.d/no_dma.stubs.h>
#include <linux/dma-mapping.h.d/no_sync.inlines.h>

void xs_no_has_dma_uses_stubs(struct device *dev);
void xs_no_has_dma_uses_stubs(struct device *dev)
{
	if (dma_enable_no_sync_unmap(dev))
		return;
	dma_unmap_page_no_sync(dev, 0, 4096, DMA_TO_DEVICE);
	dma_unmap_single_no_sync(dev, 0, 64, DMA_FROM_DEVICE);
	dma_sync_device_iotlb(dev);
}
