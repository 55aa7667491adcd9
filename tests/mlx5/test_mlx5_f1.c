// SPDX-License-Identifier: GPL-2.0
/*
 * F1 through the NIC pipeline: a device write through an IOVA the driver
 * has taken back (the malicious device's stale write) lands, where the
 * IOMMU still translates it, in a page that has a new owner; the
 * pipeline reads that owner's bytes later (the stack consumes a received
 * skb, the device sends a posted one) and must report them as F1. Lazy
 * mode has such a window, so it must see F1; every protected mode must
 * fault the same writes and see none.
 *
 * This file is built twice: against the library, where every test
 * passes, and against the f1_check_off mutant (the pipeline's data check
 * passes anything), where the lazy tests must fail on their F1
 * assertion (tests/mlx5/CMakeLists.txt checks the message).
 */
#include <stdlib.h>
#include <string.h>

#include <xsmmu/run.h>

#include "dma_fixture.h"
#include "sim.h"

#define SID_NIC		0x0300

enum { TX_SYNC, TX_PER_WQE, TX_PER_POLL };

/* The modes a finding is a bug in (fuzz/schedule.c's xs_fuzz_modes). */
static const enum xs_mode protected_modes[] = {
	XS_MODE_STRICT, XS_MODE_XSMMU_SEED, XS_MODE_XSMMU_POLL,
	XS_MODE_PSI_BATCH, XS_MODE_ADAPTIVE, XS_MODE_COALESCE,
};

#define NR_PROTECTED	(sizeof(protected_modes) / sizeof(protected_modes[0]))

/* ---- one channel, driven step by step ---- */

struct pipe {
	struct dma_fx *fx;
	struct device *dev;
	struct mlx5e_sim_channel ch;
	struct mlx5e_sim_channel_config cc;
	char *log;		/* the oracle's reports */
	size_t log_len;
	FILE *out;
	u64 viol[XS_INV__COUNT];
	u64 stale_writes, stale_landed;
};

static void pipe_open(struct pipe *p, enum xs_mode mode)
{
	struct xs_kworld_config cfg;
	bool batches = mode >= XS_MODE_XSMMU_SEED;

	memset(p, 0, sizeof(*p));
	xs_kworld_default_config(&cfg);
	cfg.cmdline = xs_mode_cmdline(mode);
	cfg.phys_frames = 1 << 16;
	p->fx = dma_fx_new(&cfg);
	assert_non_null(p->fx);
	/* Count and keep the reports: lazy violates on purpose. */
	p->out = open_memstream(&p->log, &p->log_len);
	assert_non_null(p->out);
	xs_oracle_set_fatal(p->fx->o, false);
	xs_oracle_set_output(p->fx->o, p->out);
	/* The driver's policies in that mode, as the mode runner sets them. */
	mlx5e_sim_tx_policy(mode == XS_MODE_XSMMU_SEED ? TX_PER_WQE :
			    batches ? TX_PER_POLL : TX_SYNC);
	mlx5e_sim_rx_batching(batches);
	p->dev = xs_device_create("mlx5_core", SID_NIC, 0,
				  mode == XS_MODE_PASSTHROUGH ?
				  IOMMU_DOMAIN_IDENTITY : 0);
	assert_non_null(p->dev);
	mlx5e_sim_channel_default(&p->cc);
	p->cc.rq_size = 64;
	p->cc.sq_size = 64;
	assert_int_equal(mlx5e_sim_channel_open(&p->ch, p->dev, &p->cc), 0);
}

/* Closes everything; the verdicts (with leaks as L1) are in p->viol. */
static void pipe_close(struct pipe *p)
{
	int k;

	p->stale_writes = p->ch.stale_writes;
	p->stale_landed = p->ch.stale_write_successes;
	mlx5e_sim_channel_close(&p->ch);
	xs_device_destroy(p->dev);
	for (k = 0; k < XS_INV__COUNT; k++)
		p->viol[k] = xs_oracle_count(p->fx->o, k);
	p->viol[XS_L1] += dma_fx_free(p->fx);
	fclose(p->out);
	mlx5e_sim_tx_policy(TX_PER_POLL);
	mlx5e_sim_rx_batching(true);
}

