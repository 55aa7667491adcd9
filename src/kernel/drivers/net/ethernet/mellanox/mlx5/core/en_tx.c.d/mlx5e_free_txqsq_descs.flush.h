	mlx5e_tx_defer_flush(sq, &defer, NULL, 0);
