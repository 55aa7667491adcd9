// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/* Piece of drivers/net/ethernet/mellanox/mlx5/core/en_rx.c, placed after
 * mlx5e_page_dma_unmap() by MANIFEST.json; xsmmu-export drops this header.
 */

/* Batched RX page release (xsmmu). A page that stays in the RX page cache
 * keeps its mapping and needs no invalidation. A page leaving the driver
 * (cache full, or released) is unmapped without waiting and parked here;
 * it goes back to the page_pool, or is released, only after a
 * dma_sync_device_iotlb() has covered its unmap. The flush runs at the end
 * of every RX poll (and on its early return), when the array is full, and
 * before the RQ's page_pool is destroyed. The array is allocated by size,
 * only when the RQ batches, and is reached from the RQ by one pointer.
 */
static bool xsmmu_rx = true;
module_param(xsmmu_rx, bool, 0444);
MODULE_PARM_DESC(xsmmu_rx,
		 "Defer RX page unmap invalidations to one IOTLB sync per poll (default on)");

/* 1024 pages: a poll of 64 packets releases far fewer; bursts of
 * multi-packet WQE completions fill it at most a few times per poll.
 * 8 KiB per RQ.
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

	if (!xsmmu_rx)
		return;
	pending = kvzalloc(sizeof(*pending), GFP_KERNEL);
	if (!pending)
		return;	/* pages are then unmapped synchronously */
	spin_lock_init(&pending->lock);
	rq->xsmmu_pending = pending;
}

static void mlx5e_rx_pending_flush_locked(struct mlx5e_rq *rq,
					  struct mlx5e_rx_pending *pending)
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
			page_pool_recycle_direct(rq->page_pool, page);
		} else {
			page_pool_release_page(rq->page_pool, page);
			put_page(page);
		}
	}
	pending->count = 0;
}

void mlx5e_rx_pending_flush(struct mlx5e_rq *rq)
{
	struct mlx5e_rx_pending *pending = rq->xsmmu_pending;

	if (!pending)
		return;
	spin_lock_bh(&pending->lock);
	mlx5e_rx_pending_flush_locked(rq, pending);
	spin_unlock_bh(&pending->lock);
}

/* Last flush, after the last release of the RQ, before its page_pool goes. */
void mlx5e_rx_pending_free(struct mlx5e_rq *rq)
{
	if (!rq->xsmmu_pending)
		return;
	mlx5e_rx_pending_flush(rq);
	kvfree(rq->xsmmu_pending);
	rq->xsmmu_pending = NULL;
}

/* mlx5e_page_release_dynamic() for a batching RQ. Returns false when the
 * RQ does not batch, and the upstream release goes on.
 */
static bool mlx5e_rx_pending_release(struct mlx5e_rq *rq,
				     struct mlx5e_dma_info *dma_info,
				     bool recycle)
{
	struct mlx5e_rx_pending *pending = rq->xsmmu_pending;
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
		mlx5e_rx_pending_flush_locked(rq, pending);
	pending->pages[pending->count++] = entry;
	spin_unlock_bh(&pending->lock);
	return true;
}