static void pipe_free(struct pipe *p)
{
	free(p->log);
}

/*
 * The device receives 120 packets while the stack holds them all: each
 * refill finds the page cache's head busy and takes a new page, so the
 * device writes 120 pages at as many IOVAs, more than a reopen maps
 * again. Then the stack consumes them.
 */
static void rx_fill(struct pipe *p)
{
	unsigned int i;

	for (i = 0; i < 2; i++) {
		assert_int_equal(mlx5e_sim_nic_rx(&p->ch, 60, 1500), 60);
		mlx5e_sim_napi_poll(&p->ch, 64);
	}
	mlx5e_sim_stack_consume(&p->ch, p->ch.stack_count);
}

/*
 * The RX buffers the device wrote are released by a reopen (unmapped and
 * freed); the reopen's new RX buffers are those pages again (the page
 * allocator hands back the last freed first). The device receives into
 * them, the driver hands them up, then the device writes through the old
 * IOVAs before the stack reads.
 */
static void rx_scenario(struct pipe *p, enum xs_mode mode)
{
	pipe_open(p, mode);
	rx_fill(p);
	assert_int_equal(mlx5e_sim_channel_reopen(&p->ch), 0);
	assert_int_equal(mlx5e_sim_nic_rx(&p->ch, 32, 1500), 32);
	mlx5e_sim_napi_poll(&p->ch, 64);
	mlx5e_sim_stale_write(&p->ch, 128);
	mlx5e_sim_stack_consume(&p->ch, p->ch.stack_count);
	pipe_close(p);
}

/*
 * Same release, but the freed pages go to skbs the stack sends: the
 * device writes through the old IOVAs after the skbs are posted and
 * before it reads them to send.
 */
static void tx_scenario(struct pipe *p, enum xs_mode mode)
{
	unsigned int i;

	pipe_open(p, mode);
	rx_fill(p);
	assert_int_equal(mlx5e_sim_channel_reopen(&p->ch), 0);
	for (i = 0; i < 48; i++)
		assert_int_equal(mlx5e_sim_send(&p->ch, 1514, i + 1 < 48,
						false), 0);
	mlx5e_sim_stale_write(&p->ch, 64);
	assert_int_equal(mlx5e_sim_nic_tx(&p->ch, ~0U, 8), 48);
	mlx5e_sim_napi_poll(&p->ch, 64);
	pipe_close(p);
}

static void assert_f1_reported(const struct pipe *p, const char *mode,
			       const char *what)
{
	char needle[96];

	if (!p->viol[XS_F1])
		fail_msg("F1 pipeline: %s: %llu stale writes landed, no F1 in the %s",
			 mode, (unsigned long long)p->stale_landed, what);
	snprintf(needle, sizeof(needle), "F1 (data integrity) violated: %s:",
		 what);
	if (!p->log || !strstr(p->log, needle))
		fail_msg("F1 pipeline: %s: F1 reported, but not on the %s",
			 mode, what);
}

static void assert_no_window(const struct pipe *p, enum xs_mode mode)
{
	int k;

	/* The IOMMU faulted every write: nothing landed anywhere. */
	assert_int_equal(p->stale_landed, 0);
	for (k = 0; k < XS_INV__COUNT; k++)
		if (p->viol[k])
			fail_msg("%s: %llu %s violations with stale writes",
				 xs_mode_name(mode),
				 (unsigned long long)p->viol[k],
				 xs_invariant_name(k));
}

/* Lazy: the stale writes reach the received skbs, and F1 says so. */
static void test_f1_lazy_rx_stale_write(void **state)
{
	struct pipe p;

	rx_scenario(&p, XS_MODE_LAZY);
	assert_true(p.stale_landed > 0);
	assert_true(p.viol[XS_S1] > 0);
	assert_f1_reported(&p, "lazy", "received bytes");
	pipe_free(&p);
}

