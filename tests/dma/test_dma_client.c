// SPDX-License-Identifier: GPL-2.0
/*
 * Blocks of 2^order pages from the page allocator, and the generic DMA
 * client (src/dma_client) on the patch's API: large buffers whose
 * no-sync unmaps free page-table pages, held until the sync.
 */
#include "dma_fixture.h"
#include "dma_client.h"

#define SID_CLIENT	0x0400
#define PAGES_2M	512

static int setup_ranges(void **state)
{
	struct xs_kworld_config cfg;

	xs_kworld_default_config(&cfg);
	cfg.cmdline = "iommu.xsmmu=ranges";
	*state = dma_fx_new(&cfg);
	return *state ? 0 : -1;
}

static int setup_domain(void **state)
{
	struct xs_kworld_config cfg;

	xs_kworld_default_config(&cfg);
	cfg.cmdline = "iommu.xsmmu=1";
	*state = dma_fx_new(&cfg);
	return *state ? 0 : -1;
}

/* A block is contiguous, aligned to its size, and freed as a whole. */
static void test_alloc_pages_order_is_contiguous(void **state)
{
	struct dma_fx *fx = *state;
	u64 out = fx->w->pages_out[XS_PAGE_KIND_DATA];
	struct page *single = alloc_page(GFP_KERNEL);
	struct page *a = alloc_pages(GFP_KERNEL | __GFP_ZERO, 9);
	struct page *b = alloc_pages(GFP_KERNEL, 3);
	unsigned int i;

	assert_non_null(single);
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(page_to_pfn(a) % 512, 0);
	assert_int_equal(page_to_pfn(b) % 8, 0);
	for (i = 0; i < 512; i++) {
		assert_int_equal(page_to_pfn(a + i), page_to_pfn(a) + i);
		assert_int_equal((a + i)->xs_state, XS_PAGE_ALLOCATED);
		assert_int_equal(((u8 *)page_address(a + i))[i % PAGE_SIZE],
				 0);
		assert_true(page_to_pfn(single) != page_to_pfn(a) + i);
	}
	assert_true(page_to_pfn(b) + 8 <= page_to_pfn(a) ||
		    page_to_pfn(b) >= page_to_pfn(a) + 512);
	assert_int_equal(fx->w->pages_out[XS_PAGE_KIND_DATA], out + 521);
	/* A device sees the block as one physical range. */
	memset(page_address(a + 1), 0x5a, PAGE_SIZE);
	assert_int_equal(xs_physmem_read64(fx->w->pm, page_to_phys(a) +
					   PAGE_SIZE + 8),
			 0x5a5a5a5a5a5a5a5aULL);
	__free_pages(a, 9);
	__free_pages(b, 3);
	__free_page(single);
	assert_int_equal(fx->w->pages_out[XS_PAGE_KIND_DATA], out);
	assert_false(xs_physmem_is_allocated(fx->w->pm, page_to_pfn(a) + 511));
	/* Freed frames make a block again. */
	a = alloc_pages(GFP_KERNEL, 9);
	assert_non_null(a);
	__free_pages(a, 9);
}

/* The table the paging-structure cache holds for the span of iova. */
static struct page *cached_table(struct device *dev, u64 iova)
{
	struct dmar_domain *dd = to_dmar_domain(iommu_get_dma_domain(dev));
	u64 table;

	if (!vtd_psc_probe(g_iommus[0]->xs_unit, dd->iommu_did[0], iova,
			   VTD_PSC_PDE, &table))
		return NULL;
	return pfn_to_page(table >> PAGE_SHIFT);
}

/*
 * 2 MiB at a 2 MiB IOVA: the no-sync unmap empties the span's page
 * table, which stays allocated (and cached) until the sync; the sync's
 * page-selective invalidation goes without the hint and drops the cache
 * entry before the table is freed.
 */
