// SPDX-License-Identifier: GPL-2.0
/* The ordering fuzzer's schedule language and executor (see schedule.h). */
#include <stdlib.h>
#include <string.h>

#include <linux/dma-map-ops.h>
#include <linux/intel-iommu.h>
#include <linux/iommu.h>
#include <linux/smp.h>
#include <xsmmu/kworld.h>
#include <xsmmu/vtd.h>

#include "dma_client.h"
#include "schedule.h"
#include "sim.h"

static const char *const op_names[XS_FOP__COUNT] = {
	"send", "dev-tx", "dev-rx", "poll", "consume", "tick", "reopen",
	"malicious", "refill", "poll-tx", "poll-rx", "send-tstamp",
	"stale-write",
	"dma-client",
	"unit1-read",
	"xdp", "releaser",
	"client-dev", "client-burst", "reopen-rq",
	"fallback-unit", "rx-flood",
	"pflag", "plain-dev", "netpoll",
};

static const u32 send_len[4] = { 64, 1500, 9000, 60000 };

/* ACK every n-th received packet during a poll (bits 6-7; 0: none). */
static const u32 poll_ack_every[4] = { 0, 1, 2, 4 };

/* The XDP program's XDP_TX rate (bits 0-1; 0: no program). */
static const u32 xdp_tx_every[4] = { 0, 1, 2, 4 };

enum { CLIENT_MAP, CLIENT_UNMAP, CLIENT_SYNC, CLIENT_MALICIOUS };

static const char *const client_action[4] = {
	"map", "unmap-no-sync", "sync+free", "malicious",
};

/*
 * The DMA client's buffer sizes: one page up to 4 MiB, with sizes that
 * are not page multiples. IOVAs are aligned to their power-of-two size,
 * so a mapping of 512 pages and more starts on a 2 MiB boundary: 512
 * and 1024 pages empty one and two page-table spans exactly, 513, 768
 * and 1000 empty one and straddle into the next, the rest stay inside
 * one span (their unmaps free no table page).
 */
#define P4K	4096u
static const u32 client_len[16] = {
	P4K, 100, 2 * P4K, 3 * P4K + 17, 16 * P4K, 33 * P4K, 200 * P4K,
	511 * P4K + 1, 512 * P4K, 513 * P4K, 700 * P4K + 5, 1000 * P4K,
	1024 * P4K, 768 * P4K, 64 * P4K, 1023 * P4K + 3000,
};
#undef P4K

/*
 * The DMA client's devices: the ordinary one and one for each fallback
 * of the patch (src/kernel kernel/dma/mapping.c, dma-iommu.c), all
 * driven by the same no-sync unmaps and dma_sync_device_iotlb().
 */
enum client_kind {
	CLIENT_ORDINARY,	/* the mode's default DMA domain */
	CLIENT_IDENTITY,	/* identity (pass-through) domain: dma-direct */
	CLIENT_DIRECT,		/* behind no IOMMU: dma-direct */
	CLIENT_UNTRUSTED,	/* external-facing: bounces, strict unmaps */
	CLIENT_NO_SYNC_OPS,	/* IOMMU driver without the sync ops */
	CLIENT_NO_RANGES_OP,	/* IOMMU driver with the domain sync only */
	CLIENT_OTHER_DMA_OPS,	/* DMA ops without the no-sync members */
	CLIENT_OPS_DEFER_ONLY,	/* ... with unmap_page_no_sync only */
	CLIENT_OPS_SYNC_ONLY,	/* ... with sync_device_iotlb only */
	CLIENT__KINDS
};

static const char *const client_kind_name[CLIENT__KINDS] = {
	"ordinary", "identity", "no-iommu", "untrusted", "no-sync-ops",
	"no-ranges-op", "other-dma-ops", "ops-defer-only", "ops-sync-only",
};

/* Whether the kind's no-sync unmaps go to its domain's batch. */
static const bool client_kind_batches[CLIENT__KINDS] = {
	[CLIENT_ORDINARY] = true, [CLIENT_NO_RANGES_OP] = true,
};

#define FUZZ_RQ_SIZE	64

/*
 * reopen-rq: an RQ of 1024 or 2048 pages (bit 0) when bits 2-6 are
 * clear, else nothing (the channel keeps its RQ). Posting and releasing
 * 2048 pages costs more than a whole ordinary execution: one in 32.
 */
static u16 reopen_rq(u8 arg)
{
	return arg & 0x7c ? 0 : arg & 1 ? 2048 : 1024;
}

/* client-burst fills the domain's batch when bits 2-5 are clear. */
static bool burst_fills(u8 arg)
{
	return !(arg & 0x3c);
}

