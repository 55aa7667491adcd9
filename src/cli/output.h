/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xsmmu-sim's three output formats (the table with its verdict and
 * legend, JSON, CSV), each carrying every setting of the run: version,
 * commit, seed, profile and all its keys, channels, packets, flags and
 * every parameter, and the command line that reproduces it.
 */
#ifndef XS_CLI_OUTPUT_H
#define XS_CLI_OUTPUT_H

#include <stdio.h>

#include <jansson.h>

#include <xsmmu/run.h>

struct xs_sim_settings {
	const struct xs_run_config *cfg;	/* params never NULL */
	unsigned int modes;			/* bit m: mode m was asked */
	const char *version, *commit;		/* of the program */
};

/*
 * Each returns 0, or -1 when f reports a write error (a full disk,
 * /dev/full): the caller says so and fails.
 */
int xs_out_table(FILE *f, const struct xs_sim_settings *s,
		 const struct xs_run_result *r, unsigned int n);
/* host_speed false: sim_packets_per_second is 0 (a deterministic text). */
int xs_out_json(FILE *f, const struct xs_sim_settings *s,
		const struct xs_run_result *r, unsigned int n, bool host_speed);
/*
 * The document xs_out_json writes (the caller json_decref()s it), or NULL
 * when out of memory or a count does not fit a JSON integer.
 */
json_t *xs_out_json_doc(const struct xs_sim_settings *s,
			const struct xs_run_result *r, unsigned int n,
			bool host_speed);
/*
 * How it is written: keys in the order above, two spaces of indent;
 * 15 significant digits print each figure as its decimals (12.345, not
 * 12.345000000000001) and read back to the same double.
 */
#define XS_OUT_JSON_FLAGS \
	(JSON_PRESERVE_ORDER | JSON_INDENT(2) | JSON_REAL_PRECISION(15))
int xs_out_csv(FILE *f, const struct xs_sim_settings *s,
	       const struct xs_run_result *r, unsigned int n);
/* The xsmmu-sim command line that runs the same again, into buf. */
void xs_out_command(char *buf, size_t len, const struct xs_sim_settings *s);
#define XS_ALL_MODES	((1u << XS_MODE__COUNT) - 1)
/* "all", or the modes asked for, comma-separated, into buf. */
void xs_out_modes(char *buf, size_t len, unsigned int modes);
/* What a violation of inv means, in words. */
const char *xs_out_invariant_words(enum xs_invariant inv);
/*
 * Whether r fails the run: any violation in a protected mode; a leak
 * (L1) or a kernel WARN (W) in any mode. The unprotected references
 * (passthrough, lazy) may show S1-S5 and F1: that is their exposure.
 */
bool xs_out_fails(const struct xs_run_result *r);

#endif
