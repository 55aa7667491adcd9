	/* xsmmu: RX pages unmapped without sync, released after the sync */
	struct mlx5e_rx_pending *xsmmu_pending;
