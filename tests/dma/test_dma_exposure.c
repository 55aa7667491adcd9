// SPDX-License-Identifier: GPL-2.0
/*
 * The oracle reads the hardware's state, not the driver's word:
 *
 *  - the exposure window of a freed frame closes only when every
 *    translation that existed at the free is gone (a translation the
 *    frame's next owner makes neither keeps it open nor closes it), for
 *    each kind of translation: present PTE, IOTLB entry, PSC entry;
 *  - S2 counts the PTEs present in the page tables (an unmap the table
 *    code refused leaves the PTE, and S2 sees it);
 *  - S4 also sees a parent entry that still links a freed table page;
 *  - L1 sees a leaf left in a table the domain's teardown releases.
 */
#include <linux/dma-iommu.h>

#include "dma_fixture.h"
#include "dma_debug.h"
#include "dma_iommu_internal.h"

#define SID_NIC		0x0300
#define BIG_IOVA	0x200000000ULL	/* above the DMA API's IOVA space */
#define SPAN		(512 * PAGE_SIZE)

static struct xs_exposure exposure(struct dma_fx *fx)
{
	struct xs_exposure e;

	xs_oracle_exposure(fx->o, &e);
	return e;
}

/* Physical address of the entry that maps iova at level (4..1). */
static u64 entry_addr(struct iommu_domain *domain, u64 iova, int level)
{
	u64 table = to_dmar_domain(domain)->xs_pt.root, pte;
	int l;

	for (l = 4; l > level; l--) {
		pte = xs_physmem_read64(xs_kw->pm,
					table + 8ULL * vtd_level_index(iova, l));
		assert_true(pte & VTD_SL_RW);
		table = pte & VTD_SL_ADDR_MASK;
	}
	return table + 8ULL * vtd_level_index(iova, level);
}

/*
 * A page freed while still mapped; its frame goes to a new owner, who
 * maps it, lets the device use it and unmaps it again. The window is the
 * old PTE's: it stays open until that PTE is cleared.
 */
static void test_window_outlives_new_owners_mapping(void **state)
{
	struct dma_fx *fx = *state;
	struct device *dev = xs_device_create("nic", SID_NIC, 0,
					      IOMMU_DOMAIN_DMA);
	struct page *page = dma_fx_page("rx buffer"), *other;
	dma_addr_t addr, addr2;
	u64 t_free;

	dma_fx_count_only(fx);
	addr = dma_map_page(dev, page, 0, PAGE_SIZE, DMA_FROM_DEVICE);
	get_page(page);
	put_page(page);
	put_page(page);		/* freed with its PTE present */
	t_free = xs_kworld_now(fx->w);
	assert_int_equal(xs_oracle_count(fx->o, XS_S2), 1);
	assert_int_equal(exposure(fx).open, 1);

	other = dma_fx_page("new owner");
	assert_ptr_equal(other, page);	/* last freed, first reused */
	addr2 = dma_map_page(dev, other, 0, PAGE_SIZE, DMA_FROM_DEVICE);
	assert_int_not_equal(addr2, addr);
	assert_int_equal(xs_oracle_pte_refs(fx->o, page_to_pfn(other)), 2);
	dma_fx_dev_write(dev, addr2, 64, 1);
	assert_int_equal(xs_oracle_iotlb_refs(fx->o, page_to_pfn(other)), 1);
	xs_kworld_advance(fx->w, 1000);
	/* the new owner's PTE and IOTLB entry go; the old PTE stays */
	dma_unmap_page(dev, addr2, PAGE_SIZE, DMA_FROM_DEVICE);
	assert_int_equal(xs_oracle_pte_refs(fx->o, page_to_pfn(other)), 1);
	assert_int_equal(exposure(fx).open, 1);
	assert_int_equal(exposure(fx).closed, 0);

	xs_kworld_advance(fx->w, 5000);
	dma_unmap_page(dev, addr, PAGE_SIZE, DMA_FROM_DEVICE);
	assert_int_equal(exposure(fx).open, 0);
	assert_int_equal(exposure(fx).closed, 1);
	assert_true(exposure(fx).max_ns >= 6000);
	assert_true(exposure(fx).max_ns <= xs_kworld_now(fx->w) - t_free);
	__free_page(other);
	xs_device_destroy(dev);
}

