// SPDX-License-Identifier: GPL-2.0
/*
 * The mode comparison (see include/xsmmu/run.h). A run builds a world
 * booted with the mode's command line, one mlx5 function behind VT-d
 * unit 0 with C channels sharing its DMA domain, each on its own
 * simulated CPU, and drives traffic in ticks of virtual time. Inside a
 * tick the channels' steps (stack sends, device sends, device receives,
 * NAPI poll, stack consumes, malicious reads) interleave in an order
 * drawn from the seed.
 */
#include <errno.h>
#include <pthread.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/intel-iommu.h>
#include <linux/smp.h>
#include <xsmmu/iova_age.h>
#include <xsmmu/kworld.h>
#include <xsmmu/rand.h>
#include <xsmmu/run.h>
#include <xsmmu/vtd.h>

#include "sim.h"

enum { TX_SYNC, TX_PER_WQE, TX_PER_POLL };

static const char *const mode_names[XS_MODE__COUNT] = {
	[XS_MODE_PASSTHROUGH] = "passthrough",
	[XS_MODE_STRICT] = "strict",
	[XS_MODE_LAZY] = "lazy",
	[XS_MODE_XSMMU_SEED] = "xsmmu-seed",
	[XS_MODE_XSMMU_POLL] = "xsmmu-poll",
	[XS_MODE_PSI_BATCH] = "psi-batch",
	[XS_MODE_ADAPTIVE] = "adaptive",
	[XS_MODE_COALESCE] = "coalesce",
};

const char *xs_mode_name(enum xs_mode m)
{
	return (unsigned int)m < XS_MODE__COUNT ? mode_names[m] : "?";
}

int xs_mode_lookup(const char *name)
{
	int i;

	for (i = 0; i < XS_MODE__COUNT; i++)
		if (!strcmp(name, mode_names[i]))
			return i;
	return -1;
}

bool xs_mode_unprotected(enum xs_mode m)
{
	return m == XS_MODE_PASSTHROUGH || m == XS_MODE_LAZY;
}

/* ---- profiles ---- */

const char *const xs_profile_names[] = { "mtu", "small", "tso", "mixed",
					 "tcp-rx", NULL };

static const struct xs_profile profiles[] = {
	{ .name = "mtu", .tx_len_min = 1514, .tx_len_max = 1514,
	  .tx_linear = 128, .rx_len_min = 1514, .rx_len_max = 1514,
	  .tx_per_tick = 16, .rx_per_tick = 16, .burst = 1,
	  .tick_ns = 20000, .stack_hold_ns = 50000, .napi_budget = 64,
	  .cqe_every = 8, .sq_size = 256, .rq_size = 256 },
	{ .name = "small", .tx_len_min = 64, .tx_len_max = 64,
	  .tx_linear = 64, .rx_len_min = 64, .rx_len_max = 64,
	  .tx_per_tick = 32, .rx_per_tick = 32, .burst = 1,
	  .tick_ns = 10000, .stack_hold_ns = 20000, .napi_budget = 64,
	  .cqe_every = 8, .sq_size = 256, .rq_size = 256, .mpwqe = true },
	{ .name = "tso", .tx_len_min = 65160, .tx_len_max = 65160,
	  .tx_linear = 128, .rx_len_min = 66, .rx_len_max = 66,
	  .tx_per_tick = 2, .rx_per_tick = 8, .burst = 1,
	  .tick_ns = 50000, .stack_hold_ns = 20000, .napi_budget = 64,
	  .cqe_every = 1, .sq_size = 256, .rq_size = 256 },
	{ .name = "mixed", .tx_len_min = 64, .tx_len_max = 9000,
	  .tx_linear = 256, .rx_len_min = 64, .rx_len_max = 1514,
	  .tx_per_tick = 16, .rx_per_tick = 16, .burst = 2,
	  .tick_ns = 20000, .stack_hold_ns = 100000, .napi_budget = 64,
	  .cqe_every = 4, .tstamp_every = 97, .sq_size = 256,
	  .rq_size = 256, .mpwqe = true },
	/*
	 * A TCP receiver: full-size segments in, a delayed ACK out per two,
	 * sent from inside the RX poll as GRO hands TCP the segments. The
	 * application reads 1 ms late, so the stack holds more pages than
	 * the RX page cache takes and pages leave through the no-sync unmap
	 * during the poll, before its flush, with ACKs mapped in between.
	 */
	{ .name = "tcp-rx", .tx_len_min = 66, .tx_len_max = 66,
	  .tx_linear = 128, .rx_len_min = 1514, .rx_len_max = 1514,
	  .tx_per_tick = 0, .rx_per_tick = 32, .burst = 1,
	  .tick_ns = 20000, .stack_hold_ns = 1000000, .napi_budget = 64,
	  .cqe_every = 8, .ack_every = 2, .sq_size = 256, .rq_size = 256 },
};

