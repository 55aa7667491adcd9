// SPDX-License-Identifier: GPL-2.0
/*
 * The patch's mlx5e TX and RX release paths driven through the NIC model:
 * every path with zero oracle violations, zero leaks and the expected
 * number of invalidation waits. The seed's mlx5 defects twice: as oracle
 * tests (the seed's defective ordering, written in the test, must be
 * caught) and as the patch's own paths in the same scenario (clean, the
 * scenario shown to have happened).
 */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>

#include <xsmmu/model_lock.h>

#include "dma_fixture.h"
#include <linux/smp.h>
#include "dma_iommu_internal.h"
#include "en/txrx.h"
#include "sim.h"

#define SID_NIC		0x0300

enum { TX_SYNC, TX_PER_WQE, TX_PER_POLL };

struct mlx5_fx {
	struct dma_fx *dfx;
	struct device *dev;
	struct mlx5e_sim_channel ch;
};

/* The next fixture's world runs threaded (the model lock is taken). */
static bool mfx_threaded;

static struct mlx5_fx *mfx_new(const char *cmdline, int unit,
			       unsigned int domain_type, bool mpwqe,
			       u16 rq_size)
{
	struct mlx5_fx *m = calloc(1, sizeof(*m));
	struct mlx5e_sim_channel_config cc;
	struct xs_kworld_config cfg;

	xs_kworld_default_config(&cfg);
	cfg.cmdline = cmdline;
	cfg.phys_frames = 1 << 17;
	cfg.threaded = mfx_threaded;
	m->dfx = dma_fx_new(&cfg);
	assert_non_null(m->dfx);
	m->dev = xs_device_create("mlx5_core", SID_NIC, unit, domain_type);
	assert_non_null(m->dev);
	mlx5e_sim_channel_default(&cc);
	cc.mpwqe = mpwqe;
	if (rq_size)
		cc.rq_size = rq_size;
	assert_int_equal(mlx5e_sim_channel_open(&m->ch, m->dev, &cc), 0);
	mlx5e_sim_tx_policy(TX_PER_POLL);
	return m;
}

static int setup(void **state)
{
	*state = mfx_new("iommu.xsmmu=1", 0, 0, false, 0);
	return 0;
}

static int setup_mpwqe(void **state)
{
	*state = mfx_new("iommu.xsmmu=1", 0, 0, true, 0);
	return 0;
}

static int setup_big_rq(void **state)
{
	*state = mfx_new("iommu.xsmmu=1", 0, 0, false, 4096);
	return 0;
}

static int setup_direct(void **state)
{
	*state = mfx_new("iommu.xsmmu=1", -1, 0, false, 0);
	return 0;
}

static int setup_threaded(void **state)
{
	mfx_threaded = true;
	*state = mfx_new("iommu.xsmmu=1", 0, 0, false, 0);
	mfx_threaded = false;
	return 0;
}

static int setup_pt(void **state)
{
	*state = mfx_new("iommu.xsmmu=1", 0, IOMMU_DOMAIN_IDENTITY, false, 0);
	return 0;
}

/*
 * Both private flags off (tx_batch_unmap, rx_batch_unmap) on a strict
 * domain: the driver never opts in, so RX releases and TX completions
 * take upstream's paths.
 */
static int setup_batching_off(void **state)
{
	mlx5e_sim_rx_batching(false);
	mlx5e_sim_tx_policy(TX_SYNC);
	*state = mfx_new("iommu.strict=1 iommu.xsmmu=1", 0, 0, false, 0);
	return 0;
}

/* Closes everything and asserts L1 on the way. */
static int teardown(void **state)
{
	struct mlx5_fx *m = *state;
	u64 leaks;

	if (!m)
		return 0;
	if (dma_fx_broken()) {
		/* No kernel code: it may wait on locks a failure left held. */
		dma_fx_free(m->dfx);
		free(m);
		*state = NULL;
		return -1;
	}
	mlx5e_sim_channel_close(&m->ch);
	xs_device_destroy(m->dev);
	leaks = dma_fx_free(m->dfx);
	mlx5e_sim_tx_policy(TX_PER_POLL);
	mlx5e_sim_rx_batching(true);
	free(m);
	*state = NULL;
	return leaks ? -1 : 0;
}

static u64 waits(void)
{
	return g_iommus[0] ? vtd_stats(g_iommus[0]->xs_unit)->waits : 0;
}

static u64 psi(void)
{
	return vtd_stats(g_iommus[0]->xs_unit)->iotlb_inv[VTD_GRAN_PSI];
}

static u64 dsi(void)
{
	return vtd_stats(g_iommus[0]->xs_unit)->iotlb_inv[VTD_GRAN_DSI];
}

