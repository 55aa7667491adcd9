// SPDX-License-Identifier: GPL-2.0
/*
 * Building and tearing down second-level tables, the driver's side of
 * spec 9.8. Non-leaf entries carry R and W so that the leaf decides the
 * access rights. An unmap unlinks a table only when the range covers the
 * table's whole span (what 5.15's domain_unmap() does): tables that merely
 * became empty stay linked.
 */
#include <errno.h>

#include <xsmmu/vtd_pgtable.h>

static u64 span(int level)
{
	return 1ULL << vtd_level_shift(level);
}

static u64 pte_addr(u64 table, u64 iova, int level)
{
	return table + 8ULL * vtd_level_index(iova, level);
}

static bool present(u64 pte)
{
	return pte & VTD_SL_RW;
}

static int leaf_level(u64 pgsize)
{
	switch (pgsize) {
	case VTD_PG_4K:
		return 1;
	case VTD_PG_2M:
		return 2;
	case VTD_PG_1G:
		return 3;
	}
	return 0;
}

int vtd_pgtable_init(struct vtd_pgtable *pt, struct xs_physmem *pm,
		     vtd_table_alloc_fn alloc, void *alloc_ctx)
{
	u64 pfn = alloc(alloc_ctx);

	if (!pfn)
		return -ENOMEM;
	pt->pm = pm;
	pt->root = pfn << XS_PAGE_SHIFT;
	pt->alloc = alloc;
	pt->alloc_ctx = alloc_ctx;
	pt->nr_tables = 1;
	pt->superpages = false;
	return 0;
}

/* 0 if nothing is mapped at iova at the target level or below it. */
static int slot_free(const struct vtd_pgtable *pt, u64 iova, int target)
{
	u64 table = pt->root, pte;
	int level;

	for (level = 4; level >= target; level--) {
		pte = xs_physmem_read64(pt->pm, pte_addr(table, iova, level));
		if (!present(pte))
			return 0;
		if (level == target || (pte & VTD_SL_PS))
			return -EEXIST;
		table = pte & VTD_SL_ADDR_MASK;
	}
	return 0;
}

/* Address of the entry for iova at the target level, tables created. */
static int walk_create(struct vtd_pgtable *pt, u64 iova, int target,
		       u64 *entry)
{
	u64 table = pt->root, a, pte, pfn;
	int level;

	for (level = 4; level > target; level--) {
		a = pte_addr(table, iova, level);
		pte = xs_physmem_read64(pt->pm, a);
		if (!present(pte)) {
			pfn = pt->alloc(pt->alloc_ctx);
			if (!pfn)
				return -ENOMEM;
			pte = (pfn << XS_PAGE_SHIFT) | VTD_SL_RW;
			xs_physmem_write64(pt->pm, a, pte);
			pt->nr_tables++;
		} else if (pte & VTD_SL_PS) {
			return -EEXIST;
		}
		table = pte & VTD_SL_ADDR_MASK;
	}
	*entry = pte_addr(table, iova, target);
	return 0;
}

static s64 clear_level(struct vtd_pgtable *pt, u64 table, int level, u64 base,
		       u64 start, u64 end, bool dry,
		       vtd_table_release_fn release, void *ctx)
{
	u64 sz = span(level), first, last, a, ea, pte, child;
	s64 bytes = 0, r;

	first = start > base ? start : base;
	last = end < base + span(level + 1) ? end : base + span(level + 1);
	for (a = first & ~(sz - 1); a < last; a += sz) {
		bool covered = a >= start && a + sz <= end;

		ea = pte_addr(table, a, level);
		pte = xs_physmem_read64(pt->pm, ea);
		if (!present(pte))
			continue;
		if (level == 1 || (pte & VTD_SL_PS)) {
			if (!covered)
				return -EINVAL;	/* part of a superpage */
			if (!dry)
				xs_physmem_write64(pt->pm, ea, 0);
			bytes += (s64)sz;
			continue;
		}
		child = pte & VTD_SL_ADDR_MASK;
		r = clear_level(pt, child, level - 1, a, start, end, dry,
				release, ctx);
		if (r < 0)
			return r;
		bytes += r;
		if (!dry && covered && release) {
			xs_physmem_write64(pt->pm, ea, 0);
			pt->nr_tables--;
			release(ctx, child >> XS_PAGE_SHIFT);
		}
	}
	return bytes;
}

