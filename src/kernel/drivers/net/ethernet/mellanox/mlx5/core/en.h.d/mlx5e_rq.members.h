	/* RX pages unmapped without a sync, released after the next one */
	struct mlx5e_rx_pending *batch_pending;
