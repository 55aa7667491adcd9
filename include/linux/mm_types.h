/* SPDX-License-Identifier: GPL-2.0 */
/*
 * struct page (shim). The kernel's members that the code here touches,
 * by their 5.15 names, and the simulation's own bookkeeping after them:
 * the frame it stands for, its state and its current owner. The frame's
 * generation (bumped on every allocation) lives in simulated memory, so
 * "freed and reallocated since it was mapped" is a comparison.
 */
#ifndef _XS_SHIM_LINUX_MM_TYPES_H
#define _XS_SHIM_LINUX_MM_TYPES_H

#include <linux/types.h>

struct page_pool;

enum xs_page_state {
	XS_PAGE_FREE = 0,
	XS_PAGE_ALLOCATED,
};

struct page {
	unsigned long flags;
	struct list_head lru;
	struct page *freelist;		/* 5.15 IOMMU page-table freelist */
	unsigned long private;
	unsigned long pp_magic;		/* page_pool */
	struct page_pool *pp;
	unsigned long dma_addr;
	atomic_t _refcount;
	/* Simulation bookkeeping. */
	u64 xs_pfn;
	enum xs_page_state xs_state;
	const char *xs_owner;		/* who holds it now */
	unsigned int xs_kind;		/* enum xs_page_kind */
};

#endif
