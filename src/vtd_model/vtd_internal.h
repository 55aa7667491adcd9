/* SPDX-License-Identifier: GPL-2.0 */
/*
 * State of one VT-d unit, shared by the files of src/vtd_model. Each
 * component (IOTLB, paging-structure caches, invalidation queue, fault
 * recording) has its own struct and its own file.
 */
#ifndef XSMMU_VTD_INTERNAL_H
#define XSMMU_VTD_INTERNAL_H

#include <xsmmu/vtd.h>

struct vtd_iotlb_entry {
	u64 iova;		/* aligned to the entry's page size */
	u64 phys;
	u64 lru;		/* larger is more recent */
	u16 did;
	u8 level;		/* 0: invalid, else 1..3 */
	u8 perm;		/* VTD_SL_R | VTD_SL_W */
	u32 gen;		/* frame generation when filled */
};

struct vtd_iotlb {
	struct vtd_iotlb_entry *e;
	u32 sets;
	u32 ways;
	u32 nr_valid;
	u32 nr_level[4];	/* valid entries per page level */
	u64 tick;
};

struct vtd_psc_entry {
	u64 iova;		/* aligned to the span of the cached entry */
	u64 table;		/* physical address of the next-level table */
	u64 lru;
	u32 gen;		/* the table frame's generation when filled */
	u16 did;
	u8 valid;
	u8 perm;
};

struct vtd_psc {
	struct vtd_psc_entry *e;
	u32 n;
	u64 tick;
};

struct vtd_iq {
	u64 iqa;
	u64 iqer;
	u32 head;		/* IQH index */
	u32 tail;		/* IQT index */
	u32 entries;
	u32 shift;		/* log2(descriptor bytes) */
	bool enabled;
	bool stopped;		/* IQE or ITE pending */
	bool busy;		/* a descriptor at head has been fetched */
	u64 done_at;		/* completion time of the fetched descriptor */
	u64 free_at;		/* completion time of the last descriptor */
	struct vtd_desc cur;	/* the fetched descriptor */
	const char *cur_err;	/* why cur is invalid, or NULL */
	enum vtd_iqei cur_iqei;	/* IQER.IQEI if cur_err */
	struct vtd_desc_fields cur_f;
};

struct vtd_frcd {
	u64 lo;
	u64 hi;
};

struct vtd_context {
	u64 slpt;
	u16 did;
	bool present;
	bool passthrough;	/* translation type 10b: untranslated */
	u8 devtlb;		/* enum vtd_devtlb_behaviour */
};

struct vtd_unit {
	struct vtd_unit_config cfg;
	struct xs_physmem *pm;
	struct xs_clock *clk;
	const struct xs_params *params;
	struct xs_trace *trace;
	struct vtd_observer obs;
	struct vtd_stats stats;

	/* registers */
	u64 cap;
	u64 ecap;
	u32 gsts;
	u32 fsts;		/* RW1C bits only; PPF and FRI are computed */
	u32 fectl;
	u32 ics;
	u32 iectl;
	u64 rtaddr;
	u64 ccmd;
	u64 iva;
	u64 iotlb_reg;

	struct vtd_iq iq;
	struct vtd_iotlb iotlb;
	struct vtd_psc psc[VTD_PSC_LEVELS];
	struct vtd_frcd *frcd;
	u32 fri;		/* next fault record to use */
	struct vtd_context *ctx;	/* 65536 source ids */
	u32 ctx_dirty;		/* entries at and above never written */
};

static inline u64 vtd_now(const struct vtd_unit *u)
{
	return xs_clock_now(u->clk);
}

static inline void vtd_trace(struct vtd_unit *u, u64 time, unsigned int kind,
			     u64 a0, u64 a1, u64 a2)
{
	xs_trace_emit(u->trace, time, kind, u->cfg.id, 0, a0, a1, a2);
}

/* iotlb.c */
int vtd_iotlb_init(struct vtd_iotlb *t, u32 entries, u32 ways);
void vtd_iotlb_fini(struct vtd_iotlb *t);
struct vtd_iotlb_entry *vtd_iotlb_lookup(struct vtd_unit *u, u16 did,
					 u64 iova);
void vtd_iotlb_insert(struct vtd_unit *u, u16 did, u64 iova, u64 phys,
		      u8 level, u8 perm);
u32 vtd_iotlb_inv_global(struct vtd_unit *u);
u32 vtd_iotlb_inv_domain(struct vtd_unit *u, u16 did);
u32 vtd_iotlb_inv_range(struct vtd_unit *u, u16 did, u64 start, u64 end);

/* psc.c */
int vtd_psc_init(struct vtd_psc *c, u32 entries);
void vtd_psc_fini(struct vtd_psc *c);
struct vtd_psc_entry *vtd_psc_lookup(struct vtd_unit *u,
				     enum vtd_psc_level lvl, u16 did, u64 iova);
void vtd_psc_insert(struct vtd_unit *u, enum vtd_psc_level lvl, u16 did,
		    u64 iova, u64 table, u8 perm);
u32 vtd_psc_inv(struct vtd_unit *u, bool all_domains, u16 did, u64 start,
		u64 end);

/* fault.c */
void vtd_fault_record(struct vtd_unit *u, u16 sid, u64 iova, u8 reason,
		      bool read);
u32 vtd_fault_pending_mask(const struct vtd_unit *u);
u64 vtd_frcd_read(struct vtd_unit *u, u32 off);
void vtd_frcd_write(struct vtd_unit *u, u32 off, u64 val);

/* inv_queue.c */
void vtd_iq_reset(struct vtd_unit *u);
void vtd_iq_enable(struct vtd_unit *u, bool on);
void vtd_iq_write_tail(struct vtd_unit *u, u64 val);
void vtd_iq_resume(struct vtd_unit *u);
/* Shared by queued and register-based IOTLB invalidation. */
void vtd_inv_iotlb(struct vtd_unit *u, unsigned int gran, u16 did, u64 addr,
		   u8 am, bool ih, u64 time);

#endif