/* The domain's batch: no-sync unmaps held, syncs that did work. */
static struct iommu_dma_batch *batch_of(struct mlx5_fx *m)
{
	struct iommu_dma_batch *b = cookie_of_dev(m->dev)->batch;

	assert_non_null(b);
	return b;
}

/* Does the device's IOTLB hold a translation of iova? */
static bool iotlb_cached(struct mlx5_fx *m, dma_addr_t iova)
{
	struct dmar_domain *dd = to_dmar_domain(iommu_get_dma_domain(m->dev));
	struct vtd_iotlb_view v;

	return vtd_iotlb_probe(g_iommus[0]->xs_unit, dd->iommu_did[0], iova,
			       &v);
}

static u32 rx_cached_pages(struct mlx5e_rq *rq)
{
	return (rq->page_cache.tail - rq->page_cache.head) &
	       (MLX5E_CACHE_SIZE - 1);
}

/*
 * DMA mappings the TX side holds: all of the device's but RX's pages and
 * the descriptor rings.
 */
static unsigned long tx_mappings(struct mlx5_fx *m)
{
	struct mlx5e_rq *rq = &m->ch.rq;
	unsigned long rx = (u16)(rq->tail - rq->ci) +
		((rq->page_cache.tail - rq->page_cache.head) &
		 (MLX5E_CACHE_SIZE - 1));

	return xs_device_live_mappings(m->dev) - rx -
	       SIM_RING__COUNT * SIM_RING_PAGES;
}

/* 64 packets, every third with page fragments; sent, then completed. */
static void send_burst(struct mlx5_fx *m, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		assert_int_equal(mlx5e_sim_send(&m->ch, i % 3 ? 900 : 7000,
						i + 1 < n, false), 0);
	assert_int_equal(mlx5e_sim_nic_tx(&m->ch, n, 8), n);
}

/* ---- TX ---- */

static void test_tx_completion_per_poll(void **state)
{
	struct mlx5_fx *m = *state;
	u64 w0, p0;

	send_burst(m, 64);
	w0 = waits();
	p0 = psi();
	mlx5e_sim_napi_poll(&m->ch, 64);
	assert_int_equal(waits() - w0, 1);	/* one sync for the poll */
	assert_int_equal(psi() - p0, 0);
	assert_int_equal(m->ch.sq_stats.packets, 64);
	assert_int_equal(m->ch.sq.cc, m->ch.sq.pc);
	assert_int_equal(tx_mappings(m), 0);
	assert_int_equal(xs_oracle_total(m->dfx->o), 0);
}

/* The seed's policy: one domain-wide sync per work item. */
static void test_tx_completion_per_wqe(void **state)
{
	struct mlx5_fx *m = *state;
	u64 w0;

	mlx5e_sim_tx_policy(TX_PER_WQE);
	send_burst(m, 64);
	w0 = waits();
	mlx5e_sim_napi_poll(&m->ch, 64);
	assert_int_equal(waits() - w0, 64);
	assert_int_equal(xs_oracle_total(m->dfx->o), 0);
}

/* Upstream order: every buffer unmapped and waited for (strict). */
static void test_tx_completion_synchronous(void **state)
{
	struct mlx5_fx *m = *state;
	u64 w0, dma = 0;
	unsigned int i;

	/* ethtool --set-priv-flags tx_batch_unmap off: the queues reopen */
	assert_int_equal(mlx5e_sim_set_pflag(&m->ch, 1,
					     MLX5E_PFLAG_TX_BATCH_UNMAP, false),
			 0);
	assert_false(test_bit(MLX5E_SQ_STATE_BATCH_UNMAP, &m->ch.sq.state));
	send_burst(m, 64);
	for (i = 0; i < 64; i++)
		dma += m->ch.sq.db.wqe_info[i].num_dma;
	w0 = waits();
	mlx5e_sim_napi_poll(&m->ch, 64);
	assert_int_equal(waits() - w0, dma);
	assert_int_equal(xs_oracle_total(m->dfx->o), 0);
}

/* Multi-packet WQEs: the skb FIFO path, still one sync per poll. */
static void test_tx_completion_mpwqe(void **state)
{
	struct mlx5_fx *m = *state;
	unsigned int i;
	u64 w0;

	for (i = 0; i < 64; i++)
		assert_int_equal(mlx5e_sim_send(&m->ch, 300 + i, i + 1 < 64,
						false), 0);
	assert_int_equal(m->ch.sq.pc, 64 / MLX5E_SIM_MPWQE_PKTS);
	mlx5e_sim_nic_tx(&m->ch, 64, 2);
	w0 = waits();
	mlx5e_sim_napi_poll(&m->ch, 64);
	assert_int_equal(waits() - w0, 1);
	assert_int_equal(m->ch.sq_stats.packets, 64);
	assert_int_equal(m->ch.sq.skb_fifo_cc, m->ch.sq.skb_fifo_pc);
	assert_int_equal(xs_oracle_total(m->dfx->o), 0);
}

