// SPDX-License-Identifier: GPL-2.0
/*
 * One scenario on one side: the software (this file) builds tables and
 * queues descriptors exactly as the scenario says, the device makes its
 * DMAs, and every register or memory word software reads is recorded as
 * the step's observation. The same software runs against each side; the
 * observations are then compared step by step.
 *
 * Each side starts every scenario from the same state: unit reset, queue
 * at 0, caches flushed, the data pages holding their pattern words, three
 * page tables holding only the staging pages, the context entry pointing
 * at table 0 with domain id 1.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xsmmu/vtd_desc.h>
#include <xsmmu/vtd_regs.h>

#include "run.h"

const char *const known_diff_names[KD__COUNT] = {
	[KD_IQERCD] = "iqercd-not-implemented",
	[KD_CONTEXT] = "context-change-before-invalidation",
	[KD_IOTLB_FULL] = "iotlb-flush-when-full",
	[KD_PSI_WIDE] = "psi-mask-8-bits",
	[KD_IQE_RESUME] = "iqe-clear-does-not-resume",
	[KD_DESC_ACCEPT] = "unsupported-types-accepted",
	[KD_WAIT_NOP] = "wait-without-sw-if-rejected",
	[KD_IQT_RSVD] = "iqt-reserved-bits-ignored",
	[KD_HAW] = "host-address-width",
	[KD_FAULT_ORDER] = "fault-reason-order",
	[KD_PERM_HIT] = "denied-iotlb-hit-not-recorded",
	[KD_DENIED_FILL] = "denied-walk-cached",
};

const u64 dma_offsets[NR_OFFS] = { 0x0, 0x8, 0x800, 0xff8 };

#define QLEN		256
#define MAX_DIRTY	4096
#define SEEN_SLOTS	4096	/* distinct translations (open addressing) */

struct dma_obs {
	bool fault;
	bool read;
	u8 fr;
	u16 sid;
	u64 fi;
	u32 fsts;
};

struct obs {
	bool queue, dma;
	u64 iqh, iqt, iqer;
	u32 fsts, ics;
	u32 status_mask;
	u32 status[STATUS_SLOTS];
	struct dma_obs f[2];
	unsigned int nhits;
	u64 hits[4];
	u64 val;
	unsigned int tgt;	/* which of f is the access at the IOVA */
	bool expect_failed;
	char expect_why[160];
};

/* What the software knows and what the known-difference rules track. */
struct soft {
	u64 root[NR_DOMS];
	u64 next_table;
	u32 tail;
	u64 iqh;
	struct vtd_desc slot[QLEN];
	u32 status_mask;
	u64 tag;
	int ctx_dom;
	u16 ctx_did;
	bool cc_pending;	/* context changed, no CC invalidation yet */
	u64 old_dids;		/* dids whose IOTLB entries may be tagged by sid */
	bool old_dids_any;	/* an old did beyond 63 */
	u64 seen[SEEN_SLOTS];		/* hash set of (did, gfn) + 1 */
	u64 seen_list[SEEN_SLOTS];
	unsigned int nseen;
	/* (did, gfn) + 1 that QEMU's PSI dropped beyond the spec's range. */
	u64 wide[SEEN_SLOTS];
	unsigned int nwide;
	/* (did, gfn) + 1 whose last access was denied (fault 5/6). */
	u64 denied[SEEN_SLOTS];
	unsigned int ndenied;
	struct obs *last_dma;
	bool iqe;		/* FSTS.IQE at the last look */
	u32 iqt;		/* IQT index at the last look */
	bool haw_bits;		/* an entry with address bits 47:46 written */
	bool rsvd_written;	/* an entry with a reserved bit written */
	bool resume_pending;	/* IQE cleared, no IQT write since */
	bool dt;		/* ECAP.DT */
};

#define SHADOW_WORDS	((G_TABLES_END - G_TABLES) / 8)

struct runner {
	struct hw *hw;
	/* What software wrote in the table pages (it never reads them back). */
	u64 shadow[SHADOW_WORDS];
	u64 dirty[MAX_DIRTY];
	unsigned int ndirty;
	bool patterned;
	struct soft sw;
};

struct runner *runner_create(struct hw *hw)
{
	struct runner *r = calloc(1, sizeof(*r));

	if (r)
		r->hw = hw;
	return r;
}

void runner_destroy(struct runner *r)
{
	free(r);
}

#define H(r)	((r)->hw)
#define CALL(r, fn, ...)	((r)->hw->fn((r)->hw->ctx, ##__VA_ARGS__))

/* Every address a DMA at a data offset can land on. */
static unsigned int candidates(u64 off, u64 *out)
{
	unsigned int n = 0, k;

	for (k = 0; k < DATA_PAGES; k++) {
		out[n++] = G_DATA + k * XS_PAGE_SIZE + off;
		out[n++] = G_SUPER + k * XS_PAGE_SIZE + off;
	}
	return n;
}

static void pattern_all(struct runner *r)
{
	u64 c[2 * DATA_PAGES];
	unsigned int i, j, n;

	for (j = 0; j < NR_OFFS; j++) {
		n = candidates(dma_offsets[j], c);
		for (i = 0; i < n; i++)
			CALL(r, mem_w64, c[i], PATTERN_TAG | c[i]);
	}
	r->patterned = true;
}

