// SPDX-License-Identifier: GPL-2.0
/*
 * Queue life cycle of the 5.15 mlx5e driver (en_main.c), for the model:
 * allocating and freeing the send and receive queues, and the teardown
 * order of a receive queue (free the posted WQEs, then drain the page
 * cache, then destroy the page_pool). The patch's pieces are spliced in.
 */
#include <linux/slab.h>

#include <xsmmu/mutant.h>

#include "en.h"

/* The defaults of mlx5e_build_nic_params(): the patch's flags are on. */
struct mlx5e_params mlx5e_sim_params = {
	.pflags = BIT(MLX5E_PFLAG_TX_BATCH_UNMAP) | BIT(MLX5E_PFLAG_RX_BATCH_UNMAP),
};

/*
 * Makes the next RQ allocations fail at xdp_rxq_info_reg_mem_model(), on
 * the error path after the page_pool was created (0: never).
 */
unsigned int mlx5e_sim_fail_reg_mem_model;

static int alloc_cq(struct mlx5e_cq *cq, u32 size)
{
	cq->cqes = kcalloc(size, sizeof(*cq->cqes), GFP_KERNEL);
	cq->size = size;
	cq->pc = 0;
	cq->cc = 0;
	return cq->cqes ? 0 : -ENOMEM;
}

int mlx5e_alloc_txqsq(struct mlx5e_txqsq *sq, struct device *pdev, u16 wq_sz,
		      struct mlx5e_sq_stats *stats)
{
	struct mlx5e_params *params = &mlx5e_sim_params;
	u32 df_sz = wq_sz * MLX5E_SIM_MAX_SEGS;

	memset(sq, 0, sizeof(*sq));
	while (df_sz & (df_sz - 1))
		df_sz &= df_sz - 1;
	df_sz <<= 1;
	sq->pdev = pdev;
	sq->wq_sz = wq_sz;
	sq->stats = stats;
	sq->mpwqe_pi = 0xffff;
	sq->dma_fifo_mask = df_sz - 1;
	sq->db.dma_fifo = kcalloc(df_sz, sizeof(*sq->db.dma_fifo), GFP_KERNEL);
	sq->db.wqe_info = kcalloc(wq_sz, sizeof(*sq->db.wqe_info), GFP_KERNEL);
	sq->wqes = kcalloc(wq_sz, sizeof(*sq->wqes), GFP_KERNEL);
	sq->db.skb_fifo.fifo = kcalloc(wq_sz * MLX5E_SIM_MPWQE_PKTS,
				       sizeof(struct sk_buff *), GFP_KERNEL);
	sq->db.skb_fifo.pc = &sq->skb_fifo_pc;
	sq->db.skb_fifo.cc = &sq->skb_fifo_cc;
	sq->db.skb_fifo.mask = wq_sz * MLX5E_SIM_MPWQE_PKTS - 1;
	if (!sq->db.dma_fifo || !sq->db.wqe_info || !sq->wqes ||
	    !sq->db.skb_fifo.fifo || alloc_cq(&sq->cq, wq_sz)) {
		mlx5e_free_txqsq(sq);
		return -ENOMEM;
	}
#include <drivers/net/ethernet/mellanox/mlx5/core/en_main.c.d/mlx5e_alloc_txqsq.call.h>
	set_bit(MLX5E_SQ_STATE_ENABLED, &sq->state);
	return 0;
}

void mlx5e_free_txqsq(struct mlx5e_txqsq *sq)
{
	kfree(sq->db.dma_fifo);
	kfree(sq->db.wqe_info);
	kfree(sq->wqes);
	kfree(sq->db.skb_fifo.fifo);
	kfree(sq->cq.cqes);
	memset(sq, 0, sizeof(*sq));
}

/* Teardown of a send queue: the device is stopped, then the descs go. */
void mlx5e_close_txqsq(struct mlx5e_txqsq *sq)
{
	clear_bit(MLX5E_SQ_STATE_ENABLED, &sq->state);
	mlx5e_free_txqsq_descs(sq);
	mlx5e_free_txqsq(sq);
}