/* A timestamped skb is freed at its own completion, after its sync. */
static void test_tx_hw_timestamp(void **state)
{
	struct mlx5_fx *m = *state;
	u64 w0;

	assert_int_equal(mlx5e_sim_send(&m->ch, 500, true, false), 0);
	assert_int_equal(mlx5e_sim_send(&m->ch, 500, true, true), 0);
	assert_int_equal(mlx5e_sim_send(&m->ch, 500, false, false), 0);
	mlx5e_sim_nic_tx(&m->ch, 3, 3);
	w0 = waits();
	mlx5e_sim_napi_poll(&m->ch, 64);
	assert_int_equal(waits() - w0, 2);
	assert_int_equal(xs_oracle_total(m->dfx->o), 0);
}

/*
 * The WQE error path: the third mapping of a packet fails; the two made
 * are unmapped (synchronously: strict with iommu.xsmmu=1) and the skb is
 * dropped after them.
 */
static void test_tx_mapping_error(void **state)
{
	struct mlx5_fx *m = *state;
	u64 w0 = waits();

	m->ch.sq.fail_map_after = 3;
	assert_int_equal(mlx5e_sim_send(&m->ch, 1500 + 3 * 4096, false,
					false), 0);
	assert_int_equal(m->ch.sq_stats.wqe_err, 1);
	assert_int_equal(m->ch.sq.pc, 0);
	assert_int_equal(m->ch.sq.dma_fifo_pc, 0);
	assert_int_equal(waits() - w0, 2);
	assert_int_equal(tx_mappings(m), 0);
	send_burst(m, 4);
	mlx5e_sim_napi_poll(&m->ch, 64);
	assert_int_equal(xs_oracle_total(m->dfx->o), 0);
}

/*
 * Queue teardown with work in flight (some sent without a completion,
 * some never sent): one sync, then every skb freed.
 */
static void test_tx_cleanup(void **state)
{
	struct mlx5_fx *m = *state;
	unsigned int i;
	u64 w0;

	for (i = 0; i < 40; i++)
		assert_int_equal(mlx5e_sim_send(&m->ch, 2000, true, false),
				 0);
	mlx5e_sim_nic_tx(&m->ch, 10, 100);	/* no completion yet */
	w0 = waits();
	mlx5e_close_txqsq(&m->ch.sq);
	assert_int_equal(waits() - w0, 1);
	assert_int_equal(tx_mappings(m), 0);
	assert_int_equal(xs_oracle_total(m->dfx->o), 0);
	/* The channel's RX side closes in teardown. */
	assert_int_equal(mlx5e_alloc_txqsq(&m->ch.sq, m->dev, 16,
					   &m->ch.sq_stats), 0);
}

/* ---- RX ---- */

/*
 * Receive with the stack holding its skbs: the RX cache (256 pages)
 * fills, later releases miss it and are parked, one sync per poll.
 */
static void test_rx_poll_end_flush(void **state)
{
	struct mlx5_fx *m = *state;
	unsigned int round, polls = 0;
	u64 w0 = waits(), p0 = psi();

	for (round = 0; round < 40; round++) {
		mlx5e_sim_nic_rx(&m->ch, 64, 1500);
		mlx5e_sim_napi_poll(&m->ch, 64);
		polls++;
		if (round % 4 == 3)
			mlx5e_sim_stack_consume(&m->ch, 200);
	}
	assert_int_equal(m->ch.rq_stats.packets, 40 * 64);
	assert_true(m->ch.rq_stats.cache_full > 0);
	assert_true(waits() - w0 > 0);
	assert_true(waits() - w0 <= polls);
	assert_int_equal(psi() - p0, 0);
	assert_int_equal(m->ch.dma_faults, 0);
	assert_int_equal(xs_oracle_total(m->dfx->o), 0);
}

/* One poll releasing more than the array holds: it flushes when full. */
static void test_rx_batch_full(void **state)
{
	struct mlx5_fx *m = *state;
	u64 w0;

	mlx5e_sim_nic_rx(&m->ch, 3000, 256);
	w0 = waits();
	assert_int_equal(mlx5e_sim_napi_poll(&m->ch, 3000), 3000);
	/* 3000 - 255 cached = 2745 misses: two full flushes and the end. */
	assert_int_equal(waits() - w0, 3);
	assert_int_equal(xs_oracle_total(m->dfx->o), 0);
}

/*
 * Pages released outside the RX poll (an XDP_TX completion, say) are
 * flushed even by a poll that finds no completion and returns early.
 */
