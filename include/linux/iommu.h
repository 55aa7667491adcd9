/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The IOMMU core interface (shim), 5.15 names and signatures: domains,
 * the driver ops the DMA layer calls, and the iotlb gather that carries
 * an unmap's range and freed page-table pages to the sync.
 */
#ifndef _XS_SHIM_LINUX_IOMMU_H
#define _XS_SHIM_LINUX_IOMMU_H

#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/device.h>
#include <linux/mm_types.h>

#define IOMMU_READ	(1 << 0)
#define IOMMU_WRITE	(1 << 1)
#define IOMMU_CACHE	(1 << 2)
#define IOMMU_NOEXEC	(1 << 3)
#define IOMMU_MMIO	(1 << 4)
#define IOMMU_PRIV	(1 << 5)

#define __IOMMU_DOMAIN_PAGING	(1U << 0)
#define __IOMMU_DOMAIN_DMA_API	(1U << 1)
#define __IOMMU_DOMAIN_PT	(1U << 2)
#define __IOMMU_DOMAIN_DMA_FQ	(1U << 3)

#define IOMMU_DOMAIN_BLOCKED	(0U)
#define IOMMU_DOMAIN_IDENTITY	(__IOMMU_DOMAIN_PT)
#define IOMMU_DOMAIN_UNMANAGED	(__IOMMU_DOMAIN_PAGING)
#define IOMMU_DOMAIN_DMA	(__IOMMU_DOMAIN_PAGING | __IOMMU_DOMAIN_DMA_API)
#define IOMMU_DOMAIN_DMA_FQ	(__IOMMU_DOMAIN_PAGING | \
				 __IOMMU_DOMAIN_DMA_API | \
				 __IOMMU_DOMAIN_DMA_FQ)

struct iommu_dma_cookie;
struct iommu_ops;

struct iommu_domain_geometry {
	dma_addr_t aperture_start;
	dma_addr_t aperture_end;
	bool force_aperture;
};

typedef int (*iommu_fault_handler_t)(struct iommu_domain *, struct device *,
				     unsigned long, int, void *);

struct iommu_domain {
	unsigned int type;
	const struct iommu_ops *ops;
	unsigned long pgsize_bitmap;
	iommu_fault_handler_t handler;
	void *handler_token;
	struct iommu_domain_geometry geometry;
	struct iommu_dma_cookie *iova_cookie;
};

/* A domain the DMA API translates through (DMA or DMA_FQ). */
static inline bool iommu_is_dma_domain(struct iommu_domain *domain)
{
	return (domain->type & __IOMMU_DOMAIN_DMA_API) != 0;
}

/*
 * The range an unmap covered and the page-table pages it freed, carried
 * to iotlb_sync (5.15: start, end, pgsize, freelist, queued).
 */
struct iommu_iotlb_gather {
	unsigned long start;
	unsigned long end;
	size_t pgsize;
	struct page *freelist;
	bool queued;
};

struct iommu_ops {
	bool (*capable)(int cap);
	struct iommu_domain *(*domain_alloc)(unsigned int iommu_domain_type);
	void (*domain_free)(struct iommu_domain *domain);
	int (*attach_dev)(struct iommu_domain *domain, struct device *dev);
	void (*detach_dev)(struct iommu_domain *domain, struct device *dev);
	int (*map)(struct iommu_domain *domain, unsigned long iova,
		   phys_addr_t paddr, size_t size, int prot, gfp_t gfp);
	size_t (*unmap)(struct iommu_domain *domain, unsigned long iova,
			size_t size, struct iommu_iotlb_gather *iotlb_gather);
	void (*flush_iotlb_all)(struct iommu_domain *domain);
	void (*iotlb_sync_map)(struct iommu_domain *domain, unsigned long iova,
			       size_t size);
	void (*iotlb_sync)(struct iommu_domain *domain,
			   struct iommu_iotlb_gather *iotlb_gather);
	phys_addr_t (*iova_to_phys)(struct iommu_domain *domain,
				    dma_addr_t iova);
	/* The patch's member (src/kernel), spliced in as the exporter does. */
#include <linux/iommu.h.d/iommu_ops.members.h>
	unsigned long pgsize_bitmap;
};

