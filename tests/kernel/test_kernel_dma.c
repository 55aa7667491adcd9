// SPDX-License-Identifier: GPL-2.0
/*
 * The patch's IOMMU and DMA API side (src/kernel): no-sync unmap, the
 * domain sync, what they hold and release, the boot parameter, the
 * fallbacks. The seed's defects twice: as oracle tests (the seed's
 * defective ordering, written in the test, must be caught) and as the
 * patch's own calls in the same scenario (clean, the scenario shown to
 * have happened).
 */
#include <pthread.h>
#include <sched.h>
#include <time.h>

#include <linux/dma-iommu.h>
#include <linux/smp.h>

#include "dma_fixture.h"
#include "dma_debug.h"
#include "dma_iommu_internal.h"

#define SID_NIC		0x0300
#define NBUF		64

/* The driver's probe: it uses the no-sync unmaps, so it opts in. */
static struct device *opt_in(struct device *dev)
{
	if (dev)
		dma_enable_no_sync_unmap(dev);
	return dev;
}

static int setup_xsmmu(void **state)
{
	struct xs_kworld_config cfg;

	xs_kworld_default_config(&cfg);
	cfg.cmdline = "iommu.xsmmu=1";
	*state = dma_fx_new(&cfg);
	return *state ? 0 : -1;
}

static const struct vtd_stats *unit0(void)
{
	return vtd_stats(g_iommus[0]->xs_unit);
}

static bool vtd_fx_cached_did(struct vtd_unit *u, u16 did, u64 iova)
{
	struct vtd_iotlb_view v;

	return vtd_iotlb_probe(u, did, iova, &v);
}

struct bufs {
	struct page *page[NBUF];
	dma_addr_t addr[NBUF];
};

static void map_and_touch(struct device *dev, struct bufs *b, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		b->page[i] = dma_fx_page("rx buffer");
		b->addr[i] = dma_map_page(dev, b->page[i], 0, PAGE_SIZE,
					  DMA_FROM_DEVICE);
		assert_int_not_equal(b->addr[i], DMA_MAPPING_ERROR);
		dma_fx_dev_write(dev, b->addr[i], 64, (u8)i);
	}
}

static void free_all(struct bufs *b, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		__free_page(b->page[i]);
}

/*
 * The batch: no-sync unmaps hold their IOVAs (new mappings get others),
 * one sync costs one domain invalidation and one wait, and afterwards
 * the pages can be freed with the oracle (fatal) silent.
 */
static void test_no_sync_batch_then_sync(void **state)
{
	struct dma_fx *fx = *state;
	struct device *dev = opt_in(xs_device_create("nic", SID_NIC, 0, 0));
	struct iova_domain *iovad = &cookie_of_dev(dev)->iovad;
	struct bufs b, c;
	u64 waits, dsi, psi;
	unsigned int i, j;

	assert_non_null(cookie_of_dev(dev)->batch);
	map_and_touch(dev, &b, NBUF);
	waits = unit0()->waits;
	psi = unit0()->iotlb_inv[VTD_GRAN_PSI];
	dsi = unit0()->iotlb_inv[VTD_GRAN_DSI];
	for (i = 0; i < NBUF; i++)
		dma_unmap_page_no_sync(dev, b.addr[i], PAGE_SIZE,
				       DMA_FROM_DEVICE);
	assert_int_equal(unit0()->waits, waits);
	assert_int_equal(iovad->xs_outstanding, NBUF);
	assert_int_equal(xs_device_live_mappings(dev), 0);
	/* Held IOVAs are not handed out again before the sync. */
	map_and_touch(dev, &c, 8);
	for (i = 0; i < 8; i++)
		for (j = 0; j < NBUF; j++)
			assert_int_not_equal(c.addr[i], b.addr[j]);
	dma_sync_device_iotlb(dev);
	assert_int_equal(unit0()->waits - waits, 1);
	assert_int_equal(unit0()->iotlb_inv[VTD_GRAN_DSI] - dsi, 1);
	assert_int_equal(unit0()->iotlb_inv[VTD_GRAN_PSI], psi);
	assert_int_equal(iovad->xs_outstanding, 8);
	free_all(&b, NBUF);
	for (i = 0; i < 8; i++)
		dma_unmap_single_no_sync(dev, c.addr[i], PAGE_SIZE,
					 DMA_FROM_DEVICE);
	dma_sync_device_iotlb(dev);
	free_all(&c, 8);
	assert_int_equal(iovad->xs_outstanding, 0);
	assert_int_equal(xs_oracle_total(fx->o), 0);
	xs_device_destroy(dev);
}

/* A sync with nothing held costs nothing. */
static void test_sync_without_pending_is_free(void **state)
{
	struct device *dev = opt_in(xs_device_create("nic", SID_NIC, 0, 0));
	u64 waits = unit0()->waits;

	dma_sync_device_iotlb(dev);
	dma_sync_device_iotlb(dev);
	assert_int_equal(unit0()->waits, waits);
	xs_device_destroy(dev);
}

#define PAGES_2M	512

/* 512 contiguous pages mapped as one 2 MiB buffer, touched by the device. */
static dma_addr_t map_2m_buffer(struct device *dev, struct page **page)
{
	dma_addr_t addr;
	unsigned int i;

	for (i = 0; i < PAGES_2M; i++) {
		page[i] = dma_fx_page("2M buffer");
		assert_int_equal(page_to_pfn(page[i]), page_to_pfn(page[0]) + i);
	}
	addr = dma_map_page(dev, page[0], 0, PAGES_2M * PAGE_SIZE,
			    DMA_BIDIRECTIONAL);
	assert_int_equal(addr & (PAGES_2M * PAGE_SIZE - 1), 0);
	dma_fx_dev_write(dev, addr + 5 * PAGE_SIZE, 8, 1);
	return addr;
}

static void free_2m_buffer(struct page **page)
{
	unsigned int i;

	for (i = 0; i < PAGES_2M; i++)
		__free_page(page[i]);
}

/*
 * Unmapping a page table's whole span (a 2 MiB buffer: 5.15 frees a table
 * only when an unmap covers all of it) frees the table: it is held with
 * the batch and freed only after the sync, with the caches cleared.
 */
static void test_table_pages_held_until_sync(void **state)
{
	struct dma_fx *fx = *state;
	struct device *dev = opt_in(xs_device_create("nic", SID_NIC, 0, 0));
	static struct page *page[PAGES_2M];
	size_t size = PAGES_2M * PAGE_SIZE;
	dma_addr_t addr = map_2m_buffer(dev, page);
	u64 tables = fx->w->pages_out[XS_PAGE_KIND_PGTABLE];

	dma_unmap_page_no_sync(dev, addr, size, DMA_BIDIRECTIONAL);
	assert_int_equal(fx->w->pages_out[XS_PAGE_KIND_PGTABLE], tables);
	assert_non_null(cookie_of_dev(dev)->batch->entries[0].freelist);
	dma_sync_device_iotlb(dev);
	assert_int_equal(fx->w->pages_out[XS_PAGE_KIND_PGTABLE], tables - 1);
	free_2m_buffer(page);
	assert_int_equal(xs_oracle_total(fx->o), 0);
	xs_device_destroy(dev);
}

