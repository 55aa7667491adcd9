/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The NIC model around the mlx5e driver paths: a channel (one send queue,
 * one receive queue, one NAPI context) on a simulated PCI function, the
 * device's side of both queues (it reads what it sends and writes what it
 * receives through the IOMMU model, and posts completions), and the
 * network stack's side (it sends skbs and consumes received ones later).
 * Every byte is checked (F1): packets carry a pattern derived from their
 * id, so whatever the device read or the stack received is compared with
 * what it must be.
 */
#ifndef XS_MLX5_SIM_H
#define XS_MLX5_SIM_H

#include "en.h"

/*
 * A descriptor ring in coherent memory: mapped once for the life of the
 * queue and touched by the device on every work item, so its IOTLB
 * entries are the hot ones a domain-wide flush throws away.
 */
enum mlx5e_sim_ring {
	SIM_RING_SQ,		/* send WQEs, 64 B each */
	SIM_RING_TXCQ,		/* TX completions, 64 B each */
	SIM_RING_RQ,		/* receive descriptors, 16 B each */
	SIM_RING_RXCQ,		/* RX completions, 64 B each */
	SIM_RING__COUNT
};

#define SIM_RING_PAGES	4
#define MLX5E_SIM_RX_SEEN	1024	/* receive buffers the device remembers */

struct mlx5e_sim_ringmem {
	struct page *page[SIM_RING_PAGES];
	dma_addr_t addr[SIM_RING_PAGES];
	u32 stride;
};

struct mlx5e_sim_channel_config {
	u16 sq_size;		/* WQEs, power of two */
	u16 rq_size;		/* WQEs, power of two */
	u32 stack_size;		/* received skbs the stack may hold */
	bool mpwqe;		/* multi-packet WQEs for linear skbs */
	u32 ack_every;		/* see struct mlx5e_sim_channel */
	/*
	 * An XDP program that sends every xdp_tx_every-th received packet
	 * back out (XDP_TX) and passes the others (0: no program).
	 */
	u32 xdp_tx_every;
};

struct mlx5e_sim_channel {
	struct device *pdev;
	struct mlx5e_sim_channel_config cfg;	/* as opened */
	struct mlx5e_sim_ringmem ring[SIM_RING__COUNT];
	struct mlx5e_txqsq sq;
	struct mlx5e_rq rq;
	struct mlx5e_xdpsq xdpsq;	/* with an XDP program */
	struct mlx5e_sq_stats sq_stats;
	struct mlx5e_rq_stats rq_stats;
	struct mlx5e_xdpsq_stats xdpsq_stats;
	struct napi_struct napi;
	bool open;
	u32 next_tx_pkt;
	u32 next_rx_pkt;
	u32 tx_linear;		/* bytes of a sent packet in the linear part */
	/* Received skbs held by the stack, oldest first, with arrival time. */
	struct sk_buff **stack;
	u64 *stack_time;
	u32 stack_size, stack_head, stack_count;
	/* The malicious device: every IOVA page it was ever given. */
	dma_addr_t *seen;
	u32 seen_size, seen_count, seen_next, probe_next;
	u64 mal_accesses;
	u64 mal_successes;
	/* ... and the receive buffers it was given, for stale writes. */
	dma_addr_t rx_seen[MLX5E_SIM_RX_SEEN];
	u32 rx_seen_count, rx_seen_next, write_next;
	u64 stale_writes;		/* writes through taken-back IOVAs */
	u64 stale_write_successes;	/* ... that the IOMMU let through */
	/*
	 * The stack answers every ack_every-th received packet with a send
	 * from inside the RX poll (0: never), as TCP does when GRO hands it
	 * segments during mlx5e_poll_rx_cq(): the ACK is mapped after that
	 * poll's earlier page releases and before its flush.
	 */
	u32 ack_every;
	u32 rx_since_ack;
	u64 acks_sent, acks_dropped;
	/*
	 * The device's RQ state: in error from the error completion that
	 * starts a recovery until mlx5e_rq_to_ready(); it receives nothing
	 * then. rx_busy counts the device's receives in progress, so the
	 * error is only reported once none is (the threaded mode).
	 */
	int rq_err;
	int rx_busy;
	u64 rx_dropped_recover;	/* completions lost with a failed RQ */
	/* Device statistics. */
	u64 tx_wqes_sent;
	u64 xdp_wqes_sent;
	u64 tx_bytes_read;
	u64 rx_dropped_no_wqe;
	u64 dma_faults;
};

/* Bytes of the stack's ACK (Ethernet, IPv4, TCP with timestamps). */
#define MLX5E_SIM_ACK_LEN	66

void mlx5e_sim_channel_default(struct mlx5e_sim_channel_config *cfg);
int mlx5e_sim_channel_open(struct mlx5e_sim_channel *ch, struct device *pdev,
			   const struct mlx5e_sim_channel_config *cfg);
/* The driver's close order: SQ descs, RQ descs, RQ (cache, pool). */
void mlx5e_sim_channel_close(struct mlx5e_sim_channel *ch);
/*
 * Close and open again on the same function, with the configuration of
 * the last open: the driver's queues are new, the device is not, and the
 * malicious device still remembers the addresses it was given before (a
 * stale DMA may follow a reopen).
 * Returns 0, or -ENOMEM with the channel closed.
 */
int mlx5e_sim_channel_reopen(struct mlx5e_sim_channel *ch);

/*
 * mlx5e_napi_poll(): TX completions, XDP completions, RX completions, RX
 * refill.
 */
