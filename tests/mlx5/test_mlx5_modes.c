// SPDX-License-Identifier: GPL-2.0
/*
 * The mode comparison end to end: every mode over every traffic profile,
 * the malicious device, a queue closed in the middle of traffic, and
 * determinism of the output for a seed.
 */
#include <stdlib.h>
#include <string.h>

#include <xsmmu/run.h>

#include "output.h"

#include "xs_test.h"

#define PACKETS		3000

static void run_mode(const char *profile, enum xs_mode mode, bool malicious,
		     struct xs_run_result *res)
{
	struct xs_run_config cfg = { 0 };

	assert_int_equal(xs_profile_lookup(profile, &cfg.profile), 0);
	cfg.mode = mode;
	cfg.packets = PACKETS;
	cfg.channels = 3;
	cfg.seed = 7;
	cfg.malicious = malicious;
	cfg.reports = stderr;
	assert_int_equal(xs_run(&cfg, res), 0);
}

static void assert_clean(const struct xs_run_result *r, const char *what)
{
	int k;

	for (k = 0; k < XS_INV__COUNT; k++)
		if (r->violations[k])
			fail_msg("%s %s: %llu %s violations", what,
				 xs_mode_name(r->mode),
				 (unsigned long long)r->violations[k],
				 xs_invariant_name(k));
}

/* Every mode over one profile: the protected ones clean, lazy exposed. */
static void check_profile(const char *profile)
{
	struct xs_run_result r[XS_MODE__COUNT];
	int m;

	for (m = 0; m < XS_MODE__COUNT; m++) {
		run_mode(profile, m, false, &r[m]);
		assert_true(r[m].packets >= PACKETS * 9 / 10);
		assert_int_equal(r[m].violations[XS_L1], 0);
		assert_int_equal(r[m].violations[XS_F1], 0);
		/* A kernel WARN is a bug in any mode, lazy included. */
		assert_int_equal(r[m].violations[XS_W], 0);
	}
	/* Without a malicious device only lazy reaches a freed page. */
	for (m = 0; m < XS_MODE__COUNT; m++)
		if (m != XS_MODE_LAZY)
			assert_clean(&r[m], profile);
	/*
	 * One virtual timeline: no sync is ever in flight when another is
	 * called, so coalescing has nothing to merge (docs/patch.md).
	 */
	assert_int_equal(r[XS_MODE_COALESCE].invalidation_waits,
			 r[XS_MODE_XSMMU_POLL].invalidation_waits);
	/*
	 * Ranges instead of the domain: a wait per chunk of descriptors,
	 * far fewer than strict's, and the hot entries stay cached.
	 */
	assert_true(r[XS_MODE_PSI_BATCH].invalidation_waits <
		    r[XS_MODE_STRICT].invalidation_waits);
	assert_true(r[XS_MODE_PSI_BATCH].iotlb_hits >=
		    r[XS_MODE_XSMMU_POLL].iotlb_hits);
	/* Lazy frees pages the IOTLB still maps, for a bounded time. */
	assert_true(r[XS_MODE_LAZY].exposure_window_max_ns > 0);
	assert_true(r[XS_MODE_LAZY].exposure_window_max_ns <= 11000000);
	assert_true(r[XS_MODE_LAZY].violations[XS_S2] > 0);
	assert_int_equal(r[XS_MODE_STRICT].exposure_window_max_ns, 0);
	/* Passthrough has no invalidation; batching needs fewer waits. */
	assert_int_equal(r[XS_MODE_PASSTHROUGH].invalidation_waits, 0);
	assert_true(r[XS_MODE_XSMMU_POLL].invalidation_waits <
		    r[XS_MODE_STRICT].invalidation_waits);
	assert_true(r[XS_MODE_XSMMU_POLL].invalidation_waits <=
		    r[XS_MODE_XSMMU_SEED].invalidation_waits);
	assert_true(r[XS_MODE_XSMMU_POLL].cpu_ns_per_packet <
		    r[XS_MODE_STRICT].cpu_ns_per_packet);
}

static void test_profile_mtu(void **state)
{
	check_profile("mtu");
}

static void test_profile_small(void **state)
{
	check_profile("small");
}

static void test_profile_tso(void **state)
{
	check_profile("tso");
}

static void test_profile_mixed(void **state)
{
	check_profile("mixed");
}

/*
 * The modes exempt from the safety verdict (run.c's table, which the
 * other tests and xsmmu-sim's exit status use) are the two without
 * protection by design: a protected mode cannot slip out of the checks.
 */
static void test_unprotected_modes(void **state)
{
	int m, n = 0;

	for (m = 0; m < XS_MODE__COUNT; m++)
		n += xs_mode_unprotected(m);
	assert_int_equal(n, 2);
	assert_true(xs_mode_unprotected(XS_MODE_PASSTHROUGH));
	assert_true(xs_mode_unprotected(XS_MODE_LAZY));
}

/*
 * The malicious device reads every IOVA it was ever given: in the
 * unprotected modes (passthrough, lazy) it reaches freed pages (which
 * proves it works), under every protected mode it never does.
 */
static void test_malicious_device(void **state)
{
	struct xs_run_result r[XS_MODE__COUNT];
	int m;

	for (m = 0; m < XS_MODE__COUNT; m++) {
		run_mode("mtu", m, true, &r[m]);
		assert_true(r[m].malicious_accesses > 0);
		assert_int_equal(r[m].violations[XS_W], 0);
		assert_int_equal(r[m].violations[XS_L1], 0);
		assert_int_equal(r[m].violations[XS_F1], 0);
		if (xs_mode_unprotected(m))
			assert_true(r[m].violations[XS_S1] > 0);
		else
			assert_clean(&r[m], "malicious");
	}
	/* Stale IOVAs mostly fault under strict. */
	assert_true(r[XS_MODE_STRICT].faults > 0);
}