static void test_client_table_page_held_until_sync(void **state)
{
	struct dma_fx *fx = *state;
	struct device *dev = xs_device_create("client", SID_CLIENT, 0, 0);
	const struct vtd_stats *st = vtd_stats(g_iommus[0]->xs_unit);
	u64 tables, psi, dropped;
	struct xs_dma_client c;
	struct page *table;
	dma_addr_t addr;
	int slot;

	xs_dma_client_init(&c, dev);
	slot = xs_dma_client_map(&c, PAGES_2M * PAGE_SIZE, 0, false);
	assert_true(slot >= 0);
	addr = c.buf[slot].addr;
	assert_int_equal(addr % (PAGES_2M * PAGE_SIZE), 0);
	assert_int_equal(c.dma_faults, 0);
	table = cached_table(dev, addr);
	assert_non_null(table);
	assert_int_equal(table->xs_kind, XS_PAGE_KIND_PGTABLE);
	tables = fx->w->pages_out[XS_PAGE_KIND_PGTABLE];
	psi = st->iotlb_inv[VTD_GRAN_PSI];
	dropped = st->psc_dropped[VTD_PSC_PDE];

	xs_dma_client_unmap(&c, slot);
	assert_int_equal(table->xs_state, XS_PAGE_ALLOCATED);
	assert_ptr_equal(cached_table(dev, addr), table);
	assert_int_equal(fx->w->pages_out[XS_PAGE_KIND_PGTABLE], tables);
	assert_int_equal(c.buf[slot].page->xs_state, XS_PAGE_ALLOCATED);

	xs_dma_client_sync(&c);
	assert_int_equal(st->iotlb_inv[VTD_GRAN_PSI] - psi, 1);
	assert_true(st->psc_dropped[VTD_PSC_PDE] > dropped);
	assert_null(cached_table(dev, addr));
	assert_int_equal(fx->w->pages_out[XS_PAGE_KIND_PGTABLE], tables - 1);
	assert_int_equal(c.buf[slot].state, XS_DMA_BUF_FREE);
	assert_int_equal(xs_oracle_total(fx->o), 0);
	xs_dma_client_fini(&c);
	xs_device_destroy(dev);
}

/* A one-page buffer frees no table: the hint keeps the cache entry. */
static void test_client_small_unmap_keeps_psc(void **state)
{
	struct dma_fx *fx = *state;
	struct device *dev = xs_device_create("client", SID_CLIENT, 0, 0);
	struct xs_dma_client c;
	struct page *table;
	dma_addr_t addr;
	int slot;

	xs_dma_client_init(&c, dev);
	slot = xs_dma_client_map(&c, 100, 0x340, true);
	assert_true(slot >= 0);
	addr = c.buf[slot].addr;
	assert_int_equal(addr & ~PAGE_MASK, 0x340);
	table = cached_table(dev, addr);
	assert_non_null(table);
	xs_dma_client_unmap(&c, slot);
	xs_dma_client_sync(&c);
	assert_ptr_equal(cached_table(dev, addr), table);
	assert_int_equal(table->xs_state, XS_PAGE_ALLOCATED);
	assert_int_equal(xs_oracle_total(fx->o), 0);
	xs_dma_client_fini(&c);
	xs_device_destroy(dev);
}

/*
 * 513 pages take a 4 MiB IOVA block: the first span is emptied and its
 * table freed (after the sync), the second keeps its table. The device
 * cannot reach the freed buffer through either afterwards.
 */
