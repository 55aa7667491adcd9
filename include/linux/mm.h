/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The page allocator (shim) on simulated physical memory. A block of
 * order n is 2^n physically contiguous frames aligned to its size, as the
 * buddy allocator hands them out, up to order MAX_ORDER - 1 (4 MiB), as
 * in 5.15; a larger order is refused with a warning. Each frame has its
 * own host backing, so page_address() of a block covers its first page
 * only: the CPU reaches page i of a block through page_address(page + i).
 * Devices see the block as contiguous physical memory.
 */
#ifndef _XS_SHIM_LINUX_MM_H
#define _XS_SHIM_LINUX_MM_H

#include <linux/types.h>
#include <linux/gfp.h>
#include <linux/mm_types.h>

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))
#define PAGE_ALIGN(x)	(((x) + PAGE_SIZE - 1) & PAGE_MASK)
#define offset_in_page(p)	((unsigned long)(p) & ~PAGE_MASK)
#define NUMA_NO_NODE	(-1)
#define MAX_ORDER	11

/* The smallest order whose block holds size bytes. */
static inline unsigned int get_order(unsigned long size)
{
	unsigned int order = 0;

	while ((PAGE_SIZE << order) < size)
		order++;
	return order;
}

/* What a page is used for, for reports and for the oracle. */
enum xs_page_kind {
	XS_PAGE_KIND_DATA = 0,		/* a buffer that may be DMA-mapped */
	XS_PAGE_KIND_PGTABLE,		/* an IOMMU page-table page */
	XS_PAGE_KIND_QUEUE,		/* invalidation queue, status words */
};

struct page *alloc_pages(gfp_t gfp, unsigned int order);
struct page *alloc_pages_node(int nid, gfp_t gfp, unsigned int order);
void __free_pages(struct page *page, unsigned int order);
unsigned long get_zeroed_page(gfp_t gfp);
void free_page(unsigned long addr);
void get_page(struct page *page);
void put_page(struct page *page);
int page_ref_count(const struct page *page);
bool page_is_pfmemalloc(const struct page *page);

void *page_address(const struct page *page);
struct page *virt_to_page(const void *addr);
struct page *pfn_to_page(unsigned long pfn);
phys_addr_t virt_to_phys(const void *addr);
void *phys_to_virt(phys_addr_t phys);

#define alloc_page(gfp)		alloc_pages(gfp, 0)
#define __free_page(page)	__free_pages((page), 0)
#define page_to_pfn(page)	((unsigned long)(page)->xs_pfn)
#define page_to_phys(page)	((phys_addr_t)(page)->xs_pfn << PAGE_SHIFT)
#define virt_addr_valid(a)	(virt_to_page(a) != NULL)

/* Simulation: who holds the page now (for reports). */
static inline void xs_page_set_owner(struct page *page, const char *owner)
{
	page->xs_owner = owner;
}

/* Simulation: what the page is used for (enum xs_page_kind). */
void xs_page_set_kind(struct page *page, enum xs_page_kind kind);
/* Frame generation: bumped each time the page is allocated. */
u32 xs_page_generation(const struct page *page);
/* The page changes hands without a free (a recycle): a new generation. */
void xs_page_new_owner(struct page *page);

#endif
