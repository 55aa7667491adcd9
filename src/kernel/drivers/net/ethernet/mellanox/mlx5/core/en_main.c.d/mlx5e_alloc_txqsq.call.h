	if (MLX5E_GET_PFLAG(params, MLX5E_PFLAG_TX_BATCH_UNMAP) &&
	    dma_enable_no_sync_unmap(sq->pdev))
		set_bit(MLX5E_SQ_STATE_BATCH_UNMAP, &sq->state);
