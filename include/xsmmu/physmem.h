/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Simulated physical memory: page frames backed by jemalloc, addressed by
 * page frame number. Hardware (the IOMMU walking tables, a device doing DMA)
 * and software (the page allocator) both see the same bytes. A frame's
 * backing stays allocated when the frame is freed, as physical memory does:
 * a device reaching a freed frame through a stale translation really writes
 * it, which is what the safety oracle must see.
 *
 * Free frames are handed back last-freed-first, like a per-CPU page list,
 * so reuse after free happens as early as it does in the kernel.
 */
#ifndef XSMMU_PHYSMEM_H
#define XSMMU_PHYSMEM_H

#include <xsmmu/types.h>

/* Byte written over a frame when it is freed (use-after-free shows up). */
#define XS_PHYSMEM_POISON	0x6b

struct xs_physmem;

struct xs_physmem *xs_physmem_create(u64 nr_frames);
void xs_physmem_destroy(struct xs_physmem *pm);

/* Returns a zeroed frame's pfn, or 0 when memory is exhausted (pfn 0 is
 * never handed out, so 0 doubles as "none"). */
u64 xs_physmem_alloc_frame(struct xs_physmem *pm);
/*
 * The same without clearing: the frame holds the poison of its last free
 * (alloc_pages() without __GFP_ZERO, as the kernel's page allocator).
 */
u64 xs_physmem_alloc_frame_uninit(struct xs_physmem *pm);
/*
 * 2^order physically contiguous frames, the first aligned to 2^order (as
 * the buddy allocator hands out a block): the lowest such run of free
 * frames, else fresh frames. Returns the first pfn, or 0 when no run is
 * free. Each frame is freed on its own with xs_physmem_free_frame().
 */
u64 xs_physmem_alloc_contig(struct xs_physmem *pm, unsigned int order,
			    bool zero);
/* Returns 0, or -1 for a pfn that is not allocated (double free). */
int xs_physmem_free_frame(struct xs_physmem *pm, u64 pfn);

bool xs_physmem_is_allocated(const struct xs_physmem *pm, u64 pfn);
/* Bumped on every allocation of the frame: "reallocated since" checks. */
u32 xs_physmem_generation(const struct xs_physmem *pm, u64 pfn);
u64 xs_physmem_nr_frames(const struct xs_physmem *pm);
/* One past the highest pfn ever handed out: the rest was never touched. */
u64 xs_physmem_high_water(const struct xs_physmem *pm);
/*
 * A new generation for an allocated frame that changes hands without
 * being freed (a page recycled to a new owner). Returns it, 0 if free.
 */
u32 xs_physmem_new_generation(struct xs_physmem *pm, u64 pfn);

/*
 * Watched frames: every write through the accessors below (a table walk
 * update, a device's DMA, the driver's page-table code) that changes an
 * aligned 64-bit word of a watched frame is shown to the watcher, with
 * the word's old and new value, before it lands. The oracle watches
 * page-table pages this way, so what it knows of the tables is what the
 * hardware would walk, not what the driver says it wrote.
 */
typedef void (*xs_physmem_watch_fn)(void *ctx, u64 phys, u64 old, u64 val);
void xs_physmem_set_watcher(struct xs_physmem *pm, xs_physmem_watch_fn fn,
			    void *ctx);
void xs_physmem_watch(struct xs_physmem *pm, u64 pfn, bool on);
bool xs_physmem_watched(const struct xs_physmem *pm, u64 pfn);
/* Host bytes of bookkeeping per frame (the backing page apart). */
size_t xs_physmem_bytes_per_frame(void);
u64 xs_physmem_frames_in_use(const struct xs_physmem *pm);

/* Host address of a frame that has ever been allocated, else NULL. */
void *xs_physmem_host(const struct xs_physmem *pm, u64 pfn);
/* The frame whose backing holds host address addr, or 0. */
u64 xs_physmem_host_to_pfn(const struct xs_physmem *pm, const void *addr);

/*
 * Accessors by physical address. An access to a frame that never had
 * backing (never allocated, or beyond the end) returns -1 / reads as all
 * ones, as an unclaimed bus access does.
 */
int xs_physmem_read(const struct xs_physmem *pm, u64 phys, void *buf,
		    size_t len);
int xs_physmem_write(struct xs_physmem *pm, u64 phys, const void *buf,
		     size_t len);
u64 xs_physmem_read64(const struct xs_physmem *pm, u64 phys);
void xs_physmem_write64(struct xs_physmem *pm, u64 phys, u64 val);
u32 xs_physmem_read32(const struct xs_physmem *pm, u64 phys);
void xs_physmem_write32(struct xs_physmem *pm, u64 phys, u32 val);

#endif
