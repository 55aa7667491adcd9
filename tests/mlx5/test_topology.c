// SPDX-License-Identifier: GPL-2.0
/*
 * Worlds of several VT-d units: one DMA domain attached to devices
 * behind two units must have a different domain id on each (else a
 * flush that used the wrong unit's id would still hit), and a device
 * behind unit 1 must reach memory through unit 1, its translations
 * cached there under unit 1's id (else a sync that skipped unit 1 would
 * leave nothing stale). Checked on the fuzzer's own world, as its
 * schedules build it (fuzz/schedule.c, through xs_fuzz_end_hook), and on
 * the simulator's topology (mlx5e_sim_topology_create()), in its
 * threaded mode too (labelled threads: make test-tsan runs this file).
 */
#include <linux/dma-mapping.h>
#include <linux/intel-iommu.h>
#include <linux/iommu.h>
#include <xsmmu/kworld.h>
#include <xsmmu/run.h>
#include <xsmmu/vtd.h>

#include "schedule.h"
#include "sim.h"
#include "xs_test.h"

/* What the hook saw in one execution's world. */
struct seen_world {
	bool called;
	u16 nic_did[XS_FUZZ_UNITS];
	u16 client_did[XS_FUZZ_UNITS];
	/* IOTLB entries on unit u tagged with the domain's id there. */
	u32 nic_iotlb[XS_FUZZ_UNITS];
	u32 client_iotlb[XS_FUZZ_UNITS];
	/* A probe DMA of the client's peer: hits on each unit. */
	u64 peer_hits[XS_FUZZ_UNITS];
	bool peer_cached_own_id, peer_cached_other_id;
	bool unit1_clean_after_unmap;
	int probe_fault;
};

static struct seen_world seen;

static u16 did_on(struct device *dev, unsigned int unit)
{
	struct dmar_domain *dd = to_dmar_domain(iommu_get_dma_domain(dev));

	return dd->iommu_refcnt[unit] ? dd->iommu_did[unit] : 0;
}

static struct vtd_unit *unit_hw(unsigned int u)
{
	return g_iommus[u]->xs_unit;
}

/*
 * The client's peer (behind unit 1) reads a page the client maps now,
 * twice: the first read walks and fills unit 1's IOTLB, the second must
 * hit there, under the domain's unit-1 id; unit 0 sees none of it. The
 * unmap (strict in every mode: ordinary unmaps are) must drop it again.
 */
static void probe_peer(const struct xs_fuzz_devices *d)
{
	struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	u64 hits0[XS_FUZZ_UNITS];
	dma_addr_t addr;
	u8 buf[8];
	unsigned int u;

	assert_non_null(page);
	addr = dma_map_page(d->client, page, 0, PAGE_SIZE, DMA_BIDIRECTIONAL);
	assert_false(dma_mapping_error(d->client, addr));
	for (u = 0; u < XS_FUZZ_UNITS; u++)
		hits0[u] = vtd_stats(unit_hw(u))->iotlb_hits;
	seen.probe_fault = xs_device_dma(d->client_peer, addr, buf,
					 sizeof(buf), false);
	seen.probe_fault |= xs_device_dma(d->client_peer, addr, buf,
					  sizeof(buf), false);
	for (u = 0; u < XS_FUZZ_UNITS; u++)
		seen.peer_hits[u] = vtd_stats(unit_hw(u))->iotlb_hits -
				    hits0[u];
	seen.peer_cached_own_id = vtd_iotlb_probe(unit_hw(1),
						  seen.client_did[1], addr,
						  NULL);
	seen.peer_cached_other_id = vtd_iotlb_probe(unit_hw(1),
						    seen.client_did[0], addr,
						    NULL);
	dma_unmap_page(d->client, addr, PAGE_SIZE, DMA_BIDIRECTIONAL);
	seen.unit1_clean_after_unmap = !vtd_iotlb_probe(unit_hw(1),
							seen.client_did[1],
							addr, NULL);
	__free_page(page);
}

static void end_hook(const struct xs_fuzz_devices *d)
{
	unsigned int u;

	seen.called = true;
	assert_non_null(d->client);
	assert_non_null(d->client_peer);
	for (u = 0; u < XS_FUZZ_UNITS; u++) {
		seen.nic_did[u] = did_on(d->nic[0], u);
		seen.client_did[u] = did_on(d->client, u);
		seen.nic_iotlb[u] = vtd_iotlb_count(unit_hw(u),
						    seen.nic_did[u]);
		seen.client_iotlb[u] = vtd_iotlb_count(unit_hw(u),
						       seen.client_did[u]);
	}
	/* Unit 1 falls back to domain flushes for ranges above 2 MiB. */
	assert_true(cap_max_amask_val(g_iommus[1]->cap) <
		    cap_max_amask_val(g_iommus[0]->cap));
	/* The NIC's functions share one domain. */
	assert_ptr_equal(iommu_get_dma_domain(d->nic[0]),
			 iommu_get_dma_domain(d->nic[1]));
	assert_ptr_equal(iommu_get_dma_domain(d->client),
			 iommu_get_dma_domain(d->client_peer));
	probe_peer(d);
}

