// SPDX-License-Identifier: GPL-2.0
/*
 * xsmmu-fuzz: the deterministic random-schedule fuzzer, and the replay
 * and print tools for any schedule (a failing input from any engine).
 *
 *   xsmmu-fuzz [--mode M] [--seed S] [--execs N] [--seconds T]
 *              [--max-len L] [--out DIR] [--expect-find [INV]]
 *              [--hunt INV]
 *   xsmmu-fuzz --replay FILE [--mode M] [--expect-find [INV]]
 *                                           run one input, report
 *   xsmmu-fuzz --print FILE                 the input as readable steps
 *   xsmmu-fuzz --minimize FILE --mode M [--expect-find INV]
 *                                           write FILE.min: the shortest
 *                                           schedule (by removing steps)
 *                                           that still finds a violation
 *                                           (reported first as INV)
 *
 * Modes: strict, xsmmu-seed, xsmmu-poll, psi-batch, adaptive, coalesce,
 * or protected (all of them, the default). The seed comes from --seed,
 * plus XSMMU_FUZZ_SEED from the environment when set (CI variety); every
 * finding prints the seed, the execution, the invariant the oracle
 * reported first and the input file that replays it. A campaign stops at
 * its first finding. Exit status: 0 clean (with --expect-find: found; with
 * --expect-find INV, one of S1-S5, L1, F1, W: found and reported first as
 * INV), 1 a finding (with --expect-find: none within the budget, or one
 * reported first as another invariant), 2 bad usage. A replay exits the
 * same way: with --expect-find INV only when every mode that finds
 * something reports INV first. --hunt INV passes over findings that have
 * no INV verdict (consequences such as S1 and F1 come after an S2 in the
 * same execution): the campaign's finding is the first one with INV.
 *
 * A crash (a NULL dereference, a BUG, UBSAN's array-bounds stop) is a
 * finding too: it is reported with its execution and mode, its input is
 * saved, and its verdict is the oracle's first report before the crash
 * (a WARN the kernel made on the way down), or OOPS when there was none.
 * --expect-find OOPS expects one. (--minimize does not survive one.)
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <linux/printk.h>
#include <xsmmu/kworld.h>
#include <xsmmu/rand.h>

#include "schedule.h"

/* The fuzzer's verdict for a crash without an oracle report before it. */
#define XS_FUZZ_OOPS	XS_INV__COUNT

static const char *verdict_key(int v)
{
	return v == XS_FUZZ_OOPS ? "OOPS" : xs_invariant_key(v);
}

/*
 * The program as it was started (argv[0]): a mutant build's replay hint
 * names the mutant binary, which is the one that finds the defect.
 */
static const char *prog = "xsmmu-fuzz";

/* What the crash handler reports: the execution under way. */
static struct {
	bool expect_find;
	int expect;		/* the verdict expected, -1 any */
	u64 seed, exec;		/* exec 0: a replay */
	int mode;
	const u8 *data;
	size_t size;
	const char *out;
} crash;

static void crash_save(const char *dir)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/finding-%s-seed%" PRIu64 "-exec%" PRIu64 "-crash.bin",
		 dir, xs_mode_name(crash.mode), crash.seed, crash.exec);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return;
	if (write(fd, crash.data, crash.size) == (ssize_t)crash.size)
		printf("input saved: %s (replay: %s --replay %s --mode %s)\n",
		       path, prog, path, xs_mode_name(crash.mode));
	close(fd);
}

/*
 * On the way out of a dead process: not async-signal-safe, but nothing
 * runs after it.
 */
static bool verdict_ok(int first, int expect);

static void crash_handler(int sig)
{
	const struct xs_violation *v = xs_kw && xs_kw->oracle ?
				       xs_oracle_first(xs_kw->oracle) : NULL;
	int first = v ? (int)v->inv : XS_FUZZ_OOPS;

	fflush(stdout);
	if (crash.exec)
		printf("FOUND: seed %" PRIu64 ", execution %" PRIu64 ", mode %s: crash (signal %d, %s), first %s\n",
		       crash.seed, crash.exec, xs_mode_name(crash.mode), sig,
		       strsignal(sig), verdict_key(first));
	else
		printf("mode %s: crash (signal %d, %s), first %s\n",
		       xs_mode_name(crash.mode), sig, strsignal(sig),
		       verdict_key(first));
	if (crash.out && crash.data)
		crash_save(crash.out);
	if (crash.expect_find && !verdict_ok(first, crash.expect))
		printf("expected a finding reported first as %s, got %s\n",
		       verdict_key(crash.expect), verdict_key(first));
	fflush(stdout);
	_exit(crash.expect_find && verdict_ok(first, crash.expect) ?
	      0 : 1);
}

