// SPDX-License-Identifier: GPL-2.0
/*
 * xsmmu-sim's output formats (see output.h). The table is for a person:
 * figures, then a verdict per mode in words, then a legend. JSON and CSV
 * are for programs, and carry the same settings so that a result can be
 * run again (xsmmu-sim --replay FILE.json).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cost.h"
#include "output.h"

static const char *const inv_words[XS_INV__COUNT] = {
	[XS_S1] = "the device reached a freed or reallocated page",
	[XS_S2] = "a freed page was still mapped by an IOTLB entry or a present PTE",
	[XS_S3] = "an IOVA was handed out again while the IOTLB still cached it",
	[XS_S4] = "a page-table page was freed while still cached or linked",
	[XS_S5] = "an invalidation sync returned before its wait completed",
	[XS_L1] = "something leaked: DMA mappings, IOVAs, pages or table entries",
	[XS_F1] = "the bytes read differ from those written: corruption",
	[XS_W] = "a kernel WARN fired",
};

const char *xs_out_invariant_words(enum xs_invariant inv)
{
	return (unsigned int)inv < XS_INV__COUNT ? inv_words[inv] : "?";
}

bool xs_out_fails(const struct xs_run_result *r)
{
	unsigned int k;

	if (r->violations[XS_L1] || r->violations[XS_W])
		return true;
	if (xs_mode_unprotected(r->mode))
		return false;
	for (k = 0; k < XS_INV__COUNT; k++)
		if (r->violations[k])
			return true;
	return false;
}

static int out_status(FILE *f)
{
	return fflush(f) || ferror(f) ? -1 : 0;
}

static void append(char *buf, size_t len, size_t *off, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*off >= len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *off, len - *off, fmt, ap);
	va_end(ap);
	if (n > 0)
		*off += (size_t)n;
}

void xs_out_modes(char *buf, size_t len, unsigned int modes)
{
	size_t off = 0;
	unsigned int m;

	buf[0] = '\0';
	if (modes == XS_ALL_MODES) {
		append(buf, len, &off, "all");
		return;
	}
	for (m = 0; m < XS_MODE__COUNT; m++)
		if (modes & (1u << m))
			append(buf, len, &off, "%s%s", off ? "," : "",
			       xs_mode_name(m));
}

void xs_out_command(char *buf, size_t len, const struct xs_sim_settings *s)
{
	const struct xs_run_config *c = s->cfg;
	struct xs_profile named;
	struct xs_params def;
	const char *key;
	size_t off = 0;
	unsigned int i;
	u64 v, w;

	buf[0] = '\0';
	append(buf, len, &off, "xsmmu-sim");
	if (s->modes == XS_ALL_MODES)
		append(buf, len, &off, " --mode all");
	for (i = 0; i < XS_MODE__COUNT && s->modes != XS_ALL_MODES; i++)
		if (s->modes & (1u << i))
			append(buf, len, &off, " --mode %s", xs_mode_name(i));
	append(buf, len, &off, " --profile %s", c->profile.name);
	if (!xs_profile_lookup(c->profile.name, &named)) {
		for (i = 0; (key = xs_profile_key(&c->profile, i, &v)); i++) {
			xs_profile_key(&named, i, &w);
			if (v != w)
				append(buf, len, &off, " --set %s=%" PRIu64,
				       key, v);
		}
	}
	append(buf, len, &off,
	       " --packets %" PRIu64 " --channels %u --seed %" PRIu64,
	       c->packets, c->channels, c->seed);
	if (c->malicious)
		append(buf, len, &off, " --malicious");
	if (c->close_midway)
		append(buf, len, &off, " --close-midway");
	if (c->threaded)
		append(buf, len, &off, " --threads");
	if (c->recover_every || c->threaded)
		append(buf, len, &off, " --recover-every %u", c->recover_every);
	if (c->reopen_every || c->threaded)
		append(buf, len, &off, " --reopen-every %u", c->reopen_every);
	xs_params_init(&def);
	for (i = 0; i < XS_P__COUNT; i++)
		if (c->params->v[i] != def.v[i])
			append(buf, len, &off, " --param %s=%" PRIu64,
			       xs_param_info(i)->name, c->params->v[i]);
}

/*
 * The i-th of the profile's keys or of the parameters and its value in
 * *v; NULL after the last.
 */