/*
 * The same with a stale IOTLB entry: the new owner's entry (a new
 * generation) is dropped first; the window waits for the old one.
 */
static void test_window_waits_for_old_iotlb_entry(void **state)
{
	struct dma_fx *fx = *state;
	struct device *dev = xs_device_create("nic", SID_NIC, 0,
					      IOMMU_DOMAIN_DMA);
	struct iommu_domain *domain = iommu_get_dma_domain(dev);
	struct dmar_domain *dd = to_dmar_domain(domain);
	struct page *page = dma_fx_page("rx buffer"), *other;
	struct iommu_iotlb_gather g;
	struct xs_dma_map_rec rec;
	dma_addr_t addr, addr2;

	dma_fx_count_only(fx);
	addr = dma_map_page(dev, page, 0, PAGE_SIZE, DMA_FROM_DEVICE);
	dma_fx_dev_write(dev, addr, 64, 1);
	/* a no-sync unmap: PTE cleared, IOTLB entry left */
	assert_true(xs_dma_debug_unmap(dev, addr, &rec));
	iommu_iotlb_gather_init(&g);
	assert_int_equal(iommu_unmap_fast(domain, addr, PAGE_SIZE, &g),
			 PAGE_SIZE);
	__free_page(page);
	assert_int_equal(xs_oracle_count(fx->o, XS_S2), 1);
	assert_int_equal(exposure(fx).open, 1);

	other = dma_fx_page("new owner");
	assert_ptr_equal(other, page);
	addr2 = BIG_IOVA;
	assert_int_equal(iommu_map(domain, addr2, page_to_phys(other),
				   PAGE_SIZE, IOMMU_READ | IOMMU_WRITE), 0);
	dma_fx_dev_write(dev, addr2, 64, 2);
	assert_int_equal(xs_oracle_iotlb_refs(fx->o, page_to_pfn(other)), 2);
	assert_int_equal(iommu_unmap(domain, addr2, PAGE_SIZE), PAGE_SIZE);
	assert_int_equal(xs_oracle_iotlb_refs(fx->o, page_to_pfn(other)), 1);
	assert_int_equal(exposure(fx).open, 1);

	xs_kworld_advance(fx->w, 3000);
	qi_flush_iotlb(g_iommus[0], dd->iommu_did[0], addr, 0,
		       DMA_TLB_PSI_FLUSH);
	assert_int_equal(exposure(fx).open, 0);
	assert_true(exposure(fx).max_ns >= 3000);
	iommu_dma_free_iova(cookie_of_dev(dev), addr, PAGE_SIZE, NULL);
	__free_page(other);
	xs_device_destroy(dev);
}

/* Maps a whole table span at iova to one page and walks it once. */
static void map_span(struct device *dev, u64 iova, struct page *page)
{
	struct iommu_domain *domain = iommu_get_dma_domain(dev);
	unsigned long i;

	for (i = 0; i < 512; i++)
		assert_int_equal(iommu_map(domain, iova + i * PAGE_SIZE,
					   page_to_phys(page), PAGE_SIZE,
					   IOMMU_READ | IOMMU_WRITE), 0);
	assert_int_equal(xs_device_dma(dev, iova + 5 * PAGE_SIZE,
				       (u8[8]){ 0 }, 8, false), 0);
}

/*
 * A table page freed while a PSC entry points into it (S4); the frame
 * becomes a table again and the device caches an entry for the new use.
 * Dropping that new entry does not close the window; dropping the old
 * one does.
 */