static void crash_handlers_install(void)
{
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT };
	static char altstack[1 << 16];
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) };
	struct sigaction sa;
	unsigned int i;

	sigaltstack(&ss, NULL);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = crash_handler;
	sa.sa_flags = SA_ONSTACK | SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
}


static int read_file(const char *path, u8 **data, size_t *size)
{
	FILE *f = fopen(path, "rb");
	long n;

	if (!f) {
		fprintf(stderr, "xsmmu-fuzz: %s: %s\n", path, strerror(errno));
		return -1;
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	*data = malloc(n > 0 ? (size_t)n : 1);
	*size = n > 0 ? fread(*data, 1, (size_t)n, f) : 0;
	fclose(f);
	return 0;
}

static int inv_lookup(const char *name)
{
	int i;

	for (i = 0; i < XS_INV__COUNT; i++)
		if (!strcasecmp(name, xs_invariant_key(i)))
			return i;
	if (!strcasecmp(name, "OOPS"))
		return XS_FUZZ_OOPS;
	return -1;
}

/*
 * --expect-find A,B,...: a finding reported first as any of them (some
 * defects are the same stale translation seen as S2 or as S4, whichever
 * the schedule frees first). The first is kept as the expectation, the
 * others here.
 */
static u32 expect_also;

static int expect_parse(const char *list)
{
	char buf[64], *tok, *save = NULL;
	int first = -1, v;

	if (strlen(list) >= sizeof(buf))
		return -1;
	strcpy(buf, list);
	expect_also = 0;
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		v = inv_lookup(tok);
		if (v < 0)
			return -1;
		if (first < 0)
			first = v;
		else
			expect_also |= 1u << v;
	}
	return first;
}

static bool verdict_ok(int first, int expect)
{
	return expect < 0 || first == expect ||
	       (first >= 0 && ((expect_also >> first) & 1));
}

static void print_result(FILE *f, const struct xs_fuzz_result *r)
{
	int i;

	for (i = 0; i < XS_INV__COUNT; i++)
		fprintf(f, " %s=%" PRIu64, xs_invariant_key(i), r->violations[i]);
	fprintf(f, " (%" PRIu64 " steps)", r->steps);
	if (r->first >= 0)
		fprintf(f, ", first %s", xs_invariant_key(r->first));
	fprintf(f, "\n");
}

/*
 * What --expect-find asks of a finding: any (expect < 0), or that the
 * oracle reported the named invariant first.
 */
static bool as_expected(const struct xs_fuzz_result *r, int expect)
{
	return verdict_ok(r->first, expect);
}

/*
 * Exit status: without expect_find 0 clean, 1 a finding; with it 0 when
 * some mode finds and every mode that finds reports as expected.
 */
static int replay(const char *path, int mode, bool expect_find, int expect)
{
	struct xs_fuzz_result r;
	u8 *data;
	size_t size;
	int m, found = 0, wrong = 0;

	if (read_file(path, &data, &size))
		return 2;
	xs_fuzz_print(stdout, data, size);
	for (m = 0; m < (int)xs_fuzz_nr_modes; m++) {
		enum xs_mode md = xs_fuzz_modes[m];

		if (mode >= 0 && (int)md != mode)
			continue;
		printf("mode %s:", xs_mode_name(md));
		crash.mode = md;
		crash.data = data;
		crash.size = size;
		if (xs_fuzz_run(md, data, size, &r, stderr)) {
			found = 1;
			if (!as_expected(&r, expect))
				wrong = 1;
		}
		print_result(stdout, &r);
	}
	free(data);
	if (!expect_find)
		return found;
	if (wrong)
		printf("replay: a finding reported first as another invariant than %s\n",
		       verdict_key(expect));
	return found && !wrong ? 0 : 1;
}

static bool finds(int mode, const u8 *data, size_t size, int expect)
{
	struct xs_fuzz_result r;

	return xs_fuzz_run(mode, data, size, &r, NULL) != 0 &&
	       as_expected(&r, expect);
}

/*
 * Drops steps (two bytes each), then single bytes, while it still finds
 * (reported first as expect, when that is an invariant).
 */