/* An unaligned start (bit 6), unless the block would pass 4 MiB. */
static u32 client_off(u8 arg)
{
	u32 len = client_len[(arg >> 2) & 15];

	return (arg & 0x40) && len + 0x340 <= (4u << 20) ? 0x340 : 0;
}

/* The devices behind units that cannot take page-selective descriptors. */
enum fallback_dev {
	FALLBACK_NO_PSI,	/* behind unit 2: CAP.PSI clear */
	FALLBACK_ATS,		/* behind unit 2, ATS on: a device-TLB */
	FALLBACK_NO_QI,		/* behind unit 3: register-based flushes */
	FALLBACK__DEVS
};

static const char *const fallback_name[FALLBACK__DEVS] = {
	"no-psi unit", "ats device", "no-qi unit",
};

static enum fallback_dev fallback_of(u8 arg)
{
	return (arg & 3) == 3 ? FALLBACK_NO_PSI : (enum fallback_dev)(arg & 3);
}

/*
 * rx-flood: 5 to 8 rounds fill the RX page cache inside a poll, with
 * bits 3-6 clear; none otherwise (a round costs about a reopen, and the
 * other operations already receive and poll: one in 16 is what the
 * fuzz rate affords).
 */
static unsigned int rx_flood_rounds(u8 arg)
{
	return arg & 0x78 ? 0 : 5 + (arg & 3);
}

struct step {
	enum xs_fuzz_op op;
	unsigned int ch;
	u8 arg;
};

/*
 * The operation is bits 0-3 and 5 of the step's byte (bit 5 is the high
 * bit, so inputs written when there were 16 operations or fewer, with
 * bit 5 clear, decode the same), modulo the number of operations.
 */
static unsigned int op_of(u8 b)
{
	return ((b & 15u) | ((b & 0x20u) >> 1)) % XS_FOP__COUNT;
}

static size_t decode(const u8 *data, size_t size, size_t i, struct step *s)
{
	u8 b = data[i];

	s->op = (enum xs_fuzz_op)op_of(b);
	s->ch = (b >> 4) & 1;
	s->arg = i + 1 < size ? data[i + 1] : 0;
	return i + 2;
}

static void describe(FILE *f, const struct step *s)
{
	fprintf(f, "ch%u %-11s ", s->ch, op_names[s->op]);
	switch (s->op) {
	case XS_FOP_SEND:
		fprintf(f, "%u x %u B\n", 1 + ((s->arg >> 2) & 7),
			send_len[s->arg & 3]);
		break;
	case XS_FOP_DEV_TX:
		fprintf(f, "%u WQEs, a completion every %u\n",
			1 + s->arg % 16, 1 + (s->arg >> 4) % 4);
		break;
	case XS_FOP_DEV_RX:
		fprintf(f, "%u packets\n", 1 + s->arg % 32);
		break;
	case XS_FOP_POLL:
	case XS_FOP_POLL_RX:
		fprintf(f, "budget %u", 1 + s->arg % 64);
		if (poll_ack_every[s->arg >> 6])
			fprintf(f, ", an ACK every %u received",
				poll_ack_every[s->arg >> 6]);
		fprintf(f, "\n");
		break;
	case XS_FOP_DMA_CLIENT:
	case XS_FOP_PLAIN_DEV:
		fprintf(f, "%s", client_action[s->arg & 3]);
		if ((s->arg & 3) == CLIENT_MAP)
			fprintf(f, " %u B at +%#x%s",
				client_len[(s->arg >> 2) & 15],
				client_off(s->arg),
				s->arg & 0x80 ? ", dma_map_single" : "");
		else if ((s->arg & 3) == CLIENT_UNMAP)
			fprintf(f, " mapped buffer %u%s%s", (s->arg >> 2) & 15,
				s->arg & 0x80 ? ", written again first" : "",
				s->arg & 0x40 ?
				", synced for the CPU, DMA_ATTR_SKIP_CPU_SYNC" :
				"");
		else if ((s->arg & 3) == CLIENT_MALICIOUS)
			fprintf(f, " %u reads", 1 + ((s->arg >> 2) & 15));
		fprintf(f, "\n");
		break;
	case XS_FOP_CLIENT_DEV:
		fprintf(f, "%s\n", client_kind_name[s->arg % CLIENT__KINDS]);
		break;
	case XS_FOP_CLIENT_BURST:
		if (burst_fills(s->arg))
			fprintf(f, "fill the batch to its size %+d\n",
				(s->arg & 3) - 1);
		else
			fprintf(f, "%d mappings\n",
				32 * ((s->arg >> 2) & 3) + (s->arg & 3) - 1);
		break;
	case XS_FOP_REOPEN_RQ:
		if (reopen_rq(s->arg))
			fprintf(f, "RQ of %u\n", reopen_rq(s->arg));
		else
			fprintf(f, "(keeps its RQ)\n");
		break;
	case XS_FOP_RX_FLOOD:
		fprintf(f, "%u rounds of %u packets, each polled\n",
			rx_flood_rounds(s->arg), FUZZ_RQ_SIZE);
		break;
	case XS_FOP_FALLBACK_UNIT:
		fprintf(f, "%s: %u reads of the client's %s IOVAs\n",
			fallback_name[fallback_of(s->arg)],
			1 + ((s->arg >> 2) & 15),
			s->arg & 0x80 ? "any (old too)" : "live");
		break;
	case XS_FOP_CONSUME:
	case XS_FOP_MALICIOUS:
		fprintf(f, "%u\n", s->arg % 64);
		break;
	case XS_FOP_UNIT1_READ:
		fprintf(f, "%s domain: %u reads of %s IOVAs, from newest-%u\n",
			s->ch ? "client" : "nic", 1 + (s->arg & 15),
			s->arg & 0x80 ? "any (old too)" : "live",
			(s->arg >> 4) & 7);
		break;
	case XS_FOP_STALE_WRITE:
		fprintf(f, "%u\n", 1 + s->arg % 16);
		break;
	case XS_FOP_TICK:
		fprintf(f, "%u ns\n", 1000U << (s->arg % 14));
		break;
	case XS_FOP_XDP:
		fprintf(f, "XDP_TX every %u\n", xdp_tx_every[s->arg & 3]);
		break;
	case XS_FOP_RELEASER:
		xs_fuzz_releaser_describe(f, s->arg);
		break;
	case XS_FOP_PFLAG:
		fprintf(f, "%s %s%s\n", s->arg & 1 ? "rx_batch_unmap" :
			"tx_batch_unmap", s->arg & 2 ? "on" : "off",
			s->arg & 4 ? ", after a failed RQ allocation" : "");
		break;
	default:
		fprintf(f, "\n");
	}
}

