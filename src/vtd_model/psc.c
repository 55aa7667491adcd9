// SPDX-License-Identifier: GPL-2.0
/*
 * Paging-structure caches (spec 6.2.4): one small fully associative LRU
 * cache per non-leaf level, each entry caching a present non-leaf entry
 * (the next table's address and the access rights so far), tagged by
 * domain id and the IOVA region the entry maps.
 */
#include <stdlib.h>

#include "vtd_internal.h"
#include <xsmmu/model_lock.h>

/* Region mapped by one cached entry: 2 MiB, 1 GiB, 512 GiB. */
static unsigned int span_shift(enum vtd_psc_level lvl)
{
	return vtd_level_shift((int)lvl + 2);
}

int vtd_psc_init(struct vtd_psc *c, u32 entries)
{
	/* No entries: a unit without this cache (QEMU's has none). */
	if (!entries) {
		c->e = NULL;
		c->n = 0;
		return 0;
	}
	c->e = calloc(entries, sizeof(*c->e));
	if (!c->e)
		return -1;
	c->n = entries;
	return 0;
}

void vtd_psc_fini(struct vtd_psc *c)
{
	free(c->e);
	c->e = NULL;
}

static void drop(struct vtd_unit *u, enum vtd_psc_level lvl,
		 struct vtd_psc_entry *e)
{
	if (u->obs.psc_drop)
		u->obs.psc_drop(u->obs.ctx, u, e->did, e->iova, e->table, lvl,
				 e->gen);
	e->valid = 0;
}

static struct vtd_psc_entry *find(const struct vtd_psc *c,
				  enum vtd_psc_level lvl, u16 did, u64 iova)
{
	u64 base = iova >> span_shift(lvl) << span_shift(lvl);
	u32 i;

	for (i = 0; i < c->n; i++)
		if (c->e[i].valid && c->e[i].did == did &&
		    c->e[i].iova == base)
			return &c->e[i];
	return NULL;
}

struct vtd_psc_entry *vtd_psc_lookup(struct vtd_unit *u,
				     enum vtd_psc_level lvl, u16 did, u64 iova)
{
	struct vtd_psc *c = &u->psc[lvl];
	struct vtd_psc_entry *e = find(c, lvl, did, iova);

	if (e) {
		e->lru = ++c->tick;
		u->stats.psc_hits[lvl]++;
	} else {
		u->stats.psc_misses[lvl]++;
	}
	return e;
}

void vtd_psc_insert(struct vtd_unit *u, enum vtd_psc_level lvl, u16 did,
		    u64 iova, u64 table, u8 perm)
{
	struct vtd_psc *c = &u->psc[lvl];
	struct vtd_psc_entry *e = find(c, lvl, did, iova), *victim = NULL;
	u32 i;

	if (!c->n)
		return;
	if (e) {
		drop(u, lvl, e);
		victim = e;
	} else {
		for (i = 0; i < c->n; i++) {
			e = &c->e[i];
			if (!e->valid) {
				victim = e;
				break;
			}
			if (!victim || e->lru < victim->lru)
				victim = e;
		}
		if (victim->valid) {
			u->stats.psc_evictions[lvl]++;
			drop(u, lvl, victim);
		}
	}
	victim->valid = 1;
	victim->did = did;
	victim->iova = iova >> span_shift(lvl) << span_shift(lvl);
	victim->table = table;
	victim->perm = perm;
	victim->lru = ++c->tick;
	victim->gen = xs_physmem_generation(u->pm, table >> XS_PAGE_SHIFT);
	if (u->obs.psc_fill)
		u->obs.psc_fill(u->obs.ctx, u, did, victim->iova, table, lvl,
				victim->gen);
}

/*
 * Drops cached entries of did (of every domain if all_domains) whose
 * region overlaps [start, end). Returns how many were dropped.
 */
u32 vtd_psc_inv(struct vtd_unit *u, bool all_domains, u16 did, u64 start,
		u64 end)
{
	u32 i, n = 0;
	int lvl;

	for (lvl = 0; lvl < VTD_PSC_LEVELS; lvl++) {
		struct vtd_psc *c = &u->psc[lvl];
		u64 span = 1ULL << span_shift((enum vtd_psc_level)lvl);

		for (i = 0; i < c->n; i++) {
			struct vtd_psc_entry *e = &c->e[i];

			if (!e->valid || (!all_domains && e->did != did))
				continue;
			if (e->iova >= end || e->iova + span <= start)
				continue;
			drop(u, (enum vtd_psc_level)lvl, e);
			u->stats.psc_dropped[lvl]++;
			n++;
		}
	}
	return n;
}

bool vtd_psc_probe(const struct vtd_unit *u, u16 did, u64 iova,
		   enum vtd_psc_level level, u64 *table_phys)
{
	XS_MODEL_GUARD();
	const struct vtd_psc_entry *e;

	if ((unsigned int)level >= VTD_PSC_LEVELS)
		return false;
	e = find(&u->psc[level], level, did, iova);
	if (e && table_phys)
		*table_phys = e->table;
	return e != NULL;
}

u32 vtd_psc_count(const struct vtd_unit *u, u32 did, enum vtd_psc_level level)
{
	XS_MODEL_GUARD();
	const struct vtd_psc *c;
	u32 i, n = 0;

	if ((unsigned int)level >= VTD_PSC_LEVELS)
		return 0;
	c = &u->psc[level];
	for (i = 0; i < c->n; i++)
		if (c->e[i].valid && (did == VTD_ANY_DID || c->e[i].did == did))
			n++;
	return n;
}