static int minimize(const char *path, int mode, int expect)
{
	char out[1024];
	size_t size, i, w;
	u8 *data;
	FILE *f;

	if (mode < 0) {
		fprintf(stderr, "xsmmu-fuzz: --minimize needs --mode\n");
		return 2;
	}
	if (read_file(path, &data, &size))
		return 2;
	if (!finds(mode, data, size, expect)) {
		fprintf(stderr, "xsmmu-fuzz: %s finds nothing in %s\n", path,
			xs_mode_name(mode));
		free(data);
		return 1;
	}
	for (w = 2; w >= 1; w--) {
		for (i = size; i >= w; i--) {
			u8 *tmp = malloc(size);

			memcpy(tmp, data, i - w);
			memcpy(tmp + i - w, data + i, size - i);
			if (finds(mode, tmp, size - w, expect)) {
				free(data);
				data = tmp;
				size -= w;
				if (i > size)
					i = size + 1;
			} else {
				free(tmp);
			}
		}
	}
	/* Stable when operations are appended (see xs_fuzz_canonical). */
	xs_fuzz_canonical(data, size);
	snprintf(out, sizeof(out), "%s.min", path);
	f = fopen(out, "wb");
	if (!f || fwrite(data, 1, size, f) != size) {
		fprintf(stderr, "xsmmu-fuzz: cannot write %s\n", out);
		return 2;
	}
	fclose(f);
	printf("%s: %zu bytes\n", out, size);
	xs_fuzz_print(stdout, data, size);
	free(data);
	return 0;
}

static void save(const char *dir, const char *mode, u64 seed, u64 exec,
		 const u8 *data, size_t size)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/finding-%s-seed%" PRIu64 "-exec%" PRIu64 ".bin",
		 dir, mode, seed, exec);
	f = fopen(path, "wb");
	if (!f || fwrite(data, 1, size, f) != size) {
		fprintf(stderr, "xsmmu-fuzz: cannot write %s\n", path);
		if (f)
			fclose(f);
		return;
	}
	fclose(f);
	printf("input saved: %s (replay: %s --replay %s --mode %s)\n",
	       path, prog, path, mode);
}

/*
 * Returns the execution that found a violation, or 0; *first is the
 * invariant the oracle reported first in it.
 */
/*
 * --hunt INV: a finding without an INV verdict is passed over (counted),
 * so a campaign can show that the fuzzer reaches a consequence (S1 and F1
 * follow an S2 in the same execution) and not only the first report.
 */
static int hunt = -1;

static u64 campaign(u64 seed, int mode, u64 execs, double seconds,
		    size_t max_len, const char *out, int *first)
{
	struct xs_fuzz_result r;
	struct timespec t0, t;
	struct xs_rand rng;
	u8 *buf = malloc(max_len);
	u64 e, passed = 0;
	int m;

	xs_rand_seed(&rng, seed);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (e = 1; e <= execs; e++) {
		size_t len = 4 + (size_t)xs_rand_below(&rng, max_len - 4);
		size_t i;

		for (i = 0; i < len; i++)
			buf[i] = (u8)xs_rand_next(&rng);
		for (m = 0; m < (int)xs_fuzz_nr_modes; m++) {
			enum xs_mode md = xs_fuzz_modes[m];

			if (mode >= 0 && (int)md != mode)
				continue;
			crash.seed = seed;
			crash.exec = e;
			crash.mode = md;
			crash.data = buf;
			crash.size = len;
			crash.out = out;
			if (!xs_fuzz_run(md, buf, len, &r, NULL))
				continue;
			if (hunt >= 0 && !r.violations[hunt]) {
				passed++;
				continue;
			}
			if (passed)
				printf("%" PRIu64 " findings without %s passed over\n",
				       passed, xs_invariant_key(hunt));
			printf("FOUND: seed %" PRIu64 ", execution %" PRIu64 ", mode %s:",
			       seed, e, xs_mode_name(md));
			print_result(stdout, &r);
			*first = r.first;
			if (out)
				save(out, xs_mode_name(md), seed, e, buf, len);
			/* Once more with the oracle's report and trace. */
			xs_fuzz_run(md, buf, len, &r, stdout);
			free(buf);
			return e;
		}
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (seconds > 0 && (t.tv_sec - t0.tv_sec) +
		    (t.tv_nsec - t0.tv_nsec) / 1e9 > seconds)
			break;
	}
	printf("seed %" PRIu64 ": %" PRIu64 " executions, no finding", seed,
	       e > execs ? execs : e);
	if (hunt >= 0)
		printf(" with %s (%" PRIu64 " without passed over)",
		       xs_invariant_key(hunt), passed);
	printf("\n");
	free(buf);
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: xsmmu-fuzz [options]            a random-schedule campaign\n"
		"       xsmmu-fuzz --replay FILE [--mode M] [--expect-find [INV]]\n"
		"       xsmmu-fuzz --minimize FILE --mode M [--expect-find INV]\n"
		"       xsmmu-fuzz --print FILE\n"
		"  --mode M           strict, xsmmu-seed, xsmmu-poll, psi-batch, adaptive,\n"
		"                     coalesce, or protected (all of them, the default);\n"
		"                     passthrough and lazy have nothing to find\n"
		"  --seed S           campaign seed (default 1; XSMMU_FUZZ_SEED adds one)\n"
		"  --execs N          executions, 1 or more (default 1000)\n"
		"  --seconds T        stop after T seconds as well (default: no limit)\n"
		"  --max-len L        input bytes, 8 or more (default 256)\n"
		"  --out DIR          save a finding's input in DIR (checked first)\n"
		"  --expect-find [INV[,INV...]]  pass only on a finding (reported\n"
		"                     first as one of INV: S1 S2 S3 S4 S5 L1 F1 W OOPS)\n"
		"  --hunt INV         pass over findings without INV\n"
		"  --replay FILE      run one input in every mode (or --mode M)\n"
		"  --minimize FILE    write FILE.min, the shortest input that still finds\n"
		"  --print FILE       the input as readable steps\n"
		"  --help             this text\n"
		"Exit status: 0 clean (with --expect-find: found as expected), 1 a\n"
		"finding (with --expect-find: none, or another invariant first), 2 bad\n"
		"usage.\n");
}