int xs_profile_lookup(const char *name, struct xs_profile *out)
{
	unsigned int i;

	for (i = 0; i < XS_ARRAY_SIZE(profiles); i++) {
		if (!strcmp(profiles[i].name, name)) {
			*out = profiles[i];
			return 0;
		}
	}
	return -1;
}

struct profile_key {
	const char *name;
	size_t off;
	unsigned int width;	/* 4 or 8 bytes, 1 for bool */
	u64 min, max;
};

#define K(n, f, lo, hi) { n, offsetof(struct xs_profile, f), \
			  sizeof(((struct xs_profile *)0)->f), lo, hi }

static const struct profile_key profile_keys[] = {
	K("tx_len_min", tx_len_min, 14, 65535),
	K("tx_len_max", tx_len_max, 14, 65535),
	K("tx_linear", tx_linear, 14, 4096),
	K("rx_len_min", rx_len_min, 14, 4096),
	K("rx_len_max", rx_len_max, 14, 4096),
	K("tx_per_tick", tx_per_tick, 0, 4096),
	K("rx_per_tick", rx_per_tick, 0, 4096),
	K("burst", burst, 1, 1000),
	K("tick_ns", tick_ns, 100, 1000000000),
	K("stack_hold_ns", stack_hold_ns, 0, 1000000000),
	K("napi_budget", napi_budget, 1, 4096),
	K("cqe_every", cqe_every, 1, 256),
	K("tstamp_every", tstamp_every, 0, 1000000),
	K("ack_every", ack_every, 0, 1000000),
	K("sq_size", sq_size, 16, 8192),
	K("rq_size", rq_size, 16, 8192),
	K("mpwqe", mpwqe, 0, 1),
	K("units", units, 0, MLX5E_SIM_MAX_UNITS),	/* 0 counts as 1 */
	K("xdp_tx_every", xdp_tx_every, 0, 1000000),
};

#undef K

static bool pow2(u64 v)
{
	return v && !(v & (v - 1));
}

int xs_profile_set(struct xs_profile *p, const char *kv, char *err,
		   size_t errlen)
{
	const char *eq = strchr(kv, '=');
	struct xs_profile tmp = *p;
	unsigned int i;
	char *end;
	u64 v;
	char both[64];

	/* tx_len=N and rx_len=N set a fixed length (minimum and maximum). */
	if (eq && (!strncmp(kv, "tx_len=", 7) || !strncmp(kv, "rx_len=", 7))) {
		/* Widen first so that the order of the two never matters. */
		if (kv[0] == 't') {
			tmp.tx_len_min = 14;
			tmp.tx_len_max = 65535;
		} else {
			tmp.rx_len_min = 14;
			tmp.rx_len_max = 4096;
		}
		snprintf(both, sizeof(both), "%.2s_len_max=%s", kv, eq + 1);
		if (xs_profile_set(&tmp, both, err, errlen))
			return -1;
		snprintf(both, sizeof(both), "%.2s_len_min=%s", kv, eq + 1);
		if (xs_profile_set(&tmp, both, err, errlen))
			return -1;
		*p = tmp;
		return 0;
	}
	if (!eq || eq == kv) {
		snprintf(err, errlen, "profile override '%s': expected key=value",
			 kv);
		return -1;
	}
	for (i = 0; i < XS_ARRAY_SIZE(profile_keys); i++) {
		const struct profile_key *k = &profile_keys[i];
		void *field = (char *)&tmp + k->off;

		if (strlen(k->name) != (size_t)(eq - kv) ||
		    strncmp(k->name, kv, eq - kv))
			continue;
		errno = 0;
		v = strtoull(eq + 1, &end, 10);
		if (errno || *end || v < k->min || v > k->max) {
			snprintf(err, errlen,
				 "profile key %s: '%s' is not a number in [%" PRIu64 ", %" PRIu64 "]",
				 k->name, eq + 1, k->min, k->max);
			return -1;
		}
		if (k->width == 8)
			*(u64 *)field = v;
		else if (k->width == 4)
			*(u32 *)field = (u32)v;
		else
			*(bool *)field = !!v;
		if (tmp.tx_len_min > tmp.tx_len_max ||
		    tmp.rx_len_min > tmp.rx_len_max) {
			snprintf(err, errlen, "profile: a minimum length is above its maximum");
			return -1;
		}
		if (!pow2(tmp.sq_size) || !pow2(tmp.rq_size)) {
			snprintf(err, errlen, "profile: sq_size and rq_size must be powers of two");
			return -1;
		}
		*p = tmp;
		return 0;
	}
	snprintf(err, errlen, "unknown profile key in '%s' (keys: tx_len rx_len tx_len_min tx_len_max tx_linear rx_len_min rx_len_max tx_per_tick rx_per_tick burst tick_ns stack_hold_ns napi_budget cqe_every tstamp_every ack_every sq_size rq_size mpwqe units xdp_tx_every)",
		 kv);
	return -1;
}

