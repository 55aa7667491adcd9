	mlx5e_tx_defer_init(&defer, true);
