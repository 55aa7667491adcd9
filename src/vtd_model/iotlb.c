// SPDX-License-Identifier: GPL-2.0
/*
 * The IOTLB: set-associative, LRU within a set, entries tagged by domain
 * id, page-aligned IOVA and page level (spec 6.2.2 "IOTLB"). The set comes
 * from a hash of the tag, so a lookup probes one set per page size in use
 * and allocates nothing.
 */
#include <stdlib.h>

#include "vtd_internal.h"
#include <xsmmu/model_lock.h>

size_t vtd_iotlb_entry_bytes(void)
{
	return sizeof(struct vtd_iotlb_entry);
}

int vtd_iotlb_init(struct vtd_iotlb *t, u32 entries, u32 ways)
{
	if (!ways || !entries || entries % ways)
		return -1;
	t->e = calloc(entries, sizeof(*t->e));
	if (!t->e)
		return -1;
	t->ways = ways;
	t->sets = entries / ways;
	return 0;
}

void vtd_iotlb_fini(struct vtd_iotlb *t)
{
	free(t->e);
	t->e = NULL;
}

static u32 set_of(const struct vtd_iotlb *t, u16 did, u64 iova, u8 level)
{
	u64 h = (iova >> vtd_level_shift(level)) * 0x9e3779b97f4a7c15ULL;

	h ^= ((u64)did << 2 | level) * 0xc2b2ae3d27d4eb4fULL;
	h ^= h >> 29;
	return (u32)(h % t->sets);
}

static struct vtd_iotlb_entry *set_base(const struct vtd_iotlb *t, u32 set)
{
	return &t->e[(size_t)set * t->ways];
}

static struct vtd_iotlb_entry *find(const struct vtd_iotlb *t, u16 did,
				    u64 iova, u8 level)
{
	u64 base = iova & ~((1ULL << vtd_level_shift(level)) - 1);
	struct vtd_iotlb_entry *e = set_base(t, set_of(t, did, base, level));
	u32 w;

	for (w = 0; w < t->ways; w++, e++)
		if (e->level == level && e->did == did && e->iova == base)
			return e;
	return NULL;
}

static void drop(struct vtd_unit *u, struct vtd_iotlb_entry *e)
{
	struct vtd_iotlb *t = &u->iotlb;

	if (u->obs.iotlb_drop)
		u->obs.iotlb_drop(u->obs.ctx, u, e->did, e->iova, e->phys,
				  e->level, e->gen);
	t->nr_level[e->level]--;
	t->nr_valid--;
	e->level = 0;
}

struct vtd_iotlb_entry *vtd_iotlb_lookup(struct vtd_unit *u, u16 did,
					 u64 iova)
{
	struct vtd_iotlb *t = &u->iotlb;
	struct vtd_iotlb_entry *e;
	u8 level;

	for (level = 1; level <= 3; level++) {
		if (!t->nr_level[level])
			continue;
		e = find(t, did, iova, level);
		if (e) {
			e->lru = ++t->tick;
			return e;
		}
	}
	return NULL;
}

void vtd_iotlb_insert(struct vtd_unit *u, u16 did, u64 iova, u64 phys,
		      u8 level, u8 perm)
{
	struct vtd_iotlb *t = &u->iotlb;
	u64 mask = (1ULL << vtd_level_shift(level)) - 1;
	struct vtd_iotlb_entry *e, *victim;
	u32 w;

	iova &= ~mask;
	phys &= ~mask;
	e = find(t, did, iova, level);
	if (e) {
		/* A refill after a racing invalidation: take the new walk. */
		drop(u, e);
		victim = e;
	} else {
		victim = NULL;
		e = set_base(t, set_of(t, did, iova, level));
		for (w = 0; w < t->ways; w++, e++) {
			if (!e->level) {
				victim = e;
				break;
			}
			if (!victim || e->lru < victim->lru)
				victim = e;
		}
		if (victim->level) {
			u->stats.iotlb_evictions++;
			vtd_trace(u, vtd_now(u), XS_TR_IOTLB_EVICT, victim->did,
				  victim->iova, victim->phys);
			drop(u, victim);
		}
	}
	victim->did = did;
	victim->iova = iova;
	victim->phys = phys;
	victim->level = level;
	victim->perm = perm;
	victim->gen = xs_physmem_generation(u->pm, phys >> XS_PAGE_SHIFT);
	victim->lru = ++t->tick;
	t->nr_level[level]++;
	t->nr_valid++;
	u->stats.iotlb_fills++;
	vtd_trace(u, vtd_now(u), XS_TR_IOTLB_FILL, did, iova, phys);
	if (u->obs.iotlb_fill)
		u->obs.iotlb_fill(u->obs.ctx, u, did, iova, phys, level,
				  victim->gen);
}