static void test_rx_early_return_flushes(void **state)
{
	struct mlx5_fx *m = *state;
	struct mlx5e_rq *rq = &m->ch.rq;
	struct mlx5e_dma_info di;
	u64 w0;

	/* A page released by another path in this NAPI pass. */
	di.page = page_pool_dev_alloc_pages(rq->page_pool);
	assert_non_null(di.page);
	di.addr = dma_map_page(rq->pdev, di.page, 0, PAGE_SIZE,
			       DMA_FROM_DEVICE);
	dma_fx_dev_write(rq->pdev, di.addr, 64, 3);
	mlx5e_page_release_dynamic(rq, &di, false);
	w0 = waits();
	assert_int_equal(mlx5e_poll_rx_cq(&rq->cq, 64), 0);
	assert_int_equal(waits() - w0, 1);
	assert_int_equal(xs_oracle_total(m->dfx->o), 0);
}

/*
 * Teardown with a full cache and posted WQEs: every page is released
 * after a sync and before the page_pool is destroyed.
 */
static void test_rx_teardown(void **state)
{
	struct mlx5_fx *m = *state;
	u64 w0;

	mlx5e_sim_nic_rx(&m->ch, 200, 1000);
	mlx5e_sim_napi_poll(&m->ch, 256);
	mlx5e_sim_stack_consume(&m->ch, 200);
	w0 = waits();
	mlx5e_close_rq(&m->ch.rq);
	assert_int_equal(waits() - w0, 2);	/* free_rx_descs, free_rq */
	assert_int_equal(tx_mappings(m), 0);
	assert_int_equal(xs_oracle_total(m->dfx->o), 0);
	assert_int_equal(mlx5e_alloc_rq(&m->ch.rq, m->dev, 16,
					&m->ch.rq_stats, NULL), 0);
}

/* ---- fallbacks ---- */

static void run_traffic(struct mlx5_fx *m)
{
	unsigned int round;

	for (round = 0; round < 10; round++) {
		send_burst(m, 32);
		mlx5e_sim_nic_rx(&m->ch, 64, 1500);
		mlx5e_sim_napi_poll(&m->ch, 64);
		mlx5e_sim_stack_consume(&m->ch, 64);
	}
}

static void test_fallback_no_iommu(void **state)
{
	struct mlx5_fx *m = *state;

	run_traffic(m);
	assert_int_equal(waits(), 0);
	assert_int_equal(m->dfx->w->dma_api_errors, 0);
	assert_int_equal(xs_oracle_total(m->dfx->o), 0);
}

static void test_fallback_passthrough(void **state)
{
	struct mlx5_fx *m = *state;

	run_traffic(m);
	assert_int_equal(m->dfx->w->dma_api_errors, 0);
	assert_int_equal(xs_oracle_total(m->dfx->o), 0);
}

/*
 * Batching off (private flags tx_batch_unmap and rx_batch_unmap off):
 * the driver never opts in, so the domain has no batch and the static
 * key stays off; the RQ has no pending array, the SQ no batching bit, no
 * domain sync runs; every unmap is the strict one (a page-selective
 * invalidation and its wait), in the upstream order, and it is safe.
 */
static void test_batching_off(void **state)
{
	struct mlx5_fx *m = *state;
	u64 w0 = waits(), p0 = psi(), d0 = dsi();
	unsigned int round, held, size;

	assert_null(m->ch.rq.batch_pending);
	assert_false(test_bit(MLX5E_SQ_STATE_BATCH_UNMAP, &m->ch.sq.state));
	assert_false(xs_dma_iommu_batch_enabled());
	xs_device_batch_state(m->dev, &held, &size);
	assert_int_equal(size, 0);
	run_traffic(m);
	/* RX with the stack holding its skbs: the cache fills, pages go. */
	for (round = 0; round < 16; round++) {
		mlx5e_sim_nic_rx(&m->ch, 64, 1500);
		mlx5e_sim_napi_poll(&m->ch, 64);
		if (round % 4 == 3)
			mlx5e_sim_stack_consume(&m->ch, 200);
	}
	assert_int_equal(m->ch.sq_stats.packets, 10 * 32);
	assert_int_equal(m->ch.rq_stats.packets, 26 * 64);
	assert_true(m->ch.rq_stats.cache_full > 0);
	assert_int_equal(dsi(), d0);
	assert_int_equal(xs_dma_iommu_unmaps[1], 0);
	/* A wait per TX buffer and per RX page that missed the cache. */
	assert_true(waits() - w0 >= 10 * 32 + m->ch.rq_stats.cache_full);
	assert_int_equal(waits() - w0, psi() - p0);
	assert_int_equal(m->ch.dma_faults, 0);
	assert_int_equal(xs_oracle_total(m->dfx->o), 0);
}

/*
 * ---- the seed's mlx5 defects ----
 *
 * test_oracle_catches_seed_*: the seed's ordering, re-written here (not
 * the patch's code), must be reported. test_patch_*: the patch's paths
 * in the same scenario stay clean, and the scenario is shown to happen.
 */

