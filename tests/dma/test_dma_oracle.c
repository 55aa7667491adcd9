// SPDX-License-Identifier: GPL-2.0
/*
 * The safety oracle: for every invariant, the wrong ordering done on
 * purpose (the oracle must report exactly that invariant) and the right
 * ordering (the oracle, fatal, must stay silent).
 */
#include <string.h>

#include <linux/dma-iommu.h>

#include "dma_fixture.h"
#include "dma_debug.h"
#include "dma_iommu_internal.h"

#define SID_NIC		0x0300
#define SID_OTHER	0x0400

static struct iommu_dma_cookie *cookie_of(struct device *dev)
{
	return iommu_get_dma_domain(dev)->iova_cookie;
}

/* Only inv was reported, n times. */
static void assert_only(struct dma_fx *fx, enum xs_invariant inv, u64 n)
{
	int i;

	for (i = 0; i < XS_INV__COUNT; i++)
		if (xs_oracle_count(fx->o, i) != (i == (int)inv ? n : 0))
			fail_msg("%s: %llu reports, expected %llu (only %s)",
				 xs_invariant_name(i),
				 (unsigned long long)xs_oracle_count(fx->o, i),
				 (unsigned long long)(i == (int)inv ? n : 0),
				 xs_invariant_name(inv));
}

/*
 * An unmap that clears the page table but does not invalidate: what a
 * no-sync unmap does before its sync. The dma-debug record goes too.
 */
static void unmap_no_sync(struct device *dev, dma_addr_t addr, size_t size,
			  struct iommu_iotlb_gather *g)
{
	struct xs_dma_map_rec rec;

	assert_true(xs_dma_debug_unmap(dev, addr, &rec));
	iommu_iotlb_gather_init(g);
	assert_int_equal(iommu_unmap_fast(iommu_get_dma_domain(dev), addr,
					  size, g), size);
}

/* ---- S1 ---- */

/* A device with no IOMMU writes a page the driver already freed. */
static void test_s1_direct_device_writes_freed_page(void **state)
{
	struct dma_fx *fx = *state;
	struct device *dev = xs_device_create("nic-direct", SID_NIC, -1, 0);
	struct page *page = dma_fx_page("rx buffer");
	dma_addr_t addr;

	dma_fx_count_only(fx);
	addr = dma_map_page(dev, page, 0, PAGE_SIZE, DMA_FROM_DEVICE);
	assert_int_equal(addr, page_to_phys(page));
	dma_unmap_page(dev, addr, PAGE_SIZE, DMA_FROM_DEVICE);
	__free_page(page);
	assert_only(fx, XS_S1, 0);
	dma_fx_dev_write(dev, addr, 64, 7);
	assert_only(fx, XS_S1, 1);
	assert_int_equal(xs_oracle_first(fx->o)->pfn, addr >> PAGE_SHIFT);
	xs_device_destroy(dev);
}

/*
 * Through a stale IOTLB entry the device reaches a page that was freed
 * and handed to someone else: S2 at the free, S1 at the access.
 */
static void test_s1_stale_iotlb_reaches_reallocated_page(void **state)
{
	struct dma_fx *fx = *state;
	struct device *dev = xs_device_create("nic", SID_NIC, 0,
					      IOMMU_DOMAIN_DMA);
	struct page *page = dma_fx_page("rx buffer"), *other;
	struct iommu_iotlb_gather g;
	dma_addr_t addr;

	dma_fx_count_only(fx);
	addr = dma_map_page(dev, page, 0, PAGE_SIZE, DMA_FROM_DEVICE);
	dma_fx_dev_write(dev, addr, 64, 1);
	unmap_no_sync(dev, addr, PAGE_SIZE, &g);
	__free_page(page);
	other = dma_fx_page("someone else");
	assert_ptr_equal(other, page);	/* last freed, first reused */
	dma_fx_dev_write(dev, addr, 64, 2);
	assert_int_equal(xs_oracle_count(fx->o, XS_S1), 1);
	assert_int_equal(xs_oracle_count(fx->o, XS_S2), 1);
	assert_int_equal(xs_oracle_first(fx->o)->inv, XS_S2);
	iommu_iotlb_sync(iommu_get_dma_domain(dev), &g);
	iommu_dma_free_iova(cookie_of(dev), addr, PAGE_SIZE, NULL);
	__free_page(other);
	xs_device_destroy(dev);
}

/* ---- S2 ---- */

