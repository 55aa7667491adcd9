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
	xs_oracle_wait_issued(fx->o, 0, slot);
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

/* The hardware completes a wait without the status write: S5 at once. */
static void test_s5_wait_without_status_write(void **state)
{
	struct dma_fx *fx = *state;
	struct intel_iommu *iommu = g_iommus[0];
	struct q_inval *qi = iommu->qi;
	struct page *status = dma_fx_page("status word");
	u64 slot = qi->xs_desc_phys + ((u64)qi->free_head << 4);
	struct vtd_desc w = vtd_desc_wait(false, false, false, QI_DONE,
					  page_to_phys(status));

	dma_fx_count_only(fx);
	*(u32 *)page_address(status) = 0;
	xs_physmem_write64(fx->w->pm, slot, w.qw0);
	xs_physmem_write64(fx->w->pm, slot + 8, w.qw1);
	xs_oracle_wait_issued(fx->o, 0, slot);
	/* Reported when queued: nobody can ever see it complete. */
	assert_only(fx, XS_S5, 1);
	qi->free_head = (qi->free_head + 1) % QI_LENGTH;
	qi->free_tail = qi->free_head;
	vtd_reg_write64(iommu->xs_unit, VTD_REG_IQT,
			(u64)qi->free_head << 4);
	vtd_iq_drain(iommu->xs_unit);
	assert_int_equal(vtd_stats(iommu->xs_unit)->waits, 1);
	assert_int_equal(*(u32 *)page_address(status), 0);
	/* The submitter's return is not a second report of the same wait. */
	xs_oracle_wait_returned(fx->o, 0, page_to_phys(status));
	assert_only(fx, XS_S5, 1);
	__free_page(status);
}

/*
 * The hardware stops (queued invalidation switched off behind the
 * driver's back): the kernel would spin forever; the model gives up with
 * -ETIMEDOUT, and that return is S5 plus the WARN that says why.
 */
static void test_s5_qi_submit_sync_timeout(void **state)
{
	struct dma_fx *fx = *state;
	struct intel_iommu *iommu = g_iommus[0];
	struct qi_desc d = { 0 };

	xs_oracle_expect(fx->o, XS_S5, 1);
	dma_fx_expect_warns(fx, 1);
	vtd_reg_write32(iommu->xs_unit, VTD_REG_GCMD,
			iommu->gcmd & ~VTD_GCMD_QIE);
	d.qw0 = QI_IOTLB_GRAN(DMA_TLB_GLOBAL_FLUSH) | QI_IOTLB_TYPE;
	assert_int_equal(qi_submit_sync(iommu, &d, 1, 0), -ETIMEDOUT);
	assert_int_equal(xs_oracle_expected_left(fx->o, XS_S5), 0);
	assert_int_equal(xs_oracle_expected_left(fx->o, XS_W), 0);
	assert_int_equal(iommu->xs_qi_stuck, 1);
	assert_int_equal(xs_oracle_total(fx->o), 0);
}

/*
 * An invalid descriptor: 5.15 puts the wait in its place and returns
 * -EINVAL at once, before that wait completes: an S5 (the caller, who
 * ignores the code, goes on unflushed). The queue then works again.
 */
static void test_s5_qi_submit_sync_invalid_descriptor(void **state)
{
	struct dma_fx *fx = *state;
	struct intel_iommu *iommu = g_iommus[0];
	struct qi_desc d = { 0 };

	xs_oracle_expect(fx->o, XS_S5, 1);
	d.qw0 = QI_IOTLB_GRAN(DMA_TLB_GLOBAL_FLUSH) | QI_IOTLB_TYPE |
		BIT_ULL(8);	/* reserved */
	assert_int_equal(qi_submit_sync(iommu, &d, 1, 0), -EINVAL);
	assert_int_equal(xs_oracle_expected_left(fx->o, XS_S5), 0);
	d.qw0 &= ~BIT_ULL(8);
	assert_int_equal(qi_submit_sync(iommu, &d, 1, 0), 0);
	assert_int_equal(xs_oracle_total(fx->o), 0);
}

/* No free slot and nobody left to free one: -EBUSY, S5 and a WARN. */
static void test_s5_qi_submit_sync_queue_full(void **state)
{
	struct dma_fx *fx = *state;
	struct intel_iommu *iommu = g_iommus[0];
	struct qi_desc d = { 0 };
	int free_cnt = iommu->qi->free_cnt;

	xs_oracle_expect(fx->o, XS_S5, 1);
	dma_fx_expect_warns(fx, 1);
	iommu->qi->free_cnt = 2;	/* one descriptor needs 3 */
	d.qw0 = QI_IOTLB_GRAN(DMA_TLB_GLOBAL_FLUSH) | QI_IOTLB_TYPE;
	assert_int_equal(qi_submit_sync(iommu, &d, 1, 0), -EBUSY);
	assert_int_equal(vtd_stats(iommu->xs_unit)->waits, 0);
	iommu->qi->free_cnt = free_cnt;
	assert_int_equal(xs_oracle_expected_left(fx->o, XS_S5), 0);
	assert_int_equal(xs_oracle_total(fx->o), 0);
}

