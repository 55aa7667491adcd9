// SPDX-License-Identifier: GPL-2.0
/*
 * The mlx5e TX paths of 5.15 (en_tx.c), written for the model: building
 * a work item (map the linear part and the fragments, push them on the
 * DMA FIFO), multi-packet WQEs for linear skbs, the mapping-error path,
 * the completion poll and the queue teardown. The patch's pieces (src/
 * kernel) are spliced in where the exporter puts them.
 */
#include <linux/moduleparam.h>

#include <xsmmu/mutant.h>

#include "en.h"
#include "en/txrx.h"

/*
 * A work item that could not be mapped whole: take back the @num_dma
 * entries it pushed on the DMA FIFO, newest first, unmapping each.
 */
static void mlx5e_dma_unmap_wqe_err(struct mlx5e_txqsq *sq, u8 num_dma)
{
	while (num_dma--) {
		sq->dma_fifo_pc--;
		mlx5e_tx_dma_unmap(sq->pdev, mlx5e_dma_get(sq, sq->dma_fifo_pc));
	}
}

/* A completed work item: unmap its FIFO entries, oldest first. */
static void mlx5e_tx_wi_dma_unmap(struct mlx5e_txqsq *sq,
				  struct mlx5e_tx_wqe_info *wi,
				  u32 *dma_fifo_cc)
{
	u32 next = *dma_fifo_cc;
	u32 end = next + wi->num_dma;

	for (; next != end; next++)
		mlx5e_tx_dma_unmap(sq->pdev, mlx5e_dma_get(sq, next));
	*dma_fifo_cc = end;
}

static void mlx5e_consume_skb(struct mlx5e_txqsq *sq, struct sk_buff *skb,
			      struct mlx5_cqe64 *cqe, int napi_budget)
{
	/* The timestamp comes from the completion that covers the skb. */
	if (unlikely(skb_shinfo(skb)->tx_flags & SKBTX_HW_TSTAMP))
		BUG_ON(!cqe);
	napi_consume_skb(skb, napi_budget);
}

static void mlx5e_tx_wi_consume_fifo_skbs(struct mlx5e_txqsq *sq,
					  struct mlx5e_tx_wqe_info *wi,
					  struct mlx5_cqe64 *cqe,
					  int napi_budget)
{
	unsigned int left;

	/* A multi-packet WQE: its skbs wait on the skb FIFO, in order. */
	for (left = wi->num_fifo_pkts; left; left--)
		mlx5e_consume_skb(sq, mlx5e_skb_fifo_pop(&sq->db.skb_fifo),
				  cqe, napi_budget);
}

/* The patch's TX release (src/kernel/.../en_tx.c). */
#include <drivers/net/ethernet/mellanox/mlx5/core/en_tx.c>

/* The seed's TX policy, for the comparison: a sync per work item. */
static bool mlx5e_sim_tx_per_wqe;

int mlx5e_sim_tx_policy(int policy)
{
	int old = !MLX5E_GET_PFLAG(&mlx5e_sim_params,
				   MLX5E_PFLAG_TX_BATCH_UNMAP) ? 0 :
		  mlx5e_sim_tx_per_wqe ? 1 : 2;

	MLX5E_SET_PFLAG(&mlx5e_sim_params, MLX5E_PFLAG_TX_BATCH_UNMAP,
			policy != 0);
	mlx5e_sim_tx_per_wqe = policy == 1;
	return old;
}

/* A mapping that the test asked to fail fails like a real one. */
static dma_addr_t sim_map(struct mlx5e_txqsq *sq, void *ptr, struct page *page,
			  unsigned int off, unsigned int len)
{
	if (sq->fail_map_after && --sq->fail_map_after == 0)
		return DMA_MAPPING_ERROR;
	if (ptr)
		return dma_map_single(sq->pdev, ptr, len, DMA_TO_DEVICE);
	return dma_map_page(sq->pdev, page, off, len, DMA_TO_DEVICE);
}

static void sim_seg(struct mlx5e_sim_wqe *wqe, dma_addr_t addr, u32 len,
		    u32 pkt_id, u32 pkt_off)
{
	wqe->seg[wqe->nsegs].addr = addr;
	wqe->seg[wqe->nsegs].len = len;
	wqe->seg[wqe->nsegs].pkt_id = pkt_id;
	wqe->seg[wqe->nsegs].pkt_off = pkt_off;
	wqe->nsegs++;
}

static int mlx5e_txwqe_build_dsegs(struct mlx5e_txqsq *sq, struct sk_buff *skb,
				   struct mlx5e_sim_wqe *wqe)
{
	unsigned int headlen = skb_headlen(skb), off = headlen;
	dma_addr_t dma_addr;
	u8 num_dma = 0;
	int i;

