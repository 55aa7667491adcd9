void mlx5e_rx_pending_alloc(struct mlx5e_rq *rq);
void mlx5e_rx_pending_flush(struct mlx5e_rq *rq, bool napi);
void mlx5e_rx_pending_free(struct mlx5e_rq *rq);