static const char *setting_key(const struct xs_sim_settings *s, bool params,
			       unsigned int i, u64 *v)
{
	if (!params)
		return xs_profile_key(&s->cfg->profile, i, v);
	if (i >= XS_P__COUNT)
		return NULL;
	*v = s->cfg->params->v[i];
	return xs_param_info(i)->name;
}

/* The profile's keys or the parameters, "k=v" separated by spaces. */
static void print_keys(FILE *f, const struct xs_sim_settings *s, bool params)
{
	const char *key;
	unsigned int i;
	u64 v;

	for (i = 0; (key = setting_key(s, params, i, &v)); i++)
		fprintf(f, "%s%s=%" PRIu64, i ? " " : "", key, v);
}

static double us(u64 ns)
{
	return (double)ns / 1000.0;
}

static double window_rate(u64 v, const struct xs_window *w)
{
	return w->packets ? (double)v / (double)w->packets : 0.0;
}

static double window_hit_pct(const struct xs_window *w)
{
	u64 n = w->iotlb_hits + w->iotlb_misses;

	return n ? 100.0 * (double)w->iotlb_hits / (double)n : 0.0;
}

/* The cost of x with the settings of s (params never NULL there). */
static void cost(const struct xs_sim_settings *s,
		 const struct xs_run_result *x, struct xs_cost *c)
{
	xs_cost_of(s->cfg, x, c);
}

/* ---- the table ---- */

static void table_header(FILE *f, const struct xs_sim_settings *s)
{
	const struct xs_run_config *c = s->cfg;
	struct xs_params def;
	char cmd[2048];
	unsigned int i, changed = 0;

	fprintf(f, "xsmmu-sim %s (commit %s): %" PRIu64 " packets per mode, %u channels, seed %" PRIu64 "%s%s%s\n",
		s->version, s->commit, c->packets, c->channels, c->seed,
		c->malicious ? ", malicious device" : "",
		c->close_midway ? ", a channel closed midway" : "",
		c->threaded ? ", real threads (not deterministic)" : "");
	xs_profile_print(f, &c->profile);
	xs_params_init(&def);
	fprintf(f, "params:");
	for (i = 0; i < XS_P__COUNT; i++) {
		if (c->params->v[i] == def.v[i])
			continue;
		fprintf(f, " %s=%" PRIu64, xs_param_info(i)->name,
			c->params->v[i]);
		changed++;
	}
	fprintf(f, "%s (xsmmu-sim --list-params)\n",
		changed ? ", the others as listed" : " as listed");
	xs_out_command(cmd, sizeof(cmd), s);
	fprintf(f, "again: %s\n\n", cmd);
}

static void verdict_line(FILE *f, const struct xs_run_result *x)
{
	const char *name = xs_mode_name(x->mode);
	unsigned int k, bad = 0;

	if (xs_mode_unprotected(x->mode) && !xs_out_fails(x))
		fprintf(f, "  %-12s unsafe by design (the reference)", name);
	else if (!xs_out_fails(x))
		fprintf(f, "  %-12s safe: no violation", name);
	else
		fprintf(f, "  %-12s UNSAFE", name);
	for (k = 0; k < XS_INV__COUNT; k++) {
		if (!x->violations[k])
			continue;
		fprintf(f, "%s %s x%" PRIu64 " (%s)", bad++ ? ";" : ":",
			xs_invariant_key(k), x->violations[k],
			inv_words[k]);
	}
	if (x->exposure_window_max_ns)
		fprintf(f, "; exposure up to %.1f us", us(x->exposure_window_max_ns));
	if (x->dropped)
		fprintf(f, "; %" PRIu64 " packets dropped", x->dropped);
	fprintf(f, "\n");
}

