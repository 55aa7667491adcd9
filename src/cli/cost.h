/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The cost model's figures of a run: the steady-state window (the counts
 * without the channels' setup and teardown) and the modelled throughput,
 * the least of three bounds: the link, the CPU (each channel on its own
 * core) and the device (each channel's DMA waits for its translations).
 */
#ifndef XS_CLI_COST_H
#define XS_CLI_COST_H

#include <xsmmu/run.h>

/*
 * xs_run(), then the same settings with half the packets: the difference
 * of the two is the steady window (res->steady), the packets from the
 * half of the run to its end. Both runs open the same channels and close
 * them with the same rings and caches, so setup and teardown cancel out;
 * the first half is the warm-up. No window (steady_valid false) for a
 * threaded run (not deterministic) or when a count of the half run
 * exceeds the whole's. The half run writes no trace and no reports.
 * Returns xs_run()'s result.
 */
int xs_run_steady(const struct xs_run_config *cfg, struct xs_run_result *res);

/* The whole run as a window. */
void xs_window_whole(const struct xs_run_result *r, struct xs_window *w);
/* The window the cost model reads: the steady one if any, else the whole. */
void xs_window_used(const struct xs_run_result *r, struct xs_window *w);

enum xs_bound {
	XS_BOUND_LINK,
	XS_BOUND_CPU,
	XS_BOUND_DEVICE,
};

const char *xs_bound_name(enum xs_bound b);

struct xs_cost {
	double bytes_per_packet;	/* the profile's mean lengths */
	double cpu_ns_per_packet;
	/*
	 * The device's translation time per packet: iotlb_hit_ns per IOTLB
	 * hit, walk_read_ns per page-walk memory read (a miss reads what the
	 * paging-structure caches do not hold).
	 */
	double device_ns_per_packet;
	/* Gb/s; has_*_bound false: that side costs nothing (no bound). */
	double link_gbps, cpu_gbps, device_gbps, modelled_gbps;
	bool has_cpu_bound, has_device_bound;
	enum xs_bound bound;		/* the least of the three */
};

/* The cost of r, run with cfg (its params NULL: the defaults). */
void xs_cost_of(const struct xs_run_config *cfg,
		const struct xs_run_result *r, struct xs_cost *c);

#endif