/*
 * Rewrites each step's operation bits to the operation they decode to now
 * (below XS_FOP__COUNT, so no modulo wrap): the other bits are kept, the
 * input runs the same, and it keeps decoding the same when operations
 * are appended at the end of the enum.
 */
void xs_fuzz_canonical(u8 *data, size_t size)
{
	size_t i;

	for (i = 0; i < size; i += 2) {
		unsigned int op = op_of(data[i]);

		data[i] = (u8)((data[i] & ~0x2fu) | (op & 15u) |
			       ((op & 16u) << 1));
	}
}

void xs_fuzz_print(FILE *f, const u8 *data, size_t size)
{
	struct step s;
	size_t i = 0, n = 0;

	while (i < size) {
		i = decode(data, size, i, &s);
		fprintf(f, "%4zu  ", n++);
		describe(f, &s);
	}
}

const enum xs_mode xs_fuzz_modes[] = {
	XS_MODE_STRICT, XS_MODE_XSMMU_SEED, XS_MODE_XSMMU_POLL,
	XS_MODE_PSI_BATCH, XS_MODE_ADAPTIVE, XS_MODE_COALESCE,
};

const unsigned int xs_fuzz_nr_modes =
	sizeof(xs_fuzz_modes) / sizeof(xs_fuzz_modes[0]);

u64 xs_fuzz_run_input(const u8 *data, size_t size, FILE *reports)
{
	struct xs_fuzz_result r;

	if (!size)
		return 0;
	return xs_fuzz_run(xs_fuzz_modes[data[0] % xs_fuzz_nr_modes],
			   data + 1, size - 1, &r, reports);
}

static const char *mode_cmdline(enum xs_mode m)
{
	/* adaptive with a low threshold, so both of its paths run */
	if (m == XS_MODE_ADAPTIVE)
		return "iommu.xsmmu=adaptive iommu.xsmmu_max_ranges=4";
	return xs_mode_cmdline(m);
}

static int open_ch(struct mlx5e_sim_channel *ch, struct device *dev)
{
	struct mlx5e_sim_channel_config cc;

	mlx5e_sim_channel_default(&cc);
	cc.sq_size = 64;
	cc.rq_size = FUZZ_RQ_SIZE;
	/*
	 * More than the RX page cache (256) and the queue: a stack that holds
	 * its skbs fills the cache, and pages then leave through the no-sync
	 * unmap inside the poll.
	 */
	cc.stack_size = 512;
	cc.mpwqe = true;
	return mlx5e_sim_channel_open(ch, dev, &cc);
}

/* One run's world: the NIC's channels and the DMA client. */
struct fuzz_client {
	struct device *dev;	/* made at its first step */
	struct xs_dma_client c;
};