static void mark_dirty(struct runner *r, u64 phys)
{
	if (r->ndirty < MAX_DIRTY)
		r->dirty[r->ndirty++] = phys;
	else
		r->patterned = false;
}

static u64 pte_slot(u64 table, u64 iova, int level)
{
	return table + 8ULL * vtd_level_index(iova, level);
}

static u64 table_read(struct runner *r, u64 phys)
{
	return r->shadow[(phys - G_TABLES) / 8];
}

static void table_write(struct runner *r, u64 phys, u64 val)
{
	r->shadow[(phys - G_TABLES) / 8] = val;
	CALL(r, mem_w64, phys, val);
}

static bool is_table_ptr(u64 e, int level)
{
	u64 a = e & VTD_SL_ADDR_MASK;

	if (!(e & VTD_SL_RW) || (level < 4 && (e & VTD_SL_PS)))
		return false;
	return a >= G_TABLES && a < G_TABLES_END && !(e & ~(a | 0xfffULL));
}

/* Software's page-table update: tables above LEVEL made as needed. */
static void write_pte(struct runner *r, int dom, int level, u64 iova, u64 val)
{
	struct soft *s = &r->sw;
	u64 table = s->root[dom], e;
	int l;

	for (l = 4; l > level; l--) {
		e = table_read(r, pte_slot(table, iova, l));
		if (!is_table_ptr(e, l)) {
			if (s->next_table >= G_TABLES_END)
				return;
			e = s->next_table | VTD_SL_RW;
			s->next_table += XS_PAGE_SIZE;
			table_write(r, pte_slot(table, iova, l), e);
		}
		table = e & VTD_SL_ADDR_MASK;
	}
	table_write(r, pte_slot(table, iova, level), val);
}

static void set_ctx(struct runner *r, int dom, u16 did)
{
	struct soft *s = &r->sw;

	if (s->ctx_dom >= 0) {
		if (s->ctx_did < 64)
			s->old_dids |= 1ULL << s->ctx_did;
		else
			s->old_dids_any = true;
	}
	if (dom != s->ctx_dom || did != s->ctx_did)
		s->cc_pending = true;
	s->ctx_dom = dom;
	s->ctx_did = did;
	CALL(r, set_context, dom >= 0 ? s->root[dom] : 0, did);
}

static void put_desc(struct runner *r, u32 slot, u64 qw0, u64 qw1)
{
	struct soft *s = &r->sw;

	slot %= QLEN;
	s->slot[slot].qw0 = qw0;
	s->slot[slot].qw1 = qw1;
	CALL(r, mem_w64, G_IQ + slot * 16ULL, qw0);
	CALL(r, mem_w64, G_IQ + slot * 16ULL + 8, qw1);
	if ((qw0 & 0xf) == VTD_DESC_WAIT && qw1 >= G_STATUS &&
	    qw1 < G_STATUS + 4 * STATUS_SLOTS)
		s->status_mask |= 1U << ((qw1 - G_STATUS) / 4);
}

/*
 * Back to the common starting state. QEMU disables QI only with the queue
 * empty and a wait descriptor last (its last_type check), so the queue is
 * first emptied (tail := head, IQE cleared), a flush ending in a wait is
 * run, and only then are QI and translation turned off (IQH back to 0).
 */
static void reset_side(struct runner *r)
{
	struct soft *s = &r->sw;
	unsigned int i, d;
	u32 h;

	CALL(r, reset);
	h = (u32)((CALL(r, reg_r64, VTD_REG_IQH) & VTD_IQ_INDEX_MASK) >>
		  VTD_IQ_SHIFT_128) % QLEN;
	CALL(r, reg_w64, VTD_REG_IQT, (u64)h << VTD_IQ_SHIFT_128);
	CALL(r, reg_w32, VTD_REG_FSTS, 0x7f);
	put_desc(r, h, vtd_desc_cc(VTD_CC_GLOBAL, 0, 0, 0).qw0, 0);
	put_desc(r, h + 1, vtd_desc_iotlb(VTD_IOTLB_GLOBAL, 0, 0, 0, false,
					  false, false).qw0, 0);
	put_desc(r, h + 2, vtd_desc_wait(true, false, false, 0,
					 G_STATUS + 56).qw0, G_STATUS + 56);
	CALL(r, reg_w64, VTD_REG_IQT, (u64)((h + 3) % QLEN) <<
		VTD_IQ_SHIFT_128);
	CALL(r, reg_w32, VTD_REG_FSTS, 0x7f);
	CALL(r, reg_w32, H(r)->frcd + 12, 0x80000000U);
	CALL(r, reg_w32, VTD_REG_ICS, 1);
	CALL(r, reg_w32, VTD_REG_GCMD, 0);

	CALL(r, mem_zero, G_CTX, G_STAGE_OUT + XS_PAGE_SIZE - G_CTX);
	CALL(r, mem_zero, G_TABLES, G_TABLES_END - G_TABLES);
	memset(r->shadow, 0, sizeof(r->shadow));
	if (!r->patterned) {
		pattern_all(r);
	} else {
		for (i = 0; i < r->ndirty; i++)
			CALL(r, mem_w64, r->dirty[i],
			     PATTERN_TAG | r->dirty[i]);
	}
	r->ndirty = 0;
	memset(s, 0, sizeof(*s));
	CALL(r, mem_w64, G_ROOT, G_CTX | 1);
	s->next_table = G_TABLES;
	for (d = 0; d < NR_DOMS; d++) {
		s->root[d] = s->next_table;
		s->next_table += XS_PAGE_SIZE;
		write_pte(r, (int)d, 1, IOVA_STAGE_IN, G_STAGE_IN | VTD_SL_RW);
		write_pte(r, (int)d, 1, IOVA_STAGE_OUT,
			  G_STAGE_OUT | VTD_SL_RW);
	}
	s->ctx_dom = 0;
	s->ctx_did = 1;
	CALL(r, set_context, s->root[0], 1);
	CALL(r, reg_w64, VTD_REG_RTADDR, G_ROOT);
	CALL(r, reg_w32, VTD_REG_GCMD, (u32)VTD_GCMD_SRTP);
	CALL(r, reg_w64, VTD_REG_IQA, G_IQ);
	CALL(r, reg_w64, VTD_REG_IQT, 0);
	CALL(r, reg_w32, VTD_REG_GCMD, (u32)VTD_GCMD_QIE);
	CALL(r, reg_w32, VTD_REG_GCMD, (u32)(VTD_GCMD_QIE | VTD_GCMD_TE));
	s->tag = WRITE_TAG;
	s->dt = !!(CALL(r, reg_r64, VTD_REG_ECAP) & VTD_ECAP_DT);
}

