/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fixture for the kernel-world tests: a world with one VT-d unit (unless
 * a test asks for more), an oracle that fails the test on any violation
 * (tests of wrong orderings switch that off and count instead), and a
 * BUG handler that fails the test rather than aborting.
 */
#ifndef DMA_FIXTURE_H
#define DMA_FIXTURE_H

#include "xs_test.h"

#include <linux/dma-mapping.h>
#include <linux/intel-iommu.h>
#include <linux/iommu.h>
#include <linux/mm.h>
#include <xsmmu/kworld.h>
#include <xsmmu/oracle.h>
#include <xsmmu/vtd.h>

struct dma_fx {
	struct xs_kworld *w;
	struct xs_oracle *o;
	bool teardown_done;
};

/* Creates a world from cfg (NULL: defaults) and installs the handlers. */
struct dma_fx *dma_fx_new(const struct xs_kworld_config *cfg);
/* Destroys the world and asserts nothing leaked (L1). */
void dma_fx_free_checked(struct dma_fx *fx);
/* Destroys the world; returns the leaks it reported. */
u64 dma_fx_free(struct dma_fx *fx);

int dma_fx_setup(void **state);
int dma_fx_teardown(void **state);

/* Counts violations instead of failing on them; silences the reports. */
void dma_fx_count_only(struct dma_fx *fx);

struct page *dma_fx_page(const char *owner);
/* The device writes len bytes of pattern seed at addr; asserts success. */
void dma_fx_dev_write(struct device *dev, dma_addr_t addr, size_t len,
		      u8 seed);
void dma_fx_fill(void *buf, size_t len, u8 seed);

struct iommu_dma_cookie;
/* The DMA cookie of the device's domain (needs dma_iommu_internal.h). */
struct iommu_dma_cookie *cookie_of_dev(struct device *dev);

#endif
