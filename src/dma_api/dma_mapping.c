// SPDX-License-Identifier: GPL-2.0
/*
 * The streaming DMA API entry points (5.15 kernel/dma/mapping.c), the
 * dma-direct path for devices with no IOMMU translation, and a dma-debug
 * that always runs: every mapping is recorded with its call site, and a
 * misuse (unmapping an address that is not mapped, a wrong size or
 * direction, an invalid direction) is reported with the caller's file
 * and line and counted. A bad unmap is not passed on: the model's state
 * stays consistent and nothing is lost.
 */
#include <stdarg.h>
#include <stdio.h>

#define XS_DMA_API_DEFINITIONS 1

#include <linux/dma-map-ops.h>
#include <linux/export.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <xsmmu/kworld.h>
#include <xsmmu/model_lock.h>
#include <xsmmu/oracle.h>

#include "dma_debug.h"

static __thread const char *callsite_file;
static __thread int callsite_line;
/* The unmap in progress was already checked by its call-site macro. */
static __thread bool unmap_prechecked;

void xs_dma_callsite(const char *file, int line)
{
	callsite_file = file;
	callsite_line = line;
}

void xs_dma_take_callsite(struct xs_callsite *cs)
{
	cs->file = callsite_file ? callsite_file : "(unknown caller)";
	cs->line = callsite_line;
	callsite_file = NULL;
	callsite_line = 0;
}

static const char *const dir_names[] = {
	"DMA_BIDIRECTIONAL", "DMA_TO_DEVICE", "DMA_FROM_DEVICE", "DMA_NONE",
};

static const char *dir_name(enum dma_data_direction dir)
{
	return (unsigned int)dir < 4 ? dir_names[dir] : "invalid";
}

void xs_dma_api_error(struct device *dev, const struct xs_callsite *cs,
		      const char *fmt, ...)
{
	XS_MODEL_GUARD();
	va_list ap;

	if (xs_kw)
		xs_kw->dma_api_errors++;
	fprintf(stderr, "DMA-API: %s: ", dev_name(dev));
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " [caller %s:%d]\n", cs->file, cs->line);
}

static bool dma_map_direct(struct device *dev, const struct dma_map_ops *ops)
{
	return !ops;
}

/* Only architectures with DMA ops bypass (not x86) unmap directly here. */
static bool arch_dma_unmap_page_direct(struct device *dev, dma_addr_t addr)
{
	return false;
}

static dma_addr_t dma_direct_map_page(struct device *dev, struct page *page,
				      unsigned long offset, size_t size,
				      const struct xs_callsite *cs)
{
	phys_addr_t phys = page_to_phys(page) + offset;

	if (phys + size - 1 > *dev->dma_mask) {
		/* 5.15 would bounce through swiotlb; not modelled. */
		xs_dma_api_error(dev, cs,
				 "dma-direct: address %#llx+%zu beyond mask %#llx (swiotlb not modelled)",
				 (unsigned long long)phys, size,
				 (unsigned long long)*dev->dma_mask);
		return DMA_MAPPING_ERROR;
	}
	return phys;
}

dma_addr_t dma_map_page_attrs(struct device *dev, struct page *page,
				size_t offset, size_t size,
				enum dma_data_direction dir,
				unsigned long attrs)
{
	const struct dma_map_ops *ops = get_dma_ops(dev);
	struct xs_callsite cs;
	dma_addr_t addr;

	xs_dma_take_callsite(&cs);
	if (!valid_dma_direction(dir)) {
		xs_dma_api_error(dev, &cs, "map with invalid direction %d",
				 dir);
		return DMA_MAPPING_ERROR;
	}
	if (!page || !size) {
		xs_dma_api_error(dev, &cs, "map of %s", page ? "zero bytes" :
				 "a NULL page");
		return DMA_MAPPING_ERROR;
	}
	if (xs_kw)
		xs_kworld_run_timers(xs_kw);
	if (dma_map_direct(dev, ops))
		addr = dma_direct_map_page(dev, page, offset, size, &cs);
	else
		addr = ops->map_page(dev, page, offset, size, dir, attrs);
	if (addr != DMA_MAPPING_ERROR) {
		xs_trace_emit(&xs_kw->trace, xs_clock_now(&xs_kw->clock), XS_TR_KW_MAP,
			      0, smp_processor_id(), dev->xs_sid, addr,
			      page_to_phys(page) + offset);
		xs_dma_debug_map(dev, addr, size, dir, page_to_pfn(page), &cs);
	}
	return addr;
}
EXPORT_SYMBOL(dma_map_page_attrs);

static bool report_unmap_mismatch(struct device *dev, dma_addr_t addr,
				  size_t size, enum dma_data_direction dir,
				  const struct xs_dma_map_rec *rec,
				  const struct xs_callsite *cs)
{
	if (rec->size != size)
		xs_dma_api_error(dev, cs,
				 "device driver frees DMA memory with different size [device address=%#llx] [map size=%zu bytes] [unmap size=%zu bytes] (mapped at %s:%d)",
				 (unsigned long long)addr, rec->size, size,
				 rec->site.file, rec->site.line);
	if (rec->dir != dir)
		xs_dma_api_error(dev, cs,
				 "device driver frees DMA memory with different direction [device address=%#llx] [mapped as %s] [unmapped as %s] (mapped at %s:%d)",
				 (unsigned long long)addr, dir_name(rec->dir),
				 dir_name(dir), rec->site.file, rec->site.line);
	return true;
}