const char *xs_profile_key(const struct xs_profile *p, unsigned int i,
			   u64 *value)
{
	const struct profile_key *k;
	const void *field;

	if (i >= XS_ARRAY_SIZE(profile_keys))
		return NULL;
	k = &profile_keys[i];
	field = (const char *)p + k->off;
	if (k->width == 8)
		*value = *(const u64 *)field;
	else if (k->width == 4)
		*value = *(const u32 *)field;
	else
		*value = *(const bool *)field;
	return k->name;
}

void xs_profile_print(FILE *f, const struct xs_profile *p)
{
	fprintf(f, "profile %s: tx %u-%u B (linear %u), rx %u-%u B, %u tx + %u rx per %" PRIu64 " ns tick per channel, burst %u, stack hold %" PRIu64 " ns, napi budget %u, mpwqe %s",
		p->name, p->tx_len_min, p->tx_len_max, p->tx_linear,
		p->rx_len_min, p->rx_len_max, p->tx_per_tick, p->rx_per_tick,
		p->tick_ns, p->burst, p->stack_hold_ns, p->napi_budget,
		p->mpwqe ? "on" : "off");
	if (p->ack_every)
		fprintf(f, ", an ACK per %u received", p->ack_every);
	if (p->units > 1)
		fprintf(f, ", %u VT-d units", p->units);
	if (p->xdp_tx_every)
		fprintf(f, ", XDP_TX every %u received", p->xdp_tx_every);
	fprintf(f, "\n");
}

/* ---- the run ---- */

struct run;

/* One channel's side of the run: its own PRNG, targets and CPU time. */
struct chan {
	struct run *r;
	unsigned int c;
	struct xs_rand rng;
	u64 tx_target, rx_target;
	u64 tx_done, rx_done;
	/* tx_done and rx_done when the channel was last opened */
	u64 tx_at_open, rx_at_open;
	u64 pkt_seq;
	u64 cpu_ns;
	pthread_t thread;
};

struct run {
	const struct xs_run_config *cfg;
	struct xs_run_result *res;
	struct xs_kworld *w;
	struct mlx5e_sim_topology topo;
	struct mlx5e_sim_channel *ch;
	struct chan *cs;
	struct xs_rand rng;		/* the interleaving */
	/* Threaded mode: the tick barrier and what thread 0 decides. */
	pthread_barrier_t barrier;
	u32 mult;
	bool stop;
	int status;
	/*
	 * The second releaser: what the work CPU does in the coming tick
	 * (decided at the end of the last one) and on which channel, and
	 * its own thread in the threaded mode.
	 */
	struct chan work;
	int work_kind;
	unsigned int work_ch;
	u64 tick;
	bool work_failed;
};

enum { WORK_NONE, WORK_RECOVER, WORK_REOPEN };

enum step {
	STEP_SEND,
	STEP_DEV_TX,
	STEP_DEV_RX,
	STEP_POLL,
	STEP_CONSUME,
	STEP_MALICIOUS,
	STEP__COUNT
};

const char *xs_mode_cmdline(enum xs_mode m)
{
	switch (m) {
	case XS_MODE_STRICT:
		return "iommu.strict=1";
	case XS_MODE_XSMMU_SEED:
	case XS_MODE_XSMMU_POLL:
		return "iommu.xsmmu=1";
	case XS_MODE_PSI_BATCH:
		return "iommu.xsmmu=ranges";
	case XS_MODE_ADAPTIVE:
		return "iommu.xsmmu=adaptive";
	case XS_MODE_COALESCE:
		return "iommu.xsmmu=1 iommu.xsmmu_coalesce=1";
	default:
		return NULL;
	}
}