/* With iommu.xsmmu=1 the ordinary unmap of a batching domain is strict. */
static void test_ordinary_unmap_stays_strict(void **state)
{
	struct dma_fx *fx = *state;
	struct device *dev = opt_in(xs_device_create("nic", SID_NIC, 0, 0));
	struct page *page = dma_fx_page("tx buffer");
	u64 waits = unit0()->waits;
	dma_addr_t addr;

	/*
	 * The domain was lazy (iommu.strict=0): the opt-in made it strict,
	 * and its flush queue stays for unmaps that raced with the switch.
	 */
	assert_int_equal(iommu_get_dma_domain(dev)->type, IOMMU_DOMAIN_DMA);
	assert_non_null(cookie_of_dev(dev)->fq_domain);
	waits = unit0()->waits;
	addr = dma_map_page(dev, page, 0, PAGE_SIZE, DMA_TO_DEVICE);
	assert_int_equal(xs_device_dma(dev, addr, (u8[8]){ 0 }, 8, false),
			 0);
	dma_unmap_page(dev, addr, PAGE_SIZE, DMA_TO_DEVICE);
	assert_int_equal(unit0()->waits - waits, 1);
	assert_int_equal(xs_dma_iommu_unmaps[0], 1);
	assert_int_equal(xs_dma_iommu_unmaps[1], 0);
	__free_page(page);
	assert_int_equal(xs_oracle_total(fx->o), 0);
	xs_device_destroy(dev);
}

/* A full batch syncs itself: memory is bounded, nothing is unsafe. */
static void test_full_batch_syncs_inline(void **state)
{
	struct dma_fx *fx = *state;
	struct device *dev = opt_in(xs_device_create("nic", SID_NIC, 0, 0));
	struct iommu_dma_batch *batch = cookie_of_dev(dev)->batch;
	struct page *page = dma_fx_page("tx buffer");
	u64 waits = unit0()->waits;
	unsigned int i, n = batch->size + 10;
	dma_addr_t addr;

	for (i = 0; i < n; i++) {
		addr = dma_map_page(dev, page, 0, 128, DMA_TO_DEVICE);
		dma_unmap_page_no_sync(dev, addr, 128, DMA_TO_DEVICE);
	}
	assert_int_equal(unit0()->waits - waits, 1);
	assert_int_equal(batch->count, 10);
	dma_sync_device_iotlb(dev);
	assert_int_equal(batch->count, 0);
	__free_page(page);
	assert_int_equal(xs_oracle_total(fx->o), 0);
	xs_device_destroy(dev);
}

/* A domain going away with unmaps held: flushed and released (L1). */
static void test_teardown_releases_held(void **state)
{
	struct dma_fx *fx = *state;
	struct device *dev = opt_in(xs_device_create("nic", SID_NIC, 0, 0));
	struct bufs b;
	unsigned int i;

	map_and_touch(dev, &b, 16);
	for (i = 0; i < 16; i++)
		dma_unmap_page_no_sync(dev, b.addr[i], PAGE_SIZE,
				       DMA_FROM_DEVICE);
	xs_device_destroy(dev);
	free_all(&b, 16);
	assert_int_equal(xs_oracle_total(fx->o), 0);
}

/* ---- fallbacks ---- */

/* No IOMMU: the no-sync unmap is the ordinary one, the sync a no-op. */
static void test_fallback_no_iommu(void **state)
{
	struct dma_fx *fx = *state;
	struct device *dev = opt_in(xs_device_create("nic", SID_NIC, -1, 0));
	struct page *page = dma_fx_page("rx");
	dma_addr_t addr;

	addr = dma_map_page(dev, page, 0, PAGE_SIZE, DMA_FROM_DEVICE);
	dma_unmap_page_no_sync(dev, addr, PAGE_SIZE, DMA_FROM_DEVICE);
	assert_int_equal(xs_device_live_mappings(dev), 0);
	dma_sync_device_iotlb(dev);
	__free_page(page);
	assert_int_equal(fx->w->dma_api_errors, 0);
	assert_int_equal(xs_oracle_total(fx->o), 0);
	xs_device_destroy(dev);
}

/*
 * iommu=pt: no DMA ops. The seed's sync called through the ops pointer
 * unchecked (an oops in softirq on the first TX completion); here it
 * returns.
 */
static void test_fallback_passthrough(void **state)
{
	struct dma_fx *fx = *state;
	struct device *dev = opt_in(xs_device_create("nic", SID_NIC, 0,
					      IOMMU_DOMAIN_IDENTITY));
	struct page *page = dma_fx_page("rx");
	dma_addr_t addr;

	assert_null(get_dma_ops(dev));
	addr = dma_map_page(dev, page, 0, PAGE_SIZE, DMA_FROM_DEVICE);
	dma_unmap_page_no_sync(dev, addr, PAGE_SIZE, DMA_FROM_DEVICE);
	dma_sync_device_iotlb(dev);
	__free_page(page);
	assert_int_equal(xs_oracle_total(fx->o), 0);
	xs_device_destroy(dev);
}

static struct iommu_ops ops_without_sync;

/*
 * An IOMMU driver without the batched-sync op (another vendor's): the
 * domain gets no batch and every no-sync unmap is a strict one.
 */
static void test_fallback_driver_without_op(void **state)
{
	struct dma_fx *fx = *state;
	struct device *dev;
	struct bufs b;
	u64 waits;
	unsigned int i;

	ops_without_sync = intel_iommu_ops;
	ops_without_sync.flush_iotlb_all = NULL;
	xs_kworld_set_domain_ops(&ops_without_sync);
	dev = opt_in(xs_device_create("nic", SID_NIC, 0, IOMMU_DOMAIN_DMA));
	assert_null(cookie_of_dev(dev)->batch);
	map_and_touch(dev, &b, 8);
	waits = unit0()->waits;
	for (i = 0; i < 8; i++)
		dma_unmap_page_no_sync(dev, b.addr[i], PAGE_SIZE,
				       DMA_FROM_DEVICE);
	assert_int_equal(unit0()->waits - waits, 8);
	dma_sync_device_iotlb(dev);
	assert_int_equal(unit0()->waits - waits, 8);
	free_all(&b, 8);
	assert_int_equal(xs_oracle_total(fx->o), 0);
	xs_device_destroy(dev);
	xs_kworld_set_domain_ops(NULL);
}

/* Without iommu.xsmmu=1 nothing is deferred: strict stays strict. */
static void test_fallback_param_off(void **state)
{
	struct dma_fx *fx = *state;
	struct device *dev = opt_in(xs_device_create("nic", SID_NIC, 0,
					      IOMMU_DOMAIN_DMA));
	struct bufs b;
	u64 waits;

	assert_null(cookie_of_dev(dev)->batch);
	map_and_touch(dev, &b, 4);
	waits = unit0()->waits;
	dma_unmap_page_no_sync(dev, b.addr[0], PAGE_SIZE, DMA_FROM_DEVICE);
	assert_int_equal(unit0()->waits - waits, 1);
	dma_unmap_single_no_sync(dev, b.addr[1], PAGE_SIZE, DMA_FROM_DEVICE);
	dma_unmap_page(dev, b.addr[2], PAGE_SIZE, DMA_FROM_DEVICE);
	dma_unmap_page(dev, b.addr[3], PAGE_SIZE, DMA_FROM_DEVICE);
	free_all(&b, 4);
	assert_int_equal(xs_oracle_total(fx->o), 0);
	xs_device_destroy(dev);
}

/* Untrusted devices (bounce buffers) keep the synchronous unmap. */
static void test_fallback_untrusted_device(void **state)
{
	struct dma_fx *fx = *state;
	struct device *dev = opt_in(xs_device_create("tbt-nic", SID_NIC, 0, 0));
	struct bufs b;
	u64 waits;

	dev->xs_untrusted = true;
	map_and_touch(dev, &b, 2);
	waits = unit0()->waits;
	dma_unmap_page_no_sync(dev, b.addr[0], PAGE_SIZE, DMA_FROM_DEVICE);
	dma_unmap_page_no_sync(dev, b.addr[1], PAGE_SIZE, DMA_FROM_DEVICE);
	assert_int_equal(unit0()->waits - waits, 2);
	assert_int_equal(cookie_of_dev(dev)->batch->count, 0);
	free_all(&b, 2);
	assert_int_equal(xs_oracle_total(fx->o), 0);
	xs_device_destroy(dev);
}