/*
 * Oracle test, seed defect "mlx5e_free_txqsq_descs sketch": skbs freed
 * inside the loop, one sync after it. The device had read the buffers,
 * so the IOTLB still maps them when they are freed.
 */
static void test_oracle_catches_seed_cleanup_frees_before_sync(void **state)
{
	struct mlx5_fx *m = *state;
	struct mlx5e_txqsq *sq = &m->ch.sq;
	unsigned int i;
	u32 dma_fifo_cc;
	u16 sqcc;

	dma_fx_count_only(m->dfx);
	for (i = 0; i < 8; i++)
		assert_int_equal(mlx5e_sim_send(&m->ch, 800, true, false), 0);
	mlx5e_sim_nic_tx(&m->ch, 8, 100);
	clear_bit(MLX5E_SQ_STATE_ENABLED, &sq->state);
	sqcc = sq->cc;
	dma_fifo_cc = sq->dma_fifo_cc;
	while (sqcc != sq->pc) {
		struct mlx5e_tx_wqe_info *wi =
			&sq->db.wqe_info[sqcc & (sq->wq_sz - 1)];
		struct mlx5e_sq_dma *dma = mlx5e_dma_get(sq, dma_fifo_cc++);

		sqcc += wi->num_wqebbs;
		dma_unmap_single_no_sync(sq->pdev, dma->addr, dma->size,
					 DMA_TO_DEVICE);
		dev_kfree_skb_any(wi->skb);	/* before the sync */
	}
	dma_sync_device_iotlb(sq->pdev);
	sq->cc = sqcc;
	sq->dma_fifo_cc = dma_fifo_cc;
	assert_int_equal(xs_oracle_count(m->dfx->o, XS_S2), 8);
	mlx5e_free_txqsq(sq);
	assert_int_equal(mlx5e_alloc_txqsq(sq, m->dev, 16, &m->ch.sq_stats),
			 0);
}

/*
 * The same teardown through the patch's mlx5e_free_txqsq_descs(): the
 * device has read every buffer (the IOTLB holds them), the unmaps are
 * no-sync ones, one sync covers them all, and only then are the skbs
 * freed.
 */
static void test_patch_cleanup_syncs_before_free(void **state)
{
	struct mlx5_fx *m = *state;
	struct mlx5e_txqsq *sq = &m->ch.sq;
	struct iommu_dma_batch *b = batch_of(m);
	dma_addr_t addr[8];
	u64 w0, p0, syncs, data;
	unsigned int i;

	dma_fx_count_only(m->dfx);
	for (i = 0; i < 8; i++)
		assert_int_equal(mlx5e_sim_send(&m->ch, 800, true, false), 0);
	assert_int_equal(mlx5e_sim_nic_tx(&m->ch, 8, 100), 8);
	assert_int_equal(sq->dma_fifo_pc - sq->dma_fifo_cc, 8);
	for (i = 0; i < 8; i++) {
		addr[i] = mlx5e_dma_get(sq, sq->dma_fifo_cc + i)->addr;
		assert_true(iotlb_cached(m, addr[i]));
	}
	w0 = waits();
	p0 = psi();
	syncs = b->syncs_completed;
	data = m->dfx->w->pages_out[XS_PAGE_KIND_DATA];
	mlx5e_close_txqsq(sq);
	/* Eight unmaps, one wait: the no-sync path, then one sync. */
	assert_int_equal(waits() - w0, 1);
	assert_int_equal(psi(), p0);
	assert_int_equal(b->syncs_completed - syncs, 1);
	for (i = 0; i < 8; i++)
		assert_false(iotlb_cached(m, addr[i]));
	/* The skbs (one head page each) were freed. */
	assert_int_equal(data - m->dfx->w->pages_out[XS_PAGE_KIND_DATA], 8);
	assert_int_equal(xs_oracle_count(m->dfx->o, XS_S2), 0);
	assert_int_equal(xs_oracle_total(m->dfx->o), 0);
	assert_int_equal(mlx5e_alloc_txqsq(sq, m->dev, 16, &m->ch.sq_stats),
			 0);
}

/*
 * Oracle test, seed defect "RX pages parked by mlx5e_free_rq() leak": the
 * seed flushed in mlx5e_free_rx_descs() only; the page cache drained
 * afterwards parks its pages again and the array goes with the RQ.
 */