/* Step byte: operation, channel in bit 4; then the argument. */
#define STEP(op, ch, arg)	(u8)((op) | (ch) << 4), (u8)(arg)

static const u8 schedule[] = {
	STEP(XS_FOP_DEV_RX, 1, 7),	/* function 1 writes 8 RX buffers */
	STEP(XS_FOP_DEV_RX, 0, 7),	/* function 0 too */
	STEP(XS_FOP_UNIT1_READ, 0, 7),	/* function 1 reads 8 of ch0's */
	STEP(XS_FOP_DMA_CLIENT, 0, 0x00),	/* the client maps a page */
	STEP(XS_FOP_DMA_CLIENT, 0, 0x10),	/* ... and 16 pages */
	STEP(XS_FOP_UNIT1_READ, 1, 7),	/* its peer reads 8 live IOVAs */
};

static void run_and_check(enum xs_mode mode)
{
	struct xs_fuzz_result r;
	u64 found;

	memset(&seen, 0, sizeof(seen));
	xs_fuzz_end_hook = end_hook;
	found = xs_fuzz_run(mode, schedule, sizeof(schedule), &r, stderr);
	xs_fuzz_end_hook = NULL;
	assert_int_equal(found, 0);
	assert_true(seen.called);

	/* Ids: one per unit, a different one on each. */
	assert_true(seen.nic_did[0] && seen.nic_did[1]);
	assert_true(seen.client_did[0] && seen.client_did[1]);
	assert_int_not_equal(seen.nic_did[0], seen.nic_did[1]);
	assert_int_not_equal(seen.client_did[0], seen.client_did[1]);

	/*
	 * The schedule's own DMA behind unit 1 (channel 1's RX, function
	 * 1's reads, the peer's reads) is cached in unit 1's IOTLB under
	 * each domain's unit-1 id.
	 */
	assert_true(seen.nic_iotlb[1] > 0);
	assert_true(seen.client_iotlb[1] > 0);
	assert_true(seen.nic_iotlb[0] > 0);

	/* A device behind unit 1 hits unit 1's IOTLB, never unit 0's. */
	assert_int_equal(seen.probe_fault, 0);
	assert_int_equal(seen.peer_hits[1], 1);
	assert_int_equal(seen.peer_hits[0], 0);
	assert_true(seen.peer_cached_own_id);
	assert_false(seen.peer_cached_other_id);
	assert_true(seen.unit1_clean_after_unmap);
}

static void test_fuzz_world_units_strict(void **state)
{
	run_and_check(XS_MODE_STRICT);
}

static void test_fuzz_world_units_xsmmu_poll(void **state)
{
	run_and_check(XS_MODE_XSMMU_POLL);
}

static void test_fuzz_world_units_psi_batch(void **state)
{
	run_and_check(XS_MODE_PSI_BATCH);
}

/*
 * The simulator's topology on three units: the shared domain's id is
 * u + 1 on unit u, and each function's DMA is cached on its own unit
 * under that id.
 */
static void test_sim_topology_three_units(void **state)
{
	struct xs_kworld_config cfg;
	struct mlx5e_sim_topology t;
	struct xs_kworld *w;
	struct page *page;
	struct dmar_domain *dd;
	dma_addr_t addr;
	unsigned int u;
	u8 buf[8];

	xs_kworld_default_config(&cfg);
	cfg.nr_units = 3;
	w = xs_kworld_create(&cfg);
	assert_non_null(w);
	assert_int_equal(mlx5e_sim_topology_create(&t, 3, IOMMU_DOMAIN_DMA),
			 0);
	assert_int_equal(t.nr_units, 3);
	page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	assert_non_null(page);
	addr = dma_map_page(t.fn[0], page, 0, PAGE_SIZE, DMA_BIDIRECTIONAL);
	dd = to_dmar_domain(iommu_get_dma_domain(t.fn[0]));
	for (u = 0; u < 3; u++) {
		assert_ptr_equal(iommu_get_dma_domain(t.fn[u]), &dd->domain);
		assert_int_equal(dd->iommu_refcnt[u], 1);
		assert_int_equal(dd->iommu_did[u], u + 1);
		assert_int_equal(xs_device_dma(t.fn[u], addr, buf, sizeof(buf),
					       false), 0);
		assert_true(vtd_iotlb_probe(unit_hw(u), u + 1, addr, NULL));
	}
	dma_unmap_page(t.fn[0], addr, PAGE_SIZE, DMA_BIDIRECTIONAL);
	for (u = 0; u < 3; u++)
		assert_false(vtd_iotlb_probe(unit_hw(u), u + 1, addr, NULL));
	__free_page(page);
	mlx5e_sim_topology_destroy(&t);
	assert_int_equal(xs_oracle_total(w->oracle), 0);
	assert_int_equal(xs_kworld_destroy(w), 0);
}