static void test_window_waits_for_old_psc_entry(void **state)
{
	struct dma_fx *fx = *state;
	struct device *dev = xs_device_create("nic", SID_NIC, 0,
					      IOMMU_DOMAIN_DMA);
	struct iommu_domain *domain = iommu_get_dma_domain(dev);
	struct dmar_domain *dd = to_dmar_domain(domain);
	struct page *page = dma_fx_page("target"), *table;
	struct iommu_iotlb_gather g;
	u64 second = BIG_IOVA + 4 * SPAN;

	dma_fx_count_only(fx);
	map_span(dev, BIG_IOVA, page);
	iommu_iotlb_gather_init(&g);
	assert_int_equal(iommu_unmap_fast(domain, BIG_IOVA, SPAN, &g), SPAN);
	table = g.freelist;
	assert_non_null(table);
	assert_int_equal(xs_oracle_psc_refs(fx->o, page_to_pfn(table)), 1);
	iommu_dma_entry_dtor((unsigned long)g.freelist);
	assert_int_equal(xs_oracle_count(fx->o, XS_S4), 1);
	assert_int_equal(exposure(fx).open, 1);

	map_span(dev, second, page);	/* reuses the freed table frame */
	assert_int_equal((xs_physmem_read64(xs_kw->pm,
					    entry_addr(domain, second, 2)) &
			  VTD_SL_ADDR_MASK) >> PAGE_SHIFT,
			 page_to_pfn(table));
	assert_int_equal(xs_oracle_psc_refs(fx->o, page_to_pfn(table)), 2);
	/* a PSI with IH=0 drops the PSC entries of its own region only */
	qi_flush_iotlb(g_iommus[0], dd->iommu_did[0], second, 0,
		       DMA_TLB_PSI_FLUSH);
	assert_int_equal(xs_oracle_psc_refs(fx->o, page_to_pfn(table)), 1);
	assert_int_equal(exposure(fx).open, 1);

	qi_flush_iotlb(g_iommus[0], dd->iommu_did[0], BIG_IOVA, 0,
		       DMA_TLB_PSI_FLUSH);
	assert_int_equal(xs_oracle_psc_refs(fx->o, page_to_pfn(table)), 0);
	assert_int_equal(exposure(fx).open, 0);
	assert_int_equal(iommu_unmap(domain, second, SPAN), SPAN);
	__free_page(page);
	xs_device_destroy(dev);
}

/*
 * The page-table code refuses an unmap (a size that is not a whole
 * number of pages): the PTE stays, and freeing the page is S2. (A
 * count kept by the driver before the table code ran once said 0.)
 */
static void test_s2_sees_pte_a_refused_unmap_left(void **state)
{
	struct dma_fx *fx = *state;
	struct device *dev = xs_device_create("nic", SID_NIC, 0,
					      IOMMU_DOMAIN_DMA);
	struct iommu_domain *domain = iommu_get_dma_domain(dev);
	struct page *page = dma_fx_page("rx buffer");
	struct iommu_iotlb_gather g;

	dma_fx_count_only(fx);
	assert_int_equal(iommu_map(domain, BIG_IOVA, page_to_phys(page),
				   PAGE_SIZE, IOMMU_READ | IOMMU_WRITE), 0);
	iommu_iotlb_gather_init(&g);
	assert_int_equal(domain->ops->unmap(domain, BIG_IOVA, PAGE_SIZE + 8,
					    &g), 0);
	assert_int_equal(xs_oracle_pte_refs(fx->o, page_to_pfn(page)), 1);
	get_page(page);
	put_page(page);
	put_page(page);
	assert_int_equal(xs_oracle_count(fx->o, XS_S2), 1);
	assert_int_equal(xs_oracle_first(fx->o)->pfn, page_to_pfn(page));
	assert_int_equal(iommu_unmap(domain, BIG_IOVA, PAGE_SIZE), PAGE_SIZE);
	xs_device_destroy(dev);
}

/* A PTE nobody announced (written straight into the table) counts. */
static void test_s2_sees_pte_written_behind_the_drivers_back(void **state)
{
	struct dma_fx *fx = *state;
	struct device *dev = xs_device_create("nic", SID_NIC, 0,
					      IOMMU_DOMAIN_DMA);
	struct iommu_domain *domain = iommu_get_dma_domain(dev);
	struct page *page = dma_fx_page("rx buffer"), *other;
	u64 pte;

	dma_fx_count_only(fx);
	other = dma_fx_page("other buffer");
	assert_int_equal(iommu_map(domain, BIG_IOVA, page_to_phys(other),
				   PAGE_SIZE, IOMMU_READ | IOMMU_WRITE), 0);
	/* redirect the leaf to page, as a stray write to the table would */
	pte = page_to_phys(page) | VTD_SL_RW;
	xs_physmem_write64(xs_kw->pm, entry_addr(domain, BIG_IOVA, 1), pte);
	assert_int_equal(xs_oracle_pte_refs(fx->o, page_to_pfn(other)), 0);
	assert_int_equal(xs_oracle_pte_refs(fx->o, page_to_pfn(page)), 1);
	__free_page(other);
	assert_int_equal(xs_oracle_total(fx->o), 0);
	get_page(page);
	put_page(page);
	put_page(page);
	assert_int_equal(xs_oracle_count(fx->o, XS_S2), 1);
	assert_int_equal(iommu_unmap(domain, BIG_IOVA, PAGE_SIZE), PAGE_SIZE);
	xs_device_destroy(dev);
}