static void test_oracle_catches_seed_rx_teardown_leak(void **state)
{
	struct mlx5_fx *m = *state;
	struct mlx5e_rq *rq = &m->ch.rq;
	u32 i;

	dma_fx_count_only(m->dfx);
	mlx5e_sim_nic_rx(&m->ch, 200, 1000);
	mlx5e_sim_napi_poll(&m->ch, 256);
	mlx5e_sim_stack_consume(&m->ch, 200);
	clear_bit(MLX5E_RQ_STATE_ENABLED, &rq->state);
	mlx5e_free_rx_descs(rq);		/* flushes */
	for (i = rq->page_cache.head; i != rq->page_cache.tail;
	     i = (i + 1) & (MLX5E_CACHE_SIZE - 1))
		mlx5e_page_release_dynamic(rq, &rq->page_cache.page_cache[i],
					   false);
	kvfree(rq->batch_pending);		/* no last flush */
	rq->batch_pending = NULL;
	page_pool_destroy(rq->page_pool);
	kfree(rq->wqe.di);
	kfree(rq->cq.cqes);
	memset(rq, 0, sizeof(*rq));
	mlx5e_close_txqsq(&m->ch.sq);
	mlx5e_sim_stack_consume(&m->ch, m->ch.stack_count);
	kfree(m->ch.stack);
	kfree(m->ch.stack_time);
	kfree(m->ch.seen);
	m->ch.open = false;
	xs_device_destroy(m->dev);
	/* The cached pages never came back: L1. */
	assert_int_equal(dma_fx_free(m->dfx), 1);
	free(m);
	*state = NULL;
	mlx5e_sim_tx_policy(TX_PER_POLL);
}

/*
 * The same teardown through the patch's mlx5e_free_rq(): the RX cache
 * still holds pages after mlx5e_free_rx_descs() flushed, the drain parks
 * them (no-sync unmaps), and the last flush after it releases them all.
 */
static void test_patch_rx_teardown_flushes_after_drain(void **state)
{
	struct mlx5_fx *m = *state;
	struct mlx5e_rq *rq = &m->ch.rq;
	struct iommu_dma_batch *b = batch_of(m);
	u64 w0, data, syncs;
	u32 cached;

	dma_fx_count_only(m->dfx);
	mlx5e_sim_nic_rx(&m->ch, 200, 1000);
	mlx5e_sim_napi_poll(&m->ch, 256);
	mlx5e_sim_stack_consume(&m->ch, 200);
	clear_bit(MLX5E_RQ_STATE_ENABLED, &rq->state);
	mlx5e_free_rx_descs(rq);
	assert_int_equal(b->count, 0);
	cached = rx_cached_pages(rq);
	assert_true(cached > 0);
	w0 = waits();
	syncs = b->syncs_completed;
	data = m->dfx->w->pages_out[XS_PAGE_KIND_DATA];
	mlx5e_free_rq(rq);
	/* The cached pages were parked and covered by one last sync. */
	assert_int_equal(waits() - w0, 1);
	assert_int_equal(b->syncs_completed - syncs, 1);
	assert_int_equal(b->count, 0);
	assert_true(data - m->dfx->w->pages_out[XS_PAGE_KIND_DATA] >= cached);
	assert_int_equal(xs_oracle_total(m->dfx->o), 0);
	/* Close the rest: nothing leaked (L1), where the seed leaked. */
	assert_int_equal(mlx5e_alloc_rq(rq, m->dev, 16, &m->ch.rq_stats,
					NULL), 0);
	mlx5e_sim_channel_close(&m->ch);
	xs_device_destroy(m->dev);
	assert_int_equal(dma_fx_free(m->dfx), 0);
	free(m);
	*state = NULL;
	mlx5e_sim_tx_policy(TX_PER_POLL);
}

/*
 * Seed defect "24 KiB pending array embedded in the RQ" (and in the XSK
 * RQ of every channel): the patch allocates the array with the RQ, as one
 * object reached by a pointer, only when RX batching is on, and frees it
 * with the RQ. An RQ that batches parks a released page there (its
 * unmap held for the sync); one that does not unmaps it at once.
 */
static void test_rx_pending_array_only_when_batching(void **state)
{
	struct mlx5_fx *m = *state;
	struct mlx5e_rq *rq = &m->ch.rq;
	struct iommu_dma_batch *b = batch_of(m);
	struct mlx5e_dma_info di;
	long base, objs_off;
	u64 w0;
	int on;

	mlx5e_close_rq(rq);
	base = xs_kmalloc_outstanding();
	for (on = 0; on < 2; on++) {
		mlx5e_sim_rx_batching(on);
		assert_int_equal(mlx5e_alloc_rq(rq, m->dev, 16,
						&m->ch.rq_stats, NULL), 0);
		if (!on) {
			assert_null(rq->batch_pending);
			objs_off = xs_kmalloc_outstanding() - base;
		} else {
			assert_non_null(rq->batch_pending);
			assert_int_equal(xs_kmalloc_outstanding() - base,
					 objs_off + 1);
		}
		di.page = page_pool_dev_alloc_pages(rq->page_pool);
		assert_non_null(di.page);
		di.addr = dma_map_page(rq->pdev, di.page, 0, PAGE_SIZE,
				       DMA_FROM_DEVICE);
		dma_fx_dev_write(rq->pdev, di.addr, 64, 3);
		w0 = waits();
		mlx5e_page_release_dynamic(rq, &di, false);
		assert_int_equal(b->count, on ? 1 : 0);
		assert_int_equal(waits() - w0, on ? 0 : 1);
		mlx5e_close_rq(rq);
		assert_int_equal(b->count, 0);
		assert_null(rq->batch_pending);
		assert_int_equal(xs_kmalloc_outstanding(), base);
	}
	assert_int_equal(mlx5e_alloc_rq(rq, m->dev, 16, &m->ch.rq_stats,
					NULL), 0);
	assert_int_equal(xs_oracle_total(m->dfx->o), 0);
}