/* Free before the invalidation: the IOTLB still translates to it. */
static void test_s2_free_before_sync(void **state)
{
	struct dma_fx *fx = *state;
	struct device *dev = xs_device_create("nic", SID_NIC, 0,
					      IOMMU_DOMAIN_DMA);
	struct page *page = dma_fx_page("tx buffer");
	struct iommu_iotlb_gather g;
	const struct xs_violation *v;
	dma_addr_t addr;

	dma_fx_count_only(fx);
	addr = dma_map_page(dev, page, 0, PAGE_SIZE, DMA_TO_DEVICE);
	assert_int_equal(xs_device_dma(dev, addr, (u8[64]){ 0 }, 64, false),
			 0);
	unmap_no_sync(dev, addr, PAGE_SIZE, &g);
	__free_page(page);
	assert_only(fx, XS_S2, 1);
	v = xs_oracle_first(fx->o);
	assert_int_equal(v->pfn, page_to_pfn(page));
	assert_string_equal(v->owner, "tx buffer");
	iommu_iotlb_sync(iommu_get_dma_domain(dev), &g);
	iommu_dma_free_iova(cookie_of(dev), addr, PAGE_SIZE, NULL);
	xs_device_destroy(dev);
}

/* A present PTE to the page is just as bad as a cached one. */
static void test_s2_free_while_mapped(void **state)
{
	struct dma_fx *fx = *state;
	struct device *dev = xs_device_create("nic", SID_NIC, 0,
					      IOMMU_DOMAIN_DMA);
	struct page *page = dma_fx_page("rx buffer");
	dma_addr_t addr;

	dma_fx_count_only(fx);
	addr = dma_map_page(dev, page, 0, PAGE_SIZE, DMA_FROM_DEVICE);
	get_page(page);		/* keep the struct usable after the free */
	put_page(page);
	put_page(page);		/* freed, still mapped, never touched */
	assert_only(fx, XS_S2, 1);
	assert_int_equal(xs_oracle_pte_refs(fx->o, page_to_pfn(page)), 1);
	assert_int_equal(xs_oracle_iotlb_refs(fx->o, page_to_pfn(page)), 0);
	/* Take the stale mapping down without the allocator's help. */
	dma_unmap_page(dev, addr, PAGE_SIZE, DMA_FROM_DEVICE);
	xs_device_destroy(dev);
}

/* The right ordering: unmap (invalidate, wait), then free. */
static void test_s2_strict_unmap_then_free(void **state)
{
	struct dma_fx *fx = *state;
	struct device *dev = xs_device_create("nic", SID_NIC, 0,
					      IOMMU_DOMAIN_DMA);
	struct page *page = dma_fx_page("rx buffer");
	struct xs_exposure e;
	dma_addr_t addr;

	addr = dma_map_page(dev, page, 0, PAGE_SIZE, DMA_FROM_DEVICE);
	dma_fx_dev_write(dev, addr, PAGE_SIZE, 3);
	assert_int_equal(xs_oracle_iotlb_refs(fx->o, page_to_pfn(page)), 1);
	dma_unmap_page(dev, addr, PAGE_SIZE, DMA_FROM_DEVICE);
	assert_int_equal(xs_oracle_iotlb_refs(fx->o, page_to_pfn(page)), 0);
	assert_int_equal(xs_oracle_pte_refs(fx->o, page_to_pfn(page)), 0);
	__free_page(page);
	assert_int_equal(xs_oracle_total(fx->o), 0);
	xs_oracle_exposure(fx->o, &e);
	assert_int_equal(e.exposed, 0);
	xs_device_destroy(dev);
}

/* ---- S3 ---- */

/*
 * The seed's defect: a no-sync unmap frees the IOVA at once; the next
 * mapping gets the same IOVA while the IOTLB still holds the old one.
 */
