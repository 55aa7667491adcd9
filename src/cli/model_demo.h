/* SPDX-License-Identifier: GPL-2.0 */
#ifndef XSMMU_CLI_MODEL_DEMO_H
#define XSMMU_CLI_MODEL_DEMO_H

#include <stdio.h>
#include <xsmmu/params.h>

/* How software invalidates after unmapping, in the model demo. */
enum demo_policy {
	DEMO_PSI_EACH,		/* strict: PSI + wait per unmap (IH=0) */
	DEMO_DSI_BATCH,		/* seed: one domain-selective + wait */
	DEMO_PSI_BATCH,		/* PSI per range, IH=1, one wait */
	DEMO_NR_POLICIES
};

struct demo_opts {
	u64 seed;
	u64 ops;		/* buffers mapped, used by the device, unmapped */
	u32 batch;		/* unmaps per invalidation (batched policies) */
	u32 hot_pages;		/* pages that stay mapped (RX ring) */
	u32 hot_accesses;	/* device accesses to hot pages per op */
	const char *trace_path;
};

struct demo_result {
	const char *policy;
	u64 ops;
	u64 descriptors;
	u64 waits;
	u64 iotlb_hits;
	u64 iotlb_misses;
	u64 walk_reads;
	u64 inv_wait_ns;	/* CPU time spinning on wait descriptors */
};

const char *demo_policy_name(enum demo_policy p);
int demo_run(const struct demo_opts *o, const struct xs_params *p,
	     enum demo_policy pol, struct demo_result *res);

#endif
