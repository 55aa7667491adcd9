// SPDX-License-Identifier: GPL-2.0
/*
 * xsmmu-sim: the project's main job. Until the NIC simulation lands it
 * runs the model demo (model_demo.c) under each invalidation policy and
 * prints one row per policy.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_demo.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: xsmmu-sim [options]\n"
		"  --ops N            buffers mapped, used and unmapped (100000)\n"
		"  --batch N          unmaps per batched invalidation (64)\n"
		"  --hot-pages N      pages that stay mapped (64)\n"
		"  --hot-accesses N   device accesses to them per buffer (4)\n"
		"  --seed S           PRNG seed (1)\n"
		"  --param NAME=VAL   override a model parameter (repeatable)\n"
		"  --list-params      print the parameter table and exit\n"
		"  --trace FILE       write the last hardware steps to FILE\n"
		"  --help             this text\n");
}

static int parse_u64(const char *opt, const char *s, u64 min, u64 max,
		     u64 *out)
{
	char *end;
	unsigned long long v;

	if (!*s || *s == '-')
		goto bad;
	v = strtoull(s, &end, 0);
	if (*end || v < min || v > max)
		goto bad;
	*out = v;
	return 0;
bad:
	fprintf(stderr,
		"xsmmu-sim: --%s: '%s' is not a number in [%" PRIu64
		", %" PRIu64 "]\n",
		opt, s, min, max);
	return -1;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "ops", required_argument, NULL, 'o' },
		{ "batch", required_argument, NULL, 'b' },
		{ "hot-pages", required_argument, NULL, 'H' },
		{ "hot-accesses", required_argument, NULL, 'A' },
		{ "seed", required_argument, NULL, 's' },
		{ "param", required_argument, NULL, 'p' },
		{ "list-params", no_argument, NULL, 'l' },
		{ "trace", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct demo_opts o = { .seed = 1, .ops = 100000, .batch = 64,
			       .hot_pages = 64, .hot_accesses = 4 };
	struct xs_params params;
	char err[160];
	u64 v;
	int c, pol, rc = 0;

	xs_params_init(&params);
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			if (parse_u64("ops", optarg, 1, 1ULL << 40, &o.ops))
				return 2;
			break;
		case 'b':
			if (parse_u64("batch", optarg, 1, 200, &v))
				return 2;
			o.batch = (u32)v;
			break;
		case 'H':
			if (parse_u64("hot-pages", optarg, 0, 65536, &v))
				return 2;
			o.hot_pages = (u32)v;
			break;
		case 'A':
			if (parse_u64("hot-accesses", optarg, 0, 1024, &v))
				return 2;
			o.hot_accesses = (u32)v;
			break;
		case 's':
			if (parse_u64("seed", optarg, 0, ~0ULL, &o.seed))
				return 2;
			break;
		case 'p':
			if (xs_params_set(&params, optarg, err, sizeof(err))) {
				fprintf(stderr, "xsmmu-sim: --param %s\n", err);
				return 2;
			}
			break;
		case 'l':
			xs_params_print(stdout, &params);
			return 0;
		case 't':
			o.trace_path = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "xsmmu-sim: unexpected argument '%s'\n",
			argv[optind]);
		usage(stderr);
		return 2;
	}

	printf("xsmmu-sim model demo: %" PRIu64 " buffers, batch %u, "
	       "%u hot pages, seed %" PRIu64 "\n",
	       o.ops, o.batch, o.hot_pages, o.seed);
	printf("%-20s %10s %8s %10s %10s %12s\n", "policy", "inv_descs",
	       "waits", "iotlb_hit%", "walk_rd/op", "wait_ns/op");
	for (pol = 0; pol < DEMO_NR_POLICIES; pol++) {
		struct demo_result r = { 0 };
		u64 lookups;

		if (demo_run(&o, &params, pol, &r)) {
			fprintf(stderr, "xsmmu-sim: %s failed\n",
				demo_policy_name(pol));
			rc = 1;
			continue;
		}
		lookups = r.iotlb_hits + r.iotlb_misses;
		printf("%-20s %10" PRIu64 " %8" PRIu64 " %10.2f %10.2f "
		       "%12.1f\n",
		       r.policy, r.descriptors, r.waits,
		       lookups ? 100.0 * r.iotlb_hits / lookups : 0.0,
		       (double)r.walk_reads / r.ops,
		       (double)r.inv_wait_ns / r.ops);
	}
	return rc;
}
