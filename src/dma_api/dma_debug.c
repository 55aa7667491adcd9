// SPDX-License-Identifier: GPL-2.0
/*
 * Live DMA mappings per device, keyed by device address (open
 * addressing with backward-shift deletion, so lookups stay short under
 * churn). Each record keeps the caller that made the mapping.
 */
#include <stdio.h>

#include <linux/slab.h>

#include "dma_debug.h"
#include <xsmmu/model_lock.h>

struct xs_dma_debug {
	struct xs_dma_map_rec *slot;	/* addr == 0: empty */
	unsigned long mask;
	unsigned long used;
};

static unsigned long hash_addr(dma_addr_t a, unsigned long mask)
{
	return (unsigned long)((a >> 12) * 0x9e3779b97f4a7c15ULL) & mask;
}

static struct xs_dma_debug *table_of(struct device *dev, bool create)
{
	struct xs_dma_debug *t = dev->xs_dma_debug;

	if (t || !create)
		return t;
	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return NULL;
	t->mask = 63;
	t->slot = kcalloc(t->mask + 1, sizeof(*t->slot), GFP_KERNEL);
	if (!t->slot) {
		kfree(t);
		return NULL;
	}
	dev->xs_dma_debug = t;
	return t;
}

static void insert(struct xs_dma_debug *t, const struct xs_dma_map_rec *r)
{
	unsigned long i = hash_addr(r->addr, t->mask);

	while (t->slot[i].addr)
		i = (i + 1) & t->mask;
	t->slot[i] = *r;
	t->used++;
}

static bool grow(struct xs_dma_debug *t)
{
	struct xs_dma_map_rec *old = t->slot;
	unsigned long n = t->mask + 1, i;

	t->slot = kcalloc(2 * n, sizeof(*t->slot), GFP_KERNEL);
	if (!t->slot) {
		t->slot = old;
		return false;
	}
	t->mask = 2 * n - 1;
	t->used = 0;
	for (i = 0; i < n; i++)
		if (old[i].addr)
			insert(t, &old[i]);
	kfree(old);
	return true;
}

void xs_dma_debug_map(struct device *dev, dma_addr_t addr, size_t size,
		      enum dma_data_direction dir, u64 pfn,
		      const struct xs_callsite *cs)
{
	XS_MODEL_GUARD();
	struct xs_dma_debug *t = table_of(dev, true);
	struct xs_dma_map_rec r = {
		.addr = addr, .size = size, .dir = dir, .pfn = pfn,
		.site = *cs,
	};

	if (!t || addr == 0)
		return;		/* address 0 is never handed out */
	if (2 * (t->used + 1) > t->mask + 1 && !grow(t))
		return;
	insert(t, &r);
}

static long find_slot(struct xs_dma_debug *t, dma_addr_t addr)
{
	unsigned long i;

	if (!t || !addr)
		return -1;
	for (i = hash_addr(addr, t->mask); t->slot[i].addr;
	     i = (i + 1) & t->mask)
		if (t->slot[i].addr == addr)
			return (long)i;
	return -1;
}

bool xs_dma_debug_lookup(struct device *dev, dma_addr_t addr,
			 struct xs_dma_map_rec *out)
{
	XS_MODEL_GUARD();
	struct xs_dma_debug *t = table_of(dev, false);
	long s = find_slot(t, addr);

	if (s < 0)
		return false;
	*out = t->slot[s];
	return true;
}

bool xs_dma_debug_unmap(struct device *dev, dma_addr_t addr,
			struct xs_dma_map_rec *out)
{
	XS_MODEL_GUARD();
	struct xs_dma_debug *t = table_of(dev, false);
	long s = find_slot(t, addr);
	unsigned long i, j, k;

	if (s < 0)
		return false;
	*out = t->slot[s];
	/* Backward-shift deletion keeps every probe chain unbroken. */
	i = (unsigned long)s;
	j = i;
	for (;;) {
		t->slot[i].addr = 0;
		for (;;) {
			j = (j + 1) & t->mask;
			if (!t->slot[j].addr)
				goto done;
			k = hash_addr(t->slot[j].addr, t->mask);
			/* Move j back to i unless k lies cyclically in (i, j]. */
			if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
				continue;
			break;
		}
		t->slot[i] = t->slot[j];
		i = j;
	}
done:
	t->used--;
	return true;
}

/*
 * Records hash by the page of their start, so the mapping that holds an
 * address starts in its page or one of the pages before it: probe those
 * (a single mapping larger than 256 KiB is not looked up inside) for one
 * that covers [addr, addr + size), or, with whole_page, any byte of
 * addr's page.
 */
static bool covered(struct device *dev, dma_addr_t addr, size_t size,
		    bool whole_page)
{
	struct xs_dma_debug *t = table_of(dev, false);
	u64 page = addr >> 12, back;
	unsigned long i;

	if (!t)
		return false;
	for (back = 0; back < 64 && back <= page; back++) {
		u64 p = page - back;

		for (i = hash_addr(p << 12, t->mask); t->slot[i].addr;
		     i = (i + 1) & t->mask) {
			const struct xs_dma_map_rec *r = &t->slot[i];

			if (r->addr >> 12 != p)
				continue;
			if (whole_page ? (r->addr + r->size - 1) >> 12 >= page :
			    addr >= r->addr && addr + size <= r->addr + r->size)
				return true;
		}
	}
	return false;
}

bool xs_dma_debug_find(struct device *dev, dma_addr_t addr, size_t size)
{
	XS_MODEL_GUARD();
	return covered(dev, addr, size, false);
}

/* True if a live mapping covers any byte of the page that holds addr. */
bool xs_dma_debug_page_live(struct device *dev, dma_addr_t addr)
{
	XS_MODEL_GUARD();
	return covered(dev, addr, 0, true);
}

bool xs_dma_debug_pop(struct device *dev, struct xs_dma_map_rec *out)
{
	XS_MODEL_GUARD();
	struct xs_dma_debug *t = table_of(dev, false);
	unsigned long i;

	if (!t || !t->used)
		return false;
	for (i = 0; i <= t->mask; i++)
		if (t->slot[i].addr)
			return xs_dma_debug_unmap(dev, t->slot[i].addr, out);
	return false;
}

unsigned long xs_dma_debug_live(struct device *dev, bool report)
{
	XS_MODEL_GUARD();
	struct xs_dma_debug *t = table_of(dev, false);
	unsigned long i;

	if (!t)
		return 0;
	if (report)
		for (i = 0; i <= t->mask; i++)
			if (t->slot[i].addr)
				fprintf(stderr,
					"DMA-API: %s: mapping %#llx (%zu bytes) never unmapped (mapped at %s:%d)\n",
					dev_name(dev),
					(unsigned long long)t->slot[i].addr,
					t->slot[i].size, t->slot[i].site.file,
					t->slot[i].site.line);
	return t->used;
}

void xs_dma_debug_free(struct device *dev)
{
	XS_MODEL_GUARD();
	struct xs_dma_debug *t = table_of(dev, false);

	if (!t)
		return;
	kfree(t->slot);
	kfree(t);
	dev->xs_dma_debug = NULL;
}