/* A whole decimal number in [min, max], or a message and -1. */
static int parse_num(const char *opt, const char *s, u64 min, u64 max,
		     u64 *out)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (!*s || *s < '0' || *s > '9' || errno || *end || v < min ||
	    v > max) {
		fprintf(stderr, "xsmmu-fuzz: --%s: '%s' is not a decimal number in [%" PRIu64 ", %" PRIu64 "]\n",
			opt, s, min, max);
		return -1;
	}
	*out = v;
	return 0;
}

/* --out DIR must take a file now, not when a finding must be saved. */
static int out_dir_check(const char *dir)
{
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/.xsmmu-fuzz-XXXXXX", dir);
	fd = mkstemp(path);
	if (fd < 0) {
		fprintf(stderr, "xsmmu-fuzz: --out %s: cannot write there: %s\n",
			dir, strerror(errno));
		return -1;
	}
	close(fd);
	unlink(path);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "mode", required_argument, NULL, 'm' },
		{ "seed", required_argument, NULL, 's' },
		{ "execs", required_argument, NULL, 'n' },
		{ "seconds", required_argument, NULL, 't' },
		{ "max-len", required_argument, NULL, 'l' },
		{ "out", required_argument, NULL, 'o' },
		{ "expect-find", optional_argument, NULL, 'x' },
		{ "replay", required_argument, NULL, 'r' },
		{ "print", required_argument, NULL, 'p' },
		{ "minimize", required_argument, NULL, 'z' },
		{ "hunt", required_argument, NULL, 'h' },
		{ "help", no_argument, NULL, 'H' },
		{ NULL, 0, NULL, 0 }
	};
	u64 seed = 1, execs = 1000, found;
	double seconds = 0;
	size_t max_len = 256;
	const char *out = NULL, *env, *replay_path = NULL;
	const char *minimize_path = NULL, *print_path = NULL;
	bool expect = false;
	int mode = -1, opt, expect_inv = -1, first = -1;
	bool env_seed_set = false;
	u64 v, env_seed = 0;
	char *end;

	if (argv[0] && *argv[0])
		prog = argv[0];
	xs_printk_set_level(0);
	opterr = 0;	/* our messages, with the reason */
	while ((opt = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		switch (opt) {
		case 'm':
			if (!strcmp(optarg, "protected")) {
				mode = -1;
				break;
			}
			mode = xs_mode_lookup(optarg);
			if (mode < 0) {
				fprintf(stderr, "xsmmu-fuzz: --mode: unknown mode '%s' (strict, xsmmu-seed, xsmmu-poll, psi-batch, adaptive, coalesce, protected)\n",
					optarg);
				return 2;
			}
			if (xs_mode_unprotected(mode)) {
				fprintf(stderr, "xsmmu-fuzz: --mode %s: an unprotected mode, whose exposure is expected: nothing to find (protected modes: strict, xsmmu-seed, xsmmu-poll, psi-batch, adaptive, coalesce)\n",
					optarg);
				return 2;
			}
			break;
		case 's':
			if (parse_num("seed", optarg, 0, UINT64_MAX, &seed))
				return 2;
			break;
		case 'n':
			if (parse_num("execs", optarg, 1, UINT64_MAX / 2,
				      &execs))
				return 2;
			break;
		case 't':
			errno = 0;
			seconds = strtod(optarg, &end);
			if (errno || *end || end == optarg || !(seconds >= 0)) {
				fprintf(stderr, "xsmmu-fuzz: --seconds: '%s' is not a number of seconds, 0 or more\n",
					optarg);
				return 2;
			}
			break;
		case 'l':
			if (parse_num("max-len", optarg, 8, 1 << 20, &v))
				return 2;
			max_len = (size_t)v;
			break;
		case 'o':
			out = optarg;
			break;
		case 'x':
			expect = true;
			/* "--expect-find S3" as well as "--expect-find=S3" */
			if (!optarg && optind < argc &&
			    expect_parse(argv[optind]) >= 0)
				optarg = argv[optind++];
			if (optarg && (expect_inv = expect_parse(optarg)) < 0) {
				fprintf(stderr, "xsmmu-fuzz: --expect-find: '%s' is not a list of S1 S2 S3 S4 S5 L1 F1 W OOPS\n",
					optarg);
				return 2;
			}
			break;
		case 'h':
			hunt = inv_lookup(optarg);
			if (hunt < 0 || hunt == XS_FUZZ_OOPS) {
				fprintf(stderr, "xsmmu-fuzz: --hunt: '%s' is not one of S1 S2 S3 S4 S5 L1 F1 W\n",
					optarg);
				return 2;
			}
			break;
		case 'H':
			usage(stdout);
			if (fflush(stdout) || ferror(stdout)) {
				fprintf(stderr, "xsmmu-fuzz: writing to standard output: %s\n",
					strerror(errno ? errno : EIO));
				return 1;
			}
			return 0;
		case ':':
			fprintf(stderr, "xsmmu-fuzz: option '%s' needs a value (try --help)\n",
				argv[optind - 1]);
			return 2;
		case 'r':
			replay_path = optarg;
			break;
		case 'z':
			minimize_path = optarg;
			break;
		case 'p':
			print_path = optarg;
			break;
		default:
			fprintf(stderr, "xsmmu-fuzz: unknown option '%s' (try --help)\n",
				argv[optind - 1]);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "xsmmu-fuzz: unexpected argument '%s' (try --help)\n",
			argv[optind]);
		return 2;
	}
	if (!!replay_path + !!minimize_path + !!print_path > 1) {
		fprintf(stderr, "xsmmu-fuzz: --replay, --minimize and --print: choose one\n");
		return 2;
	}
	if (minimize_path && mode < 0) {
		fprintf(stderr, "xsmmu-fuzz: --minimize needs --mode (one protected mode)\n");
		return 2;
	}
	if (out && out_dir_check(out))
		return 2;
	env = getenv("XSMMU_FUZZ_SEED");
	if (env && *env) {
		if (parse_num("seed (XSMMU_FUZZ_SEED)", env, 0, UINT64_MAX,
			      &env_seed))
			return 2;
		env_seed_set = true;
	}
	crash.expect_find = expect;
	crash.expect = expect_inv;
	crash_handlers_install();
	if (replay_path)
		return replay(replay_path, mode, expect, expect_inv);
	if (minimize_path)
		return minimize(minimize_path, mode, expect_inv);
	if (print_path) {
		u8 *data;
		size_t size;

		if (read_file(print_path, &data, &size))
			return 2;
		xs_fuzz_print(stdout, data, size);
		free(data);
		return 0;
	}
	found = campaign(seed, mode, execs, seconds, max_len, out, &first);
	if (!found && !expect && env_seed_set) {
		printf("extra seed from XSMMU_FUZZ_SEED: %" PRIu64 "\n",
		       env_seed);
		found = campaign(env_seed, mode, execs, seconds, max_len, out,
				 &first);
	}
	if (expect && found && !verdict_ok(first, expect_inv)) {
		printf("expected a finding reported first as %s, got %s\n",
		       verdict_key(expect_inv),
		       first >= 0 ? verdict_key(first) : "-");
		return 1;
	}
	if (expect)
		return found ? 0 : 1;
	return found ? 1 : 0;
}
