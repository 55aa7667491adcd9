// SPDX-License-Identifier: GPL-2.0
/*
 * IOVA ageing: allocation/free churn through a domain's real allocator
 * (alloc_iova_fast/free_iova_fast, per-CPU caches and all) before traffic.
 *
 * Why: a fresh allocator hands IOVAs out top-down from an empty space, so
 * a run's working set sits in a few 2 MiB regions (a few PDE entries of
 * the paging-structure cache). F&S (SOSP 2024) attribute their PDE misses
 * to IOVAs scattered by the per-CPU caches of a long-running system. The
 * churn leaves the caches holding ranges freed in random order and the
 * tree split, which is what the traffic then draws from.
 *
 * The recipe, per CPU (ops split evenly, CPU c gets the remainder's
 * first ones): each operation allocates (60%, while fewer than
 * XS_IOVA_AGE_LIVE_MAX ranges are held) a size drawn from the mix below
 * under the 32-bit limit dma-iommu tries first, or frees a held range
 * picked at random; at the end the CPU frees everything it still holds,
 * in random order. No page is mapped: the page tables and the oracle see
 * nothing, only the allocator's state changes.
 */
#include <linux/dma-mapping.h>
#include <linux/iova.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <xsmmu/iova_age.h>
#include <xsmmu/rand.h>

#include "dma_iommu_internal.h"

/*
 * Mostly single pages (RX buffers, headers), some multi-page TX and
 * page_pool ranges, and a few 256 KiB ones that bypass the caches (order
 * 6, above IOVA_RANGE_CACHE_MAX_SIZE) and split the tree.
 */
const unsigned int xs_iova_age_pages[XS_IOVA_AGE_SIZES] = {
	1, 2, 4, 8, 16, 64
};
const unsigned int xs_iova_age_weight[XS_IOVA_AGE_SIZES] = {
	50, 15, 10, 10, 10, 5
};

#define AGE_ALLOC_PERCENT	60

struct held {
	unsigned long pfn;
	unsigned long pages;
};

static unsigned long pick_pages(struct xs_rand *rng)
{
	u64 r = xs_rand_below(rng, 100);
	unsigned int i;

	for (i = 0; i < XS_IOVA_AGE_SIZES - 1; i++) {
		if (r < xs_iova_age_weight[i])
			break;
		r -= xs_iova_age_weight[i];
	}
	return xs_iova_age_pages[i];
}

static void drop_held(struct iova_domain *iovad, struct held *h, u32 *n,
		      u32 i)
{
	free_iova_fast(iovad, h[i].pfn, h[i].pages);
	h[i] = h[--*n];
}

static void age_cpu(struct iova_domain *iovad, struct held *h, u64 ops,
		    struct xs_rand *rng)
{
	unsigned long limit = DMA_BIT_MASK(32) >> iova_shift(iovad);
	u32 n = 0;
	u64 i;

	for (i = 0; i < ops; i++) {
		bool alloc = !n || (n < XS_IOVA_AGE_LIVE_MAX &&
				    xs_rand_below(rng, 100) < AGE_ALLOC_PERCENT);

		if (alloc) {
			unsigned long pages = pick_pages(rng);
			unsigned long pfn = alloc_iova_fast(iovad, pages,
							    limit, true);

			if (pfn) {
				h[n].pfn = pfn;
				h[n].pages = pages;
				n++;
			}
		} else {
			drop_held(iovad, h, &n, (u32)xs_rand_below(rng, n));
		}
	}
	/* Random order: the caches end up holding scattered ranges. */
	while (n)
		drop_held(iovad, h, &n, (u32)xs_rand_below(rng, n));
}

int xs_iova_age(struct device *dev, u64 ops, u64 seed, unsigned int nr_cpus)
{
	struct iommu_domain *domain = iommu_get_dma_domain(dev);
	struct iommu_dma_cookie *cookie;
	struct xs_rand rng;
	struct held *h;
	unsigned int c;

	if (!domain || !(domain->type & __IOMMU_DOMAIN_DMA_API))
		return -ENODEV;
	cookie = domain->iova_cookie;
	if (!cookie || cookie->type != IOMMU_DMA_IOVA_COOKIE ||
	    !cookie->iovad.granule)
		return -ENODEV;
	/* A world with fewer CPUs ages the ones it has. */
	if (!nr_cpus)
		nr_cpus = 1;
	if (nr_cpus > num_possible_cpus())
		nr_cpus = num_possible_cpus();
	h = kmalloc(XS_IOVA_AGE_LIVE_MAX * sizeof(*h), GFP_KERNEL);
	if (!h)
		return -ENOMEM;
	xs_rand_seed(&rng, seed ^ 0x10fa9e5eedULL);
	for (c = 0; c < nr_cpus; c++) {
		xs_cpu_set_current(c);
		age_cpu(&cookie->iovad, h, ops / nr_cpus + (c < ops % nr_cpus),
			&rng);
	}
	xs_cpu_set_current(0);
	kfree(h);
	return 0;
}
