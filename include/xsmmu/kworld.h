/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel world in userspace: one simulated machine (clock, memory,
 * VT-d units, CPUs) with the kernel state that 5.15 keeps in globals (the
 * page allocator, the IOMMU units, boot parameters). There is one current
 * world at a time, as there is one kernel; tests create and destroy one
 * per case.
 */
#ifndef XSMMU_KWORLD_H
#define XSMMU_KWORLD_H

#include <stdio.h>
#include <xsmmu/clock.h>
#include <xsmmu/params.h>
#include <xsmmu/physmem.h>
#include <xsmmu/trace.h>
#include <xsmmu/types.h>

struct device;
struct iommu_domain;
struct iommu_ops;
struct page;
struct timer_list;
struct vtd_unit;
struct vtd_unit_config;
struct xs_oracle;

struct xs_kworld_config {
	unsigned int nr_units;		/* VT-d units (0: no IOMMU at all) */
	unsigned int nr_cpus;
	u64 phys_frames;		/* simulated memory, 4 KiB frames */
	u32 trace_records;		/* trace ring size */
	u64 seed;
	bool queued_invalidation;	/* false: register-based flushes */
	/*
	 * Kernel command line, applied over the defaults at creation as at
	 * boot ("iommu.strict=1", "iommu.xsmmu=1"). NULL: defaults only.
	 */
	const char *cmdline;
	const struct xs_params *params;	/* NULL: the defaults */
	/*
	 * Units that differ (NULL: all alike): called for each unit with
	 * its configuration from the parameters, to change it.
	 */
	void (*unit_config)(unsigned int unit, struct vtd_unit_config *ucfg);
	/* Units (bit n: unit n) driven by register-based flushes only. */
	u32 no_qi_units;
	/*
	 * Simulated CPUs on real threads: the model lock serializes the
	 * simulated hardware and core kernel, tracing is off, and runs are
	 * not deterministic.
	 */
	bool threaded;
};

struct xs_kworld {
	struct xs_params params;
	struct xs_clock clock;
	struct xs_trace trace;
	struct xs_physmem *pm;
	struct page *pages;		/* one per frame */
	u64 nr_frames;
	u64 pages_dirty;	/* pfn_to_page() went no higher than this */
	struct xs_oracle *oracle;
	unsigned int nr_units;
	struct vtd_unit *units[8];
	u64 seed;
	long kmalloc_base;		/* kmalloc objects before the world */
	struct timer_list *timers;	/* pending, unsorted */
	/* Page allocator counts, by enum xs_page_kind. */
	u64 pages_out[3];
	u64 pages_allocated;		/* ever */
	u64 pages_freed;		/* ever */
	u64 dma_api_errors;		/* misuse reported by dma-debug */
	struct xs_kworld *next_abandoned;	/* see xs_kworld_abandon() */
};

extern struct xs_kworld *xs_kw;

void xs_kworld_default_config(struct xs_kworld_config *cfg);
/* Creates the world and makes it current. NULL on failure (message). */
struct xs_kworld *xs_kworld_create(const struct xs_kworld_config *cfg);
/*
 * Checks L1 (everything handed out was returned: pages, table pages,
 * IOVAs of live domains are the caller's to free first) and destroys.
 * Returns the number of leaks reported.
 */
u64 xs_kworld_destroy(struct xs_kworld *w);
/*
 * After a fatal report (a BUG handler that left by longjmp) the world is
 * in no state to be torn down: kernel code may hold its spinlocks and
 * model state may be half updated. Forgets it instead, without running
 * kernel code or taking any lock: releases the model lock if the calling
 * thread holds it, clears the current world and the global kernel state
 * so a new world can boot, and leaks the old one's memory on purpose.
 * Threads still running in it are the caller's problem (the failing test
 * process is about to exit).
 */
void xs_kworld_abandon(struct xs_kworld *w);
/* Advances the virtual clock by ns, running timers as they expire. */
void xs_kworld_advance(struct xs_kworld *w, u64 ns);
/* Runs the timers whose expiry has passed. */
void xs_kworld_run_timers(struct xs_kworld *w);
u64 xs_kworld_now(const struct xs_kworld *w);

/*
 * Devices. unit < 0: not behind an IOMMU (dma-direct). The device gets a
 * default DMA domain of domain_type (IOMMU_DOMAIN_DMA: strict,
 * IOMMU_DOMAIN_DMA_FQ: lazy, IOMMU_DOMAIN_IDENTITY: passthrough) unless
 * it joins an existing domain with xs_device_join().
 */
struct device *xs_device_create(const char *name, u16 sid, int unit,
				unsigned int domain_type);
/*
 * The IOMMU driver ops new DMA domains get (NULL: the Intel driver's).
 * Tests use it for a driver without the batched-sync op.
 */
void xs_kworld_set_domain_ops(const struct iommu_ops *ops);
/* Moves dev into the DMA domain of other (they then share IOVAs). */
int xs_device_join(struct device *dev, struct device *other);
/*
 * A device made straight into the DMA domain of other, which may be
 * behind another unit (the domain then gets an id on this unit too):
 * xs_device_create() and xs_device_join() without the default domain
 * that the join would throw away. NULL if other has no DMA domain.
 */
struct device *xs_device_create_in(const char *name, u16 sid, int unit,
				   struct device *other);
/* Enables ATS on the device: flushes then cover its device-TLB. */
void xs_device_enable_ats(struct device *dev, u16 qdep);
/* Detaches and frees; the domain goes with its last device. */
void xs_device_destroy(struct device *dev);

/*
 * The device reaches memory: through its IOMMU unit when it has one and
 * is not in pass-through, else directly (checked by the oracle either
 * way). Returns 0, a VT-d fault reason, or -EFAULT for no memory there.
 */
int xs_device_dma(struct device *dev, u64 addr, void *buf, size_t len,
		  bool write);
/* Live DMA mappings of the device (dma-debug). */
unsigned long xs_device_live_mappings(struct device *dev);
/*
 * Whether a live DMA mapping of the device covers any byte of the IOVA
 * (or, without an IOMMU, bus address) page that holds addr: false means
 * the driver has taken the whole page back, and a device access there is
 * a stale one. In a DMA domain shared with other devices, a page another
 * device's driver has mapped there since counts as live too (the IOVA is
 * the domain's, and it is someone's buffer now).
 */
bool xs_device_iova_page_live(struct device *dev, u64 addr);
/*
 * The batch of the device's DMA domain (iommu.xsmmu): the unmaps it holds
 * and how many it can hold before it syncs itself; 0 and 0 without one.
 */
void xs_device_batch_state(struct device *dev, unsigned int *held,
			   unsigned int *size);
/* Trace kinds of the kernel world (after XS_TR_SW_BASE). */
enum xs_kw_trace_kind {
	XS_TR_KW_MAP = 64,	/* a0 = dev sid, a1 = iova, a2 = phys */
	XS_TR_KW_UNMAP,		/* a0 = dev sid, a1 = iova, a2 = size */
	XS_TR_KW_SYNC,		/* a0 = unit, a1 = did, a2 = gran */
	XS_TR_KW_PAGE_FREE,	/* a0 = pfn, a1 = kind */
	XS_TR_KW_IOVA_ALLOC,	/* a0 = did, a1 = iova, a2 = size */
	XS_TR_KW_IOVA_FREE,	/* a0 = did, a1 = iova, a2 = size */
	XS_TR_KW_FQ_FLUSH,	/* a0 = reason (0 full, 1 timer, 2 teardown) */
	XS_TR_KW_VIOLATION,	/* a0 = invariant, a1 = pfn, a2 = iova */
};

#endif
