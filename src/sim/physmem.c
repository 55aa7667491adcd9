// SPDX-License-Identifier: GPL-2.0
/*
 * Simulated physical memory. Frames get jemalloc backing on first
 * allocation and keep it until the memory is destroyed: a freed frame is
 * still physical memory that a stale translation can reach.
 */
#include <stdlib.h>
#include <string.h>

#include <jemalloc/jemalloc.h>

#include <xsmmu/physmem.h>

struct xs_frame {
	u8 *host;
	u32 gen;
	bool allocated;
};

struct xs_physmem {
	u64 nr_frames;
	u64 next_fresh;		/* lowest pfn never handed out */
	u64 in_use;
	struct xs_frame *frames;
	u32 *free_stack;	/* last freed on top */
	u64 nr_free;
	/* Host page address -> pfn, open addressing (virt_to_page). */
	u32 *rmap;
	u64 rmap_mask;
};

static u64 rmap_slot(const struct xs_physmem *pm, const void *host)
{
	u64 k = (u64)(uintptr_t)host >> XS_PAGE_SHIFT;

	return (k * 0x9e3779b97f4a7c15ULL) & pm->rmap_mask;
}

static void rmap_insert(struct xs_physmem *pm, u64 pfn)
{
	u64 i = rmap_slot(pm, pm->frames[pfn].host);

	while (pm->rmap[i])
		i = (i + 1) & pm->rmap_mask;
	pm->rmap[i] = (u32)pfn;
}

u64 xs_physmem_host_to_pfn(const struct xs_physmem *pm, const void *addr)
{
	const u8 *page = (const u8 *)((uintptr_t)addr & ~(uintptr_t)
				      (XS_PAGE_SIZE - 1));
	u64 i = rmap_slot(pm, page);

	for (; pm->rmap[i]; i = (i + 1) & pm->rmap_mask)
		if (pm->frames[pm->rmap[i]].host == page)
			return pm->rmap[i];
	return 0;
}

struct xs_physmem *xs_physmem_create(u64 nr_frames)
{
	struct xs_physmem *pm;

	if (nr_frames < 2 || nr_frames > (1ULL << 32))
		return NULL;
	pm = calloc(1, sizeof(*pm));
	if (!pm)
		return NULL;
	pm->nr_frames = nr_frames;
	pm->next_fresh = 1;	/* pfn 0 means "none" */
	pm->frames = calloc(nr_frames, sizeof(*pm->frames));
	pm->free_stack = calloc(nr_frames, sizeof(*pm->free_stack));
	pm->rmap_mask = 1;
	while (pm->rmap_mask < 2 * nr_frames)
		pm->rmap_mask <<= 1;
	pm->rmap = calloc(pm->rmap_mask, sizeof(*pm->rmap));
	pm->rmap_mask--;
	if (!pm->frames || !pm->free_stack || !pm->rmap) {
		free(pm->frames);
		free(pm->free_stack);
		free(pm->rmap);
		free(pm);
		return NULL;
	}
	return pm;
}

void xs_physmem_destroy(struct xs_physmem *pm)
{
	u64 pfn;

	if (!pm)
		return;
	for (pfn = 1; pfn < pm->next_fresh; pfn++)
		if (pm->frames[pfn].host)
			dallocx(pm->frames[pfn].host, 0);
	free(pm->frames);
	free(pm->free_stack);
	free(pm->rmap);
	free(pm);
}

/* Backing, contents and generation of a frame being handed out. */
static int frame_prepare(struct xs_physmem *pm, u64 pfn, bool zero)
{
	struct xs_frame *f = &pm->frames[pfn];

	if (!f->host) {
		f->host = mallocx(XS_PAGE_SIZE, MALLOCX_ALIGN(XS_PAGE_SIZE));
		if (!f->host)
			return -1;
		rmap_insert(pm, pfn);
		/* new backing holds what a freed frame would: the poison */
		if (!zero)
			memset(f->host, XS_PHYSMEM_POISON, XS_PAGE_SIZE);
	}
	if (zero)
		memset(f->host, 0, XS_PAGE_SIZE);
	f->allocated = true;
	f->gen++;
	pm->in_use++;
	return 0;
}

static u64 alloc_frame(struct xs_physmem *pm, bool zero)
{
	u64 pfn;

	if (pm->nr_free) {
		pfn = pm->free_stack[--pm->nr_free];
	} else if (pm->next_fresh < pm->nr_frames) {
		pfn = pm->next_fresh++;
	} else {
		return 0;
	}
	if (frame_prepare(pm, pfn, zero)) {
		pm->free_stack[pm->nr_free++] = (u32)pfn;
		return 0;
	}
	return pfn;
}

/* Every frame of [start, start + n) can be handed out. */
static bool run_free(const struct xs_physmem *pm, u64 start, u64 n)
{
	u64 pfn;

	for (pfn = start; pfn < start + n; pfn++)
		if (!pfn || (pfn < pm->next_fresh && pm->frames[pfn].allocated))
			return false;
	return true;
}

