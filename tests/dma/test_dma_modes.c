// SPDX-License-Identifier: GPL-2.0
/*
 * Strict and lazy unmap over many cycles, dma-direct, pass-through,
 * register-based invalidation, domains across units, ATS, boot
 * parameters, and the DMA API's misuse reports.
 */
#include <string.h>

#include <linux/init.h>
#include <xsmmu/rand.h>

#include "dma_fixture.h"

#include <xsmmu/iova_age.h>
#include "dma_iommu_internal.h"

#define SID_NIC		0x0300
#define SID_NIC2	0x0301
#define NR_SLOTS	64

/*
 * A driver's life: buffers mapped, written by the device, unmapped and
 * freed (or kept and remapped), in a seeded random order, with time
 * passing between operations.
 */
static void churn(struct dma_fx *fx, struct device *dev, unsigned int ops,
		  u64 seed, u64 ns_per_op)
{
	struct page *page[NR_SLOTS] = { 0 };
	dma_addr_t addr[NR_SLOTS];
	size_t len[NR_SLOTS];
	struct xs_rand r;
	unsigned int i, s;

	xs_rand_seed(&r, seed);
	for (i = 0; i < ops; i++) {
		s = (unsigned int)xs_rand_below(&r, NR_SLOTS);
		if (!page[s]) {
			page[s] = dma_fx_page("churn buffer");
			len[s] = 64 + xs_rand_below(&r, PAGE_SIZE - 64);
			addr[s] = dma_map_page(dev, page[s], 0, len[s],
					       DMA_BIDIRECTIONAL);
			assert_int_not_equal(addr[s], DMA_MAPPING_ERROR);
			dma_fx_dev_write(dev, addr[s], len[s], (u8)i);
		} else {
			dma_unmap_page(dev, addr[s], len[s],
				       DMA_BIDIRECTIONAL);
			__free_page(page[s]);
			page[s] = NULL;
		}
		xs_kworld_advance(fx->w, ns_per_op);
	}
	for (s = 0; s < NR_SLOTS; s++) {
		if (!page[s])
			continue;
		dma_unmap_page(dev, addr[s], len[s], DMA_BIDIRECTIONAL);
		__free_page(page[s]);
	}
}

/* Strict: every unmap invalidates and waits before the free. */
static void test_strict_churn_is_safe(void **state)
{
	struct dma_fx *fx = *state;
	struct device *dev = xs_device_create("nic", SID_NIC, 0,
					      IOMMU_DOMAIN_DMA);
	const struct vtd_stats *st = vtd_stats(g_iommus[0]->xs_unit);
	struct xs_exposure e;
	u64 waits = st->waits;

	churn(fx, dev, 4000, 11, 500);
	assert_int_equal(xs_oracle_total(fx->o), 0);
	xs_oracle_exposure(fx->o, &e);
	assert_int_equal(e.exposed, 0);
	assert_int_equal(e.max_ns, 0);
	/* One page-selective invalidation and one wait per unmap. */
	assert_int_equal(st->iotlb_inv[VTD_GRAN_PSI], st->waits - waits);
	assert_true(st->waits - waits >= 1900);
	assert_int_equal(cookie_of_dev(dev)->iovad.xs_outstanding, 0);
	xs_device_destroy(dev);
}

/*
 * Lazy: safe from leaks, but pages are freed while the IOTLB still
 * translates to them; the window is measured and bounded by the queue.
 */
static void test_lazy_churn_has_bounded_window(void **state)
{
	struct dma_fx *fx = *state;
	struct device *dev = xs_device_create("nic", SID_NIC, 0,
					      IOMMU_DOMAIN_DMA_FQ);
	struct iova_domain *iovad = &cookie_of_dev(dev)->iovad;
	struct xs_exposure e;

	dma_fx_count_only(fx);
	churn(fx, dev, 4000, 11, 500);
	xs_device_destroy(dev);
	xs_oracle_exposure(fx->o, &e);
	assert_true(e.exposed > 100);
	assert_int_equal(e.open, 0);
	assert_int_equal(e.closed, e.exposed);
	assert_true(e.max_ns > 0);
	/* Bounded by the 10 ms timer (plus the tick it fires on). */
	assert_true(e.max_ns <= (IOVA_FQ_TIMEOUT + 1) * 1000000ULL);
	/* A page freed again inside its open window counts once there. */
	assert_true(xs_oracle_count(fx->o, XS_S2) >= e.exposed);
	assert_int_equal(xs_oracle_count(fx->o, XS_S3), 0);
	assert_int_equal(xs_oracle_count(fx->o, XS_S4), 0);
	(void)iovad;
}