s64 vtd_pgtable_unmap(struct vtd_pgtable *pt, u64 iova, u64 size,
		      vtd_table_release_fn release, void *release_ctx)
{
	s64 r;

	if (!size || ((iova | size) & ~XS_PAGE_MASK) ||
	    iova + size > (1ULL << VTD_AGAW_BITS) || iova + size < iova)
		return -EINVAL;
	/*
	 * A dry run first, so a refused unmap changes nothing. Only a
	 * superpage partly covered refuses: without one, skip the walk.
	 */
	if (pt->superpages) {
		r = clear_level(pt, pt->root, 4, 0, iova, iova + size, true,
				NULL, NULL);
		if (r < 0)
			return r;
	}
	return clear_level(pt, pt->root, 4, 0, iova, iova + size, false,
			   release, release_ctx);
}

int vtd_pgtable_map(struct vtd_pgtable *pt, u64 iova, u64 phys, u64 size,
		    u64 prot, u64 pgsize)
{
	int target = leaf_level(pgsize);
	u64 off, entry;
	int r;

	if (!target || !size || ((iova | phys | size) & (pgsize - 1)) ||
	    !(prot & VTD_SL_RW) || (prot & ~VTD_SL_RW) ||
	    iova + size > (1ULL << VTD_AGAW_BITS) || iova + size < iova ||
	    (phys + size) > (1ULL << VTD_HAW))
		return -EINVAL;
	for (off = 0; off < size; off += pgsize)
		if (slot_free(pt, iova + off, target))
			return -EEXIST;
	if (target > 1)
		pt->superpages = true;
	for (off = 0; off < size; off += pgsize) {
		r = walk_create(pt, iova + off, target, &entry);
		if (r) {
			if (off)
				vtd_pgtable_unmap(pt, iova, off, NULL, NULL);
			return r;
		}
		xs_physmem_write64(pt->pm, entry,
				   (phys + off) | prot |
					   (target > 1 ? VTD_SL_PS : 0));
	}
	return 0;
}

int vtd_pgtable_lookup(const struct vtd_pgtable *pt, u64 iova, u64 *phys,
		       u64 *prot, u64 *pgsize)
{
	u64 table = pt->root, pte, perm = VTD_SL_RW, sz;
	int level;

	if (iova >> VTD_AGAW_BITS)
		return -ENOENT;
	for (level = 4; level >= 1; level--) {
		pte = xs_physmem_read64(pt->pm, pte_addr(table, iova, level));
		if (!present(pte))
			return -ENOENT;
		perm &= pte & VTD_SL_RW;
		if (level == 1 || (pte & VTD_SL_PS)) {
			sz = span(level);
			if (phys)
				*phys = (pte & VTD_SL_ADDR_MASK & ~(sz - 1)) |
					(iova & (sz - 1));
			if (prot)
				*prot = perm;
			if (pgsize)
				*pgsize = sz;
			return 0;
		}
		table = pte & VTD_SL_ADDR_MASK;
	}
	return -ENOENT;
}

static void release_tree(struct vtd_pgtable *pt, u64 table, int level,
			 vtd_table_release_fn release, void *ctx)
{
	u64 pte;
	int i;

	if (level > 1) {
		for (i = 0; i < 512; i++) {
			pte = xs_physmem_read64(pt->pm, table + 8ULL * i);
			if (!present(pte) || (pte & VTD_SL_PS))
				continue;
			/* unlinked before it is released, as in an unmap */
			xs_physmem_write64(pt->pm, table + 8ULL * i, 0);
			release_tree(pt, pte & VTD_SL_ADDR_MASK, level - 1,
				     release, ctx);
		}
	}
	pt->nr_tables--;
	if (release)
		release(ctx, table >> XS_PAGE_SHIFT);
}

void vtd_pgtable_destroy(struct vtd_pgtable *pt, vtd_table_release_fn release,
			 void *release_ctx)
{
	if (!pt->root)
		return;
	release_tree(pt, pt->root, 4, release, release_ctx);
	pt->root = 0;
}