/* Modes that run the patch (no-sync unmaps and syncs). */
static bool mode_batches(enum xs_mode m)
{
	return m >= XS_MODE_XSMMU_SEED;
}

static u32 rand_len(struct chan *cs, u32 lo, u32 hi)
{
	return lo + (u32)xs_rand_below(&cs->rng, (u64)hi - lo + 1);
}

/* CPU work: charge the per-packet cost, count the clock it took. */
static void cpu_begin(struct chan *cs, u64 *t0)
{
	xs_cpu_set_current(cs->c);
	*t0 = xs_clock_now(&cs->r->w->clock);
}

static void cpu_end(struct chan *cs, u64 t0, u64 pkts, enum xs_param_id cost)
{
	struct xs_kworld *w = cs->r->w;

	xs_clock_advance(&w->clock, pkts * xs_param(&w->params, cost));
	cs->cpu_ns += xs_clock_now(&w->clock) - t0;
}

static bool chan_done(const struct chan *cs)
{
	return cs->tx_done >= cs->tx_target && cs->rx_done >= cs->rx_target;
}

static void step_send(struct chan *cs, u32 n)
{
	const struct xs_profile *p = &cs->r->cfg->profile;
	struct mlx5e_sim_channel *ch = &cs->r->ch[cs->c];
	u64 t0, sent = 0;
	u32 i;

	cpu_begin(cs, &t0);
	for (i = 0; i < n && cs->tx_done < cs->tx_target; i++) {
		u32 len = rand_len(cs, p->tx_len_min, p->tx_len_max);
		bool ts = p->tstamp_every &&
			  ++cs->pkt_seq % p->tstamp_every == 0;
		/*
		 * More follows unless this is the tick's last packet or the
		 * channel's last one: a last packet sent with xmit_more
		 * would leave its MPWQE session open, never posted.
		 */
		bool more = i + 1 < n && cs->tx_done + 1 < cs->tx_target;

		if (mlx5e_sim_send(ch, len, more, ts))
			break;	/* queue full: the stack retries later */
		cs->tx_done++;
		sent++;
	}
	cpu_end(cs, t0, sent, XS_P_CPU_PKT_TX_NS);
}

static void step_poll(struct chan *cs)
{
	struct mlx5e_sim_channel *ch = &cs->r->ch[cs->c];
	struct xs_kworld *w = cs->r->w;
	u64 t0, before = ch->rq_stats.packets, acks = ch->acks_sent;
	int budget = (int)cs->r->cfg->profile.napi_budget, rounds = 0;

	cpu_begin(cs, &t0);
	/* A busy NAPI context polls again, as net_rx_action would. */
	while (mlx5e_sim_napi_poll(ch, budget) == budget && ++rounds < 64)
		;
	/* The ACKs the stack sent from inside the poll: TX work. */
	xs_clock_advance(&w->clock, (ch->acks_sent - acks) *
			 xs_param(&w->params, XS_P_CPU_PKT_TX_NS));
	cpu_end(cs, t0, ch->rq_stats.packets - before, XS_P_CPU_PKT_RX_NS);
}

static void run_step(struct chan *cs, enum step s, u32 mult)
{
	struct run *r = cs->r;
	const struct xs_profile *p = &r->cfg->profile;
	struct mlx5e_sim_channel *ch = &r->ch[cs->c];
	u64 now;
	u32 n, i;
	u64 t0;

	switch (s) {
	case STEP_SEND:
		step_send(cs, p->tx_per_tick * mult);
		break;
	case STEP_DEV_TX:
		mlx5e_sim_nic_tx(ch, ~0U, p->cqe_every);
		mlx5e_sim_nic_xdp_tx(ch, ~0U);
		break;
	case STEP_DEV_RX:
		n = p->rx_per_tick * mult;
		for (i = 0; i < n && cs->rx_done < cs->rx_target; i++) {
			if (!mlx5e_sim_nic_rx(ch, 1, rand_len(cs, p->rx_len_min,
							       p->rx_len_max)))
				break;
			cs->rx_done++;
		}
		break;
	case STEP_POLL:
		step_poll(cs);
		break;
	case STEP_CONSUME:
		cpu_begin(cs, &t0);
		now = xs_clock_now(&r->w->clock);
		if (now >= p->stack_hold_ns)
			mlx5e_sim_stack_consume_before(ch,
						       now - p->stack_hold_ns);
		cpu_end(cs, t0, 0, XS_P_CPU_PKT_RX_NS);
		break;
	case STEP_MALICIOUS:
		if (r->cfg->malicious) {
			mlx5e_sim_malicious(ch, 32);
			mlx5e_sim_stale_write(ch, 8);
		}
		break;
	default:
		break;
	}
}

