// SPDX-License-Identifier: GPL-2.0
/*
 * The threaded mode: channels on real threads sharing one domain, so the
 * patch's locks (the domain batch, the RX pending array) and 5.15's
 * (invalidation queue, IOVA caches, flush queue) run concurrently; built
 * with ThreadSanitizer by `make test-tsan`. The verdict must not change.
 * A work CPU on a thread of its own is the second releaser: the RX
 * reporter's recovery of a channel's RQ while that channel's NAPI gives
 * XDP_TX pages back to it, and channel reopens while the others poll.
 */
#include <xsmmu/run.h>

#include "xs_test.h"

static void run_threaded(enum xs_mode mode, const char *profile,
			 struct xs_run_result *r)
{
	struct xs_run_config cfg = { 0 };

	assert_int_equal(xs_profile_lookup(profile, &cfg.profile), 0);
	cfg.mode = mode;
	cfg.packets = 6000;
	cfg.channels = 4;
	cfg.seed = 5;
	cfg.threaded = true;
	cfg.reports = stderr;
	assert_int_equal(xs_run(&cfg, r), 0);
	assert_true(r->packets >= cfg.packets * 9 / 10);
	assert_int_equal(r->violations[XS_L1], 0);
	assert_int_equal(r->violations[XS_F1], 0);
	assert_int_equal(r->violations[XS_W], 0);
}

/*
 * The second releaser on a receive load that fills the RX page cache
 * (the stack holds its skbs 1 ms), half the packets sent back by XDP:
 * XDP completions then park pages in the pending array that the
 * recovery flushes from the work CPU.
 */
static void run_second_releaser(enum xs_mode mode, struct xs_run_result *r)
{
	struct xs_run_config cfg = { 0 };
	char err[128];

	assert_int_equal(xs_profile_lookup("tcp-rx", &cfg.profile), 0);
	assert_int_equal(xs_profile_set(&cfg.profile, "xdp_tx_every=2", err,
					sizeof(err)), 0);
	cfg.mode = mode;
	cfg.packets = 12000;
	cfg.channels = 3;
	cfg.seed = 7;
	cfg.threaded = true;
	cfg.recover_every = 2;
	cfg.reopen_every = 8;
	cfg.reports = stderr;
	assert_int_equal(xs_run(&cfg, r), 0);
	assert_true(r->packets >= cfg.packets * 9 / 10);
	assert_true(r->rq_recoveries > 0);
	assert_true(r->reopens > 0);
	assert_true(r->xdp_tx > 0);
}

static void assert_safe(const struct xs_run_result *r)
{
	int k;

	for (k = 0; k < XS_INV__COUNT; k++)
		if (r->violations[k])
			fail_msg("%s threaded: %llu %s", xs_mode_name(r->mode),
				 (unsigned long long)r->violations[k],
				 xs_invariant_name(k));
}

static void test_threads_xsmmu_poll(void **state)
{
	struct xs_run_result r;

	run_threaded(XS_MODE_XSMMU_POLL, "mixed", &r);
	assert_safe(&r);
	assert_true(r.invalidation_waits > 0);
}

static void test_threads_xsmmu_seed(void **state)
{
	struct xs_run_result r;

	run_threaded(XS_MODE_XSMMU_SEED, "mtu", &r);
	assert_safe(&r);
}

/* Coalesced syncs across real threads: as safe as everything else. */
static void test_threads_coalesce(void **state)
{
	struct xs_run_result r;

	run_threaded(XS_MODE_COALESCE, "mixed", &r);
	assert_safe(&r);
	assert_true(r.invalidation_waits > 0);
}

static void test_threads_strict(void **state)
{
	struct xs_run_result r;

	run_threaded(XS_MODE_STRICT, "small", &r);
	assert_safe(&r);
}

/* Lazy's flush queue and timer across CPUs: exposed, never leaking. */
static void test_threads_lazy(void **state)
{
	struct xs_run_result r;

	run_threaded(XS_MODE_LAZY, "mtu", &r);
	assert_true(r.exposure_window_max_ns > 0);
}

static void test_threads_second_releaser_xsmmu_poll(void **state)
{
	struct xs_run_result r;

	run_second_releaser(XS_MODE_XSMMU_POLL, &r);
	assert_safe(&r);
}

static void test_threads_second_releaser_psi_batch(void **state)
{
	struct xs_run_result r;

	run_second_releaser(XS_MODE_PSI_BATCH, &r);
	assert_safe(&r);
}

static void test_threads_second_releaser_coalesce(void **state)
{
	struct xs_run_result r;

	run_second_releaser(XS_MODE_COALESCE, &r);
	assert_safe(&r);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_threads_xsmmu_poll),
		cmocka_unit_test(test_threads_xsmmu_seed),
		cmocka_unit_test(test_threads_coalesce),
		cmocka_unit_test(test_threads_strict),
		cmocka_unit_test(test_threads_lazy),
		cmocka_unit_test(test_threads_second_releaser_xsmmu_poll),
		cmocka_unit_test(test_threads_second_releaser_psi_batch),
		cmocka_unit_test(test_threads_second_releaser_coalesce),
	};

	return XS_RUN_GROUP("mlx5_threads", tests);
}
