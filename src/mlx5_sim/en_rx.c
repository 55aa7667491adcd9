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
#include "sim.h"

static bool mlx5e_rx_cache_put(struct mlx5e_rq *rq,
			       struct mlx5e_dma_info *dma_info)
{
	struct mlx5e_page_cache *cache = &rq->page_cache;
	u32 tail_next = (cache->tail + 1) & (MLX5E_CACHE_SIZE - 1);

	if (tail_next == cache->head) {
		rq->stats->cache_full++;
		return false;
	}
	if (unlikely(page_is_pfmemalloc(dma_info->page))) {
		rq->stats->cache_waive++;
		return false;
	}
	cache->page_cache[cache->tail] = *dma_info;
	cache->tail = tail_next;
	return true;
}

static bool mlx5e_rx_cache_get(struct mlx5e_rq *rq,
			       struct mlx5e_dma_info *dma_info)
{
	struct mlx5e_page_cache *cache = &rq->page_cache;

	if (unlikely(cache->head == cache->tail)) {
		rq->stats->cache_empty++;
		return false;
	}
	/* Only the head is looked at: a busy head blocks the cache. */
	if (page_ref_count(cache->page_cache[cache->head].page) != 1) {
		rq->stats->cache_busy++;
		return false;
	}
	*dma_info = cache->page_cache[cache->head];
	cache->head = (cache->head + 1) & (MLX5E_CACHE_SIZE - 1);
	rq->stats->cache_reuse++;
	dma_sync_single_for_device(rq->pdev, dma_info->addr, PAGE_SIZE,
				   rq->buff.map_dir);
	return true;
}

static int mlx5e_page_alloc_pool(struct mlx5e_rq *rq,
				 struct mlx5e_dma_info *dma_info)
{
	if (mlx5e_rx_cache_get(rq, dma_info))
		return 0;
	dma_info->page = page_pool_dev_alloc_pages(rq->page_pool);
	if (unlikely(!dma_info->page))
		return -ENOMEM;
	dma_info->addr = dma_map_page(rq->pdev, dma_info->page, 0, PAGE_SIZE,
				      rq->buff.map_dir);
	if (unlikely(dma_mapping_error(rq->pdev, dma_info->addr))) {
		page_pool_recycle_direct(rq->page_pool, dma_info->page);
		dma_info->page = NULL;
		return -ENOMEM;
	}
	return 0;
}

static void mlx5e_page_dma_unmap(struct mlx5e_rq *rq,
				 struct mlx5e_dma_info *dma_info)
{
	dma_unmap_page(rq->pdev, dma_info->addr, PAGE_SIZE, rq->buff.map_dir);
}

/* The patch's RX release (src/kernel/.../en_rx.c). */
#include <drivers/net/ethernet/mellanox/mlx5/core/en_rx.c>

bool mlx5e_sim_rx_batching(bool on)
{
	bool old = xsmmu_rx;

	xsmmu_rx = on;
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
	if (rq->xsmmu_pending) {
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
	if (likely(recycle)) {
		if (mlx5e_rx_cache_put(rq, dma_info))
			return;
		mlx5e_page_dma_unmap(rq, dma_info);
		page_pool_recycle_direct(rq->page_pool, dma_info->page);
	} else {
		mlx5e_page_dma_unmap(rq, dma_info);
		page_pool_release_page(rq->page_pool, dma_info->page);
		put_page(dma_info->page);
	}
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

	if (unlikely(!test_bit(MLX5E_RQ_STATE_ENABLED, &rq->state)))
		return 0;
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
