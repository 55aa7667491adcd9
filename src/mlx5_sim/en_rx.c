// SPDX-License-Identifier: GPL-2.0
/*
 * The mlx5e RX paths of 5.15 (en_rx.c), written for the model, on a
 * cyclic receive queue with one page per WQE: the RX page cache (a FIFO
 * of pages that keep their DMA mapping), page allocation from the cache
 * or the page_pool with the driver's own mapping, page release, the
 * completion poll. The patch's pieces (src/kernel) are spliced in where
 * the exporter puts them.
 */
#include <linux/moduleparam.h>

#include <xsmmu/mutant.h>

#include "en.h"

/* The RX page cache is a ring of MLX5E_CACHE_SIZE (a power of two). */
static u32 rx_cache_next(u32 slot)
{
	return (slot + 1) & (MLX5E_CACHE_SIZE - 1);
}

/*
 * Parks a released page, still mapped, at the tail of the cache. A full
 * ring, or a page from the emergency reserves (pfmemalloc, which must
 * go back), is refused and counted.
 */
static bool mlx5e_rx_cache_put(struct mlx5e_rq *rq,
			       struct mlx5e_dma_info *dma_info)
{
	struct mlx5e_page_cache *cache = &rq->page_cache;
	bool full = rx_cache_next(cache->tail) == cache->head;

	if (full || unlikely(page_is_pfmemalloc(dma_info->page))) {
		if (full)
			rq->stats->cache_full++;
		else
			rq->stats->cache_waive++;
		return false;
	}
	cache->page_cache[cache->tail] = *dma_info;
	cache->tail = rx_cache_next(cache->tail);
	return true;
}

/*
 * Takes the oldest cached page when nobody else holds it any more. Only
 * the head is looked at: while the stack keeps it, the cache gives
 * nothing. The page is still mapped; it only goes back to the device.
 */
static bool mlx5e_rx_cache_get(struct mlx5e_rq *rq,
			       struct mlx5e_dma_info *dma_info)
{
	struct mlx5e_page_cache *cache = &rq->page_cache;
	struct mlx5e_dma_info *oldest = &cache->page_cache[cache->head];
	bool empty = cache->head == cache->tail;

	if (unlikely(empty) || page_ref_count(oldest->page) != 1) {
		if (empty)
			rq->stats->cache_empty++;
		else
			rq->stats->cache_busy++;
		return false;
	}
	*dma_info = *oldest;
	cache->head = rx_cache_next(cache->head);
	rq->stats->cache_reuse++;
	dma_sync_single_for_device(rq->pdev, dma_info->addr, PAGE_SIZE,
				   rq->buff.map_dir);
	return true;
}

/* A page for a WQE: from the cache, else a fresh pool page we map. */
static int mlx5e_page_alloc_pool(struct mlx5e_rq *rq,
				 struct mlx5e_dma_info *dma_info)
{
	struct page *page;

	if (mlx5e_rx_cache_get(rq, dma_info))
		return 0;
	page = page_pool_dev_alloc_pages(rq->page_pool);
	dma_info->page = page;
	if (unlikely(!page))
		return -ENOMEM;
	dma_info->addr = dma_map_page(rq->pdev, page, 0, PAGE_SIZE,
				      rq->buff.map_dir);
	if (likely(!dma_mapping_error(rq->pdev, dma_info->addr)))
		return 0;
	/* Not mapped: the page goes straight back to the pool. */
	page_pool_recycle_direct(rq->page_pool, page);
	dma_info->page = NULL;
	return -ENOMEM;
}

static void mlx5e_page_dma_unmap(struct mlx5e_rq *rq,
				 struct mlx5e_dma_info *dma_info)
{
	dma_unmap_page(rq->pdev, dma_info->addr, PAGE_SIZE, rq->buff.map_dir);
}

/* The patch's RX release (src/kernel/.../en_rx.c). */
#include <drivers/net/ethernet/mellanox/mlx5/core/en_rx.c>

size_t mlx5e_sim_rx_pending_bytes(size_t *count, size_t *pages)
{
	struct mlx5e_rx_pending *p = NULL;

	*count = sizeof(p->count);
	*pages = sizeof(p->pages);
	return sizeof(*p);
}

bool mlx5e_sim_rx_batching(bool on)
{
	bool old = MLX5E_GET_PFLAG(&mlx5e_sim_params,
				   MLX5E_PFLAG_RX_BATCH_UNMAP);

	MLX5E_SET_PFLAG(&mlx5e_sim_params, MLX5E_PFLAG_RX_BATCH_UNMAP, on);
	return old;
}