#define KEY_DID(k)	((u16)(((k) - 1) >> 40))
#define KEY_GFN(k)	(((k) - 1) & XS_GENMASK(39, 0))

/*
 * QEMU 7.2's page-selective IOTLB invalidation keeps the address mask in
 * 8 bits: an entry goes when its page number matches the descriptor's on
 * the low 8 bits under the mask (all of them from AM 8 up), or when the
 * entry is a large page holding ADDR. Spec 6.5.2.3 drops the entries of
 * the 2^AM-page block only; hardware may drop more, so an entry QEMU
 * drops beyond the block is a known difference until the domain is
 * flushed.
 */
/* The key of a 2 MiB entry of did at gfn (bit 39 tells it apart). */
static u64 key_2m(u16 did, u64 gfn)
{
	return ((u64)did << 40 | (gfn & ~0x1ffULL) | XS_BIT(39)) + 1;
}

static bool qemu_psi_drops(u64 egfn, u64 emask, u64 addr, unsigned int am)
{
	u8 m8 = (u8)~((1U << am) - 1);

	return (egfn & m8) == ((addr >> 12) & m8) ||
	       egfn == (addr & emask) >> 12;
}

static void wide_add(struct soft *s, u64 key)
{
	unsigned int i;

	for (i = 0; i < s->nwide; i++)
		if (s->wide[i] == key)
			return;
	if (s->nwide < SEEN_SLOTS)
		s->wide[s->nwide++] = key;
}

static bool wide_has(const struct soft *s, u64 key)
{
	unsigned int i;

	for (i = 0; i < s->nwide; i++)
		if (s->wide[i] == key)
			return true;
	return false;
}

static void denied_add(struct soft *s, u64 key)
{
	unsigned int i;

	for (i = 0; i < s->ndenied; i++)
		if (s->denied[i] == key)
			return;
	if (s->ndenied < SEEN_SLOTS)
		s->denied[s->ndenied++] = key;
}

/* A denied page of did in the 2 MiB block of gfn (or gfn itself). */
static bool denied_near(const struct soft *s, u16 did, u64 gfn)
{
	unsigned int i;

	for (i = 0; i < s->ndenied; i++)
		if (KEY_DID(s->denied[i]) == did &&
		    (KEY_GFN(s->denied[i]) & ~0x1ffULL) == (gfn & ~0x1ffULL))
			return true;
	return false;
}

/* Drops the denied pages of did in [start, end) (page numbers). */
static void denied_drop(struct soft *s, u16 did, u64 start, u64 end)
{
	unsigned int i = 0;

	while (i < s->ndenied) {
		u64 g = KEY_GFN(s->denied[i]);

		if (KEY_DID(s->denied[i]) == did && g >= start && g < end)
			s->denied[i] = s->denied[--s->ndenied];
		else
			i++;
	}
}

static void wide_drop_domain(struct soft *s, u16 did)
{
	unsigned int i = 0;

	while (i < s->nwide)
		if (KEY_DID(s->wide[i]) == did)
			s->wide[i] = s->wide[--s->nwide];
		else
			i++;
}

static void wide_psi(struct soft *s, u16 did, u64 qw1)
{
	unsigned int am = (unsigned int)(qw1 & 0x3f), i;
	u64 addr = qw1 & XS_GENMASK(63, 12), start, end;

	if (am > 63)
		return;
	start = (addr >> 12) & ~((1ULL << am) - 1);
	end = start + (1ULL << am);
	for (i = 0; i < s->nseen; i++) {
		u64 key = s->seen_list[i], gfn = KEY_GFN(key);
		bool q4k, q2m, spec;

		if (KEY_DID(key) != did)
			continue;
		/* The page may be held by a 4 KiB or a 2 MiB entry. */
		q4k = qemu_psi_drops(gfn, ~0xfffULL, addr, am);
		spec = gfn >= start && gfn < end;
		if (q4k && !spec)
			wide_add(s, key);
		gfn &= ~0x1ffULL;
		q2m = qemu_psi_drops(gfn, ~0x1fffffULL, addr, am);
		spec = gfn < end && gfn + 512 > start;
		if (q2m && !spec)
			wide_add(s, key_2m(did, gfn));
	}
}