/* Lazy: the stale writes reach posted skbs, and the device sends them. */
static void test_f1_lazy_tx_stale_write(void **state)
{
	struct pipe p;

	tx_scenario(&p, XS_MODE_LAZY);
	assert_true(p.stale_landed > 0);
	assert_true(p.viol[XS_S1] > 0);
	assert_f1_reported(&p, "lazy", "transmitted bytes");
	pipe_free(&p);
}

/*
 * The same steps in every protected mode: the device does write through
 * IOVAs the driver took back (those not mapped again since), and the
 * IOMMU faults every one of them.
 */
static void test_f1_protected_modes_fault_stale_writes(void **state)
{
	struct pipe p;
	unsigned int m;
	u64 tried;

	for (m = 0; m < NR_PROTECTED; m++) {
		rx_scenario(&p, protected_modes[m]);
		assert_no_window(&p, protected_modes[m]);
		tried = p.stale_writes;
		pipe_free(&p);
		tx_scenario(&p, protected_modes[m]);
		assert_no_window(&p, protected_modes[m]);
		tried += p.stale_writes;
		pipe_free(&p);
		if (!tried)
			fail_msg("%s: no stale write was tried",
				 xs_mode_name(protected_modes[m]));
	}
}

/* ---- the mode runner, with the malicious device ---- */

static void run_malicious(enum xs_mode mode, struct xs_run_result *res)
{
	struct xs_run_config cfg = { 0 };
	char err[128];

	assert_int_equal(xs_profile_lookup("mtu", &cfg.profile), 0);
	/*
	 * The stack holds received skbs 1 ms: the RX page cache fills and
	 * pages leave the driver (unmapped) while the stack still reads
	 * them, then go back to the page allocator. That is when a stale
	 * write can reach a page that changed hands.
	 */
	assert_int_equal(xs_profile_set(&cfg.profile, "stack_hold_ns=1000000",
					 err, sizeof(err)), 0);
	cfg.mode = mode;
	cfg.packets = 6000;
	cfg.channels = 2;
	cfg.seed = 7;
	cfg.malicious = true;
	cfg.reports = xs_mode_unprotected(mode) ? NULL : stderr;
	assert_int_equal(xs_run(&cfg, res), 0);
	assert_true(res->stale_writes > 0);
}

/*
 * Same traffic, same malicious device: lazy's window lets stale writes
 * land and the pipeline reports the bytes it hands over as F1; no
 * protected mode lets one through.
 */
static void test_f1_runner_lazy_window_protected_none(void **state)
{
	struct xs_run_result r;
	unsigned int m;
	int k;

	run_malicious(XS_MODE_LAZY, &r);
	assert_true(r.stale_write_successes > 0);
	assert_true(r.violations[XS_S1] > 0);
	if (!r.violations[XS_F1])
		fail_msg("F1 pipeline: lazy run: %llu stale writes landed, no F1",
			 (unsigned long long)r.stale_write_successes);
	for (m = 0; m < NR_PROTECTED; m++) {
		run_malicious(protected_modes[m], &r);
		assert_int_equal(r.stale_write_successes, 0);
		for (k = 0; k < XS_INV__COUNT; k++)
			if (r.violations[k])
				fail_msg("%s: %llu %s violations",
					 xs_mode_name(r.mode),
					 (unsigned long long)r.violations[k],
					 xs_invariant_name(k));
	}
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_f1_lazy_rx_stale_write),
		cmocka_unit_test(test_f1_lazy_tx_stale_write),
		cmocka_unit_test(test_f1_protected_modes_fault_stale_writes),
		cmocka_unit_test(test_f1_runner_lazy_window_protected_none),
	};

	return XS_RUN_GROUP("mlx5_f1", tests);
}
