	if (mlx5e_rx_pending_release(rq, dma_info, recycle))
		return;