struct fuzz_world {
	struct xs_kworld *w;
	enum xs_mode mode;
	/* Channel c on NIC function c, behind unit c (see schedule.h). */
	struct mlx5e_sim_topology topo;
	struct mlx5e_sim_channel chs[XS_FUZZ_CHANNELS];
	struct fuzz_client clients[CLIENT__KINDS];
	unsigned int client_kind;	/* the one the client's steps use */
	struct fuzz_client plain;	/* never opts in: at its first step */
	/* Behind unit 1 in the ordinary client's domain: at its first read. */
	struct device *client_peer;
	/* In the ordinary client's domain too: at their first step. */
	struct device *fallback[FALLBACK__DEVS];
};

/* Drivers without the patch's ops, for the fallback kinds. */
static struct iommu_ops no_sync_ops, no_ranges_op;
static struct dma_map_ops other_dma_ops[3];

static struct xs_dma_client *client_get(struct fuzz_world *fw,
					unsigned int kind);

/*
 * A device in the ordinary client's DMA domain (a second function in
 * its IOMMU group): a domain costs a sixth of an execution to build,
 * and sharing one also mixes this device's unmaps with batched ones.
 * Falls back to a strict domain of its own where that one is not a
 * strict DMA domain (pass-through).
 */
static struct device *client_device_join(struct fuzz_world *fw,
					 const char *name, u16 sid)
{
	struct device *ord = client_get(fw, CLIENT_ORDINARY)->dev;
	struct iommu_domain *domain = iommu_get_dma_domain(ord);
	struct device *dev;

	if (!domain || domain->type != IOMMU_DOMAIN_DMA)
		return xs_device_create(name, sid, 0, IOMMU_DOMAIN_DMA);
	dev = xs_device_create(name, sid, 0, IOMMU_DOMAIN_IDENTITY);
	if (dev && xs_device_join(dev, ord)) {
		xs_device_destroy(dev);
		dev = NULL;
	}
	return dev;
}

static struct device *client_device_create(struct fuzz_world *fw,
					   unsigned int kind)
{
	u16 sid = 0x0400 + kind;
	struct device *dev = NULL;

	switch (kind) {
	case CLIENT_ORDINARY:
		return xs_device_create("dma_client", sid, 0,
					fw->mode == XS_MODE_PASSTHROUGH ?
					IOMMU_DOMAIN_IDENTITY : 0);
	case CLIENT_IDENTITY:
		return xs_device_create("dma_client_pt", sid, 0,
					IOMMU_DOMAIN_IDENTITY);
	case CLIENT_DIRECT:
		return xs_device_create("dma_client_direct", sid, -1, 0);
	case CLIENT_UNTRUSTED:
		/* 5.15 gives untrusted devices a strict DMA domain. */
		dev = client_device_join(fw, "dma_client_untrusted", sid);
		if (dev)
			dev->xs_untrusted = true;
		return dev;
	case CLIENT_NO_SYNC_OPS:
	case CLIENT_NO_RANGES_OP:
		no_sync_ops = intel_iommu_ops;
		no_sync_ops.flush_iotlb_all = NULL;
		no_sync_ops.sync_iotlb_ranges = NULL;
		no_ranges_op = intel_iommu_ops;
		no_ranges_op.sync_iotlb_ranges = NULL;
		xs_kworld_set_domain_ops(kind == CLIENT_NO_SYNC_OPS ?
					 &no_sync_ops : &no_ranges_op);
		/*
		 * Strict: in a lazy domain the driver's ordinary unmap, which
		 * the no-sync one falls back to, is lazy by configuration.
		 */
		dev = xs_device_create("dma_client_other_iommu", sid, 0,
				       IOMMU_DOMAIN_DMA);
		xs_kworld_set_domain_ops(NULL);
		return dev;
	case CLIENT_OTHER_DMA_OPS:
	case CLIENT_OPS_DEFER_ONLY:
	case CLIENT_OPS_SYNC_ONLY:
		/*
		 * Another DMA ops implementation than dma-iommu's (x86 GART,
		 * Xen's swiotlb): without the no-sync members, or with one of
		 * them only, which must not make the unmap deferred either.
		 */
		dev = client_device_join(fw, "dma_client_other_ops", sid);
		if (dev) {
			struct dma_map_ops *ops =
				&other_dma_ops[kind - CLIENT_OTHER_DMA_OPS];

			*ops = *dev->dma_ops;
			if (kind != CLIENT_OPS_DEFER_ONLY)
				ops->unmap_page_no_sync = NULL;
			if (kind != CLIENT_OPS_SYNC_ONLY)
				ops->sync_device_iotlb = NULL;
			dev->dma_ops = ops;
		}
		return dev;
	}
	return NULL;
}

