// SPDX-License-Identifier: GPL-2.0
/*
 * xsmmu-sim --report DIR: sweeps over batch size (packets per poll),
 * NAPI budget, RX page-cache hit rate (through the stack's hold time),
 * channel count and IOTLB size, every mode at every point; writes one CSV
 * per sweep with the safety columns, and a gnuplot script per sweep that
 * draws modelled CPU ns per packet, invalidation waits per packet, IOTLB
 * miss rate, modelled throughput (Gb/s, the least of the link, CPU and
 * device bounds: src/cli/cost.c) and the safety column (the longest time
 * a freed page stayed reachable) per mode (run by the report when gnuplot
 * is installed). The per-packet figures are the steady window's
 * (xs_run_steady()): the second half of each run, without its setup and
 * teardown.
 * docs/report.md says how to read them.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <xsmmu/run.h>

#include "cost.h"
#include "report.h"

struct sweep {
	const char *name;	/* file name and x axis */
	const char *xlabel;
	unsigned int npoints;
	u64 points[8];
	/* Applies point i to the run config (and the parameters). */
	void (*apply)(struct xs_run_config *cfg, struct xs_params *p, u64 v);
};

/* Packets offered per tick, TX and RX each: what one poll finds. */
static void set_batch(struct xs_run_config *cfg, struct xs_params *p, u64 v)
{
	cfg->profile.tx_per_tick = (u32)v;
	cfg->profile.rx_per_tick = (u32)v;
}

static void set_budget(struct xs_run_config *cfg, struct xs_params *p, u64 v)
{
	cfg->profile.napi_budget = (u32)v;
}

static void set_hold(struct xs_run_config *cfg, struct xs_params *p, u64 v)
{
	cfg->profile.stack_hold_ns = v;
}

static void set_channels(struct xs_run_config *cfg, struct xs_params *p,
			 u64 v)
{
	cfg->channels = (unsigned int)v;
}

static void set_iotlb(struct xs_run_config *cfg, struct xs_params *p, u64 v)
{
	p->v[XS_P_IOTLB_ENTRIES] = v;
}

static const struct sweep sweeps[] = {
	{ "batch", "packets per poll (offered per tick, TX and RX each)", 7,
	  { 1, 2, 4, 8, 16, 32, 64 }, set_batch },
	{ "napi_budget", "NAPI budget (packets per poll)", 5,
	  { 8, 16, 32, 64, 128 }, set_budget },
	{ "rx_cache", "RX page-cache hit rate (set through the stack hold time)", 6,
	  { 0, 50000, 200000, 1000000, 2000000, 5000000 }, set_hold },
	{ "channels", "channels sharing the domain", 4, { 1, 2, 4, 8 },
	  set_channels },
	{ "iotlb_entries", "IOTLB entries", 6,
	  { 64, 128, 256, 512, 1024, 4096 }, set_iotlb },
};

/* Per packet of the steady window (the whole run without one). */
static double per_packet(u64 v, const struct xs_window *w)
{
	return w->packets ? (double)v / (double)w->packets : 0;
}

static double miss_rate(const struct xs_window *w)
{
	u64 n = w->iotlb_hits + w->iotlb_misses;

	return n ? (double)w->iotlb_misses / (double)n : 0;
}

static double cache_rate(const struct xs_run_result *r)
{
	return r->rx_refills ? (double)r->rx_cache_reuse / r->rx_refills : 0;
}

/* The plotted columns: CSV name, axis label. */
static const char *const metrics[][2] = {
	{ "cpu_ns_per_packet", "modelled CPU time per packet (ns)" },
	{ "waits_per_packet", "invalidation waits per packet" },
	{ "iotlb_hit_pct", "IOTLB hit rate (% of device translations)" },
	{ "modelled_gbps",
	  "modelled throughput (Gb/s): least of link, CPU, device" },
	{ "exposure_window_max_us",
	  "longest time a freed page stayed reachable (us)" },
};

