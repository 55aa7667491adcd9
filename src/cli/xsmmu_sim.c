// SPDX-License-Identifier: GPL-2.0
/*
 * xsmmu-sim: the project's main job. The same simulated mlx5 traffic
 * through each invalidation mode, with the oracle's verdict and the cost
 * side by side, a verdict in words and a legend under the table.
 *
 * Every option is checked before anything runs; a bad one is one message
 * and exit status 2. Exit status 1: a protected mode shows a violation,
 * any mode a leak (L1) or a kernel WARN (W), a run fails, the output
 * cannot be written, or a replay's figures differ from the file's.
 * passthrough and lazy are the unprotected references: their S1-S5 and
 * F1 (with --malicious, S1 too) are their exposure, reported, not a
 * failure.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/smp.h>
#include <xsmmu/run.h>

#include "cost.h"
#include "output.h"
#include "report.h"
#include "xsmmu_version.h"

/*
 * The largest seed: a JSON integer (jansson's json_int_t) is signed 64-bit,
 * and the seed of every run goes into its --json output and back.
 */
#define XS_SEED_MAX	((u64)INT64_MAX)

static void usage(FILE *f)
{
	fprintf(f,
		"usage: xsmmu-sim [options]\n"
		"  --mode M           passthrough, strict, lazy, xsmmu-seed, xsmmu-poll,\n"
		"                     psi-batch, adaptive, coalesce, or all (default\n"
		"                     all); repeatable, or M1,M2: those modes\n"
		"  --profile P        traffic: mtu, small, tso, mixed, tcp-rx\n"
		"                     (default mtu)\n"
		"  --set KEY=VAL      override a profile key (repeatable; see\n"
		"                     --list-profiles); units=N (1-4): N VT-d\n"
		"                     units, a NIC function behind each, one\n"
		"                     domain with a different id on each\n"
		"  --packets N        TX + RX packets per mode (default 200000)\n"
		"  --channels C       channels, each on its own CPU (default 4)\n"
		"  --seed S           PRNG seed, 0 to 2^63-1 (default 1)\n"
		"  --malicious        the device also reads every IOVA it was ever given,\n"
		"                     and writes to those the driver has unmapped\n"
		"  --close-midway     close and reopen a channel halfway\n"
		"  --threads          channels on real threads (not deterministic;\n"
		"                     for ThreadSanitizer; no CPU figures, no trace),\n"
		"                     and a work CPU on its own thread:\n"
		"                     --recover-every 4 --reopen-every 16 unless given\n"
		"  --recover-every N  every N-th tick, the RX reporter's recovery of a\n"
		"                     channel's RQ on a work CPU while the channels run\n"
		"                     (a second releaser of RX pages; 0: never)\n"
		"  --reopen-every N   every N-th tick, a channel closed and reopened on\n"
		"                     the work CPU while the others run (0: never)\n"
		"  --param NAME=VAL   override a cost or size (repeatable; --list-params)\n"
		"  --json | --csv     machine-readable output instead of the table;\n"
		"                     both carry every setting, version and commit\n"
		"  --replay FILE      run again the settings of a --json output and\n"
		"                     say whether every figure matches (exit 1 if not)\n"
		"  --trace FILE       write each mode's last events to FILE\n"
		"  --trace-events N   how many events the trace keeps per mode\n"
		"                     (default 4096, rounded up to a power of two)\n"
		"  --report DIR       sweep batch size, NAPI budget, RX cache,\n"
		"                     channels, IOTLB size, every mode: CSV and plots\n"
		"                     (gnuplot) in DIR (takes --profile, --set,\n"
		"                     --param, --packets, --channels, --seed)\n"
		"  --list-params      print the cost and size table and exit\n"
		"  --list-profiles    print the traffic profiles and exit\n"
		"  --version          print the version and commit and exit\n"
		"  --help             this text\n"
		"Numbers are decimal (010 is ten). Exit status: 0; 1 when a protected\n"
		"mode shows a violation, any mode a leak (L1) or a kernel WARN (W), a\n"
		"run fails, the output cannot be written, or a replay differs; 2 for\n"
		"a bad command line. passthrough and lazy are the unprotected\n"
		"references: their exposure is reported, not a failure.\n");
}

