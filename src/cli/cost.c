// SPDX-License-Identifier: GPL-2.0
/*
 * The steady-state window and the modelled throughput (see cost.h).
 */
#include "cost.h"

void xs_window_whole(const struct xs_run_result *r, struct xs_window *w)
{
	w->packets = r->packets;
	w->tx_packets = r->tx_packets;
	w->rx_packets = r->rx_packets;
	w->invalidation_descriptors = r->invalidation_descriptors;
	w->invalidation_waits = r->invalidation_waits;
	w->iotlb_hits = r->iotlb_hits;
	w->iotlb_misses = r->iotlb_misses;
	w->walk_reads = r->walk_reads;
	w->cpu_ns = r->cpu_ns;
}

void xs_window_used(const struct xs_run_result *r, struct xs_window *w)
{
	if (r->steady_valid)
		*w = r->steady;
	else
		xs_window_whole(r, w);
}

/* *d = a - b, false when b exceeds a (no window). */
static bool sub(u64 a, u64 b, u64 *d)
{
	*d = a - b;
	return a >= b;
}

int xs_run_steady(const struct xs_run_config *cfg, struct xs_run_result *res)
{
	struct xs_run_config half = *cfg;
	struct xs_window a, b, *d;
	struct xs_run_result h;
	bool ok = true;

	if (xs_run(cfg, res))
		return -1;
	res->steady_valid = false;
	if (cfg->threaded || cfg->packets < 2)
		return 0;
	half.packets = cfg->packets / 2;
	half.trace = NULL;
	half.reports = NULL;
	if (xs_run(&half, &h))
		return 0;	/* the whole run stands; no window */
	xs_window_whole(res, &a);
	xs_window_whole(&h, &b);
	d = &res->steady;
	ok &= sub(a.packets, b.packets, &d->packets);
	ok &= sub(a.tx_packets, b.tx_packets, &d->tx_packets);
	ok &= sub(a.rx_packets, b.rx_packets, &d->rx_packets);
	ok &= sub(a.invalidation_descriptors, b.invalidation_descriptors,
		  &d->invalidation_descriptors);
	ok &= sub(a.invalidation_waits, b.invalidation_waits,
		  &d->invalidation_waits);
	ok &= sub(a.iotlb_hits, b.iotlb_hits, &d->iotlb_hits);
	ok &= sub(a.iotlb_misses, b.iotlb_misses, &d->iotlb_misses);
	ok &= sub(a.walk_reads, b.walk_reads, &d->walk_reads);
	ok &= sub(a.cpu_ns, b.cpu_ns, &d->cpu_ns);
	res->steady_valid = ok && d->packets > 0;
	return 0;
}

const char *xs_bound_name(enum xs_bound b)
{
	switch (b) {
	case XS_BOUND_LINK:
		return "link";
	case XS_BOUND_CPU:
		return "cpu";
	case XS_BOUND_DEVICE:
		return "device";
	}
	return "?";
}

void xs_cost_of(const struct xs_run_config *cfg,
		const struct xs_run_result *r, struct xs_cost *c)
{
	const struct xs_profile *p = &cfg->profile;
	double tx_len = (p->tx_len_min + (double)p->tx_len_max) / 2;
	double rx_len = (p->rx_len_min + (double)p->rx_len_max) / 2;
	double bytes, device_ns;
	struct xs_params def;
	const struct xs_params *prm = cfg->params;
	struct xs_window w;

	if (!prm) {
		xs_params_init(&def);
		prm = &def;
	}
	xs_window_used(r, &w);
	bytes = (double)w.tx_packets * tx_len + (double)w.rx_packets * rx_len;
	device_ns = (double)w.iotlb_hits *
		    (double)xs_param(prm, XS_P_IOTLB_HIT_NS) +
		    (double)w.walk_reads *
		    (double)xs_param(prm, XS_P_WALK_READ_NS);
	c->bytes_per_packet = w.packets ? bytes / (double)w.packets : 0;
	c->cpu_ns_per_packet = w.packets ?
		(double)w.cpu_ns / (double)w.packets : 0;
	c->device_ns_per_packet = w.packets ? device_ns / (double)w.packets : 0;
	c->link_gbps = (double)xs_param(prm, XS_P_LINK_GBPS);
	/*
	 * Bytes per ns x 8 = Gb/s. Every channel has a core of its own and
	 * its own DMA stream, each waiting for its own translations: a
	 * channel's bound is its bytes over its time, the NIC's the sum over
	 * the channels. The IOMMU counts per unit, not per channel, and the
	 * run splits the traffic evenly between the channels, so each
	 * channel is taken to have 1/channels of the bytes and of the time.
	 */
	c->has_cpu_bound = c->cpu_ns_per_packet > 0;
	c->cpu_gbps = c->has_cpu_bound ? cfg->channels * 8.0 *
		c->bytes_per_packet / c->cpu_ns_per_packet : 0;
	c->has_device_bound = c->device_ns_per_packet > 0;
	c->device_gbps = c->has_device_bound ? cfg->channels * 8.0 *
		c->bytes_per_packet / c->device_ns_per_packet : 0;
	c->modelled_gbps = c->link_gbps;
	c->bound = XS_BOUND_LINK;
	if (c->has_cpu_bound && c->cpu_gbps < c->modelled_gbps) {
		c->modelled_gbps = c->cpu_gbps;
		c->bound = XS_BOUND_CPU;
	}
	if (c->has_device_bound && c->device_gbps < c->modelled_gbps) {
		c->modelled_gbps = c->device_gbps;
		c->bound = XS_BOUND_DEVICE;
	}
}
