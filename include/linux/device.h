/* SPDX-License-Identifier: GPL-2.0 */
/*
 * struct device (shim): the members the DMA and IOMMU code reads, by their
 * 5.15 names, then the simulation's own: the PCI source id and the
 * remapping unit the device sits behind (NULL: no IOMMU, dma-direct).
 */
#ifndef _XS_SHIM_LINUX_DEVICE_H
#define _XS_SHIM_LINUX_DEVICE_H

#include <linux/types.h>
#include <linux/printk.h>

struct dma_map_ops;
struct iommu_group;
struct dev_iommu;
struct iommu_domain;
struct intel_iommu;

struct device {
	const char *init_name;
	struct device *parent;
	struct iommu_group *iommu_group;
	struct dev_iommu *iommu;
	const struct dma_map_ops *dma_ops;
	u64 *dma_mask;
	u64 coherent_dma_mask;
	u64 bus_dma_limit;
	bool dma_coherent;
	/* Simulation. */
	u64 xs_dma_mask;
	u16 xs_sid;			/* bus << 8 | devfn */
	struct intel_iommu *xs_iommu;	/* NULL: not behind an IOMMU */
	struct iommu_domain *xs_domain;	/* the default (DMA) domain */
	void *xs_dma_debug;		/* per-device mapping records */
	bool xs_untrusted;		/* external-facing: bounce buffers */
};

static inline const char *dev_name(const struct device *dev)
{
	return dev->init_name ? dev->init_name : "(unnamed)";
}

#define dev_err(d, fmt, ...) \
	xs_printk(3, "%s: " fmt, dev_name(d), ##__VA_ARGS__)
#define dev_warn(d, fmt, ...) \
	xs_printk(4, "%s: " fmt, dev_name(d), ##__VA_ARGS__)
#define dev_info(d, fmt, ...) \
	xs_printk(6, "%s: " fmt, dev_name(d), ##__VA_ARGS__)
#define dev_dbg(d, fmt, ...) \
	xs_printk(7, "%s: " fmt, dev_name(d), ##__VA_ARGS__)

#endif