/* The client of a kind, made at its first use. */
static struct xs_dma_client *client_get(struct fuzz_world *fw,
					unsigned int kind)
{
	struct fuzz_client *fc;

	kind %= CLIENT__KINDS;
	fc = &fw->clients[kind];
	if (!fc->dev) {
		fc->dev = client_device_create(fw, kind);
		if (!fc->dev)
			abort();
		xs_dma_client_init(&fc->c, fc->dev);
		fc->c.untranslated = kind == CLIENT_IDENTITY ||
				     kind == CLIENT_DIRECT ||
				     fw->mode == XS_MODE_PASSTHROUGH;
	}
	return &fc->c;
}

/* The client of the kind its steps use now. */
static struct xs_dma_client *client_of(struct fuzz_world *fw)
{
	return client_get(fw, fw->client_kind);
}

/*
 * Fill the domain's batch up to its size + d (the full batch's inline
 * sync for d > 0), or make 32 x k + d mappings (the ranges sync's chunks
 * of 16, its cap of 64 ranges). A device that does not batch gets at most 65: every one of
 * its unmaps is a strict one, and it has no batch to fill.
 */
static void client_burst(struct fuzz_world *fw, u8 arg)
{
	struct xs_dma_client *c = client_of(fw);
	int d = (arg & 3) - 1, n = 32 * ((arg >> 2) & 3) + d;
	unsigned int held, size;

	if (burst_fills(arg)) {
		xs_device_batch_state(c->dev, &held, &size);
		n = client_kind_batches[fw->client_kind] && size ?
		    (int)(size - held) + d : 64 + d;
	}
	if (n > 0)
		xs_dma_client_burst(c, (unsigned int)n);
}

static void client_step(struct xs_dma_client *c, u8 arg)
{
	int slot;

	switch (arg & 3) {
	case CLIENT_MAP:
		/* All slots busy or memory short: the driver waits. */
		xs_dma_client_map(c, client_len[(arg >> 2) & 15],
				  client_off(arg), arg & 0x80);
		break;
	case CLIENT_UNMAP:
		slot = xs_dma_client_nth_mapped(c, (arg >> 2) & 15);
		if (slot < 0)
			break;
		if (arg & 0x80)
			xs_dma_client_device_write(c, slot);
		if (arg & 0x40)
			xs_dma_client_unmap_synced(c, slot);
		else
			xs_dma_client_unmap(c, slot);
		break;
	case CLIENT_SYNC:
		xs_dma_client_sync(c);
		break;
	default:
		xs_dma_client_malicious(c, 1 + ((arg >> 2) & 15));
		break;
	}
}

/*
 * reader reads n of the IOVA pages owner was given (seen[], a ring of
 * size entries, count of them filled, next the slot written next), from
 * the from-th newest: live pages only (a DMA the driver allows), or any
 * with any (stale reads). At most 4 x n pages are looked at.
 */
static void device_reads(struct device *owner, struct device *reader,
			 const dma_addr_t *seen, u32 count, u32 next, u32 size,
			 u32 from, u32 n, bool any)
{
	u32 i, probes = 4 * n;
	u8 buf[16];

	for (i = from; n && probes-- && i < count; i++) {
		dma_addr_t addr = seen[(next + size - 1 - i) % size];

		if (!any && !xs_device_iova_page_live(owner, addr))
			continue;
		n--;
		xs_device_dma(reader, addr, buf, sizeof(buf), false);
	}
}

/*
 * ethtool --set-priv-flags on the model's netdev (see schedule.h). The
 * injected failure leaves the channel closed, as a failed open does; an
 * open brings it back.
 */
static void pflag_step(struct fuzz_world *fw, struct mlx5e_sim_channel *ch,
		       u8 arg)
{
	enum mlx5e_priv_flag flag = arg & 1 ? MLX5E_PFLAG_RX_BATCH_UNMAP :
					      MLX5E_PFLAG_TX_BATCH_UNMAP;

	if (arg & 4) {
		struct mlx5e_sim_channel_config cfg = ch->cfg;
		struct device *pdev = ch->pdev;

		mlx5e_sim_fail_reg_mem_model = 1;
		if (!mlx5e_sim_channel_reopen(ch))
			abort();	/* the injected failure did not fail */
		mlx5e_sim_fail_reg_mem_model = 0;
		/* A new open: the device's memory of old IOVAs went with it. */
		if (mlx5e_sim_channel_open(ch, pdev, &cfg))
			abort();
	}
	if (mlx5e_sim_set_pflag(fw->chs, XS_FUZZ_CHANNELS, flag, arg & 2))
		abort();	/* the world ran out of memory: a bug */
}

/*
 * The device whose driver never opts in, in a strict DMA domain of its
 * own (a lazy one would be unsafe by configuration), made at its first
 * step.
 */
static struct xs_dma_client *plain_get(struct fuzz_world *fw)
{
	struct fuzz_client *fc = &fw->plain;

