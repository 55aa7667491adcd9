// SPDX-License-Identifier: GPL-2.0
/*
 * xsmmu-vtd-diff: the project's VT-d model refereed by QEMU's intel-iommu.
 * The same scenarios (page tables, descriptors, tail writes, device DMA)
 * run on both; what software can observe after each step is compared.
 * Differences in the table of known differences (run.h, docs/vtd-model.md)
 * are masked while their condition holds; any other is a disagreement.
 *
 * Exit status: 0 no disagreement; 1 a disagreement, a failed expectation
 * or an error; 2 bad command line; 77 QEMU cannot run here (a skip).
 */
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <xsmmu/vtd_regs.h>

#include "hw.h"
#include "run.h"
#include "scenario.h"

#define EXIT_SKIP	77
#define DEFAULT_QEMU	"/usr/bin/qemu-system-x86_64"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: xsmmu-vtd-diff --seed S --scenarios N [--json]\n"
		"       xsmmu-vtd-diff --named NAME|all [--expect-known K[,K]]\n"
		"       xsmmu-vtd-diff --replay FILE\n"
		"       xsmmu-vtd-diff --list\n"
		"  --seed S           seed of the random scenarios (default 1)\n"
		"  --scenarios N      run N random scenarios\n"
		"  --json             one JSON object on stdout\n"
		"  --save FILE        write the first disagreement there\n"
		"  --named NAME       a hand-written scenario (--list), or all\n"
		"  --expect-known K   the named scenario must show exactly these\n"
		"                     known differences (comma-separated)\n"
		"  --replay FILE      run a scenario written by --save / --print\n"
		"  --print            print the scenarios instead of running them\n"
		"  --qemu PATH        QEMU binary (default $XSMMU_QEMU or\n"
		"                     " DEFAULT_QEMU ")\n"
		"  --verbose          one line per scenario\n"
		"  --list             the named scenarios and their rules\n");
}