/* Lazy with no time passing: only full rings flush (255 per flush). */
static void test_lazy_full_ring_flushes(void **state)
{
	struct dma_fx *fx = *state;
	struct device *dev = xs_device_create("nic", SID_NIC, 0,
					      IOMMU_DOMAIN_DMA_FQ);
	struct iova_domain *iovad = &cookie_of_dev(dev)->iovad;
	const struct vtd_stats *st = vtd_stats(g_iommus[0]->xs_unit);
	struct page *page = dma_fx_page("tx buffer");
	u64 dsi = st->iotlb_inv[VTD_GRAN_DSI];
	dma_addr_t addr;
	unsigned int i;

	for (i = 0; i < 1000; i++) {
		addr = dma_map_page(dev, page, 0, 256, DMA_TO_DEVICE);
		dma_unmap_page(dev, addr, 256, DMA_TO_DEVICE);
	}
	assert_int_equal(iovad->xs_fq_flush_full, 1000 / (IOVA_FQ_SIZE - 1));
	assert_int_equal(st->iotlb_inv[VTD_GRAN_DSI] - dsi,
			 iovad->xs_fq_flushes);
	assert_int_equal(st->iotlb_inv[VTD_GRAN_PSI], 0);
	assert_int_equal(iovad->xs_queued, 1000 % (IOVA_FQ_SIZE - 1));
	assert_int_equal(xs_oracle_total(fx->o), 0);
	__free_page(page);
	xs_device_destroy(dev);
}

/*
 * Strict: the same IOVA comes back at once, and that is safe: the device
 * had the old translation cached, and after the unmap its access through
 * the reused IOVA reaches the new page, not the old one.
 */
static void test_strict_reuses_iova(void **state)
{
	struct dma_fx *fx = *state;
	struct device *dev = xs_device_create("nic", SID_NIC, 0,
					      IOMMU_DOMAIN_DMA);
	struct page *a = dma_fx_page("a"), *b = dma_fx_page("b");
	u8 old[16], *pa = page_address(a), *pb = page_address(b);
	dma_addr_t x, y;

	x = dma_map_page(dev, a, 0, PAGE_SIZE, DMA_FROM_DEVICE);
	dma_fx_dev_write(dev, x, 16, 1);
	assert_int_equal(xs_oracle_iotlb_refs(fx->o, page_to_pfn(a)), 1);
	dma_unmap_page(dev, x, PAGE_SIZE, DMA_FROM_DEVICE);
	assert_int_equal(xs_oracle_iotlb_refs(fx->o, page_to_pfn(a)), 0);
	memcpy(old, pa, sizeof(old));
	y = dma_map_page(dev, b, 0, PAGE_SIZE, DMA_FROM_DEVICE);
	assert_int_equal(x, y);
	dma_fx_dev_write(dev, y, 16, 2);
	assert_memory_equal(pa, old, sizeof(old));
	assert_int_equal(pb[0], 2);
	dma_unmap_page(dev, y, PAGE_SIZE, DMA_FROM_DEVICE);
	assert_int_equal(xs_oracle_total(fx->o), 0);
	__free_page(a);
	__free_page(b);
	xs_device_destroy(dev);
}

