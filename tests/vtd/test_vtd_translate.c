// SPDX-License-Identifier: GPL-2.0
/*
 * Translation of device requests, the caches a walk fills, their capacity
 * and replacement, fault recording, and the software page-table helpers.
 */
#include <errno.h>
#include <string.h>

#include "vtd_fixture.h"

#define IOVA0		0x40000000ULL
#define PHYS0		0x01000000ULL

static u32 fsts(struct vtd_fx *fx)
{
	return vtd_reg_read32(fx->u, VTD_REG_FSTS);
}

static u64 frcd_hi(struct vtd_fx *fx, unsigned int i)
{
	return vtd_reg_read64(fx->u, VTD_FRCD_REG_BASE + 16 * i + 8);
}

static u64 frcd_lo(struct vtd_fx *fx, unsigned int i)
{
	return vtd_reg_read64(fx->u, VTD_FRCD_REG_BASE + 16 * i);
}

static void clear_frcd(struct vtd_fx *fx, unsigned int i)
{
	vtd_reg_write64(fx->u, VTD_FRCD_REG_BASE + 16 * i + 8,
			VTD_FRCD_HI_F);
}

/* A read-only page: reads translate, a write faults with reason 5. */
static void test_xlate_write_to_read_only(void **state)
{
	struct vtd_fx *fx = *state;
	struct vtd_xlate xl;
	u64 hi;

	vtd_fx_domain(fx, 0, FX_SID_A, FX_DID_A);
	vtd_fx_map(fx, 0, IOVA0, PHYS0, VTD_PG_4K, VTD_SL_R, VTD_PG_4K);
	assert_int_equal(vtd_translate(fx->u, FX_SID_A, IOVA0 + 0x123, false,
				       &xl), 0);
	assert_int_equal(xl.phys, PHYS0 + 0x123);
	assert_false(xl.writable);
	assert_int_equal(fsts(fx) & VTD_FSTS_PPF, 0);

	/* The IOTLB now holds the entry: the hit path must refuse too. */
	assert_int_equal(vtd_translate(fx->u, FX_SID_A, IOVA0 + 0x456, true,
				       &xl), VTD_FR_WRITE);
	assert_true(fsts(fx) & VTD_FSTS_PPF);
	assert_int_equal(VTD_FSTS_FRI(fsts(fx)), 1);
	hi = frcd_hi(fx, 0);
	assert_true(hi & VTD_FRCD_HI_F);
	assert_false(hi & VTD_FRCD_HI_T);	/* a write request */
	assert_int_equal(VTD_FRCD_HI_FR(hi), VTD_FR_WRITE);
	assert_int_equal(VTD_FRCD_HI_SID(hi), FX_SID_A);
	assert_int_equal(frcd_lo(fx, 0), IOVA0);
	assert_int_equal(vtd_stats(fx->u)->faults, 1);
}

/* Not present: reason 6 for a read (T = 1), 5 for a write (spec 7.1.3). */
static void test_xlate_not_present(void **state)
{
	struct vtd_fx *fx = *state;
	struct vtd_xlate xl;
	struct vtd_fault f;

	vtd_fx_domain(fx, 0, FX_SID_B, FX_DID_B);
	vtd_fx_map(fx, 0, IOVA0, PHYS0, VTD_PG_4K, VTD_SL_RW, VTD_PG_4K);
	assert_int_equal(vtd_translate(fx->u, FX_SID_B, IOVA0 + 0x1008, false,
				       &xl), VTD_FR_READ);
	assert_int_equal(vtd_translate(fx->u, FX_SID_B, 0x7000000000ULL, true,
				       &xl), VTD_FR_WRITE);
	assert_true(vtd_fault_get(fx->u, 0, &f));
	assert_int_equal(f.sid, FX_SID_B);
	assert_int_equal(f.reason, VTD_FR_READ);
	assert_true(f.read);
	assert_int_equal(f.iova, IOVA0 + 0x1000);
	assert_true(vtd_fault_get(fx->u, 1, &f));
	assert_int_equal(f.reason, VTD_FR_WRITE);
	assert_false(f.read);
	assert_int_equal(f.iova, 0x7000000000ULL);
	/* A fault never fills the IOTLB. */
	assert_false(vtd_fx_cached(fx, FX_DID_B, IOVA0 + 0x1000));
}