static bool seen_has(const struct soft *s, u64 key)
{
	u64 h = key * 0x9e3779b97f4a7c15ULL;
	unsigned int i = (unsigned int)(h >> 52) % SEEN_SLOTS, n;

	for (n = 0; n < SEEN_SLOTS && s->seen[i]; n++, i = (i + 1) % SEEN_SLOTS)
		if (s->seen[i] == key)
			return true;
	return false;
}

/* A page of the 2 MiB block translated before (a large entry holds all). */
static bool seen_any_in_2m(const struct soft *s, u16 did, u64 gfn)
{
	unsigned int i;

	for (i = 0; i < s->nseen; i++)
		if (KEY_DID(s->seen_list[i]) == did &&
		    (KEY_GFN(s->seen_list[i]) & ~0x1ffULL) == (gfn & ~0x1ffULL))
			return true;
	return false;
}

/* Descriptors the unit went past since the last look take effect. */
static void track_done(struct runner *r, u64 iqh_reg)
{
	struct soft *s = &r->sw;
	u32 h = (u32)((iqh_reg & VTD_IQ_INDEX_MASK) >> VTD_IQ_SHIFT_128) %
		QLEN;
	u32 i = (u32)s->iqh;

	for (; i != h; i = (i + 1) % QLEN) {
		u64 q0 = s->slot[i].qw0;
		unsigned int g = (unsigned int)XS_FIELD_GET(q0, 5, 4);
		u16 did = (u16)XS_FIELD_GET(q0, 31, 16);
		u16 sid = (u16)XS_FIELD_GET(q0, 47, 32);

		if ((q0 & 0xf) == VTD_DESC_CC &&
		    (g == VTD_CC_GLOBAL ||
		     (g == VTD_CC_DOMAIN && (did == s->ctx_did ||
					     (did < 64 &&
					      (s->old_dids >> did & 1)))) ||
		     (g == VTD_CC_DEVICE && sid == EDU_SID)))
			s->cc_pending = false;
		if ((q0 & 0xf) == VTD_DESC_IOTLB && g == VTD_IOTLB_GLOBAL) {
			s->old_dids = 0;
			s->old_dids_any = false;
			memset(s->seen, 0, sizeof(s->seen));
			s->nseen = 0;
			s->nwide = 0;
			s->ndenied = 0;
		}
		if ((q0 & 0xf) == VTD_DESC_IOTLB && g == VTD_IOTLB_DSI) {
			if (did < 64)
				s->old_dids &= ~(1ULL << did);
			wide_drop_domain(s, did);
			denied_drop(s, did, 0, ~0ULL);
		}
		if ((q0 & 0xf) == VTD_DESC_IOTLB && g == VTD_IOTLB_PSI) {
			u64 q1 = s->slot[i].qw1, am = q1 & 0x3f;
			u64 st = (q1 >> 12) & ~((1ULL << am) - 1);

			wide_psi(s, did, q1);
			/*
			 * Pages of the block only: a denied page held by a
			 * 2 MiB entry the block overlaps stays marked (the
			 * mask is then wider than it need be, never
			 * narrower).
			 */
			denied_drop(s, did, st, st + (1ULL << am));
		}
	}
	s->iqh = h;
}

static void observe_queue(struct runner *r, struct obs *o)
{
	static const u32 off[] = { VTD_REG_IQH, VTD_REG_IQT, VTD_REG_FSTS,
				   VTD_REG_IQER, VTD_REG_ICS };
	static const u8 size[] = { 8, 8, 4, 8, 4 };
	struct soft *s = &r->sw;
	u64 v[5], sa[STATUS_SLOTS / 2], sv[STATUS_SLOTS / 2];
	unsigned int i;

	o->queue = true;
	CALL(r, reg_r_n, off, size, v, 5);
	o->iqh = v[0];
	o->iqt = v[1];
	o->fsts = (u32)v[2];
	o->iqer = v[3];
	o->ics = (u32)v[4];
	o->status_mask = s->status_mask;
	if (s->status_mask) {
		for (i = 0; i < STATUS_SLOTS / 2; i++)
			sa[i] = G_STATUS + 8ULL * i;
		CALL(r, mem_r64_n, sa, sv, STATUS_SLOTS / 2);
		for (i = 0; i < STATUS_SLOTS; i++)
			if (s->status_mask >> i & 1)
				o->status[i] = (u32)(sv[i / 2] >>
						     (32 * (i & 1)));
	}
	s->iqe = !!(o->fsts & VTD_FSTS_IQE);
	s->iqt = (u32)((o->iqt & VTD_IQ_INDEX_MASK) >> VTD_IQ_SHIFT_128);
	track_done(r, o->iqh);
}