static void on_signal(int sig)
{
	qtest_kill_all();
	signal(sig, SIG_DFL);
	raise(sig);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int known_parse(const char *s, unsigned int *mask)
{
	char buf[256], *p, *t;
	unsigned int k;

	snprintf(buf, sizeof(buf), "%s", s);
	*mask = 0;
	for (t = strtok_r(buf, ",", &p); t; t = strtok_r(NULL, ",", &p)) {
		for (k = 0; k < KD__COUNT; k++)
			if (!strcmp(t, known_diff_names[k]))
				break;
		if (k == KD__COUNT)
			return -1;
		*mask |= 1U << k;
	}
	return 0;
}

static void known_print(FILE *f, unsigned int mask)
{
	unsigned int k;
	bool first = true;

	for (k = 0; k < KD__COUNT; k++)
		if (mask >> k & 1) {
			fprintf(f, "%s%s", first ? "" : ",",
				known_diff_names[k]);
			first = false;
		}
	if (first)
		fprintf(f, "none");
}

static struct scenario sc_cur, sc_first;

/* A count as a JSON integer (signed 64-bit): NULL when it does not fit. */
static json_t *json_count(unsigned long long v)
{
	return v > INT64_MAX ? NULL : json_integer((json_int_t)v);
}

/* The campaign's figures, for --json. */
struct summary {
	unsigned long long total, agree, known, dis, stopped;
	const unsigned int *kcount;
	double seconds;
	unsigned long long qtest_commands, dma_polls;
	const struct run_result *first;		/* with dis */
};

/*
 * The summary as one JSON object on one line (jansson), keys in this
 * order: 0, or -1 after a message (out of memory, a write error).
 */
static int print_json(FILE *f, const struct summary *sm)
{
	json_t *o = json_object(), *kinds = json_object(), *first = NULL;
	char *text = NULL, secs[32];
	size_t len = 0;
	unsigned int k;
	int bad = !o || !kinds;
	FILE *m;

	if (bad)
		goto fail;
	bad |= json_object_set_new(o, "scenarios", json_count(sm->total));
	bad |= json_object_set_new(o, "agree", json_count(sm->agree));
	bad |= json_object_set_new(o, "known_differences",
				   json_count(sm->known));
	bad |= json_object_set_new(o, "disagreements", json_count(sm->dis));
	bad |= json_object_set_new(o, "compared_to_the_end", json_count(
				   sm->total - sm->dis - sm->stopped));
	for (k = 0; k < KD__COUNT; k++)
		bad |= json_object_set_new(kinds, known_diff_names[k],
					   json_count(sm->kcount[k]));
	bad |= json_object_set_new(o, "known_by_kind", kinds);
	kinds = NULL;
	/* Hundredths of a second, as the figure always was. */
	snprintf(secs, sizeof(secs), "%.2f", sm->seconds);
	bad |= json_object_set_new(o, "seconds", json_real(strtod(secs, NULL)));
	bad |= json_object_set_new(o, "qtest_commands",
				   json_count(sm->qtest_commands));
	bad |= json_object_set_new(o, "dma_polls", json_count(sm->dma_polls));
	if (sm->dis) {
		m = open_memstream(&text, &len);
		if (!m)
			goto fail;
		scn_print(m, &sc_first);
		if (fclose(m))
			goto fail;
		first = json_object();
		bad |= json_object_set_new(first, "why",
					   json_string(sm->first->why));
		bad |= json_object_set_new(first, "scenario",
					   json_string(text));
		bad |= json_object_set_new(o, "first_disagreement", first);
		free(text);
		text = NULL;
	}
	if (bad)
		goto fail;
	bad = json_dumpf(o, f, JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
	json_decref(o);
	if (bad || fputc('\n', f) == EOF || fflush(f) || ferror(f)) {
		perror("xsmmu-vtd-diff: writing the results");
		return -1;
	}
	return 0;
fail:
	free(text);
	json_decref(kinds);
	json_decref(o);
	fprintf(stderr, "xsmmu-vtd-diff: --json: out of memory\n");
	return -1;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "scenarios", required_argument, NULL, 'n' },
		{ "json", no_argument, NULL, 'j' },
		{ "save", required_argument, NULL, 'S' },
		{ "named", required_argument, NULL, 'N' },
		{ "expect-known", required_argument, NULL, 'K' },
		{ "replay", required_argument, NULL, 'r' },
		{ "print", no_argument, NULL, 'p' },
		{ "qemu", required_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "list", no_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *qemu_bin = getenv("XSMMU_QEMU"), *save = NULL;
	const char *named = NULL, *replay = NULL;
	unsigned long long seed = 1, nscn = 0;
	bool json = false, print = false, verbose = false, list = false;
	bool have_n = false, have_known = false;
	unsigned int expect_known = 0, named_idx = 0, named_n = 0;
	unsigned long long i, total, agree = 0, known = 0, dis = 0, stopped = 0;
	unsigned int known_seen = 0, kcount[KD__COUNT] = { 0 };
	struct run_result res, first = { 0 };
	struct hw *qhw = NULL, *mhw = NULL;
	struct runner *mr = NULL, *qr = NULL;
	struct unit_caps caps;
	struct xs_rand rnd;
	char err[256], *end;
	double t0;
	int c, rc = 0;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			seed = strtoull(optarg, &end, 0);
			if (*end || !*optarg)
				goto bad;
			break;
		case 'n':
			nscn = strtoull(optarg, &end, 0);
			if (*end || !*optarg || !nscn)
				goto bad;
			have_n = true;
			break;
		case 'j':
			json = true;
			break;
		case 'S':
			save = optarg;
			break;
		case 'N':
			named = optarg;
			break;
		case 'K':
			if (known_parse(optarg, &expect_known))
				goto bad;
			have_known = true;
			break;
		case 'r':
			replay = optarg;
			break;
		case 'p':
			print = true;
			break;
		case 'q':
			qemu_bin = optarg;
			break;
		case 'v':
			verbose = true;
			break;
		case 'l':
			list = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			goto bad;
		}
	}
	if (optind < argc || (have_n + !!named + !!replay + list) != 1 ||
	    (have_known && !named))
		goto bad;
	if (list) {
		for (i = 0; i < scn_named_count(); i++)
			printf("%-22s %s\n", scn_named_name((unsigned int)i),
			       scn_named_rule((unsigned int)i));
		return 0;
	}
	if (named) {
		named_n = 1;
		if (!strcmp(named, "all")) {
			named_n = scn_named_count();
		} else {
			for (named_idx = 0; named_idx < scn_named_count();
			     named_idx++)
				if (!strcmp(named,
					    scn_named_name(named_idx)))
					break;
			if (named_idx == scn_named_count()) {
				fprintf(stderr, "xsmmu-vtd-diff: no scenario "
					"'%s' (--list)\n", named);
				return 2;
			}
		}
	}
	if (replay) {
		FILE *f = fopen(replay, "r");

		if (!f) {
			perror(replay);
			return 2;
		}
		if (scn_parse(f, &sc_cur, err, sizeof(err))) {
			fprintf(stderr, "%s: %s\n", replay, err);
			fclose(f);
			return 2;
		}
		fclose(f);
	}
	if (!qemu_bin || !*qemu_bin)
		qemu_bin = DEFAULT_QEMU;

	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	signal(SIGPIPE, SIG_IGN);
	atexit(qtest_kill_all);

	total = have_n ? nscn : named ? named_n : 1;
	xs_rand_seed(&rnd, seed);
	if (print) {
		for (i = 0; i < total; i++) {
			if (have_n)
				scn_random(&sc_cur, &rnd, 18);
			else if (named)
				scn_named_build(named_n > 1 ? (unsigned int)i :
						named_idx, &sc_cur, 18);
			scn_print(stdout, &sc_cur);
		}
		return 0;
	}

	qhw = qemu_hw_create(qemu_bin, err, sizeof(err));
	if (!qhw) {
		printf("SKIPPED: QEMU cannot run here (%s); install "
		       "qemu-system-x86 or set XSMMU_QEMU\n", err);
		return EXIT_SKIP;
	}
	caps.cap = qhw->reg_r64(qhw->ctx, VTD_REG_CAP);
	caps.ecap = qhw->reg_r64(qhw->ctx, VTD_REG_ECAP);
	mhw = model_hw_create(&caps);
	mr = mhw ? runner_create(mhw) : NULL;
	qr = runner_create(qhw);
	if (!mr || !qr) {
		rc = 1;
		goto out;
	}

	t0 = now_s();
	for (i = 0; i < total; i++) {
		unsigned int idx = named_n > 1 ? (unsigned int)i : named_idx;

		if (have_n)
			scn_random(&sc_cur, &rnd,
				   (unsigned int)VTD_CAP_MAMV(caps.cap));
		else if (named)
			scn_named_build(idx, &sc_cur,
					(unsigned int)VTD_CAP_MAMV(caps.cap));
		run_scenario(mr, qr, &sc_cur, &res);
		for (c = 0; c < KD__COUNT; c++)
			if (res.known >> c & 1)
				kcount[c]++;
		known_seen |= res.known;
		if (named && !have_known)
			expect_known = scn_named_known(idx);
		if (named && res.verdict <= V_KNOWN &&
		    res.known != expect_known) {
			res.verdict = V_EXPECT;
			snprintf(res.why, sizeof(res.why),
				 "known differences seen do not match "
				 "--expect-known");
		}
		if (res.verdict == V_AGREE) {
			agree++;
		} else if (res.verdict == V_KNOWN) {
			known++;
			stopped += res.stopped;
		} else {
			if (!dis++) {
				first = res;
				sc_first = sc_cur;
			}
			if (res.verdict == V_ERROR) {
				total = i + 1;
				break;
			}
		}
		if (verbose || (named && !json)) {
			printf("%-22s %s", sc_cur.name,
			       res.verdict == V_AGREE ? "agree" :
			       res.verdict == V_KNOWN ? "known difference" :
			       res.verdict == V_DISAGREE ? "DISAGREE" :
			       res.verdict == V_EXPECT ? "EXPECTATION FAILED" :
			       "ERROR");
			if (res.known) {
				printf(" (");
				known_print(stdout, res.known);
				printf(")");
			}
			if (res.verdict != V_AGREE)
				printf(": %s", res.why);
			if (verbose)
				printf(" [%llu qtest commands so far]",
				       (unsigned long long)
				       qemu_hw_commands(qhw));
			printf("\n");
		}
	}
	if (json) {
		struct summary sm = {
			.total = total, .agree = agree, .known = known,
			.dis = dis, .stopped = stopped, .kcount = kcount,
			.seconds = now_s() - t0,
			.qtest_commands = qemu_hw_commands(qhw),
			.dma_polls = qemu_hw_polls(qhw), .first = &first,
		};

		if (print_json(stdout, &sm)) {
			rc = 1;
			goto out;
		}
	} else if (!named) {
		printf("scenarios %llu, agree %llu, known differences %llu "
		       "(", total, agree, known);
		known_print(stdout, known_seen);
		printf("), disagreements %llu, %.2f s\n", dis, now_s() - t0);
		if (dis) {
			printf("first disagreement: %s\n", first.why);
			printf("--- scenario (replay with --replay FILE) ---\n");
			scn_print(stdout, &sc_first);
		}
	}
	if (dis && save) {
		FILE *f = fopen(save, "w");

		if (f) {
			fprintf(f, "# %s\n", first.why);
			scn_print(f, &sc_first);
			fclose(f);
		}
	}
	rc = dis ? 1 : 0;
out:
	runner_destroy(mr);
	runner_destroy(qr);
	model_hw_destroy(mhw);
	qemu_hw_destroy(qhw);
	return rc;
bad:
	usage(stderr);
	return 2;
}
