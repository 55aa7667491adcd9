// SPDX-License-Identifier: GPL-2.0
/*
 * The NIC model and the stack around the mlx5e driver paths (see sim.h).
 */
#include <linux/slab.h>
#include <linux/smp.h>
#include <xsmmu/kworld.h>
#include <xsmmu/mutant.h>
#include <xsmmu/oracle.h>
#include <xsmmu/sched.h>

#include "sim.h"

#define SIM_LINEAR_MAX	1500

void mlx5e_sim_channel_default(struct mlx5e_sim_channel_config *cfg)
{
	cfg->sq_size = 256;
	cfg->rq_size = 256;
	cfg->stack_size = 512;
	cfg->mpwqe = false;
	cfg->ack_every = 0;
	cfg->xdp_tx_every = 0;
}

static const u32 ring_stride[SIM_RING__COUNT] = {
	[SIM_RING_SQ] = 64, [SIM_RING_TXCQ] = 64, [SIM_RING_RQ] = 16,
	[SIM_RING_RXCQ] = 64,
};

static void rings_free(struct mlx5e_sim_channel *ch)
{
	unsigned int r, i;

	for (r = 0; r < SIM_RING__COUNT; r++) {
		for (i = 0; i < SIM_RING_PAGES; i++) {
			struct mlx5e_sim_ringmem *rm = &ch->ring[r];

			if (!rm->page[i])
				continue;
			if (rm->addr[i])
				dma_unmap_page(ch->pdev, rm->addr[i], PAGE_SIZE,
					       DMA_BIDIRECTIONAL);
			__free_page(rm->page[i]);
			rm->page[i] = NULL;
			rm->addr[i] = 0;
		}
	}
}

