/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The mlx5e driver's structures (shim of drivers/net/ethernet/mellanox/
 * mlx5/core/en.h), the members the TX and RX release paths touch, by
 * their 5.15 names, then the simulation's own. The patch's members are
 * spliced in from src/kernel.
 */
#ifndef XS_MLX5_EN_H
#define XS_MLX5_EN_H

#include <linux/bitops.h>
#include <linux/dma-mapping.h>
#include <linux/kernel.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <net/page_pool.h>

#define MLX5E_CACHE_UNIT	64
#define MLX5E_CACHE_SIZE	(4 * MLX5E_CACHE_UNIT)	/* 256 on 4K pages */
#define MLX5E_TX_CQ_POLL_BUDGET	128
#define MLX5E_SIM_MAX_SEGS	(1 + MAX_SKB_FRAGS)
#define MLX5E_SIM_MPWQE_PKTS	8

enum mlx5e_dma_map_type {
	MLX5E_DMA_MAP_SINGLE,
	MLX5E_DMA_MAP_PAGE
};

struct mlx5e_sq_dma {
	dma_addr_t addr;
	u32 size;
	enum mlx5e_dma_map_type type;
};

struct mlx5e_dma_info {
	dma_addr_t addr;
	struct page *page;
};

struct mlx5e_page_cache {
	u32 head;
	u32 tail;
	struct mlx5e_dma_info page_cache[MLX5E_CACHE_SIZE];
};

/*
 * A NAPI context (shim of the member the model needs). synchronize_net()
 * waits for the polls in progress; the model counts them here.
 */
struct napi_struct {
	unsigned int xs_poll_seq;	/* odd while a poll runs */
};

/* A completion queue entry: what the release paths read of mlx5_cqe64. */
struct mlx5_cqe64 {
	u16 wqe_counter;
	u8 op_own;
	u32 byte_cnt;
	u32 xs_pkt_id;		/* simulation: which packet (RX) */
};

#define MLX5_CQE_REQ_ERR	0xd

struct mlx5e_cq {
	struct mlx5_cqe64 *cqes;
	u32 size;		/* power of two */
	u32 pc;			/* written by the device */
	u32 cc;			/* consumed by the driver */
	struct napi_struct *napi;	/* the channel's NAPI context */
};

/* The next completion the device posted, or NULL (mlx5_cqwq_get_cqe). */
static inline struct mlx5_cqe64 *mlx5e_cq_next(struct mlx5e_cq *cq)
{
	if (cq->cc == cq->pc)
		return NULL;
	return &cq->cqes[cq->cc & (cq->size - 1)];
}

struct mlx5e_tx_wqe_info {
	struct sk_buff *skb;
	u32 num_bytes;
	u8 num_wqebbs;
	u8 num_dma;
	u8 num_fifo_pkts;
};

struct mlx5e_skb_fifo {
	struct sk_buff **fifo;
	u16 *pc;
	u16 *cc;
	u16 mask;
};

/* Simulation: what a send WQE's data segments tell the device. */
struct mlx5e_sim_wqe {
	u8 nsegs;
	struct {
		dma_addr_t addr;
		u32 len;
		u32 pkt_id;
		u32 pkt_off;	/* offset of this segment in its packet */
	} seg[MLX5E_SIM_MAX_SEGS];
};

enum {
	MLX5E_SQ_STATE_ENABLED,
	/* The patch's state bit (src/kernel), spliced in as the exporter does. */
#include <drivers/net/ethernet/mellanox/mlx5/core/en.h.d/sq_state.members.h>
};

/*
 * The netdev's private flags (ethtool --set-priv-flags), 5.15's macros:
 * the model has only the patch's flags.
 */
enum mlx5e_priv_flag {
#include <drivers/net/ethernet/mellanox/mlx5/core/en.h.d/mlx5e_priv_flag.members.h>
	MLX5E_NUM_PFLAGS, /* Keep last */
};

#define MLX5E_SET_PFLAG(params, pflag, enable)			\
	do {							\
		if (enable)					\
			(params)->pflags |= BIT(pflag);		\
		else						\
			(params)->pflags &= ~(BIT(pflag));	\
	} while (0)

#define MLX5E_GET_PFLAG(params, pflag) (!!((params)->pflags & (BIT(pflag))))

struct mlx5e_params {
	u32 pflags;
};

/*
 * The model's netdev has one set of channel parameters
 * (priv->channels.params), which every queue is created with.
 */
extern struct mlx5e_params mlx5e_sim_params;