static void test_s3_iova_freed_before_invalidation(void **state)
{
	struct dma_fx *fx = *state;
	struct device *dev = xs_device_create("nic", SID_NIC, 0,
					      IOMMU_DOMAIN_DMA);
	struct page *a = dma_fx_page("buffer A"), *b = dma_fx_page("buffer B");
	struct iommu_iotlb_gather g;
	dma_addr_t addr, addr2;

	dma_fx_count_only(fx);
	addr = dma_map_page(dev, a, 0, PAGE_SIZE, DMA_FROM_DEVICE);
	dma_fx_dev_write(dev, addr, 64, 1);
	unmap_no_sync(dev, addr, PAGE_SIZE, &g);
	iommu_dma_free_iova(cookie_of(dev), addr, PAGE_SIZE, NULL);
	addr2 = dma_map_page(dev, b, 0, PAGE_SIZE, DMA_FROM_DEVICE);
	assert_int_equal(addr2, addr);
	assert_only(fx, XS_S3, 1);
	assert_int_equal(xs_oracle_first(fx->o)->iova, addr);
	assert_int_equal(xs_oracle_first(fx->o)->pfn, page_to_pfn(a));
	/* The device now writes A through B's mapping: silent corruption. */
	dma_fx_dev_write(dev, addr2, 16, 9);
	assert_int_equal(((u8 *)page_address(a))[0], 9);
	iommu_iotlb_sync(iommu_get_dma_domain(dev), &g);
	dma_unmap_page(dev, addr2, PAGE_SIZE, DMA_FROM_DEVICE);
	__free_page(a);
	__free_page(b);
	xs_device_destroy(dev);
}

static void test_s3_iova_freed_after_invalidation(void **state)
{
	struct dma_fx *fx = *state;
	struct device *dev = xs_device_create("nic", SID_NIC, 0,
					      IOMMU_DOMAIN_DMA);
	struct page *a = dma_fx_page("buffer A"), *b = dma_fx_page("buffer B");
	dma_addr_t addr, addr2;

	addr = dma_map_page(dev, a, 0, PAGE_SIZE, DMA_FROM_DEVICE);
	dma_fx_dev_write(dev, addr, 64, 1);
	dma_unmap_page(dev, addr, PAGE_SIZE, DMA_FROM_DEVICE);
	addr2 = dma_map_page(dev, b, 0, PAGE_SIZE, DMA_FROM_DEVICE);
	assert_int_equal(addr2, addr);
	dma_fx_dev_write(dev, addr2, 16, 9);
	assert_int_equal(((u8 *)page_address(b))[0], 9);
	assert_int_equal(xs_oracle_total(fx->o), 0);
	dma_unmap_page(dev, addr2, PAGE_SIZE, DMA_FROM_DEVICE);
	__free_page(a);
	__free_page(b);
	xs_device_destroy(dev);
}

/* ---- S4 ---- */

#define BIG_IOVA	0x200000000ULL	/* above the DMA API's IOVA space */

/* Maps a whole page table's span (2 MiB) and walks it once. */
static struct page *map_table_span(struct device *dev)
{
	struct iommu_domain *domain = iommu_get_dma_domain(dev);
	struct page *page = dma_fx_page("shared target");
	unsigned long i;

	for (i = 0; i < 512; i++)
		assert_int_equal(iommu_map(domain, BIG_IOVA + i * PAGE_SIZE,
					   page_to_phys(page), PAGE_SIZE,
					   IOMMU_READ | IOMMU_WRITE), 0);
	assert_int_equal(xs_device_dma(dev, BIG_IOVA + 5 * PAGE_SIZE,
				       (u8[8]){ 0 }, 8, false), 0);
	return page;
}

/* The unmap freed the page table; freeing it before the sync is S4. */
static void test_s4_table_freed_before_sync(void **state)
{
	struct dma_fx *fx = *state;
	struct device *dev = xs_device_create("nic", SID_NIC, 0,
					      IOMMU_DOMAIN_DMA);
	struct iommu_domain *domain = iommu_get_dma_domain(dev);
	struct page *page = map_table_span(dev), *table;
	struct iommu_iotlb_gather g;

	dma_fx_count_only(fx);
	iommu_iotlb_gather_init(&g);
	assert_int_equal(iommu_unmap_fast(domain, BIG_IOVA, 512 * PAGE_SIZE,
					  &g), 512 * PAGE_SIZE);
	table = g.freelist;
	assert_non_null(table);
	assert_null(table->freelist);	/* exactly the one page table */
	assert_int_equal(table->xs_kind, XS_PAGE_KIND_PGTABLE);
	assert_int_equal(xs_oracle_psc_refs(fx->o, page_to_pfn(table)), 1);
	iommu_dma_entry_dtor((unsigned long)g.freelist);
	assert_only(fx, XS_S4, 1);
	assert_int_equal(xs_oracle_first(fx->o)->pfn, page_to_pfn(table));
	g.freelist = NULL;
	iommu_flush_iotlb_all(domain);
	__free_page(page);
	xs_device_destroy(dev);
}