u32 vtd_iotlb_inv_global(struct vtd_unit *u)
{
	struct vtd_iotlb *t = &u->iotlb;
	u32 i, n = 0, total = t->sets * t->ways;

	for (i = 0; i < total && t->nr_valid; i++) {
		if (t->e[i].level) {
			drop(u, &t->e[i]);
			n++;
		}
	}
	return n;
}

u32 vtd_iotlb_inv_domain(struct vtd_unit *u, u16 did)
{
	struct vtd_iotlb *t = &u->iotlb;
	u32 i, n = 0, total = t->sets * t->ways;

	for (i = 0; i < total && t->nr_valid; i++) {
		if (t->e[i].level && t->e[i].did == did) {
			drop(u, &t->e[i]);
			n++;
		}
	}
	return n;
}

/*
 * Drops the entries of did that overlap [start, end): 4 KiB entries inside
 * it and any superpage entry that overlaps it (spec 6.5.2.3: hardware
 * invalidates every mapping of the range, whatever page size cached it).
 * Small ranges probe their sets; large ones scan the whole array.
 */
#define PROBE_LIMIT	64

u32 vtd_iotlb_inv_range(struct vtd_unit *u, u16 did, u64 start, u64 end)
{
	struct vtd_iotlb *t = &u->iotlb;
	u64 pages = (end - start) >> XS_PAGE_SHIFT;
	struct vtd_iotlb_entry *e;
	u32 i, n = 0, total = t->sets * t->ways;
	u64 a;
	u8 level;

	if (!t->nr_valid)
		return 0;
	if (pages > PROBE_LIMIT || pages > total) {
		for (i = 0; i < total; i++) {
			u64 sz;

			e = &t->e[i];
			if (!e->level || e->did != did)
				continue;
			sz = 1ULL << vtd_level_shift(e->level);
			if (e->iova < end && e->iova + sz > start) {
				drop(u, e);
				n++;
			}
		}
		return n;
	}
	for (level = 1; level <= 3; level++) {
		u64 sz = 1ULL << vtd_level_shift(level);

		if (!t->nr_level[level])
			continue;
		for (a = start & ~(sz - 1); a < end; a += sz) {
			e = find(t, did, a, level);
			if (e) {
				drop(u, e);
				n++;
			}
		}
	}
	return n;
}

bool vtd_iotlb_probe(const struct vtd_unit *u, u16 did, u64 iova,
		     struct vtd_iotlb_view *out)
{
	XS_MODEL_GUARD();
	const struct vtd_iotlb_entry *e = NULL;
	u8 level;

	/* The oracle probes every page it hands out: skip empty levels. */
	for (level = 1; level <= 3 && !e; level++)
		if (u->iotlb.nr_level[level])
			e = find(&u->iotlb, did, iova, level);
	if (!e)
		return false;
	if (out) {
		out->did = e->did;
		out->iova = e->iova;
		out->phys = e->phys;
		out->level = e->level;
		out->read = !!(e->perm & VTD_SL_R);
		out->write = !!(e->perm & VTD_SL_W);
	}
	return true;
}

u32 vtd_iotlb_count(const struct vtd_unit *u, u32 did)
{
	XS_MODEL_GUARD();
	const struct vtd_iotlb *t = &u->iotlb;
	u32 i, n = 0, total = t->sets * t->ways;

	if (did == VTD_ANY_DID)
		return t->nr_valid;
	for (i = 0; i < total; i++)
		if (t->e[i].level && t->e[i].did == did)
			n++;
	return n;
}

void vtd_iotlb_for_each(const struct vtd_unit *u,
			void (*fn)(void *ctx, const struct vtd_iotlb_view *e),
			void *ctx)
{
	const struct vtd_iotlb *t = &u->iotlb;
	u32 i, total = t->sets * t->ways;
	struct vtd_iotlb_view v;

	for (i = 0; i < total; i++) {
		const struct vtd_iotlb_entry *e = &t->e[i];

		if (!e->level)
			continue;
		v.did = e->did;
		v.iova = e->iova;
		v.phys = e->phys;
		v.level = e->level;
		v.read = !!(e->perm & VTD_SL_R);
		v.write = !!(e->perm & VTD_SL_W);
		fn(ctx, &v);
	}
}
