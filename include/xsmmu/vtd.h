/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One VT-d remapping hardware unit: registers, invalidation queue, IOTLB,
 * paging-structure caches, second-level translation and fault recording.
 *
 * Time: the unit works in the virtual time of the clock it is given. Writing
 * IQT queues work; each descriptor completes at a time given by the cost
 * table, in order, and takes effect only then. Anything that observes the
 * hardware (a register read, a DMA, vtd_unit_run()) first brings the unit up
 * to the clock's current time. Software that waits for a wait descriptor
 * advances the clock (see vtd_iq_drain() and vtd_unit_next_event()).
 *
 * Context entries are kept in a root/context structure owned by the model
 * (not in simulated memory) and are always coherent: no context cache is
 * modelled, so context-cache invalidations are validated and costed only.
 */
#ifndef XSMMU_VTD_H
#define XSMMU_VTD_H

#include <xsmmu/clock.h>
#include <xsmmu/params.h>
#include <xsmmu/physmem.h>
#include <xsmmu/trace.h>
#include <xsmmu/types.h>
#include <xsmmu/vtd_desc.h>
#include <xsmmu/vtd_regs.h>

#define VTD_NO_EVENT	(~0ULL)
#define VTD_ANY_DID	0xffffffffU

/* Paging-structure-cache levels, named by the entry they cache. */
enum vtd_psc_level {
	VTD_PSC_PDE = 0,	/* level-2 entry: gives the page table */
	VTD_PSC_PDPE = 1,	/* level-3 entry: gives the page directory */
	VTD_PSC_PML4E = 2,	/* level-4 entry: gives the PDPT */
	VTD_PSC_LEVELS = 3
};

/* Index of the per-granularity IOTLB drop counters. */
enum vtd_inv_gran {
	VTD_GRAN_GLOBAL = 0,
	VTD_GRAN_DSI = 1,
	VTD_GRAN_PSI = 2,
	VTD_GRAN_COUNT = 3
};

struct vtd_unit_config {
	unsigned int id;	/* for traces and reports */
	u8 mamv;		/* CAP.MAMV */
	u8 nfr;			/* number of fault recording registers */
	bool psi;		/* CAP.PSI */
	bool sp_2m;		/* CAP.SLLPS bit 0 */
	bool sp_1g;		/* CAP.SLLPS bit 1 */
	bool dev_tlb;		/* ECAP.DT */
	bool dit;		/* ECAP.DIT: device-TLB descriptors carry PFSID */
	u32 iotlb_entries;	/* a multiple of iotlb_ways */
	u32 iotlb_ways;
	/* Fully associative, LRU; 0 entries: no cache at that level. */
	u32 psc_entries[VTD_PSC_LEVELS];
	/*
	 * A PSI with IH=1 keeps the paging-structure caches (what the hint
	 * allows). false: this implementation drops the overlapping PSC
	 * entries on every PSI, as the spec also permits.
	 */
	bool psi_ih_keeps_psc;
	/*
	 * How far a PSI that drops PSC entries (IH=0, or IH=1 when the hint
	 * is not acted on) reaches: false, the entries whose span overlaps
	 * the invalidated block (what the spec requires); true, every PSC
	 * entry of the domain (what some implementations are said to do;
	 * docs/calibration.md has what could and could not be cited).
	 */
	bool psi_ih0_psc_domain;
};

/* Fills cfg from the parameter table (sizes and capabilities). */
void vtd_unit_config_default(struct vtd_unit_config *cfg,
			     const struct xs_params *p);

struct vtd_unit;

/*
 * Creates a unit in its reset state: translation and queued invalidation
 * disabled, caches empty. params must outlive the unit (costs are read
 * from it on every step, so overrides take effect at once). trace may be
 * NULL. Returns NULL on a bad config (message on stderr).
 */
struct vtd_unit *vtd_unit_create(const struct vtd_unit_config *cfg,
				 struct xs_physmem *pm, struct xs_clock *clk,
				 const struct xs_params *params,
				 struct xs_trace *trace);
void vtd_unit_destroy(struct vtd_unit *u);
unsigned int vtd_unit_id(const struct vtd_unit *u);

/* Register interface (spec chapter 11). */
u32 vtd_reg_read32(struct vtd_unit *u, u32 off);
u64 vtd_reg_read64(struct vtd_unit *u, u32 off);
void vtd_reg_write32(struct vtd_unit *u, u32 off, u32 val);
void vtd_reg_write64(struct vtd_unit *u, u32 off, u64 val);

/* Brings the unit up to the clock's current time. */
void vtd_unit_run(struct vtd_unit *u);
/* Completion time of the next queued descriptor, or VTD_NO_EVENT. */
u64 vtd_unit_next_event(const struct vtd_unit *u);
/* True when IQH == IQT, or the queue is stopped by IQE/ITE. */
bool vtd_iq_idle(struct vtd_unit *u);
/*
 * Advances the clock to each completion in turn until the queue is idle or
 * stopped. Returns the virtual time that passed.
 */
u64 vtd_iq_drain(struct vtd_unit *u);

/*
 * Context entries (spec 9.3): source id (bus << 8 | devfn) to a domain id
 * and the physical address of a 4-level second-level table.
 */
int vtd_context_set(struct vtd_unit *u, u16 sid, u16 did, u64 slpt_phys);
/* Pass-through context (ECAP.PT, translation type 10b): iova == phys. */
int vtd_context_set_passthrough(struct vtd_unit *u, u16 sid, u16 did);
void vtd_context_clear(struct vtd_unit *u, u16 sid);