void mlx5e_page_release_dynamic(struct mlx5e_rq *rq,
				struct mlx5e_dma_info *dma_info, bool recycle)
{
#if XSMMU_MUTANT == XSMMU_MUTANT_RX_FREE_BEFORE_SYNC
	/*
	 * Mutant: a batching RQ unmaps without waiting and lets the page go
	 * at once; nothing is parked, so no flush syncs for it.
	 */
	if (rq->batch_pending) {
		if (recycle && mlx5e_rx_cache_put(rq, dma_info))
			return;
		dma_unmap_page_no_sync(rq->pdev, dma_info->addr, PAGE_SIZE,
				       rq->buff.map_dir);
		if (recycle) {
			page_pool_recycle_direct(rq->page_pool, dma_info->page);
		} else {
			page_pool_release_page(rq->page_pool, dma_info->page);
			put_page(dma_info->page);
		}
		return;
	}
#else
#include <drivers/net/ethernet/mellanox/mlx5/core/en_rx.c.d/mlx5e_page_release_dynamic.call.h>
#endif
	/* A page to recycle tries the cache first: it stays mapped there. */
	if (recycle && mlx5e_rx_cache_put(rq, dma_info))
		return;
	mlx5e_page_dma_unmap(rq, dma_info);
	if (recycle) {
		page_pool_recycle_direct(rq->page_pool, dma_info->page);
		return;
	}
	/* Leaving the pool for good: the pool lets go, then our reference. */
	page_pool_release_page(rq->page_pool, dma_info->page);
	put_page(dma_info->page);
}

bool mlx5e_post_rx_wqes(struct mlx5e_rq *rq)
{
	bool posted = false;

	if (unlikely(!test_bit(MLX5E_RQ_STATE_ENABLED, &rq->state)))
		return false;
	while ((u16)(rq->tail - rq->ci) < rq->wq_sz) {
		struct mlx5e_dma_info *di =
			&rq->wqe.di[rq->tail & (rq->wq_sz - 1)];

		if (mlx5e_page_alloc_pool(rq, di)) {
			rq->stats->buff_alloc_err++;
			break;
		}
		rq->tail++;
		posted = true;
	}
	return posted;
}

/* The skb references the page; the driver releases its own use of it. */
static void mlx5e_handle_rx_cqe(struct mlx5e_rq *rq, struct mlx5_cqe64 *cqe)
{
	struct mlx5e_dma_info *di = &rq->wqe.di[cqe->wqe_counter &
						(rq->wq_sz - 1)];
	struct sk_buff *skb;

	/* A cyclic RQ completes its WQEs in order. */
	WARN_ON(cqe->wqe_counter != rq->ci);

	dma_sync_single_for_cpu(rq->pdev, di->addr, cqe->byte_cnt,
				rq->buff.map_dir);
	if (mlx5e_xdp_handle(rq, di, cqe->byte_cnt, cqe->xs_pkt_id)) {
		/* XDP_TX: the XDP completion releases the page. */
		rq->stats->packets++;
		rq->stats->bytes += cqe->byte_cnt;
		rq->ci++;
		return;
	}
	skb = alloc_skb(64, GFP_ATOMIC);
	if (likely(skb)) {
		get_page(di->page);
		skb_add_rx_frag(skb, 0, di->page, 0, cqe->byte_cnt, PAGE_SIZE);
		skb->xs_pkt_id = cqe->xs_pkt_id;
		rq->stats->packets++;
		rq->stats->bytes += cqe->byte_cnt;
		mlx5e_sim_stack_rx(rq, skb);
	}
	mlx5e_page_release_dynamic(rq, di, true);
	rq->ci++;
}

int mlx5e_poll_rx_cq(struct mlx5e_cq *cq, int budget)
{
	struct mlx5e_rq *rq = container_of(cq, struct mlx5e_rq, cq);
	struct mlx5_cqe64 *cqe;
	int work_done = 0;

#include <drivers/net/ethernet/mellanox/mlx5/core/en_rx.c.d/mlx5e_poll_rx_cq.disabled.h>
	cqe = mlx5e_cq_next(cq);
	if (!cqe) {
		if (unlikely(work_done))
			goto out;
#include <drivers/net/ethernet/mellanox/mlx5/core/en_rx.c.d/mlx5e_poll_rx_cq.flush.h>
		return 0;
	}
	do {
		cq->cc++;
		mlx5e_handle_rx_cqe(rq, cqe);
	} while ((++work_done < budget) && (cqe = mlx5e_cq_next(cq)));
out:
#include <drivers/net/ethernet/mellanox/mlx5/core/en_rx.c.d/mlx5e_poll_rx_cq.flush.h>
	return work_done;
}
