			mlx5e_tx_wi_release(sq, wi, &dma_fifo_cc, NULL, 0,
					    &defer);