	if (!fc->dev) {
		fc->dev = xs_device_create("plain_dma", 0x0500, 0,
					   fw->mode == XS_MODE_PASSTHROUGH ?
					   IOMMU_DOMAIN_IDENTITY :
					   IOMMU_DOMAIN_DMA);
		if (!fc->dev)
			abort();
		xs_dma_client_init_plain(&fc->c, fc->dev);
		fc->c.untranslated = fw->mode == XS_MODE_PASSTHROUGH;
	}
	return &fc->c;
}

/*
 * A device behind unit 1 reads IOVA pages of a domain that unit 0's
 * device was given, newest first: NIC function 1 those of channel 0, or
 * the client's peer those of the client (the peer joins the client's
 * domain at its first read, after every other domain: its domain id on
 * unit 1 is neither the client's on unit 0 nor the NIC's). Live pages
 * only (a DMA the driver allows, which caches the translation in unit
 * 1's IOTLB for the sync to find), or with bit 7 any page it was once
 * given (a stale read, as XS_FOP_MALICIOUS).
 */
static void unit1_read(struct fuzz_world *fw, const struct step *s)
{
	const dma_addr_t *seen;
	struct device *owner, *reader;
	u32 count, next, size, n = 1 + (s->arg & 15);
	bool any = s->arg & 0x80;

	if (!s->ch) {
		const struct mlx5e_sim_channel *ch = &fw->chs[0];

		seen = ch->seen;
		count = ch->seen_count;
		next = ch->seen_next;
		size = ch->seen_size;
		owner = fw->topo.fn[0];
		reader = fw->topo.fn[1];
	} else {
		struct fuzz_client *fc = &fw->clients[CLIENT_ORDINARY];

		if (!fc->dev)
			return;
		if (fw->mode == XS_MODE_PASSTHROUGH)
			return;	/* no domain to share */
		if (!fw->client_peer)
			fw->client_peer = xs_device_create_in("dma_client.1",
							      0x0401, 1,
							      fc->dev);
		if (!fw->client_peer)
			abort();
		seen = fc->c.seen;
		count = fc->c.seen_count;
		next = fc->c.seen_next;
		size = XS_DMA_CLIENT_SEEN;
		owner = fc->dev;
		reader = fw->client_peer;
	}
	device_reads(owner, reader, seen, count, next, size,
		     (s->arg >> 4) & 7, n, any);
}

/*
 * A device of the ordinary client's domain behind a unit of fewer
 * means (see schedule.h), made at its first step and left there, so
 * every later sync of the domain takes the fallback for it; it reads
 * the client's IOVAs, newest first, so translations are cached on its
 * unit (a stale one left there is what a wrong fallback would show).
 */
static void fallback_read(struct fuzz_world *fw, u8 arg)
{
	static const u16 sid[FALLBACK__DEVS] = { 0x0402, 0x0403, 0x0404 };
	static const int unit[FALLBACK__DEVS] = {
		XS_FUZZ_UNIT_NO_PSI, XS_FUZZ_UNIT_NO_PSI, XS_FUZZ_UNIT_NO_QI,
	};
	enum fallback_dev k = fallback_of(arg);
	struct fuzz_client *fc = &fw->clients[CLIENT_ORDINARY];

	if (fw->mode == XS_MODE_PASSTHROUGH)
		return;	/* no domain to share */
	client_get(fw, CLIENT_ORDINARY);
	if (!fw->fallback[k]) {
		fw->fallback[k] = xs_device_create_in(fallback_name[k], sid[k],
						      unit[k], fc->dev);
		if (!fw->fallback[k])
			abort();
		if (k == FALLBACK_ATS)
			xs_device_enable_ats(fw->fallback[k], 32);
	}
	device_reads(fc->dev, fw->fallback[k], fc->c.seen, fc->c.seen_count,
		     fc->c.seen_next, XS_DMA_CLIENT_SEEN, 0,
		     1 + ((arg >> 2) & 15), arg & 0x80);
}