static void report_unmap_unknown(struct device *dev, dma_addr_t addr,
				 size_t size, const struct xs_callsite *cs)
{
	xs_dma_api_error(dev, cs,
			 "device driver tries to free DMA memory it has not allocated [device address=%#llx] [size=%zu bytes]",
			 (unsigned long long)addr, size);
}

bool xs_dma_unmap_precheck(struct device *dev, dma_addr_t addr, size_t size,
			   enum dma_data_direction dir)
{
	struct xs_callsite cs = {
		.file = callsite_file ? callsite_file : "(unknown caller)",
		.line = callsite_line,
	};
	struct xs_dma_map_rec rec;

	if (!xs_dma_debug_lookup(dev, addr, &rec)) {
		report_unmap_unknown(dev, addr, size, &cs);
		callsite_file = NULL;
		return false;
	}
	report_unmap_mismatch(dev, addr, size, dir, &rec, &cs);
	unmap_prechecked = true;
	return true;
}

/*
 * Checks an unmap against the record. Returns false (after reporting)
 * when the unmap must not go on; fixes *size to the mapped size.
 */
bool xs_dma_debug_check_unmap(struct device *dev, dma_addr_t addr,
			      size_t *size, enum dma_data_direction dir,
			      const struct xs_callsite *cs)
{
	struct xs_dma_map_rec rec;
	bool checked = unmap_prechecked;

	unmap_prechecked = false;
	if (!xs_dma_debug_unmap(dev, addr, &rec)) {
		xs_dma_api_error(dev, cs,
				 "device driver tries to free DMA memory it has not allocated [device address=%#llx] [size=%zu bytes]",
				 (unsigned long long)addr, *size);
		return false;
	}
	if (!checked)
		report_unmap_mismatch(dev, addr, *size, dir, &rec, cs);
	*size = rec.size;
	return true;
}

void dma_unmap_page_attrs(struct device *dev, dma_addr_t addr, size_t size,
			    enum dma_data_direction dir, unsigned long attrs)
{
	const struct dma_map_ops *ops = get_dma_ops(dev);
	struct xs_callsite cs;

	xs_dma_take_callsite(&cs);
	if (!xs_dma_debug_check_unmap(dev, addr, &size, dir, &cs))
		return;
	if (xs_kw)
		xs_kworld_run_timers(xs_kw);
	xs_trace_emit(&xs_kw->trace, xs_clock_now(&xs_kw->clock), XS_TR_KW_UNMAP, 0,
		      smp_processor_id(), dev->xs_sid, addr, size);
	if (dma_map_direct(dev, ops))
		return;		/* dma-direct: nothing to tear down */
	if (ops->unmap_page)
		ops->unmap_page(dev, addr, size, dir, attrs);
}
EXPORT_SYMBOL(dma_unmap_page_attrs);

/*
 * dma-debug's unmap hook: the record goes; the checks were made by the
 * call-site macro before the unmap reached the DMA ops.
 */
static void debug_dma_unmap_page(struct device *dev, dma_addr_t addr,
				 size_t size, int direction)
{
	struct xs_dma_map_rec rec;
	struct xs_callsite cs;

	xs_dma_take_callsite(&cs);
	unmap_prechecked = false;
	if (!xs_dma_debug_unmap(dev, addr, &rec))
		report_unmap_unknown(dev, addr, size, &cs);
}

/* The patch's DMA API entry points (src/kernel/kernel/dma/mapping.c). */
#include <kernel/dma/mapping.c>

static bool check_sync(struct device *dev, dma_addr_t addr, size_t size,
		       const struct xs_callsite *cs)
{
	if (!xs_dma_debug_find(dev, addr, size)) {
		xs_dma_api_error(dev, cs,
				 "device driver syncs DMA memory it has not allocated [device address=%#llx] [size=%zu bytes]",
				 (unsigned long long)addr, size);
		return false;
	}
	return true;
}

void dma_sync_single_for_cpu(struct device *dev, dma_addr_t addr,
			       size_t size, enum dma_data_direction dir)
{
	const struct dma_map_ops *ops = get_dma_ops(dev);
	struct xs_callsite cs;

	xs_dma_take_callsite(&cs);
	if (!check_sync(dev, addr, size, &cs))
		return;
	if (!dma_map_direct(dev, ops) && ops->sync_single_for_cpu)
		ops->sync_single_for_cpu(dev, addr, size, dir);
}

void dma_sync_single_for_device(struct device *dev, dma_addr_t addr,
				  size_t size, enum dma_data_direction dir)
{
	const struct dma_map_ops *ops = get_dma_ops(dev);
	struct xs_callsite cs;

	xs_dma_take_callsite(&cs);
	if (!check_sync(dev, addr, size, &cs))
		return;
	if (!dma_map_direct(dev, ops) && ops->sync_single_for_device)
		ops->sync_single_for_device(dev, addr, size, dir);
}

int dma_set_mask(struct device *dev, u64 mask)
{
	dev->xs_dma_mask = mask;
	dev->dma_mask = &dev->xs_dma_mask;
	return 0;
}