/*
 * An untrusted device's buffer that does not fill whole IOVA pages is
 * bounced through swiotlb: the device reaches a pool page, never the
 * buffer's own; the no-sync unmap (synchronous for it) copies the
 * device's bytes back, invalidates, and gives the slot back at once, so
 * the next bounce gets the same pool page, clean.
 */
static void test_fallback_untrusted_bounces(void **state)
{
	struct dma_fx *fx = *state;
	struct device *dev = opt_in(xs_device_create("tbt-nic", SID_NIC, 0,
					      IOMMU_DOMAIN_DMA));
	struct iommu_domain *domain = iommu_get_dma_domain(dev);
	struct page *a = dma_fx_page("buffer"), *b = dma_fx_page("buffer");
	u8 *va = page_address(a), out[100], in[100];
	phys_addr_t tlb;
	dma_addr_t x, y;
	unsigned int i;
	u64 waits;

	dev->xs_untrusted = true;
	for (i = 0; i < 100; i++) {
		va[0x340 + i] = (u8)i;
		out[i] = (u8)(0xa0 + i);
	}
	x = dma_map_page(dev, a, 0x340, 100, DMA_BIDIRECTIONAL);
	assert_int_not_equal(x, DMA_MAPPING_ERROR);
	tlb = iommu_iova_to_phys(domain, x);
	assert_int_not_equal(tlb >> PAGE_SHIFT, page_to_pfn(a));
	/* The device sees the buffer's bytes, copied to the bounce page. */
	assert_int_equal(xs_device_dma(dev, x, in, 100, false), 0);
	assert_int_equal(in[5], 5);
	assert_int_equal(xs_device_dma(dev, x, out, 100, true), 0);
	assert_int_equal(va[0x341], 1);	/* not yet copied back */
	waits = unit0()->waits;
	dma_unmap_page_no_sync(dev, x, 100, DMA_BIDIRECTIONAL);
	assert_int_equal(unit0()->waits - waits, 1);
	assert_memory_equal(va + 0x340, out, 100);
	assert_int_not_equal(xs_device_dma(dev, x, in, 1, false), 0);
	/* The slot went back to the pool: the next bounce reuses it. */
	memset((u8 *)page_address(b) + 8, 0x5c, 64);
	y = dma_map_page(dev, b, 8, 64, DMA_BIDIRECTIONAL);
	assert_int_equal(iommu_iova_to_phys(domain, y), tlb);
	assert_int_equal(xs_device_dma(dev, y, in, 100, false), 0);
	for (i = 0; i < 100; i++)	/* the old bounce is gone */
		assert_int_equal(in[i], i < 64 ? 0x5c : 0);
	dma_unmap_page_no_sync(dev, y, 64, DMA_BIDIRECTIONAL);
	__free_page(a);
	__free_page(b);
	assert_int_equal(xs_oracle_total(fx->o), 0);
	xs_device_destroy(dev);
}

/*
 * The check that makes batching an untrusted device visible: a bounced
 * buffer whose unmap took the batched path (as if the device were not
 * untrusted) never gives its slot back, and the world's teardown
 * reports it (L1).
 */
static void test_oracle_catches_bounce_never_released(void **state)
{
	struct dma_fx *fx = *state;
	struct device *dev = opt_in(xs_device_create("tbt-nic", SID_NIC, 0,
					      IOMMU_DOMAIN_DMA));
	struct page *a = dma_fx_page("buffer");
	dma_addr_t x;

	dev->xs_untrusted = true;
	x = dma_map_page(dev, a, 0x340, 100, DMA_BIDIRECTIONAL);
	assert_int_not_equal(x, DMA_MAPPING_ERROR);
	dev->xs_untrusted = false;	/* the unmap batches it */
	dma_unmap_page_no_sync(dev, x, 100, DMA_BIDIRECTIONAL);
	dma_sync_device_iotlb(dev);
	__free_page(a);
	assert_int_equal(xs_oracle_total(fx->o), 0);
	xs_device_destroy(dev);
	dma_fx_count_only(fx);
	assert_int_equal(dma_fx_free(fx), 1);	/* the bounce page */
	*state = NULL;
}

/* Misuse of the new calls is reported with the caller like the old. */
static void test_no_sync_misuse_reported(void **state)
{
	struct dma_fx *fx = *state;
	struct device *dev = opt_in(xs_device_create("nic", SID_NIC, 0, 0));
	struct bufs b;

	map_and_touch(dev, &b, 1);
	dma_unmap_page_no_sync(dev, b.addr[0] + PAGE_SIZE * 7, PAGE_SIZE,
			       DMA_FROM_DEVICE);
	assert_int_equal(fx->w->dma_api_errors, 1);
	dma_unmap_page_no_sync(dev, b.addr[0], PAGE_SIZE, DMA_FROM_DEVICE);
	dma_unmap_page_no_sync(dev, b.addr[0], PAGE_SIZE, DMA_FROM_DEVICE);
	assert_int_equal(fx->w->dma_api_errors, 2);
	dma_sync_device_iotlb(dev);
	free_all(&b, 1);
	assert_int_equal(xs_oracle_total(fx->o), 0);
	xs_device_destroy(dev);
}

/*
 * ---- the seed's defects ----
 *
 * test_oracle_catches_seed_*: the seed's ordering, re-written here (not
 * the patch's code), must be reported: they show the oracle sees it.
 * test_patch_*: the patch's real calls in the same scenario stay clean,
 * and assert that the scenario happened (the stale entry was there, the
 * IOVA or page could have been reused, the sync ran).
 */

/*
 * The seed's no-sync unmap on a strict domain (oracle tests only): the
 * IOVA is freed at once and the page-table pages with it; the next
 * mapping gets the IOVA back while the IOTLB still holds the old page.
 */
static void oracle_seed_unmap_no_sync(struct device *dev, dma_addr_t addr,
			       size_t size)
{
	struct iommu_domain *domain = iommu_get_dma_domain(dev);
	struct iommu_iotlb_gather g;
	struct xs_dma_map_rec rec;

	assert_true(xs_dma_debug_unmap(dev, addr, &rec));
	iommu_iotlb_gather_init(&g);
	assert_int_equal(iommu_unmap_fast(domain, addr, size, &g), size);
	iommu_dma_free_iova(cookie_of_dev(dev), addr, size, NULL);
	iommu_dma_entry_dtor((unsigned long)g.freelist);
}

static void test_oracle_catches_seed_iova_freed_early(void **state)
{
	struct dma_fx *fx = *state;
	struct device *dev = opt_in(xs_device_create("nic", SID_NIC, 0,
					      IOMMU_DOMAIN_DMA));
	struct page *a = dma_fx_page("skb A"), *b = dma_fx_page("skb B");
	dma_addr_t x, y;

	dma_fx_count_only(fx);
	x = dma_map_page(dev, a, 0, PAGE_SIZE, DMA_TO_DEVICE);
	assert_int_equal(xs_device_dma(dev, x, (u8[8]){ 0 }, 8, false), 0);
	oracle_seed_unmap_no_sync(dev, x, PAGE_SIZE);
	y = dma_map_page(dev, b, 0, PAGE_SIZE, DMA_TO_DEVICE);
	assert_int_equal(x, y);
	assert_int_equal(xs_oracle_count(fx->o, XS_S3), 1);
	/* The seed's sync comes later; the damage is done. */
	iommu_flush_iotlb_all(iommu_get_dma_domain(dev));
	dma_unmap_page(dev, y, PAGE_SIZE, DMA_TO_DEVICE);
	__free_page(a);
	__free_page(b);
	xs_device_destroy(dev);
}