/* Context not present (reason 2) and an address beyond AGAW (reason 4). */
static void test_xlate_context_and_width(void **state)
{
	struct vtd_fx *fx = *state;
	struct vtd_xlate xl;
	struct vtd_fault f;

	assert_int_equal(vtd_translate(fx->u, FX_SID_C, IOVA0, false, &xl),
			 VTD_FR_CTX_NOT_PRESENT);
	vtd_fx_domain(fx, 0, FX_SID_C, FX_DID_C);
	vtd_fx_map(fx, 0, IOVA0, PHYS0, VTD_PG_4K, VTD_SL_RW, VTD_PG_4K);
	assert_int_equal(vtd_translate(fx->u, FX_SID_C, 1ULL << 48, false,
				       &xl), VTD_FR_ADDR_BEYOND_AW);
	assert_true(vtd_fault_get(fx->u, 0, &f));
	assert_int_equal(f.reason, VTD_FR_CTX_NOT_PRESENT);
	assert_true(vtd_fault_get(fx->u, 1, &f));
	assert_int_equal(f.reason, VTD_FR_ADDR_BEYOND_AW);

	vtd_fx_touch(fx, FX_SID_C, IOVA0);
	vtd_context_clear(fx->u, FX_SID_C);
	assert_int_equal(vtd_translate(fx->u, FX_SID_C, IOVA0, false, &xl),
			 VTD_FR_CTX_NOT_PRESENT);
}

/* A reserved address bit in a paging entry: reason 0xC. */
static void test_xlate_reserved_bit(void **state)
{
	struct vtd_fx *fx = *state;
	struct vtd_xlate xl;
	u64 pte_addr, phys, prot, pgsz;

	vtd_fx_domain(fx, 0, FX_SID_A, FX_DID_A);
	vtd_fx_map(fx, 0, IOVA0, PHYS0, VTD_PG_4K, VTD_SL_RW, VTD_PG_4K);
	assert_int_equal(vtd_pgtable_lookup(&fx->pt[0], IOVA0, &phys, &prot,
					    &pgsz), 0);
	/* Corrupt the PML4 entry: a bit above the host address width. */
	pte_addr = fx->pt[0].root + 8ULL * vtd_level_index(IOVA0, 4);
	xs_physmem_write64(fx->pm, pte_addr,
			   xs_physmem_read64(fx->pm, pte_addr) |
			   XS_BIT(VTD_HAW));
	assert_int_equal(vtd_translate(fx->u, FX_SID_A, IOVA0, false, &xl),
			 VTD_FR_SL_RSVD);
	assert_false(vtd_fx_cached(fx, FX_DID_A, IOVA0));
}

/* 2 MiB and 1 GiB superpages translate with the offset inside the page. */
static void test_xlate_superpages(void **state)
{
	struct vtd_fx *fx = *state;
	struct vtd_xlate xl;
	struct vtd_iotlb_view v;

	vtd_fx_domain(fx, 0, FX_SID_A, FX_DID_A);
	vtd_fx_map(fx, 0, 0x200000ULL, 0x400000ULL, VTD_PG_2M, VTD_SL_RW,
		   VTD_PG_2M);
	vtd_fx_map(fx, 0, 0x80000000ULL, 0x40000000ULL, VTD_PG_1G, VTD_SL_R,
		   VTD_PG_1G);
	assert_int_equal(vtd_translate(fx->u, FX_SID_A, 0x3abcdeULL, true,
				       &xl), 0);
	assert_int_equal(xl.phys, 0x5abcdeULL);
	assert_int_equal(xl.level, 2);
	assert_int_equal(xl.walk_reads, 3);
	assert_int_equal(vtd_translate(fx->u, FX_SID_A, 0x8123456fULL, false,
				       &xl), 0);
	assert_int_equal(xl.phys, 0x4123456fULL);
	assert_int_equal(xl.level, 3);
	/* One IOTLB entry covers the whole superpage. */
	assert_true(vtd_iotlb_probe(fx->u, FX_DID_A, 0xbfffffffULL, &v));
	assert_int_equal(v.level, 3);
	assert_int_equal(v.iova, 0x80000000ULL);
	assert_int_equal(v.phys, 0x40000000ULL);
	assert_false(v.write);
	assert_int_equal(vtd_translate(fx->u, FX_SID_A, 0x90000000ULL, false,
				       &xl), 0);
	assert_true(xl.iotlb_hit);
}