int mlx5e_alloc_xdpsq(struct mlx5e_xdpsq *sq, struct device *pdev,
		      u16 wq_sz, struct mlx5e_xdpsq_stats *stats)
{
	memset(sq, 0, sizeof(*sq));
	sq->pdev = pdev;
	sq->wq_sz = wq_sz;
	sq->stats = stats;
	sq->db.xdpi = kcalloc(wq_sz, sizeof(*sq->db.xdpi), GFP_KERNEL);
	sq->wqes = kcalloc(wq_sz, sizeof(*sq->wqes), GFP_KERNEL);
	if (!sq->db.xdpi || !sq->wqes || alloc_cq(&sq->cq, wq_sz)) {
		mlx5e_free_xdpsq(sq);
		return -ENOMEM;
	}
	set_bit(MLX5E_SQ_STATE_ENABLED, &sq->state);
	return 0;
}

void mlx5e_free_xdpsq(struct mlx5e_xdpsq *sq)
{
	kfree(sq->db.xdpi);
	kfree(sq->wqes);
	kfree(sq->cq.cqes);
	memset(sq, 0, sizeof(*sq));
}

/*
 * mlx5e_close_xdpsq(): the frames still queued go back to their RQ, so
 * this runs before that RQ is closed (mlx5e_close_queues() order).
 */
void mlx5e_close_xdpsq(struct mlx5e_xdpsq *sq)
{
	clear_bit(MLX5E_SQ_STATE_ENABLED, &sq->state);
	mlx5e_free_xdpsq_descs(sq);
	mlx5e_free_xdpsq(sq);
}

int mlx5e_alloc_rq(struct mlx5e_rq *rq, struct device *pdev, u16 wq_sz,
		   struct mlx5e_rq_stats *stats, struct mlx5e_xdpsq *xdpsq)
{
	struct mlx5e_params *params = &mlx5e_sim_params;
	struct page_pool_params pp_params = { 0 };
	void *xsk = NULL;	/* no AF_XDP RQ in the model */
	int err;

	memset(rq, 0, sizeof(*rq));
	rq->pdev = pdev;
	rq->wq_sz = wq_sz;
	rq->stats = stats;
	/* With an XDP program the device also sends from the RX pages. */
	rq->xdpsq = xdpsq;
	rq->buff.map_dir = xdpsq ? DMA_BIDIRECTIONAL : DMA_FROM_DEVICE;
	rq->wqe.di = kcalloc(wq_sz, sizeof(*rq->wqe.di), GFP_KERNEL);
	if (!rq->wqe.di || alloc_cq(&rq->cq, wq_sz))
		goto err_free;
	/* mlx5 maps its RX pages itself: no PP_FLAG_DMA_MAP in 5.15. */
	pp_params.order = 0;
	pp_params.flags = 0;
	pp_params.pool_size = wq_sz;
	pp_params.dev = pdev;
	pp_params.dma_dir = rq->buff.map_dir;
	rq->page_pool = page_pool_create(&pp_params);
	if (IS_ERR(rq->page_pool)) {
		rq->page_pool = NULL;
		goto err_free;
	}
#if XSMMU_MUTANT == XSMMU_MUTANT_RX_PENDING_ALLOC_EARLY
	/* Mutant: the seed's place, before the last error exit. */
#include <drivers/net/ethernet/mellanox/mlx5/core/en_main.c.d/mlx5e_alloc_rq.call.h>
#endif
	/* xdp_rxq_info_reg_mem_model(), made to fail by a test */
	err = 0;
	if (mlx5e_sim_fail_reg_mem_model) {
		mlx5e_sim_fail_reg_mem_model--;
		err = -ENOMEM;
	}
	if (err)
		goto err_free_by_rq_type;

#if XSMMU_MUTANT != XSMMU_MUTANT_RX_PENDING_ALLOC_EARLY
#include <drivers/net/ethernet/mellanox/mlx5/core/en_main.c.d/mlx5e_alloc_rq.call.h>
#endif
	set_bit(MLX5E_RQ_STATE_ENABLED, &rq->state);
	return 0;

