/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The streaming DMA API (shim), 5.15 names and signatures. Every entry
 * point is also a macro that records its call site first, so that a misuse
 * (unmapping what was never mapped, a size or direction that does not
 * match, a double unmap) is reported with the file and line of the caller,
 * as dma-debug reports the caller in the kernel. The definitions are
 * written "(name)(...)" so the macros do not touch them.
 */
#ifndef _XS_SHIM_LINUX_DMA_MAPPING_H
#define _XS_SHIM_LINUX_DMA_MAPPING_H

#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/device.h>
#include <linux/dma-direction.h>
#include <linux/mm.h>

#define DMA_MAPPING_ERROR		(~(dma_addr_t)0)
#define DMA_ATTR_WEAK_ORDERING		(1UL << 1)
#define DMA_ATTR_SKIP_CPU_SYNC		(1UL << 5)
#define DMA_BIT_MASK(n)	(((n) == 64) ? ~0ULL : ((1ULL << (n)) - 1))

void xs_dma_callsite(const char *file, int line);

dma_addr_t dma_map_page_attrs(struct device *dev, struct page *page,
			      size_t offset, size_t size,
			      enum dma_data_direction dir, unsigned long attrs);
void dma_unmap_page_attrs(struct device *dev, dma_addr_t addr, size_t size,
			  enum dma_data_direction dir, unsigned long attrs);
void dma_sync_single_for_cpu(struct device *dev, dma_addr_t addr,
			     size_t size, enum dma_data_direction dir);
void dma_sync_single_for_device(struct device *dev, dma_addr_t addr,
				size_t size, enum dma_data_direction dir);
int dma_set_mask(struct device *dev, u64 mask);

/* The patch's declarations (src/kernel), spliced in as the exporter does. */
#include <linux/dma-mapping.h.d/has_dma.decls.h>

static inline dma_addr_t (dma_map_single_attrs)(struct device *dev,
						void *ptr, size_t size,
						enum dma_data_direction dir,
						unsigned long attrs)
{
	return (dma_map_page_attrs)(dev, virt_to_page(ptr),
				    offset_in_page(ptr), size, dir, attrs);
}

static inline void (dma_unmap_single_attrs)(struct device *dev,
					    dma_addr_t addr, size_t size,
					    enum dma_data_direction dir,
					    unsigned long attrs)
{
	(dma_unmap_page_attrs)(dev, addr, size, dir, attrs);
}

#include <linux/dma-mapping.h.d/no_sync.inlines.h>

static inline int dma_mapping_error(struct device *dev, dma_addr_t dma_addr)
{
	return unlikely(dma_addr == DMA_MAPPING_ERROR) ? -ENOMEM : 0;
}

/*
 * Unmaps are checked against the record before they reach the DMA ops:
 * one that does not match a live mapping is reported and not passed on.
 */
bool xs_dma_unmap_precheck(struct device *dev, dma_addr_t addr, size_t size,
			   enum dma_data_direction dir);

/* The file that defines the entry points sees them unwrapped. */
#ifndef XS_DMA_API_DEFINITIONS
#define XS_DMA_CALL(fn, ...) \
	(xs_dma_callsite(__FILE__, __LINE__), (fn)(__VA_ARGS__))
#define XS_DMA_UNMAP_CALL(fn, d, a, s, r, at)				\
	(xs_dma_callsite(__FILE__, __LINE__),				\
	 xs_dma_unmap_precheck(d, a, s, r) ? (fn)(d, a, s, r, at) : (void)0)
#define dma_map_page_attrs(...)	XS_DMA_CALL(dma_map_page_attrs, __VA_ARGS__)
#define dma_unmap_page_attrs(...) \
	XS_DMA_CALL(dma_unmap_page_attrs, __VA_ARGS__)
#define dma_map_single_attrs(...) \
	XS_DMA_CALL(dma_map_single_attrs, __VA_ARGS__)
#define dma_unmap_single_attrs(...) \
	XS_DMA_CALL(dma_unmap_single_attrs, __VA_ARGS__)
#define dma_sync_single_for_cpu(...) \
	XS_DMA_CALL(dma_sync_single_for_cpu, __VA_ARGS__)
#define dma_sync_single_for_device(...) \
	XS_DMA_CALL(dma_sync_single_for_device, __VA_ARGS__)
#define dma_unmap_page_attrs_no_sync(d, a, s, r, at) \
	XS_DMA_UNMAP_CALL(dma_unmap_page_attrs_no_sync, d, a, s, r, at)
#define dma_unmap_single_attrs_no_sync(d, a, s, r, at) \
	XS_DMA_UNMAP_CALL(dma_unmap_single_attrs_no_sync, d, a, s, r, at)
#define dma_sync_device_iotlb(d) XS_DMA_CALL(dma_sync_device_iotlb, d)
#endif

#define dma_map_page(d, p, o, s, r)	dma_map_page_attrs(d, p, o, s, r, 0)
#define dma_unmap_page(d, a, s, r)	dma_unmap_page_attrs(d, a, s, r, 0)
#define dma_map_single(d, a, s, r)	dma_map_single_attrs(d, a, s, r, 0)
#define dma_unmap_single(d, a, s, r)	dma_unmap_single_attrs(d, a, s, r, 0)

#endif