/*
 * Walk cost: a cold walk reads 4 entries; the same page hits the IOTLB;
 * a neighbour in the same page table reads only its PTE (PDE cache hit);
 * a page 2 MiB away reads PDE and PTE (PDPE cache hit).
 */
static void test_xlate_walk_uses_psc(void **state)
{
	struct vtd_fx *fx = *state;
	struct vtd_xlate xl;
	const struct vtd_stats *st = vtd_stats(fx->u);

	vtd_fx_domain(fx, 0, FX_SID_A, FX_DID_A);
	vtd_fx_map(fx, 0, IOVA0, PHYS0, 4 * VTD_PG_2M, VTD_SL_RW, VTD_PG_4K);
	assert_int_equal(vtd_translate(fx->u, FX_SID_A, IOVA0, false, &xl),
			 0);
	assert_int_equal(xl.walk_reads, 4);
	assert_false(xl.iotlb_hit);
	assert_int_equal(vtd_translate(fx->u, FX_SID_A, IOVA0 + 8, false,
				       &xl), 0);
	assert_true(xl.iotlb_hit);
	assert_int_equal(xl.walk_reads, 0);
	assert_int_equal(vtd_translate(fx->u, FX_SID_A, IOVA0 + 0x1000, false,
				       &xl), 0);
	assert_int_equal(xl.walk_reads, 1);
	assert_int_equal(xl.phys, PHYS0 + 0x1000);
	assert_int_equal(vtd_translate(fx->u, FX_SID_A, IOVA0 + VTD_PG_2M,
				       false, &xl), 0);
	assert_int_equal(xl.walk_reads, 2);
	assert_int_equal(st->walk_reads, 7);
	assert_int_equal(st->iotlb_hits, 1);
	assert_int_equal(st->iotlb_misses, 3);
	assert_int_equal(vtd_psc_count(fx->u, FX_DID_A, VTD_PSC_PDE), 2);
	assert_int_equal(vtd_psc_count(fx->u, FX_DID_A, VTD_PSC_PDPE), 1);
	assert_int_equal(vtd_psc_count(fx->u, FX_DID_A, VTD_PSC_PML4E), 1);
}

/* A DMA crossing pages lands in each page's frame; a fault stops it. */
static void test_dma_crosses_pages(void **state)
{
	struct vtd_fx *fx = *state;
	u8 buf[3 * 4096], back[3 * 4096];
	u64 f[3];
	unsigned int i;

	for (i = 0; i < 3; i++)
		f[i] = xs_physmem_alloc_frame(fx->pm) << XS_PAGE_SHIFT;
	vtd_fx_domain(fx, 0, FX_SID_A, FX_DID_A);
	/* Three IOVA-contiguous pages on scattered frames, last read-only. */
	vtd_fx_map(fx, 0, IOVA0, f[2], VTD_PG_4K, VTD_SL_RW, VTD_PG_4K);
	vtd_fx_map(fx, 0, IOVA0 + 0x1000, f[0], VTD_PG_4K, VTD_SL_RW,
		   VTD_PG_4K);
	vtd_fx_map(fx, 0, IOVA0 + 0x2000, f[1], VTD_PG_4K, VTD_SL_R,
		   VTD_PG_4K);
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (u8)(i * 7 + 1);
	assert_int_equal(vtd_dma(fx->u, FX_SID_A, IOVA0 + 0x800, buf, 0x1000,
				 true), 0);
	assert_int_equal(xs_physmem_read(fx->pm, f[2] + 0x800, back, 0x800),
			 0);
	assert_memory_equal(back, buf, 0x800);
	assert_int_equal(xs_physmem_read(fx->pm, f[0], back, 0x800), 0);
	assert_memory_equal(back, buf + 0x800, 0x800);

	/* Into the read-only page: the first part lands, then a fault. */
	memset(back, 0, sizeof(back));
	assert_int_equal(vtd_dma(fx->u, FX_SID_A, IOVA0 + 0x1c00, buf, 0x800,
				 true), VTD_FR_WRITE);
	assert_int_equal(xs_physmem_read(fx->pm, f[0] + 0xc00, back, 0x400),
			 0);
	assert_memory_equal(back, buf, 0x400);
	assert_int_equal(xs_physmem_read(fx->pm, f[1], back, 0x400), 0);
	for (i = 0; i < 0x400; i++)
		assert_int_equal(back[i], 0);

	/* Reading crosses the same way. */
	assert_int_equal(vtd_dma(fx->u, FX_SID_A, IOVA0 + 0x800, back, 0x1000,
				 false), 0);
	assert_memory_equal(back, buf, 0x1000);
}

