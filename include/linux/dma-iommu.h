/* SPDX-License-Identifier: GPL-2.0 */
/* The DMA-IOMMU glue's public interface (shim), 5.15 names. */
#ifndef _XS_SHIM_LINUX_DMA_IOMMU_H
#define _XS_SHIM_LINUX_DMA_IOMMU_H

#include <linux/iommu.h>

int iommu_get_dma_cookie(struct iommu_domain *domain);
void iommu_put_dma_cookie(struct iommu_domain *domain);
int iommu_dma_init_fq(struct iommu_domain *domain);
void iommu_setup_dma_ops(struct device *dev, u64 dma_base, u64 dma_limit);

#endif
