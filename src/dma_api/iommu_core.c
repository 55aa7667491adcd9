// SPDX-License-Identifier: GPL-2.0
/*
 * The IOMMU core calls the DMA layer makes (5.15 drivers/iommu/iommu.c),
 * for the model: map with iotlb_sync_map, unmap with and without sync,
 * the device's domain, and iommu.strict.
 */
#include <linux/init.h>
#include <linux/iommu.h>
#include <linux/kernel.h>
#include <linux/gfp.h>
#include <xsmmu/kworld.h>

static bool iommu_dma_strict_flag;

void iommu_set_dma_strict(void)
{
	iommu_dma_strict_flag = true;
}

bool xs_iommu_dma_strict(void)
{
	return iommu_dma_strict_flag;
}

void xs_iommu_reset_boot_state(void)
{
	iommu_dma_strict_flag = false;
}

static int iommu_dma_setup(char *str)
{
	if (!str)
		return -EINVAL;
	if (!strcmp(str, "1"))
		iommu_dma_strict_flag = true;
	else if (!strcmp(str, "0"))
		iommu_dma_strict_flag = false;
	else
		return -EINVAL;
	return 0;
}
early_param("iommu.strict", iommu_dma_setup);

static bool aligned(struct iommu_domain *domain, unsigned long iova,
		    phys_addr_t paddr, size_t size)
{
	unsigned long min_pagesz = 1UL << __ffs(domain->pgsize_bitmap);

	return !((iova | paddr | size) & (min_pagesz - 1));
}

static int _iommu_map(struct iommu_domain *domain, unsigned long iova,
		      phys_addr_t paddr, size_t size, int prot, gfp_t gfp)
{
	const struct iommu_ops *ops = domain->ops;
	int ret;

	if (!ops->map || !(domain->type & __IOMMU_DOMAIN_PAGING))
		return -ENODEV;
	if (!size || !aligned(domain, iova, paddr, size)) {
		pr_err("unaligned: iova 0x%lx pa 0x%llx size 0x%zx\n", iova,
		       (unsigned long long)paddr, size);
		return -EINVAL;
	}
	ret = ops->map(domain, iova, paddr, size, prot, gfp);
	if (!ret && ops->iotlb_sync_map)
		ops->iotlb_sync_map(domain, iova, size);
	return ret;
}

int iommu_map(struct iommu_domain *domain, unsigned long iova,
	      phys_addr_t paddr, size_t size, int prot)
{
	return _iommu_map(domain, iova, paddr, size, prot, GFP_KERNEL);
}

int iommu_map_atomic(struct iommu_domain *domain, unsigned long iova,
		     phys_addr_t paddr, size_t size, int prot)
{
	return _iommu_map(domain, iova, paddr, size, prot, GFP_ATOMIC);
}

static size_t __iommu_unmap(struct iommu_domain *domain, unsigned long iova,
			    size_t size, struct iommu_iotlb_gather *gather)
{
	const struct iommu_ops *ops = domain->ops;

	if (!ops->unmap || !(domain->type & __IOMMU_DOMAIN_PAGING))
		return 0;
	if (!aligned(domain, iova, 0, size)) {
		pr_err("unaligned: iova 0x%lx size 0x%zx\n", iova, size);
		return 0;
	}
	return ops->unmap(domain, iova, size, gather);
}

size_t iommu_unmap_fast(struct iommu_domain *domain, unsigned long iova,
			size_t size, struct iommu_iotlb_gather *iotlb_gather)
{
	return __iommu_unmap(domain, iova, size, iotlb_gather);
}

/* The synchronous unmap: its own gather, synced before it returns. */
size_t iommu_unmap(struct iommu_domain *domain, unsigned long iova,
		   size_t size)
{
	struct iommu_iotlb_gather own;
	size_t done;

	iommu_iotlb_gather_init(&own);
	done = iommu_unmap_fast(domain, iova, size, &own);
	iommu_iotlb_sync(domain, &own);
	return done;
}

phys_addr_t iommu_iova_to_phys(struct iommu_domain *domain, dma_addr_t iova)
{
	if (domain->type == IOMMU_DOMAIN_IDENTITY)
		return iova;
	if (domain->type == IOMMU_DOMAIN_BLOCKED || !domain->ops->iova_to_phys)
		return 0;
	return domain->ops->iova_to_phys(domain, iova);
}

struct iommu_domain *iommu_get_domain_for_dev(struct device *dev)
{
	return dev->xs_domain;
}

struct iommu_domain *iommu_get_dma_domain(struct device *dev)
{
	return dev->xs_domain;
}
