// SPDX-License-Identifier: GPL-2.0
/*
 * The cost model's device side and its steady-state window
 * (src/cli/cost.c): the translation parameters are read, the least bound
 * is the one reported, more walks cost the device throughput, and the
 * steady window leaves the channels' setup and teardown out.
 */
#include <stdlib.h>
#include <string.h>

#include <xsmmu/run.h>

#include "cost.h"
#include "output.h"

#include "xs_test.h"

/* One run of mode over the mtu profile with the assignments in set. */
static void run(enum xs_mode mode, u64 packets, unsigned int channels,
		const char *const *set, struct xs_params *prm,
		struct xs_run_config *cfg, struct xs_run_result *res)
{
	char err[256];

	memset(cfg, 0, sizeof(*cfg));
	assert_int_equal(xs_profile_lookup("mtu", &cfg->profile), 0);
	xs_params_init(prm);
	for (; set && *set; set++)
		assert_int_equal(xs_params_set(prm, *set, err, sizeof(err)),
				 0);
	cfg->mode = mode;
	cfg->packets = packets;
	cfg->channels = channels;
	cfg->seed = 5;
	cfg->params = prm;
	cfg->reports = stderr;
	assert_int_equal(xs_run_steady(cfg, res), 0);
	assert_true(res->steady_valid);
}

static void cost_of(enum xs_mode mode, const char *const *set,
		    struct xs_run_result *res, struct xs_cost *c)
{
	struct xs_run_config cfg;
	struct xs_params prm;

	run(mode, 2000, 2, set, &prm, &cfg, res);
	xs_cost_of(&cfg, res, c);
}

static char *json_of(enum xs_mode mode, const char *const *set)
{
	struct xs_run_config cfg;
	struct xs_run_result r;
	struct xs_params prm;
	struct xs_sim_settings s = { .cfg = &cfg, .modes = 1u << mode,
				     .version = "test", .commit = "test" };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	run(mode, 2000, 2, set, &prm, &cfg, &r);
	assert_int_equal(xs_out_json(f, &s, &r, 1, false), 0);
	fclose(f);
	return buf;
}

/*
 * walk_read_ns and iotlb_hit_ns each change the device's time by their
 * count times the change, and the output with it.
 */
static void test_translation_params_read(void **state)
{
	static const char *const slow_walk[] = { "walk_read_ns=1000", NULL };
	static const char *const slow_hit[] = { "iotlb_hit_ns=100", NULL };
	static const char *const free_dev[] = { "walk_read_ns=0",
						"iotlb_hit_ns=0", NULL };
	struct xs_run_result r0, r1, r2, r3;
	struct xs_cost c0, c1, c2, c3;
	double reads, hits;
	char *a, *b, *c;

	cost_of(XS_MODE_STRICT, NULL, &r0, &c0);
	cost_of(XS_MODE_STRICT, slow_walk, &r1, &c1);
	cost_of(XS_MODE_STRICT, slow_hit, &r2, &c2);
	cost_of(XS_MODE_STRICT, free_dev, &r3, &c3);
	/* The same run: only the cost differs. */
	assert_int_equal(r0.steady.walk_reads, r1.steady.walk_reads);
	assert_int_equal(r0.steady.iotlb_hits, r2.steady.iotlb_hits);
	reads = (double)r0.steady.walk_reads / (double)r0.steady.packets;
	hits = (double)r0.steady.iotlb_hits / (double)r0.steady.packets;
	assert_true(reads > 0.5 && hits > 0.5);
	assert_float_equal(c0.device_ns_per_packet, reads * 197 + hits * 5,
			   1e-6);
	assert_float_equal(c1.device_ns_per_packet - c0.device_ns_per_packet,
			   reads * (1000 - 197), 1e-6);
	assert_float_equal(c2.device_ns_per_packet - c0.device_ns_per_packet,
			   hits * (100 - 5), 1e-6);
	assert_true(c1.device_gbps < c0.device_gbps);
	assert_true(c2.device_gbps < c0.device_gbps);
	assert_false(c3.has_device_bound);
	assert_true(c0.has_device_bound);
	a = json_of(XS_MODE_STRICT, NULL);
	b = json_of(XS_MODE_STRICT, slow_walk);
	c = json_of(XS_MODE_STRICT, slow_hit);
	assert_non_null(strstr(a, "\"device_gbps\": "));
	assert_non_null(strstr(a, "\"bound\": "));
	assert_string_not_equal(a, b);
	assert_string_not_equal(a, c);
	free(a);
	free(b);
	free(c);
}

