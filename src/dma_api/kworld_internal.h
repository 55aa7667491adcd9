/* SPDX-License-Identifier: GPL-2.0 */
/* Entry points between the parts of the kernel world (not public). */
#ifndef XS_KWORLD_INTERNAL_H
#define XS_KWORLD_INTERNAL_H

#include <linux/device.h>
#include <xsmmu/vtd.h>

int xs_intel_iommu_add(struct vtd_unit *unit, bool use_qi);
void xs_intel_iommu_remove_all(void);
/* Drops the units without freeing or touching them (abandoned world). */
void xs_intel_iommu_forget_all(void);
void xs_intel_enable_ats(struct device *dev, u16 qdep);
bool xs_iommu_dma_strict(void);
void xs_iommu_reset_boot_state(void);
/*
 * The swiotlb pool of untrusted devices goes with the world: L1 for the
 * bounce pages still in use (returns the leaks reported). _forget drops
 * it without touching it (abandoned world).
 */
u64 xs_swiotlb_teardown(void);
void xs_swiotlb_forget(void);

#endif
