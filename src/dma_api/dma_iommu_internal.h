/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What is file-local in 5.15's drivers/iommu/dma-iommu.c, shared here
 * between the model of that file (dma_iommu.c, which splices the patch's
 * pieces from src/kernel in at their places) and the tests that look
 * inside a domain. The cookie carries the patch's member.
 */
#ifndef XS_DMA_IOMMU_INTERNAL_H
#define XS_DMA_IOMMU_INTERNAL_H

#include <linux/dma-iommu.h>
#include <linux/dma-map-ops.h>
#include <linux/iova.h>

enum iommu_dma_cookie_type {
	IOMMU_DMA_IOVA_COOKIE,
	IOMMU_DMA_MSI_COOKIE,
};

struct iommu_dma_cookie {
	enum iommu_dma_cookie_type type;
	struct iova_domain iovad;
	struct list_head msi_page_list;
	struct iommu_domain *fq_domain;	/* set: lazy (flush queue) */
#include <drivers/iommu/dma-iommu.c.d/iommu_dma_cookie.members.h>
};
#include <drivers/iommu/dma-iommu.c.d/batch.structs.h>

/* Non-static here so the tests can break orderings on purpose. */
void iommu_dma_free_iova(struct iommu_dma_cookie *cookie, dma_addr_t iova,
			 size_t size, struct iommu_iotlb_gather *gather);
void iommu_dma_entry_dtor(unsigned long data);

/* A new boot: no domain has opted in to batching (the static key off). */
void xs_dma_iommu_boot(void);
/* Whether the static key of batching has been turned on since the boot. */
bool xs_dma_iommu_batch_enabled(void);
/* Ordinary unmaps by the path they took: [0] strict, [1] flush queue. */
extern u64 xs_dma_iommu_unmaps[2];

#endif
