// SPDX-License-Identifier: GPL-2.0
/*
 * The page allocator of the kernel world: struct page for every frame of
 * simulated memory, allocation last-freed-first (as a per-CPU page list
 * hands pages out), blocks of 2^order contiguous frames aligned to their
 * size, a generation per allocation, poison on free, counts per kind for
 * leak checks. Every free goes past the oracle first (S2 for
 * data pages, S4 for page-table pages).
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/smp.h>
#include <xsmmu/kworld.h>
#include <xsmmu/oracle.h>
#include <xsmmu/model_lock.h>

static const char *const kind_names[] = {
	[XS_PAGE_KIND_DATA] = "data",
	[XS_PAGE_KIND_PGTABLE] = "page-table",
	[XS_PAGE_KIND_QUEUE] = "queue",
};

struct page *alloc_pages(gfp_t gfp, unsigned int order)
{
	XS_MODEL_GUARD();
	struct xs_kworld *w = xs_kw;
	struct page *page;
	u64 pfn, i, n;

	if (WARN_ON(order >= MAX_ORDER) || WARN_ON(!w))
		return NULL;
	n = 1ULL << order;
	pfn = xs_physmem_alloc_contig(w->pm, order, gfp & __GFP_ZERO);
	if (!pfn) {
		if (!(gfp & __GFP_NOWARN))
			pr_warn("page allocation failure: order %u, simulated memory exhausted (%llu frames)\n",
				order, (unsigned long long)w->nr_frames);
		return NULL;
	}
	for (i = 0; i < n; i++) {
		page = &w->pages[pfn + i];
		page->xs_pfn = pfn + i;
		page->xs_state = XS_PAGE_ALLOCATED;
		page->xs_owner = "alloc_pages";
		page->xs_kind = XS_PAGE_KIND_DATA;
		/* The head holds the block's reference (no __GFP_COMP). */
		page->_refcount.counter = i ? 0 : 1;
		page->freelist = NULL;
		page->pp = NULL;
		page->pp_magic = 0;
		page->dma_addr = 0;
		page->private = 0;
	}
	w->pages_out[XS_PAGE_KIND_DATA] += n;
	w->pages_allocated += n;
	return &w->pages[pfn];
}

struct page *alloc_pages_node(int nid, gfp_t gfp, unsigned int order)
{
	return alloc_pages(gfp, order);
}

void xs_page_set_kind(struct page *page, enum xs_page_kind kind)
{
	XS_MODEL_GUARD();
	struct xs_kworld *w = xs_kw;

	w->pages_out[page->xs_kind]--;
	/* The oracle reads page-table pages as the hardware walks them. */
	if (w->oracle && (page->xs_kind == XS_PAGE_KIND_PGTABLE) !=
			 (kind == XS_PAGE_KIND_PGTABLE))
		xs_oracle_table_page(w->oracle, page->xs_pfn,
				     kind == XS_PAGE_KIND_PGTABLE);
	page->xs_kind = kind;
	w->pages_out[kind]++;
}

void xs_page_new_owner(struct page *page)
{
	XS_MODEL_GUARD();
	xs_physmem_new_generation(xs_kw->pm, page->xs_pfn);
}

u32 xs_page_generation(const struct page *page)
{
	return xs_physmem_generation(xs_kw->pm, page->xs_pfn);
}

static bool page_valid(const struct page *page)
{
	struct xs_kworld *w = xs_kw;

	return w && page >= w->pages && page < w->pages + w->nr_frames &&
	       page->xs_pfn == (u64)(page - w->pages);
}

static void free_one(struct page *page)
{
	struct xs_kworld *w = xs_kw;

	if (WARN_ON(!page_valid(page)))
		return;
	if (page->xs_state != XS_PAGE_ALLOCATED) {
		pr_err("BUG: double free of %s page pfn %#llx (owner %s)\n",
		       kind_names[page->xs_kind],
		       (unsigned long long)page->xs_pfn, page->xs_owner);
		WARN_ON(1);
		return;
	}
	xs_trace_emit(&w->trace, xs_clock_now(&w->clock), XS_TR_KW_PAGE_FREE, 0,
		      smp_processor_id(), page->xs_pfn, page->xs_kind, 0);
	if (w->oracle)
		xs_oracle_page_free(w->oracle, page);
	w->pages_out[page->xs_kind]--;
	w->pages_freed++;
	page->xs_state = XS_PAGE_FREE;
	page->xs_owner = "free";
	page->_refcount.counter = 0;
	xs_physmem_free_frame(w->pm, page->xs_pfn);
}

void __free_pages(struct page *page, unsigned int order)
{
	XS_MODEL_GUARD();
	u64 i;

	if (WARN_ON(order >= MAX_ORDER))
		return;
	/* As in the kernel: drop a reference, free on the last. */
	if (page_valid(page) && page->xs_state == XS_PAGE_ALLOCATED &&
	    --page->_refcount.counter > 0)
		return;
	for (i = 0; i < (1ULL << order); i++)
		free_one(page + i);
}

void put_page(struct page *page)
{
	__free_pages(page, 0);
}

void get_page(struct page *page)
{
	XS_MODEL_GUARD();
	WARN_ON(!page_valid(page) || page->xs_state != XS_PAGE_ALLOCATED);
	page->_refcount.counter++;
}

int page_ref_count(const struct page *page)
{
	XS_MODEL_GUARD();
	return page->_refcount.counter;
}

bool page_is_pfmemalloc(const struct page *page)
{
	return false;
}

void *page_address(const struct page *page)
{
	XS_MODEL_GUARD();
	return xs_physmem_host(xs_kw->pm, page->xs_pfn);
}

struct page *pfn_to_page(unsigned long pfn)
{
	struct xs_kworld *w = xs_kw;

	if (!pfn || pfn >= w->nr_frames)
		return NULL;
	/* A pfn read from a table may be any: its page may be written. */
	if (pfn >= w->pages_dirty)
		w->pages_dirty = pfn + 1;
	return &w->pages[pfn];
}

struct page *virt_to_page(const void *addr)
{
	XS_MODEL_GUARD();
	u64 pfn = xs_physmem_host_to_pfn(xs_kw->pm, addr);

	return pfn ? &xs_kw->pages[pfn] : NULL;
}

phys_addr_t virt_to_phys(const void *addr)
{
	struct page *page = virt_to_page(addr);

	if (WARN_ON(!page))
		return 0;
	return page_to_phys(page) + offset_in_page(addr);
}

void *phys_to_virt(phys_addr_t phys)
{
	XS_MODEL_GUARD();
	u8 *host = xs_physmem_host(xs_kw->pm, phys >> PAGE_SHIFT);

	return host ? host + (phys & ~PAGE_MASK) : NULL;
}

unsigned long get_zeroed_page(gfp_t gfp)
{
	struct page *page = alloc_pages(gfp | __GFP_ZERO, 0);

	return page ? (unsigned long)page_address(page) : 0;
}

void free_page(unsigned long addr)
{
	struct page *page;

	if (!addr)
		return;
	page = virt_to_page((void *)addr);
	if (WARN_ON(!page))
		return;
	__free_pages(page, 0);
}