static const struct xs_run_result *find_mode(const struct xs_run_result *r,
					     unsigned int n, enum xs_mode m)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (r[i].mode == m)
			return &r[i];
	return NULL;
}

/* Whether a is a safe mode that ran packets. */
static bool safe_run(const struct xs_run_result *a)
{
	return !xs_mode_unprotected(a->mode) && !xs_out_fails(a) && a->packets;
}

/* "(= other)" for each other safe mode with the same figure as best. */
static void same_as(FILE *f, const struct xs_run_result *r, unsigned int n,
		    const struct xs_run_result *best, const double *fig)
{
	unsigned int i, b = (unsigned int)(best - r);

	for (i = 0; i < n; i++)
		if (i != b && safe_run(&r[i]) && fig[i] == fig[b])
			fprintf(f, " (= %s)", xs_mode_name(r[i].mode));
}

/* ", +x% against the mode m" for figure fig of best, if m ran. */
static void against(FILE *f, const struct xs_run_result *r, unsigned int n,
		    const double *fig, unsigned int b, enum xs_mode m)
{
	const struct xs_run_result *o = find_mode(r, n, m);
	unsigned int j = o ? (unsigned int)(o - r) : 0;

	if (o && fig[j] > 0)
		fprintf(f, ", %+.1f%% against %s",
			100.0 * (fig[b] / fig[j] - 1), xs_mode_name(m));
}

static void verdict(FILE *f, const struct xs_sim_settings *s,
		    const struct xs_run_result *r, unsigned int n)
{
	const struct xs_run_result *best = NULL, *fast = NULL, *lazy;
	double cpu[XS_MODE__COUNT], gbps[XS_MODE__COUNT];
	struct xs_cost c, cb;
	unsigned int i;

	fprintf(f, "\nverdict:\n");
	for (i = 0; i < n; i++)
		verdict_line(f, &r[i]);
	if (s->cfg->threaded) {
		fprintf(f, "  no best mode: with --threads the CPU figures are not comparable (see the legend)\n");
		return;
	}
	for (i = 0; i < n && i < XS_MODE__COUNT; i++) {
		cost(s, &r[i], &c);
		cpu[i] = c.cpu_ns_per_packet;
		gbps[i] = c.modelled_gbps;
	}
	n = n < XS_MODE__COUNT ? n : XS_MODE__COUNT;
	for (i = 0; i < n; i++) {
		if (!safe_run(&r[i]))
			continue;
		if (!best || cpu[i] < cpu[best - r])
			best = &r[i];
		/* On throughput, ties go to the cheaper CPU. */
		if (!fast || gbps[i] > gbps[fast - r] ||
		    (gbps[i] == gbps[fast - r] && cpu[i] < cpu[fast - r]))
			fast = &r[i];
	}
	if (!best) {
		fprintf(f, "  no safe mode among those run\n");
		return;
	}
	fprintf(f, "  best safe mode on CPU: %s", xs_mode_name(best->mode));
	/* Modes with the same figure are as good: name them. */
	same_as(f, r, n, best, cpu);
	fprintf(f, ", %.1f ns per packet", cpu[best - r]);
	against(f, r, n, cpu, (unsigned int)(best - r), XS_MODE_PASSTHROUGH);
	against(f, r, n, cpu, (unsigned int)(best - r), XS_MODE_LAZY);
	fprintf(f, "\n");
	cost(s, fast, &cb);
	fprintf(f, "  best safe mode on modelled throughput: %s",
		xs_mode_name(fast->mode));
	same_as(f, r, n, fast, gbps);
	fprintf(f, ", %.1f Gb/s (bound: %s)", cb.modelled_gbps,
		xs_bound_name(cb.bound));
	against(f, r, n, gbps, (unsigned int)(fast - r), XS_MODE_PASSTHROUGH);
	against(f, r, n, gbps, (unsigned int)(fast - r), XS_MODE_LAZY);
	fprintf(f, "\n");
	lazy = find_mode(r, n, XS_MODE_LAZY);
	if (lazy && lazy->exposure_window_max_ns)
		fprintf(f, "  lazy leaves freed pages reachable by the device for up to %.1f us (%" PRIu64 " pages); %s leaves none\n",
			us(lazy->exposure_window_max_ns), lazy->exposed_pages,
			xs_mode_name(best->mode));
}