static void run_step(struct fuzz_world *fw, const struct step *s)
{
	struct xs_kworld *w = fw->w;
	struct mlx5e_sim_channel *ch = &fw->chs[s->ch];
	unsigned int i, n;

	xs_cpu_set_current(s->ch);
	switch (s->op) {
	case XS_FOP_SEND:
		n = 1 + ((s->arg >> 2) & 7);
		for (i = 0; i < n; i++)
			if (mlx5e_sim_send(ch, send_len[s->arg & 3], i + 1 < n,
					   false))
				break;
		break;
	case XS_FOP_SEND_TSTAMP:
		mlx5e_sim_send(ch, 200, false, true);
		break;
	case XS_FOP_DEV_TX:
		mlx5e_sim_nic_tx(ch, 1 + s->arg % 16, 1 + (s->arg >> 4) % 4);
		mlx5e_sim_nic_xdp_tx(ch, 1 + s->arg % 16);
		break;
	case XS_FOP_DEV_RX:
		mlx5e_sim_nic_rx(ch, 1 + s->arg % 32, 64 + s->arg * 5);
		break;
	case XS_FOP_POLL:
		ch->ack_every = poll_ack_every[s->arg >> 6];
		mlx5e_sim_napi_poll(ch, 1 + s->arg % 64);
		break;
	case XS_FOP_POLL_TX:
		mlx5e_poll_tx_cq(&ch->sq.cq, 64);
		break;
	case XS_FOP_POLL_RX:
		ch->ack_every = poll_ack_every[s->arg >> 6];
		mlx5e_poll_rx_cq(&ch->rq.cq, 1 + s->arg % 64);
		break;
	case XS_FOP_REFILL:
		mlx5e_post_rx_wqes(&ch->rq);
		break;
	case XS_FOP_CONSUME:
		mlx5e_sim_stack_consume(ch, s->arg % 64);
		break;
	case XS_FOP_TICK:
		xs_kworld_advance(w, 1000ULL << (s->arg % 14));
		break;
	case XS_FOP_REOPEN:
		/* Same config; the device keeps what it remembers. */
		if (mlx5e_sim_channel_reopen(ch))
			abort();	/* the world ran out of memory: a bug */
		break;
	case XS_FOP_MALICIOUS:
		mlx5e_sim_malicious(ch, s->arg % 64);
		break;
	case XS_FOP_STALE_WRITE:
		mlx5e_sim_stale_write(ch, 1 + s->arg % 16);
		break;
	case XS_FOP_DMA_CLIENT:
		client_step(client_of(fw), s->arg);
		break;
	case XS_FOP_UNIT1_READ:
		unit1_read(fw, s);
		break;
	case XS_FOP_XDP:
		if (mlx5e_sim_set_xdp(ch, xdp_tx_every[s->arg & 3]))
			abort();	/* the world ran out of memory: a bug */
		break;
	case XS_FOP_RELEASER:
		xs_fuzz_releaser(fw->chs, s->ch, s->arg);
		break;
	case XS_FOP_CLIENT_DEV:
		fw->client_kind = s->arg % CLIENT__KINDS;
		break;
	case XS_FOP_CLIENT_BURST:
		client_burst(fw, s->arg);
		break;
	case XS_FOP_PFLAG:
		pflag_step(fw, ch, s->arg);
		break;
	case XS_FOP_PLAIN_DEV:
		client_step(plain_get(fw), s->arg);
		break;
	case XS_FOP_NETPOLL:
		/* TX and XDP completions release pages, no RX poll flushes */
		mlx5e_sim_napi_poll(ch, 0);
		break;
	case XS_FOP_REOPEN_RQ:
		if (!reopen_rq(s->arg))
			break;
		/* This open only: the next reopen goes back to FUZZ_RQ_SIZE. */
		ch->cfg.rq_size = reopen_rq(s->arg);
		if (mlx5e_sim_channel_reopen(ch))
			abort();	/* the world ran out of memory: a bug */
		ch->cfg.rq_size = FUZZ_RQ_SIZE;
		break;
	case XS_FOP_FALLBACK_UNIT:
		fallback_read(fw, s->arg);
		break;
	case XS_FOP_RX_FLOOD:
		/* Every posted page received, then NAPI, the stack holding. */
		n = rx_flood_rounds(s->arg);
		for (i = 0; i < n; i++) {
			mlx5e_sim_nic_rx(ch, FUZZ_RQ_SIZE, 64 + s->arg * 5);
			ch->ack_every = 0;
			mlx5e_sim_napi_poll(ch, FUZZ_RQ_SIZE);
		}
		break;
	default:
		break;
	}
}

void (*xs_fuzz_end_hook)(const struct xs_fuzz_devices *d);

static void end_hook(struct fuzz_world *fw)
{
	struct xs_fuzz_devices d = {
		.mode = fw->mode,
		.client = fw->clients[CLIENT_ORDINARY].dev,
		.client_peer = fw->client_peer,
	};
	unsigned int u;

	for (u = 0; u < XS_FUZZ_UNITS; u++)
		d.nic[u] = fw->topo.fn[u];
	xs_fuzz_end_hook(&d);
}

/*
 * Unit 1 takes page-selective invalidations of at most 2 MiB (CAP.MAMV
 * 9; unit 0 has the parameter's 18): a range sync of a larger client
 * buffer must flush the whole domain on unit 1 while it stays
 * page-selective on unit 0.
 */
