	mlx5e_rx_pending_flush(rq, true);
