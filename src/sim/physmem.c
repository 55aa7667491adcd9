// SPDX-License-Identifier: GPL-2.0
/*
 * Simulated physical memory. All frames live in one jemalloc region,
 * reserved when the memory is created and touched only as frames are
 * first handed out, so a world costs what it uses, and a host address
 * maps back to its frame by subtraction (virt_to_page). A freed frame
 * keeps its backing: it is still physical memory that a stale
 * translation can reach.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jemalloc/jemalloc.h>

#include <xsmmu/physmem.h>
#include <xsmmu/zbuf.h>

struct xs_frame {
	u32 gen;
	bool allocated;
	bool watched;		/* writes are shown to the watcher first */
};

struct xs_physmem {
	u64 nr_frames;
	u64 next_fresh;		/* lowest pfn never handed out */
	u64 in_use;
	u8 *base;		/* frame pfn is base + pfn * XS_PAGE_SIZE */
	struct xs_frame *frames;
	u32 *free_stack;	/* last freed on top */
	u64 nr_free;
	xs_physmem_watch_fn watch_fn;
	void *watch_ctx;
};

/*
 * The regions come from a jemalloc arena of their own that never gives
 * dirty pages back to the system: a world (one fuzz execution) then
 * reuses the pages the last one touched instead of faulting them in
 * again (the fuzzer creates and destroys a world per execution; with the
 * default decay, page faults were half its time).
 */
static unsigned int region_arena;
static int region_flags;
static pthread_once_t region_once = PTHREAD_ONCE_INIT;

static void region_arena_init(void)
{
	ssize_t never = -1;
	size_t len = sizeof(region_arena);
	char name[64];

	region_flags = MALLOCX_ALIGN(XS_PAGE_SIZE);
	if (mallctl("arenas.create", &region_arena, &len, NULL, 0))
		return;	/* the default arena will do, only slower */
	snprintf(name, sizeof(name), "arena.%u.dirty_decay_ms", region_arena);
	mallctl(name, NULL, NULL, &never, sizeof(never));
	snprintf(name, sizeof(name), "arena.%u.muzzy_decay_ms", region_arena);
	mallctl(name, NULL, NULL, &never, sizeof(never));
	region_flags |= MALLOCX_ARENA(region_arena) | MALLOCX_TCACHE_NONE;
}

u64 xs_physmem_host_to_pfn(const struct xs_physmem *pm, const void *addr)
{
	uintptr_t a = (uintptr_t)addr, base = (uintptr_t)pm->base;
	u64 pfn;

	if (a < base)
		return 0;
	pfn = (a - base) >> XS_PAGE_SHIFT;
	return pfn && pfn < pm->next_fresh ? pfn : 0;
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
	/* Only frames below next_fresh are ever written: recycled. */
	pm->frames = xs_zbuf_alloc(nr_frames * sizeof(*pm->frames));
	pm->free_stack = xs_zbuf_alloc(nr_frames * sizeof(*pm->free_stack));
	pthread_once(&region_once, region_arena_init);
	pm->base = mallocx(nr_frames << XS_PAGE_SHIFT, region_flags);
	if (!pm->frames || !pm->free_stack || !pm->base) {
		xs_physmem_destroy(pm);
		return NULL;
	}
	return pm;
}

void xs_physmem_destroy(struct xs_physmem *pm)
{
	if (!pm)
		return;
	if (pm->base)
		dallocx(pm->base, region_flags);
	/* The free stack never holds more than the frames handed out. */
	xs_zbuf_free(pm->frames, pm->nr_frames * sizeof(*pm->frames),
		     pm->next_fresh * sizeof(*pm->frames));
	xs_zbuf_free(pm->free_stack, pm->nr_frames * sizeof(*pm->free_stack),
		     pm->next_fresh * sizeof(*pm->free_stack));
	free(pm);
}

static u8 *frame_host(const struct xs_physmem *pm, u64 pfn)
{
	return pm->base + (pfn << XS_PAGE_SHIFT);
}

/*
 * A frame never handed out yet gets what a freed frame holds, the poison
 * (the region may hold an earlier world's bytes, or zeroes: neither is
 * deterministic).
 */
static void frame_first_touch(struct xs_physmem *pm, u64 pfn)
{
	memset(frame_host(pm, pfn), XS_PHYSMEM_POISON, XS_PAGE_SIZE);
}