/* Decimal only: "010" is ten, "0x10" and "-1" are refused. */
static int parse_u64(const char *opt, const char *s, u64 min, u64 max,
		     u64 *out)
{
	unsigned long long v;
	const char *c;
	char *end;

	for (c = s; *c; c++)
		if (*c < '0' || *c > '9')
			goto bad;
	if (!*s)
		goto bad;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v < min || v > max)
		goto bad;
	*out = v;
	return 0;
bad:
	fprintf(stderr,
		"xsmmu-sim: --%s: '%s' is not a decimal number in [%" PRIu64
		", %" PRIu64 "]\n",
		opt, s, min, max);
	return -1;
}

enum { OUT_TABLE, OUT_JSON, OUT_CSV };

/* What the command line asked for, before any of it runs. */
struct request {
	struct xs_run_config cfg;
	struct xs_params params;
	unsigned int mode_mask;		/* --mode, each given (0: none) */
	enum xs_mode modes[XS_MODE__COUNT];	/* to run, in order */
	unsigned int nmodes;
	int out;
	const char *trace_path, *report_dir, *replay_path;
};

/*
 * The checks of a whole configuration, once, before the first run: each
 * is a usage error (the same for every mode).
 */
static int check_config(const struct xs_run_config *cfg)
{
	const struct xs_profile *p = &cfg->profile;
	bool work = cfg->threaded || cfg->recover_every || cfg->reopen_every;
	char err[256];

	if (cfg->threaded && cfg->malicious) {
		fprintf(stderr, "xsmmu-sim: --threads runs no malicious device: drop one of --threads and --malicious\n");
		return -1;
	}
	if (cfg->threaded && cfg->close_midway) {
		fprintf(stderr, "xsmmu-sim: --threads runs no mid-run close: drop one of --threads and --close-midway\n");
		return -1;
	}
	if (cfg->channels + work > XS_MAX_CPUS) {
		fprintf(stderr, "xsmmu-sim: --channels %u and a work CPU (--threads, --recover-every or --reopen-every) need %u CPUs; the model has %d\n",
			cfg->channels, cfg->channels + 1, XS_MAX_CPUS);
		return -1;
	}
	if (!p->tx_per_tick && !p->rx_per_tick) {
		fprintf(stderr, "xsmmu-sim: profile %s offers no traffic: tx_per_tick and rx_per_tick are both 0\n",
			p->name);
		return -1;
	}
	if (xs_params_check(cfg->params, err, sizeof(err))) {
		fprintf(stderr, "xsmmu-sim: --param: %s\n", err);
		return -1;
	}
	return 0;
}

/* ---- --replay ---- */

/*
 * The --json output at path, parsed by jansson. NULL after one message:
 * the file cannot be read, or it is not JSON (jansson's line and column).
 */
static json_t *replay_load(const char *path)
{
	json_error_t err;
	json_t *doc;
	FILE *f = fopen(path, "rb");

	if (!f) {
		fprintf(stderr, "xsmmu-sim: --replay %s: %s\n", path,
			strerror(errno));
		return NULL;
	}
	/* A key twice would leave which one counts to chance: refused. */
	doc = json_loadf(f, JSON_REJECT_DUPLICATES, &err);
	if (!doc && ferror(f))
		fprintf(stderr, "xsmmu-sim: --replay %s: read error\n", path);
	else if (!doc)
		fprintf(stderr, "xsmmu-sim: --replay %s: not JSON: line %d, column %d: %s\n",
			path, err.line, err.column, err.text);
	fclose(f);
	return doc;
}

static int replay_bad(const char *path, const char *what)
{
	fprintf(stderr, "xsmmu-sim: --replay %s: %s (not an xsmmu-sim --json output?)\n",
		path, what);
	return -1;
}

/* A whole non-negative number: 0, or -1. */
static int json_get_u64(const json_t *j, u64 *out)
{
	if (!json_is_integer(j) || json_integer_value(j) < 0)
		return -1;
	*out = (u64)json_integer_value(j);
	return 0;
}

static int get_u64(const json_t *obj, const char *key, u64 min,
		   u64 max, u64 *out)
{
	return json_get_u64(json_object_get(obj, key), out) ||
	       *out < min || *out > max ? -1 : 0;
}

static int get_bool(const json_t *obj, const char *key, bool *out)
{
	const json_t *j = json_object_get(obj, key);

	if (!json_is_boolean(j))
		return -1;
	*out = json_is_true(j);
	return 0;
}

