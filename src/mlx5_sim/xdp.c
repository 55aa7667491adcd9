// SPDX-License-Identifier: GPL-2.0
/*
 * XDP_TX from the regular RQ, as 5.15 en/xdp.c does it, written for the
 * model: the program's verdict (XDP_TX every n-th packet, else XDP_PASS),
 * the received page queued on the channel's XDP send queue with its RX
 * mapping (the RQ maps DMA_BIDIRECTIONAL when a program is set), and the
 * XDP completion that gives the page back to its RQ through
 * mlx5e_page_release_dynamic() with recycling, the same release NAPI's
 * RX path makes: with the patch, the RQ's pending array when the page
 * cache is full. Those completions run in the channel's NAPI whether
 * the RQ is enabled or not, so they race the RX reporter's recovery.
 *
 * XDP_REDIRECT is not modelled: 5.15 unmaps a redirected page at once
 * in the RX poll (mlx5e_page_dma_unmap()) and the target's completion
 * returns it to the page_pool through xdp_return_frame(), so it never
 * reaches the RQ's release path the patch changes.
 */
#include <linux/dma-mapping.h>

#include "en.h"

static bool mlx5e_xmit_xdp_page(struct mlx5e_xdpsq *sq, struct mlx5e_rq *rq,
				struct mlx5e_dma_info *di, u32 len,
				u32 pkt_id)
{
	struct mlx5e_xdp_info *xdpi;
	struct mlx5e_sim_xdp_wqe *wqe;
	u16 pi;

	if (unlikely((u16)(sq->pc - sq->cc) >= sq->wq_sz)) {
		sq->stats->full++;
		return false;
	}
	dma_sync_single_for_device(sq->pdev, di->addr, len,
				   DMA_BIDIRECTIONAL);
	pi = sq->pc & (sq->wq_sz - 1);
	wqe = &sq->wqes[pi];
	wqe->addr = di->addr;
	wqe->len = len;
	wqe->pkt_id = pkt_id;
	xdpi = &sq->db.xdpi[pi];
	xdpi->mode = MLX5E_XDP_XMIT_MODE_PAGE;
	xdpi->page.rq = rq;
	xdpi->page.di = *di;
	sq->pc++;
	sq->stats->xmit++;
	return true;
}

/*
 * Returns true when XDP consumed the packet: sent back (the XDP
 * completion releases the page) or dropped (released here, recycled).
 */
bool mlx5e_xdp_handle(struct mlx5e_rq *rq, struct mlx5e_dma_info *di,
		      u32 len, u32 pkt_id)
{
	if (!rq->xdpsq || !rq->xs_xdp_tx_every)
		return false;
	if (++rq->xs_xdp_seen % rq->xs_xdp_tx_every)
		return false;	/* XDP_PASS */
	if (mlx5e_xmit_xdp_page(rq->xdpsq, rq, di, len, pkt_id)) {
		rq->stats->xdp_tx++;
		return true;
	}
	/* xdp_abort: the send queue is full, the packet is dropped. */
	rq->stats->xdp_drop++;
	mlx5e_page_release_dynamic(rq, di, true);
	return true;
}

static void mlx5e_free_xdpsq_desc(struct mlx5e_xdpsq *sq,
				  struct mlx5e_xdp_info *xdpi, bool recycle)
{
	switch (xdpi->mode) {
	case MLX5E_XDP_XMIT_MODE_PAGE:
		mlx5e_page_release_dynamic(xdpi->page.rq, &xdpi->page.di,
					   recycle);
		break;
	default:
		WARN_ON_ONCE(true);
	}
}

bool mlx5e_poll_xdpsq_cq(struct mlx5e_cq *cq)
{
	struct mlx5e_xdpsq *sq = container_of(cq, struct mlx5e_xdpsq, cq);
	struct mlx5_cqe64 *cqe;
	u16 sqcc;
	int i;

	if (unlikely(!test_bit(MLX5E_SQ_STATE_ENABLED, &sq->state)))
		return false;
	cqe = mlx5e_cq_next(cq);
	if (!cqe)
		return false;
	sqcc = sq->cc;
	i = 0;
	do {
		u16 wqe_counter = cqe->wqe_counter;
		bool last_wqe;

		cq->cc++;
		do {
			last_wqe = (sqcc == wqe_counter);
			mlx5e_free_xdpsq_desc(sq, &sq->db.xdpi[sqcc &
							       (sq->wq_sz - 1)],
					      true);
			sqcc++;
		} while (!last_wqe);
	} while ((++i < MLX5E_TX_CQ_POLL_BUDGET) && (cqe = mlx5e_cq_next(cq)));
	sq->stats->cqes += i;
	sq->cc = sqcc;
	return i == MLX5E_TX_CQ_POLL_BUDGET;
}

/* Close: the frames the device never sent go back, not recycled. */
void mlx5e_free_xdpsq_descs(struct mlx5e_xdpsq *sq)
{
	while (sq->cc != sq->pc) {
		mlx5e_free_xdpsq_desc(sq, &sq->db.xdpi[sq->cc &
						       (sq->wq_sz - 1)],
				      false);
		sq->cc++;
	}
}