static void legend(FILE *f, bool threaded, bool steady)
{
	unsigned int k;

	fprintf(f, "\nlegend:\n");
	if (steady)
		fprintf(f,
			"  the figures per packet are the steady state's: the run minus a run of the\n"
			"  same settings with half the packets, i.e. the second half of the traffic\n"
			"  without the channels' setup and teardown (--json: \"steady\" and\n"
			"  \"setup_teardown\"); packets and the safety columns are the whole run's\n");
	else
		fprintf(f,
			"  the figures per packet are the whole run's, setup and teardown included:\n"
			"  %s\n", threaded ?
			"a --threads run is not deterministic, so it has no steady window" :
			"too few packets for a steady window in at least one mode");
	fprintf(f,
		"  packets     TX + RX packets completed (ACKs sent from a poll count as TX)\n"
		"  descs/pk    IOTLB and device-TLB invalidation descriptors queued per packet\n"
		"  waits/pk    wait descriptors per packet: invalidation round trips a CPU\n"
		"              waited for\n"
		"  iotlb_hit%%  device translations served by the IOTLB (100 - miss rate)\n"
		"  walks/pk    page-table memory reads by the IOMMU per packet (IOTLB misses)\n"
		"  cpu_ns/pk   modelled CPU time per packet: driver work, DMA map/unmap,\n"
		"              invalidation submission and waits%s\n"
		"  dev_ns/pk   the device's translation time per packet: iotlb_hit_ns per\n"
		"              IOTLB hit, walk_read_ns per page-walk memory read\n"
		"  gbps        modelled throughput, Gb/s: the least of the link (link_gbps),\n"
		"              the CPU (one core per channel: channels x bytes / cpu_ns) and\n"
		"              the device (each channel waits for its own translations:\n"
		"              channels x bytes / dev_ns); bytes: the profile's mean lengths\n"
		"  bound       which of the three gives gbps: link, cpu or device\n"
		"  S1..F1, W   oracle violations by invariant, W kernel WARNs (docs/safety.md):\n",
		threaded ? "; '-' with --threads: the\n"
		"              channels share one clock, so a CPU's time includes the others'" : "");
	for (k = 0; k < XS_INV__COUNT; k++)
		fprintf(f, "              %-2s %s\n", xs_invariant_key(k),
			inv_words[k]);
	fprintf(f,
		"  max_win_us  the longest time a freed page stayed reachable by the device, us\n"
		"  sim_pps     the simulator's own speed on this host (not a result)\n"
		"passthrough (iommu=pt) translates nothing: the device reaches any page;\n"
		"lazy frees pages before the flush queue's invalidation: the window above.\n"
		"exit status: 1 when a protected mode shows any violation, or any mode a leak\n"
		"(L1) or a WARN (W); passthrough and lazy are the unprotected references.\n");
}

