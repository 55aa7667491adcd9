// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/* Piece of drivers/net/ethernet/mellanox/mlx5/core/en_rx.c, placed after
 * mlx5e_page_dma_unmap() by MANIFEST.json; xsmmu-export drops this header.
 */

/* Batched RX page release. A page that stays in the RX page cache keeps
 * its mapping and needs no invalidation. On an RQ with the
 * rx_batch_unmap private flag whose device the DMA layer batches for, a
 * page leaving the driver (cache full, or released) is unmapped without
 * waiting and parked here; it goes back to the page_pool, or is
 * released, only after a dma_sync_device_iotlb() has covered its unmap.
 * The flush runs at the end of every RX poll (and on its early return),
 * when the array is full, at the end of mlx5e_free_rx_descs() and before
 * the RQ's page_pool is destroyed. Other RQs have no array and release
 * pages as before.
 *
 * 1024 pages: a poll of 64 packets releases far fewer; bursts of
 * multi-packet WQE completions fill it at most a few times per poll.
 * 8,200 bytes on 64-bit (an order-2 allocation), per batching RQ.
 */
#define MLX5E_RX_PENDING_SIZE		1024
#define MLX5E_RX_PENDING_RECYCLE	1UL	/* low bit of the page pointer */

struct mlx5e_rx_pending {
	spinlock_t lock;	/* NAPI and the recovery work both release */
	unsigned int count;
	unsigned long pages[MLX5E_RX_PENDING_SIZE];
};

void mlx5e_rx_pending_alloc(struct mlx5e_rq *rq)
{
	struct mlx5e_rx_pending *pending;

	if (!dma_enable_no_sync_unmap(rq->pdev))
		return;
	pending = kvzalloc(sizeof(*pending), GFP_KERNEL);
	if (!pending)
		return;	/* pages are then unmapped synchronously */
	spin_lock_init(&pending->lock);
	rq->batch_pending = pending;
}

/* Only NAPI may recycle into the page_pool's lockless cache: outside it
 * (the recovery work, queue close) the pages take the pool's ring.
 */
static void mlx5e_rx_pending_flush_locked(struct mlx5e_rq *rq,
					  struct mlx5e_rx_pending *pending,
					  bool napi)
{
	unsigned int i;

	if (!pending->count)
		return;
	dma_sync_device_iotlb(rq->pdev);
	for (i = 0; i < pending->count; i++) {
		unsigned long entry = pending->pages[i];
		struct page *page = (struct page *)
			(entry & ~MLX5E_RX_PENDING_RECYCLE);

		if (entry & MLX5E_RX_PENDING_RECYCLE) {
			page_pool_put_full_page(rq->page_pool, page, napi);
		} else {
			page_pool_release_page(rq->page_pool, page);
			put_page(page);
		}
	}
	pending->count = 0;
}

void mlx5e_rx_pending_flush(struct mlx5e_rq *rq, bool napi)
{
	struct mlx5e_rx_pending *pending = rq->batch_pending;

	if (!pending)
		return;
	spin_lock_bh(&pending->lock);
	mlx5e_rx_pending_flush_locked(rq, pending, napi);
	spin_unlock_bh(&pending->lock);
}

/* Last flush, after the last release of the RQ, before its page_pool goes. */
void mlx5e_rx_pending_free(struct mlx5e_rq *rq)
{
	if (!rq->batch_pending)
		return;
	mlx5e_rx_pending_flush(rq, false);
	kvfree(rq->batch_pending);
	rq->batch_pending = NULL;
}

/* mlx5e_page_release_dynamic() for a batching RQ. Returns false when the
 * RQ does not batch, and the upstream release goes on. A release that
 * recycles runs in NAPI, as upstream's page_pool_recycle_direct() there
 * requires.
 */
static bool mlx5e_rx_pending_release(struct mlx5e_rq *rq,
				     struct mlx5e_dma_info *dma_info,
				     bool recycle)
{
	struct mlx5e_rx_pending *pending = rq->batch_pending;
	unsigned long entry = (unsigned long)dma_info->page;

	if (!pending)
		return false;
	if (recycle && mlx5e_rx_cache_put(rq, dma_info))
		return true;
	dma_unmap_page_no_sync(rq->pdev, dma_info->addr, PAGE_SIZE,
			       rq->buff.map_dir);
	if (recycle)
		entry |= MLX5E_RX_PENDING_RECYCLE;
	spin_lock_bh(&pending->lock);
	if (pending->count == MLX5E_RX_PENDING_SIZE)
		mlx5e_rx_pending_flush_locked(rq, pending, recycle);
	pending->pages[pending->count++] = entry;
	spin_unlock_bh(&pending->lock);
	return true;
}