/* Contents and generation of a frame being handed out. */
static void frame_prepare(struct xs_physmem *pm, u64 pfn, bool zero)
{
	struct xs_frame *f = &pm->frames[pfn];

	if (zero)
		memset(frame_host(pm, pfn), 0, XS_PAGE_SIZE);
	f->allocated = true;
	f->gen++;
	pm->in_use++;
}

static u64 alloc_frame(struct xs_physmem *pm, bool zero)
{
	u64 pfn;

	if (pm->nr_free) {
		pfn = pm->free_stack[--pm->nr_free];
	} else if (pm->next_fresh < pm->nr_frames) {
		pfn = pm->next_fresh++;
		if (!zero)
			frame_first_touch(pm, pfn);
	} else {
		return 0;
	}
	frame_prepare(pm, pfn, zero);
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
	for (pfn = pm->next_fresh; pfn < start; pfn++) {
		frame_first_touch(pm, pfn);
		pm->free_stack[pm->nr_free++] = (u32)pfn;
	}
	for (pfn = start; pfn < start + n; pfn++) {
		if (pfn >= pm->next_fresh && !zero)
			frame_first_touch(pm, pfn);
		frame_prepare(pm, pfn, zero);
	}
	if (pm->next_fresh < start + n)
		pm->next_fresh = start + n;
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
	memset(xs_physmem_host(pm, pfn), XS_PHYSMEM_POISON, XS_PAGE_SIZE);
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

u32 xs_physmem_new_generation(struct xs_physmem *pm, u64 pfn)
{
	if (!xs_physmem_is_allocated(pm, pfn))
		return 0;
	return ++pm->frames[pfn].gen;
}

void xs_physmem_set_watcher(struct xs_physmem *pm, xs_physmem_watch_fn fn,
			    void *ctx)
{
	pm->watch_fn = fn;
	pm->watch_ctx = ctx;
}

void xs_physmem_watch(struct xs_physmem *pm, u64 pfn, bool on)
{
	if (pfn && pfn < pm->next_fresh)
		pm->frames[pfn].watched = on;
}

bool xs_physmem_watched(const struct xs_physmem *pm, u64 pfn)
{
	return pfn && pfn < pm->next_fresh && pm->frames[pfn].watched;
}

/*
 * Shows the watcher every aligned 64-bit word of a watched frame that the
 * write [off, off + n) changes, old and new value, before it lands.
 */
static void show_watcher(struct xs_physmem *pm, u64 pfn, const u8 *host,
			 u64 off, const u8 *in, size_t n)
{
	u64 w, end = off + n, lo, hi, old, val;

	for (w = off & ~7ULL; w < end; w += 8) {
		memcpy(&old, host + w, 8);
		val = old;
		lo = w > off ? w : off;
		hi = w + 8 < end ? w + 8 : end;
		memcpy((u8 *)&val + (lo - w), in + (lo - off), hi - lo);
		if (val != old)
			pm->watch_fn(pm->watch_ctx,
				     (pfn << XS_PAGE_SHIFT) + w, old, val);
	}
}

size_t xs_physmem_bytes_per_frame(void)
{
	/* frame record, free stack slot */
	return sizeof(struct xs_frame) + sizeof(u32);
}

u64 xs_physmem_high_water(const struct xs_physmem *pm)
{
	return pm->next_fresh;
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
	return pfn && pfn < pm->next_fresh ?
	       pm->base + (pfn << XS_PAGE_SHIFT) : NULL;
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
		if (__builtin_expect(pm->frames[phys >> XS_PAGE_SHIFT].watched, 0) &&
		    pm->watch_fn)
			show_watcher(pm, phys >> XS_PAGE_SHIFT, host, off, in, n);
		memcpy(host + off, in, n);
		in += n;
		phys += n;
		len -= n;
	}
	return 0;
}

/* An aligned word of a frame that has backing: one load or store. */
static bool word_direct(const struct xs_physmem *pm, u64 phys)
{
	u64 pfn = phys >> XS_PAGE_SHIFT;

	return !(phys & 7) && pfn && pfn < pm->next_fresh;
}

u64 xs_physmem_read64(const struct xs_physmem *pm, u64 phys)
{
	u64 v;

	if (word_direct(pm, phys)) {
		memcpy(&v, pm->base + phys, sizeof(v));
		return v;
	}
	xs_physmem_read(pm, phys, &v, sizeof(v));
	return v;
}

void xs_physmem_write64(struct xs_physmem *pm, u64 phys, u64 val)
{
	if (word_direct(pm, phys) &&
	    !pm->frames[phys >> XS_PAGE_SHIFT].watched) {
		memcpy(pm->base + phys, &val, sizeof(val));
		return;
	}
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