static void tweak_small_iotlb(struct vtd_unit_config *cfg,
			      struct xs_params *p)
{
	cfg->iotlb_entries = 8;
	cfg->iotlb_ways = 8;		/* one fully associative set */
	cfg->psc_entries[VTD_PSC_PDE] = 2;
}

static int setup_small_iotlb(void **state)
{
	*state = vtd_fx_new(tweak_small_iotlb);
	return *state ? 0 : -1;
}

/* Capacity is honoured and the least recently used entry goes first. */
static void test_iotlb_capacity_lru(void **state)
{
	struct vtd_fx *fx = *state;
	const struct vtd_stats *st = vtd_stats(fx->u);
	unsigned int i;

	vtd_fx_domain(fx, 0, FX_SID_A, FX_DID_A);
	vtd_fx_map(fx, 0, IOVA0, PHYS0, 64 * VTD_PG_4K, VTD_SL_RW, VTD_PG_4K);
	for (i = 0; i < 8; i++)
		vtd_fx_touch(fx, FX_SID_A, IOVA0 + i * 0x1000ULL);
	assert_int_equal(vtd_iotlb_count(fx->u, VTD_ANY_DID), 8);
	assert_int_equal(st->iotlb_evictions, 0);
	/* Page 0 becomes most recent; page 8 must evict page 1. */
	vtd_fx_touch(fx, FX_SID_A, IOVA0);
	vtd_fx_touch(fx, FX_SID_A, IOVA0 + 8 * 0x1000ULL);
	assert_int_equal(vtd_iotlb_count(fx->u, VTD_ANY_DID), 8);
	assert_int_equal(st->iotlb_evictions, 1);
	assert_true(vtd_fx_cached(fx, FX_DID_A, IOVA0));
	assert_false(vtd_fx_cached(fx, FX_DID_A, IOVA0 + 0x1000));
	assert_true(vtd_fx_cached(fx, FX_DID_A, IOVA0 + 8 * 0x1000ULL));
	for (i = 9; i < 64; i++)
		vtd_fx_touch(fx, FX_SID_A, IOVA0 + i * 0x1000ULL);
	assert_int_equal(vtd_iotlb_count(fx->u, VTD_ANY_DID), 8);
	assert_int_equal(st->iotlb_evictions, st->iotlb_fills - 8);
}

/* The PDE cache holds two tables at most; a third evicts the oldest. */
static void test_psc_capacity(void **state)
{
	struct vtd_fx *fx = *state;
	struct vtd_xlate xl;
	u64 t;

	vtd_fx_domain(fx, 0, FX_SID_A, FX_DID_A);
	vtd_fx_map(fx, 0, IOVA0, PHYS0, 3 * VTD_PG_2M, VTD_SL_RW, VTD_PG_4K);
	vtd_fx_touch(fx, FX_SID_A, IOVA0);
	vtd_fx_touch(fx, FX_SID_A, IOVA0 + VTD_PG_2M);
	assert_int_equal(vtd_psc_count(fx->u, FX_DID_A, VTD_PSC_PDE), 2);
	vtd_fx_touch(fx, FX_SID_A, IOVA0 + 2 * VTD_PG_2M);
	assert_int_equal(vtd_psc_count(fx->u, FX_DID_A, VTD_PSC_PDE), 2);
	assert_int_equal(vtd_stats(fx->u)->psc_evictions[VTD_PSC_PDE], 1);
	assert_false(vtd_psc_probe(fx->u, FX_DID_A, IOVA0, VTD_PSC_PDE, &t));
	/* The evicted table is walked again from the PDPE cache. */
	assert_int_equal(vtd_translate(fx->u, FX_SID_A, IOVA0 + 0x5000, false,
				       &xl), 0);
	assert_int_equal(xl.walk_reads, 2);
}

