/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The IOVA allocator (shim), 5.15 interface: a range allocator with
 * per-CPU caches that hand back the most recently freed range of a size
 * first, and (in 5.15 it lives here) the flush queue of lazy mode. The
 * range allocator underneath is a buddy allocator over the domain's
 * aperture rather than 5.15's rbtree; what the design depends on (exact
 * outstanding counts, size-aligned ranges, last-freed-first reuse through
 * the per-CPU cache) is kept. See src/dma_api/iova.c.
 */
#ifndef _XS_SHIM_LINUX_IOVA_H
#define _XS_SHIM_LINUX_IOVA_H

#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/spinlock.h>
#include <linux/timer.h>

#define IOVA_RANGE_CACHE_MAX_SIZE	6	/* log of max cached size */
#define IOVA_MAG_SIZE			128
#define MAX_GLOBAL_MAGS			32
#define IOVA_FQ_SIZE			256	/* entries per CPU */
#define IOVA_FQ_TIMEOUT			10	/* ms */

struct iova_domain;
typedef void (*iova_flush_cb)(struct iova_domain *domain);
typedef void (*iova_entry_dtor)(unsigned long data);

struct iova_fq_entry {
	unsigned long iova_pfn;
	unsigned long pages;
	unsigned long data;
	u64 counter;		/* flush-queue generation when queued */
};

struct iova_fq {
	struct iova_fq_entry entries[IOVA_FQ_SIZE];
	unsigned int head, tail;
	spinlock_t lock;
};

struct iova_buddy;
struct iova_cpu_rcache;

struct iova_rcache {
	spinlock_t lock;
	unsigned long depot_size;
	unsigned long *depot;	/* pfns, last freed at the end */
	struct iova_cpu_rcache *cpu_rcaches;
};

struct iova_domain {
	spinlock_t iova_rbtree_lock;
	unsigned long granule;		/* pfn unit, bytes */
	unsigned long start_pfn;	/* lowest pfn handed out */
	unsigned long dma_32bit_pfn;
	struct iova_buddy *buddy;
	struct iova_rcache rcaches[IOVA_RANGE_CACHE_MAX_SIZE];
	struct iova_fq *fq;		/* per CPU; NULL: strict */
	u64 fq_flush_start_cnt;
	u64 fq_flush_finish_cnt;
	iova_flush_cb flush_cb;
	iova_entry_dtor entry_dtor;
	struct timer_list fq_timer;
	atomic_t fq_timer_on;
	/* Simulation: counts for leak checks and statistics. */
	unsigned long xs_outstanding;	/* ranges handed out, not freed */
	unsigned long xs_queued;	/* ranges waiting in flush queues */
	u64 xs_fq_flushes;
	u64 xs_fq_flush_full;
	u64 xs_fq_flush_timer;
};

/*
 * The granule is a power of two: its log2 turns addresses into page
 * frame numbers, and the bits below it are the offset within a page.
 */
static inline unsigned long iova_shift(struct iova_domain *iovad)
{
	return __ffs(iovad->granule);
}

static inline unsigned long iova_pfn(struct iova_domain *iovad,
				     dma_addr_t iova)
{
	return iova >> iova_shift(iovad);
}

static inline unsigned long iova_mask(struct iova_domain *iovad)
{
	return iovad->granule - 1;
}

/* Rounds a length up to whole granules. */
static inline size_t iova_align(struct iova_domain *iovad, size_t size)
{
	return (size + iova_mask(iovad)) & ~iova_mask(iovad);
}

static inline size_t iova_offset(struct iova_domain *iovad, dma_addr_t iova)
{
	return iova & (iovad->granule - 1);
}

void init_iova_domain(struct iova_domain *iovad, unsigned long granule,
		      unsigned long start_pfn);
int init_iova_flush_queue(struct iova_domain *iovad, iova_flush_cb flush_cb,
			  iova_entry_dtor entry_dtor);
unsigned long alloc_iova_fast(struct iova_domain *iovad, unsigned long size,
			      unsigned long limit_pfn, bool flush_rcache);
void free_iova_fast(struct iova_domain *iovad, unsigned long pfn,
		    unsigned long size);
void queue_iova(struct iova_domain *iovad, unsigned long pfn,
		unsigned long pages, unsigned long data);
void put_iova_domain(struct iova_domain *iovad);
bool has_iova_flush_queue(struct iova_domain *iovad);

/* Simulation: flush every queue now (teardown, tests). */
void xs_iova_flush_queues(struct iova_domain *iovad);

#endif