/* Reads and clears the fault record (one FRCD on both sides). */
static void observe_fault(struct runner *r, struct dma_obs *f)
{
	u32 off[] = { VTD_REG_FSTS, H(r)->frcd + 8, H(r)->frcd };
	static const u8 size[] = { 4, 8, 8 };
	u64 v[3];

	memset(f, 0, sizeof(*f));
	CALL(r, reg_r_n, off, size, v, 3);
	f->fsts = (u32)v[0];
	if (v[1] & VTD_FRCD_HI_F) {
		f->fault = true;
		f->fr = (u8)VTD_FRCD_HI_FR(v[1]);
		f->sid = (u16)VTD_FRCD_HI_SID(v[1]);
		f->read = !!(v[1] & VTD_FRCD_HI_T);
		f->fi = v[2] & VTD_FRCD_LO_FI_MASK;
		CALL(r, reg_w32, H(r)->frcd + 12, 0x80000000U);
	}
	if (f->fsts & VTD_FSTS_PFO)
		CALL(r, reg_w32, VTD_REG_FSTS, VTD_FSTS_PFO);
	r->sw.iqe = !!(f->fsts & VTD_FSTS_IQE);
}

/* A translation the device used: counts towards QEMU's 1024 entries. */
static void seen(struct runner *r, u64 iova)
{
	struct soft *s = &r->sw;
	u64 key = ((u64)s->ctx_did << 40 | iova >> 12) + 1;
	u64 h = key * 0x9e3779b97f4a7c15ULL;
	unsigned int i = (unsigned int)(h >> 52) % SEEN_SLOTS, n;

	for (n = 0; n < SEEN_SLOTS; n++, i = (i + 1) % SEEN_SLOTS) {
		if (s->seen[i] == key)
			return;
		if (!s->seen[i]) {
			s->seen[i] = key;
			s->seen_list[s->nseen++] = key;
			return;
		}
	}
}

static void dma_write(struct runner *r, u64 iova, struct obs *o)
{
	struct soft *s = &r->sw;
	u64 c[2 * DATA_PAGES], v[2 * DATA_PAGES];
	unsigned int i, n;
	u64 tag = ++s->tag;

	o->dma = true;
	o->tgt = 1;
	CALL(r, mem_w64, G_STAGE_IN, tag);
	seen(r, IOVA_STAGE_IN);
	CALL(r, dma, IOVA_STAGE_IN, EDU_BUF, 8, false);
	observe_fault(r, &o->f[0]);
	seen(r, iova);
	CALL(r, dma, EDU_BUF, iova, 8, true);
	observe_fault(r, &o->f[1]);
	n = candidates(iova & 0xfff, c);
	CALL(r, mem_r64_n, c, v, n);
	for (i = 0; i < n; i++)
		if (v[i] == tag) {
			if (o->nhits < XS_ARRAY_SIZE(o->hits))
				o->hits[o->nhits] = c[i];
			o->nhits++;
			mark_dirty(r, c[i]);
		}
}

static void dma_read(struct runner *r, u64 iova, struct obs *o)
{
	o->dma = true;
	seen(r, iova);
	CALL(r, dma, iova, EDU_BUF, 8, false);
	observe_fault(r, &o->f[0]);
	seen(r, IOVA_STAGE_OUT);
	CALL(r, dma, EDU_BUF, IOVA_STAGE_OUT, 8, true);
	observe_fault(r, &o->f[1]);
	o->val = CALL(r, mem_r64, G_STAGE_OUT);
}

static void expect_fail(struct obs *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void expect_fail(struct obs *o, const char *fmt, ...)
{
	va_list ap;

	o->expect_failed = true;
	va_start(ap, fmt);
	vsnprintf(o->expect_why, sizeof(o->expect_why), fmt, ap);
	va_end(ap);
}

/*
 * Where the last DMA went: a write's one hit, or for a read the word at
 * phys (pattern words and tags are all different) is what was read.
 */
static bool dma_reached(struct runner *r, const struct obs *d, u64 phys)
{
	if (!d->tgt)
		return !d->f[0].fault && CALL(r, mem_r64, phys) == d->val;
	return d->nhits == 1 && d->hits[0] == phys;
}

static void check_expect(struct runner *r, const struct step *st,
			 struct obs *o)
{
	const struct obs *d = r->sw.last_dma;
	u64 v;

	switch (st->kind) {
	case ST_EXPECT_HIT:
		if (!d || !dma_reached(r, d, st->a))
			expect_fail(o, "expected the DMA to reach %#" PRIx64,
				    st->a);
		break;
	case ST_EXPECT_FAULT:
		if (!d || !d->f[d->tgt].fault || d->f[d->tgt].fr != st->a)
			expect_fail(o, "expected a fault with FR %#" PRIx64,
				    st->a);
		break;
	case ST_EXPECT_STATUS:
		v = CALL(r, mem_r32, G_STATUS + 4 * (st->a % STATUS_SLOTS));
		if (v != st->b)
			expect_fail(o, "status %" PRIu64 " is %#" PRIx64
				    ", expected %#" PRIx64, st->a, v, st->b);
		break;
	case ST_EXPECT_IQH:
		v = CALL(r, reg_r64, VTD_REG_IQH) >> VTD_IQ_SHIFT_128;
		if (v != st->a)
			expect_fail(o, "IQH is %" PRIu64 ", expected %" PRIu64,
				    v, st->a);
		break;
	case ST_EXPECT_FSTS:
		v = CALL(r, reg_r32, VTD_REG_FSTS);
		if ((v & st->a) != st->b)
			expect_fail(o, "FSTS is %#" PRIx64 ", expected %#"
				    PRIx64 " under %#" PRIx64, v, st->b,
				    st->a);
		break;
	default:
		break;
	}
}

#define DMA_MASKS	(1U << KD_CONTEXT | 1U << KD_IOTLB_FULL | \
			 1U << KD_PSI_WIDE | 1U << KD_IQE_RESUME | 1U << KD_HAW | \
			 1U << KD_FAULT_ORDER | 1U << KD_PERM_HIT | \
			 1U << KD_DENIED_FILL)