/* After a domain-selective flush every page misses and walks again. */
static void test_dsi_refill_misses(void **state)
{
	struct vtd_fx *fx = *state;
	const struct vtd_stats *st = vtd_stats(fx->u);
	struct vtd_desc d = vtd_fx_dsi(FX_DID_A);
	u64 misses, reads;
	unsigned int i;

	vtd_fx_domain(fx, 0, FX_SID_A, FX_DID_A);
	vtd_fx_map(fx, 0, IOVA0, PHYS0, 32 * VTD_PG_4K, VTD_SL_RW, VTD_PG_4K);
	for (i = 0; i < 32; i++)
		vtd_fx_touch(fx, FX_SID_A, IOVA0 + i * 0x1000ULL);
	for (i = 0; i < 32; i++)
		vtd_fx_touch(fx, FX_SID_A, IOVA0 + i * 0x1000ULL);
	assert_int_equal(st->iotlb_hits, 32);
	misses = st->iotlb_misses;
	reads = st->walk_reads;
	vtd_fx_sync(fx, &d, 1);
	assert_int_equal(vtd_iotlb_count(fx->u, FX_DID_A), 0);
	assert_int_equal(vtd_psc_count(fx->u, FX_DID_A, VTD_PSC_PDE), 0);
	for (i = 0; i < 32; i++)
		vtd_fx_touch(fx, FX_SID_A, IOVA0 + i * 0x1000ULL);
	assert_int_equal(st->iotlb_hits, 32);
	assert_int_equal(st->iotlb_misses - misses, 32);
	/* First refill walks all 4 levels, the rest hit the PDE cache. */
	assert_int_equal(st->walk_reads - reads, 4 + 31);
	assert_int_equal(st->iotlb_dropped[VTD_GRAN_DSI], 32);
}

static void tweak_two_frcd(struct vtd_unit_config *cfg, struct xs_params *p)
{
	cfg->nfr = 2;
}

static int setup_two_frcd(void **state)
{
	*state = vtd_fx_new(tweak_two_frcd);
	return *state ? 0 : -1;
}

/* Fault recording is a ring: full ring = PFO and a lost fault. */
static void test_fault_overflow(void **state)
{
	struct vtd_fx *fx = *state;
	struct vtd_xlate xl;

	vtd_fx_domain(fx, 0, FX_SID_A, FX_DID_A);
	vtd_translate(fx->u, FX_SID_A, 0x1000, false, &xl);
	vtd_translate(fx->u, FX_SID_A, 0x2000, false, &xl);
	assert_int_equal(VTD_FSTS_FRI(fsts(fx)), 0);
	assert_false(fsts(fx) & VTD_FSTS_PFO);
	vtd_translate(fx->u, FX_SID_A, 0x3000, false, &xl);
	assert_true(fsts(fx) & VTD_FSTS_PFO);
	assert_int_equal(vtd_stats(fx->u)->faults_lost, 1);
	assert_int_equal(frcd_lo(fx, 0), 0x1000);

	/* Software clears F of record 0; the next fault lands there. */
	clear_frcd(fx, 0);
	vtd_reg_write32(fx->u, VTD_REG_FSTS, (u32)VTD_FSTS_PFO);
	assert_false(fsts(fx) & VTD_FSTS_PFO);
	assert_true(fsts(fx) & VTD_FSTS_PPF);	/* record 1 still pending */
	vtd_translate(fx->u, FX_SID_A, 0x4000, true, &xl);
	assert_int_equal(frcd_lo(fx, 0), 0x4000);
	assert_int_equal(VTD_FRCD_HI_FR(frcd_hi(fx, 0)), VTD_FR_WRITE);
	clear_frcd(fx, 0);
	clear_frcd(fx, 1);
	assert_false(fsts(fx) & VTD_FSTS_PPF);
}