/* Result of one page translation. */
struct vtd_xlate {
	u64 phys;		/* physical address of the iova byte */
	u16 did;
	u8 level;		/* 1: 4 KiB, 2: 2 MiB, 3: 1 GiB */
	u8 walk_reads;		/* paging-entry reads this translation made */
	bool iotlb_hit;
	bool writable;
	/*
	 * Generation of the frame (xs_physmem_generation) when the
	 * translation was cached: a device access through a translation
	 * whose frame has since been freed and reallocated shows up as a
	 * generation mismatch (invariant S1).
	 */
	u32 map_gen;
};

/*
 * Translates one address for a request from sid. Returns 0, or a fault
 * reason (enum vtd_fault_reason) after recording the fault. Fills the
 * IOTLB and paging-structure caches on a walk. Advances no time: the cost
 * of the translation is reported through the statistics and xl->walk_reads.
 */
int vtd_translate(struct vtd_unit *u, u16 sid, u64 iova, bool write,
		  struct vtd_xlate *xl);
/*
 * A device DMA of len bytes at iova, which may cross pages: each page is
 * translated and accessed in order. On a fault the access stops there (the
 * bytes of earlier pages were transferred, as on a real bus) and the fault
 * reason is returned.
 */
int vtd_dma(struct vtd_unit *u, u16 sid, u64 iova, void *buf, size_t len,
	    bool write);

/* How a device answers device-TLB invalidations (for ITE / ICE). */
enum vtd_devtlb_behaviour {
	VTD_DEVTLB_OK,
	VTD_DEVTLB_TIMEOUT,		/* never answers: ITE */
	VTD_DEVTLB_BAD_COMPLETION,	/* answers with a bad tag: ICE */
};
void vtd_set_devtlb_behaviour(struct vtd_unit *u, u16 sid,
			      enum vtd_devtlb_behaviour b);

/*
 * Hooks for the safety oracle. Every cache fill and drop and every
 * completed DMA page is reported, so the oracle can keep exact reverse
 * counts (which frames are still reachable) without scanning. All optional.
 */
struct vtd_observer {
	void *ctx;
	/* gen: the frame's generation when the entry was filled. */
	void (*iotlb_fill)(void *ctx, struct vtd_unit *u, u16 did, u64 iova,
			   u64 phys, u8 level, u32 gen);
	void (*iotlb_drop)(void *ctx, struct vtd_unit *u, u16 did, u64 iova,
			   u64 phys, u8 level, u32 gen);
	void (*psc_fill)(void *ctx, struct vtd_unit *u, u16 did, u64 iova,
			 u64 table_phys, enum vtd_psc_level level, u32 gen);
	void (*psc_drop)(void *ctx, struct vtd_unit *u, u16 did, u64 iova,
			 u64 table_phys, enum vtd_psc_level level, u32 gen);
	void (*dma)(void *ctx, struct vtd_unit *u, u16 sid, u16 did, u64 iova,
		    u64 phys, u32 len, bool write, u32 map_gen);
	void (*wait_done)(void *ctx, struct vtd_unit *u, u64 status_addr,
			  u32 data);
};
void vtd_set_observer(struct vtd_unit *u, const struct vtd_observer *obs);

struct vtd_stats {
	u64 iotlb_hits;
	u64 iotlb_misses;
	u64 iotlb_fills;
	u64 iotlb_evictions;
	u64 iotlb_dropped[VTD_GRAN_COUNT];
	u64 psc_hits[VTD_PSC_LEVELS];
	u64 psc_misses[VTD_PSC_LEVELS];
	u64 psc_evictions[VTD_PSC_LEVELS];
	u64 psc_dropped[VTD_PSC_LEVELS];
	u64 walks;
	u64 walk_reads;
	u64 desc_done[8];	/* by descriptor type */
	u64 iotlb_inv[VTD_GRAN_COUNT];	/* IOTLB descriptors by granularity */
	u64 waits;		/* wait descriptors completed */
	u64 iqe;
	u64 ite;
	u64 ice;
	u64 faults;
	u64 faults_lost;	/* overflowed the fault recording registers */
	u64 iq_busy_ns;		/* virtual time the queue spent working */
};
const struct vtd_stats *vtd_stats(const struct vtd_unit *u);
/* Host bytes one IOTLB entry takes in the model. */
size_t vtd_iotlb_entry_bytes(void);
void vtd_stats_reset(struct vtd_unit *u);

/* Introspection without side effects (no LRU update, no statistics). */
struct vtd_iotlb_view {
	u16 did;
	u64 iova;		/* start of the page */
	u64 phys;		/* start of the physical page */
	u8 level;
	bool read, write;
};
bool vtd_iotlb_probe(const struct vtd_unit *u, u16 did, u64 iova,
		     struct vtd_iotlb_view *out);
u32 vtd_iotlb_count(const struct vtd_unit *u, u32 did);
bool vtd_psc_probe(const struct vtd_unit *u, u16 did, u64 iova,
		   enum vtd_psc_level level, u64 *table_phys);
u32 vtd_psc_count(const struct vtd_unit *u, u32 did, enum vtd_psc_level level);
void vtd_iotlb_for_each(const struct vtd_unit *u,
			void (*fn)(void *ctx, const struct vtd_iotlb_view *e),
			void *ctx);

/* Fault records as the registers hold them, decoded. */
struct vtd_fault {
	u16 sid;
	u8 reason;
	bool read;
	u64 iova;		/* page address (FI) */
};
bool vtd_fault_get(struct vtd_unit *u, unsigned int idx,
		   struct vtd_fault *out);

#endif