/*
 * The gather helpers. An empty gather is start = ULONG_MAX, end = 0,
 * nothing freed, not queued; it grows to cover each range the unmap
 * takes out, and a sync hands it to the driver and empties it again.
 */
static inline void iommu_iotlb_gather_init(struct iommu_iotlb_gather *gather)
{
	memset(gather, 0, sizeof(*gather));
	gather->start = ULONG_MAX;
}

/*
 * Whether [iova, iova + size) leaves a gap to the gathered range: it
 * neither overlaps it nor touches either end. Nothing is disjoint from
 * an empty gather.
 */
static inline bool
iommu_iotlb_gather_is_disjoint(struct iommu_iotlb_gather *gather,
			       unsigned long iova, size_t size)
{
	unsigned long last = iova + size - 1;

	if (!gather->end)
		return false;
	return iova > gather->end + 1 || last + 1 < gather->start;
}

/* Widens the gathered range to cover [iova, iova + size). */
static inline void
iommu_iotlb_gather_add_range(struct iommu_iotlb_gather *gather,
			     unsigned long iova, size_t size)
{
	gather->start = min(gather->start, iova);
	gather->end = max(gather->end, iova + size - 1);
}

/* The driver's sync of what was gathered, then an empty gather. */
static inline void iommu_iotlb_sync(struct iommu_domain *domain,
				    struct iommu_iotlb_gather *iotlb_gather)
{
	const struct iommu_ops *ops = domain->ops;

	if (ops->iotlb_sync)
		ops->iotlb_sync(domain, iotlb_gather);
	iommu_iotlb_gather_init(iotlb_gather);
}

/*
 * Adds [iova, iova + size) to the gather. A range that is disjoint from
 * the gathered one, or a different page size, syncs what was gathered
 * first (5.15 behaviour).
 */
static inline void iommu_iotlb_gather_add_page(struct iommu_domain *domain,
					       struct iommu_iotlb_gather *gather,
					       unsigned long iova, size_t size)
{
	bool other_size = gather->pgsize != 0 && gather->pgsize != size;

	if (other_size || iommu_iotlb_gather_is_disjoint(gather, iova, size))
		iommu_iotlb_sync(domain, gather);
	iommu_iotlb_gather_add_range(gather, iova, size);
	gather->pgsize = size;
}

static inline bool iommu_iotlb_gather_queued(struct iommu_iotlb_gather *gather)
{
	return gather && gather->queued;
}

static inline void iommu_flush_iotlb_all(struct iommu_domain *domain)
{
	const struct iommu_ops *ops = domain->ops;

	if (ops->flush_iotlb_all)
		ops->flush_iotlb_all(domain);
}

int iommu_map(struct iommu_domain *domain, unsigned long iova,
	      phys_addr_t paddr, size_t size, int prot);
int iommu_map_atomic(struct iommu_domain *domain, unsigned long iova,
		     phys_addr_t paddr, size_t size, int prot);
size_t iommu_unmap(struct iommu_domain *domain, unsigned long iova,
		   size_t size);
size_t iommu_unmap_fast(struct iommu_domain *domain, unsigned long iova,
			size_t size, struct iommu_iotlb_gather *iotlb_gather);
phys_addr_t iommu_iova_to_phys(struct iommu_domain *domain, dma_addr_t iova);
struct iommu_domain *iommu_get_domain_for_dev(struct device *dev);
struct iommu_domain *iommu_get_dma_domain(struct device *dev);

/* Makes new DMA domains strict (iommu.strict=1 does it at boot). */
void iommu_set_dma_strict(void);

#endif