#define NR_METRICS	(sizeof(metrics) / sizeof(metrics[0]))
#define MAX_POINTS	8

/*
 * Metric m of a run, as the CSV has it; the throughput's bound needs the
 * settings: ms[] caches it per run.
 */
struct measured {
	struct xs_window w;
	struct xs_cost c;
	u64 exposure_window_max_ns;
};

static void measure(const struct xs_run_config *cfg,
		    const struct xs_run_result *r, struct measured *m)
{
	xs_window_used(r, &m->w);
	xs_cost_of(cfg, r, &m->c);
	m->exposure_window_max_ns = r->exposure_window_max_ns;
}

static double metric(unsigned int m, const struct measured *r)
{
	switch (m) {
	case 0:
		return r->c.cpu_ns_per_packet;
	case 1:
		return per_packet(r->w.invalidation_waits, &r->w);
	case 2:
		return 100.0 * (1.0 - miss_rate(&r->w)) *
		       (r->w.iotlb_hits + r->w.iotlb_misses ? 1 : 0);
	case 3:
		return r->c.modelled_gbps;
	default:
		return (double)r->exposure_window_max_ns / 1000.0;
	}
}

/*
 * One script per sweep, five plots. Every mode has its own point shape
 * and dash, and a mode whose series equals an earlier one's at every
 * point says so in its title (it would hide behind it otherwise). The
 * title names the operating point.
 */
static int write_plot(const char *dir, const struct sweep *s,
		      const struct measured res[][XS_MODE__COUNT],
		      const char *point)
{
	char path[4096];
	unsigned int m, k, j, p;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.gp", dir, s->name);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fprintf(f, "set datafile separator ','\nset terminal svg size 900,500\nset key outside right\nset grid\nset yrange [0:*]\n");
	for (m = 0; m < NR_METRICS; m++) {
		fprintf(f, "set output '%s/%s-%s.svg'\n", dir, s->name,
			metrics[m][0]);
		fprintf(f, "set title '%s'\nset xlabel '%s'\nset ylabel '%s'\n",
			point, s->xlabel, metrics[m][1]);
		if (!strcmp(s->name, "iotlb_entries") ||
		    !strcmp(s->name, "napi_budget") ||
		    !strcmp(s->name, "batch"))
			fprintf(f, "set logscale x 2\n");
		else
			fprintf(f, "unset logscale x\n");
		/*
		 * Rows go point by point, one per mode: mode k is every
		 * XS_MODE__COUNT-th row from row k, so its points connect.
		 */
		fprintf(f, "plot ");
		for (k = 0; k < XS_MODE__COUNT; k++) {
			int same = -1;

			for (j = 0; j < k && same < 0; j++) {
				for (p = 0; p < s->npoints; p++)
					if (metric(m, &res[p][k]) !=
					    metric(m, &res[p][j]))
						break;
				if (p == s->npoints)
					same = (int)j;
			}
			fprintf(f, "%s'%s/%s.csv' every %d::%u using 2:'%s' with linespoints pt %u dt %u title '%s%s%s%s'",
				k ? ", " : "", dir, s->name, XS_MODE__COUNT,
				k, metrics[m][0], k + 1, k % 5 + 1,
				xs_mode_name(k),
				same >= 0 ? " (= " : "",
				same >= 0 ? xs_mode_name(same) : "",
				same >= 0 ? ")" : "");
		}
		fprintf(f, "\n");
	}
	if (fclose(f))
		return -1;
	return 0;
}

