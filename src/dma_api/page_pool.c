// SPDX-License-Identifier: GPL-2.0
/* page_pool of the kernel world (see include/net/page_pool.h). */
#include <linux/slab.h>
#include <linux/smp.h>
#include <net/page_pool.h>
#include <xsmmu/kworld.h>
#include <xsmmu/oracle.h>

struct page_pool *page_pool_create(const struct page_pool_params *params)
{
	struct page_pool *pool;
	unsigned int size = params->pool_size ? params->pool_size : 1024;

	if (params->flags & ~PP_FLAG_ALL || params->order)
		return ERR_PTR(-EINVAL);
	if ((params->flags & PP_FLAG_DMA_MAP) &&
	    params->dma_dir != DMA_FROM_DEVICE &&
	    params->dma_dir != DMA_BIDIRECTIONAL)
		return ERR_PTR(-EINVAL);
	if (size > 32768)
		return ERR_PTR(-E2BIG);
	pool = kzalloc(sizeof(*pool), GFP_KERNEL);
	if (!pool)
		return ERR_PTR(-ENOMEM);
	pool->p = *params;
	pool->p.pool_size = size;
	pool->cache = kcalloc(size, sizeof(*pool->cache), GFP_KERNEL);
	if (!pool->cache) {
		kfree(pool);
		return ERR_PTR(-ENOMEM);
	}
	return pool;
}

struct page *page_pool_alloc_pages(struct page_pool *pool, gfp_t gfp)
{
	struct page *page;
	dma_addr_t dma;

	if (pool->count) {
		page = pool->cache[--pool->count];
		pool->xs_inflight++;
		return page;
	}
	page = alloc_pages(gfp, pool->p.order);
	if (!page)
		return NULL;
	xs_page_set_owner(page, "page_pool");
	if (pool->p.flags & PP_FLAG_DMA_MAP) {
		dma = dma_map_page_attrs(pool->p.dev, page, 0,
					 PAGE_SIZE << pool->p.order,
					 pool->p.dma_dir,
					 DMA_ATTR_SKIP_CPU_SYNC);
		if (dma_mapping_error(pool->p.dev, dma)) {
			put_page(page);
			return NULL;
		}
		page->dma_addr = dma;
	}
	page->pp_magic = PP_SIGNATURE;
	page->pp = pool;
	pool->xs_inflight++;
	pool->xs_allocated++;
	return page;
}

void page_pool_release_page(struct page_pool *pool, struct page *page)
{
	if ((pool->p.flags & PP_FLAG_DMA_MAP) && page->dma_addr) {
		dma_unmap_page_attrs(pool->p.dev, page->dma_addr,
				     PAGE_SIZE << pool->p.order,
				     pool->p.dma_dir,
				     DMA_ATTR_SKIP_CPU_SYNC);
		page->dma_addr = 0;
	}
	page->pp_magic = 0;
	page->pp = NULL;
	pool->xs_inflight--;
}

void page_pool_put_page(struct page_pool *pool, struct page *page,
			unsigned int dma_sync_size, bool allow_direct)
{
	/*
	 * The direct cache is lockless: only the pool's NAPI may fill it.
	 * 5.15.0 checks in_serving_softirq() and takes the ring otherwise;
	 * later 5.15.y check in_softirq(), true under spin_lock_bh in a
	 * work item, and would use the cache. The model reports the caller.
	 */
	WARN(allow_direct && !in_serving_softirq(),
	     "page_pool: direct recycle outside NAPI (process context)");
	if (page_ref_count(page) == 1 && pool->count < pool->p.pool_size) {
		/*
		 * A driver-mapped page must be unreachable when recycled; its
		 * next owner gets a new generation, so translations made
		 * before the recycle are told apart from the new owner's.
		 */
		if (!(pool->p.flags & PP_FLAG_DMA_MAP)) {
			if (xs_kw->oracle)
				xs_oracle_page_reuse(xs_kw->oracle, page,
						     "recycled into page_pool");
			xs_page_new_owner(page);
		}
		pool->cache[pool->count++] = page;
		pool->xs_inflight--;
		pool->xs_recycled++;
		return;
	}
	page_pool_release_page(pool, page);
	put_page(page);
}

void page_pool_destroy(struct page_pool *pool)
{
	if (IS_ERR_OR_NULL(pool))
		return;
	while (pool->count) {
		struct page *page = pool->cache[--pool->count];

		pool->xs_inflight++;
		page_pool_release_page(pool, page);
		put_page(page);
	}
	if (pool->xs_inflight)
		pr_warn("page_pool_destroy: %ld pages still in flight\n",
			pool->xs_inflight);
	kfree(pool->cache);
	kfree(pool);
}