u64 xs_physmem_alloc_contig(struct xs_physmem *pm, unsigned int order,
			    bool zero)
{
	u64 n, start, pfn, i, kept = 0;

	if (!order)
		return alloc_frame(pm, zero);
	if (order > 30)
		return 0;
	n = 1ULL << order;
	for (start = 0; start + n <= pm->nr_frames; start += n)
		if (run_free(pm, start, n))
			break;
	if (start + n > pm->nr_frames)
		return 0;
	/* Take the run's free frames off the free stack... */
	for (i = 0; i < pm->nr_free; i++) {
		pfn = pm->free_stack[i];
		if (pfn < start || pfn >= start + n)
			pm->free_stack[kept++] = (u32)pfn;
	}
	pm->nr_free = kept;
	/* ...and the fresh frames below it onto it: they are free too. */
	for (pfn = pm->next_fresh; pfn < start; pfn++)
		pm->free_stack[pm->nr_free++] = (u32)pfn;
	if (pm->next_fresh < start + n)
		pm->next_fresh = start + n;
	for (pfn = start; pfn < start + n; pfn++) {
		if (!frame_prepare(pm, pfn, zero))
			continue;
		/* No backing: give back what was taken. */
		while (pfn-- > start) {
			pm->frames[pfn].allocated = false;
			pm->in_use--;
		}
		for (pfn = start; pfn < start + n; pfn++)
			pm->free_stack[pm->nr_free++] = (u32)pfn;
		return 0;
	}
	return start;
}

u64 xs_physmem_alloc_frame(struct xs_physmem *pm)
{
	return alloc_frame(pm, true);
}

u64 xs_physmem_alloc_frame_uninit(struct xs_physmem *pm)
{
	return alloc_frame(pm, false);
}

int xs_physmem_free_frame(struct xs_physmem *pm, u64 pfn)
{
	struct xs_frame *f;

	if (!pfn || pfn >= pm->next_fresh || !pm->frames[pfn].allocated)
		return -1;
	f = &pm->frames[pfn];
	memset(f->host, XS_PHYSMEM_POISON, XS_PAGE_SIZE);
	f->allocated = false;
	pm->free_stack[pm->nr_free++] = (u32)pfn;
	pm->in_use--;
	return 0;
}

bool xs_physmem_is_allocated(const struct xs_physmem *pm, u64 pfn)
{
	return pfn && pfn < pm->next_fresh && pm->frames[pfn].allocated;
}

u32 xs_physmem_generation(const struct xs_physmem *pm, u64 pfn)
{
	return pfn < pm->next_fresh ? pm->frames[pfn].gen : 0;
}

size_t xs_physmem_bytes_per_frame(void)
{
	/* frame record, free stack slot, two reverse-map slots */
	return sizeof(struct xs_frame) + sizeof(u32) + 2 * sizeof(u32);
}

u64 xs_physmem_nr_frames(const struct xs_physmem *pm)
{
	return pm->nr_frames;
}

u64 xs_physmem_frames_in_use(const struct xs_physmem *pm)
{
	return pm->in_use;
}

void *xs_physmem_host(const struct xs_physmem *pm, u64 pfn)
{
	return pfn && pfn < pm->next_fresh ? pm->frames[pfn].host : NULL;
}

int xs_physmem_read(const struct xs_physmem *pm, u64 phys, void *buf,
		    size_t len)
{
	u8 *out = buf;

	while (len) {
		u64 off = phys & ~XS_PAGE_MASK;
		size_t n = XS_PAGE_SIZE - off;
		u8 *host = xs_physmem_host(pm, phys >> XS_PAGE_SHIFT);

		if (n > len)
			n = len;
		if (!host) {
			memset(out, 0xff, len);
			return -1;
		}
		memcpy(out, host + off, n);
		out += n;
		phys += n;
		len -= n;
	}
	return 0;
}

int xs_physmem_write(struct xs_physmem *pm, u64 phys, const void *buf,
		     size_t len)
{
	const u8 *in = buf;

	while (len) {
		u64 off = phys & ~XS_PAGE_MASK;
		size_t n = XS_PAGE_SIZE - off;
		u8 *host = xs_physmem_host(pm, phys >> XS_PAGE_SHIFT);

		if (n > len)
			n = len;
		if (!host)
			return -1;
		memcpy(host + off, in, n);
		in += n;
		phys += n;
		len -= n;
	}
	return 0;
}

u64 xs_physmem_read64(const struct xs_physmem *pm, u64 phys)
{
	u64 v;

	xs_physmem_read(pm, phys, &v, sizeof(v));
	return v;
}

void xs_physmem_write64(struct xs_physmem *pm, u64 phys, u64 val)
{
	xs_physmem_write(pm, phys, &val, sizeof(val));
}

u32 xs_physmem_read32(const struct xs_physmem *pm, u64 phys)
{
	u32 v;

	xs_physmem_read(pm, phys, &v, sizeof(v));
	return v;
}

void xs_physmem_write32(struct xs_physmem *pm, u64 phys, u32 val)
{
	xs_physmem_write(pm, phys, &val, sizeof(val));
}