struct mlx5e_sq_stats {
	u64 packets;
	u64 bytes;
	u64 dropped;
	u64 cqes;
	u64 wqe_err;
};

struct mlx5e_txqsq {
	/* dirtied by completion */
	u16 cc;
	u16 skb_fifo_cc;
	u32 dma_fifo_cc;
	struct mlx5e_cq cq;
	/* dirtied by xmit */
	u16 pc;
	u16 skb_fifo_pc;
	u32 dma_fifo_pc;
	u32 dma_fifo_mask;
	struct mlx5e_sq_stats *stats;
	struct {
		struct mlx5e_sq_dma *dma_fifo;
		struct mlx5e_skb_fifo skb_fifo;
		struct mlx5e_tx_wqe_info *wqe_info;
	} db;
	struct device *pdev;
	unsigned long state;
	/* Simulation. */
	u16 wq_sz;		/* WQEs, power of two */
	u16 hw_cc;		/* next WQE the device sends */
	struct mlx5e_sim_wqe *wqes;
	u16 mpwqe_pi;		/* open multi-packet WQE, or 0xffff */
	bool xs_mpwqe;		/* multi-packet WQEs for linear skbs */
	u32 fail_map_after;	/* inject a mapping error (0: never) */
};

/*
 * XDP_TX from the regular RQ (en/xdp.c): the received page itself is
 * sent back on the channel's XDP send queue, and released to the RQ
 * (mlx5e_page_release_dynamic(), recycling) by the XDP completion.
 */
enum mlx5e_xdp_xmit_mode {
	MLX5E_XDP_XMIT_MODE_FRAME,	/* XDP_REDIRECT: not modelled */
	MLX5E_XDP_XMIT_MODE_PAGE,	/* XDP_TX from the regular RQ */
};

struct mlx5e_rq;

struct mlx5e_xdp_info {
	enum mlx5e_xdp_xmit_mode mode;
	struct {
		struct mlx5e_rq *rq;
		struct mlx5e_dma_info di;
	} page;
};

/* Simulation: what an XDP send WQE tells the device. */
struct mlx5e_sim_xdp_wqe {
	dma_addr_t addr;
	u32 len;
	u32 pkt_id;
};

struct mlx5e_xdpsq_stats {
	u64 xmit;
	u64 full;
	u64 cqes;
};

struct mlx5e_xdpsq {
	/* dirtied by completion */
	u16 cc;
	struct mlx5e_cq cq;
	/* dirtied by xmit */
	u16 pc;
	struct {
		struct mlx5e_xdp_info *xdpi;	/* one per WQE here */
	} db;
	struct mlx5e_xdpsq_stats *stats;
	struct device *pdev;
	unsigned long state;
	/* Simulation. */
	u16 wq_sz;		/* WQEs, power of two */
	u16 hw_cc;		/* next WQE the device sends */
	struct mlx5e_sim_xdp_wqe *wqes;
};

#define MLX5E_RQ_STATE_ENABLED	0

struct mlx5e_rq_stats {
	u64 packets;
	u64 bytes;
	u64 cache_reuse;
	u64 cache_full;
	u64 cache_empty;
	u64 cache_busy;
	u64 cache_waive;
	u64 buff_alloc_err;
	u64 xdp_tx;
	u64 xdp_drop;
	u64 recover;
};

struct mlx5e_rx_pending;

struct mlx5e_rq {
	struct {
		struct mlx5e_dma_info *di;	/* one page per WQE here */
	} wqe;
	struct {
		u8 map_dir;	/* enum dma_data_direction */
	} buff;
	struct mlx5e_rq_stats *stats;
	struct mlx5e_cq cq;
	struct mlx5e_page_cache page_cache;
	struct page_pool *page_pool;
	struct device *pdev;
	unsigned long state;
	struct mlx5e_xdpsq *xdpsq;	/* XDP_TX, when a program is set */
	/* The patch's member (src/kernel), spliced in as the exporter does. */
#include <drivers/net/ethernet/mellanox/mlx5/core/en.h.d/mlx5e_rq.members.h>
	/* Simulation: the cyclic receive queue. */
	u16 wq_sz;		/* power of two */
	u16 ci;			/* next WQE the driver completes */
	u16 head;		/* next WQE the device fills */
	u16 tail;		/* next WQE the driver posts */
	/*
	 * The XDP program's verdicts: XDP_TX for every xs_xdp_tx_every-th
	 * packet, XDP_PASS for the others (0: no program).
	 */
	u32 xs_xdp_tx_every;
	u32 xs_xdp_seen;
};