int xs_report(const char *dir, const struct xs_run_config *base,
	      const struct xs_params *params, const char *about)
{
	static struct measured res[MAX_POINTS][XS_MODE__COUNT];
	char path[4096], point[256];
	bool have_gnuplot;
	unsigned int i, p, k;
	int plotted = 0;

	/* dir goes into gnuplot scripts and a shell command, quoted */
	if (strpbrk(dir, "'\\\n")) {
		fprintf(stderr,
			"xsmmu-sim: --report %s: quotes, backslashes and newlines are not supported in the directory name\n",
			dir);
		return -1;
	}
	have_gnuplot = !system("command -v gnuplot >/dev/null 2>&1");
	snprintf(point, sizeof(point),
		 "profile %s, %" PRIu64 " packets per run, %u channels, seed %" PRIu64,
		 base->profile.name, base->packets, base->channels,
		 base->seed);
	if (mkdir(dir, 0777) && errno != EEXIST) {
		fprintf(stderr, "xsmmu-sim: --report %s: %s\n", dir,
			strerror(errno));
		return -1;
	}
	for (i = 0; i < sizeof(sweeps) / sizeof(sweeps[0]); i++) {
		const struct sweep *s = &sweeps[i];
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s.csv", dir, s->name);
		f = fopen(path, "w");
		if (!f) {
			fprintf(stderr, "xsmmu-sim: %s: %s\n", path,
				strerror(errno));
			return -1;
		}
		fprintf(f, "# %s\n", about);
		fprintf(f, "mode,x,rx_cache_hit_rate,cpu_ns_per_packet,waits_per_packet,iotlb_miss_rate,walk_reads_per_packet,violations,exposure_window_max_ns,iotlb_hit_pct,exposure_window_max_us,device_ns_per_packet,device_gbps,cpu_gbps,modelled_gbps,bound\n");
		for (p = 0; p < s->npoints; p++) {
			for (k = 0; k < XS_MODE__COUNT; k++) {
				struct xs_run_config cfg = *base;
				struct xs_params prm = *params;
				struct xs_run_result r;
				struct measured ms;
				u64 viol = 0;
				unsigned int v;
				double x;

				cfg.mode = (enum xs_mode)k;
				cfg.params = &prm;
				cfg.reports = NULL;
				cfg.trace = NULL;
				s->apply(&cfg, &prm, s->points[p]);
				if (xs_run_steady(&cfg, &r)) {
					fclose(f);
					return -1;
				}
				measure(&cfg, &r, &ms);
				for (v = 0; v < XS_INV__COUNT; v++)
					viol += r.violations[v];
				x = !strcmp(s->name, "rx_cache") ?
					cache_rate(&r) : (double)s->points[p];
				/* No bound on a side that costs nothing: 0. */
				fprintf(f, "%s,%.4f,%.4f,%.2f,%.5f,%.5f,%.4f,%" PRIu64 ",%" PRIu64 ",%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%s\n",
					xs_mode_name(k), x, cache_rate(&r),
					ms.c.cpu_ns_per_packet,
					per_packet(ms.w.invalidation_waits,
						   &ms.w),
					miss_rate(&ms.w),
					per_packet(ms.w.walk_reads, &ms.w),
					viol,
					r.exposure_window_max_ns,
					metric(2, &ms), metric(4, &ms),
					ms.c.device_ns_per_packet,
					ms.c.device_gbps, ms.c.cpu_gbps,
					ms.c.modelled_gbps,
					xs_bound_name(ms.c.bound));
				res[p][k] = ms;
			}
		}
		if (fclose(f)) {
			fprintf(stderr, "xsmmu-sim: %s: %s\n", path,
				strerror(errno));
			return -1;
		}
		if (write_plot(dir, s, res, point)) {
			fprintf(stderr, "xsmmu-sim: %s/%s.gp: cannot write it\n",
				dir, s->name);
			return -1;
		}
		printf("%s/%s.csv\n", dir, s->name);
		if (!have_gnuplot)
			continue;
		snprintf(path, sizeof(path), "gnuplot '%s/%s.gp'", dir,
			 s->name);
		if (system(path)) {
			fprintf(stderr, "xsmmu-sim: %s failed\n", path);
			return -1;
		}
		plotted++;
	}
	if (!plotted)
		printf("gnuplot not found: scripts/install-deps.sh report, then gnuplot %s/*.gp\n",
		       dir);
	else
		printf("plots: %s/*.svg\n", dir);
	return 0;
}
