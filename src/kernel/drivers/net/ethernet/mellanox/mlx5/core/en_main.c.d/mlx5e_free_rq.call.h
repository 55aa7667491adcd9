	mlx5e_rx_pending_free(rq);