#define QUEUE_MASKS	(1U << KD_IQE_RESUME | 1U << KD_DESC_ACCEPT | \
			 1U << KD_WAIT_NOP | 1U << KD_IQT_RSVD)

/* Descriptors from IQH to tail that the two implementations judge apart. */
static unsigned int pending_descs(const struct soft *s, u32 tail)
{
	unsigned int m = 0;
	u32 i;

	for (i = (u32)s->iqh; i != tail; i = (i + 1) % QLEN) {
		u64 q0 = s->slot[i].qw0;
		unsigned int type = (unsigned int)(q0 & 0xf);

		if (XS_FIELD_GET(q0, 11, 9))
			continue;
		if (type == 6 || type == 7 ||
		    (type == VTD_DESC_DEVTLB && !s->dt))
			m |= 1U << KD_DESC_ACCEPT;
		if (type == VTD_DESC_WAIT &&
		    !(q0 & (VTD_WAIT_SW | VTD_WAIT_IF)))
			m |= 1U << KD_WAIT_NOP;
	}
	return m;
}

/*
 * Known-difference conditions before step i, from the software's state:
 * the same on both sides as long as their observations agreed.
 */
static unsigned int conditions(const struct runner *r, const struct step *st)
{
	const struct soft *s = &r->sw;
	unsigned int m = 0;

	if (s->cc_pending || s->old_dids || s->old_dids_any)
		m |= 1U << KD_CONTEXT;
	if (s->nseen > 1024)
		m |= 1U << KD_IOTLB_FULL;
	if (st->kind == ST_DMAW || st->kind == ST_DMAR) {
		if (wide_has(s, ((u64)s->ctx_did << 40 | st->a >> 12) + 1) ||
		    wide_has(s, key_2m(s->ctx_did, st->a >> 12)))
			m |= 1U << KD_PSI_WIDE;
		if (s->resume_pending)
			m |= 1U << KD_IQE_RESUME;
		if (s->haw_bits)
			m |= 1U << KD_HAW;
		if (s->rsvd_written)
			m |= 1U << KD_FAULT_ORDER;
		if (denied_near(s, s->ctx_did, st->a >> 12))
			m |= 1U << KD_DENIED_FILL;
		/* Translated before: QEMU may hold it in its IOTLB. */
		if (seen_has(s, ((u64)s->ctx_did << 40 | st->a >> 12) + 1) ||
		    seen_any_in_2m(s, s->ctx_did, st->a >> 12))
			m |= 1U << KD_PERM_HIT;
		return m & DMA_MASKS;
	}
	if (st->kind == ST_FSTS && (st->a & VTD_FSTS_IQE) && s->iqe &&
	    s->iqh != s->iqt)
		m |= 1U << KD_IQE_RESUME;
	/* QEMU catches up at this IQT write, or (tail moved) never. */
	if ((st->kind == ST_TAIL || st->kind == ST_IQT) && s->resume_pending)
		m |= 1U << KD_IQE_RESUME;
	if (st->kind == ST_TAIL)
		m |= pending_descs(s, s->tail);
	if (st->kind == ST_IQT && (st->a & ~VTD_IQ_INDEX_MASK))
		m |= 1U << KD_IQT_RSVD;
	if (st->kind == ST_IQT)
		m |= pending_descs(s, (u32)((st->a & VTD_IQ_INDEX_MASK) >>
					    VTD_IQ_SHIFT_128) % QLEN);
	return m & QUEUE_MASKS;
}

static void run_side(struct runner *r, const struct scenario *sc,
		     struct obs *obs, unsigned int *cond)
{
	struct soft *s = &r->sw;
	unsigned int i;
	u32 h;

