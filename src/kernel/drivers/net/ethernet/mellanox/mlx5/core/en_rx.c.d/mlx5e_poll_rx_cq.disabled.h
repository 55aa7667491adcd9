	if (unlikely(!test_bit(MLX5E_RQ_STATE_ENABLED, &rq->state))) {
		/* XDP completions may have parked pages while it is off */
		mlx5e_rx_pending_flush(rq, true);
		return 0;
	}