/*
 * The leak of the seed's placement: an RQ whose xdp_rxq_info_reg_mem_model()
 * fails leaves through err_free_by_rq_type. The pending array is allocated
 * after that exit, so nothing the patch allocates is left behind.
 */
static void test_rx_alloc_error_path_no_leak(void **state)
{
	struct mlx5_fx *m = *state;
	struct mlx5e_rq *rq = &m->ch.rq;
	long base;

	mlx5e_close_rq(rq);
	base = xs_kmalloc_outstanding();
	mlx5e_sim_fail_reg_mem_model = 1;
	assert_int_equal(mlx5e_alloc_rq(rq, m->dev, 16, &m->ch.rq_stats, NULL),
			 -ENOMEM);
	assert_int_equal(mlx5e_sim_fail_reg_mem_model, 0);
	assert_int_equal(xs_kmalloc_outstanding(), base);
	assert_int_equal(mlx5e_alloc_rq(rq, m->dev, 16, &m->ch.rq_stats, NULL),
			 0);
	assert_non_null(rq->batch_pending);
	assert_int_equal(xs_oracle_total(m->dfx->o), 0);
}

/* Releases n fresh pool pages as NAPI does (recycle): the cache fills first. */
static void release_recycled(struct mlx5e_rq *rq, unsigned int n)
{
	struct mlx5e_dma_info di;

	while (n--) {
		di.page = page_pool_dev_alloc_pages(rq->page_pool);
		assert_non_null(di.page);
		di.addr = dma_map_page(rq->pdev, di.page, 0, PAGE_SIZE,
				       rq->buff.map_dir);
		dma_fx_dev_write(rq->pdev, di.addr, 64, 5);
		mlx5e_page_release_dynamic(rq, &di, true);
	}
}

/*
 * Pages NAPI parked for recycling, flushed from process context (the RX
 * reporter's recovery work): they must take the page_pool's ring, not
 * its lockless direct cache. The model's page_pool reports a direct
 * recycle outside NAPI as a WARN; the last step shows it does.
 */
static void test_rx_flush_outside_napi_not_direct(void **state)
{
	struct mlx5_fx *m = *state;
	struct mlx5e_rq *rq = &m->ch.rq;
	unsigned int held, size;

	release_recycled(rq, MLX5E_CACHE_SIZE + 40);
	xs_device_batch_state(m->dev, &held, &size);
	assert_true(held >= 40);
	assert_int_equal(mlx5e_sim_rq_recover(&m->ch), 0);
	xs_device_batch_state(m->dev, &held, &size);
	assert_int_equal(held, 0);
	assert_int_equal(xs_oracle_total(m->dfx->o), 0);
	/* The same flush told it runs in NAPI: the pool complains. */
	release_recycled(rq, 4);
	dma_fx_expect_warns(m->dfx, 4);	/* one per page */
	xs_process_context_enter();
	mlx5e_rx_pending_flush(rq, true);
	xs_process_context_exit();
	assert_int_equal(xs_oracle_expected_left(m->dfx->o, XS_W), 0);
}

/*
 * The idle bound: a page parked while the RQ is off (an XDP completion
 * during the recovery) is released by the next NAPI poll even though the
 * RQ has nothing to receive, not held until traffic comes.
 */
static void test_rx_parked_while_off_flushed_by_poll(void **state)
{
	struct mlx5_fx *m = *state;
	struct mlx5e_rq *rq = &m->ch.rq;
	unsigned int held, size;

	clear_bit(MLX5E_RQ_STATE_ENABLED, &rq->state);
	release_recycled(rq, MLX5E_CACHE_SIZE + 8);
	xs_device_batch_state(m->dev, &held, &size);
	assert_true(held >= 8);
	assert_int_equal(mlx5e_poll_rx_cq(&rq->cq, 64), 0);
	xs_device_batch_state(m->dev, &held, &size);
	assert_int_equal(held, 0);
	set_bit(MLX5E_RQ_STATE_ENABLED, &rq->state);
	assert_int_equal(xs_oracle_total(m->dfx->o), 0);
}

