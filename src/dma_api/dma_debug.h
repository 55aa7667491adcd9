/* SPDX-License-Identifier: GPL-2.0 */
/* dma-debug of the kernel world: live mappings per device. */
#ifndef XS_DMA_DEBUG_H
#define XS_DMA_DEBUG_H

#include <linux/dma-mapping.h>

struct xs_callsite {
	const char *file;
	int line;
};

struct xs_dma_map_rec {
	dma_addr_t addr;
	size_t size;
	enum dma_data_direction dir;
	u64 pfn;
	struct xs_callsite site;
};

/* Takes (and clears) the call site the DMA API macro recorded. */
void xs_dma_take_callsite(struct xs_callsite *cs);
void xs_dma_api_error(struct device *dev, const struct xs_callsite *cs,
		      const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
bool xs_dma_debug_check_unmap(struct device *dev, dma_addr_t addr,
			      size_t *size, enum dma_data_direction dir,
			      const struct xs_callsite *cs);

void xs_dma_debug_map(struct device *dev, dma_addr_t addr, size_t size,
		      enum dma_data_direction dir, u64 pfn,
		      const struct xs_callsite *cs);
/* Copies the record of addr into *out; false if there is none. */
bool xs_dma_debug_lookup(struct device *dev, dma_addr_t addr,
			 struct xs_dma_map_rec *out);
/* Removes the record of addr into *out; false if there is none. */
bool xs_dma_debug_unmap(struct device *dev, dma_addr_t addr,
			struct xs_dma_map_rec *out);
/* True if [addr, addr + size) lies inside a live mapping. */
bool xs_dma_debug_find(struct device *dev, dma_addr_t addr, size_t size);
/* True if a live mapping covers any byte of the page that holds addr. */
bool xs_dma_debug_page_live(struct device *dev, dma_addr_t addr);
/* Removes some live record of dev into *out; false when none is left. */
bool xs_dma_debug_pop(struct device *dev, struct xs_dma_map_rec *out);
/* Live mappings of dev; each is reported as a leak when report is set. */
unsigned long xs_dma_debug_live(struct device *dev, bool report);
void xs_dma_debug_free(struct device *dev);

#endif
