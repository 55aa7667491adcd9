/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared fixture for the VT-d model tests: one unit with queued
 * invalidation and translation enabled, a 256-entry legacy queue, a frame
 * of status words for wait descriptors, and up to VTD_FX_DOMAINS second-level
 * page tables. Every test gets a fresh fixture from its setup and drops it
 * in its teardown, so state never leaks between tests.
 */
#ifndef VTD_FIXTURE_H
#define VTD_FIXTURE_H

#include "xs_test.h"

#include <xsmmu/vtd.h>
#include <xsmmu/vtd_pgtable.h>

#define VTD_FX_FRAMES		(1ULL << 16)
#define VTD_FX_QLEN		256	/* QS = 0: 2^(0+8) entries */
#define VTD_FX_DOMAINS		4

/* Source ids and domain ids the tests use (bus 0, distinct devfns). */
#define FX_SID_A		0x0010
#define FX_SID_B		0x0020
#define FX_SID_C		0x0030
#define FX_DID_A		1
#define FX_DID_B		2
#define FX_DID_C		3

/* Written to status words before a test, so that "unchanged" is visible. */
#define FX_STATUS_INIT		0xdeadbeefU

struct vtd_fx {
	struct xs_params params;
	struct xs_physmem *pm;
	struct xs_clock clk;
	struct vtd_unit_config cfg;
	struct vtd_unit *u;
	u64 iq_phys;		/* base of the invalidation queue */
	u32 tail;		/* next free slot, as software tracks it */
	u64 status_phys;	/* frame of 1024 32-bit status words */
	struct vtd_pgtable pt[VTD_FX_DOMAINS];
	bool pt_live[VTD_FX_DOMAINS];
};

/* Adjusts the config (and parameters) before the unit is created. */
typedef void (*vtd_fx_tweak_fn)(struct vtd_unit_config *cfg,
				struct xs_params *p);

struct vtd_fx *vtd_fx_new(vtd_fx_tweak_fn tweak);
void vtd_fx_free(struct vtd_fx *fx);

/* cmocka setup / teardown around vtd_fx_new(NULL) / vtd_fx_free(). */
int vtd_fx_setup(void **state);
int vtd_fx_teardown(void **state);

/* Page-table allocator callbacks backed by the fixture's physmem. */
u64 vtd_fx_table_alloc(void *ctx);
void vtd_fx_table_release(void *ctx, u64 pfn);

/*
 * Creates page table idx and points the context entry of sid at it with
 * domain id did.
 */
void vtd_fx_domain(struct vtd_fx *fx, unsigned int idx, u16 sid, u16 did);
void vtd_fx_map(struct vtd_fx *fx, unsigned int idx, u64 iova, u64 phys,
		u64 size, u64 prot, u64 pgsize);
/* Translates iova (read) for sid and asserts success; returns the phys. */
u64 vtd_fx_touch(struct vtd_fx *fx, u16 sid, u64 iova);

/* Queue handling. */
void vtd_fx_write_slot(struct vtd_fx *fx, u32 idx, const struct vtd_desc *d);
void vtd_fx_set_tail(struct vtd_fx *fx, u32 idx);
/* Writes n descriptors from the software tail and moves IQT past them. */
void vtd_fx_submit(struct vtd_fx *fx, const struct vtd_desc *d, unsigned int n);
/* A wait descriptor that writes data to status word slot. */
struct vtd_desc vtd_fx_wait(struct vtd_fx *fx, unsigned int slot, u32 data);
u64 vtd_fx_status_addr(struct vtd_fx *fx, unsigned int slot);
u32 vtd_fx_status(struct vtd_fx *fx, unsigned int slot);
void vtd_fx_status_reset(struct vtd_fx *fx, unsigned int slot);
u32 vtd_fx_iqh(struct vtd_fx *fx);
/*
 * Submits the descriptors followed by a wait on status slot 0, drains the
 * queue, and asserts that the wait completed and no queue error was raised:
 * what qi_submit_sync() does.
 */
void vtd_fx_sync(struct vtd_fx *fx, const struct vtd_desc *d, unsigned int n);

/* Shorthands for IOTLB descriptors. */
struct vtd_desc vtd_fx_psi(u16 did, u64 addr, u8 am, bool ih);
struct vtd_desc vtd_fx_dsi(u16 did);
struct vtd_desc vtd_fx_global(void);

bool vtd_fx_cached(struct vtd_fx *fx, u16 did, u64 iova);

#endif