/* Entry points between the model's files (the kernel's en.h has them). */
void mlx5e_page_release_dynamic(struct mlx5e_rq *rq,
				struct mlx5e_dma_info *dma_info,
				bool recycle);
int mlx5e_poll_rx_cq(struct mlx5e_cq *cq, int budget);
bool mlx5e_post_rx_wqes(struct mlx5e_rq *rq);
void mlx5e_free_rx_descs(struct mlx5e_rq *rq);
bool mlx5e_poll_tx_cq(struct mlx5e_cq *cq, int napi_budget);
void mlx5e_free_txqsq_descs(struct mlx5e_txqsq *sq);
int mlx5e_xmit(struct mlx5e_txqsq *sq, struct sk_buff *skb, bool xmit_more);
void mlx5e_activate_rq(struct mlx5e_rq *rq);
void mlx5e_deactivate_rq(struct mlx5e_rq *rq);
int mlx5e_rx_reporter_err_rq_cqe_recover(struct mlx5e_rq *rq);
bool mlx5e_xdp_handle(struct mlx5e_rq *rq, struct mlx5e_dma_info *di,
		      u32 len, u32 pkt_id);
bool mlx5e_poll_xdpsq_cq(struct mlx5e_cq *cq);
void mlx5e_free_xdpsq_descs(struct mlx5e_xdpsq *sq);
/*
 * synchronize_net() for the model: returns once every NAPI poll of napi
 * that was running at the call has finished (later polls see the state
 * the caller changed before the call).
 */
void mlx5e_sim_synchronize_napi(struct napi_struct *napi);

/*
 * What the driver calls outside itself: the stack above and the device
 * model below (nic.c). Declared here, so that the driver files include
 * only en.h and the NIC model's sim.h includes en.h: one direction.
 */
/* Called by the driver model when it hands a received skb up. */
void mlx5e_sim_stack_rx(struct mlx5e_rq *rq, struct sk_buff *skb);

/* Queue life cycle (en_main.c). */
int mlx5e_alloc_txqsq(struct mlx5e_txqsq *sq, struct device *pdev, u16 wq_sz,
		      struct mlx5e_sq_stats *stats);
void mlx5e_free_txqsq(struct mlx5e_txqsq *sq);
void mlx5e_close_txqsq(struct mlx5e_txqsq *sq);
int mlx5e_alloc_rq(struct mlx5e_rq *rq, struct device *pdev, u16 wq_sz,
		   struct mlx5e_rq_stats *stats, struct mlx5e_xdpsq *xdpsq);
int mlx5e_alloc_xdpsq(struct mlx5e_xdpsq *sq, struct device *pdev,
		      u16 wq_sz, struct mlx5e_xdpsq_stats *stats);
void mlx5e_free_xdpsq(struct mlx5e_xdpsq *sq);
void mlx5e_close_xdpsq(struct mlx5e_xdpsq *sq);
/*
 * The device's side of the RX reporter's recovery: the RQ's state from
 * error back to ready (mlx5e_rq_to_ready()). The completions of the
 * packets the RQ held when it failed are gone with it.
 */
int mlx5e_sim_rq_to_ready(struct mlx5e_rq *rq);
void mlx5e_free_rq(struct mlx5e_rq *rq);
void mlx5e_close_rq(struct mlx5e_rq *rq);

/*
 * The patch's switches: the private flags tx_batch_unmap and
 * rx_batch_unmap of the model's one netdev (mlx5e_sim_params), read when
 * a queue is created. tx_policy: 0 tx_batch_unmap off, 2 on, 1 on and
 * the seed's policy (one sync per work item, a model-only comparison:
 * the patch syncs once per completion poll). Both return the old
 * setting. ethtool's side is mlx5e_sim_set_pflag() (sim.h).
 */
int mlx5e_sim_tx_policy(int policy);
bool mlx5e_sim_rx_batching(bool on);
/*
 * sizeof(struct mlx5e_rx_pending), the patch's per-RQ array, and of its
 * count and pages members.
 */
size_t mlx5e_sim_rx_pending_bytes(size_t *count, size_t *pages);
/* The next n RQ allocations fail at xdp_rxq_info_reg_mem_model(). */
extern unsigned int mlx5e_sim_fail_reg_mem_model;
#include <drivers/net/ethernet/mellanox/mlx5/core/en/txrx.h.d/rx_pending.decls.h>

#endif