int xs_out_table(FILE *f, const struct xs_sim_settings *s,
		 const struct xs_run_result *r, unsigned int n)
{
	int w[XS_INV__COUNT];
	unsigned int i, k;
	char num[32];

	table_header(f, s);
	/* Each count column as wide as its largest figure. */
	for (k = 0; k < XS_INV__COUNT; k++) {
		w[k] = (int)strlen(xs_invariant_key(k));
		for (i = 0; i < n; i++) {
			int l = snprintf(num, sizeof(num), "%" PRIu64,
					 r[i].violations[k]);

			if (l > w[k])
				w[k] = l;
		}
	}
	fprintf(f, "%-12s %9s %8s %8s %10s %8s %9s %9s %6s %6s ", "mode",
		"packets", "descs/pk", "waits/pk", "iotlb_hit%", "walks/pk",
		"cpu_ns/pk", "dev_ns/pk", "gbps", "bound");
	for (k = 0; k < XS_INV__COUNT; k++)
		fprintf(f, " %*s", w[k], xs_invariant_key(k));
	fprintf(f, " %11s %9s\n", "max_win_us", "sim_pps");
	for (i = 0; i < n; i++) {
		const struct xs_run_result *x = &r[i];
		struct xs_window win;
		struct xs_cost c;

		xs_window_used(x, &win);
		cost(s, x, &c);
		fprintf(f, "%-12s %9" PRIu64 " %8.3f %8.3f %10.2f %8.2f ",
			xs_mode_name(x->mode), x->packets,
			window_rate(win.invalidation_descriptors, &win),
			window_rate(win.invalidation_waits, &win),
			window_hit_pct(&win),
			window_rate(win.walk_reads, &win));
		if (s->cfg->threaded)
			fprintf(f, "%9s %9.1f %6s %6s ", "-",
				c.device_ns_per_packet, "-", "-");
		else
			fprintf(f, "%9.1f %9.1f %6.1f %6s ",
				c.cpu_ns_per_packet, c.device_ns_per_packet,
				c.modelled_gbps, xs_bound_name(c.bound));
		for (k = 0; k < XS_INV__COUNT; k++)
			fprintf(f, " %*" PRIu64, w[k], x->violations[k]);
		fprintf(f, " %11.1f %9.0f\n", us(x->exposure_window_max_ns),
			x->sim_packets_per_second);
	}
	for (i = 0; i < n; i++)
		if (!r[i].steady_valid)
			break;
	verdict(f, s, r, n);
	legend(f, s->cfg->threaded, n && i == n);
	return out_status(f);
}

/* ---- JSON (jansson) ---- */

static const char *verdict_word(const struct xs_run_result *x)
{
	if (xs_out_fails(x))
		return "unsafe";
	return xs_mode_unprotected(x->mode) ? "reference" : "safe";
}

/*
 * A JSON integer holds a signed 64-bit value (json_int_t): a count above
 * that cannot be written as a number, so it fails the document.
 */
static json_t *json_u64(u64 v)
{
	return v > INT64_MAX ? NULL : json_integer((json_int_t)v);
}

/*
 * v with the given decimals, as the figure printed with that many: the
 * replay compares figures at that precision, not the last bit of the
 * double (NaN and infinities are no JSON number: NULL).
 */
static json_t *json_fixed(double v, int decimals)
{
	char text[64];

	snprintf(text, sizeof(text), "%.*f", decimals, v);
	return json_real(strtod(text, NULL));
}

/* Sets key to v in o, taking v (NULL: failed): 0, or -1. */
static int put(json_t *o, const char *key, json_t *v)
{
	return json_object_set_new(o, key, v);
}

