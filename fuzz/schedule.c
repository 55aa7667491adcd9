// SPDX-License-Identifier: GPL-2.0
/* The ordering fuzzer's schedule language and executor (see schedule.h). */
#include <stdlib.h>
#include <string.h>

#include <linux/iommu.h>
#include <linux/smp.h>
#include <xsmmu/kworld.h>

#include "schedule.h"
#include "sim.h"

static const char *const op_names[XS_FOP__COUNT] = {
	"send", "dev-tx", "dev-rx", "poll", "consume", "tick", "reopen",
	"malicious", "refill", "poll-tx", "poll-rx", "send-tstamp",
	"stale-write",
};

static const u32 send_len[4] = { 64, 1500, 9000, 60000 };

struct step {
	enum xs_fuzz_op op;
	unsigned int ch;
	u8 arg;
};

static size_t decode(const u8 *data, size_t size, size_t i, struct step *s)
{
	u8 b = data[i];

	s->op = (enum xs_fuzz_op)((b & 15) % XS_FOP__COUNT);
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
		fprintf(f, "budget %u\n", 1 + s->arg % 64);
		break;
	case XS_FOP_CONSUME:
	case XS_FOP_MALICIOUS:
		fprintf(f, "%u\n", s->arg % 64);
		break;
	case XS_FOP_STALE_WRITE:
		fprintf(f, "%u\n", 1 + s->arg % 16);
		break;
	case XS_FOP_TICK:
		fprintf(f, "%u ns\n", 1000U << (s->arg % 14));
		break;
	default:
		fprintf(f, "\n");
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
	cc.rq_size = 64;
	cc.stack_size = 128;
	cc.mpwqe = true;
	return mlx5e_sim_channel_open(ch, dev, &cc);
}

static void run_step(struct xs_kworld *w, struct mlx5e_sim_channel *chs,
		     struct device *dev, const struct step *s)
{
	struct mlx5e_sim_channel *ch = &chs[s->ch];
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
		break;
	case XS_FOP_DEV_RX:
		mlx5e_sim_nic_rx(ch, 1 + s->arg % 32, 64 + s->arg * 5);
		break;
	case XS_FOP_POLL:
		mlx5e_sim_napi_poll(ch, 1 + s->arg % 64);
		break;
	case XS_FOP_POLL_TX:
		mlx5e_poll_tx_cq(&ch->sq.cq, 64);
		break;
	case XS_FOP_POLL_RX:
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
	default:
		break;
	}
}

u64 xs_fuzz_run(enum xs_mode mode, const u8 *data, size_t size,
		struct xs_fuzz_result *res, FILE *reports)
{
	struct mlx5e_sim_channel chs[XS_FUZZ_CHANNELS];
	struct xs_kworld_config wc;
	struct xs_kworld *w;
	struct device *dev;
	struct step s;
	size_t i = 0;
	u64 total = 0;
	unsigned int c;
	int k;

	memset(res, 0, sizeof(*res));
	xs_kworld_default_config(&wc);
	wc.nr_cpus = XS_FUZZ_CHANNELS;
	wc.phys_frames = 1 << 15;
	wc.trace_records = 256;
	wc.cmdline = mode_cmdline(mode);
	w = xs_kworld_create(&wc);
	if (!w)
		abort();
	xs_oracle_set_fatal(w->oracle, false);
	xs_oracle_set_output(w->oracle, reports);
	mlx5e_sim_tx_policy(mode == XS_MODE_XSMMU_SEED ? 1 :
			    mode >= XS_MODE_XSMMU_POLL ? 2 : 0);
	mlx5e_sim_rx_batching(mode >= XS_MODE_XSMMU_SEED);
	dev = xs_device_create("mlx5_core", 0x0300, 0,
			       mode == XS_MODE_PASSTHROUGH ?
			       IOMMU_DOMAIN_IDENTITY : 0);
	if (!dev)
		abort();
	for (c = 0; c < XS_FUZZ_CHANNELS; c++) {
		xs_cpu_set_current(c);
		if (open_ch(&chs[c], dev))
			abort();
	}
	while (i < size) {
		i = decode(data, size, i, &s);
		run_step(w, chs, dev, &s);
		res->steps++;
	}
	for (c = 0; c < XS_FUZZ_CHANNELS; c++) {
		xs_cpu_set_current(c);
		mlx5e_sim_channel_close(&chs[c]);
	}
	xs_cpu_set_current(0);
	xs_device_destroy(dev);
	for (k = 0; k < XS_INV__COUNT; k++)
		res->violations[k] = xs_oracle_count(w->oracle, k);
	res->violations[XS_L1] += xs_kworld_destroy(w);
	mlx5e_sim_tx_policy(2);
	mlx5e_sim_rx_batching(true);
	for (k = 0; k < XS_INV__COUNT; k++)
		total += res->violations[k];
	return total;
}
