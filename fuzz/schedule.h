/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The schedule language of the ordering fuzzer. Any byte string is a
 * valid schedule: each step takes one byte (operation in bits 0-3 and 5,
 * bit 5 the high bit, modulo the number of operations; channel in bit 4)
 * and, when there is one, the next byte as its
 * argument. A schedule runs against a fresh world in one mode: a mlx5
 * function with two channels sharing one domain, each on its own CPU,
 * and a generic DMA client (src/dma_client) in a domain of its own; at
 * the end every queue is closed, the client's buffers synced and freed,
 * and the world torn down, so leaks count too. The oracle's verdict is
 * the result.
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
 * channel bit picks the CPU the client runs on.
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
 * plus d, else it makes 32 x (bits 2-3) + d of them (the chunk of the
 * ranges sync), d = (bits 0-1) - 1; on a device that does not batch, at
 * most 65. reopen-rq, with bits 2-6 clear, reopens the channel with an
 * RQ of 1024 or 2048 pages (bit 0) for that open only, so its close
 * releases a full RX pending array exactly, or two; else it does nothing.
 */
#ifndef XS_FUZZ_SCHEDULE_H
#define XS_FUZZ_SCHEDULE_H

#include <stddef.h>
#include <stdio.h>
#include <xsmmu/oracle.h>
#include <xsmmu/run.h>
#include <xsmmu/types.h>

#define XS_FUZZ_CHANNELS	2

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
	XS_FOP_CLIENT_DEV,	/* which device the client uses (see below) */
	XS_FOP_CLIENT_BURST,	/* many small no-sync unmaps, no sync */
	XS_FOP_REOPEN_RQ,	/* reopen the channel with another RQ size */
	XS_FOP__COUNT
};

struct xs_fuzz_result {
	u64 violations[XS_INV__COUNT];
	int first;		/* the invariant reported first, or -1 */
	u64 steps;
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
/* Prints the schedule as readable steps. */
void xs_fuzz_print(FILE *f, const u8 *data, size_t size);

#endif