/*
 * What the RX batching costs per RQ, from the structure as compiled: the
 * kernel's spinlock_t is 4 bytes (no lock debugging), the model's a
 * pthread mutex; nothing else differs.
 */
static void test_rx_pending_size(void **state)
{
	size_t count, pages, kernel;

	(void)state;
	assert_true(mlx5e_sim_rx_pending_bytes(&count, &pages) >= pages);
	/* lock and count, padded to the pages' alignment, then the pages */
	kernel = ALIGN(4 + count, sizeof(unsigned long)) + pages;
	assert_int_equal(kernel, 8200);
	/* kvzalloc: above the 8 KiB kmalloc cache, an order-2 block */
	assert_int_equal(get_order(kernel), 2);
	print_message("RX pending array %zu bytes (kernel, 64-bit)\n",
		      kernel);
}


/* ---- failing fast ---- */

/*
 * A fatal report from deep inside: kernel code holds the domain's batch
 * lock, model code holds the model lock (threaded world), and the BUG
 * handler leaves by longjmp. This file's teardown closes the channel and
 * destroys the device, which takes the batch lock: it must not.
 */
static void child_fatal_under_locks(void **state)
{
	struct mlx5_fx *m = *state;
	struct iommu_dma_cookie *cookie = cookie_of_dev(m->dev);

	assert_true(__atomic_load_n(&xs_model_threaded, __ATOMIC_RELAXED));
	assert_non_null(cookie->batch);
	spin_lock(&cookie->batch->lock);
	{
		XS_MODEL_GUARD();

		xs_oracle_report(m->dfx->o, XS_S2, -1, -1, 0, 0,
				 "provoked with the batch and model locks held");
	}
	spin_unlock(&cookie->batch->lock);
	fail_msg("a fatal report returned");
}

/* A deadlock on the held locks would end as DMA_FX_CHILD_TIMEOUT. */
static void test_fatal_report_under_locks_fails_fast(void **state)
{
	double secs;

	assert_int_equal(dma_fx_run_child(child_fatal_under_locks,
					  setup_threaded, teardown, 20, &secs),
			 DMA_FX_CHILD_FAILED);
	print_message("failed and torn down in %.3f s\n", secs);
}

static void *report_from_worker(void *arg)
{
	struct mlx5_fx *m = arg;
	XS_MODEL_GUARD();

	xs_oracle_report(m->dfx->o, XS_S2, -1, -1, 0, 0,
			 "provoked in a worker thread");
	return NULL;
}

/* A worker thread has no longjmp to take: the process aborts at once. */
static void child_fatal_in_worker(void **state)
{
	struct mlx5_fx *m = *state;
	pthread_t t;

	assert_int_equal(pthread_create(&t, NULL, report_from_worker, m), 0);
	pthread_join(t, NULL);
	fail_msg("a fatal report in a worker returned");
}

static void test_fatal_report_in_worker_aborts(void **state)
{
	double secs;

	assert_int_equal(dma_fx_run_child(child_fatal_in_worker,
					  setup_threaded, teardown, 20, &secs),
			 256 + SIGABRT);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		T(test_tx_completion_per_poll),
		T(test_tx_completion_per_wqe),
		T(test_tx_completion_synchronous),
		cmocka_unit_test_setup_teardown(test_tx_completion_mpwqe,
						setup_mpwqe, teardown),
		T(test_tx_hw_timestamp),
		T(test_tx_mapping_error),
		T(test_tx_cleanup),
		T(test_rx_poll_end_flush),
		cmocka_unit_test_setup_teardown(test_rx_batch_full,
						setup_big_rq, teardown),
		T(test_rx_early_return_flushes),
		T(test_rx_teardown),
		cmocka_unit_test_setup_teardown(test_fallback_no_iommu,
						setup_direct, teardown),
		cmocka_unit_test_setup_teardown(test_fallback_passthrough,
						setup_pt, teardown),
		cmocka_unit_test_setup_teardown(test_batching_off,
						setup_batching_off, teardown),
		T(test_oracle_catches_seed_cleanup_frees_before_sync),
		T(test_patch_cleanup_syncs_before_free),
		T(test_oracle_catches_seed_rx_teardown_leak),
		T(test_patch_rx_teardown_flushes_after_drain),
		T(test_rx_pending_array_only_when_batching),
		T(test_rx_alloc_error_path_no_leak),
		T(test_rx_flush_outside_napi_not_direct),
		T(test_rx_parked_while_off_flushed_by_poll),
		cmocka_unit_test(test_rx_pending_size),
		cmocka_unit_test(test_fatal_report_under_locks_fails_fast),
		cmocka_unit_test(test_fatal_report_in_worker_aborts),
	};

	return XS_RUN_GROUP("kernel_mlx5", tests);
}