static void run_work(struct run *r);
static void plan_work(struct run *r);

/*
 * One tick: every channel's steps in order, channels interleaved, and
 * the work CPU's turn, if it has one, somewhere among them.
 */
static void run_tick(struct run *r, u32 mult)
{
	unsigned int nch = r->cfg->channels, c, left = nch * STEP__COUNT;
	u8 next[64] = { 0 };
	u64 work_at = r->work_kind != WORK_NONE ?
		      xs_rand_below(&r->work.rng, left + 1) : ~0ULL;

	while (left) {
		if (left == work_at)
			run_work(r);
		c = (unsigned int)xs_rand_below(&r->rng, nch);
		while (next[c] == STEP__COUNT)
			c = (c + 1) % nch;
		run_step(&r->cs[c], (enum step)next[c]++, mult);
		left--;
	}
	if (!work_at)
		run_work(r);
	plan_work(r);
}

static int open_channel(struct run *r, unsigned int c, unsigned int cpu)
{
	const struct xs_profile *p = &r->cfg->profile;
	struct mlx5e_sim_channel_config cc;
	int err;

	mlx5e_sim_channel_default(&cc);
	cc.sq_size = (u16)p->sq_size;
	cc.rq_size = (u16)p->rq_size;
	cc.mpwqe = p->mpwqe;
	cc.ack_every = p->ack_every;
	cc.xdp_tx_every = p->xdp_tx_every;
	cc.stack_size = 4096;
	xs_cpu_set_current(cpu);
	err = mlx5e_sim_channel_open(&r->ch[c],
				     r->topo.fn[c % r->topo.nr_units], &cc);
	if (!err) {
		r->ch[c].tx_linear = p->tx_linear;
		r->cs[c].tx_at_open = r->cs[c].tx_done;
		r->cs[c].rx_at_open = r->cs[c].rx_done;
	}
	return err;
}

/* Closes channel c on the CPU of cs (its own, or the work CPU's). */
static void close_channel(struct run *r, unsigned int c, struct chan *cs)
{
	struct mlx5e_sim_channel *ch = &r->ch[c];
	u64 t0, handed, done, in_flight;

	cpu_begin(cs, &t0);
	/*
	 * What the stack handed in (its sends and ACKs) or the device
	 * received since the open, and neither completed nor dropped by
	 * now, is still in the queues: the close frees it, dropped.
	 */
	handed = r->cs[c].tx_done - r->cs[c].tx_at_open + ch->acks_sent;
	done = ch->sq_stats.packets + ch->sq_stats.dropped;
	in_flight = handed > done ? handed - done : 0;
	handed = r->cs[c].rx_done - r->cs[c].rx_at_open;
	done = ch->rq_stats.packets + ch->rx_dropped_no_wqe +
	       ch->rx_dropped_recover;
	in_flight += handed > done ? handed - done : 0;
	r->res->dropped += ch->rx_dropped_no_wqe + ch->sq_stats.dropped +
			   ch->rx_dropped_recover + in_flight;
	r->res->tx_packets += ch->sq_stats.packets;
	r->res->rx_packets += ch->rq_stats.packets;
	r->res->rq_recoveries += ch->rq_stats.recover;
	r->res->xdp_tx += ch->rq_stats.xdp_tx;
	r->res->rx_cache_reuse += ch->rq_stats.cache_reuse;
	r->res->rx_refills += ch->rq_stats.cache_reuse + ch->rq_stats.cache_empty +
			      ch->rq_stats.cache_busy;
	r->res->malicious_accesses += ch->mal_accesses;
	r->res->malicious_successes += ch->mal_successes;
	r->res->stale_writes += ch->stale_writes;
	r->res->stale_write_successes += ch->stale_write_successes;
	mlx5e_sim_channel_close(ch);
	cpu_end(cs, t0, 0, XS_P_CPU_PKT_TX_NS);
}

/*
 * The second releaser's turn on the work CPU. A reopen runs while the
 * channel's own CPU stays out of the tick (its NAPI disabled, its queues
 * stopped: mlx5e_deactivate_channel()) and the other channels go on; a
 * recovery runs while every channel goes on, the RQ's own NAPI included.
 */
