	if (!xsk && MLX5E_GET_PFLAG(params, MLX5E_PFLAG_RX_BATCH_UNMAP))
		mlx5e_rx_pending_alloc(rq);