/* No IOMMU: dma-direct, bus address = physical address, never unsafe. */
static void test_dma_direct(void **state)
{
	struct dma_fx *fx = *state;
	struct device *dev = xs_device_create("nic-direct", SID_NIC, -1, 0);
	struct page *page = dma_fx_page("rx buffer");
	dma_addr_t addr;

	assert_null(get_dma_ops(dev));
	addr = dma_map_page(dev, page, 8, 100, DMA_FROM_DEVICE);
	assert_int_equal(addr, page_to_phys(page) + 8);
	dma_fx_dev_write(dev, addr, 100, 5);
	assert_int_equal(((u8 *)page_address(page))[8], 5);
	dma_unmap_page(dev, addr, 100, DMA_FROM_DEVICE);
	churn(fx, dev, 500, 3, 0);
	assert_int_equal(xs_oracle_total(fx->o), 0);
	assert_int_equal(fx->w->dma_api_errors, 0);
	__free_page(page);
	xs_device_destroy(dev);
}

/* iommu=pt: identity domain, dma-direct, the unit passes requests. */
static void test_passthrough(void **state)
{
	struct dma_fx *fx = *state;
	struct device *dev = xs_device_create("nic-pt", SID_NIC, 0,
					      IOMMU_DOMAIN_IDENTITY);
	struct page *page = dma_fx_page("rx buffer");
	dma_addr_t addr;

	assert_int_equal(iommu_get_dma_domain(dev)->type,
			 IOMMU_DOMAIN_IDENTITY);
	addr = dma_map_page(dev, page, 0, 64, DMA_FROM_DEVICE);
	assert_int_equal(addr, page_to_phys(page));
	dma_fx_dev_write(dev, addr, 64, 6);
	assert_int_equal(((u8 *)page_address(page))[1], (u8)(6 + 131));
	dma_unmap_page(dev, addr, 64, DMA_FROM_DEVICE);
	assert_int_equal(xs_oracle_total(fx->o), 0);
	__free_page(page);
	xs_device_destroy(dev);
}

static int setup_register_based(void **state)
{
	struct xs_kworld_config cfg;

	xs_kworld_default_config(&cfg);
	cfg.queued_invalidation = false;
	*state = dma_fx_new(&cfg);
	return *state ? 0 : -1;
}

/* Without queued invalidation 5.15 uses the IOTLB registers: still safe. */
static void test_register_based_strict(void **state)
{
	struct dma_fx *fx = *state;
	struct device *dev = xs_device_create("nic", SID_NIC, 0,
					      IOMMU_DOMAIN_DMA);
	const struct vtd_stats *st = vtd_stats(g_iommus[0]->xs_unit);

	assert_null(g_iommus[0]->qi);
	churn(fx, dev, 1000, 5, 100);
	assert_int_equal(xs_oracle_total(fx->o), 0);
	assert_int_equal(st->waits, 0);
	assert_true(st->iotlb_dropped[VTD_GRAN_PSI] > 0);
	xs_device_destroy(dev);
}

static int setup_two_units(void **state)
{
	struct xs_kworld_config cfg;

	xs_kworld_default_config(&cfg);
	cfg.nr_units = 2;
	*state = dma_fx_new(&cfg);
	return *state ? 0 : -1;
}

/*
 * One domain on two units, each with its own domain id: an unmap must
 * invalidate on both (the device behind unit 1 cached the translation).
 */
static void test_domain_across_units(void **state)
{
	struct dma_fx *fx = *state;
	struct device *a = xs_device_create("nic-a", SID_NIC, 0,
					    IOMMU_DOMAIN_DMA);
	struct device *b = xs_device_create("nic-b", SID_NIC2, 1,
					    IOMMU_DOMAIN_DMA);
	struct dmar_domain *dd;
	struct page *page = dma_fx_page("shared buffer");
	dma_addr_t addr;

	assert_int_equal(xs_device_join(b, a), 0);
	assert_ptr_equal(iommu_get_dma_domain(a), iommu_get_dma_domain(b));
	dd = to_dmar_domain(iommu_get_dma_domain(a));
	assert_int_equal(dd->iommu_refcnt[0], 1);
	assert_int_equal(dd->iommu_refcnt[1], 1);
	addr = dma_map_page(a, page, 0, PAGE_SIZE, DMA_BIDIRECTIONAL);
	dma_fx_dev_write(b, addr, 64, 1);
	assert_true(vtd_iotlb_count(g_iommus[1]->xs_unit,
				    dd->iommu_did[1]) == 1);
	dma_unmap_page(a, addr, PAGE_SIZE, DMA_BIDIRECTIONAL);
	assert_int_equal(vtd_iotlb_count(g_iommus[1]->xs_unit,
					 dd->iommu_did[1]), 0);
	assert_int_equal(vtd_stats(g_iommus[1]->xs_unit)->iotlb_inv
			 [VTD_GRAN_PSI], 1);
	__free_page(page);
	assert_int_equal(xs_oracle_total(fx->o), 0);
	xs_device_destroy(b);
	xs_device_destroy(a);
}

