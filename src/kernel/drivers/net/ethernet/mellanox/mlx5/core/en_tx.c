// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/* Piece of drivers/net/ethernet/mellanox/mlx5/core/en_tx.c, placed after
 * mlx5e_tx_wi_consume_fifo_skbs() by MANIFEST.json; xsmmu-export drops
 * this header.
 */

/* Batched TX unmap. On an SQ with MLX5E_SQ_STATE_BATCH_UNMAP (the
 * tx_batch_unmap private flag, and a DMA layer that batches for the
 * device) a completed work item's buffers are unmapped without waiting
 * for the IOTLB invalidation; its skb is freed only after the
 * dma_sync_device_iotlb() at the end of the completion poll, so the
 * device can never reach a freed or reused skb. Without the bit the
 * order is the usual one: unmap, then free.
 */

/* skbs whose buffers are unmapped but not yet covered by a sync */
struct mlx5e_tx_defer {
	struct sk_buff *head;
	struct sk_buff **tail;
	unsigned int count;
	bool drop;		/* queue teardown: freed as dropped */
};

static void mlx5e_tx_defer_init(struct mlx5e_tx_defer *defer, bool drop)
{
	defer->head = NULL;
	defer->tail = &defer->head;
	defer->count = 0;
	defer->drop = drop;
}

static void mlx5e_tx_defer_free_skb(struct mlx5e_txqsq *sq,
				    struct mlx5e_tx_defer *defer,
				    struct sk_buff *skb,
				    struct mlx5_cqe64 *cqe, int napi_budget)
{
	if (defer->drop)
		dev_kfree_skb_any(skb);
	else
		mlx5e_consume_skb(sq, skb, cqe, napi_budget);
}

static void mlx5e_tx_dma_unmap_no_sync(struct device *pdev,
				       struct mlx5e_sq_dma *dma)
{
	switch (dma->type) {
	case MLX5E_DMA_MAP_SINGLE:
		dma_unmap_single_no_sync(pdev, dma->addr, dma->size,
					 DMA_TO_DEVICE);
		break;
	case MLX5E_DMA_MAP_PAGE:
		dma_unmap_page_no_sync(pdev, dma->addr, dma->size,
				       DMA_TO_DEVICE);
		break;
	default:
		WARN_ONCE(true, "%s: unknown DMA type!\n", __func__);
	}
}

static void mlx5e_tx_wi_dma_unmap_no_sync(struct mlx5e_txqsq *sq,
					  struct mlx5e_tx_wqe_info *wi,
					  u32 *dma_fifo_cc)
{
	int i;

	for (i = 0; i < wi->num_dma; i++) {
		struct mlx5e_sq_dma *dma = mlx5e_dma_get(sq, (*dma_fifo_cc)++);

		mlx5e_tx_dma_unmap_no_sync(sq->pdev, dma);
	}
}

/* The sync covering every deferred unmap, then the frees it allows. */
static void mlx5e_tx_defer_flush(struct mlx5e_txqsq *sq,
				 struct mlx5e_tx_defer *defer,
				 struct mlx5_cqe64 *cqe, int napi_budget)
{
	struct sk_buff *skb, *next;

	if (!defer->count)
		return;
	dma_sync_device_iotlb(sq->pdev);
	for (skb = defer->head; skb; skb = next) {
		next = skb->next;
		skb->next = NULL;
		mlx5e_tx_defer_free_skb(sq, defer, skb, cqe, napi_budget);
	}
	mlx5e_tx_defer_init(defer, defer->drop);
}

static void mlx5e_tx_defer_skb(struct mlx5e_tx_defer *defer,
			       struct sk_buff *skb)
{
	skb->next = NULL;
	*defer->tail = skb;
	defer->tail = &skb->next;
	defer->count++;
}

/* A hardware timestamp is taken from this completion: free it now. */
static bool mlx5e_tx_skb_deferrable(struct mlx5e_tx_defer *defer,
				    struct sk_buff *skb)
{
	return defer->drop || !(skb_shinfo(skb)->tx_flags & SKBTX_HW_TSTAMP);
}

/* Batched release of one completed (or, at teardown, abandoned) work
 * item: a regular one (wi->skb) or a multi-packet one (wi->num_fifo_pkts
 * skbs in the skb FIFO). An skb is freed only once a sync covering its
 * unmaps has returned; otherwise it waits in defer for
 * mlx5e_tx_defer_flush(). Returns false, having done nothing, when the
 * SQ does not batch: the caller then releases the work item as before.
 */
static bool mlx5e_tx_wi_defer(struct mlx5e_txqsq *sq,
			      struct mlx5e_tx_wqe_info *wi,
			      u32 *dma_fifo_cc, struct mlx5_cqe64 *cqe,
			      int napi_budget, struct mlx5e_tx_defer *defer)
{
	int i, n = wi->skb ? 1 : wi->num_fifo_pkts;
	struct sk_buff *skb;

	if (!test_bit(MLX5E_SQ_STATE_BATCH_UNMAP, &sq->state))
		return false;
	mlx5e_tx_wi_dma_unmap_no_sync(sq, wi, dma_fifo_cc);
	for (i = 0; i < n; i++) {
		skb = wi->skb ? wi->skb : mlx5e_skb_fifo_pop(&sq->db.skb_fifo);
		if (mlx5e_tx_skb_deferrable(defer, skb)) {
			mlx5e_tx_defer_skb(defer, skb);
			continue;
		}
		/* The sync covers the unmaps so far, this skb's among them. */
		dma_sync_device_iotlb(sq->pdev);
		mlx5e_tx_defer_free_skb(sq, defer, skb, cqe, napi_budget);
	}
	return true;
}
