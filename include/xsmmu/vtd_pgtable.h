/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Software side of second-level page tables (spec 9.8): what a driver does
 * to build and tear down the 4-level tables the unit walks. Tables live in
 * simulated physical memory; table pages come from the owner's allocator,
 * and tables that an unmap detaches are handed back to the owner, not
 * freed, so that the owner frees them only after the invalidation (S4).
 */
#ifndef XSMMU_VTD_PGTABLE_H
#define XSMMU_VTD_PGTABLE_H

#include <xsmmu/physmem.h>
#include <xsmmu/types.h>
#include <xsmmu/vtd_regs.h>

#define VTD_PG_4K	(1ULL << 12)
#define VTD_PG_2M	(1ULL << 21)
#define VTD_PG_1G	(1ULL << 30)

/* Returns the pfn of a zeroed frame for a table, or 0. */
typedef u64 (*vtd_table_alloc_fn)(void *ctx);
/* Receives a table page that is no longer linked into the tree. */
typedef void (*vtd_table_release_fn)(void *ctx, u64 pfn);

struct vtd_pgtable {
	struct xs_physmem *pm;
	u64 root;		/* physical address of the PML4 table */
	vtd_table_alloc_fn alloc;
	void *alloc_ctx;
	u64 nr_tables;		/* linked into the tree, root included */
	bool superpages;	/* a 2M or 1G leaf was ever mapped */
};

int vtd_pgtable_init(struct vtd_pgtable *pt, struct xs_physmem *pm,
		     vtd_table_alloc_fn alloc, void *alloc_ctx);
/*
 * Maps [iova, iova + size) to [phys, ...) with pages of pgsize (4K, 2M or
 * 1G); prot is VTD_SL_R and/or VTD_SL_W. Returns 0, -EINVAL (misaligned,
 * bad size or prot, beyond the 48-bit address width), -EEXIST (something
 * is mapped there already: nothing is changed) or -ENOMEM.
 */
int vtd_pgtable_map(struct vtd_pgtable *pt, u64 iova, u64 phys, u64 size,
		    u64 prot, u64 pgsize);
/*
 * Clears the leaf entries in [iova, iova + size) (4 KiB aligned). A
 * superpage must be unmapped whole (-EINVAL otherwise, nothing changed).
 * Every table whose whole span lies inside the range is unlinked from its
 * parent and passed to release; the root is never released. Returns the
 * bytes that were mapped and are now unmapped, or a negative errno.
 */
s64 vtd_pgtable_unmap(struct vtd_pgtable *pt, u64 iova, u64 size,
		      vtd_table_release_fn release, void *release_ctx);
/* Software walk: 0 and the leaf's phys/prot/size, or -ENOENT. */
int vtd_pgtable_lookup(const struct vtd_pgtable *pt, u64 iova, u64 *phys,
		       u64 *prot, u64 *pgsize);
/* Unlinks and releases every table, root included (teardown). */
void vtd_pgtable_destroy(struct vtd_pgtable *pt, vtd_table_release_fn release,
			 void *release_ctx);

#endif