	reset_side(r);
	for (i = 0; i < sc->n; i++) {
		const struct step *st = &sc->s[i];
		struct obs *o = &obs[i];

		memset(o, 0, sizeof(*o));
		cond[i] = conditions(r, st);
		switch (st->kind) {
		case ST_CTX:
			set_ctx(r, st->dom, (u16)st->a);
			break;
		case ST_PTE:
			if (st->b & XS_GENMASK(47, 46))
				s->haw_bits = true;
			if ((st->b & (VTD_SL_SNP | VTD_SL_TM |
				      XS_GENMASK(51, 46))) ||
			    (st->level > 1 && (st->b & VTD_SL_PS)))
				s->rsvd_written = true;
			write_pte(r, st->dom, st->level, st->a, st->b);
			break;
		case ST_DESC:
			put_desc(r, s->tail, st->a, st->b);
			s->tail = (s->tail + 1) % QLEN;
			break;
		case ST_TAIL:
			s->resume_pending = false;
			CALL(r, reg_w64, VTD_REG_IQT,
			     (u64)s->tail << VTD_IQ_SHIFT_128);
			observe_queue(r, o);
			break;
		case ST_IQT:
			s->resume_pending = false;
			CALL(r, reg_w64, VTD_REG_IQT, st->a);
			observe_queue(r, o);
			break;
		case ST_FSTS:
			if (cond[i] & 1U << KD_IQE_RESUME)
				s->resume_pending = true;
			CALL(r, reg_w32, VTD_REG_FSTS, (u32)st->a);
			observe_queue(r, o);
			break;
		case ST_FIXHEAD:
			h = (u32)(CALL(r, reg_r64, VTD_REG_IQH) >>
				  VTD_IQ_SHIFT_128);
			put_desc(r, h, vtd_desc_wait(true, false, false,
						     0xf1c5, G_STATUS + 60).qw0,
				 G_STATUS + 60);
			break;
		case ST_DMAW:
		case ST_DMAR:
			if (st->kind == ST_DMAW)
				dma_write(r, st->a, o);
			else
				dma_read(r, st->a, o);
			s->last_dma = o;
			if (o->f[o->tgt].fault &&
			    (o->f[o->tgt].fr == VTD_FR_WRITE ||
			     o->f[o->tgt].fr == VTD_FR_READ))
				denied_add(s, ((u64)s->ctx_did << 40 |
					       st->a >> 12) + 1);
			break;
		default:
			check_expect(r, st, o);
			break;
		}
		if (!CALL(r, alive))
			return;
	}
}

static int fmt_dma_obs(char *b, size_t n, const struct dma_obs *f)
{
	if (!f->fault)
		return snprintf(b, n, "ok fsts=%#x", f->fsts);
	return snprintf(b, n, "fault fr=%#x sid=%#x %s fi=%#" PRIx64
			" fsts=%#x", f->fr, f->sid, f->read ? "read" : "write",
			f->fi, f->fsts);
}

static void fmt_obs(char *b, size_t n, const struct obs *o)
{
	int k = 0;
	unsigned int i;

	if (o->queue) {
		k = snprintf(b, n, "iqh=%#" PRIx64 " iqt=%#" PRIx64
			     " fsts=%#x iqer=%#" PRIx64 " ics=%#x", o->iqh,
			     o->iqt, o->fsts, o->iqer, o->ics);
		for (i = 0; i < STATUS_SLOTS && k < (int)n; i++)
			if (o->status_mask >> i & 1)
				k += snprintf(b + k, n - k, " st%u=%#x", i,
					      o->status[i]);
		return;
	}
	if (o->dma) {
		k = snprintf(b, n, "[");
		k += fmt_dma_obs(b + k, n - k, &o->f[0]);
		k += snprintf(b + k, n - k, "] [");
		k += fmt_dma_obs(b + k, n - k, &o->f[1]);
		k += snprintf(b + k, n - k, "] val=%#" PRIx64 " hits=",
			      o->val);
		for (i = 0; i < o->nhits && i < 4 && k < (int)n; i++)
			k += snprintf(b + k, n - k, "%s%#" PRIx64,
				      i ? "," : "", o->hits[i]);
		if (!o->nhits)
			snprintf(b + k, n - k, "none");
		return;
	}
	snprintf(b, n, "-");
}

static bool dma_obs_equal(const struct dma_obs *a, const struct dma_obs *b)
{
	return a->fault == b->fault && a->fr == b->fr && a->sid == b->sid &&
	       a->read == b->read && a->fi == b->fi && a->fsts == b->fsts;
}

/* 0: equal, 1: differs only in IQER.IQEI (QEMU 0), 2: differs. */
static int compare(const struct obs *m, const struct obs *q)
{
	unsigned int i;

	if (m->queue) {
		if (m->iqh != q->iqh || m->iqt != q->iqt || m->fsts != q->fsts ||
		    m->ics != q->ics || (m->iqer & ~0xfULL) != (q->iqer & ~0xfULL))
			return 2;
		for (i = 0; i < STATUS_SLOTS; i++)
			if ((m->status_mask >> i & 1) &&
			    m->status[i] != q->status[i])
				return 2;
		if ((m->iqer & 0xf) != (q->iqer & 0xf))
			return (q->iqer & 0xf) ? 2 : 1;
		return 0;
	}
	if (m->dma) {
		if (!dma_obs_equal(&m->f[0], &q->f[0]) ||
		    !dma_obs_equal(&m->f[1], &q->f[1]) || m->val != q->val ||
		    m->nhits != q->nhits)
			return 2;
		for (i = 0; i < m->nhits && i < 4; i++)
			if (m->hits[i] != q->hits[i])
				return 2;
	}
	return 0;
}

/* Reason 0xc on one side where the other has no fault or 5/6. */
static bool rsvd_vs(const struct dma_obs *a, const struct dma_obs *b,
		    bool other_faults)
{
	return a->fault && a->fr == VTD_FR_SL_RSVD &&
	       (other_faults ? b->fault && (b->fr == VTD_FR_WRITE ||
					     b->fr == VTD_FR_READ) :
		!b->fault);
}