int mlx5e_sim_napi_poll(struct mlx5e_sim_channel *ch, int budget);

/*
 * The second releaser: an error completion moves the RQ to the error
 * state (the device stops receiving into it) and the RX reporter's
 * recovery runs on the calling CPU (process context: a work item),
 * while the channel's NAPI may be polling on its own CPU. Returns 0 or
 * the recovery's error.
 */
int mlx5e_sim_rq_recover(struct mlx5e_sim_channel *ch);
/*
 * Sets the channel's XDP program (XDP_TX every n-th packet; 0: none).
 * Attaching or removing a program reopens the channel, as 5.15 resets
 * the channels then (the RQ's mapping direction changes); changing the
 * rate of an attached one does not. Returns 0, or -ENOMEM with the
 * channel closed.
 */
int mlx5e_sim_set_xdp(struct mlx5e_sim_channel *ch, u32 xdp_tx_every);
/*
 * The device sends up to n queued XDP frames (reading each through the
 * IOMMU, checked as F1) and posts a completion for each.
 */
unsigned int mlx5e_sim_nic_xdp_tx(struct mlx5e_sim_channel *ch,
				  unsigned int n);

/*
 * The stack sends a packet of len bytes (linear up to 1500, the rest in
 * page fragments). Returns 0, or -EBUSY when the send queue is full (the
 * packet is not sent and nothing is kept).
 */
int mlx5e_sim_send(struct mlx5e_sim_channel *ch, u32 len, bool xmit_more,
		   bool hw_tstamp);
/* The device sends up to n posted WQEs, one completion every cqe_every. */
unsigned int mlx5e_sim_nic_tx(struct mlx5e_sim_channel *ch, unsigned int n,
			      unsigned int cqe_every);
/* The device receives n packets of len bytes into posted WQEs. */
unsigned int mlx5e_sim_nic_rx(struct mlx5e_sim_channel *ch, unsigned int n,
			      u32 len);
/* The stack consumes (checks and frees) its n oldest received skbs. */
void mlx5e_sim_stack_consume(struct mlx5e_sim_channel *ch, unsigned int n);
/* ... those that arrived at or before virtual time t. */
void mlx5e_sim_stack_consume_before(struct mlx5e_sim_channel *ch, u64 t);
/*
 * The malicious device: besides its work it reads n IOVA pages it was
 * given at some point, whatever became of them. Returns the reads that
 * the IOMMU let through.
 */
unsigned int mlx5e_sim_malicious(struct mlx5e_sim_channel *ch, unsigned int n);
/*
 * The malicious device writes (a stale DMA): up to n times, 64 bytes at
 * the start of a receive buffer it was given, once the driver has
 * unmapped every mapping in that IOVA page. (Send buffers are mapped
 * DMA_TO_DEVICE, read-only for the device: a write there faults in every
 * translated mode, so it would prove nothing.) Protected modes must fault every one of
 * them; where one lands in a page that changed owner, the new owner's
 * bytes are wrong and F1 reports it when they are read (RX: the stack
 * consumes the skb; TX: the device sends it). Returns the writes that
 * the IOMMU let through.
 */
unsigned int mlx5e_sim_stale_write(struct mlx5e_sim_channel *ch,
				   unsigned int n);

/* The byte at offset off of packet id (the traffic pattern). */
static inline u8 mlx5e_sim_pattern(u32 id, u32 off)
{
	return (u8)(id * 131u + off * 7u + (off >> 8));
}

/*
 * ethtool --set-priv-flags on the model's netdev: sets a flag and
 * reopens the open channels of chs[0..n), as mlx5e_safe_switch_params()
 * does. Returns 0, or the error of a reopen.
 */
int mlx5e_sim_set_pflag(struct mlx5e_sim_channel *chs, unsigned int n,
			enum mlx5e_priv_flag flag, bool enable);

/*
 * The machine's topology for the NIC: one PCI function behind each of
 * nr_units VT-d units, all in function 0's DMA domain, so the domain is
 * attached to every unit (5.15's Intel driver keeps one domain id per
 * unit it is attached to, and every flush loops over those units). A
 * channel on function u reaches memory through unit u only: its
 * translations are cached in unit u's IOTLB and paging-structure caches.
 *
 * Domain ids are handed out per unit, the first free one first. Before
 * function u joins, unit u gets u other devices (assigned to guests, in
 * unmanaged domains of their own), so the shared domain has id u + 1 on
 * unit u: a different id on every unit, and a flush that used another
 * unit's id there would hit one of those other domains instead.
 * In pass-through (IOMMU_DOMAIN_IDENTITY) every device is in the
 * identity domain and nothing is shared.
 */
#define MLX5E_SIM_MAX_UNITS	4
#define MLX5E_SIM_MAX_OTHER	6	/* 1 + 2 + 3: u behind unit u */

struct mlx5e_sim_topology {
	unsigned int nr_units;
	struct device *fn[MLX5E_SIM_MAX_UNITS];	/* function u, unit u */
	/* The other devices, u of them behind unit u. */
	struct device *other[MLX5E_SIM_MAX_OTHER];
	unsigned int nr_other;
};

/*
 * Builds it in the current world (which has at least nr_units units).
 * domain_type as for xs_device_create(). Returns 0, or -ENODEV with
 * nothing left behind.
 */
int mlx5e_sim_topology_create(struct mlx5e_sim_topology *t,
			      unsigned int nr_units, unsigned int domain_type);
/* Destroys the devices (the shared domain goes with function 0). */
void mlx5e_sim_topology_destroy(struct mlx5e_sim_topology *t);

#endif