/*
 * Seed defect "IOVA freed before invalidation", the patch's calls: the
 * no-sync unmap holds the IOVA, so a mapping made while the stale IOTLB
 * entry exists gets another one; after the sync the IOVA is free and the
 * allocator hands it back first (the reuse the seed ran into).
 */
static void test_patch_holds_iova_until_sync(void **state)
{
	struct dma_fx *fx = *state;
	struct device *dev = opt_in(xs_device_create("nic", SID_NIC, 0,
					      IOMMU_DOMAIN_DMA));
	struct dmar_domain *dd = to_dmar_domain(iommu_get_dma_domain(dev));
	struct iova_domain *iovad = &cookie_of_dev(dev)->iovad;
	struct vtd_unit *u = g_iommus[0]->xs_unit;
	struct page *a = dma_fx_page("skb A"), *b = dma_fx_page("skb B");
	struct page *c = dma_fx_page("skb C");
	u64 waits;
	dma_addr_t x, y, z;

	assert_non_null(cookie_of_dev(dev)->batch);
	x = dma_map_page(dev, a, 0, PAGE_SIZE, DMA_TO_DEVICE);
	assert_int_equal(xs_device_dma(dev, x, (u8[8]){ 0 }, 8, false), 0);
	waits = unit0()->waits;
	dma_unmap_page_no_sync(dev, x, PAGE_SIZE, DMA_TO_DEVICE);
	/* The seed's window: unmapped, no wait, the IOTLB still maps x. */
	assert_int_equal(unit0()->waits, waits);
	assert_true(vtd_fx_cached_did(u, dd->iommu_did[0], x));
	assert_int_equal(iovad->xs_outstanding, 1);
	y = dma_map_page(dev, b, 0, PAGE_SIZE, DMA_TO_DEVICE);
	assert_int_not_equal(y, x);
	assert_int_equal(xs_device_dma(dev, y, (u8[8]){ 0 }, 8, false), 0);
	dma_sync_device_iotlb(dev);
	assert_int_equal(unit0()->waits - waits, 1);
	assert_false(vtd_fx_cached_did(u, dd->iommu_did[0], x));
	__free_page(a);
	/* Now x is free, and the next mapping gets it. */
	z = dma_map_page(dev, c, 0, PAGE_SIZE, DMA_TO_DEVICE);
	assert_int_equal(z, x);
	assert_int_equal(xs_device_dma(dev, z, (u8[8]){ 0 }, 8, false), 0);
	dma_unmap_page(dev, y, PAGE_SIZE, DMA_TO_DEVICE);
	dma_unmap_page(dev, z, PAGE_SIZE, DMA_TO_DEVICE);
	__free_page(b);
	__free_page(c);
	assert_int_equal(iovad->xs_outstanding, 0);
	assert_int_equal(xs_oracle_total(fx->o), 0);
	xs_device_destroy(dev);
}

/*
 * Regression, seed defect "non-Intel IOMMU: the sync does nothing": a
 * no-sync unmap on a strict domain of a driver without the op, freeing
 * the IOVA and never invalidating; then the page is freed.
 */
static void test_oracle_catches_seed_sync_noop_on_other_iommu(void **state)
{
	struct dma_fx *fx = *state;
	struct device *dev;
	struct page *a = dma_fx_page("skb");
	dma_addr_t x;

	ops_without_sync = intel_iommu_ops;
	ops_without_sync.flush_iotlb_all = NULL;
	xs_kworld_set_domain_ops(&ops_without_sync);
	dev = opt_in(xs_device_create("nic", SID_NIC, 0, IOMMU_DOMAIN_DMA));
	dma_fx_count_only(fx);
	x = dma_map_page(dev, a, 0, PAGE_SIZE, DMA_TO_DEVICE);
	assert_int_equal(xs_device_dma(dev, x, (u8[8]){ 0 }, 8, false), 0);
	oracle_seed_unmap_no_sync(dev, x, PAGE_SIZE);
	/* dma_sync_device_iotlb() of the seed: no op on this driver. */
	__free_page(a);
	assert_int_equal(xs_oracle_count(fx->o, XS_S2), 1);
	iommu_flush_iotlb_all(iommu_get_dma_domain(dev));
	xs_device_destroy(dev);
	xs_kworld_set_domain_ops(NULL);
}

/*
 * Seed defect "non-Intel IOMMU: the sync does nothing", the patch's
 * calls: on a driver without the op the no-sync unmap is the strict one
 * (invalidated and waited for before it returns), so the page can be
 * freed at once even though the sync still does nothing.
 */
static void test_patch_other_iommu_unmaps_strictly(void **state)
{
	struct dma_fx *fx = *state;
	struct device *dev;
	struct dmar_domain *dd;
	struct vtd_unit *u = g_iommus[0]->xs_unit;
	struct page *a = dma_fx_page("skb");
	u64 waits, dsi, psi;
	u8 byte;
	dma_addr_t x;

	ops_without_sync = intel_iommu_ops;
	ops_without_sync.flush_iotlb_all = NULL;
	xs_kworld_set_domain_ops(&ops_without_sync);
	dev = opt_in(xs_device_create("nic", SID_NIC, 0, IOMMU_DOMAIN_DMA));
	dd = to_dmar_domain(iommu_get_dma_domain(dev));
	assert_null(cookie_of_dev(dev)->batch);
	x = dma_map_page(dev, a, 0, PAGE_SIZE, DMA_TO_DEVICE);
	assert_int_equal(xs_device_dma(dev, x, (u8[8]){ 0 }, 8, false), 0);
	assert_true(vtd_fx_cached_did(u, dd->iommu_did[0], x));
	waits = unit0()->waits;
	psi = unit0()->iotlb_inv[VTD_GRAN_PSI];
	dma_unmap_page_no_sync(dev, x, PAGE_SIZE, DMA_TO_DEVICE);
	assert_int_equal(unit0()->waits - waits, 1);
	assert_int_equal(unit0()->iotlb_inv[VTD_GRAN_PSI] - psi, 1);
	assert_false(vtd_fx_cached_did(u, dd->iommu_did[0], x));
	assert_int_not_equal(xs_device_dma(dev, x, &byte, 1, false), 0);
	dsi = unit0()->iotlb_inv[VTD_GRAN_DSI];
	dma_sync_device_iotlb(dev);	/* nothing to do, nothing done */
	assert_int_equal(unit0()->waits - waits, 1);
	assert_int_equal(unit0()->iotlb_inv[VTD_GRAN_DSI], dsi);
	__free_page(a);
	assert_int_equal(xs_oracle_count(fx->o, XS_S2), 0);
	assert_int_equal(xs_oracle_total(fx->o), 0);
	xs_device_destroy(dev);
	xs_kworld_set_domain_ops(NULL);
}

/*
 * Regression, seed defect "page-table pages": an unmap that frees a page
 * table, done the seed's way, either loses the table (leak) or frees it
 * before the invalidation (S4).
 */
static void unmap_span_seed(struct dma_fx *fx, bool free_early)
{
	struct device *dev = opt_in(xs_device_create("nic", SID_NIC, 0,
					      IOMMU_DOMAIN_DMA));
	struct iommu_domain *domain = iommu_get_dma_domain(dev);
	struct page *page = dma_fx_page("target");
	struct iommu_iotlb_gather g;
	unsigned long i;
	u64 base = 0x200000000ULL;

	for (i = 0; i < 512; i++)
		assert_int_equal(iommu_map(domain, base + i * PAGE_SIZE,
					   page_to_phys(page), PAGE_SIZE,
					   IOMMU_READ), 0);
	assert_int_equal(xs_device_dma(dev, base, (u8[8]){ 0 }, 8, false), 0);
	iommu_iotlb_gather_init(&g);
	iommu_unmap_fast(domain, base, 512 * PAGE_SIZE, &g);
	assert_non_null(g.freelist);
	if (free_early)
		iommu_dma_entry_dtor((unsigned long)g.freelist);
	/* else: dropped on the floor, as the seed's gather was */
	iommu_flush_iotlb_all(domain);
	__free_page(page);
	xs_device_destroy(dev);
}