/* "all", or modes separated by commas, into a mask: 0, or -1. */
static int parse_modes(const char *list, unsigned int *mask)
{
	char buf[256], *tok, *save = NULL;
	int m;

	if (strlen(list) >= sizeof(buf))
		return -1;
	strcpy(buf, list);
	*mask = 0;
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, "all")) {
			*mask |= XS_ALL_MODES;
			continue;
		}
		m = xs_mode_lookup(tok);
		if (m < 0)
			return -1;
		*mask |= 1u << m;
	}
	return *mask ? 0 : -1;
}

/* The settings of a --json output into rq. Returns 0, or -1 said. */
static int replay_settings(const char *path, const json_t *doc,
			   struct request *rq)
{
	const json_t *set = json_object_get(doc, "settings");
	const json_t *xs = json_object_get(doc, "xsmmu");
	struct xs_run_config *c = &rq->cfg;
	const json_t *runs, *j, *m;
	char kv[128], err[256];
	unsigned int pass, failed;
	const char *key;
	size_t i;
	u64 v;
	int mode;

	if (!json_is_object(set) || !json_is_object(xs))
		return replay_bad(path, "no \"settings\" or \"xsmmu\" object");
	j = json_object_get(set, "profile");
	if (!json_is_string(j) ||
	    xs_profile_lookup(json_string_value(j), &c->profile))
		return replay_bad(path, "settings.profile is not a known profile");
	j = json_object_get(set, "profile_keys");
	if (!json_is_object(j))
		return replay_bad(path, "no settings.profile_keys object");
	/* Twice: a minimum can only go above the old maximum after it. */
	for (pass = 0; pass < 2; pass++) {
		failed = 0;
		json_object_foreach((json_t *)j, key, m) {
			if (json_get_u64(m, &v))
				return replay_bad(path, "a profile key is not a number");
			snprintf(kv, sizeof(kv), "%s=%" PRIu64, key, v);
			if (xs_profile_set(&c->profile, kv, err, sizeof(err))) {
				if (pass)
					return replay_bad(path, err);
				failed++;
			}
		}
		if (!failed)
			break;
	}
	j = json_object_get(set, "params");
	if (!json_is_object(j))
		return replay_bad(path, "no settings.params object");
	json_object_foreach((json_t *)j, key, m) {
		if (json_get_u64(m, &v))
			return replay_bad(path, "a parameter is not a number");
		snprintf(kv, sizeof(kv), "%s=%" PRIu64, key, v);
		if (xs_params_set(&rq->params, kv, err, sizeof(err)))
			return replay_bad(path, err);
	}
	if (get_u64(set, "packets", 1, 1ULL << 34, &c->packets) ||
	    get_u64(set, "channels", 1, 64, &v))
		return replay_bad(path, "settings.packets or settings.channels missing or out of range");
	c->channels = (unsigned int)v;
	if (get_u64(set, "seed", 0, XS_SEED_MAX, &c->seed))
		return replay_bad(path, "settings.seed missing or out of range");
	if (get_bool(set, "malicious", &c->malicious) ||
	    get_bool(set, "close_midway", &c->close_midway) ||
	    get_bool(set, "threads", &c->threaded))
		return replay_bad(path, "settings.malicious, close_midway or threads is not true or false");
	if (get_u64(set, "recover_every", 0, 1000000, &v))
		return replay_bad(path, "settings.recover_every missing or out of range");
	c->recover_every = (u32)v;
	if (get_u64(set, "reopen_every", 0, 1000000, &v))
		return replay_bad(path, "settings.reopen_every missing or out of range");
	c->reopen_every = (u32)v;
	j = json_object_get(set, "mode");
	if (!json_is_string(j) ||
	    parse_modes(json_string_value(j), &rq->mode_mask))
		return replay_bad(path, "settings.mode is not \"all\" or a list of known modes");
	runs = json_object_get(doc, "runs");
	if (!json_is_array(runs) || !json_array_size(runs))
		return replay_bad(path, "no runs");
	rq->nmodes = 0;
	json_array_foreach((json_t *)runs, i, m) {
		j = json_object_get(m, "mode");
		mode = json_is_string(j) ?
		       xs_mode_lookup(json_string_value(j)) : -1;
		if (mode < 0 || rq->nmodes == XS_MODE__COUNT)
			return replay_bad(path, "a run without a known mode");
		rq->modes[rq->nmodes++] = (enum xs_mode)mode;
	}
	j = json_object_get(xs, "commit");
	if (json_is_string(j) && strcmp(json_string_value(j), XSMMU_COMMIT))
		fprintf(stderr, "xsmmu-sim: note: %s was written by commit %s, this is %s: figures may differ\n",
			path, json_string_value(j), XSMMU_COMMIT);
	return 0;
}

