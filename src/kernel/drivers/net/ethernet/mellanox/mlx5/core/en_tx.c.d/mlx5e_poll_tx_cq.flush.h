	mlx5e_tx_defer_flush(sq, &defer, cqe, napi_budget);