static void test_oracle_catches_seed_table_pages_freed_early(void **state)
{
	struct dma_fx *fx = *state;

	dma_fx_count_only(fx);
	unmap_span_seed(fx, true);
	assert_int_equal(xs_oracle_count(fx->o, XS_S4), 1);
}

static void test_oracle_catches_seed_table_pages_leaked(void **state)
{
	struct dma_fx *fx = *state;

	dma_fx_count_only(fx);
	unmap_span_seed(fx, false);
	assert_int_equal(dma_fx_free(fx), 1);	/* the page-table page */
	*state = NULL;
}

/*
 * Seed defect "page-table pages", the patch's calls: a no-sync unmap of
 * a table's whole span frees the table while the device's PDE cache
 * still points at it; the patch keeps it until the sync has dropped that
 * entry, then frees it (neither early, S4, nor never, L1).
 */
static void unmap_span_patch(struct dma_fx *fx)
{
	struct device *dev = opt_in(xs_device_create("nic", SID_NIC, 0,
					      IOMMU_DOMAIN_DMA));
	struct dmar_domain *dd = to_dmar_domain(iommu_get_dma_domain(dev));
	struct vtd_unit *u = g_iommus[0]->xs_unit;
	static struct page *page[PAGES_2M];
	dma_addr_t addr = map_2m_buffer(dev, page);
	u64 tables = fx->w->pages_out[XS_PAGE_KIND_PGTABLE];
	u64 waits = unit0()->waits;

	assert_int_equal(vtd_psc_count(u, dd->iommu_did[0], VTD_PSC_PDE), 1);
	dma_unmap_page_no_sync(dev, addr, PAGES_2M * PAGE_SIZE,
			       DMA_BIDIRECTIONAL);
	assert_int_equal(unit0()->waits, waits);
	/* The table is off the tree but held: the PDE cache still has it. */
	assert_non_null(cookie_of_dev(dev)->batch->entries[0].freelist);
	assert_int_equal(fx->w->pages_out[XS_PAGE_KIND_PGTABLE], tables);
	assert_int_equal(vtd_psc_count(u, dd->iommu_did[0], VTD_PSC_PDE), 1);
	dma_sync_device_iotlb(dev);
	assert_int_equal(unit0()->waits - waits, 1);
	assert_int_equal(vtd_psc_count(u, dd->iommu_did[0], VTD_PSC_PDE), 0);
	assert_int_equal(fx->w->pages_out[XS_PAGE_KIND_PGTABLE], tables - 1);
	assert_int_equal(cookie_of_dev(dev)->batch->count, 0);
	free_2m_buffer(page);
	xs_device_destroy(dev);
}

static void test_patch_table_pages_freed_after_sync(void **state)
{
	struct dma_fx *fx = *state;

	dma_fx_count_only(fx);
	unmap_span_patch(fx);
	assert_int_equal(xs_oracle_count(fx->o, XS_S4), 0);
	assert_int_equal(xs_oracle_total(fx->o), 0);
}

static void test_patch_table_pages_not_leaked(void **state)
{
	struct dma_fx *fx = *state;

	dma_fx_count_only(fx);
	unmap_span_patch(fx);
	*state = NULL;
	assert_int_equal(dma_fx_free(fx), 0);
}

/*
 * Seed claim "DSI with IH=1 keeps the paging-structure caches", refuted:
 * the hint is ignored for domain-selective invalidation, so the seed's
 * descriptor (written here; the patch sends none like it) drops them
 * like any DSI.
 */
static void test_seed_claim_refuted_dsi_ih_drops_psc(void **state)
{
	struct device *dev = opt_in(xs_device_create("nic", SID_NIC, 0,
					      IOMMU_DOMAIN_DMA));
	struct dmar_domain *dd = to_dmar_domain(iommu_get_dma_domain(dev));
	struct vtd_unit *u = g_iommus[0]->xs_unit;
	struct page *page = dma_fx_page("rx");
	struct qi_desc d = { 0 };
	dma_addr_t addr;

	addr = dma_map_page(dev, page, 0, PAGE_SIZE, DMA_FROM_DEVICE);
	dma_fx_dev_write(dev, addr, 8, 1);
	assert_int_equal(vtd_psc_count(u, dd->iommu_did[0], VTD_PSC_PDE), 1);
	/* qi_flush_domain_iotlb_hint() of the seed: DSI with qw1.IH = 1. */
	d.qw0 = QI_IOTLB_DID(dd->iommu_did[0]) |
		QI_IOTLB_GRAN(DMA_TLB_DSI_FLUSH) | QI_IOTLB_TYPE;
	d.qw1 = QI_IOTLB_IH(1);
	assert_int_equal(qi_submit_sync(g_iommus[0], &d, 1, 0), 0);
	assert_int_equal(vtd_psc_count(u, dd->iommu_did[0], VTD_PSC_PDE), 0);
	assert_int_equal(vtd_psc_count(u, dd->iommu_did[0], VTD_PSC_PML4E),
			 0);
	dma_unmap_page(dev, addr, PAGE_SIZE, DMA_FROM_DEVICE);
	__free_page(page);
	xs_device_destroy(dev);
}

/* ---- range syncs (iommu.xsmmu=ranges / adaptive) ---- */

static int setup_ranges(void **state)
{
	struct xs_kworld_config cfg;

	xs_kworld_default_config(&cfg);
	cfg.cmdline = "iommu.xsmmu=ranges";
	*state = dma_fx_new(&cfg);
	return *state ? 0 : -1;
}

static int setup_adaptive(void **state)
{
	struct xs_kworld_config cfg;

	xs_kworld_default_config(&cfg);
	cfg.cmdline = "iommu.xsmmu=adaptive iommu.xsmmu_max_ranges=4";
	*state = dma_fx_new(&cfg);
	return *state ? 0 : -1;
}

/*
 * One page-selective descriptor per held range, one wait, and what was
 * not unmapped stays cached: a hot mapping's IOTLB entry and, as no
 * page-table page was freed (IH = 1), the paging-structure caches.
 */
static void test_ranges_keep_hot_translations(void **state)
{
	struct dma_fx *fx = *state;
	struct device *dev = opt_in(xs_device_create("nic", SID_NIC, 0, 0));
	struct dmar_domain *dd = to_dmar_domain(iommu_get_dma_domain(dev));
	struct vtd_unit *u = g_iommus[0]->xs_unit;
	struct page *ring = dma_fx_page("ring");
	u64 waits, psi, dsi, pde;
	dma_addr_t hot;
	struct bufs b;
	unsigned int i;

	hot = dma_map_page(dev, ring, 0, PAGE_SIZE, DMA_BIDIRECTIONAL);
	dma_fx_dev_write(dev, hot, 8, 1);
	map_and_touch(dev, &b, 8);
	pde = vtd_psc_count(u, dd->iommu_did[0], VTD_PSC_PDE);
	waits = unit0()->waits;
	psi = unit0()->iotlb_inv[VTD_GRAN_PSI];
	dsi = unit0()->iotlb_inv[VTD_GRAN_DSI];
	for (i = 0; i < 8; i++)
		dma_unmap_page_no_sync(dev, b.addr[i], PAGE_SIZE,
				       DMA_FROM_DEVICE);
	dma_sync_device_iotlb(dev);
	assert_int_equal(unit0()->waits - waits, 1);
	assert_int_equal(unit0()->iotlb_inv[VTD_GRAN_PSI] - psi, 8);
	assert_int_equal(unit0()->iotlb_inv[VTD_GRAN_DSI], dsi);
	for (i = 0; i < 8; i++)
		assert_false(vtd_fx_cached_did(u, dd->iommu_did[0], b.addr[i]));
	assert_true(vtd_fx_cached_did(u, dd->iommu_did[0], hot));
	assert_int_equal(vtd_psc_count(u, dd->iommu_did[0], VTD_PSC_PDE), pde);
	free_all(&b, 8);
	dma_unmap_page(dev, hot, PAGE_SIZE, DMA_BIDIRECTIONAL);
	__free_page(ring);
	assert_int_equal(xs_oracle_total(fx->o), 0);
	xs_device_destroy(dev);
}