	/*
	 * The error path after the page_pool (mlx5e_free_rq() is not
	 * called). The model destroys the page_pool here, so that the leak
	 * check sees only what the patch allocates.
	 */
err_free_by_rq_type:
	page_pool_destroy(rq->page_pool);
	rq->page_pool = NULL;
err_free:
	kfree(rq->wqe.di);
	kfree(rq->cq.cqes);
	return -ENOMEM;
}

void mlx5e_free_rx_descs(struct mlx5e_rq *rq)
{
	while (rq->ci != rq->tail) {
		struct mlx5e_dma_info *di =
			&rq->wqe.di[rq->ci & (rq->wq_sz - 1)];

		mlx5e_page_release_dynamic(rq, di, false);
		rq->ci++;
	}
	rq->head = rq->ci;
#include <drivers/net/ethernet/mellanox/mlx5/core/en_main.c.d/mlx5e_free_rx_descs.call.h>
}

void mlx5e_free_rq(struct mlx5e_rq *rq)
{
	u32 i;

	for (i = rq->page_cache.head; i != rq->page_cache.tail;
	     i = (i + 1) & (MLX5E_CACHE_SIZE - 1)) {
		struct mlx5e_dma_info *dma_info = &rq->page_cache.page_cache[i];

		mlx5e_page_release_dynamic(rq, dma_info, false);
	}
#if XSMMU_MUTANT == XSMMU_MUTANT_RX_TEARDOWN_LEAK
	/* Mutant: the seed's teardown, no flush after the cache drain. */
	kvfree(rq->batch_pending);
	rq->batch_pending = NULL;
#else
#include <drivers/net/ethernet/mellanox/mlx5/core/en_main.c.d/mlx5e_free_rq.call.h>
#endif
	page_pool_destroy(rq->page_pool);
	kfree(rq->wqe.di);
	kfree(rq->cq.cqes);
	memset(rq, 0, sizeof(*rq));
}

/* mlx5e_close_rq(): deactivate, free the posted WQEs, free the RQ. */
void mlx5e_close_rq(struct mlx5e_rq *rq)
{
	clear_bit(MLX5E_RQ_STATE_ENABLED, &rq->state);
	mlx5e_free_rx_descs(rq);
	mlx5e_free_rq(rq);
}

/*
 * 5.15 enables the RQ and schedules its NAPI, which posts the WQEs: in
 * the model the channel's next poll does.
 */
void mlx5e_activate_rq(struct mlx5e_rq *rq)
{
	set_bit(MLX5E_RQ_STATE_ENABLED, &rq->state);
}

/*
 * No poll that starts after this sees the RQ enabled, and none that saw it
 * enabled is still running when this returns (synchronize_net()): the
 * caller then owns the RQ's descriptors, its NAPI does not touch them.
 * NAPI still runs for the channel's other queues, and the XDP send
 * queue's completions still release pages to this RQ.
 */
void mlx5e_deactivate_rq(struct mlx5e_rq *rq)
{
	clear_bit(MLX5E_RQ_STATE_ENABLED, &rq->state);
	mlx5e_sim_synchronize_napi(rq->cq.napi);
}

/*
 * The RX reporter's recovery from an error completion (5.15
 * en/reporter_rx.c, mlx5e_rx_reporter_err_rq_cqe_recover()), run by a
 * work item in process context, on any CPU, while the channel's NAPI
 * keeps running on its own: every posted page is released from here
 * (through the patch's pending array, as NAPI's releases are), then the
 * RQ is moved back to ready and enabled again.
 */
int mlx5e_rx_reporter_err_rq_cqe_recover(struct mlx5e_rq *rq)
{
	int err;

	mlx5e_deactivate_rq(rq);
	mlx5e_free_rx_descs(rq);
	err = mlx5e_sim_rq_to_ready(rq);
	if (err)
		return err;
	mlx5e_activate_rq(rq);
	rq->stats->recover++;
	return 0;
}