/*
 * A table page freed while its parent entry still links to it (no PSC
 * entry: the device never walked it) is S4; unlinked first, it is not.
 */
static void test_s4_sees_parent_link(void **state)
{
	struct dma_fx *fx = *state;
	struct device *dev = xs_device_create("nic", SID_NIC, 0,
					      IOMMU_DOMAIN_DMA);
	struct iommu_domain *domain = iommu_get_dma_domain(dev);
	struct page *page = dma_fx_page("rx buffer"), *table;
	u64 link;

	dma_fx_count_only(fx);
	assert_int_equal(iommu_map(domain, BIG_IOVA, page_to_phys(page),
				   PAGE_SIZE, IOMMU_READ | IOMMU_WRITE), 0);
	assert_int_equal(iommu_unmap(domain, BIG_IOVA, PAGE_SIZE), PAGE_SIZE);
	/* the empty leaf table stays linked (5.15 unlinks whole spans only) */
	link = entry_addr(domain, BIG_IOVA, 2);
	table = pfn_to_page((xs_physmem_read64(xs_kw->pm, link) &
			     VTD_SL_ADDR_MASK) >> PAGE_SHIFT);
	assert_int_equal(table->xs_kind, XS_PAGE_KIND_PGTABLE);
	assert_int_equal(xs_oracle_psc_refs(fx->o, page_to_pfn(table)), 0);
	assert_int_equal(xs_oracle_pte_refs(fx->o, page_to_pfn(table)), 1);
	__free_page(table);
	assert_int_equal(xs_oracle_count(fx->o, XS_S4), 1);
	assert_int_equal(xs_oracle_first(fx->o)->pfn, page_to_pfn(table));
	/* unlink it, so the domain's teardown does not free it again */
	xs_physmem_write64(xs_kw->pm, link, 0);
	to_dmar_domain(domain)->xs_pt.nr_tables--;
	assert_int_equal(xs_oracle_pte_refs(fx->o, page_to_pfn(table)), 0);
	__free_page(page);
	xs_device_destroy(dev);
	assert_int_equal(xs_oracle_count(fx->o, XS_S4), 1);
}

/*
 * A mapping made straight through the IOMMU API (dma-debug never saw it)
 * and never unmapped: the domain's teardown releases a table that still
 * holds its leaf, and L1 says so.
 */
static void test_l1_sees_leaf_left_in_released_table(void **state)
{
	struct dma_fx *fx = *state;
	struct device *dev = xs_device_create("nic", SID_NIC, 0,
					      IOMMU_DOMAIN_DMA);
	struct iommu_domain *domain = iommu_get_dma_domain(dev);
	struct page *page = dma_fx_page("rx buffer");

	dma_fx_count_only(fx);
	assert_int_equal(iommu_map(domain, BIG_IOVA, page_to_phys(page),
				   PAGE_SIZE, IOMMU_READ | IOMMU_WRITE), 0);
	xs_device_destroy(dev);
	assert_int_equal(xs_oracle_count(fx->o, XS_L1), 1);
	assert_int_equal(xs_oracle_total(fx->o), 1);
	assert_int_equal(xs_oracle_pte_refs(fx->o, page_to_pfn(page)), 0);
	__free_page(page);
	assert_int_equal(xs_oracle_total(fx->o), 1);
}

#define T(f) cmocka_unit_test_setup_teardown(f, dma_fx_setup, dma_fx_teardown)

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		T(test_window_outlives_new_owners_mapping),
		T(test_window_waits_for_old_iotlb_entry),
		T(test_window_waits_for_old_psc_entry),
		T(test_s2_sees_pte_a_refused_unmap_left),
		T(test_s2_sees_pte_written_behind_the_drivers_back),
		T(test_s4_sees_parent_link),
		T(test_l1_sees_leaf_left_in_released_table),
	};

	return XS_RUN_GROUP("dma_exposure", tests);
}
