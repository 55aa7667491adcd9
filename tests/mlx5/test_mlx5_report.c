// SPDX-License-Identifier: GPL-2.0
/*
 * The report (xsmmu-sim --report): every sweep writes its CSV with a row
 * per mode and point, the safety columns hold what the modes promise, the
 * numbers move the way the sweep says, and a gnuplot script per sweep.
 * Plotting itself is gnuplot's business and is not run here.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report.h"
#include "xs_test.h"

struct row {
	char mode[32];
	double x, cache, cpu, waits, miss, reads;
	unsigned long long viol, window;
	double dev_ns, dev_gbps, cpu_gbps, gbps;
	char bound[16];
};

#define MAX_ROWS	128

static char dir[] = "/tmp/xsmmu-report-test-XXXXXX";

static int make_report(void **state)
{
	struct xs_run_config cfg = { 0 };
	struct xs_params p;

	(void)state;
	if (!mkdtemp(dir))
		return -1;
	if (xs_profile_lookup("mtu", &cfg.profile))
		return -1;
	cfg.packets = 2000;
	cfg.channels = 2;
	cfg.seed = 3;
	xs_params_init(&p);
	return xs_report(dir, &cfg, &p, "test_mlx5_report");
}

static int remove_report(void **state)
{
	char cmd[256];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) ? -1 : 0;
}

static unsigned int read_csv(const char *sweep, struct row *rows)
{
	static char plot[1 << 14];
	char path[512], line[512];
	double hit_pct, window_us;
	unsigned int n = 0;
	bool seen_same;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.csv", dir, sweep);
	f = fopen(path, "r");
	assert_non_null(f);
	/* What was run heads the file, as a comment gnuplot skips. */
	assert_non_null(fgets(line, sizeof(line), f));
	assert_string_equal(line, "# test_mlx5_report\n");
	assert_non_null(fgets(line, sizeof(line), f));
	assert_string_equal(line, "mode,x,rx_cache_hit_rate,cpu_ns_per_packet,waits_per_packet,iotlb_miss_rate,walk_reads_per_packet,violations,exposure_window_max_ns,iotlb_hit_pct,exposure_window_max_us,device_ns_per_packet,device_gbps,cpu_gbps,modelled_gbps,bound\n");
	while (fgets(line, sizeof(line), f)) {
		struct row *r = &rows[n];

		assert_true(n < MAX_ROWS);
		assert_int_equal(sscanf(line, "%31[^,],%lf,%lf,%lf,%lf,%lf,%lf,%llu,%llu,%lf,%lf,%lf,%lf,%lf,%lf,%15s",
					r->mode, &r->x, &r->cache, &r->cpu,
					&r->waits, &r->miss, &r->reads,
					&r->viol, &r->window, &hit_pct,
					&window_us, &r->dev_ns, &r->dev_gbps,
					&r->cpu_gbps, &r->gbps, r->bound), 16);
		/*
		 * The throughput is the least bound (the link 100 Gb/s; 0:
		 * no bound on that side), and the bound named is that one.
		 */
		assert_true(r->gbps <= 100.0 + 1e-9);
		assert_true(r->cpu_gbps > 0);
		if (!strcmp(r->bound, "cpu"))
			assert_true(fabs(r->gbps - r->cpu_gbps) < 0.01);
		else if (!strcmp(r->bound, "device"))
			assert_true(fabs(r->gbps - r->dev_gbps) < 0.01);
		else
			assert_true(!strcmp(r->bound, "link") &&
				    r->gbps == 100.0);
		assert_true(r->gbps <= r->cpu_gbps + 0.001);
		if (strcmp(r->mode, "passthrough")) {
			assert_true(r->dev_ns > 0);
			assert_true(r->gbps <= r->dev_gbps + 0.001);
		} else {
			assert_true(r->dev_ns == 0 && r->dev_gbps == 0);
		}
		/* The plotted columns: the same figures in plot units. */
		if (strcmp(r->mode, "passthrough"))
			assert_true(fabs(hit_pct - 100.0 * (1.0 - r->miss)) < 0.01);
		assert_true(fabs(window_us - r->window / 1000.0) < 0.001);
		n++;
	}
	fclose(f);
	snprintf(path, sizeof(path), "%s/%s.gp", dir, sweep);
	assert_int_equal(access(path, R_OK), 0);
	/* coalesce equals xsmmu-poll on this scheduler: the plot says so. */
	f = fopen(path, "r");
	assert_non_null(f);
	seen_same = false;
	while (fgets(plot, sizeof(plot), f))
		if (strstr(plot, "title 'coalesce (= xsmmu-poll)'"))
			seen_same = true;
	fclose(f);
	assert_true(seen_same);
	return n;
}