/* iotlb_sync with a freelist: IH = 0 drops the PSC, then frees. */
static void test_s4_table_freed_after_sync(void **state)
{
	struct dma_fx *fx = *state;
	struct device *dev = xs_device_create("nic", SID_NIC, 0,
					      IOMMU_DOMAIN_DMA);
	struct iommu_domain *domain = iommu_get_dma_domain(dev);
	struct page *page = map_table_span(dev);
	struct iommu_iotlb_gather g;
	u64 tables = fx->w->pages_out[XS_PAGE_KIND_PGTABLE];

	iommu_iotlb_gather_init(&g);
	assert_int_equal(iommu_unmap_fast(domain, BIG_IOVA, 512 * PAGE_SIZE,
					  &g), 512 * PAGE_SIZE);
	assert_non_null(g.freelist);
	iommu_iotlb_sync(domain, &g);
	assert_int_equal(fx->w->pages_out[XS_PAGE_KIND_PGTABLE], tables - 1);
	assert_int_equal(xs_oracle_total(fx->o), 0);
	__free_page(page);
	xs_device_destroy(dev);
}

/* ---- S5 ---- */

/* A submitter that writes IQT and returns without waiting. */
static void test_s5_sync_returns_before_wait(void **state)
{
	struct dma_fx *fx = *state;
	struct intel_iommu *iommu = g_iommus[0];
	struct q_inval *qi = iommu->qi;
	struct page *status = dma_fx_page("status word");
	u64 slot = qi->xs_desc_phys + ((u64)qi->free_head << 4);
	struct vtd_desc w = vtd_desc_wait(true, false, false, QI_DONE,
					  page_to_phys(status));

	dma_fx_count_only(fx);
	xs_physmem_write64(fx->w->pm, slot, w.qw0);
	xs_physmem_write64(fx->w->pm, slot + 8, w.qw1);
	xs_oracle_wait_issued(fx->o, 0, page_to_phys(status));
	qi->free_head = (qi->free_head + 1) % QI_LENGTH;
	qi->free_tail = qi->free_head;
	vtd_reg_write64(iommu->xs_unit, VTD_REG_IQT,
			(u64)qi->free_head << 4);
	xs_oracle_wait_returned(fx->o, 0, page_to_phys(status));
	assert_only(fx, XS_S5, 1);
	/* The hardware completes later; a correct waiter would see it. */
	vtd_iq_drain(iommu->xs_unit);
	assert_int_equal(*(u32 *)page_address(status), QI_DONE);
	__free_page(status);
}

static void test_s5_qi_submit_sync_waits(void **state)
{
	struct dma_fx *fx = *state;
	struct intel_iommu *iommu = g_iommus[0];
	struct qi_desc d = { 0 };
	u64 t0 = fx->w->clock.now;

	d.qw0 = QI_IOTLB_GRAN(DMA_TLB_GLOBAL_FLUSH) | QI_IOTLB_TYPE;
	assert_int_equal(qi_submit_sync(iommu, &d, 1, 0), 0);
	assert_int_equal(xs_oracle_total(fx->o), 0);
	/* Waiting took at least the hardware's time for both descriptors. */
	assert_true(fx->w->clock.now - t0 >=
		    xs_param(&fx->w->params, XS_P_INV_IOTLB_GLOBAL_NS) +
		    xs_param(&fx->w->params, XS_P_INV_WAIT_NS));
	assert_int_equal(vtd_stats(iommu->xs_unit)->waits, 1);
}

/* ---- L1 ---- */

static void test_l1_leaked_page(void **state)
{
	struct dma_fx *fx = *state;

	dma_fx_count_only(fx);
	dma_fx_page("forgotten");
	assert_int_equal(dma_fx_free(fx), 1);
	*state = NULL;
}

/* A mapping never unmapped: reported at device teardown, then undone. */
static void test_l1_leaked_mapping(void **state)
{
	struct dma_fx *fx = *state;
	struct device *dev = xs_device_create("nic", SID_NIC, 0,
					      IOMMU_DOMAIN_DMA);
	struct page *page = dma_fx_page("rx buffer");

	dma_fx_count_only(fx);
	assert_int_not_equal(dma_map_page(dev, page, 0, PAGE_SIZE,
					  DMA_FROM_DEVICE), DMA_MAPPING_ERROR);
	xs_device_destroy(dev);
	assert_only(fx, XS_L1, 1);
	__free_page(page);
	/* Undone at teardown: nothing else is lost. */
	assert_int_equal(dma_fx_free(fx), 0);
	*state = NULL;
}

