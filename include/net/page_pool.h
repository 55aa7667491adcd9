/* SPDX-License-Identifier: GPL-2.0 */
/*
 * page_pool (shim), 5.15 names and signatures. One recycle cache per pool
 * (5.15 has a 128-entry direct cache in front of a ring; one LIFO of
 * pool_size entries keeps the reuse order that matters here: the most
 * recently recycled page is handed out first). A pool without
 * PP_FLAG_DMA_MAP (mlx5 in 5.15) leaves DMA mapping to the driver, so a
 * page recycled into it must no longer be translatable: the oracle checks
 * that at every recycle (S2).
 */
#ifndef _XS_SHIM_NET_PAGE_POOL_H
#define _XS_SHIM_NET_PAGE_POOL_H

#include <linux/dma-mapping.h>
#include <linux/kernel.h>
#include <linux/mm.h>

#define PP_FLAG_DMA_MAP		BIT(0)
#define PP_FLAG_DMA_SYNC_DEV	BIT(1)
#define PP_FLAG_PAGE_FRAG	BIT(2)
#define PP_FLAG_ALL		(PP_FLAG_DMA_MAP | PP_FLAG_DMA_SYNC_DEV | \
				 PP_FLAG_PAGE_FRAG)
#define PP_ALLOC_CACHE_SIZE	128
#define PP_SIGNATURE		0x40

struct page_pool_params {
	unsigned int flags;
	unsigned int order;
	unsigned int pool_size;
	int nid;
	struct device *dev;
	enum dma_data_direction dma_dir;
	unsigned int max_len;
	unsigned int offset;
};

struct page_pool {
	struct page_pool_params p;
	struct page **cache;	/* recycled pages, last in on top */
	unsigned int count;
	/* Simulation: pages handed out and not yet returned or released. */
	long xs_inflight;
	u64 xs_recycled;
	u64 xs_allocated;
};

struct page_pool *page_pool_create(const struct page_pool_params *params);
void page_pool_destroy(struct page_pool *pool);
struct page *page_pool_alloc_pages(struct page_pool *pool, gfp_t gfp);
void page_pool_release_page(struct page_pool *pool, struct page *page);
void page_pool_put_page(struct page_pool *pool, struct page *page,
			unsigned int dma_sync_size, bool allow_direct);

static inline struct page *page_pool_dev_alloc_pages(struct page_pool *pool)
{
	return page_pool_alloc_pages(pool, GFP_ATOMIC | __GFP_NOWARN);
}

static inline void page_pool_put_full_page(struct page_pool *pool,
					   struct page *page, bool allow_direct)
{
	page_pool_put_page(pool, page, -1, allow_direct);
}

static inline void page_pool_recycle_direct(struct page_pool *pool,
					    struct page *page)
{
	page_pool_put_full_page(pool, page, true);
}

static inline dma_addr_t page_pool_get_dma_addr(struct page *page)
{
	return page->dma_addr;
}

#endif
