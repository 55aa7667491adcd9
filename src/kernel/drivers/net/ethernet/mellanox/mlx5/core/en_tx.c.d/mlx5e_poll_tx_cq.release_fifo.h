				if (!mlx5e_tx_wi_defer(sq, wi, &dma_fifo_cc, cqe,
						       napi_budget, &defer)) {
					mlx5e_tx_wi_dma_unmap(sq, wi, &dma_fifo_cc);
					mlx5e_tx_wi_consume_fifo_skbs(sq, wi, cqe, napi_budget);
				}
