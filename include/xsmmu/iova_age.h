/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Ageing a DMA domain's IOVA allocator before a measured run, so that the
 * IOVAs traffic gets are scattered as on a long-running system rather than
 * handed out top-down from an empty space. The recipe (sizes, counts, the
 * order of frees) is in src/dma_api/iova_age.c and docs/calibration.md.
 */
#ifndef XSMMU_IOVA_AGE_H
#define XSMMU_IOVA_AGE_H

#include <xsmmu/types.h>

struct device;

/* The recipe's size mix: allocation sizes in pages and their weights. */
#define XS_IOVA_AGE_SIZES	6
extern const unsigned int xs_iova_age_pages[XS_IOVA_AGE_SIZES];
extern const unsigned int xs_iova_age_weight[XS_IOVA_AGE_SIZES];
/* Ranges one CPU holds at most during the churn. */
#define XS_IOVA_AGE_LIVE_MAX	1024

/*
 * Runs ops allocation/free operations through the iova_domain of dev's DMA
 * domain, spread over CPUs 0..nr_cpus-1 (each CPU its share, on its own
 * per-CPU caches; no more CPUs than the world has), deterministic for
 * seed; every range is freed again, so nothing stays outstanding.
 * Leaves CPU 0 current. Returns 0, or -ENODEV
 * when the domain has no IOVA allocator (identity, unmanaged), -ENOMEM.
 */
int xs_iova_age(struct device *dev, u64 ops, u64 seed, unsigned int nr_cpus);

#endif
