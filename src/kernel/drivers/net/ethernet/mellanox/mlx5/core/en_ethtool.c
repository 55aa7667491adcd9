// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/* Piece of drivers/net/ethernet/mellanox/mlx5/core/en_ethtool.c, placed
 * after set_pflag_tx_port_ts() by MANIFEST.json; xsmmu-export drops this
 * header.
 */

/* The queues ask the DMA layer to batch their unmaps when they are
 * created: reopen them.
 */
static int set_pflag_batch_unmap(struct net_device *netdev, u32 flag,
				 bool enable)
{
	struct mlx5e_priv *priv = netdev_priv(netdev);
	struct mlx5e_params new_params;

	new_params = priv->channels.params;
	MLX5E_SET_PFLAG(&new_params, flag, enable);
	return mlx5e_safe_switch_params(priv, &new_params, NULL, NULL, true);
}

static int set_pflag_tx_batch_unmap(struct net_device *netdev, bool enable)
{
	return set_pflag_batch_unmap(netdev, MLX5E_PFLAG_TX_BATCH_UNMAP, enable);
}

static int set_pflag_rx_batch_unmap(struct net_device *netdev, bool enable)
{
	return set_pflag_batch_unmap(netdev, MLX5E_PFLAG_RX_BATCH_UNMAP, enable);
}