static const struct row *find(const struct row *rows, unsigned int n,
			      const char *mode, unsigned int point)
{
	unsigned int i, seen = 0;

	for (i = 0; i < n; i++)
		if (!strcmp(rows[i].mode, mode) && seen++ == point)
			return &rows[i];
	fail_msg("no row %u for %s", point, mode);
	return NULL;
}

/* Every sweep: all modes at every point; only lazy may be exposed. */
static void test_report_sweeps_complete_and_safe(void **state)
{
	static const char *const sweeps[] = {
		"batch", "napi_budget", "rx_cache", "channels", "iotlb_entries",
	};
	static const unsigned int points[] = { 7, 5, 6, 4, 6 };
	struct row rows[MAX_ROWS];
	unsigned int s, i, n;

	(void)state;
	for (s = 0; s < 5; s++) {
		n = read_csv(sweeps[s], rows);
		assert_int_equal(n, points[s] * XS_MODE__COUNT);
		for (i = 0; i < n; i++) {
			int m = xs_mode_lookup(rows[i].mode);

			assert_true(m >= 0);
			if (xs_mode_unprotected(m))
				continue;
			if (rows[i].viol || rows[i].window)
				fail_msg("%s %s x=%g: %llu violations, window %llu ns",
					 sweeps[s], rows[i].mode, rows[i].x,
					 rows[i].viol, rows[i].window);
		}
	}
}

/*
 * The batch sweep says what batching buys: strict waits once per
 * unmap whatever the batch, one sync per poll waits less per packet as
 * polls find more, and lazy's exposure is there at every batch size.
 */
static void test_report_batch_sweep_shape(void **state)
{
	struct row rows[MAX_ROWS];
	unsigned int n, p;

	(void)state;
	n = read_csv("batch", rows);
	for (p = 0; p < 7; p++) {
		const struct row *strict = find(rows, n, "strict", p);
		const struct row *poll = find(rows, n, "xsmmu-poll", p);
		const struct row *lazy = find(rows, n, "lazy", p);

		assert_true(strict->waits >= 0.9);
		assert_true(poll->waits <= strict->waits);
		assert_true(lazy->window > 0);
	}
	assert_true(find(rows, n, "xsmmu-poll", 6)->waits * 4 <
		    find(rows, n, "xsmmu-poll", 0)->waits);
	assert_true(find(rows, n, "xsmmu-poll", 6)->cpu <
		    find(rows, n, "strict", 6)->cpu);
}

/* A bigger IOTLB misses less (the sweep really sets the parameter). */
static void test_report_iotlb_sweep_shape(void **state)
{
	struct row rows[MAX_ROWS];
	unsigned int n;

	(void)state;
	n = read_csv("iotlb_entries", rows);
	assert_true(find(rows, n, "passthrough", 0)->miss == 0);
	assert_true(find(rows, n, "lazy", 5)->miss <
		    find(rows, n, "lazy", 0)->miss);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report_sweeps_complete_and_safe),
		cmocka_unit_test(test_report_batch_sweep_shape),
		cmocka_unit_test(test_report_iotlb_sweep_shape),
	};

	return xs_run_group_setup("mlx5_report", tests,
				  sizeof(tests) / sizeof(tests[0]),
				  make_report, remove_report, argc, argv);
}