/*
 * Which known differences explain a difference, given the conditions
 * that held (allowed). 0: none does, it is a disagreement.
 */
static unsigned int explain(const struct obs *m, const struct obs *q,
			    unsigned int allowed)
{
	const unsigned int stale = 1U << KD_CONTEXT | 1U << KD_IOTLB_FULL |
				   1U << KD_PSI_WIDE | 1U << KD_IQE_RESUME |
				   1U << KD_DENIED_FILL;
	unsigned int x;

	if (m->queue)
		return allowed & (1U << KD_IQE_RESUME | 1U << KD_DESC_ACCEPT |
				  1U << KD_WAIT_NOP | 1U << KD_IQT_RSVD);
	if (!m->dma)
		return 0;
	for (x = 0; x < 2; x++) {
		if ((allowed & 1U << KD_FAULT_ORDER) &&
		    (rsvd_vs(&m->f[x], &q->f[x], true) ||
		     rsvd_vs(&q->f[x], &m->f[x], true)))
			return 1U << KD_FAULT_ORDER;
		/*
		 * A denied access through a cached translation: the model
		 * records fault 5/6, QEMU drops the access and records
		 * nothing (its IOTLB hit path checks no permission).
		 */
		if ((allowed & 1U << KD_PERM_HIT) && x == m->tgt &&
		    m->f[x].fault && (m->f[x].fr == VTD_FR_WRITE ||
				      m->f[x].fr == VTD_FR_READ) &&
		    !q->f[x].fault && !q->nhits && m->nhits == q->nhits)
			return 1U << KD_PERM_HIT;
		/* Bits 47:46: reserved in the model, an address in QEMU. */
		if ((allowed & 1U << KD_HAW) &&
		    rsvd_vs(&m->f[x], &q->f[x], false))
			return 1U << KD_HAW;
	}
	return allowed & stale;
}

static const char *step_name(enum step_kind k)
{
	static const char *const names[] = {
		"ctx", "pte", "desc", "tail", "iqt", "fsts", "fixhead", "dmaw",
		"dmar", "expect hit", "expect fault", "expect status",
		"expect iqh", "expect fsts",
	};

	return names[k];
}

void run_scenario(struct runner *model, struct runner *qemu,
		  const struct scenario *sc, struct run_result *res)
{
	static struct obs om[SCN_MAX_STEPS], oq[SCN_MAX_STEPS];
	static unsigned int cm[SCN_MAX_STEPS], cq[SCN_MAX_STEPS];
	char a[400], b[400];
	unsigned int i, k;
	int c;

	memset(res, 0, sizeof(*res));
	run_side(model, sc, om, cm);
	if (!CALL(model, alive)) {
		res->verdict = V_ERROR;
		snprintf(res->why, sizeof(res->why), "model setup failed");
		return;
	}
	if (qemu) {
		run_side(qemu, sc, oq, cq);
		if (!CALL(qemu, alive)) {
			res->verdict = V_ERROR;
			snprintf(res->why, sizeof(res->why),
				 "QEMU stopped answering");
			return;
		}
	}
	/* The model meets every expectation of the scenario. */
	for (i = 0; i < sc->n; i++)
		if (om[i].expect_failed) {
			res->verdict = V_EXPECT;
			res->step = i;
			snprintf(res->why, sizeof(res->why),
				 "step %u (%s): model: %s", i + 1,
				 step_name(sc->s[i].kind), om[i].expect_why);
			return;
		}
	/* QEMU up to the first difference, which ends the comparison. */
	for (i = 0; i < sc->n; i++) {
		if (qemu && oq[i].expect_failed) {
			res->verdict = V_EXPECT;
			res->step = i;
			snprintf(res->why, sizeof(res->why),
				 "step %u (%s): qemu: %s", i + 1,
				 step_name(sc->s[i].kind), oq[i].expect_why);
			return;
		}
		if (!qemu)
			continue;
		c = compare(&om[i], &oq[i]);
		if (!c)
			continue;
		fmt_obs(a, sizeof(a), &om[i]);
		fmt_obs(b, sizeof(b), &oq[i]);
		if (c == 1) {
			res->known |= 1U << KD_IQERCD;
			continue;
		}
		res->step = i;
		if (sc->s[i].kind == ST_FSTS &&
		    ((cm[i] | cq[i]) & 1U << KD_IQE_RESUME)) {
			res->known |= 1U << KD_IQE_RESUME;
			continue;
		}
		k = explain(&om[i], &oq[i], cm[i] | cq[i]);
		if (k) {
			res->known |= k;
			res->verdict = V_KNOWN;
			res->stopped = true;
			snprintf(res->why, sizeof(res->why),
				 "step %u (%s): masked: model: %s; qemu: %s",
				 i + 1, step_name(sc->s[i].kind), a, b);
			return;
		}
		res->verdict = V_DISAGREE;
		snprintf(res->why, sizeof(res->why),
			 "step %u (%s): model: %s; qemu: %s", i + 1,
			 step_name(sc->s[i].kind), a, b);
		return;
	}
	res->verdict = res->known ? V_KNOWN : V_AGREE;
}