/* Two figures the same: numbers by value (12 as 12.0), the rest exactly. */
static bool same_figure(const json_t *a, const json_t *b)
{
	if (json_is_integer(a) && json_is_integer(b))
		return json_integer_value(a) == json_integer_value(b);
	if (json_is_number(a) && json_is_number(b))
		return json_number_value(a) == json_number_value(b);
	return json_equal((json_t *)a, (json_t *)b);
}

/* A figure as the file writes it, into buf. */
static void figure_text(const json_t *j, char *buf, size_t len)
{
	char *text = json_dumps(j, JSON_ENCODE_ANY | XS_OUT_JSON_FLAGS);

	snprintf(buf, len, "%s", text ? text : "?");
	free(text);
}

/* The recorded run a against the new one b, member by member. */
static unsigned int compare(const char *mode, const char *where,
			    const json_t *a, const json_t *b)
{
	char path[256], was[128], now[128];
	unsigned int diff = 0;
	const char *key;
	json_t *m, *n;

	json_object_foreach((json_t *)a, key, m) {
		if (!strcmp(key, "sim_packets_per_second"))
			continue;	/* the host's speed */
		snprintf(path, sizeof(path), "%s%s", where, key);
		n = json_object_get(b, key);
		if (!n) {
			fprintf(stderr, "replay: %s: %s recorded, missing now\n",
				mode, path);
			diff++;
		} else if (json_is_object(m) && json_is_object(n)) {
			strncat(path, ".", sizeof(path) - strlen(path) - 1);
			diff += compare(mode, path, m, n);
		} else if (!same_figure(m, n)) {
			figure_text(m, was, sizeof(was));
			figure_text(n, now, sizeof(now));
			fprintf(stderr, "replay: %s: %s recorded %s, now %s\n",
				mode, path, was, now);
			diff++;
		}
	}
	return diff;
}

/*
 * The new results against the file's: 0 when every figure but the host's
 * speed is the same, 1 when one differs. The new ones go through the same
 * text as a --json output, so both sides are the printed figures.
 */
static int replay_compare(const char *path, const json_t *doc,
			  const struct xs_sim_settings *s,
			  const struct xs_run_result *res, unsigned int n)
{
	const json_t *now_runs, *a, *b;
	json_t *now = NULL, *built;
	unsigned int diff = 0;
	json_error_t err;
	char *text = NULL;
	size_t i;

	if (s->cfg->threaded) {
		fprintf(stderr, "replay: %s: a --threads run is not deterministic; its figures are not compared\n",
			path);
		return 0;
	}
	built = xs_out_json_doc(s, res, n, false);
	if (built)
		text = json_dumps(built, XS_OUT_JSON_FLAGS);
	json_decref(built);
	if (text)
		now = json_loads(text, 0, &err);
	free(text);
	if (!now) {
		fprintf(stderr, "xsmmu-sim: replay: out of memory\n");
		return 1;
	}
	now_runs = json_object_get(now, "runs");
	/* replay_settings() checked every recorded run and its mode. */
	json_array_foreach(json_object_get(doc, "runs"), i, a) {
		b = json_array_get(now_runs, i);
		if (!b)
			break;
		diff += compare(json_string_value(json_object_get(a, "mode")),
				"", a, b);
	}
	json_decref(now);
	if (diff)
		fprintf(stderr, "replay: %s: %u figures differ\n", path, diff);
	else
		fprintf(stderr, "replay: %s: every figure of the %u modes matches (all but the host's speed)\n",
			path, n);
	return diff ? 1 : 0;
}

/* ---- the command line ---- */