static void fuzz_unit_config(unsigned int unit, struct vtd_unit_config *ucfg)
{
	if (unit == 1)
		ucfg->mamv = 9;
	if (unit == XS_FUZZ_UNIT_NO_PSI) {
		ucfg->psi = false;
		ucfg->dev_tlb = true;
	}
}

u64 xs_fuzz_run(enum xs_mode mode, const u8 *data, size_t size,
		struct xs_fuzz_result *res, FILE *reports)
{
	struct fuzz_world fw;
	const struct xs_violation *first;
	struct xs_kworld_config wc;
	struct step s;
	size_t i = 0;
	u64 total = 0;
	bool unplug = false;
	unsigned int c;
	int k;

	memset(res, 0, sizeof(*res));
	memset(&fw, 0, sizeof(fw));
	fw.mode = mode;
	xs_kworld_default_config(&wc);
	wc.nr_units = XS_FUZZ_ALL_UNITS;
	wc.unit_config = fuzz_unit_config;
	wc.no_qi_units = 1u << XS_FUZZ_UNIT_NO_QI;
	wc.nr_cpus = XS_FUZZ_WORK_CPU + 1;
	wc.phys_frames = 1 << 15;
	wc.trace_records = 256;
	wc.cmdline = mode_cmdline(mode);
	fw.w = xs_kworld_create(&wc);
	if (!fw.w)
		abort();
	xs_oracle_set_fatal(fw.w->oracle, false);
	xs_oracle_set_output(fw.w->oracle, reports);
	mlx5e_sim_tx_policy(mode == XS_MODE_XSMMU_SEED ? 1 :
			    mode >= XS_MODE_XSMMU_POLL ? 2 : 0);
	mlx5e_sim_rx_batching(mode >= XS_MODE_XSMMU_SEED);
	if (mlx5e_sim_topology_create(&fw.topo, XS_FUZZ_UNITS,
				      mode == XS_MODE_PASSTHROUGH ?
				      IOMMU_DOMAIN_IDENTITY : 0))
		abort();
	for (c = 0; c < XS_FUZZ_CHANNELS; c++) {
		xs_cpu_set_current(c);
		if (open_ch(&fw.chs[c], fw.topo.fn[c % XS_FUZZ_UNITS]))
			abort();
	}
	while (i < size) {
		i = decode(data, size, i, &s);
		run_step(&fw, &s);
		res->steps++;
		/* A schedule that ends with a burst ends with a hot-unplug. */
		unplug = s.op == XS_FOP_CLIENT_BURST;
	}
	if (xs_fuzz_end_hook)
		end_hook(&fw);
	for (c = 0; c < XS_FUZZ_CHANNELS; c++) {
		xs_cpu_set_current(c);
		mlx5e_sim_channel_close(&fw.chs[c]);
	}
	xs_cpu_set_current(0);
	for (c = 0; c < CLIENT__KINDS; c++) {
		if (!fw.clients[c].dev)
			continue;
		if (c == CLIENT_ORDINARY && unplug) {
			/* Hot-unplug with unmaps held: the domain's teardown
			 * completes them, the buffers are freed after it.
			 */
			xs_dma_client_unmap_all(&fw.clients[c].c);
			xs_device_destroy(fw.clients[c].dev);
			continue;
		}
		xs_dma_client_fini(&fw.clients[c].c);
		xs_device_destroy(fw.clients[c].dev);
	}
	if (fw.plain.dev) {
		xs_dma_client_fini(&fw.plain.c);
		xs_device_destroy(fw.plain.dev);
	}
	xs_device_destroy(fw.client_peer);
	for (c = 0; c < FALLBACK__DEVS; c++)
		xs_device_destroy(fw.fallback[c]);
	mlx5e_sim_topology_destroy(&fw.topo);
	if (unplug && fw.clients[CLIENT_ORDINARY].dev)
		xs_dma_client_release_unmapped(&fw.clients[CLIENT_ORDINARY].c);
	res->digest = fw.w->trace.digest ^ fw.w->trace.seq ^
		      fw.w->pages_allocated << 32 ^ fw.w->pages_freed << 16 ^
		      xs_physmem_high_water(fw.w->pm);
	for (k = 0; k < XS_INV__COUNT; k++)
		res->violations[k] = xs_oracle_count(fw.w->oracle, k);
	first = xs_oracle_first(fw.w->oracle);
	res->first = first ? (int)first->inv : -1;
	res->violations[XS_L1] += xs_kworld_destroy(fw.w);
	if (res->first < 0 && res->violations[XS_L1])
		res->first = XS_L1;	/* a leak found at teardown */
	mlx5e_sim_tx_policy(2);
	mlx5e_sim_rx_batching(true);
	mlx5e_sim_fail_reg_mem_model = 0;
	for (k = 0; k < XS_INV__COUNT; k++)
		total += res->violations[k];
	return total;
}