/* A range that freed a page table goes without the hint (S4 stays 0). */
static void test_ranges_table_freed_drops_psc(void **state)
{
	struct dma_fx *fx = *state;
	struct device *dev = opt_in(xs_device_create("nic", SID_NIC, 0, 0));
	static struct page *page[PAGES_2M];
	dma_addr_t addr = map_2m_buffer(dev, page);
	u64 tables = fx->w->pages_out[XS_PAGE_KIND_PGTABLE];

	dma_unmap_page_no_sync(dev, addr, PAGES_2M * PAGE_SIZE,
			       DMA_BIDIRECTIONAL);
	dma_sync_device_iotlb(dev);
	assert_int_equal(fx->w->pages_out[XS_PAGE_KIND_PGTABLE], tables - 1);
	free_2m_buffer(page);
	assert_int_equal(xs_oracle_total(fx->o), 0);
	xs_device_destroy(dev);
}

/*
 * A range not aligned to its size: 5.15's iommu_flush_iotlb_psi() would
 * send ADDR = start with a mask from the page count, whose aligned block
 * misses the last page; the range sync widens the mask instead.
 */
static void test_ranges_unaligned(void **state)
{
	struct dma_fx *fx = *state;
	struct device *dev = opt_in(xs_device_create("nic", SID_NIC, 0, 0));
	struct iommu_domain *domain = iommu_get_dma_domain(dev);
	struct dmar_domain *dd = to_dmar_domain(domain);
	struct vtd_unit *u = g_iommus[0]->xs_unit;
	struct page *page = dma_fx_page("target");
	struct iommu_iotlb_gather g = { 0 };
	u64 base = 0x200003000ULL;

	assert_int_equal(iommu_map(domain, base, page_to_phys(page),
				   PAGE_SIZE, IOMMU_READ), 0);
	assert_int_equal(iommu_map(domain, base + PAGE_SIZE,
				   page_to_phys(page), PAGE_SIZE, IOMMU_READ),
			 0);
	assert_int_equal(xs_device_dma(dev, base, (u8[8]){ 0 }, 8, false), 0);
	assert_int_equal(xs_device_dma(dev, base + PAGE_SIZE, (u8[8]){ 0 }, 8,
				       false), 0);
	g.start = base;
	g.end = base + 2 * PAGE_SIZE - 1;
	domain->ops->sync_iotlb_ranges(domain, &g, 1);
	assert_false(vtd_fx_cached_did(u, dd->iommu_did[0], base));
	assert_false(vtd_fx_cached_did(u, dd->iommu_did[0], base + PAGE_SIZE));
	iommu_unmap(domain, base, 2 * PAGE_SIZE);
	__free_page(page);
	assert_int_equal(xs_oracle_total(fx->o), 0);
	xs_device_destroy(dev);
}

/* Adaptive: ranges up to the threshold, the domain above it. */
static void test_adaptive_threshold(void **state)
{
	struct dma_fx *fx = *state;
	struct device *dev = opt_in(xs_device_create("nic", SID_NIC, 0, 0));
	struct bufs b;
	u64 psi, dsi;
	unsigned int i;

	map_and_touch(dev, &b, 12);
	psi = unit0()->iotlb_inv[VTD_GRAN_PSI];
	dsi = unit0()->iotlb_inv[VTD_GRAN_DSI];
	for (i = 0; i < 3; i++)
		dma_unmap_page_no_sync(dev, b.addr[i], PAGE_SIZE,
				       DMA_FROM_DEVICE);
	dma_sync_device_iotlb(dev);
	assert_int_equal(unit0()->iotlb_inv[VTD_GRAN_PSI] - psi, 3);
	assert_int_equal(unit0()->iotlb_inv[VTD_GRAN_DSI], dsi);
	for (i = 3; i < 12; i++)
		dma_unmap_page_no_sync(dev, b.addr[i], PAGE_SIZE,
				       DMA_FROM_DEVICE);
	dma_sync_device_iotlb(dev);
	assert_int_equal(unit0()->iotlb_inv[VTD_GRAN_PSI] - psi, 3);
	assert_int_equal(unit0()->iotlb_inv[VTD_GRAN_DSI] - dsi, 1);
	free_all(&b, 12);
	assert_int_equal(xs_oracle_total(fx->o), 0);
	xs_device_destroy(dev);
}

static int setup_ranges_register_based(void **state)
{
	struct xs_kworld_config cfg;

	xs_kworld_default_config(&cfg);
	cfg.cmdline = "iommu.xsmmu=ranges";
	cfg.queued_invalidation = false;
	*state = dma_fx_new(&cfg);
	return *state ? 0 : -1;
}

/* No queued invalidation: the range sync falls back to the domain. */
static void test_ranges_register_based(void **state)
{
	struct dma_fx *fx = *state;
	struct device *dev = opt_in(xs_device_create("nic", SID_NIC, 0, 0));
	struct bufs b;
	u64 dsi;
	unsigned int i;

	map_and_touch(dev, &b, 4);
	dsi = unit0()->iotlb_dropped[VTD_GRAN_DSI];
	for (i = 0; i < 4; i++)
		dma_unmap_page_no_sync(dev, b.addr[i], PAGE_SIZE,
				       DMA_FROM_DEVICE);
	dma_sync_device_iotlb(dev);
	assert_null(g_iommus[0]->qi);
	assert_int_equal(unit0()->waits, 0);
	/* The domain-selective register flush dropped all four entries. */
	assert_int_equal(unit0()->iotlb_dropped[VTD_GRAN_DSI] - dsi, 4);
	assert_int_equal(unit0()->iotlb_dropped[VTD_GRAN_PSI], 0);
	free_all(&b, 4);
	assert_int_equal(xs_oracle_total(fx->o), 0);
	xs_device_destroy(dev);
}

/*
 * Coalescing, with real threads so that syncs overlap. The first sync
 * (thread A) is parked inside the IOMMU op while B and C unmap and call
 * a sync of their own: both wait on the domain's sync lock, both covered
 * by the second sync, whoever runs it. That second sync sees one more
 * unmap arrive while it runs (newer than its start: not covered).
 */
static struct {
	pthread_mutex_t m;
	pthread_cond_t cv;
	int calls, finished;
	bool active, parked, release;
	struct device *dev;
	dma_addr_t late;
} co = { .m = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER };

static struct iommu_ops ops_parking;

static void co_sync_domain(struct iommu_domain *domain)
{
	int call;

	pthread_mutex_lock(&co.m);
	if (!co.active) {
		/* the scenario is over (or failed): just forward */
		pthread_mutex_unlock(&co.m);
		intel_iommu_ops.flush_iotlb_all(domain);
		return;
	}
	call = ++co.calls;
	if (call == 1) {
		co.parked = true;
		pthread_cond_broadcast(&co.cv);
		while (!co.release)
			pthread_cond_wait(&co.cv, &co.m);
	}
	pthread_mutex_unlock(&co.m);
	if (call == 2)
		dma_unmap_page_no_sync(co.dev, co.late, PAGE_SIZE,
				       DMA_FROM_DEVICE);
	intel_iommu_ops.flush_iotlb_all(domain);
}