	wqe->nsegs = 0;
	if (headlen) {
		dma_addr = sim_map(sq, skb->data, NULL, 0, headlen);
		if (unlikely(dma_mapping_error(sq->pdev, dma_addr)))
			goto dma_unmap_wqe_err;
		sim_seg(wqe, dma_addr, headlen, skb->xs_pkt_id, 0);
		mlx5e_dma_push(sq, dma_addr, headlen, MLX5E_DMA_MAP_SINGLE);
		num_dma++;
	}
	for (i = 0; i < skb_shinfo(skb)->nr_frags; i++) {
		skb_frag_t *frag = &skb_shinfo(skb)->frags[i];
		int fsz = skb_frag_size(frag);

		dma_addr = sim_map(sq, NULL, skb_frag_page(frag),
				   skb_frag_off(frag), fsz);
		if (unlikely(dma_mapping_error(sq->pdev, dma_addr)))
			goto dma_unmap_wqe_err;
		sim_seg(wqe, dma_addr, fsz, skb->xs_pkt_id, off);
		mlx5e_dma_push(sq, dma_addr, fsz, MLX5E_DMA_MAP_PAGE);
		num_dma++;
		off += fsz;
	}
	return num_dma;

dma_unmap_wqe_err:
	mlx5e_dma_unmap_wqe_err(sq, num_dma);
	return -ENOMEM;
}

static bool sq_full(struct mlx5e_txqsq *sq)
{
	return (u16)(sq->pc - sq->cc) >= sq->wq_sz;
}

/* Closes the open multi-packet WQE: the device may send it now. */
static void mlx5e_tx_mpwqe_session_complete(struct mlx5e_txqsq *sq)
{
	if (sq->mpwqe_pi == 0xffff)
		return;
	sq->pc++;
	sq->mpwqe_pi = 0xffff;
}

static int mlx5e_sq_xmit_wqe(struct mlx5e_txqsq *sq, struct sk_buff *skb)
{
	u16 pi = sq->pc & (sq->wq_sz - 1);
	struct mlx5e_tx_wqe_info *wi = &sq->db.wqe_info[pi];
	int num_dma;

	num_dma = mlx5e_txwqe_build_dsegs(sq, skb, &sq->wqes[pi]);
	if (unlikely(num_dma < 0))
		goto err_drop;
	*wi = (struct mlx5e_tx_wqe_info) {
		.skb = skb,
		.num_bytes = skb->len,
		.num_wqebbs = 1,
		.num_dma = num_dma,
	};
	sq->pc++;
	return 0;

err_drop:
	sq->stats->dropped++;
	sq->stats->wqe_err++;
	dev_kfree_skb_any(skb);
	return 0;
}

static int mlx5e_sq_xmit_mpwqe(struct mlx5e_txqsq *sq, struct sk_buff *skb)
{
	struct mlx5e_tx_wqe_info *wi;
	dma_addr_t dma_addr;
	u16 pi;

	if (sq->mpwqe_pi == 0xffff) {
		pi = sq->pc & (sq->wq_sz - 1);
		sq->mpwqe_pi = pi;
		sq->wqes[pi].nsegs = 0;
		sq->db.wqe_info[pi] = (struct mlx5e_tx_wqe_info) {
			.num_wqebbs = 1,
		};
	}
	pi = sq->mpwqe_pi;
	wi = &sq->db.wqe_info[pi];
	dma_addr = sim_map(sq, skb->data, NULL, 0, skb->len);
	if (unlikely(dma_mapping_error(sq->pdev, dma_addr))) {
		sq->stats->dropped++;
		sq->stats->wqe_err++;
		dev_kfree_skb_any(skb);
		return 0;
	}
	sim_seg(&sq->wqes[pi], dma_addr, skb->len, skb->xs_pkt_id, 0);
	mlx5e_dma_push(sq, dma_addr, skb->len, MLX5E_DMA_MAP_SINGLE);
	mlx5e_skb_fifo_push(&sq->db.skb_fifo, skb);
	wi->num_dma++;
	wi->num_fifo_pkts++;
	wi->num_bytes += skb->len;
	if (wi->num_fifo_pkts == MLX5E_SIM_MPWQE_PKTS)
		mlx5e_tx_mpwqe_session_complete(sq);
	return 0;
}

int mlx5e_xmit(struct mlx5e_txqsq *sq, struct sk_buff *skb, bool xmit_more)
{
	bool mpwqe = sq->xs_mpwqe && !skb_shinfo(skb)->nr_frags &&
		     !(skb_shinfo(skb)->tx_flags & SKBTX_HW_TSTAMP);
	int err;

	if (!mpwqe)
		mlx5e_tx_mpwqe_session_complete(sq);
	if (sq_full(sq))
		return -EBUSY;	/* the stack keeps the skb and retries */
	err = mpwqe ? mlx5e_sq_xmit_mpwqe(sq, skb) :
		      mlx5e_sq_xmit_wqe(sq, skb);
	if (!xmit_more)
		mlx5e_tx_mpwqe_session_complete(sq);
	return err;
}

