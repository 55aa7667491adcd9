/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The TX DMA FIFO helpers of en/txrx.h (shim), 5.15 names and behaviour.
 */
#ifndef XS_MLX5_EN_TXRX_H
#define XS_MLX5_EN_TXRX_H

#include "../en.h"

static inline struct mlx5e_sq_dma *mlx5e_dma_get(struct mlx5e_txqsq *sq,
						 u32 i)
{
	return &sq->db.dma_fifo[i & sq->dma_fifo_mask];
}

static inline void mlx5e_dma_push(struct mlx5e_txqsq *sq, dma_addr_t addr,
				  u32 size, enum mlx5e_dma_map_type map_type)
{
	struct mlx5e_sq_dma *dma = mlx5e_dma_get(sq, sq->dma_fifo_pc++);

	dma->addr = addr;
	dma->size = size;
	dma->type = map_type;
}

static inline struct sk_buff **mlx5e_skb_fifo_get(struct mlx5e_skb_fifo *fifo,
						  u16 i)
{
	return &fifo->fifo[i & fifo->mask];
}

static inline void mlx5e_skb_fifo_push(struct mlx5e_skb_fifo *fifo,
				       struct sk_buff *skb)
{
	struct sk_buff **skb_item = mlx5e_skb_fifo_get(fifo, (*fifo->pc)++);

	*skb_item = skb;
}

static inline struct sk_buff *mlx5e_skb_fifo_pop(struct mlx5e_skb_fifo *fifo)
{
	return *mlx5e_skb_fifo_get(fifo, (*fifo->cc)++);
}

static inline void mlx5e_tx_dma_unmap(struct device *pdev,
				      struct mlx5e_sq_dma *dma)
{
	switch (dma->type) {
	case MLX5E_DMA_MAP_SINGLE:
		dma_unmap_single(pdev, dma->addr, dma->size, DMA_TO_DEVICE);
		break;
	case MLX5E_DMA_MAP_PAGE:
		dma_unmap_page(pdev, dma->addr, dma->size, DMA_TO_DEVICE);
		break;
	default:
		WARN_ONCE(true, "mlx5e_tx_dma_unmap unknown DMA type!\n");
	}
}

#endif
