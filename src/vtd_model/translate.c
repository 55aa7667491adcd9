// SPDX-License-Identifier: GPL-2.0
/*
 * Second-level translation of device requests (spec 3.7 and 9.8): IOTLB
 * first, then a walk that starts below the deepest paging-structure-cache
 * hit, reading one entry per remaining level from simulated memory.
 * Access rights are the AND of R/W over every level; an entry with
 * R = W = 0 is not present.
 */
#include "vtd_internal.h"
#include <xsmmu/model_lock.h>

static int fault(struct vtd_unit *u, u16 sid, u64 iova, u8 reason,
		 bool write)
{
	vtd_fault_record(u, sid, iova, reason, !write);
	return reason;
}

/*
 * Reserved bits of a second-level entry (spec 9.8): address bits above
 * the host address width; PS where the level has no large page; in a
 * leaf, SNP when ECAP.SC is clear (this unit never reports SC), TM when
 * ECAP.DT is clear, and the address bits below a large page's size.
 */
static bool rsvd_bits(const struct vtd_unit *u, u64 pte, int level)
{
	bool leaf = level == 1 || (pte & VTD_SL_PS);

	if (pte & VTD_SL_RSVD_ADDR)
		return true;
	if (leaf && (pte & VTD_SL_RW)) {
		if (pte & VTD_SL_SNP)
			return true;
		if (!u->cfg.dev_tlb && (pte & VTD_SL_TM))
			return true;
	}
	if (!(pte & VTD_SL_PS) || level == 1)
		return false;	/* bit 7 of a 4 KiB PTE is ignored */
	if (level == 4)
		return true;
	if (level == 3 && !u->cfg.sp_1g)
		return true;
	if (level == 2 && !u->cfg.sp_2m)
		return true;
	return !!(pte & XS_GENMASK(vtd_level_shift(level) - 1, 12));
}

static int check_perm(struct vtd_unit *u, u16 sid, u64 iova, u8 perm,
		      bool write)
{
	if (write && !(perm & VTD_SL_W))
		return fault(u, sid, iova, VTD_FR_WRITE, write);
	if (!write && !(perm & VTD_SL_R))
		return fault(u, sid, iova, VTD_FR_READ, write);
	return 0;
}

/* The walk after an IOTLB miss; fills the caches it passes through. */
static int walk(struct vtd_unit *u, u16 sid, u16 did, u64 root, u64 iova,
		bool write, struct vtd_xlate *xl)
{
	u64 table = root, pte = 0;
	u8 perm = VTD_SL_RW;
	int level = 4, lvl;
	u8 reads = 0;

	for (lvl = VTD_PSC_PDE; lvl <= VTD_PSC_PML4E; lvl++) {
		struct vtd_psc_entry *e = vtd_psc_lookup(u, lvl, did, iova);

		if (e) {
			table = e->table;
			perm = e->perm;
			level = lvl + 1;
			break;
		}
	}
	u->stats.walks++;
	for (;; level--) {
		pte = xs_physmem_read64(u->pm,
					table + 8ULL * vtd_level_index(iova,
								       level));
		reads++;
		if (rsvd_bits(u, pte, level)) {
			u->stats.walk_reads += reads;
			return fault(u, sid, iova, VTD_FR_SL_RSVD, write);
		}
		if (!(pte & VTD_SL_RW))
			break;
		perm &= (u8)(pte & VTD_SL_RW);
		if (level == 1 || (pte & VTD_SL_PS))
			break;
		table = pte & VTD_SL_ADDR_MASK;
		vtd_psc_insert(u, (enum vtd_psc_level)(level - 2), did, iova,
			       table, perm);
	}
	u->stats.walk_reads += reads;
	xl->walk_reads = reads;
	vtd_trace(u, vtd_now(u), XS_TR_WALK, did, iova, reads);
	if (!(pte & VTD_SL_RW))
		return fault(u, sid, iova, write ? VTD_FR_WRITE : VTD_FR_READ,
			     write);
	xl->level = (u8)level;
	xl->phys = (pte & VTD_SL_ADDR_MASK &
		    ~((1ULL << vtd_level_shift(level)) - 1)) |
		   (iova & ((1ULL << vtd_level_shift(level)) - 1));
	xl->writable = !!(perm & VTD_SL_W);
	xl->map_gen = xs_physmem_generation(u->pm, xl->phys >> XS_PAGE_SHIFT);
	vtd_iotlb_insert(u, did, iova, xl->phys, (u8)level, perm);
	return check_perm(u, sid, iova, perm, write);
}

static int untranslated(struct vtd_unit *u, u64 iova, struct vtd_xlate *xl)
{
	xl->phys = iova;
	xl->level = 0;
	xl->writable = true;
	xl->map_gen = xs_physmem_generation(u->pm, iova >> XS_PAGE_SHIFT);
	return 0;
}

int vtd_translate(struct vtd_unit *u, u16 sid, u64 iova, bool write,
		  struct vtd_xlate *xl)
{
	XS_MODEL_GUARD();
	const struct vtd_context *c = &u->ctx[sid];
	struct vtd_iotlb_entry *e;

	xl->iotlb_hit = false;
	xl->walk_reads = 0;
	xl->did = c->did;
	/* Translation disabled, or a pass-through context: untranslated. */
	if (!(u->gsts & VTD_GSTS_TES))
		return untranslated(u, iova, xl);
	if (!c->present)
		return fault(u, sid, iova, VTD_FR_CTX_NOT_PRESENT, write);
	if (c->passthrough)
		return untranslated(u, iova, xl);
	if (iova >> VTD_AGAW_BITS)
		return fault(u, sid, iova, VTD_FR_ADDR_BEYOND_AW, write);
	e = vtd_iotlb_lookup(u, c->did, iova);
	if (e) {
		u->stats.iotlb_hits++;
		xl->iotlb_hit = true;
		xl->level = e->level;
		xl->phys = e->phys |
			   (iova & ((1ULL << vtd_level_shift(e->level)) - 1));
		xl->writable = !!(e->perm & VTD_SL_W);
		xl->map_gen = e->gen;
		return check_perm(u, sid, iova, e->perm, write);
	}
	u->stats.iotlb_misses++;
	return walk(u, sid, c->did, c->slpt, iova, write, xl);
}

int vtd_dma(struct vtd_unit *u, u16 sid, u64 iova, void *buf, size_t len,
	    bool write)
{
	XS_MODEL_GUARD();
	struct vtd_xlate xl;
	u8 *p = buf;
	int r;

	vtd_unit_run(u);
	while (len) {
		size_t n = XS_PAGE_SIZE - (iova & ~XS_PAGE_MASK);

		if (n > len)
			n = len;
		r = vtd_translate(u, sid, iova, write, &xl);
		if (r)
			return r;
		if (write)
			xs_physmem_write(u->pm, xl.phys, p, n);
		else
			xs_physmem_read(u->pm, xl.phys, p, n);
		vtd_trace(u, vtd_now(u), XS_TR_DMA, sid, iova,
			  xl.phys | write);
		if (u->obs.dma)
			u->obs.dma(u->obs.ctx, u, sid, xl.did, iova, xl.phys,
				   (u32)n, write, xl.map_gen);
		p += n;
		iova += n;
		len -= n;
	}
	return 0;
}
