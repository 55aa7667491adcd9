			if (!mlx5e_tx_wi_defer(sq, wi, &dma_fifo_cc, NULL, 0,
					       &defer)) {
				mlx5e_tx_wi_dma_unmap(sq, wi, &dma_fifo_cc);
				mlx5e_tx_wi_kfree_fifo_skbs(sq, wi);
			}