/* With ATS, flushes also invalidate the device-TLB. */
static void test_ats_devtlb_flushes(void **state)
{
	struct dma_fx *fx = *state;
	struct device *dev = xs_device_create("nic", SID_NIC, 0,
					      IOMMU_DOMAIN_DMA);
	const struct vtd_stats *st = vtd_stats(g_iommus[0]->xs_unit);
	struct page *page = dma_fx_page("rx");
	dma_addr_t addr;

	xs_device_enable_ats(dev, 8);
	addr = dma_map_page(dev, page, 0, PAGE_SIZE, DMA_FROM_DEVICE);
	dma_unmap_page(dev, addr, PAGE_SIZE, DMA_FROM_DEVICE);
	assert_int_equal(st->desc_done[VTD_DESC_DEVTLB], 1);
	iommu_flush_iotlb_all(iommu_get_dma_domain(dev));
	assert_int_equal(st->desc_done[VTD_DESC_DEVTLB], 2);
	assert_int_equal(st->iqe, 0);
	__free_page(page);
	assert_int_equal(xs_oracle_total(fx->o), 0);
	xs_device_destroy(dev);
}

/* iommu.strict=1 on the command line makes default domains strict. */
static void test_boot_param_strict(void **state)
{
	struct dma_fx *fx = *state;
	struct device *lazy, *strict;

	lazy = xs_device_create("nic0", SID_NIC, 0, 0);
	assert_int_equal(iommu_get_dma_domain(lazy)->type,
			 IOMMU_DOMAIN_DMA_FQ);
	assert_int_equal(xs_kernel_cmdline("iommu.strict=1"), 0);
	strict = xs_device_create("nic1", SID_NIC2, 0, 0);
	assert_int_equal(iommu_get_dma_domain(strict)->type,
			 IOMMU_DOMAIN_DMA);
	assert_null(cookie_of_dev(strict)->fq_domain);
	/* Unknown words and bad values are reported, not ignored. */
	assert_int_equal(xs_kernel_cmdline("iommu.strict=maybe nosuch=1"), 2);
	xs_device_destroy(strict);
	xs_device_destroy(lazy);
	(void)fx;
}

/* Misuse of the DMA API: reported with the caller, nothing corrupted. */
static void test_dma_api_misuse_reported(void **state)
{
	struct dma_fx *fx = *state;
	struct device *dev = xs_device_create("nic", SID_NIC, 0,
					      IOMMU_DOMAIN_DMA);
	struct page *page = dma_fx_page("rx");
	dma_addr_t addr;

	dma_unmap_page(dev, 0x12345000, PAGE_SIZE, DMA_FROM_DEVICE);
	assert_int_equal(fx->w->dma_api_errors, 1);
	addr = dma_map_page(dev, page, 0, PAGE_SIZE, DMA_FROM_DEVICE);
	assert_int_equal(dma_map_page(dev, page, 0, PAGE_SIZE,
				      (enum dma_data_direction)7),
			 DMA_MAPPING_ERROR);
	assert_int_equal(fx->w->dma_api_errors, 2);
	/* Wrong size and direction: reported, the real mapping undone. */
	dma_unmap_page(dev, addr, 100, DMA_TO_DEVICE);
	assert_int_equal(fx->w->dma_api_errors, 4);
	assert_int_equal(xs_device_live_mappings(dev), 0);
	/* Double unmap: reported, nothing done. */
	dma_unmap_page(dev, addr, PAGE_SIZE, DMA_FROM_DEVICE);
	assert_int_equal(fx->w->dma_api_errors, 5);
	assert_int_equal(cookie_of_dev(dev)->iovad.xs_outstanding, 0);
	assert_int_equal(xs_oracle_total(fx->o), 0);
	__free_page(page);
	xs_device_destroy(dev);
}

