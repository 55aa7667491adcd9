	{ "tx_batch_unmap",      set_pflag_tx_batch_unmap },
	{ "rx_batch_unmap",      set_pflag_rx_batch_unmap },