/* The profile's keys or the parameters, as an object of numbers. */
static json_t *json_keys(const struct xs_sim_settings *s, bool params)
{
	json_t *o = json_object();
	const char *key;
	unsigned int i;
	int bad = 0;
	u64 v;

	if (!o)
		return NULL;
	for (i = 0; (key = setting_key(s, params, i, &v)); i++)
		bad |= put(o, key, json_u64(v));
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* The steady window's counts and rates (NULL: out of memory). */
static json_t *json_steady(const struct xs_run_result *x)
{
	const struct xs_window *w = &x->steady;
	json_t *o = json_object();
	int bad = !o;

	if (bad)
		return NULL;
	bad |= put(o, "packets", json_u64(w->packets));
	bad |= put(o, "invalidation_descriptors",
		   json_u64(w->invalidation_descriptors));
	bad |= put(o, "invalidation_waits", json_u64(w->invalidation_waits));
	bad |= put(o, "iotlb_hits", json_u64(w->iotlb_hits));
	bad |= put(o, "iotlb_misses", json_u64(w->iotlb_misses));
	bad |= put(o, "walk_reads", json_u64(w->walk_reads));
	bad |= put(o, "cpu_ns", json_u64(w->cpu_ns));
	bad |= put(o, "descriptors_per_packet",
		   json_fixed(window_rate(w->invalidation_descriptors, w), 4));
	bad |= put(o, "waits_per_packet",
		   json_fixed(window_rate(w->invalidation_waits, w), 4));
	bad |= put(o, "walk_reads_per_packet",
		   json_fixed(window_rate(w->walk_reads, w), 4));
	bad |= put(o, "cpu_ns_per_packet",
		   json_fixed(window_rate(w->cpu_ns, w), 3));
	if (!bad)
		return o;
	json_decref(o);
	return NULL;
}

/*
 * Setup and teardown: what the whole run counted beyond the steady
 * rates times its packets (the channels' opening fills, the closing
 * drains and their invalidations). May be negative by a little when the
 * warm-up ran cheaper than the steady state.
 */
static json_t *json_setup_teardown(const struct xs_run_result *x)
{
	const struct xs_window *w = &x->steady;
	double n = (double)x->packets;
	json_t *o = json_object();
	int bad = !o;

	if (bad)
		return NULL;
	bad |= put(o, "invalidation_descriptors",
		   json_fixed((double)x->invalidation_descriptors - n *
			      window_rate(w->invalidation_descriptors, w), 1));
	bad |= put(o, "invalidation_waits",
		   json_fixed((double)x->invalidation_waits - n *
			      window_rate(w->invalidation_waits, w), 1));
	bad |= put(o, "walk_reads",
		   json_fixed((double)x->walk_reads - n *
			      window_rate(w->walk_reads, w), 1));
	bad |= put(o, "cpu_ns",
		   json_fixed((double)x->cpu_ns - n *
			      window_rate(w->cpu_ns, w), 1));
	if (!bad)
		return o;
	json_decref(o);
	return NULL;
}

/* A bound in Gb/s, or null when that side costs nothing. */
static json_t *json_gbps(bool has, double v)
{
	return has ? json_fixed(v, 3) : json_null();
}

static json_t *json_run(const struct xs_sim_settings *s,
			const struct xs_run_result *x, bool host_speed)
{
	json_t *o = json_object(), *viol = json_object();
	double speed = host_speed ? x->sim_packets_per_second : 0.0;
	struct xs_cost c;
	unsigned int k;
	int bad = !o || !viol;

	if (bad)
		goto fail;
	bad |= put(o, "mode", json_string(xs_mode_name(x->mode)));
	bad |= put(o, "verdict", json_string(verdict_word(x)));
	bad |= put(o, "packets", json_u64(x->packets));
	bad |= put(o, "tx_packets", json_u64(x->tx_packets));
	bad |= put(o, "rx_packets", json_u64(x->rx_packets));
	bad |= put(o, "invalidation_descriptors",
		   json_u64(x->invalidation_descriptors));
	bad |= put(o, "invalidation_waits", json_u64(x->invalidation_waits));
	bad |= put(o, "iotlb_hits", json_u64(x->iotlb_hits));
	bad |= put(o, "iotlb_misses", json_u64(x->iotlb_misses));
	bad |= put(o, "walk_reads", json_u64(x->walk_reads));
	bad |= put(o, "faults", json_u64(x->faults));
	bad |= put(o, "cpu_ns", json_u64(x->cpu_ns));
	bad |= put(o, "cpu_ns_per_packet", json_fixed(x->cpu_ns_per_packet, 3));
	bad |= put(o, "virtual_ns", json_u64(x->virtual_ns));
	/* The cost model: from the steady window when there is one. */
	cost(s, x, &c);
	bad |= put(o, "bytes_per_packet", json_fixed(c.bytes_per_packet, 3));
	bad |= put(o, "device_ns_per_packet",
		   json_fixed(c.device_ns_per_packet, 3));
	bad |= put(o, "device_gbps", json_gbps(c.has_device_bound,
						c.device_gbps));
	bad |= put(o, "cpu_gbps", json_gbps(c.has_cpu_bound, c.cpu_gbps));
	bad |= put(o, "link_gbps", json_fixed(c.link_gbps, 3));
	bad |= put(o, "modelled_gbps", json_fixed(c.modelled_gbps, 3));
	bad |= put(o, "bound", json_string(xs_bound_name(c.bound)));
	bad |= put(o, "steady", x->steady_valid ? json_steady(x) :
		   json_null());
	bad |= put(o, "setup_teardown", x->steady_valid ?
		   json_setup_teardown(x) : json_null());
	for (k = 0; k < XS_INV__COUNT; k++)
		bad |= put(viol, xs_invariant_key(k),
			   json_u64(x->violations[k]));
	bad |= put(o, "violations", viol);
	viol = NULL;
	bad |= put(o, "exposure_window_max_ns",
		   json_u64(x->exposure_window_max_ns));
	bad |= put(o, "exposed_pages", json_u64(x->exposed_pages));
	bad |= put(o, "malicious_accesses", json_u64(x->malicious_accesses));
	bad |= put(o, "malicious_successes", json_u64(x->malicious_successes));
	bad |= put(o, "stale_writes", json_u64(x->stale_writes));
	bad |= put(o, "stale_write_successes",
		   json_u64(x->stale_write_successes));
	bad |= put(o, "dropped", json_u64(x->dropped));
	bad |= put(o, "rq_recoveries", json_u64(x->rq_recoveries));
	bad |= put(o, "reopens", json_u64(x->reopens));
	bad |= put(o, "xdp_tx", json_u64(x->xdp_tx));
	bad |= put(o, "rx_cache_hit_rate", json_fixed(x->rx_refills ?
		   (double)x->rx_cache_reuse / (double)x->rx_refills : 0.0, 4));
	bad |= put(o, "first_warn", json_string(x->first_warn));
	/* Packets per second, whole: an integer as it always was. */
	bad |= put(o, "sim_packets_per_second", speed >= 0 &&
		   speed < 9e18 ? json_u64((u64)(speed + 0.5)) : NULL);
	if (!bad)
		return o;
fail:
	json_decref(viol);
	json_decref(o);
	return NULL;
}

json_t *xs_out_json_doc(const struct xs_sim_settings *s,
			const struct xs_run_result *r, unsigned int n,
			bool host_speed)
{
	const struct xs_run_config *c = s->cfg;
	json_t *doc = json_object(), *xs = json_object();
	json_t *set = json_object(), *runs = json_array();
	unsigned int i;
	char cmd[2048];
	int bad = !doc || !xs || !set || !runs;

	if (bad)
		goto fail;
	bad |= put(xs, "version", json_string(s->version));
	bad |= put(xs, "commit", json_string(s->commit));
	bad |= put(doc, "xsmmu", xs);
	xs = NULL;
	xs_out_command(cmd, sizeof(cmd), s);
	bad |= put(doc, "command", json_string(cmd));
	xs_out_modes(cmd, sizeof(cmd), s->modes);
	bad |= put(set, "mode", json_string(cmd));
	bad |= put(set, "profile", json_string(c->profile.name));
	bad |= put(set, "packets", json_u64(c->packets));
	bad |= put(set, "channels", json_integer(c->channels));
	bad |= put(set, "seed", json_u64(c->seed));
	bad |= put(set, "malicious", json_boolean(c->malicious));
	bad |= put(set, "close_midway", json_boolean(c->close_midway));
	bad |= put(set, "threads", json_boolean(c->threaded));
	bad |= put(set, "recover_every", json_integer(c->recover_every));
	bad |= put(set, "reopen_every", json_integer(c->reopen_every));
	bad |= put(set, "profile_keys", json_keys(s, false));
	bad |= put(set, "params", json_keys(s, true));
	bad |= put(doc, "settings", set);
	set = NULL;
	for (i = 0; i < n; i++)
		bad |= json_array_append_new(runs,
					      json_run(s, &r[i], host_speed));
	bad |= put(doc, "runs", runs);
	runs = NULL;
	if (!bad)
		return doc;
fail:
	json_decref(runs);
	json_decref(set);
	json_decref(xs);
	json_decref(doc);
	return NULL;
}

int xs_out_json(FILE *f, const struct xs_sim_settings *s,
		const struct xs_run_result *r, unsigned int n, bool host_speed)
{
	json_t *doc = xs_out_json_doc(s, r, n, host_speed);
	int ret;

	if (!doc) {
		errno = ENOMEM;
		return -1;
	}
	ret = json_dumpf(doc, f, XS_OUT_JSON_FLAGS);
	json_decref(doc);
	if (ret || fputc('\n', f) == EOF)
		return -1;
	return out_status(f);
}

/* ---- CSV ---- */

int xs_out_csv(FILE *f, const struct xs_sim_settings *s,
	       const struct xs_run_result *r, unsigned int n)
{
	const struct xs_run_config *c = s->cfg;
	unsigned int i, k;

	fprintf(f, "mode,packets,invalidation_descriptors,invalidation_waits,iotlb_hits,iotlb_misses,walk_reads,cpu_ns_per_packet,device_ns_per_packet,device_gbps,cpu_gbps,modelled_gbps,bound,steady_packets,steady_descriptors_per_packet,steady_waits_per_packet,steady_cpu_ns_per_packet");
	for (k = 0; k < XS_INV__COUNT; k++)
		fprintf(f, ",%s", xs_invariant_key(k));
	fprintf(f, ",exposure_window_max_ns,malicious_successes,dropped,sim_packets_per_second,verdict,version,commit,seed,profile,channels,packets_asked,malicious,close_midway,threads,recover_every,reopen_every,profile_keys,params\n");
	for (i = 0; i < n; i++) {
		const struct xs_run_result *x = &r[i];
		struct xs_window win;
		struct xs_cost cst;

		xs_window_used(x, &win);
		cost(s, x, &cst);
		fprintf(f, "%s,%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%.3f",
			xs_mode_name(x->mode), x->packets,
			x->invalidation_descriptors, x->invalidation_waits,
			x->iotlb_hits, x->iotlb_misses, x->walk_reads,
			x->cpu_ns_per_packet);
		/* An empty field: that side costs nothing, no bound. */
		fprintf(f, ",%.3f,", cst.device_ns_per_packet);
		if (cst.has_device_bound)
			fprintf(f, "%.3f", cst.device_gbps);
		fprintf(f, ",");
		if (cst.has_cpu_bound)
			fprintf(f, "%.3f", cst.cpu_gbps);
		fprintf(f, ",%.3f,%s,%" PRIu64 ",%.4f,%.4f,%.3f",
			cst.modelled_gbps, xs_bound_name(cst.bound),
			x->steady_valid ? win.packets : 0,
			window_rate(win.invalidation_descriptors, &win),
			window_rate(win.invalidation_waits, &win),
			cst.cpu_ns_per_packet);
		for (k = 0; k < XS_INV__COUNT; k++)
			fprintf(f, ",%" PRIu64, x->violations[k]);
		fprintf(f, ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%.0f,%s,%s,%s,%" PRIu64 ",%s,%u,%" PRIu64 ",%d,%d,%d,%u,%u,\"",
			x->exposure_window_max_ns, x->malicious_successes,
			x->dropped, x->sim_packets_per_second,
			verdict_word(x), s->version, s->commit, c->seed,
			c->profile.name, c->channels, c->packets,
			c->malicious, c->close_midway, c->threaded,
			c->recover_every, c->reopen_every);
		print_keys(f, s, false);
		fprintf(f, "\",\"");
		print_keys(f, s, true);
		fprintf(f, "\"\n");
	}
	return out_status(f);
}