#define T(f) cmocka_unit_test_setup_teardown(f, dma_fx_setup, dma_fx_teardown)

/*
 * IOVA ageing (xs_iova_age, the run's iova_age): n single-page mappings
 * made through the DMA API after the churn. Returns how many distinct
 * 2 MiB regions (PDE entries) their IOVAs fall in; *sum gets a digest of
 * the addresses (determinism).
 */
#define AGE_MAPS	256

static unsigned int aged_regions(u64 age_ops, u64 seed, u64 *sum)
{
	struct device *dev = xs_device_create("nic", SID_NIC, 0,
					      IOMMU_DOMAIN_DMA);
	static struct page *page[AGE_MAPS];
	static dma_addr_t addr[AGE_MAPS];
	unsigned int i, j, regions = 0;

	assert_non_null(dev);
	if (age_ops)
		assert_int_equal(xs_iova_age(dev, age_ops, seed, 2), 0);
	assert_int_equal(cookie_of_dev(dev)->iovad.xs_outstanding, 0);
	*sum = 0;
	for (i = 0; i < AGE_MAPS; i++) {
		page[i] = dma_fx_page("aged rx buffer");
		addr[i] = dma_map_page(dev, page[i], 0, PAGE_SIZE,
				       DMA_FROM_DEVICE);
		assert_false(dma_mapping_error(dev, addr[i]));
		*sum = *sum * 1000003 + addr[i];
		for (j = 0; j < i; j++)
			if ((addr[j] >> 21) == (addr[i] >> 21))
				break;
		regions += j == i;
	}
	for (i = 0; i < AGE_MAPS; i++) {
		dma_unmap_page(dev, addr[i], PAGE_SIZE, DMA_FROM_DEVICE);
		__free_page(page[i]);
	}
	assert_int_equal(cookie_of_dev(dev)->iovad.xs_outstanding, 0);
	xs_device_destroy(dev);
	return regions;
}

/*
 * A fresh allocator packs 256 pages into one or two 2 MiB regions; after
 * the churn the same mappings are scattered over many more. The same seed
 * ages the same way; a domain without an IOVA allocator is refused.
 */
static void test_iova_age_scatters(void **state)
{
	struct device *pt;
	unsigned int fresh, aged, again;
	u64 s_fresh, s_aged, s_again;

	(void)state;
	fresh = aged_regions(0, 1, &s_fresh);
	aged = aged_regions(20000, 1, &s_aged);
	again = aged_regions(20000, 1, &s_again);
	print_message("2 MiB regions of %u mappings: fresh %u, aged %u\n",
		      AGE_MAPS, fresh, aged);
	assert_true(fresh <= 2);
	assert_true(aged >= 4 * fresh);
	assert_int_equal(again, aged);
	assert_true(s_again == s_aged);
	pt = xs_device_create("nic", SID_NIC, 0, IOMMU_DOMAIN_IDENTITY);
	assert_non_null(pt);
	assert_int_equal(xs_iova_age(pt, 100, 1, 1), -ENODEV);
	xs_device_destroy(pt);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		T(test_strict_churn_is_safe),
		T(test_lazy_churn_has_bounded_window),
		T(test_lazy_full_ring_flushes),
		T(test_strict_reuses_iova),
		T(test_dma_direct),
		T(test_passthrough),
		cmocka_unit_test_setup_teardown(test_register_based_strict,
						setup_register_based,
						dma_fx_teardown),
		cmocka_unit_test_setup_teardown(test_domain_across_units,
						setup_two_units,
						dma_fx_teardown),
		T(test_ats_devtlb_flushes),
		T(test_boot_param_strict),
		T(test_dma_api_misuse_reported),
		T(test_iova_age_scatters),
	};

	return XS_RUN_GROUP("dma_modes", tests);
}