static int parse_args(int argc, char **argv, struct request *rq)
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
		{ "trace-events", required_argument, NULL, 'e' },
		{ "report", required_argument, NULL, 'R' },
		{ "replay", required_argument, NULL, 'y' },
		{ "list-params", no_argument, NULL, 'l' },
		{ "list-profiles", no_argument, NULL, 'L' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct xs_run_config *cfg = &rq->cfg;
	const char *sets[64], *profile = "mtu", *setting = NULL;
	bool recover_set = false, reopen_set = false, packets_set = false;
	bool list_params = false, list_profiles = false;
	unsigned int nsets = 0, i;
	char err[256];
	int opt, out_opts = 0;
	unsigned int v32;
	u64 v;

	opterr = 0;	/* one message of ours, not getopt's and ours */
	while ((opt = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'm':
			/* Repeatable: --mode lazy --mode strict runs both. */
			setting = "--mode";
			if (parse_modes(optarg, &v32)) {
				fprintf(stderr, "xsmmu-sim: unknown mode '%s' (passthrough, strict, lazy, xsmmu-seed, xsmmu-poll, psi-batch, adaptive, coalesce, all)\n",
					optarg);
				return 2;
			}
			rq->mode_mask |= v32;
			break;
		case 'P':
			setting = "--profile";
			profile = optarg;
			break;
		case 'S':
			setting = "--set";
			if (nsets == XS_ARRAY_SIZE(sets)) {
				fprintf(stderr, "xsmmu-sim: more than %zu --set\n",
					XS_ARRAY_SIZE(sets));
				return 2;
			}
			sets[nsets++] = optarg;
			break;
		case 'n':
			setting = "--packets";
			if (parse_u64("packets", optarg, 1, 1ULL << 34,
				      &cfg->packets))
				return 2;
			packets_set = true;
			break;
		case 'c':
			setting = "--channels";
			if (parse_u64("channels", optarg, 1, 64, &v))
				return 2;
			cfg->channels = (unsigned int)v;
			break;
		case 's':
			setting = "--seed";
			if (parse_u64("seed", optarg, 0, XS_SEED_MAX,
				      &cfg->seed))
				return 2;
			break;
		case 'M':
			setting = "--malicious";
			cfg->malicious = true;
			break;
		case 'C':
			setting = "--close-midway";
			cfg->close_midway = true;
			break;
		case 'T':
			setting = "--threads";
			cfg->threaded = true;
			break;
		case 'r':
			setting = "--recover-every";
			if (parse_u64("recover-every", optarg, 0, 1000000, &v))
				return 2;
			cfg->recover_every = (u32)v;
			recover_set = true;
			break;
		case 'o':
			setting = "--reopen-every";
			if (parse_u64("reopen-every", optarg, 0, 1000000, &v))
				return 2;
			cfg->reopen_every = (u32)v;
			reopen_set = true;
			break;
		case 'p':
			setting = "--param";
			if (xs_params_set(&rq->params, optarg, err,
					  sizeof(err))) {
				fprintf(stderr, "xsmmu-sim: --param: %s\n", err);
				return 2;
			}
			break;
		case 'j':
		case 'v':
			if (out_opts++ && rq->out != (opt == 'j' ? OUT_JSON :
						      OUT_CSV)) {
				fprintf(stderr, "xsmmu-sim: --json and --csv: choose one output format\n");
				return 2;
			}
			rq->out = opt == 'j' ? OUT_JSON : OUT_CSV;
			break;
		case 't':
			rq->trace_path = optarg;
			break;
		case 'e':
			if (parse_u64("trace-events", optarg, 1, 1u << 24, &v))
				return 2;
			cfg->trace_events = (u32)v;
			break;
		case 'R':
			rq->report_dir = optarg;
			break;
		case 'y':
			rq->replay_path = optarg;
			break;
		case 'l':
			list_params = true;
			break;
		case 'L':
			list_profiles = true;
			break;
		case 'V':
			printf("xsmmu-sim %s (commit %s)\n", XSMMU_VERSION,
			       XSMMU_COMMIT);
			if (fflush(stdout) || ferror(stdout))
				goto write_error;
			return 0;
		case 'h':
			usage(stdout);
			if (fflush(stdout) || ferror(stdout))
				goto write_error;
			return 0;
		case ':':
			fprintf(stderr, "xsmmu-sim: option '%s' needs a value (try --help)\n",
				argv[optind - 1]);
			return 2;
		default:
			fprintf(stderr, "xsmmu-sim: unknown option '%s' (try --help)\n",
				argv[optind - 1]);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "xsmmu-sim: unexpected argument '%s' (try --help)\n",
			argv[optind]);
		return 2;
	}
	if (list_params || list_profiles) {
		if (list_params && xs_params_print(stdout, &rq->params))
			goto write_error;
		for (i = 0; list_profiles && xs_profile_names[i]; i++) {
			struct xs_profile p;

			xs_profile_lookup(xs_profile_names[i], &p);
			xs_profile_print(stdout, &p);
		}
		if (fflush(stdout) || ferror(stdout))
			goto write_error;
		return 0;
	}
	if (rq->replay_path && setting) {
		fprintf(stderr, "xsmmu-sim: --replay takes every setting from its file; %s does not go with it\n",
			setting);
		return 2;
	}
	if (rq->replay_path && rq->report_dir) {
		fprintf(stderr, "xsmmu-sim: --replay and --report: choose one\n");
		return 2;
	}
	if (rq->report_dir && (rq->mode_mask || out_opts || rq->trace_path ||
			       cfg->malicious || cfg->close_midway ||
			       cfg->threaded || recover_set || reopen_set)) {
		fprintf(stderr, "xsmmu-sim: --report runs every mode and writes CSV and plots: it takes --profile, --set, --param, --packets, --channels and --seed, not --mode, --json, --csv, --trace, --malicious, --close-midway, --threads, --recover-every or --reopen-every\n");
		return 2;
	}
	if (cfg->trace_events && !rq->trace_path) {
		fprintf(stderr, "xsmmu-sim: --trace-events without --trace\n");
		return 2;
	}
	if (cfg->threaded && rq->trace_path) {
		fprintf(stderr, "xsmmu-sim: --threads records no trace: drop one of --threads and --trace\n");
		return 2;
	}
	/* The threaded mode exists for TSan: a second releaser by default. */
	if (cfg->threaded && !recover_set)
		cfg->recover_every = 4;
	if (cfg->threaded && !reopen_set)
		cfg->reopen_every = 16;
	if (xs_profile_lookup(profile, &cfg->profile)) {
		fprintf(stderr, "xsmmu-sim: unknown profile '%s' (mtu, small, tso, mixed, tcp-rx)\n",
			profile);
		return 2;
	}
	for (i = 0; i < nsets; i++) {
		if (xs_profile_set(&cfg->profile, sets[i], err, sizeof(err))) {
			fprintf(stderr, "xsmmu-sim: --set: %s\n", err);
			return 2;
		}
	}
	if (rq->report_dir && !packets_set)
		cfg->packets = 20000;
	return -1;	/* go on */
write_error:
	fprintf(stderr, "xsmmu-sim: writing to standard output: %s\n",
		strerror(errno ? errno : EIO));
	return 1;
}