/* A channel closed and reopened in the middle of traffic. */
static void test_close_midway(void **state)
{
	struct xs_run_config cfg = { 0 };
	struct xs_run_result r;
	int m;

	assert_int_equal(xs_profile_lookup("mixed", &cfg.profile), 0);
	cfg.packets = PACKETS;
	cfg.channels = 2;
	cfg.seed = 3;
	cfg.close_midway = true;
	cfg.reports = stderr;
	for (m = 0; m < XS_MODE__COUNT; m++) {
		if (xs_mode_unprotected(m))
			continue;
		cfg.mode = m;
		assert_int_equal(xs_run(&cfg, &r), 0);
		assert_clean(&r, "close-midway");
	}
}

static char *json_of(enum xs_mode mode, u64 seed)
{
	struct xs_run_config cfg = { 0 };
	struct xs_run_result r;
	struct xs_params params;
	struct xs_sim_settings s = { .cfg = &cfg, .modes = 1u << mode,
				     .version = "test", .commit = "test" };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(xs_profile_lookup("mixed", &cfg.profile), 0);
	cfg.mode = mode;
	cfg.packets = 2000;
	cfg.channels = 4;
	cfg.seed = seed;
	xs_params_init(&params);
	cfg.params = &params;
	assert_int_equal(xs_run(&cfg, &r), 0);
	assert_int_equal(xs_out_json(f, &s, &r, 1, false), 0);
	fclose(f);
	return buf;
}

/* The same seed gives the same bytes; another seed another run. */
static void test_determinism(void **state)
{
	int m;

	for (m = 0; m < XS_MODE__COUNT; m++) {
		char *a = json_of(m, 11), *b = json_of(m, 11), *c;

		assert_string_equal(a, b);
		if (m != XS_MODE_PASSTHROUGH) {
			c = json_of(m, 12);
			assert_string_not_equal(a, c);
			free(c);
		}
		free(a);
		free(b);
	}
}

/* Profile overrides are checked; a bad one changes nothing. */
static void test_profile_overrides(void **state)
{
	struct xs_profile p, q;
	char err[256];

	assert_int_equal(xs_profile_lookup("mtu", &p), 0);
	q = p;
	assert_int_equal(xs_profile_set(&p, "tx_len=9000", err, sizeof(err)),
			 0);
	assert_int_equal(p.tx_len_min, 9000);
	assert_int_equal(p.tx_len_max, 9000);
	/* Shrinking below the current minimum works the same way. */
	assert_int_equal(xs_profile_set(&p, "tx_len=66", err, sizeof(err)), 0);
	assert_int_equal(p.tx_len_min, 66);
	assert_int_equal(p.tx_len_max, 66);
	assert_int_equal(xs_profile_set(&p, "rq_size=100", err, sizeof(err)),
			 -1);
	assert_int_equal(xs_profile_set(&p, "nope=1", err, sizeof(err)), -1);
	assert_int_equal(xs_profile_set(&p, "burst=0", err, sizeof(err)), -1);
	assert_int_equal(xs_profile_set(&p, "tx_len_min=99999", err,
					sizeof(err)), -1);
	assert_int_equal(p.rq_size, q.rq_size);
	assert_int_equal(xs_profile_lookup("jumbo", &p), -1);
}

/*
 * iova_age: the NIC's IOVA allocator aged before traffic. Every protected
 * mode stays clean (the churn maps nothing, and the traffic's IOVAs come
 * from the aged caches), and the run sees it: the scattered working set
 * costs strict more page-walk reads than a fresh allocator.
 */
static void test_iova_age_runs_clean(void **state)
{
	struct xs_run_config cfg = { 0 };
	struct xs_run_result r, fresh;
	struct xs_params params;
	char err[128];
	int m;

	(void)state;
	assert_int_equal(xs_profile_lookup("mtu", &cfg.profile), 0);
	cfg.packets = PACKETS;
	cfg.channels = 2;
	cfg.seed = 5;
	cfg.reports = stderr;
	xs_params_init(&params);
	cfg.params = &params;
	cfg.mode = XS_MODE_STRICT;
	assert_int_equal(xs_run(&cfg, &fresh), 0);
	assert_int_equal(xs_params_set(&params, "iova_age=50000", err,
				       sizeof(err)), 0);
	for (m = 0; m < XS_MODE__COUNT; m++) {
		if (xs_mode_unprotected(m))
			continue;
		cfg.mode = m;
		assert_int_equal(xs_run(&cfg, &r), 0);
		assert_clean(&r, "iova_age");
		assert_true(r.packets >= PACKETS * 9 / 10);
		if (m == XS_MODE_STRICT) {
			print_message("strict walk reads: fresh %llu, aged %llu\n",
				      (unsigned long long)fresh.walk_reads,
				      (unsigned long long)r.walk_reads);
			assert_true(r.walk_reads > fresh.walk_reads);
		}
	}
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_profile_mtu),
		cmocka_unit_test(test_profile_small),
		cmocka_unit_test(test_profile_tso),
		cmocka_unit_test(test_profile_mixed),
		cmocka_unit_test(test_unprotected_modes),
		cmocka_unit_test(test_malicious_device),
		cmocka_unit_test(test_close_midway),
		cmocka_unit_test(test_determinism),
		cmocka_unit_test(test_profile_overrides),
		cmocka_unit_test(test_iova_age_runs_clean),
	};

	return XS_RUN_GROUP("mlx5_modes", tests);
}