static void test_l1_clean_teardown(void **state)
{
	struct dma_fx *fx = *state;
	struct device *dev = xs_device_create("nic", SID_NIC, 0,
					      IOMMU_DOMAIN_DMA_FQ);
	struct page *page = dma_fx_page("rx buffer");
	dma_addr_t addr;

	addr = dma_map_page(dev, page, 0, PAGE_SIZE, DMA_FROM_DEVICE);
	dma_unmap_page(dev, addr, PAGE_SIZE, DMA_FROM_DEVICE);
	/* Lazy: the IOVA waits in the flush queue; teardown flushes it. */
	assert_int_equal(cookie_of(dev)->iovad.xs_queued, 1);
	xs_device_destroy(dev);
	__free_page(page);
	dma_fx_free_checked(fx);
	*state = NULL;
}

/* ---- F1 ---- */

/* What the device wrote is what the driver reads. */
static void test_f1_rx_data_lands(void **state)
{
	struct dma_fx *fx = *state;
	struct device *dev = xs_device_create("nic", SID_NIC, 0,
					      IOMMU_DOMAIN_DMA);
	struct page *page = dma_fx_page("rx buffer");
	u8 expect[1500];
	dma_addr_t addr;

	addr = dma_map_page(dev, page, 100, sizeof(expect), DMA_FROM_DEVICE);
	dma_fx_dev_write(dev, addr, sizeof(expect), 42);
	dma_unmap_page(dev, addr, sizeof(expect), DMA_FROM_DEVICE);
	dma_fx_fill(expect, sizeof(expect), 42);
	xs_oracle_check_data(fx->o, "rx", expect,
			     (u8 *)page_address(page) + 100, sizeof(expect),
			     addr);
	assert_int_equal(xs_oracle_total(fx->o), 0);
	__free_page(page);
	xs_device_destroy(dev);
}

/*
 * Lazy mode's window: the page is freed and reused by someone else while
 * the IOTLB still maps it; the device's next write corrupts the new
 * owner's data.
 */
static void test_f1_lazy_window_corrupts_new_owner(void **state)
{
	struct dma_fx *fx = *state;
	struct device *dev = xs_device_create("nic", SID_NIC, 0,
					      IOMMU_DOMAIN_DMA_FQ);
	struct page *page = dma_fx_page("rx buffer"), *other;
	u8 expect[256];
	dma_addr_t addr;

	dma_fx_count_only(fx);
	addr = dma_map_page(dev, page, 0, PAGE_SIZE, DMA_FROM_DEVICE);
	dma_fx_dev_write(dev, addr, 64, 1);
	dma_unmap_page(dev, addr, PAGE_SIZE, DMA_FROM_DEVICE);
	__free_page(page);
	other = dma_fx_page("page cache");
	assert_ptr_equal(other, page);
	memset(expect, 0x5a, sizeof(expect));
	memcpy(page_address(other), expect, sizeof(expect));
	dma_fx_dev_write(dev, addr, 64, 2);
	xs_oracle_check_data(fx->o, "page cache", expect,
			     page_address(other), sizeof(expect), 0);
	assert_int_equal(xs_oracle_count(fx->o, XS_F1), 1);
	assert_int_equal(xs_oracle_count(fx->o, XS_S1), 1);
	assert_int_equal(xs_oracle_count(fx->o, XS_S2), 1);
	__free_page(other);
	xs_device_destroy(dev);
}

#define T(f) cmocka_unit_test_setup_teardown(f, dma_fx_setup, dma_fx_teardown)

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		T(test_s1_direct_device_writes_freed_page),
		T(test_s1_stale_iotlb_reaches_reallocated_page),
		T(test_s2_free_before_sync),
		T(test_s2_free_while_mapped),
		T(test_s2_strict_unmap_then_free),
		T(test_s3_iova_freed_before_invalidation),
		T(test_s3_iova_freed_after_invalidation),
		T(test_s4_table_freed_before_sync),
		T(test_s4_table_freed_after_sync),
		T(test_s5_sync_returns_before_wait),
		T(test_s5_qi_submit_sync_waits),
		T(test_l1_leaked_page),
		T(test_l1_leaked_mapping),
		T(test_l1_clean_teardown),
		T(test_f1_rx_data_lands),
		T(test_f1_lazy_window_corrupts_new_owner),
	};

	return XS_RUN_GROUP("dma_oracle", tests);
}