static int rings_alloc(struct mlx5e_sim_channel *ch)
{
	unsigned int r, i;

	for (r = 0; r < SIM_RING__COUNT; r++) {
		struct mlx5e_sim_ringmem *rm = &ch->ring[r];

		rm->stride = ring_stride[r];
		for (i = 0; i < SIM_RING_PAGES; i++) {
			rm->page[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
			if (!rm->page[i])
				goto err;
			xs_page_set_owner(rm->page[i], "mlx5 ring");
			rm->addr[i] = dma_map_page(ch->pdev, rm->page[i], 0,
						   PAGE_SIZE,
						   DMA_BIDIRECTIONAL);
			if (dma_mapping_error(ch->pdev, rm->addr[i])) {
				rm->addr[i] = 0;
				goto err;
			}
		}
	}
	return 0;
err:
	rings_free(ch);
	return -ENOMEM;
}

/* The device reads or writes entry idx of a ring. */
static void ring_access(struct mlx5e_sim_channel *ch, enum mlx5e_sim_ring r,
			u32 idx, bool write)
{
	struct mlx5e_sim_ringmem *rm = &ch->ring[r];
	u32 per_page = PAGE_SIZE / rm->stride;
	u32 slot = idx % (per_page * SIM_RING_PAGES);
	u8 buf[64] = { 0 };

	if (xs_device_dma(ch->pdev, rm->addr[slot / per_page] +
			  (slot % per_page) * rm->stride, buf, rm->stride,
			  write))
		ch->dma_faults++;
}

int mlx5e_sim_channel_open(struct mlx5e_sim_channel *ch, struct device *pdev,
			   const struct mlx5e_sim_channel_config *cfg)
{
	memset(ch, 0, sizeof(*ch));
	ch->pdev = pdev;
	ch->cfg = *cfg;
	ch->stack_size = cfg->stack_size ? cfg->stack_size : 1;
	ch->tx_linear = SIM_LINEAR_MAX;
	ch->stack = kcalloc(ch->stack_size, sizeof(*ch->stack), GFP_KERNEL);
	ch->stack_time = kcalloc(ch->stack_size, sizeof(u64), GFP_KERNEL);
	ch->seen_size = 4096;
	ch->seen = kcalloc(ch->seen_size, sizeof(*ch->seen), GFP_KERNEL);
	if (!ch->stack || !ch->stack_time || !ch->seen || rings_alloc(ch))
		goto err_stack;
	if (mlx5e_alloc_txqsq(&ch->sq, pdev, cfg->sq_size, &ch->sq_stats))
		goto err_stack;
	ch->sq.xs_mpwqe = cfg->mpwqe;
	ch->sq.cq.napi = &ch->napi;
	ch->ack_every = cfg->ack_every;
	if (cfg->xdp_tx_every) {
		if (mlx5e_alloc_xdpsq(&ch->xdpsq, pdev, cfg->rq_size,
				      &ch->xdpsq_stats))
			goto err_sq;
		ch->xdpsq.cq.napi = &ch->napi;
	}
	if (mlx5e_alloc_rq(&ch->rq, pdev, cfg->rq_size, &ch->rq_stats,
			   cfg->xdp_tx_every ? &ch->xdpsq : NULL))
		goto err_xdpsq;
	ch->rq.cq.napi = &ch->napi;
	ch->rq.xs_xdp_tx_every = cfg->xdp_tx_every;
	mlx5e_post_rx_wqes(&ch->rq);
	ch->open = true;
	return 0;
err_xdpsq:
	if (cfg->xdp_tx_every)
		mlx5e_free_xdpsq(&ch->xdpsq);
err_sq:
	mlx5e_free_txqsq(&ch->sq);
err_stack:
	rings_free(ch);
	kfree(ch->stack);
	kfree(ch->stack_time);
	kfree(ch->seen);
	return -ENOMEM;
}

void mlx5e_sim_channel_close(struct mlx5e_sim_channel *ch)
{
	if (!ch->open)
		return;
	xs_process_context_enter();	/* ndo_stop, or a reset */
	mlx5e_close_txqsq(&ch->sq);
	if (ch->rq.xdpsq)
		mlx5e_close_xdpsq(&ch->xdpsq);	/* pages go to the RQ */
	mlx5e_close_rq(&ch->rq);
	mlx5e_sim_stack_consume(ch, ch->stack_count);
	rings_free(ch);
	kfree(ch->stack);
	kfree(ch->stack_time);
	kfree(ch->seen);
	ch->open = false;
	xs_process_context_exit();
}

int mlx5e_sim_channel_reopen(struct mlx5e_sim_channel *ch)
{
	struct mlx5e_sim_channel *old = kmalloc(sizeof(*old), GFP_KERNEL);
	dma_addr_t *seen = kcalloc(ch->seen_size, sizeof(*seen), GFP_KERNEL);
	int err = -ENOMEM;

	if (old && seen) {
		*old = *ch;
		memcpy(seen, ch->seen, ch->seen_size * sizeof(*seen));
	}
	mlx5e_sim_channel_close(ch);
	if (old && seen)
		err = mlx5e_sim_channel_open(ch, old->pdev, &old->cfg);
	if (!err) {
		/* What the device remembers, as it was before the close. */
		memcpy(ch->seen, seen, ch->seen_size * sizeof(*seen));
		ch->seen_count = old->seen_count;
		ch->seen_next = old->seen_next;
		ch->probe_next = old->probe_next;
		memcpy(ch->rx_seen, old->rx_seen, sizeof(ch->rx_seen));
		ch->rx_seen_count = old->rx_seen_count;
		ch->rx_seen_next = old->rx_seen_next;
		ch->write_next = old->write_next;
	}
	kfree(seen);
	kfree(old);
	return err;
}

int mlx5e_sim_set_xdp(struct mlx5e_sim_channel *ch, u32 xdp_tx_every)
{
	bool had = ch->cfg.xdp_tx_every;

	ch->cfg.xdp_tx_every = xdp_tx_every;
	if (had == !!xdp_tx_every) {
		/* A new program on the running queues. */
		ch->rq.xs_xdp_tx_every = xdp_tx_every;
		return 0;
	}
	return mlx5e_sim_channel_reopen(ch);
}

/*
 * A poll is an RCU read-side section (softirq): synchronize_net() waits
 * for the ones in progress. The count goes odd at the start, even at the
 * end. The waiter reads it with a read-modify-write too: all of them are
 * ordered, so either the waiter's comes first and the poll that starts
 * after it sees the RQ state the waiter changed before (acquire from the
 * waiter's release), or the poll's does and the waiter sees it running.
 */
static void napi_poll_begin(struct napi_struct *napi)
{
	__atomic_add_fetch(&napi->xs_poll_seq, 1, __ATOMIC_ACQ_REL);
}

static void napi_poll_end(struct napi_struct *napi)
{
	__atomic_add_fetch(&napi->xs_poll_seq, 1, __ATOMIC_RELEASE);
}

void mlx5e_sim_synchronize_napi(struct napi_struct *napi)
{
	unsigned int seq;

	seq = __atomic_fetch_add(&napi->xs_poll_seq, 0, __ATOMIC_ACQ_REL);
	if (!(seq & 1))
		return;
	while (__atomic_load_n(&napi->xs_poll_seq, __ATOMIC_ACQUIRE) == seq)
		xs_cpu_spin_wait();
}

int mlx5e_sim_napi_poll(struct mlx5e_sim_channel *ch, int budget)
{
	int work_done;

	napi_poll_begin(&ch->napi);
	mlx5e_poll_tx_cq(&ch->sq.cq, budget);
	if (ch->rq.xdpsq)
		mlx5e_poll_xdpsq_cq(&ch->xdpsq.cq);
	work_done = 0;
	/* budget 0 (netpoll): completions only, no RX (5.15's order) */
	if (likely(budget)) {
		work_done = mlx5e_poll_rx_cq(&ch->rq.cq, budget);
		mlx5e_post_rx_wqes(&ch->rq);
	}
	napi_poll_end(&ch->napi);
	return work_done;
}

int mlx5e_sim_rq_recover(struct mlx5e_sim_channel *ch)
{
	int err;

	/*
	 * The error completion: the device stops receiving into the RQ
	 * (any receive in progress finishes first). Read-modify-writes of
	 * rx_busy on both sides, as for the NAPI count.
	 */
	__atomic_store_n(&ch->rq_err, 1, __ATOMIC_RELEASE);
	while (__atomic_fetch_add(&ch->rx_busy, 0, __ATOMIC_ACQ_REL))
		xs_cpu_spin_wait();
	xs_process_context_enter();	/* the reporter's work item */
	err = mlx5e_rx_reporter_err_rq_cqe_recover(&ch->rq);
	xs_process_context_exit();
	return err;
}

int mlx5e_sim_rq_to_ready(struct mlx5e_rq *rq)
{
	struct mlx5e_sim_channel *ch =
		container_of(rq, struct mlx5e_sim_channel, rq);

	/* Reset, then ready: what the failed RQ had completed is gone. */
	ch->rx_dropped_recover += rq->cq.pc - rq->cq.cc;
	rq->cq.cc = rq->cq.pc;
	rq->head = rq->ci;
	__atomic_store_n(&ch->rq_err, 0, __ATOMIC_RELEASE);
	return 0;
}

/*
 * The pattern without its per-packet base: byte j of any packet is
 * pattern_span[j] + (u8)(id * 131). Filled once, so that generating a
 * packet's bytes is one vector add per 16 bytes instead of arithmetic on
 * every byte: payload generation and checking dominated the simulator's
 * time (4 passes over every byte of every packet).
 */
#define PATTERN_SPAN (65536 + PAGE_SIZE)
static u8 pattern_span[PATTERN_SPAN];

__attribute__((constructor)) static void pattern_span_init(void)
{
	u32 j;

	for (j = 0; j < PATTERN_SPAN; j++)
		pattern_span[j] = mlx5e_sim_pattern(0, j);
}

typedef u8 pattern_vec __attribute__((vector_size(16)));

/* p[i] = mlx5e_sim_pattern(id, off + i) for i < len */
static void fill_pattern(u8 *p, u32 id, u32 off, u32 len)
{
	const u8 *src = pattern_span + off;
	u8 base = (u8)(id * 131u);
	pattern_vec v;
	u32 i;

	if (WARN_ON((u64)off + len > PATTERN_SPAN))
		return;
	for (i = 0; i + sizeof(v) <= len; i += sizeof(v)) {
		memcpy(&v, src + i, sizeof(v));
		v += base;
		memcpy(p + i, &v, sizeof(v));
	}
	for (; i < len; i++)
		p[i] = (u8)(src[i] + base);
}

/*
 * Whether got holds packet id's bytes from off: one pass, no expected
 * copy. Only a mismatch builds the expected bytes for the oracle's F1
 * report (which names the first wrong byte).
 */
static bool pattern_matches(const u8 *got, u32 id, u32 off, u32 len)
{
	const u8 *src = pattern_span + off;
	u8 base = (u8)(id * 131u);
	pattern_vec g, p, diff = { 0 };
	u64 w[2];
	u32 i;

	if (WARN_ON((u64)off + len > PATTERN_SPAN))
		return false;
	for (i = 0; i + sizeof(g) <= len; i += sizeof(g)) {
		memcpy(&g, got + i, sizeof(g));
		memcpy(&p, src + i, sizeof(p));
		diff |= (g - p) ^ base;
	}
	memcpy(w, &diff, sizeof(w));
	if (w[0] | w[1])
		return false;
	for (; i < len; i++)
		if (got[i] != (u8)(src[i] + base))
			return false;
	return true;
}

/*
 * F1: the bytes handed over (to the stack on RX, to the wire on TX) are
 * packet id's from offset off. Every byte of every packet passes here.
 */
static void check_pattern(const char *what, const u8 *got, u32 id, u32 off,
			  u32 len, u64 iova)
{
	static __thread u8 expect[PAGE_SIZE];

#if XSMMU_MUTANT == XSMMU_MUTANT_F1_CHECK_OFF
	/* Mutant: the pipeline's data check passes whatever arrived. */
	return;
#endif
	if (pattern_matches(got, id, off, len))
		return;
	fill_pattern(expect, id, off, len);
	xs_oracle_check_data(xs_kw->oracle, what, expect, got, len, iova);
}

int mlx5e_sim_send(struct mlx5e_sim_channel *ch, u32 len, bool xmit_more,
		   bool hw_tstamp)
{
	u32 headlen = min_t(u32, len, ch->tx_linear), off, id;
	struct sk_buff *skb = alloc_skb(headlen, GFP_ATOMIC);
	int i = 0, err;

	if (!skb)
		return -ENOMEM;
	id = ch->next_tx_pkt++;
	skb->xs_pkt_id = id;
	fill_pattern(skb_put(skb, headlen), id, 0, headlen);
	for (off = headlen; off < len && i < (int)MAX_SKB_FRAGS; i++) {
		u32 n = min_t(u32, len - off, PAGE_SIZE);
		struct page *page = alloc_page(GFP_ATOMIC);

		if (!page) {
			kfree_skb(skb);
			return -ENOMEM;
		}
		xs_page_set_owner(page, "skb fragment");
		fill_pattern(page_address(page), id, off, n);
		skb_add_rx_frag(skb, i, page, 0, n, PAGE_SIZE);
		off += n;
	}
	if (hw_tstamp)
		skb_shinfo(skb)->tx_flags |= SKBTX_HW_TSTAMP;
	err = mlx5e_xmit(&ch->sq, skb, xmit_more);
	if (err) {
		kfree_skb(skb);
		ch->next_tx_pkt--;
	}
	return err;
}

static void post_cqe(struct mlx5e_cq *cq, u16 wqe_counter, u32 byte_cnt,
		     u32 pkt_id)
{
	struct mlx5_cqe64 *cqe = &cq->cqes[cq->pc & (cq->size - 1)];

	WARN_ON(cq->pc - cq->cc >= cq->size);
	cqe->wqe_counter = wqe_counter;
	cqe->op_own = 0;
	cqe->byte_cnt = byte_cnt;
	cqe->xs_pkt_id = pkt_id;
	cq->pc++;
}

/* The device remembers every IOVA page it is given (malicious mode). */
static void remember(struct mlx5e_sim_channel *ch, dma_addr_t addr)
{
	dma_addr_t page = addr & PAGE_MASK;
	u32 i;

	/* A cheap filter: skip pages seen in the last few entries. */
	for (i = 1; i <= 8 && i <= ch->seen_count; i++)
		if (ch->seen[(ch->seen_next - i) % ch->seen_size] == page)
			return;
	ch->seen[ch->seen_next] = page;
	ch->seen_next = (ch->seen_next + 1) % ch->seen_size;
	if (ch->seen_count < ch->seen_size)
		ch->seen_count++;
}

/* ... and, apart, every receive buffer (where it would write). */
static void remember_rx(struct mlx5e_sim_channel *ch, dma_addr_t addr)
{
	u32 i;

	for (i = 1; i <= 8 && i <= ch->rx_seen_count; i++)
		if (ch->rx_seen[(ch->rx_seen_next - i) %
				MLX5E_SIM_RX_SEEN] == addr)
			return;
	ch->rx_seen[ch->rx_seen_next] = addr;
	ch->rx_seen_next = (ch->rx_seen_next + 1) % MLX5E_SIM_RX_SEEN;
	if (ch->rx_seen_count < MLX5E_SIM_RX_SEEN)
		ch->rx_seen_count++;
}

unsigned int mlx5e_sim_malicious(struct mlx5e_sim_channel *ch, unsigned int n)
{
	u8 buf[64];
	unsigned int ok = 0;

	while (n-- && ch->seen_count) {
		dma_addr_t addr = ch->seen[ch->probe_next % ch->seen_count];

		ch->probe_next++;
		ch->mal_accesses++;
		if (!xs_device_dma(ch->pdev, addr, buf, sizeof(buf), false))
			ok++;
	}
	ch->mal_successes += ok;
	return ok;
}

/*
 * What a stale write puts down: a run of one byte value. Two consecutive
 * bytes of the traffic pattern always differ (by 7, or 8 across a 256-byte
 * boundary), so at most one byte of the run can equal what any packet
 * holds there: a run that reaches a packet's bytes is always seen by F1.
 * The low two bits are clear so that a page-table page it reaches reads
 * as non-present entries, never as pointers the model would follow.
 */
#define SIM_STALE_BYTE	0xa4
#define SIM_STALE_LEN	64

unsigned int mlx5e_sim_stale_write(struct mlx5e_sim_channel *ch,
				   unsigned int n)
{
	u8 buf[SIM_STALE_LEN];
	unsigned int ok = 0, probes = 4 * n;

	memset(buf, SIM_STALE_BYTE, sizeof(buf));
	while (n && probes-- && ch->rx_seen_count) {
		dma_addr_t addr = ch->rx_seen[ch->write_next %
					      ch->rx_seen_count];
		u32 len = min_t(u32, sizeof(buf),
				PAGE_SIZE - (addr & ~PAGE_MASK));

		ch->write_next++;
		/* Only an IOVA page the driver has taken back is stale. */
		if (xs_device_iova_page_live(ch->pdev, addr))
			continue;
		n--;
		ch->stale_writes++;
		if (!xs_device_dma(ch->pdev, addr, buf, len, true))
			ok++;
	}
	ch->stale_write_successes += ok;
	return ok;
}

/* The device reads a segment and checks it is the packet's bytes (F1). */
static void tx_read_segment(struct mlx5e_sim_channel *ch,
			    const struct mlx5e_sim_wqe *wqe, unsigned int s)
{
	static __thread u8 got[PAGE_SIZE];
	u32 len = wqe->seg[s].len;

	if (WARN_ON(len > PAGE_SIZE))
		return;
	remember(ch, wqe->seg[s].addr);
	if (xs_device_dma(ch->pdev, wqe->seg[s].addr, got, len, false)) {
		ch->dma_faults++;
		return;
	}
	check_pattern("transmitted bytes", got, wqe->seg[s].pkt_id,
		      wqe->seg[s].pkt_off, len, wqe->seg[s].addr);
	ch->tx_bytes_read += len;
}

unsigned int mlx5e_sim_nic_tx(struct mlx5e_sim_channel *ch, unsigned int n,
			      unsigned int cqe_every)
{
	struct mlx5e_txqsq *sq = &ch->sq;
	unsigned int sent = 0, s;

	if (!cqe_every)
		cqe_every = 1;
	while (sent < n && sq->hw_cc != sq->pc) {
		const struct mlx5e_sim_wqe *wqe =
			&sq->wqes[sq->hw_cc & (sq->wq_sz - 1)];

		ring_access(ch, SIM_RING_SQ, sq->hw_cc, false);
		for (s = 0; s < wqe->nsegs; s++)
			tx_read_segment(ch, wqe, s);
		sq->hw_cc++;
		sent++;
		if (sent % cqe_every == 0 || sent == n ||
		    sq->hw_cc == sq->pc) {
			ring_access(ch, SIM_RING_TXCQ, sq->cq.pc, true);
			post_cqe(&sq->cq, (u16)(sq->hw_cc - 1), 0, 0);
		}
	}
	ch->tx_wqes_sent += sent;
	return sent;
}

unsigned int mlx5e_sim_nic_rx(struct mlx5e_sim_channel *ch, unsigned int n,
			      u32 len)
{
	static __thread u8 buf[PAGE_SIZE];
	struct mlx5e_rq *rq = &ch->rq;
	unsigned int got = 0;

	len = min_t(u32, len, PAGE_SIZE);
	/* No receive into an RQ in error (see mlx5e_sim_rq_recover()). */
	__atomic_add_fetch(&ch->rx_busy, 1, __ATOMIC_ACQ_REL);
	if (__atomic_load_n(&ch->rq_err, __ATOMIC_ACQUIRE))
		n = 0;
	while (got < n) {
		struct mlx5e_dma_info *di;
		u32 id;

		if (rq->head == rq->tail) {
			ch->rx_dropped_no_wqe += n - got;
			break;
		}
		di = &rq->wqe.di[rq->head & (rq->wq_sz - 1)];
		ring_access(ch, SIM_RING_RQ, rq->head, false);
		id = ch->next_rx_pkt++;
		fill_pattern(buf, id, 0, len);
		remember(ch, di->addr);
		remember_rx(ch, di->addr);
		if (xs_device_dma(ch->pdev, di->addr, buf, len, true))
			ch->dma_faults++;
		ring_access(ch, SIM_RING_RXCQ, rq->cq.pc, true);
		post_cqe(&rq->cq, rq->head, len, id);
		rq->head++;
		got++;
	}
	__atomic_sub_fetch(&ch->rx_busy, 1, __ATOMIC_RELEASE);
	return got;
}

unsigned int mlx5e_sim_nic_xdp_tx(struct mlx5e_sim_channel *ch,
				  unsigned int n)
{
	static __thread u8 got[PAGE_SIZE];
	struct mlx5e_xdpsq *sq = &ch->xdpsq;
	unsigned int sent = 0;

	if (!ch->rq.xdpsq)
		return 0;
	while (sent < n && sq->hw_cc != sq->pc) {
		const struct mlx5e_sim_xdp_wqe *wqe =
			&sq->wqes[sq->hw_cc & (sq->wq_sz - 1)];

		remember(ch, wqe->addr);
		if (xs_device_dma(ch->pdev, wqe->addr, got, wqe->len, false))
			ch->dma_faults++;
		else
			check_pattern("XDP transmitted bytes", got, wqe->pkt_id,
				      0, wqe->len, wqe->addr);
		post_cqe(&sq->cq, sq->hw_cc, 0, 0);
		sq->hw_cc++;
		sent++;
	}
	ch->xdp_wqes_sent += sent;
	return sent;
}

void mlx5e_sim_stack_rx(struct mlx5e_rq *rq, struct sk_buff *skb)
{
	struct mlx5e_sim_channel *ch =
		container_of(rq, struct mlx5e_sim_channel, rq);

	u32 slot;

	if (ch->stack_count == ch->stack_size)
		mlx5e_sim_stack_consume(ch, 1);
	slot = (ch->stack_head + ch->stack_count) % ch->stack_size;
	ch->stack[slot] = skb;
	ch->stack_time[slot] = xs_clock_now(&xs_kw->clock);
	ch->stack_count++;
	/*
	 * TCP answers on this CPU, inside the poll (napi_gro_receive() ->
	 * tcp_v4_rcv() -> dev_queue_xmit() -> mlx5e_xmit()); a full queue
	 * drops the ACK here (the qdisc would hold it: no mapping now).
	 */
	if (ch->ack_every && ++ch->rx_since_ack >= ch->ack_every) {
		ch->rx_since_ack = 0;
		if (mlx5e_sim_send(ch, MLX5E_SIM_ACK_LEN, false, false))
			ch->acks_dropped++;
		else
			ch->acks_sent++;
	}
}

/*
 * The application reads what arrived (F1): the linear part, then every
 * fragment, all of skb->len; then the skb is freed.
 */
static void stack_read(struct sk_buff *skb)
{
	u32 off = skb_headlen(skb), i;

	if (off)
		check_pattern("received bytes", skb->data, skb->xs_pkt_id, 0,
			      off, 0);
	for (i = 0; i < skb_shinfo(skb)->nr_frags; i++) {
		skb_frag_t *f = &skb_shinfo(skb)->frags[i];

		check_pattern("received bytes",
			      (u8 *)page_address(skb_frag_page(f)) +
			      skb_frag_off(f), skb->xs_pkt_id, off,
			      skb_frag_size(f), 0);
		off += skb_frag_size(f);
	}
	WARN_ON(off != skb->len);
}

void mlx5e_sim_stack_consume(struct mlx5e_sim_channel *ch, unsigned int n)
{
	while (n-- && ch->stack_count) {
		struct sk_buff *skb = ch->stack[ch->stack_head];

		ch->stack_head = (ch->stack_head + 1) % ch->stack_size;
		ch->stack_count--;
		stack_read(skb);
		kfree_skb(skb);
	}
}

void mlx5e_sim_stack_consume_before(struct mlx5e_sim_channel *ch, u64 t)
{
	while (ch->stack_count && ch->stack_time[ch->stack_head] <= t)
		mlx5e_sim_stack_consume(ch, 1);
}

int mlx5e_sim_set_pflag(struct mlx5e_sim_channel *chs, unsigned int n,
			enum mlx5e_priv_flag flag, bool enable)
{
	unsigned int i;
	int err = 0;

	if (MLX5E_GET_PFLAG(&mlx5e_sim_params, flag) == enable)
		return 0;
	MLX5E_SET_PFLAG(&mlx5e_sim_params, flag, enable);
	for (i = 0; i < n; i++)
		if (chs[i].open && mlx5e_sim_channel_reopen(&chs[i]))
			err = -ENOMEM;
	return err;
}