static void run_work(struct run *r)
{
	struct chan *w = &r->work;
	unsigned int c = r->work_ch;

	switch (r->work_kind) {
	case WORK_RECOVER:
		xs_cpu_set_current(w->c);
		if (mlx5e_sim_rq_recover(&r->ch[c]))
			r->work_failed = true;
		break;
	case WORK_REOPEN:
		close_channel(r, c, w);
		if (open_channel(r, c, w->c))
			r->work_failed = true;
		else
			r->res->reopens++;
		break;
	default:
		break;
	}
}

/* What the work CPU does in the next tick (at the end of this one). */
static void plan_work(struct run *r)
{
	const struct xs_run_config *cfg = r->cfg;

	r->tick++;
	r->work_kind = WORK_NONE;
	if (cfg->reopen_every && r->tick % cfg->reopen_every == 0)
		r->work_kind = WORK_REOPEN;
	else if (cfg->recover_every && r->tick % cfg->recover_every == 0)
		r->work_kind = WORK_RECOVER;
	if (r->work_kind != WORK_NONE)
		r->work_ch = (unsigned int)xs_rand_below(&r->work.rng,
							 cfg->channels);
}

static void collect_hw(struct run *r)
{
	struct xs_run_result *res = r->res;
	int i;
	unsigned int g;

	for (i = 0; i < g_num_of_iommus; i++) {
		const struct vtd_stats *st = vtd_stats(g_iommus[i]->xs_unit);

		for (g = 0; g < VTD_GRAN_COUNT; g++)
			res->invalidation_descriptors += st->iotlb_inv[g];
		res->invalidation_descriptors +=
			st->desc_done[VTD_DESC_DEVTLB];
		res->invalidation_waits += st->waits;
		res->iotlb_hits += st->iotlb_hits;
		res->iotlb_misses += st->iotlb_misses;
		res->walk_reads += st->walk_reads;
		res->faults += st->faults;
	}
}