/* ---- W: a kernel WARN is a verdict ---- */

static void test_w_warn_counted_with_its_site(void **state)
{
	struct dma_fx *fx = *state;
	const struct xs_violation *v;
	char site[64];
	int line;

	dma_fx_count_only(fx);
	assert_false(WARN_ON(fx == NULL));
	assert_int_equal(xs_oracle_count(fx->o, XS_W), 0);
	line = __LINE__ + 1;
	assert_true(WARN_ON(fx != NULL));
	assert_true(WARN(fx != NULL, "value %d\n", 42));
	assert_int_equal(xs_oracle_count(fx->o, XS_W), 2);
	assert_int_equal(xs_oracle_total(fx->o), 2);
	v = xs_oracle_first_of(fx->o, XS_W);
	assert_non_null(v);
	snprintf(site, sizeof(site), "test_dma_oracle.c:%d: fx != NULL", line);
	assert_non_null(strstr(v->detail, site));
}

static int warn_once_site(int cond)
{
	return WARN_ON_ONCE(cond);
}

static int warn_once_fmt_site(int cond)
{
	return WARN_ONCE(cond, "formatted %s\n", "once");
}

/* Once per call site per boot, as the kernel does; the value every time. */
static void test_w_warn_once_per_site_per_boot(void **state)
{
	struct dma_fx *fx = *state;
	int i;

	dma_fx_count_only(fx);
	for (i = 0; i < 3; i++) {
		assert_true(warn_once_site(1));
		assert_true(warn_once_fmt_site(1));
		assert_false(warn_once_site(0));
	}
	assert_int_equal(xs_oracle_count(fx->o, XS_W), 2);
	assert_non_null(strstr(xs_oracle_first(fx->o)->detail, "cond"));
	/* A new world is a new boot: each site may warn once more. */
	dma_fx_free(fx);
	fx = dma_fx_new(NULL);
	*state = fx;
	assert_non_null(fx);
	dma_fx_count_only(fx);
	assert_true(warn_once_site(1));
	assert_true(warn_once_site(1));
	assert_int_equal(xs_oracle_count(fx->o, XS_W), 1);
}

/* Declared WARNs are neither counted nor fatal; exactly that many. */
static void test_w_expected_warns_pass(void **state)
{
	struct dma_fx *fx = *state;

	dma_fx_expect_warns(fx, 2);
	assert_true(WARN_ON(fx != NULL));
	assert_int_equal(xs_oracle_expected_left(fx->o, XS_W), 1);
	assert_true(WARN_ON(fx != NULL));
	assert_int_equal(xs_oracle_expected_left(fx->o, XS_W), 0);
	assert_int_equal(xs_oracle_total(fx->o), 0);
}

static void child_warns(struct dma_fx *fx, unsigned int expect,
			unsigned int warns)
{
	unsigned int i;

	if (expect)
		dma_fx_expect_warns(fx, expect);
	for (i = 0; i < warns; i++)
		WARN_ON(fx != NULL);
}

static void child_one_warn(void **state)
{
	child_warns(*state, 0, 1);
}

static void child_one_expected_warn(void **state)
{
	child_warns(*state, 1, 1);
}

static void child_missing_warn(void **state)
{
	child_warns(*state, 2, 1);
}

static void child_extra_warn(void **state)
{
	child_warns(*state, 1, 2);
}

/*
 * Under the fatal fixture a WARN fails the test, unless declared. A child
 * that hangs instead ends as DMA_FX_CHILD_TIMEOUT, which fails the status
 * check: no wall-clock bound, which a loaded machine would make flaky.
 */
static void test_w_warn_fails_the_test(void **state)
{
	static const struct {
		CMUnitTestFunction fn;
		int status;
	} cases[] = {
		{ child_one_warn, DMA_FX_CHILD_FAILED },
		{ child_one_expected_warn, DMA_FX_CHILD_PASSED },
		{ child_missing_warn, DMA_FX_CHILD_FAILED },
		{ child_extra_warn, DMA_FX_CHILD_FAILED },
	};
	unsigned int i;
	double secs;

	for (i = 0; i < XS_ARRAY_SIZE(cases); i++) {
		assert_int_equal(dma_fx_run_child(cases[i].fn, dma_fx_setup,
						  dma_fx_teardown, 10, &secs),
				 cases[i].status);
	}
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
		T(test_s5_wait_without_status_write),
		T(test_s5_qi_submit_sync_timeout),
		T(test_s5_qi_submit_sync_invalid_descriptor),
		T(test_s5_qi_submit_sync_queue_full),
		T(test_w_warn_counted_with_its_site),
		T(test_w_warn_once_per_site_per_boot),
		T(test_w_expected_warns_pass),
		cmocka_unit_test(test_w_warn_fails_the_test),
		T(test_l1_leaked_page),
		T(test_l1_leaked_mapping),
		T(test_l1_clean_teardown),
		T(test_f1_rx_data_lands),
		T(test_f1_lazy_window_corrupts_new_owner),
	};

	return XS_RUN_GROUP("dma_oracle", tests);
}
