/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one parameter table: every cost and size of the model, with its unit
 * and where the value comes from. Values can be overridden at run time with
 * "name=value" (the CLI's --param). The table itself is in
 * src/sim/params.c; see docs/vtd-model.md (cost model) for the reasoning.
 */
#ifndef XSMMU_PARAMS_H
#define XSMMU_PARAMS_H

#include <stdio.h>
#include <xsmmu/types.h>

enum xs_param_id {
	/* Invalidation queue: software side of a submission. */
	XS_P_MMIO_WRITE_NS,
	XS_P_STATUS_POLL_NS,
	/* Invalidation queue: hardware processing per descriptor. */
	XS_P_IQ_DESC_FETCH_NS,
	XS_P_INV_CC_NS,
	XS_P_INV_IOTLB_GLOBAL_NS,
	XS_P_INV_IOTLB_DSI_NS,
	XS_P_INV_IOTLB_PSI_NS,
	XS_P_INV_DEVTLB_NS,
	XS_P_INV_IEC_NS,
	XS_P_INV_WAIT_NS,
	XS_P_DEVTLB_TIMEOUT_NS,
	/* CPU work outside the invalidation queue (driver and stack). */
	XS_P_CPU_PKT_TX_NS,
	XS_P_CPU_PKT_RX_NS,
	XS_P_CPU_DMA_MAP_NS,
	XS_P_CPU_DMA_UNMAP_NS,
	/* Translation. */
	XS_P_IOTLB_HIT_NS,
	XS_P_WALK_READ_NS,
	/* Sizes. */
	XS_P_IOTLB_ENTRIES,
	XS_P_IOTLB_WAYS,
	XS_P_PSC_PML4E_ENTRIES,
	XS_P_PSC_PDPE_ENTRIES,
	XS_P_PSC_PDE_ENTRIES,
	XS_P_PSI_IH_KEEPS_PSC,
	XS_P_CAP_MAMV,
	XS_P_CAP_NFR,
	XS_P_PHYS_FRAMES,
	/* The port: what the modelled throughput cannot exceed. */
	XS_P_LINK_GBPS,
	/* Hardware behaviours the spec leaves open (appended: keep ids). */
	XS_P_PSI_IH0_PSC_DOMAIN,
	/* The run: IOVA allocator ageing before traffic (0: none). */
	XS_P_IOVA_AGE,
	XS_P__COUNT
};

struct xs_param_info {
	const char *name;
	u64 def;
	u64 min;
	u64 max;
	const char *unit;
	const char *source;
};

struct xs_params {
	u64 v[XS_P__COUNT];
};

void xs_params_init(struct xs_params *p);
const struct xs_param_info *xs_param_info(enum xs_param_id id);
int xs_param_lookup(const char *name);
/*
 * Applies "name=value". Returns 0, or -1 with a message in err naming the
 * parameter and the accepted range (unknown name, bad number, out of range).
 */
int xs_params_set(struct xs_params *p, const char *assignment, char *err,
		  size_t errlen);
/*
 * Checks the values together (each is in its range already): 0, or -1
 * with a message in err (the IOTLB's entries must fill whole sets).
 */
int xs_params_check(const struct xs_params *p, char *err, size_t errlen);
/* The table, one parameter a line. Returns 0, or -1 on a write error. */
int xs_params_print(FILE *f, const struct xs_params *p);

static inline u64 xs_param(const struct xs_params *p, enum xs_param_id id)
{
	return p->v[id];
}

#endif
