			if (!mlx5e_tx_wi_defer(sq, wi, &dma_fifo_cc, NULL, 0,
					       &defer)) {
				mlx5e_tx_wi_dma_unmap(sq, wi, &dma_fifo_cc);
				dev_kfree_skb_any(wi->skb);
			}
