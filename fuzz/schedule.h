/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The schedule language of the ordering fuzzer. Any byte string is a
 * valid schedule: each step takes one byte (operation in bits 0-3 and 5,
 * bit 5 the high bit, modulo the number of operations; channel in bit 4)
 * and, when there is one, the next byte as its
 * argument. A schedule runs against a fresh world in one mode: two VT-d
 * units, a mlx5 NIC with two channels sharing one domain, each on its
 * own CPU, channel c on the NIC's function c behind unit c (the domain
 * has id 1 on unit 0 and 2 on unit 1, where a guest-assigned device took
 * id 1 first), and a generic DMA client (src/dma_client) in a domain of
 * its own behind unit 0 (id 2), whose peer behind unit 1 joins it at its
 * first read (id 3 there); unit 1's largest invalidation mask is 2 MiB.
 * At the end every queue is closed, the client's buffers synced and
 * freed (a schedule whose last step is client-burst instead removes the
 * client's device with its unmaps held, as a hot-unplug: the domain's
 * teardown completes them, and the buffers are freed after it), and the
 * world torn down, so leaks count too. The oracle's
 * verdict is the result.
 *
 * Arguments: poll and poll-rx take the budget in bits 0-5 and, in bits
 * 6-7, how often the stack answers a received packet with an ACK sent
 * from inside the poll (never, every 1, 2 or 4). The DMA client's
 * argument picks its action in bits 0-1: map (size class in bits 2-5,
 * an unaligned start in bit 6, dma_map_single() in bit 7; the device
 * then writes every page), no-sync unmap of a mapped buffer (which one:
 * bits 2-5; bit 7: the device writes it once more first; bit 6: the
 * driver syncs it for the CPU itself and unmaps with
 * DMA_ATTR_SKIP_CPU_SYNC), sync and free
 * what is unmapped, or the device reads 1-16 IOVAs it once had. The
 * channel bit picks the CPU the client runs on. unit1-read: a device
 * behind unit 1 reads IOVA pages of the domain it shares with unit 0
 * (channel bit clear: NIC function 1 reads channel 0's; set: the
 * client's peer reads the client's), 1-16 of them (bits 0-3), from the
 * n-th newest it was given (bits 4-6), live ones only or, with bit 7,
 * any (stale reads).
 *
 * xdp sets the channel's XDP program: XDP_TX for every 1st, 2nd or 4th
 * received packet (bits 0-1: off, 1, 2, 4; attaching or removing one
 * reopens the channel); dev-tx then also sends the XDP frames. releaser
 * runs two simulated CPUs at once, interleaved deterministically (see
 * race.c and include/xsmmu/sched.h): bits 0-1 what races (0: the RX
 * reporter's recovery of the channel's RQ on the work CPU against the
 * channel's NAPI poll; 1: the same recovery against the other channel's
 * poll; 2: the channel closed and reopened on the work CPU against the
 * other channel's poll; 3: both channels' polls), bit 2 which of the two
 * starts, bits 3-7 at which of its nested points (a spinlock held while
 * another is taken or released, or a cpu_relax() under one) it is
 * preempted.
 *
 * The client has a device of each kind the patch treats differently,
 * each in a domain of its own, made at its first use: the mode's
 * ordinary DMA domain, an identity domain, no IOMMU (dma-direct), an
 * untrusted device (bounce buffers, synchronous unmaps), an IOMMU driver
 * without the sync ops, one with the domain sync only, and DMA ops
 * without the no-sync members or with one of the two only. client-dev
 * picks the one the client's next steps use (argument modulo 9; the
 * ordinary one until then).
 * client-burst maps one-page buffers and unmaps each without a sync:
 * with bits 2-5 clear it fills the domain's batch up to its capacity
 * plus d, else it makes 32 x (bits 2-3) + d of them (multiples of the
 * ranges sync's chunk of 16, and 64 + d its cap of 64 ranges), d =
 * (bits 0-1) - 1; on a device that does not batch, at
 * most 65. reopen-rq, with bits 2-6 clear, reopens the channel with an
 * RQ of 1024 or 2048 pages (bit 0) for that open only, so its close
 * releases a full RX pending array exactly, or two; else it does nothing.
 * fallback-unit: a device of the ordinary client's domain behind a unit
 * that cannot take the ranges sync's page-selective descriptors, made at
 * its first step and left in the domain, reads the client's IOVAs as
 * unit1-read does (1-16 reads, bits 2-5; from the newest; bit 7: stale
 * ones too): bits 0-1 pick it (0 and 3: behind unit 2, no PSI; 1: an ATS
 * device behind unit 2, so the domain has a device-TLB; 2: behind unit
 * 3, register-based flushes). From then on every sync of the client's
 * domain takes the patch's fallback for that unit or that device.
 * rx-flood: rounds of the device filling the whole RQ and a NAPI poll of
 * it (refill included) with the stack holding every skb: with bits 3-6
 * clear 5 to 8 (bits 0-1), enough for the RX page cache (256) to fill
 * inside a poll, so the poll's next releases with recycling go through
 * the pending array with the recycle flag; else nothing (a round costs
 * about a reopen).
 *
 * pflag is ethtool --set-priv-flags: bit 0 picks rx_batch_unmap (else
 * tx_batch_unmap), bit 1 on (else off); a change reopens both channels.
 * With bit 2 the channel is first reopened once with its RQ allocation
 * failing at xdp_rxq_info_reg_mem_model() (the error path), then opened.
 * plain-dev drives a device in a strict DMA domain of its own whose
 * driver never calls dma_enable_no_sync_unmap() (another NIC, an NVMe)
 * with the client's actions (argument as dma-client): its no-sync calls
 * must be its domain's ordinary unmaps, whatever the others opted in.
 */
#ifndef XS_FUZZ_SCHEDULE_H
#define XS_FUZZ_SCHEDULE_H

#include <stddef.h>
#include <stdio.h>
#include <xsmmu/oracle.h>
#include <xsmmu/run.h>
#include <xsmmu/types.h>

#define XS_FUZZ_CHANNELS	2
#define XS_FUZZ_UNITS		2
/*
 * Two more units, for fallback-unit: unit 2 without page-selective
 * invalidation (CAP.PSI clear) and with device-TLB support (ECAP.DT),
 * unit 3 whose driver flushes through registers (no queued invalidation).
 */
#define XS_FUZZ_UNIT_NO_PSI	2
#define XS_FUZZ_UNIT_NO_QI	3
#define XS_FUZZ_ALL_UNITS	4
/* The CPU that runs process context (work items, queue close and open). */
#define XS_FUZZ_WORK_CPU	XS_FUZZ_CHANNELS

enum xs_fuzz_op {
	XS_FOP_SEND,		/* the stack sends packets */
	XS_FOP_DEV_TX,		/* the device sends posted WQEs */
	XS_FOP_DEV_RX,		/* the device receives packets */
	XS_FOP_POLL,		/* NAPI: TX completions, RX, refill */
	XS_FOP_CONSUME,		/* the stack frees received skbs */
	XS_FOP_TICK,		/* time passes (timers run) */
	XS_FOP_REOPEN,		/* close and reopen the channel */
	XS_FOP_MALICIOUS,	/* the device reads old IOVAs */
	XS_FOP_REFILL,		/* RX refill alone */
	XS_FOP_POLL_TX,		/* TX completions alone */
	XS_FOP_POLL_RX,		/* RX completions alone */
	XS_FOP_SEND_TSTAMP,	/* a packet that wants a timestamp */
	XS_FOP_STALE_WRITE,	/* the device writes to unmapped RX buffers */
	XS_FOP_DMA_CLIENT,	/* the generic DMA client (see below) */
	XS_FOP_UNIT1_READ,	/* a device behind unit 1 reads (see below) */
	XS_FOP_XDP,		/* set the channel's XDP program */
	XS_FOP_RELEASER,	/* a second releaser races NAPI (race.c) */
	XS_FOP_CLIENT_DEV,	/* which device the client uses (see below) */
	XS_FOP_CLIENT_BURST,	/* many small no-sync unmaps, no sync */
	XS_FOP_REOPEN_RQ,	/* reopen the channel with another RQ size */
	XS_FOP_FALLBACK_UNIT,	/* a device behind a unit of fewer means reads */
	XS_FOP_RX_FLOOD,	/* rounds of a full RQ received and polled */
	XS_FOP_PFLAG,		/* ethtool: a private flag (see below) */
	XS_FOP_PLAIN_DEV,	/* a device that never opts in (see below) */
	XS_FOP_NETPOLL,		/* NAPI with budget 0: completions, no RX */
	XS_FOP__COUNT
};

struct xs_fuzz_result {
	u64 violations[XS_INV__COUNT];
	int first;		/* the invariant reported first, or -1 */
	u64 steps;
	/*
	 * The run's fingerprint: every trace record (hardware and kernel
	 * events with their times, addresses and frames), the pages
	 * allocated and freed and the memory's high water. Equal for two
	 * runs of one input, whatever ran before (fuzz.reuse tests).
	 */
	u64 digest;
};

/* The modes a finding is a bug in (every mode but passthrough and lazy). */
extern const enum xs_mode xs_fuzz_modes[];
extern const unsigned int xs_fuzz_nr_modes;

/*
 * For the coverage-guided engines: the first byte picks the mode, the
 * rest is the schedule. Returns the number of violations.
 */
u64 xs_fuzz_run_input(const u8 *data, size_t size, FILE *reports);

/* Runs data as a schedule in mode. Returns the number of violations. */
u64 xs_fuzz_run(enum xs_mode mode, const u8 *data, size_t size,
		struct xs_fuzz_result *res, FILE *reports);
/* Makes every step's operation bits canonical (see schedule.c). */
void xs_fuzz_canonical(u8 *data, size_t size);
/* Prints the schedule as readable steps. */
void xs_fuzz_print(FILE *f, const u8 *data, size_t size);

/* The devices of an execution's world (see XS_FOP_UNIT1_READ). */
struct xs_fuzz_devices {
	enum xs_mode mode;
	struct device *nic[XS_FUZZ_UNITS];	/* function u, unit u */
	struct device *client;		/* NULL until its first step */
	struct device *client_peer;	/* NULL until its first read */
};

/*
 * For tests of the fuzzer's world: when set, called at the end of every
 * schedule, before the queues close and the world goes.
 */
extern void (*xs_fuzz_end_hook)(const struct xs_fuzz_devices *d);
/* The releaser operation (race.c), on the world's two channels. */
struct mlx5e_sim_channel;
void xs_fuzz_releaser(struct mlx5e_sim_channel *chs, unsigned int ch,
		      u8 arg);
void xs_fuzz_releaser_describe(FILE *f, u8 arg);

#endif
