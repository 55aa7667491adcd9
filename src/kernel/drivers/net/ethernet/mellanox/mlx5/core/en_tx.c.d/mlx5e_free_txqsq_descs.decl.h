	struct mlx5e_tx_defer defer;