int main(int argc, char **argv)
{
	static struct request rq;
	struct xs_run_result res[XS_MODE__COUNT];
	struct xs_sim_settings s;
	json_t *doc = NULL;
	unsigned int nres = 0, i, k;
	int status = 0, ret;

	xs_params_init(&rq.params);
	rq.cfg.packets = 200000;
	rq.cfg.channels = 4;
	rq.cfg.seed = 1;
	rq.cfg.params = &rq.params;
	ret = parse_args(argc, argv, &rq);
	if (ret >= 0)
		return ret;
	if (rq.replay_path) {
		doc = replay_load(rq.replay_path);
		if (!doc)
			return 2;
		if (replay_settings(rq.replay_path, doc, &rq)) {
			json_decref(doc);
			return 2;
		}
	} else {
		if (!rq.mode_mask)
			rq.mode_mask = XS_ALL_MODES;
		for (i = 0; i < XS_MODE__COUNT; i++)
			if (rq.mode_mask & (1u << i))
				rq.modes[rq.nmodes++] = (enum xs_mode)i;
	}
	if (check_config(&rq.cfg))
		goto usage_error;
	rq.cfg.reports = stderr;
	s.cfg = &rq.cfg;
	s.modes = rq.mode_mask ? rq.mode_mask : XS_ALL_MODES;
	s.version = XSMMU_VERSION;
	s.commit = XSMMU_COMMIT;
	if (rq.report_dir) {
		char cmd[2048], about[2300];

		xs_out_command(cmd, sizeof(cmd), &s);
		snprintf(about, sizeof(about),
			 "xsmmu-sim %s (commit %s), every mode at every point around: %s",
			 XSMMU_VERSION, XSMMU_COMMIT, cmd);
		return xs_report(rq.report_dir, &rq.cfg, &rq.params, about) ?
		       1 : 0;
	}
	if (rq.trace_path) {
		char cmd[2048];

		rq.cfg.trace = fopen(rq.trace_path, "w");
		if (!rq.cfg.trace) {
			fprintf(stderr, "xsmmu-sim: --trace %s: %s\n",
				rq.trace_path, strerror(errno));
			goto usage_error;
		}
		xs_out_command(cmd, sizeof(cmd), &s);
		fprintf(rq.cfg.trace,
			"# xsmmu-sim %s (commit %s) trace\n# %s\n"
			"# per mode, the last events (oldest first): #sequence t=virtual time\n"
			"# unit=VT-d unit cpu=simulated CPU, the event and its arguments\n"
			"# (sid = PCI source id, did = domain id; gran of inv_iotlb and\n"
			"# inv_psc: 0 global, 1 domain, 2 page-selective; gran of kw_sync:\n"
			"# 2 domain, 3 page-selective (5.15's DMA_TLB_*_FLUSH); inv = the\n"
			"# invariant violated, docs/safety.md)\n",
			XSMMU_VERSION, XSMMU_COMMIT, cmd);
	}
	for (i = 0; i < rq.nmodes; i++) {
		enum xs_mode m = rq.modes[i];

		rq.cfg.mode = m;
		if (rq.cfg.trace)
			fprintf(rq.cfg.trace, "== mode %s, seed %" PRIu64 "\n",
				xs_mode_name(m), rq.cfg.seed);
		if (rq.cfg.packets >= 100000)
			fprintf(stderr, "xsmmu-sim: running %s...\n",
				xs_mode_name(m));
		if (xs_run_steady(&rq.cfg, &res[nres])) {
			fprintf(stderr, "xsmmu-sim: mode %s: the run failed (a model error above; with a small phys_frames, the simulated memory ran out)\n",
				xs_mode_name(m));
			status = 1;
			goto out;
		}
		if (rq.cfg.trace &&
		    res[nres].trace_events > res[nres].trace_kept)
			fprintf(stderr, "xsmmu-sim: note: mode %s: the trace keeps the last %u of %" PRIu64 " events (--trace-events N keeps more)\n",
				xs_mode_name(m), res[nres].trace_kept,
				res[nres].trace_events);
		if (res[nres].violations[XS_W])
			fprintf(stderr, "xsmmu-sim: mode %s: %" PRIu64 " kernel WARNs, the first: %s\n",
				xs_mode_name(m), res[nres].violations[XS_W],
				res[nres].first_warn);
		nres++;
	}
	if (rq.out == OUT_JSON)
		ret = xs_out_json(stdout, &s, res, nres, true);
	else if (rq.out == OUT_CSV)
		ret = xs_out_csv(stdout, &s, res, nres);
	else
		ret = xs_out_table(stdout, &s, res, nres);
	if (ret) {
		fprintf(stderr, "xsmmu-sim: writing the results to standard output: %s\n",
			strerror(errno ? errno : EIO));
		status = 1;
	}
	for (i = 0; i < nres; i++) {
		if (!xs_out_fails(&res[i]))
			continue;
		fprintf(stderr, "xsmmu-sim: mode %s fails:", xs_mode_name(res[i].mode));
		for (k = 0; k < XS_INV__COUNT; k++)
			if (res[i].violations[k])
				fprintf(stderr, " %s x%" PRIu64,
					xs_invariant_key(k),
					res[i].violations[k]);
		fprintf(stderr, "\n");
		status = 1;
	}
	if (doc && replay_compare(rq.replay_path, doc, &s, res, nres))
		status = 1;
out:
	if (rq.cfg.trace && (fclose(rq.cfg.trace) || 0)) {
		fprintf(stderr, "xsmmu-sim: --trace %s: %s\n", rq.trace_path,
			strerror(errno));
		status = 1;
	}
	json_decref(doc);
	return status;
usage_error:
	json_decref(doc);
	return 2;
}