/* With translation disabled, requests are untranslated (pass-through). */
static void test_xlate_disabled(void **state)
{
	struct vtd_fx *fx = *state;
	struct vtd_xlate xl;

	vtd_reg_write32(fx->u, VTD_REG_GCMD, (u32)VTD_GCMD_QIE);
	assert_false(vtd_reg_read32(fx->u, VTD_REG_GSTS) & VTD_GSTS_TES);
	assert_int_equal(vtd_translate(fx->u, FX_SID_C, 0x1234567, true, &xl),
			 0);
	assert_int_equal(xl.phys, 0x1234567);
	assert_int_equal(vtd_stats(fx->u)->faults, 0);
}

struct release_log {
	struct vtd_fx *fx;
	unsigned int n;
	u64 pfn[8];
};

static void log_release(void *ctx, u64 pfn)
{
	struct release_log *l = ctx;

	if (l->n < 8)
		l->pfn[l->n] = pfn;
	l->n++;
	xs_physmem_free_frame(l->fx->pm, pfn);
}

/*
 * Page tables: overlapping maps are refused whole, a partial unmap keeps
 * the table, unmapping a table's whole span hands the table back.
 */
static void test_pgtable_map_unmap(void **state)
{
	struct vtd_fx *fx = *state;
	struct vtd_pgtable *pt;
	struct release_log log = { .fx = fx };
	u64 phys, prot, pgsz, tables;

	vtd_fx_domain(fx, 0, FX_SID_A, FX_DID_A);
	pt = &fx->pt[0];
	assert_int_equal(pt->nr_tables, 1);
	vtd_fx_map(fx, 0, IOVA0, PHYS0, VTD_PG_2M, VTD_SL_RW, VTD_PG_4K);
	assert_int_equal(pt->nr_tables, 4);
	tables = xs_physmem_frames_in_use(fx->pm);

	assert_int_equal(vtd_pgtable_map(pt, IOVA0 + 0x5000, 0x9000, 0x3000,
					 VTD_SL_RW, VTD_PG_4K), -EEXIST);
	assert_int_equal(vtd_pgtable_map(pt, IOVA0 + 0x10, 0, 0x1000,
					 VTD_SL_RW, VTD_PG_4K), -EINVAL);
	assert_int_equal(vtd_pgtable_map(pt, IOVA0, 0, VTD_PG_4K, 0,
					 VTD_PG_4K), -EINVAL);
	assert_int_equal(vtd_pgtable_map(pt, 1ULL << 48, 0, VTD_PG_4K,
					 VTD_SL_R, VTD_PG_4K), -EINVAL);
	assert_int_equal(xs_physmem_frames_in_use(fx->pm), tables);

	assert_int_equal(vtd_pgtable_unmap(pt, IOVA0, 0x3000, log_release,
					   &log), 0x3000);
	assert_int_equal(log.n, 0);
	assert_int_equal(vtd_pgtable_lookup(pt, IOVA0 + 0x2000, &phys, &prot,
					    &pgsz), -ENOENT);
	assert_int_equal(vtd_pgtable_lookup(pt, IOVA0 + 0x3000, &phys, &prot,
					    &pgsz), 0);
	assert_int_equal(phys, PHYS0 + 0x3000);
	assert_int_equal(prot, VTD_SL_RW);
	assert_int_equal(pgsz, VTD_PG_4K);

	/* The whole 2 MiB span: its page table is unlinked and handed back. */
	assert_int_equal(vtd_pgtable_unmap(pt, IOVA0, VTD_PG_2M, log_release,
					   &log), VTD_PG_2M - 0x3000);
	assert_int_equal(log.n, 1);
	assert_int_equal(pt->nr_tables, 3);
	assert_int_equal(vtd_pgtable_unmap(pt, IOVA0, VTD_PG_2M, log_release,
					   &log), 0);

	/* A superpage cannot be split by an unmap. */
	vtd_fx_map(fx, 0, 2 * VTD_PG_2M, PHYS0, VTD_PG_2M, VTD_SL_R,
		   VTD_PG_2M);
	assert_int_equal(vtd_pgtable_unmap(pt, 2 * VTD_PG_2M, 0x1000,
					   log_release, &log), -EINVAL);
	assert_int_equal(vtd_pgtable_lookup(pt, 2 * VTD_PG_2M + 0x1000, &phys,
					    &prot, &pgsz), 0);
	assert_int_equal(pgsz, VTD_PG_2M);
	assert_int_equal(vtd_pgtable_unmap(pt, 2 * VTD_PG_2M, VTD_PG_2M,
					   log_release, &log), VTD_PG_2M);
}


