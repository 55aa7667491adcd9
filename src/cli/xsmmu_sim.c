// SPDX-License-Identifier: GPL-2.0
/*
 * xsmmu-sim: the project's main job. The same simulated mlx5 traffic
 * through each invalidation mode (passthrough, strict, lazy, the seed's
 * batching, batching per poll), with the oracle's verdict and the cost
 * side by side.
 *
 * Exit status: 0; 1 when a protected mode (anything but passthrough and
 * lazy, whose exposure is the point of running them) reports a violation,
 * when any mode hits a kernel WARN (a bug in any mode) or a run fails; 2
 * for a bad command line.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xsmmu/run.h>

#include "report.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: xsmmu-sim [options]\n"
		"  --mode M           passthrough, strict, lazy, xsmmu-seed, xsmmu-poll,\n"
		"                     psi-batch, adaptive, coalesce, or all (default\n"
		"                     all)\n"
		"  --profile P        traffic: mtu, small, tso, mixed, tcp-rx\n"
		"                     (default mtu)\n"
		"  --set KEY=VAL      override a profile key (repeatable; see\n"
		"                     --list-profiles); units=N (1-4): N VT-d\n"
		"                     units, a NIC function behind each, one\n"
		"                     domain with a different id on each\n"
		"  --packets N        TX + RX packets per mode (default 200000)\n"
		"  --channels C       channels, each on its own CPU (default 4)\n"
		"  --seed S           PRNG seed (default 1)\n"
		"  --malicious        the device also reads every IOVA it was ever given,\n"
		"                     and writes to those the driver has unmapped\n"
		"  --close-midway     close and reopen a channel halfway\n"
		"  --threads          channels on real threads (not deterministic;\n"
		"                     for ThreadSanitizer), and a work CPU on its own\n"
		"                     thread: --recover-every 4 --reopen-every 16\n"
		"                     unless given\n"
		"  --recover-every N  every N-th tick, the RX reporter's recovery of a\n"
		"                     channel's RQ on a work CPU while the channels run\n"
		"                     (a second releaser of RX pages; 0: never)\n"
		"  --reopen-every N   every N-th tick, a channel closed and reopened on\n"
		"                     the work CPU while the others run (0: never)\n"
		"  --param NAME=VAL   override a cost or size (repeatable)\n"
		"  --json | --csv     machine-readable output instead of the table\n"
		"  --trace FILE       write each mode's last events to FILE\n"
		"  --report DIR       sweep batch size, NAPI budget, RX cache,\n"
		"                     channels, IOTLB size:\n"
		"                     CSV and plots (gnuplot) in DIR\n"
		"  --list-params      print the cost and size table and exit\n"
		"  --list-profiles    print the traffic profiles and exit\n"
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

enum { OUT_TABLE, OUT_JSON, OUT_CSV };

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "mode", required_argument, NULL, 'm' },
		{ "profile", required_argument, NULL, 'P' },
		{ "set", required_argument, NULL, 'S' },
		{ "packets", required_argument, NULL, 'n' },
		{ "channels", required_argument, NULL, 'c' },
		{ "seed", required_argument, NULL, 's' },
		{ "malicious", no_argument, NULL, 'M' },
		{ "close-midway", no_argument, NULL, 'C' },
		{ "threads", no_argument, NULL, 'T' },
		{ "recover-every", required_argument, NULL, 'r' },
		{ "reopen-every", required_argument, NULL, 'o' },
		{ "param", required_argument, NULL, 'p' },
		{ "json", no_argument, NULL, 'j' },
		{ "csv", no_argument, NULL, 'v' },
		{ "trace", required_argument, NULL, 't' },
		{ "report", required_argument, NULL, 'R' },
		{ "list-params", no_argument, NULL, 'l' },
		{ "list-profiles", no_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct xs_run_result res[XS_MODE__COUNT];
	struct xs_run_config cfg = { 0 };
	struct xs_params params;
	const char *sets[64];
	unsigned int nsets = 0, nres = 0, i;
	int mode = -1, out = OUT_TABLE, opt, status = 0;
	bool packets_set = false, recover_set = false, reopen_set = false;
	const char *profile = "mtu", *trace_path = NULL, *report_dir = NULL;
	char err[256];
	u64 v;

	xs_params_init(&params);
	cfg.packets = 200000;
	cfg.channels = 4;
	cfg.seed = 1;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'm':
			if (!strcmp(optarg, "all")) {
				mode = -1;
				break;
			}
			mode = xs_mode_lookup(optarg);
			if (mode < 0) {
				fprintf(stderr, "xsmmu-sim: unknown mode '%s'\n",
					optarg);
				usage(stderr);
				return 2;
			}
			break;
		case 'P':
			profile = optarg;
			break;
		case 'S':
			if (nsets == XS_ARRAY_SIZE(sets)) {
				fprintf(stderr, "xsmmu-sim: too many --set\n");
				return 2;
			}
			sets[nsets++] = optarg;
			break;
		case 'n':
			if (parse_u64("packets", optarg, 1, 1ULL << 34,
				      &cfg.packets))
				return 2;
			packets_set = true;
			break;
		case 'c':
			if (parse_u64("channels", optarg, 1, 64, &v))
				return 2;
			cfg.channels = (unsigned int)v;
			break;
		case 's':
			if (parse_u64("seed", optarg, 0, UINT64_MAX, &cfg.seed))
				return 2;
			break;
		case 'M':
			cfg.malicious = true;
			break;
		case 'C':
			cfg.close_midway = true;
			break;
		case 'T':
			cfg.threaded = true;
			break;
		case 'r':
			if (parse_u64("recover-every", optarg, 0, 1000000, &v))
				return 2;
			cfg.recover_every = (u32)v;
			recover_set = true;
			break;
		case 'o':
			if (parse_u64("reopen-every", optarg, 0, 1000000, &v))
				return 2;
			cfg.reopen_every = (u32)v;
			reopen_set = true;
			break;
		case 'p':
			if (xs_params_set(&params, optarg, err, sizeof(err))) {
				fprintf(stderr, "xsmmu-sim: --param: %s\n", err);
				return 2;
			}
			break;
		case 'j':
			out = OUT_JSON;
			break;
		case 'v':
			out = OUT_CSV;
			break;
		case 't':
			trace_path = optarg;
			break;
		case 'R':
			report_dir = optarg;
			break;
		case 'l':
			xs_params_print(stdout, &params);
			return 0;
		case 'L':
			for (i = 0; xs_profile_names[i]; i++) {
				struct xs_profile p;

				xs_profile_lookup(xs_profile_names[i], &p);
				xs_profile_print(stdout, &p);
			}
			return 0;
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
	/* The threaded mode exists for TSan: a second releaser by default. */
	if (cfg.threaded && !recover_set)
		cfg.recover_every = 4;
	if (cfg.threaded && !reopen_set)
		cfg.reopen_every = 16;
	if (xs_profile_lookup(profile, &cfg.profile)) {
		fprintf(stderr, "xsmmu-sim: unknown profile '%s' (mtu, small, tso, mixed, tcp-rx)\n",
			profile);
		return 2;
	}
	for (i = 0; i < nsets; i++) {
		if (xs_profile_set(&cfg.profile, sets[i], err, sizeof(err))) {
			fprintf(stderr, "xsmmu-sim: --set: %s\n", err);
			return 2;
		}
	}
	if (trace_path) {
		cfg.trace = fopen(trace_path, "w");
		if (!cfg.trace) {
			perror(trace_path);
			return 2;
		}
	}
	cfg.params = &params;
	cfg.reports = stderr;
	if (report_dir) {
		if (!packets_set)
			cfg.packets = 20000;
		return xs_report(report_dir, &cfg, &params) ? 1 : 0;
	}
	if (out == OUT_TABLE) {
		printf("xsmmu-sim: %" PRIu64 " packets per mode, %u channels, seed %" PRIu64 "%s\n",
		       cfg.packets, cfg.channels, cfg.seed,
		       cfg.malicious ? ", malicious device" : "");
		xs_profile_print(stdout, &cfg.profile);
	}
	for (i = 0; i < XS_MODE__COUNT; i++) {
		if (mode >= 0 && (int)i != mode)
			continue;
		cfg.mode = (enum xs_mode)i;
		if (cfg.trace)
			fprintf(cfg.trace, "== mode %s\n", xs_mode_name(i));
		if (cfg.packets >= 100000)
			fprintf(stderr, "xsmmu-sim: running %s...\n",
				xs_mode_name(i));
		if (xs_run(&cfg, &res[nres])) {
			fprintf(stderr, "xsmmu-sim: mode %s: run failed\n",
				xs_mode_name(i));
			status = 1;
		}
		if (!xs_mode_unprotected(cfg.mode)) {
			unsigned int k;

			for (k = 0; k < XS_INV__COUNT; k++)
				if (res[nres].violations[k])
					status = 1;
		}
		if (res[nres].violations[XS_W]) {
			fprintf(stderr, "xsmmu-sim: mode %s: %" PRIu64 " kernel WARNs, the first: %s\n",
				xs_mode_name(i), res[nres].violations[XS_W],
				res[nres].first_warn);
			status = 1;
		}
		nres++;
	}
	if (out == OUT_JSON)
		xs_run_print_json(stdout, res, nres, true);
	else if (out == OUT_CSV)
		xs_run_print_csv(stdout, res, nres);
	else
		xs_run_print_table(stdout, res, nres);
	if (cfg.trace)
		fclose(cfg.trace);
	if (status)
		fprintf(stderr, "xsmmu-sim: a protected mode reported a violation, a mode hit a kernel WARN, or a run failed\n");
	return status;
}