static void *co_syncer(void *arg)
{
	xs_cpu_set_current((unsigned int)(uintptr_t)arg);
	dma_sync_device_iotlb(co.dev);
	pthread_mutex_lock(&co.m);
	__atomic_add_fetch(&co.finished, 1, __ATOMIC_RELAXED);
	pthread_cond_broadcast(&co.cv);
	pthread_mutex_unlock(&co.m);
	return NULL;
}

/*
 * Until n spinlock contentions have been seen (the new syncer waits for
 * the domain's sync lock) or the syncers have all finished (a broken
 * sync that skips its wait must fail the test, not hang it).
 */
static void co_wait_contentions(unsigned long n, int syncers)
{
	while (__atomic_load_n(&xs_spin_contentions, __ATOMIC_RELAXED) < n &&
	       __atomic_load_n(&co.finished, __ATOMIC_RELAXED) < syncers)
		sched_yield();
}

/* Runs the scenario; returns the number of domain syncs it took. */
static int co_run(struct dma_fx *fx)
{
	struct iova_domain *iovad;
	pthread_t a, b, c;
	struct bufs buf;
	unsigned long base;
	u8 byte;
	int calls;

	ops_parking = intel_iommu_ops;
	ops_parking.flush_iotlb_all = co_sync_domain;
	xs_kworld_set_domain_ops(&ops_parking);
	co.calls = 0;
	co.parked = co.release = false;
	co.finished = 0;
	co.dev = opt_in(xs_device_create("nic", SID_NIC, 0, 0));
	co.active = true;	/* the opt-in's flush is not one of the syncs */
	iovad = &cookie_of_dev(co.dev)->iovad;
	map_and_touch(co.dev, &buf, 4);
	co.late = buf.addr[3];

	dma_unmap_page_no_sync(co.dev, buf.addr[0], PAGE_SIZE,
			       DMA_FROM_DEVICE);
	assert_int_equal(pthread_create(&a, NULL, co_syncer, (void *)1), 0);
	pthread_mutex_lock(&co.m);
	while (!co.parked && !co.finished)
		pthread_cond_wait(&co.cv, &co.m);
	pthread_mutex_unlock(&co.m);

	/* B's and C's unmaps: after sync 1 started, before sync 2 */
	dma_unmap_page_no_sync(co.dev, buf.addr[1], PAGE_SIZE,
			       DMA_FROM_DEVICE);
	dma_unmap_page_no_sync(co.dev, buf.addr[2], PAGE_SIZE,
			       DMA_FROM_DEVICE);
	base = __atomic_load_n(&xs_spin_contentions, __ATOMIC_RELAXED);
	assert_int_equal(pthread_create(&b, NULL, co_syncer, (void *)2), 0);
	co_wait_contentions(base + 1, 2);	/* B waits for A's sync */
	assert_int_equal(pthread_create(&c, NULL, co_syncer, (void *)3), 0);
	co_wait_contentions(base + 2, 3);	/* so does C */

	pthread_mutex_lock(&co.m);
	co.release = true;
	pthread_cond_broadcast(&co.cv);
	pthread_mutex_unlock(&co.m);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	pthread_join(c, NULL);
	pthread_mutex_lock(&co.m);
	calls = co.calls;
	co.active = false;
	pthread_mutex_unlock(&co.m);

	/* Whatever B and C skipped, their unmaps are invalidated now. */
	assert_int_not_equal(xs_device_dma(co.dev, buf.addr[1], &byte, 1,
					   false), 0);
	assert_int_not_equal(xs_device_dma(co.dev, buf.addr[2], &byte, 1,
					   false), 0);
	/* the late unmap is held unless a third sync covered it */
	assert_int_equal(iovad->xs_outstanding, calls == 2 ? 1 : 0);
	__free_page(buf.page[0]);
	__free_page(buf.page[1]);
	__free_page(buf.page[2]);
	dma_sync_device_iotlb(co.dev);
	__free_page(buf.page[3]);
	assert_int_equal(iovad->xs_outstanding, 0);
	assert_int_equal(xs_oracle_total(fx->o), 0);
	xs_device_destroy(co.dev);
	xs_kworld_set_domain_ops(NULL);
	return calls;
}

static int setup_threaded(void **state, const char *cmdline)
{
	struct xs_kworld_config cfg;

	xs_kworld_default_config(&cfg);
	cfg.cmdline = cmdline;
	cfg.nr_cpus = 4;
	cfg.threaded = true;
	*state = dma_fx_new(&cfg);
	return *state ? 0 : -1;
}

static int setup_coalesce(void **state)
{
	return setup_threaded(state, "iommu.xsmmu=1 iommu.xsmmu_coalesce=1");
}

static int setup_no_coalesce(void **state)
{
	return setup_threaded(state, "iommu.xsmmu=1");
}

/* The caller that found its unmaps covered by sync 2 issues none. */
static void test_coalesce_covered_caller_skips(void **state)
{
	assert_int_equal(co_run(*state), 2);
}

/*
 * Without iommu.xsmmu_coalesce, the second caller finds the late unmap
 * held and flushes the domain again: the sync coalescing saves.
 */
static void test_no_coalesce_issues_its_own(void **state)
{
	assert_int_equal(co_run(*state), 3);
}

/* ---- queued invalidation from several CPUs ---- */

struct qi_worker {
	unsigned int cpu;
	int errors;
};

static bool qi_stop;

static void *qi_flusher(void *arg)
{
	struct qi_worker *qw = arg;
	struct qi_desc d = { 0 };

	xs_cpu_set_current(qw->cpu);
	d.qw0 = QI_IOTLB_GRAN(DMA_TLB_GLOBAL_FLUSH) | QI_IOTLB_TYPE;
	while (!__atomic_load_n(&qi_stop, __ATOMIC_RELAXED))
		if (qi_submit_sync(g_iommus[0], &d, 1, 0))
			qw->errors++;
	return NULL;
}

/*
 * 5.15 drops q_lock while it waits for its status write, so other CPUs
 * queue behind a waiting submitter (a submitter holding q_lock across
 * its spin would never let that happen). Every submission still waits
 * for its own wait descriptor: S5 stays silent.
 */
static void test_qi_submitters_queue_while_one_waits(void **state)
{
	struct dma_fx *fx = *state;
	struct intel_iommu *iommu = g_iommus[0];
	struct qi_worker qw[3];
	pthread_t t[3];
	struct timespec t0, now;
	unsigned int i;
	u64 behind = 0;

	qi_stop = false;
	for (i = 0; i < 3; i++) {
		qw[i] = (struct qi_worker){ .cpu = i + 1 };
		assert_int_equal(pthread_create(&t[i], NULL, qi_flusher,
						&qw[i]), 0);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		sched_yield();
		raw_spin_lock(&iommu->qi->q_lock);
		behind = iommu->xs_qi_queued_behind;
		raw_spin_unlock(&iommu->qi->q_lock);
		clock_gettime(CLOCK_MONOTONIC, &now);
	} while (behind < 100 && now.tv_sec - t0.tv_sec < 10);
	__atomic_store_n(&qi_stop, true, __ATOMIC_RELAXED);
	for (i = 0; i < 3; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(qw[i].errors, 0);
	}
	assert_true(behind >= 100);
	assert_int_equal(xs_oracle_total(fx->o), 0);
}