static void test_client_straddling_buffer(void **state)
{
	struct dma_fx *fx = *state;
	struct device *dev = xs_device_create("client", SID_CLIENT, 0, 0);
	struct xs_dma_client c;
	u64 tables;
	dma_addr_t addr;
	int slot;

	xs_dma_client_init(&c, dev);
	slot = xs_dma_client_map(&c, (PAGES_2M + 1) * PAGE_SIZE, 0, false);
	assert_true(slot >= 0);
	addr = c.buf[slot].addr;
	assert_non_null(cached_table(dev, addr));
	assert_non_null(cached_table(dev, addr + PAGES_2M * PAGE_SIZE));
	tables = fx->w->pages_out[XS_PAGE_KIND_PGTABLE];
	xs_dma_client_unmap(&c, slot);
	xs_dma_client_sync(&c);
	assert_int_equal(fx->w->pages_out[XS_PAGE_KIND_PGTABLE], tables - 1);
	assert_int_equal(xs_dma_client_malicious(&c, 4), 0);
	assert_int_equal(c.mal_accesses, 4);
	assert_int_equal(xs_oracle_total(fx->o), 0);
	xs_dma_client_fini(&c);
	xs_device_destroy(dev);
}

/*
 * A mapping made between a no-sync unmap and its sync gets a fresh IOVA:
 * the unmapped range is held, not back in the allocator.
 */
static void test_client_map_before_sync_gets_fresh_iova(void **state)
{
	struct dma_fx *fx = *state;
	struct device *dev = xs_device_create("client", SID_CLIENT, 0, 0);
	struct xs_dma_client c;
	dma_addr_t first;
	int a, b;

	xs_dma_client_init(&c, dev);
	a = xs_dma_client_map(&c, 16 * PAGE_SIZE, 0, false);
	assert_true(a >= 0);
	first = c.buf[a].addr;
	xs_dma_client_unmap(&c, a);
	b = xs_dma_client_map(&c, 16 * PAGE_SIZE, 0, false);
	assert_true(b >= 0 && b != a);
	assert_true(c.buf[b].addr != first);
	xs_dma_client_sync(&c);
	/* Released now: the allocator hands it out again. */
	a = xs_dma_client_map(&c, 16 * PAGE_SIZE, 0, false);
	assert_true(a >= 0);
	assert_int_equal(c.buf[a].addr, first);
	assert_int_equal(xs_oracle_total(fx->o), 0);
	xs_dma_client_fini(&c);
	xs_device_destroy(dev);
}

/* Strict mode: the no-sync calls are ordinary unmaps. */
static void test_client_strict_fallback(void **state)
{
	struct dma_fx *fx = *state;
	struct device *dev = xs_device_create("client", SID_CLIENT, 0,
					      IOMMU_DOMAIN_DMA);
	u64 tables = fx->w->pages_out[XS_PAGE_KIND_PGTABLE], mapped;
	struct xs_dma_client c;
	int slot;

	xs_dma_client_init(&c, dev);
	slot = xs_dma_client_map(&c, 1024 * PAGE_SIZE, 0, false);
	assert_true(slot >= 0);
	mapped = fx->w->pages_out[XS_PAGE_KIND_PGTABLE];
	assert_true(mapped >= tables + 2);
	xs_dma_client_unmap(&c, slot);
	/* Both spans' tables went with the unmap's own flush. */
	assert_int_equal(fx->w->pages_out[XS_PAGE_KIND_PGTABLE], mapped - 2);
	xs_dma_client_sync(&c);
	assert_int_equal(xs_oracle_total(fx->o), 0);
	xs_dma_client_fini(&c);
	xs_device_destroy(dev);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_alloc_pages_order_is_contiguous, dma_fx_setup,
			dma_fx_teardown),
		cmocka_unit_test_setup_teardown(
			test_client_table_page_held_until_sync, setup_ranges,
			dma_fx_teardown),
		cmocka_unit_test_setup_teardown(
			test_client_small_unmap_keeps_psc, setup_ranges,
			dma_fx_teardown),
		cmocka_unit_test_setup_teardown(
			test_client_straddling_buffer, setup_ranges,
			dma_fx_teardown),
		cmocka_unit_test_setup_teardown(
			test_client_map_before_sync_gets_fresh_iova,
			setup_domain, dma_fx_teardown),
		cmocka_unit_test_setup_teardown(
			test_client_strict_fallback, dma_fx_setup,
			dma_fx_teardown),
	};

	return XS_RUN_GROUP("dma_client", tests);
}