static double host_seconds(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) +
	       (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

static bool all_done(struct run *r)
{
	unsigned int c;

	for (c = 0; c < r->cfg->channels; c++)
		if (!chan_done(&r->cs[c]))
			return false;
	return true;
}

/* The end of a tick: the clock catches up with the offered rate. */
static void end_tick(struct run *r, u64 tick_start)
{
	u64 tick_ns = r->cfg->profile.tick_ns, now = xs_clock_now(&r->w->clock);

	if (now < tick_start + tick_ns)
		xs_kworld_advance(r->w, tick_start + tick_ns - now);
	else
		xs_kworld_run_timers(r->w);
}

static int run_traffic(struct run *r)
{
	const struct xs_profile *p = &r->cfg->profile;
	u64 tick = 0, idle = 0, tick_start, half = r->cfg->packets / 2;
	bool reopened = false;
	unsigned int c;

	while (!all_done(r) || idle < 4) {
		u32 mult = (tick % p->burst == 0) ? p->burst : 0;

		if (all_done(r)) {
			mult = 0;	/* drain: completions and polls only */
			idle++;
		}
		tick_start = xs_clock_now(&r->w->clock);
		run_tick(r, mult);
		if (r->cfg->close_midway && !reopened &&
		    r->cs[0].tx_done + r->cs[0].rx_done >=
		    half / r->cfg->channels) {
			close_channel(r, 0, &r->cs[0]);
			if (open_channel(r, 0, 0))
				return -1;
			reopened = true;
		}
		end_tick(r, tick_start);
		tick++;
		if (tick > 100 * (r->cfg->packets + 1000)) {
			fprintf(stderr, "xsmmu-sim: %s: no progress, stopping\n",
				xs_mode_name(r->cfg->mode));
			return -1;
		}
	}
	for (c = 0; c < r->cfg->channels; c++)
		r->res->cpu_ns += r->cs[c].cpu_ns;
	return 0;
}

/*
 * Threaded mode: each channel on its own thread, a barrier per tick;
 * thread 0 moves the clock, runs the timers and decides when to stop.
 * Not deterministic: it exists to run the kernel code's locking under
 * ThreadSanitizer.
 */
static void *chan_thread(void *arg)
{
	struct chan *cs = arg;
	struct run *r = cs->r;
	u64 tick = 0, idle = 0, tick_start = 0;
	unsigned int s;

	xs_cpu_set_current(cs->c);
	for (;;) {
		u32 mult = __atomic_load_n(&r->mult, __ATOMIC_ACQUIRE);

		if (cs->c == 0)
			tick_start = xs_clock_now(&r->w->clock);
		pthread_barrier_wait(&r->barrier);
		if (cs == &r->work) {
			run_work(r);
		} else if (r->work_kind != WORK_REOPEN ||
			   r->work_ch != cs->c) {
			for (s = 0; s < STEP__COUNT; s++)
				run_step(cs, (enum step)s, mult);
		}
		pthread_barrier_wait(&r->barrier);
		if (cs->c == 0) {
			plan_work(r);
			end_tick(r, tick_start);
			tick++;
			if (all_done(r))
				idle++;
			__atomic_store_n(&r->mult, all_done(r) ? 0 :
					 (tick % r->cfg->profile.burst == 0 ?
					  r->cfg->profile.burst : 0),
					 __ATOMIC_RELEASE);
			if ((all_done(r) && idle >= 4) ||
			    tick > 100 * (r->cfg->packets + 1000))
				__atomic_store_n(&r->stop, true,
						 __ATOMIC_RELEASE);
		}
		pthread_barrier_wait(&r->barrier);
		if (__atomic_load_n(&r->stop, __ATOMIC_ACQUIRE))
			break;
	}
	return NULL;
}

static int run_threaded(struct run *r)
{
	unsigned int n = r->cfg->channels + 1;	/* and the work CPU */
	unsigned int c, started = 0;
	int ret = 0;

	if (pthread_barrier_init(&r->barrier, NULL, n))
		return -1;
	r->mult = r->cfg->profile.burst;
	for (c = 0; c < n; c++, started++)
		if (pthread_create(c < r->cfg->channels ?
				   &r->cs[c].thread : &r->work.thread,
				   NULL, chan_thread,
				   c < r->cfg->channels ? &r->cs[c] : &r->work))
			break;
	if (started < n) {
		/* The barrier would never open: nothing ran, stop here. */
		fprintf(stderr, "xsmmu-sim: cannot start channel threads\n");
		abort();
	}
	for (c = 0; c < started; c++)
		pthread_join(c < r->cfg->channels ? r->cs[c].thread :
			     r->work.thread, NULL);
	pthread_barrier_destroy(&r->barrier);
	for (c = 0; c < r->cfg->channels; c++)
		r->res->cpu_ns += r->cs[c].cpu_ns;
	if (!all_done(r))
		ret = -1;
	return ret;
}

int xs_run(const struct xs_run_config *cfg, struct xs_run_result *res)
{
	struct xs_kworld_config wc;
	struct timespec h0, h1;
	struct xs_exposure e;
	struct run r = { .cfg = cfg, .res = res };
	bool work = cfg->threaded || cfg->recover_every || cfg->reopen_every;
	unsigned int c, opened = 0;
	u64 leaks, tx_total = 0;
	int ret = -1, i;

	memset(res, 0, sizeof(*res));
	res->mode = cfg->mode;
	if (!cfg->channels || cfg->channels + work > XS_MAX_CPUS)
		return -1;
	if (cfg->threaded && (cfg->malicious || cfg->close_midway)) {
		fprintf(stderr, "xsmmu-sim: the threaded mode runs neither the malicious device nor a mid-run close\n");
		return -1;
	}
	clock_gettime(CLOCK_MONOTONIC, &h0);
	xs_kworld_default_config(&wc);
	wc.nr_units = cfg->profile.units ? cfg->profile.units : 1;
	wc.nr_cpus = cfg->channels + work;	/* the work CPU last */
	wc.phys_frames = cfg->params ? xs_param(cfg->params, XS_P_PHYS_FRAMES) :
				       1 << 18;
	wc.seed = cfg->seed;
	wc.params = cfg->params;
	wc.cmdline = xs_mode_cmdline(cfg->mode);
	wc.threaded = cfg->threaded;
	if (cfg->trace_events)
		wc.trace_records = cfg->trace_events;
	r.w = xs_kworld_create(&wc);
	if (!r.w)
		return -1;
	xs_oracle_set_fatal(r.w->oracle, false);
	xs_oracle_set_output(r.w->oracle, xs_mode_unprotected(cfg->mode) ?
				      NULL : cfg->reports);
	xs_rand_seed(&r.rng, cfg->seed);
	mlx5e_sim_tx_policy(cfg->mode == XS_MODE_XSMMU_SEED ? TX_PER_WQE :
			    mode_batches(cfg->mode) ? TX_PER_POLL : TX_SYNC);
	mlx5e_sim_rx_batching(mode_batches(cfg->mode));
	r.ch = calloc(cfg->channels, sizeof(*r.ch));
	r.cs = calloc(cfg->channels, sizeof(*r.cs));
	if (!r.ch || !r.cs ||
	    mlx5e_sim_topology_create(&r.topo, wc.nr_units,
				      cfg->mode == XS_MODE_PASSTHROUGH ?
				      IOMMU_DOMAIN_IDENTITY : 0))
		goto out;
	/* Split the packets between channels, then directions by the profile. */
	if (cfg->profile.tx_per_tick + cfg->profile.rx_per_tick)
		tx_total = cfg->packets * cfg->profile.tx_per_tick /
			   (cfg->profile.tx_per_tick + cfg->profile.rx_per_tick);
	for (c = 0; c < cfg->channels; c++) {
		struct chan *cs = &r.cs[c];

		cs->r = &r;
		cs->c = c;
		xs_rand_seed(&cs->rng, cfg->seed * 1000003 + c);
		cs->tx_target = tx_total / cfg->channels +
				(c < tx_total % cfg->channels);
		cs->rx_target = (cfg->packets - tx_total) / cfg->channels +
				(c < (cfg->packets - tx_total) % cfg->channels);
	}
	r.work.r = &r;
	r.work.c = cfg->channels;
	xs_rand_seed(&r.work.rng, cfg->seed * 1000003 + cfg->channels);
	/*
	 * Age the NIC's IOVA allocator before any channel maps a buffer
	 * (every function shares fn[0]'s domain; passthrough has none).
	 */
	if (cfg->params && xs_param(cfg->params, XS_P_IOVA_AGE) &&
	    cfg->mode != XS_MODE_PASSTHROUGH &&
	    xs_iova_age(r.topo.fn[0], xs_param(cfg->params, XS_P_IOVA_AGE),
			cfg->seed, cfg->channels)) {
		fprintf(stderr, "xsmmu-sim: %s: ageing the IOVA allocator failed\n",
			xs_mode_name(cfg->mode));
		goto out;
	}
	for (c = 0; c < cfg->channels; c++, opened++)
		if (open_channel(&r, c, c))
			goto out;
	ret = cfg->threaded ? run_threaded(&r) : run_traffic(&r);
	if (r.work_failed) {
		fprintf(stderr, "xsmmu-sim: %s: the work CPU's recovery or reopen failed\n",
			xs_mode_name(cfg->mode));
		ret = -1;
	}
out:
	xs_cpu_set_current(0);
	for (c = 0; c < opened; c++)
		close_channel(&r, c, &r.cs[c]);
	collect_hw(&r);
	mlx5e_sim_topology_destroy(&r.topo);
	free(r.ch);
	free(r.cs);
	xs_oracle_exposure(r.w->oracle, &e);
	res->exposure_window_max_ns = e.max_ns;
	res->exposed_pages = e.exposed;
	res->virtual_ns = xs_clock_now(&r.w->clock);
	if (cfg->trace) {
		/* Say how much the ring kept: a cut trace is never silent. */
		fprintf(cfg->trace,
			"# %" PRIu64 " events recorded, the last %u kept%s\n",
			r.w->trace.seq, xs_trace_count(&r.w->trace),
			r.w->trace.seq > xs_trace_count(&r.w->trace) ?
			" (the ring is full: --trace-events N keeps more)" :
			"");
		xs_trace_dump(&r.w->trace, cfg->trace, 0);
		res->trace_events = r.w->trace.seq;
		res->trace_kept = xs_trace_count(&r.w->trace);
	}
	for (i = 0; i < XS_INV__COUNT; i++)
		res->violations[i] = xs_oracle_count(r.w->oracle, i);
	if (xs_oracle_first_of(r.w->oracle, XS_W))
		snprintf(res->first_warn, sizeof(res->first_warn), "%s",
			 xs_oracle_first_of(r.w->oracle, XS_W)->detail);
	xs_oracle_set_output(r.w->oracle, cfg->reports);
	leaks = xs_kworld_destroy(r.w);
	res->violations[XS_L1] += leaks;
	res->packets = res->tx_packets + res->rx_packets;
	res->cpu_ns_per_packet = res->packets ?
		(double)res->cpu_ns / (double)res->packets : 0;
	clock_gettime(CLOCK_MONOTONIC, &h1);
	res->sim_packets_per_second = res->packets /
		(host_seconds(&h0, &h1) > 0 ? host_seconds(&h0, &h1) : 1e-9);
	mlx5e_sim_tx_policy(TX_PER_POLL);
	mlx5e_sim_rx_batching(true);
	return ret;
}
