/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The safety oracle. It sees every event that matters for the safety of
 * an unmap (every IOTLB and paging-structure-cache fill and drop, every
 * present page-table entry set or cleared, every device access, every
 * page free, IOVA allocation and sync) and checks the invariants of the
 * design on each one, not only when an attack happens to hit:
 *
 *   S1 no device access reaches a page that is free or was handed to a
 *      different owner since the translation was made;
 *   S2 when a page is freed or reused, no IOTLB entry and no present PTE
 *      of any unit translates to it (PTEs as read from the tables);
 *   S3 an IOVA range is not handed out while an IOTLB entry for it still
 *      exists in that domain on any unit;
 *   S4 a page-table page is not freed while a paging-structure-cache
 *      entry points into it or an entry of a live table links to it;
 *   S5 a sync returns only after the hardware reported completion;
 *   L1 nothing leaks;
 *   F1 the bytes the device wrote are the bytes the driver reads;
 *   W  no kernel WARN fires (a WARN is the kernel's own bug report).
 *
 * It keeps exact reverse counts per frame (IOTLB entries, present PTEs,
 * cache entries pointing into table pages) from the model's observer and
 * from the page-table memory itself (every write to a table page), so
 * each check is O(1) except S3 (one IOTLB probe per page of the range).
 * It also measures the exposure window: how long, in virtual time, a
 * stale translation to a freed page remained usable.
 */
#ifndef XSMMU_ORACLE_H
#define XSMMU_ORACLE_H

#include <stdio.h>
#include <xsmmu/types.h>

struct page;
struct iommu_domain;
struct xs_kworld;
struct xs_oracle;

enum xs_invariant {
	XS_S1,
	XS_S2,
	XS_S3,
	XS_S4,
	XS_S5,
	XS_L1,
	XS_F1,
	XS_W,		/* a kernel WARN (include/linux/bug.h) */
	XS_INV__COUNT
};

struct xs_violation {
	enum xs_invariant inv;
	u64 time;		/* virtual ns */
	unsigned int cpu;
	int unit;		/* -1: none */
	int did;		/* -1: none */
	u64 iova;
	u64 pfn;
	const char *owner;
	char detail[192];
};

struct xs_exposure {
	u64 exposed;		/* pages freed while still translatable */
	u64 closed;		/* ... whose last stale translation is gone */
	u64 open;		/* ... still translatable now */
	u64 total_ns;		/* sum of closed windows */
	u64 max_ns;		/* longest closed window */
};

struct xs_oracle *xs_oracle_create(struct xs_kworld *w);
void xs_oracle_destroy(struct xs_oracle *o);

/*
 * Fatal: a violation is reported and then handed to the BUG handler
 * (tests fail on it). Not fatal: reported once per invariant and
 * counted (measurement of unsafe modes).
 */
void xs_oracle_set_fatal(struct xs_oracle *o, bool fatal);
/* Where reports go (stderr by default); NULL silences them. */
void xs_oracle_set_output(struct xs_oracle *o, FILE *f);
u64 xs_oracle_count(const struct xs_oracle *o, enum xs_invariant inv);
u64 xs_oracle_total(const struct xs_oracle *o);
/* The first violation recorded, or NULL. */
const struct xs_violation *xs_oracle_first(const struct xs_oracle *o);
/* The first violation of inv recorded, or NULL. */
const struct xs_violation *xs_oracle_first_of(const struct xs_oracle *o,
					      enum xs_invariant inv);
/*
 * A test that provokes reports on purpose: the next n reports of inv are
 * expected. They are printed as such, neither counted nor fatal; any
 * beyond n are violations as usual. xs_oracle_expected_left() says how
 * many of them have not happened (a test expecting exactly n checks 0).
 */
void xs_oracle_expect(struct xs_oracle *o, enum xs_invariant inv, u64 n);
u64 xs_oracle_expected_left(const struct xs_oracle *o,
			    enum xs_invariant inv);
void xs_oracle_reset_counts(struct xs_oracle *o);
void xs_oracle_exposure(const struct xs_oracle *o, struct xs_exposure *out);
const char *xs_invariant_name(enum xs_invariant inv);
/* Its short key ("S1", ..., "W"), as tables, CSV and JSON print it. */
const char *xs_invariant_key(enum xs_invariant inv);

/* Events from the kernel world (src/dma_api). */
/*
 * pfn became a page-table page (live) or stops being one (freed): the
 * oracle then reads its entries and watches every write to it.
 */
void xs_oracle_table_page(struct xs_oracle *o, u64 pfn, bool live);
void xs_oracle_page_free(struct xs_oracle *o, struct page *page);
void xs_oracle_page_reuse(struct xs_oracle *o, struct page *page,
			  const char *how);
void xs_oracle_iova_alloc(struct xs_oracle *o, struct iommu_domain *domain,
			  u64 iova, u64 size);
/*
 * A wait descriptor was queued on unit in the slot at desc_phys. The
 * oracle reads the descriptor as the hardware will fetch it: one that is
 * not a wait or does not request the status write is an S5 violation at
 * once (nobody could ever see it complete).
 */
void xs_oracle_wait_issued(struct xs_oracle *o, unsigned int unit,
			   u64 desc_phys);
/*
 * The submitter returns, by any path but a resubmission, with the status
 * word at status_phys: S5 unless that wait's status write happened.
 */
void xs_oracle_wait_returned(struct xs_oracle *o, unsigned int unit,
			     u64 status_phys);
/*
 * The wait at status_phys was aborted (ITE) and the submitter queues it
 * again: forget it without a verdict; the new wait is checked instead.
 */
void xs_oracle_wait_aborted(struct xs_oracle *o, unsigned int unit,
			    u64 status_phys);
void xs_oracle_check_data(struct xs_oracle *o, const char *what,
			  const void *expect, const void *got, size_t len,
			  u64 iova);
/* Reports a violation found by a caller (L1 checks at teardown). */
void xs_oracle_report(struct xs_oracle *o, enum xs_invariant inv, int unit,
		      int did, u64 iova, u64 pfn, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));

/* A device not behind an IOMMU (or in pass-through) touches phys. */
void xs_oracle_direct_access(struct xs_oracle *o, u64 phys, bool write);
/* Observes a VT-d unit (the world does this for each of its units). */
struct vtd_unit;
void xs_oracle_attach_unit(struct xs_oracle *o, struct vtd_unit *u);

/* Host bytes the oracle keeps per simulated frame. */
size_t xs_oracle_bytes_per_frame(void);

/* Reverse counts, for tests. */
u32 xs_oracle_iotlb_refs(const struct xs_oracle *o, u64 pfn);
u32 xs_oracle_pte_refs(const struct xs_oracle *o, u64 pfn);
u32 xs_oracle_psc_refs(const struct xs_oracle *o, u64 pfn);

#endif
