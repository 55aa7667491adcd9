/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The mode comparison: the same simulated traffic through the mlx5e
 * driver paths under each invalidation mode, with the oracle's verdict
 * and the cost. One run = one mode, one world, one seed.
 */
#ifndef XSMMU_RUN_H
#define XSMMU_RUN_H

#include <stdio.h>
#include <xsmmu/oracle.h>
#include <xsmmu/params.h>
#include <xsmmu/types.h>

enum xs_mode {
	XS_MODE_PASSTHROUGH,	/* iommu=pt: no translation, no protection */
	XS_MODE_STRICT,		/* iommu.strict=1 */
	XS_MODE_LAZY,		/* 5.15 default: the flush queue */
	XS_MODE_XSMMU_SEED,	/* iommu.xsmmu=1, TX sync per work item */
	XS_MODE_XSMMU_POLL,	/* iommu.xsmmu=1, TX and RX one sync per poll */
	XS_MODE_PSI_BATCH,	/* as xsmmu-poll, syncs invalidate the ranges */
	XS_MODE_ADAPTIVE,	/* ranges up to a count, else the domain */
	XS_MODE_COALESCE,	/* as xsmmu-poll, covered callers skip theirs */
	XS_MODE__COUNT
};

const char *xs_mode_name(enum xs_mode m);
int xs_mode_lookup(const char *name);
/* Modes whose violations are expected (reported, not a failure). */
bool xs_mode_unprotected(enum xs_mode m);
/* The kernel command line that selects the mode (NULL: the defaults). */
const char *xs_mode_cmdline(enum xs_mode m);

struct xs_profile {
	char name[16];
	u32 tx_len_min, tx_len_max;	/* bytes per sent packet */
	u32 tx_linear;			/* of which in the linear part */
	u32 rx_len_min, rx_len_max;	/* bytes per received packet */
	u32 tx_per_tick, rx_per_tick;	/* per channel */
	u32 burst;			/* traffic every burst-th tick, x burst */
	u64 tick_ns;
	u64 stack_hold_ns;		/* how long the stack keeps an RX skb */
	u32 napi_budget;
	u32 cqe_every;			/* a TX completion per this many WQEs */
	u32 tstamp_every;		/* every n-th packet wants a timestamp */
	u32 ack_every;			/* an ACK per n received, in the poll */
	u32 sq_size, rq_size;
	bool mpwqe;
	/*
	 * VT-d units (0 counts as 1): the NIC has a function behind each,
	 * all sharing one DMA domain with a different domain id on every
	 * unit, and channel c runs on function c % units (see
	 * mlx5e_sim_topology_create()).
	 */
	u32 units;
	u32 xdp_tx_every;		/* XDP_TX every n-th (0: no XDP) */
};

/* Named profiles: mtu, small, tso, mixed, tcp-rx. Returns 0 or -1. */
int xs_profile_lookup(const char *name, struct xs_profile *out);
/* The names, NULL-terminated. */
extern const char *const xs_profile_names[];
/* Applies "key=value"; -1 with a message in err for a bad one. */
int xs_profile_set(struct xs_profile *p, const char *kv, char *err,
		   size_t errlen);
void xs_profile_print(FILE *f, const struct xs_profile *p);
/*
 * Key i of the profile (every key xs_profile_set() takes, but the tx_len
 * and rx_len shorthands): its name, and its value in *value; NULL past
 * the last key.
 */
const char *xs_profile_key(const struct xs_profile *p, unsigned int i,
			   u64 *value);

struct xs_run_config {
	enum xs_mode mode;
	struct xs_profile profile;
	u64 packets;			/* TX + RX packets to run */
	unsigned int channels;
	u64 seed;
	bool malicious;
	bool close_midway;		/* close and reopen channel 0 halfway */
	bool threaded;			/* channels on real threads (TSan) */
	/*
	 * The second releaser, on a CPU of its own (process context): every
	 * recover_every-th tick the RX reporter's recovery of one channel's
	 * RQ, every reopen_every-th tick one channel closed and reopened,
	 * while the channels go on (0: never). With threads, on a thread.
	 */
	u32 recover_every, reopen_every;
	const struct xs_params *params;	/* NULL: defaults */
	FILE *trace;			/* the last events are written here */
	u32 trace_events;		/* ... as many (0: 4096), rounded up
					 * to a power of two */
	FILE *reports;			/* violation reports (NULL: none) */
};

/* The counts of a stretch of a run (the cost model's figures). */
struct xs_window {
	u64 packets, tx_packets, rx_packets;
	u64 invalidation_descriptors, invalidation_waits;
	u64 iotlb_hits, iotlb_misses, walk_reads;
	u64 cpu_ns;
};

struct xs_run_result {
	enum xs_mode mode;
	u64 packets, tx_packets, rx_packets;
	u64 invalidation_descriptors;
	u64 invalidation_waits;
	u64 iotlb_hits, iotlb_misses;
	u64 walk_reads;
	u64 faults;
	u64 cpu_ns;			/* modelled CPU time of driver work */
	double cpu_ns_per_packet;
	u64 virtual_ns;
	u64 violations[XS_INV__COUNT];
	u64 exposure_window_max_ns;
	u64 exposed_pages;
	u64 malicious_accesses, malicious_successes;
	/* The malicious device's writes through taken-back IOVAs. */
	u64 stale_writes, stale_write_successes;
	u64 dropped;
	u64 rx_cache_reuse;		/* RX buffers refilled from the cache */
	u64 rx_refills;			/* all RX buffers refilled */
	u64 rq_recoveries;		/* by the second releaser */
	u64 reopens;			/* ... and its channel reopens */
	u64 xdp_tx;			/* received, sent back by XDP */
	double sim_packets_per_second;	/* host speed, not deterministic */
	/* The first kernel WARN of the run (violations[XS_W]), or "". */
	char first_warn[192];
	/* With a trace: events recorded, and kept in the ring (the last). */
	u64 trace_events;
	u32 trace_kept;
	/*
	 * The steady-state window (src/cli/cost.c, xs_run_steady(), not
	 * xs_run()): packets from the half of the run to its end, without
	 * the channels' setup and teardown. steady_valid false: none (a
	 * threaded run, or too few packets), the figures are the whole run's.
	 */
	bool steady_valid;
	struct xs_window steady;
};

/* Runs one mode. Returns 0, or -1 if the run could not be set up. */
int xs_run(const struct xs_run_config *cfg, struct xs_run_result *res);

/* The output formats are xsmmu-sim's: src/cli/output.h. */

#endif