bool mlx5e_poll_tx_cq(struct mlx5e_cq *cq, int napi_budget)
{
	struct mlx5e_txqsq *sq = container_of(cq, struct mlx5e_txqsq, cq);
	struct mlx5_cqe64 *cqe;
	u32 dma_fifo_cc;
	u16 sqcc;
	int i;
#include <drivers/net/ethernet/mellanox/mlx5/core/en_tx.c.d/mlx5e_poll_tx_cq.decl.h>

	if (unlikely(!test_bit(MLX5E_SQ_STATE_ENABLED, &sq->state)))
		return false;
	cqe = mlx5e_cq_next(cq);
	if (!cqe)
		return false;
#include <drivers/net/ethernet/mellanox/mlx5/core/en_tx.c.d/mlx5e_poll_tx_cq.init.h>

	sqcc = sq->cc;
	dma_fifo_cc = sq->dma_fifo_cc;
	i = 0;
	do {
		u16 wqe_counter;
		bool last_wqe;

		cq->cc++;
		sq->stats->cqes++;
		wqe_counter = cqe->wqe_counter;
		do {
			struct mlx5e_tx_wqe_info *wi;
			u16 ci;

			last_wqe = (sqcc == wqe_counter);
			ci = sqcc & (sq->wq_sz - 1);
			wi = &sq->db.wqe_info[ci];
			sqcc += wi->num_wqebbs;
			if (likely(wi->skb || wi->num_fifo_pkts)) {
				sq->stats->packets += wi->skb ? 1 :
						      wi->num_fifo_pkts;
				sq->stats->bytes += wi->num_bytes;
				if (wi->skb) {
#include <drivers/net/ethernet/mellanox/mlx5/core/en_tx.c.d/mlx5e_poll_tx_cq.release_skb.h>
				} else {
#include <drivers/net/ethernet/mellanox/mlx5/core/en_tx.c.d/mlx5e_poll_tx_cq.release_fifo.h>
				}
				/* The seed: each work item's own sync. */
				if (mlx5e_sim_tx_per_wqe)
					mlx5e_tx_defer_flush(sq, &defer, cqe,
							     napi_budget);
			}
		} while (!last_wqe);
		WARN_ON(cqe->op_own == MLX5_CQE_REQ_ERR);
	} while ((++i < MLX5E_TX_CQ_POLL_BUDGET) && (cqe = mlx5e_cq_next(cq)));
#include <drivers/net/ethernet/mellanox/mlx5/core/en_tx.c.d/mlx5e_poll_tx_cq.flush.h>

	sq->dma_fifo_cc = dma_fifo_cc;
	sq->cc = sqcc;
	return i == MLX5E_TX_CQ_POLL_BUDGET;
}

/* 5.15 defines this one after the completion poll. */
static void mlx5e_tx_wi_kfree_fifo_skbs(struct mlx5e_txqsq *sq,
					struct mlx5e_tx_wqe_info *wi)
{
	unsigned int left;

	for (left = wi->num_fifo_pkts; left; left--)
		dev_kfree_skb_any(mlx5e_skb_fifo_pop(&sq->db.skb_fifo));
}

void mlx5e_free_txqsq_descs(struct mlx5e_txqsq *sq)
{
	struct mlx5e_tx_wqe_info *wi;
#include <drivers/net/ethernet/mellanox/mlx5/core/en_tx.c.d/mlx5e_free_txqsq_descs.decl.h>
	u32 dma_fifo_cc;
	u16 sqcc, ci;

#include <drivers/net/ethernet/mellanox/mlx5/core/en_tx.c.d/mlx5e_free_txqsq_descs.init.h>
	mlx5e_tx_mpwqe_session_complete(sq);
	sqcc = sq->cc;
	dma_fifo_cc = sq->dma_fifo_cc;
	while (sqcc != sq->pc) {
		ci = sqcc & (sq->wq_sz - 1);
		wi = &sq->db.wqe_info[ci];
		sqcc += wi->num_wqebbs;
		if (wi->skb || wi->num_fifo_pkts) {
#if XSMMU_MUTANT == XSMMU_MUTANT_CLEANUP_FREE_EARLY
			/* Mutant: the seed's sketch, free inside the loop. */
			mlx5e_tx_wi_dma_unmap_no_sync(sq, wi, &dma_fifo_cc);
			if (wi->skb)
				dev_kfree_skb_any(wi->skb);
			else
				mlx5e_tx_wi_kfree_fifo_skbs(sq, wi);
#else
			if (wi->skb) {
#include <drivers/net/ethernet/mellanox/mlx5/core/en_tx.c.d/mlx5e_free_txqsq_descs.release_skb.h>
			} else {
#include <drivers/net/ethernet/mellanox/mlx5/core/en_tx.c.d/mlx5e_free_txqsq_descs.release_fifo.h>
			}
#endif
		}
	}
#include <drivers/net/ethernet/mellanox/mlx5/core/en_tx.c.d/mlx5e_free_txqsq_descs.flush.h>
	sq->dma_fifo_cc = dma_fifo_cc;
	sq->cc = sqcc;
}