/* Address of the entry of level for iova in table idx (software walk). */
static u64 entry_addr(struct vtd_fx *fx, unsigned int idx, u64 iova,
		      int level)
{
	u64 table = fx->pt[idx].root;
	int l;

	for (l = 4; l > level; l--)
		table = xs_physmem_read64(fx->pm, table + 8ULL *
					  vtd_level_index(iova, l)) &
			VTD_SL_ADDR_MASK;
	return table + 8ULL * vtd_level_index(iova, level);
}

static void set_bits(struct vtd_fx *fx, u64 addr, u64 bits)
{
	xs_physmem_write64(fx->pm, addr, xs_physmem_read64(fx->pm, addr) |
			   bits);
}

/*
 * SNP in a leaf is reserved on a unit without ECAP.SC (this model never
 * reports SC): reason 0xC, nothing cached. Found by xsmmu-vtd-diff
 * (QEMU's intel-iommu faults, the model used to ignore the bit).
 */
static void test_xlate_leaf_snp_reserved(void **state)
{
	struct vtd_fx *fx = *state;
	struct vtd_xlate xl;

	assert_false(vtd_reg_read64(fx->u, VTD_REG_ECAP) & XS_BIT(7));
	vtd_fx_domain(fx, 0, FX_SID_A, FX_DID_A);
	vtd_fx_map(fx, 0, IOVA0, PHYS0, VTD_PG_4K, VTD_SL_RW, VTD_PG_4K);
	set_bits(fx, entry_addr(fx, 0, IOVA0, 1), VTD_SL_SNP);
	assert_int_equal(vtd_translate(fx->u, FX_SID_A, IOVA0, false, &xl),
			 VTD_FR_SL_RSVD);
	assert_false(vtd_fx_cached(fx, FX_DID_A, IOVA0));
	/* TM is defined with a device TLB (this fixture has DT). */
	vtd_fx_map(fx, 0, IOVA0 + 0x1000, PHYS0, VTD_PG_4K, VTD_SL_RW,
		   VTD_PG_4K);
	set_bits(fx, entry_addr(fx, 0, IOVA0 + 0x1000, 1), VTD_SL_TM);
	assert_int_equal(vtd_translate(fx->u, FX_SID_A, IOVA0 + 0x1000, false,
				       &xl), 0);
}

static void tweak_no_dt(struct vtd_unit_config *cfg, struct xs_params *p)
{
	cfg->dev_tlb = false;
}

static int setup_no_dt(void **state)
{
	*state = vtd_fx_new(tweak_no_dt);
	return *state ? 0 : -1;
}

/* Without ECAP.DT a leaf's TM bit is reserved. Found by xsmmu-vtd-diff. */
static void test_xlate_leaf_tm_reserved_without_dt(void **state)
{
	struct vtd_fx *fx = *state;
	struct vtd_xlate xl;

	assert_false(vtd_reg_read64(fx->u, VTD_REG_ECAP) & VTD_ECAP_DT);
	vtd_fx_domain(fx, 0, FX_SID_A, FX_DID_A);
	vtd_fx_map(fx, 0, IOVA0, PHYS0, VTD_PG_4K, VTD_SL_RW, VTD_PG_4K);
	set_bits(fx, entry_addr(fx, 0, IOVA0, 1), VTD_SL_TM);
	assert_int_equal(vtd_translate(fx->u, FX_SID_A, IOVA0, true, &xl),
			 VTD_FR_SL_RSVD);
}

/*
 * The address bits below a large page's size are reserved in the large
 * page entry (a 2 MiB PDE's bits 20:12). Found by xsmmu-vtd-diff.
 */
static void test_xlate_superpage_low_bits_reserved(void **state)
{
	struct vtd_fx *fx = *state;
	struct vtd_xlate xl;

	vtd_fx_domain(fx, 0, FX_SID_A, FX_DID_A);
	vtd_fx_map(fx, 0, 0x200000ULL, 0x400000ULL, VTD_PG_2M, VTD_SL_RW,
		   VTD_PG_2M);
	assert_int_equal(vtd_translate(fx->u, FX_SID_A, 0x201000ULL, false,
				       &xl), 0);
	vtd_fx_sync(fx, (struct vtd_desc[]){ vtd_fx_dsi(FX_DID_A) }, 1);
	set_bits(fx, entry_addr(fx, 0, 0x200000ULL, 2), XS_BIT(12));
	assert_int_equal(vtd_translate(fx->u, FX_SID_A, 0x201000ULL, false,
				       &xl), VTD_FR_SL_RSVD);
}