/* One unit: the topology is the NIC function alone, as before. */
static void test_sim_topology_one_unit(void **state)
{
	struct xs_kworld_config cfg;
	struct mlx5e_sim_topology t, t2;
	struct xs_kworld *w;

	xs_kworld_default_config(&cfg);
	w = xs_kworld_create(&cfg);
	assert_non_null(w);
	assert_int_equal(mlx5e_sim_topology_create(&t, 1, 0), 0);
	assert_int_equal(t.nr_units, 1);
	assert_int_equal(t.nr_other, 0);
	assert_int_equal(to_dmar_domain(iommu_get_dma_domain(t.fn[0]))
			 ->iommu_did[0], 1);
	/* More units than the machine has: nothing is made. */
	assert_int_equal(mlx5e_sim_topology_create(&t2, 2, 0), -ENODEV);
	mlx5e_sim_topology_destroy(&t);
	assert_int_equal(xs_kworld_destroy(w), 0);
}

/* xsmmu-sim --set units=2: traffic behind both units, every mode safe. */
static void test_sim_run_two_units(void **state)
{
	struct xs_run_config cfg = { 0 };
	struct xs_run_result r;
	char err[128];
	int k;

	assert_int_equal(xs_profile_lookup("mixed", &cfg.profile), 0);
	assert_int_equal(xs_profile_set(&cfg.profile, "units=2", err,
					sizeof(err)), 0);
	assert_int_not_equal(xs_profile_set(&cfg.profile, "units=5", err,
					    sizeof(err)), 0);
	cfg.mode = XS_MODE_PSI_BATCH;
	cfg.packets = 4000;
	cfg.channels = 2;
	cfg.seed = 3;
	cfg.malicious = true;
	cfg.reports = stderr;
	assert_int_equal(xs_run(&cfg, &r), 0);
	assert_true(r.packets >= cfg.packets * 9 / 10);
	for (k = 0; k < XS_INV__COUNT; k++)
		assert_int_equal(r.violations[k], 0);
	assert_true(r.malicious_accesses > 0);
}

/*
 * The threaded mode on two units: channels on real threads, two of them
 * behind each unit, syncing one domain on both (make test-tsan runs
 * this under ThreadSanitizer).
 */
static void run_threaded_two_units(enum xs_mode mode)
{
	struct xs_run_config cfg = { 0 };
	struct xs_run_result r;
	char err[128];
	int k;

	assert_int_equal(xs_profile_lookup("mixed", &cfg.profile), 0);
	assert_int_equal(xs_profile_set(&cfg.profile, "units=2", err,
					sizeof(err)), 0);
	cfg.mode = mode;
	cfg.packets = 6000;
	cfg.channels = 4;
	cfg.seed = 5;
	cfg.threaded = true;
	cfg.reports = stderr;
	assert_int_equal(xs_run(&cfg, &r), 0);
	assert_true(r.packets >= cfg.packets * 9 / 10);
	for (k = 0; k < XS_INV__COUNT; k++)
		assert_int_equal(r.violations[k], 0);
	assert_true(r.invalidation_waits > 0);
}

static void test_threads_two_units_psi_batch(void **state)
{
	run_threaded_two_units(XS_MODE_PSI_BATCH);
}

static void test_threads_two_units_xsmmu_poll(void **state)
{
	run_threaded_two_units(XS_MODE_XSMMU_POLL);
}

static void test_threads_two_units_strict(void **state)
{
	run_threaded_two_units(XS_MODE_STRICT);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fuzz_world_units_strict),
		cmocka_unit_test(test_fuzz_world_units_xsmmu_poll),
		cmocka_unit_test(test_fuzz_world_units_psi_batch),
		cmocka_unit_test(test_sim_topology_three_units),
		cmocka_unit_test(test_sim_topology_one_unit),
		cmocka_unit_test(test_sim_run_two_units),
		cmocka_unit_test(test_threads_two_units_psi_batch),
		cmocka_unit_test(test_threads_two_units_xsmmu_poll),
		cmocka_unit_test(test_threads_two_units_strict),
	};

	return XS_RUN_GROUP("topology", tests);
}