/*
 * The opt-in is per domain: with iommu.xsmmu=1, a device whose driver
 * never calls dma_enable_no_sync_unmap() (another domain: an NVMe, a
 * second NIC) keeps its lazy flush queue, and its unmaps still go
 * through it, while the opted-in device's domain batches and is strict.
 */
static void test_other_domain_keeps_flush_queue(void **state)
{
	struct dma_fx *fx = *state;
	struct device *nic = xs_device_create("nic", SID_NIC, 0, 0);
	struct device *nvme = xs_device_create("nvme", SID_NIC + 1, 0, 0);
	struct page *page = dma_fx_page("nvme buffer");
	unsigned int held, size;
	u64 waits;
	dma_addr_t addr;

	/* Before any opt-in: both lazy, the static key off. */
	assert_int_equal(iommu_get_dma_domain(nic)->type, IOMMU_DOMAIN_DMA_FQ);
	assert_false(xs_dma_iommu_batch_enabled());
	assert_true(dma_enable_no_sync_unmap(nic));
	assert_true(xs_dma_iommu_batch_enabled());
	assert_ptr_not_equal(iommu_get_dma_domain(nic),
			     iommu_get_dma_domain(nvme));
	assert_int_equal(iommu_get_dma_domain(nic)->type, IOMMU_DOMAIN_DMA);
	xs_device_batch_state(nic, &held, &size);
	assert_int_equal(size, 2048);
	/* The other domain: still lazy, no batch, unmaps queued. */
	assert_int_equal(iommu_get_dma_domain(nvme)->type,
			 IOMMU_DOMAIN_DMA_FQ);
	assert_non_null(cookie_of_dev(nvme)->fq_domain);
	assert_null(cookie_of_dev(nvme)->batch);
	xs_device_batch_state(nvme, &held, &size);
	assert_int_equal(size, 0);
	waits = unit0()->waits;
	addr = dma_map_page(nvme, page, 0, PAGE_SIZE, DMA_TO_DEVICE);
	dma_unmap_page(nvme, addr, PAGE_SIZE, DMA_TO_DEVICE);
	assert_int_equal(unit0()->waits - waits, 0);	/* deferred */
	assert_int_equal(xs_dma_iommu_unmaps[1], 1);
	assert_int_equal(xs_dma_iommu_unmaps[0], 0);
	/* The queue's flush (its timer) before the page goes. */
	xs_kworld_advance(fx->w, 20000000);
	__free_page(page);
	assert_int_equal(xs_oracle_total(fx->o), 0);
	xs_device_destroy(nvme);
	xs_device_destroy(nic);
}

/*
 * Without iommu.xsmmu nothing changes: the opt-in says no, the static
 * key stays off, the domain keeps its flush queue, and a no-sync unmap
 * is the ordinary (here lazy) unmap through it.
 */
static void test_param_off_upstream_paths(void **state)
{
	struct dma_fx *fx = *state;
	struct device *dev = xs_device_create("nic", SID_NIC, 0, 0);
	struct page *page = dma_fx_page("rx buffer");
	dma_addr_t addr;

	assert_false(dma_enable_no_sync_unmap(dev));
	assert_false(xs_dma_iommu_batch_enabled());
	assert_int_equal(iommu_get_dma_domain(dev)->type, IOMMU_DOMAIN_DMA_FQ);
	assert_null(cookie_of_dev(dev)->batch);
	addr = dma_map_page(dev, page, 0, PAGE_SIZE, DMA_FROM_DEVICE);
	dma_unmap_page_no_sync(dev, addr, PAGE_SIZE, DMA_FROM_DEVICE);
	dma_sync_device_iotlb(dev);
	assert_int_equal(xs_dma_iommu_unmaps[1], 1);
	assert_int_equal(xs_dma_iommu_unmaps[0], 0);
	xs_kworld_advance(fx->w, 20000000);
	__free_page(page);
	assert_int_equal(xs_oracle_total(fx->o), 0);
	xs_device_destroy(dev);
}

/*
 * What batching costs in memory, from the structures as compiled. The
 * model's spinlock_t is a pthread mutex; the kernel's is 4 bytes without
 * lock debugging (x86_64, arm64), the only member whose size differs.
 */
static void test_batch_sizes(void **state)
{
	size_t lock_diff = sizeof(spinlock_t) - 4;
	size_t batch = sizeof(struct iommu_dma_batch) +
		       2048 * sizeof(struct iommu_dma_batch_entry);
	size_t kernel_batch = batch - 2 * lock_diff;
	size_t ranges = 64 * sizeof(struct iommu_iotlb_gather);

	(void)state;
	assert_int_equal(sizeof(struct iommu_dma_batch_entry), 32);
	assert_int_equal(kernel_batch, 65576);
	/* kvzalloc: an order-5 block (128 KiB), else vmalloc (17 pages) */
	assert_int_equal(get_order(kernel_batch), 5);
	assert_int_equal(DIV_ROUND_UP(kernel_batch, PAGE_SIZE), 17);
	assert_int_equal(ranges, 2560);
	assert_int_equal(get_order(ranges), 0);
	print_message("batch %zu bytes (kernel, 64-bit), ranges %zu bytes\n",
		      kernel_batch, ranges);
}


#define X(f) cmocka_unit_test_setup_teardown(f, setup_xsmmu, dma_fx_teardown)
#define T(f) cmocka_unit_test_setup_teardown(f, dma_fx_setup, dma_fx_teardown)

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		X(test_no_sync_batch_then_sync),
		X(test_sync_without_pending_is_free),
		X(test_table_pages_held_until_sync),
		X(test_ordinary_unmap_stays_strict),
		X(test_other_domain_keeps_flush_queue),
		T(test_param_off_upstream_paths),
		T(test_batch_sizes),
		X(test_full_batch_syncs_inline),
		X(test_teardown_releases_held),
		X(test_fallback_no_iommu),
		X(test_fallback_passthrough),
		X(test_fallback_driver_without_op),
		T(test_fallback_param_off),
		X(test_fallback_untrusted_device),
		X(test_fallback_untrusted_bounces),
		X(test_oracle_catches_bounce_never_released),
		X(test_no_sync_misuse_reported),
		T(test_oracle_catches_seed_iova_freed_early),
		X(test_patch_holds_iova_until_sync),
		X(test_oracle_catches_seed_sync_noop_on_other_iommu),
		X(test_patch_other_iommu_unmaps_strictly),
		T(test_oracle_catches_seed_table_pages_freed_early),
		X(test_patch_table_pages_freed_after_sync),
		T(test_oracle_catches_seed_table_pages_leaked),
		X(test_patch_table_pages_not_leaked),
		T(test_seed_claim_refuted_dsi_ih_drops_psc),
		cmocka_unit_test_setup_teardown(test_ranges_keep_hot_translations,
						setup_ranges, dma_fx_teardown),
		cmocka_unit_test_setup_teardown(test_ranges_table_freed_drops_psc,
						setup_ranges, dma_fx_teardown),
		cmocka_unit_test_setup_teardown(test_ranges_unaligned,
						setup_ranges, dma_fx_teardown),
		cmocka_unit_test_setup_teardown(test_adaptive_threshold,
						setup_adaptive, dma_fx_teardown),
		cmocka_unit_test_setup_teardown(test_ranges_register_based,
						setup_ranges_register_based,
						dma_fx_teardown),
		cmocka_unit_test_setup_teardown(
			test_coalesce_covered_caller_skips, setup_coalesce,
			dma_fx_teardown),
		cmocka_unit_test_setup_teardown(
			test_no_coalesce_issues_its_own, setup_no_coalesce,
			dma_fx_teardown),
		cmocka_unit_test_setup_teardown(
			test_qi_submitters_queue_while_one_waits,
			setup_no_coalesce, dma_fx_teardown),
	};

	return XS_RUN_GROUP("kernel_dma", tests);
}