static void tweak_no_psc(struct vtd_unit_config *cfg, struct xs_params *p)
{
	unsigned int i;

	for (i = 0; i < VTD_PSC_LEVELS; i++)
		cfg->psc_entries[i] = 0;
}

static int setup_no_psc(void **state)
{
	*state = vtd_fx_new(tweak_no_psc);
	return *state ? 0 : -1;
}

/*
 * A unit without paging-structure caches (psc_entries 0, QEMU's
 * configuration): every walk reads all 4 levels, and a changed non-leaf
 * entry is seen by the next walk without any invalidation.
 */
static void test_psc_disabled(void **state)
{
	struct vtd_fx *fx = *state;
	struct vtd_xlate xl;
	u64 pde, old;

	vtd_fx_domain(fx, 0, FX_SID_A, FX_DID_A);
	vtd_fx_map(fx, 0, IOVA0, PHYS0, 2 * VTD_PG_4K, VTD_SL_RW, VTD_PG_4K);
	vtd_fx_map(fx, 0, IOVA0 + VTD_PG_2M, PHYS0 + 0x10000, VTD_PG_4K,
		   VTD_SL_RW, VTD_PG_4K);
	assert_int_equal(vtd_translate(fx->u, FX_SID_A, IOVA0, false, &xl),
			 0);
	assert_int_equal(xl.walk_reads, 4);
	assert_int_equal(vtd_psc_count(fx->u, VTD_ANY_DID, VTD_PSC_PDE), 0);
	assert_int_equal(vtd_psc_count(fx->u, VTD_ANY_DID, VTD_PSC_PDPE), 0);
	/* Point IOVA0's PDE at the page table of the next 2 MiB block. */
	pde = entry_addr(fx, 0, IOVA0, 2);
	old = xs_physmem_read64(fx->pm, pde);
	xs_physmem_write64(fx->pm, pde, xs_physmem_read64(fx->pm,
			   entry_addr(fx, 0, IOVA0 + VTD_PG_2M, 2)));
	assert_int_equal(vtd_translate(fx->u, FX_SID_A, IOVA0 + 0x1000, false,
				       &xl), VTD_FR_READ);
	assert_int_equal(xl.walk_reads, 4);
	xs_physmem_write64(fx->pm, pde, old);
	assert_int_equal(vtd_translate(fx->u, FX_SID_A, IOVA0 + 0x1000, false,
				       &xl), 0);
	assert_int_equal(xl.walk_reads, 4);
}

#define T(f) cmocka_unit_test_setup_teardown(f, vtd_fx_setup, vtd_fx_teardown)

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		T(test_xlate_write_to_read_only),
		T(test_xlate_not_present),
		T(test_xlate_context_and_width),
		T(test_xlate_reserved_bit),
		T(test_xlate_superpages),
		T(test_xlate_walk_uses_psc),
		T(test_dma_crosses_pages),
		cmocka_unit_test_setup_teardown(test_iotlb_capacity_lru,
						setup_small_iotlb,
						vtd_fx_teardown),
		cmocka_unit_test_setup_teardown(test_psc_capacity,
						setup_small_iotlb,
						vtd_fx_teardown),
		T(test_dsi_refill_misses),
		cmocka_unit_test_setup_teardown(test_fault_overflow,
						setup_two_frcd,
						vtd_fx_teardown),
		T(test_xlate_disabled),
		T(test_pgtable_map_unmap),
		T(test_xlate_leaf_snp_reserved),
		cmocka_unit_test_setup_teardown(
			test_xlate_leaf_tm_reserved_without_dt, setup_no_dt,
			vtd_fx_teardown),
		T(test_xlate_superpage_low_bits_reserved),
		cmocka_unit_test_setup_teardown(test_psc_disabled,
						setup_no_psc,
						vtd_fx_teardown),
	};

	return XS_RUN_GROUP("vtd_translate", tests);
}
