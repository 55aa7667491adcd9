		mlx5e_rx_pending_alloc(rq);
