/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What is file-local ("static") in 5.15's drivers/iommu/dma-iommu.c and
 * that the patch's additions to that file use. In the kernel they share
 * the file; here the model's dma-iommu (dma_iommu.c) and the patch's
 * code (src/kernel/drivers/iommu/dma-iommu.c) are two translation units,
 * so the build force-includes this header into the latter.
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
};

void iommu_dma_free_iova(struct iommu_dma_cookie *cookie, dma_addr_t iova,
			 size_t size, struct iommu_iotlb_gather *gather);
dma_addr_t iommu_dma_alloc_iova(struct iommu_domain *domain, size_t size,
				u64 dma_limit, struct device *dev);
void __iommu_dma_unmap(struct device *dev, dma_addr_t dma_addr, size_t size);
void iommu_dma_flush_iotlb_all(struct iova_domain *iovad);
void iommu_dma_entry_dtor(unsigned long data);
int dma_info_to_prot(enum dma_data_direction dir, bool coherent,
		     unsigned long attrs);

extern const struct dma_map_ops iommu_dma_ops;

#endif