/* The modelled throughput is the least bound, and named as such. */
static void test_bound_selection(void **state)
{
	static const char *const slow_link[] = { "link_gbps=1", NULL };
	static const char *const slow_cpu[] = { "cpu_pkt_tx_ns=100000",
						"cpu_pkt_rx_ns=100000", NULL };
	static const char *const slow_dev[] = { "walk_read_ns=100000", NULL };
	struct xs_run_result r;
	struct xs_cost c;

	cost_of(XS_MODE_STRICT, slow_link, &r, &c);
	assert_int_equal(c.bound, XS_BOUND_LINK);
	assert_float_equal(c.modelled_gbps, 1.0, 1e-9);
	assert_true(c.cpu_gbps > 1.0 && c.device_gbps > 1.0);

	cost_of(XS_MODE_STRICT, slow_cpu, &r, &c);
	assert_int_equal(c.bound, XS_BOUND_CPU);
	assert_float_equal(c.modelled_gbps, c.cpu_gbps, 1e-9);
	assert_true(c.cpu_gbps < c.device_gbps && c.cpu_gbps < c.link_gbps);
	/* channels x 8 bits x bytes / ns: 2 x 8 x 1514 / cpu_ns */
	assert_float_equal(c.cpu_gbps, 2 * 8 * 1514.0 / c.cpu_ns_per_packet,
			   1e-6);

	cost_of(XS_MODE_STRICT, slow_dev, &r, &c);
	assert_int_equal(c.bound, XS_BOUND_DEVICE);
	assert_float_equal(c.modelled_gbps, c.device_gbps, 1e-9);
	assert_true(c.device_gbps < c.cpu_gbps);

	/* Passthrough translates nothing: no device bound at all. */
	cost_of(XS_MODE_PASSTHROUGH, slow_dev, &r, &c);
	assert_false(c.has_device_bound);
	assert_int_not_equal(c.bound, XS_BOUND_DEVICE);
}

/*
 * A mode that walks more per packet has the lower device bound: one sync
 * per poll keeps fewer hot IOTLB entries than strict's page-selective
 * invalidations (the walks/pk column of the table).
 */
static void test_more_walks_lower_device_bound(void **state)
{
	struct xs_run_result rs, rp;
	struct xs_cost cs, cp;
	double ws, wp;

	cost_of(XS_MODE_STRICT, NULL, &rs, &cs);
	cost_of(XS_MODE_XSMMU_POLL, NULL, &rp, &cp);
	ws = (double)rs.steady.walk_reads / (double)rs.steady.packets;
	wp = (double)rp.steady.walk_reads / (double)rp.steady.packets;
	assert_true(wp > ws * 1.02);
	assert_true(cp.device_gbps < cs.device_gbps);
}

/*
 * strict waits once per unmap: one wait per packet in the steady window,
 * whatever the length of the run, where the whole run adds the setup's
 * and teardown's (1.6 per packet at 2,000 packets).
 */
static void test_steady_window(void **state)
{
	static const u64 lengths[] = { 2000, 20000 };
	struct xs_run_config cfg;
	struct xs_run_result r;
	struct xs_params prm;
	unsigned int i;
	double whole, steady;

	for (i = 0; i < 2; i++) {
		run(XS_MODE_STRICT, lengths[i], 4, NULL, &prm, &cfg, &r);
		whole = (double)r.invalidation_waits / (double)r.packets;
		steady = (double)r.steady.invalidation_waits /
			 (double)r.steady.packets;
		assert_true(r.steady.packets >= lengths[i] / 2 - 50);
		assert_true(steady > 0.99 && steady < 1.02);
		assert_true(whole > steady);
		if (i == 0)
			assert_true(whole > 1.5);
	}
	/* One channel: exactly one wait per packet. */
	run(XS_MODE_STRICT, 2000, 1, NULL, &prm, &cfg, &r);
	assert_int_equal(r.steady.invalidation_waits, r.steady.packets);
	assert_true(r.invalidation_waits > r.packets + 100);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_translation_params_read),
		cmocka_unit_test(test_bound_selection),
		cmocka_unit_test(test_more_walks_lower_device_bound),
		cmocka_unit_test(test_steady_window),
	};

	return XS_RUN_GROUP("mlx5_cost", tests);
}
