// SPDX-License-Identifier: GPL-2.0
/*
 * The second releaser of RX pages, deterministic: the RX reporter's
 * recovery (mlx5e_rx_reporter_err_rq_cqe_recover()) and XDP_TX's page
 * returns, driven through the NIC model with the patch's pending array;
 * the interleaving of simulated CPUs (include/xsmmu/sched.h) that puts a
 * second CPU inside another's critical section; and the simulator's work
 * CPU (recover_every, reopen_every).
 */
#include <stdlib.h>

#include <linux/smp.h>
#include <linux/spinlock.h>
#include <xsmmu/run.h>
#include <xsmmu/sched.h>

#include "dma_fixture.h"
#include "sim.h"

#define WORK_CPU	2

struct rfx {
	struct dma_fx *dfx;
	struct device *dev;
	struct mlx5e_sim_channel ch[2];
};

static struct rfx *rfx_new(const char *cmdline, u32 xdp_tx_every)
{
	struct rfx *f = calloc(1, sizeof(*f));
	struct mlx5e_sim_channel_config cc;
	struct xs_kworld_config cfg;
	unsigned int c;

	xs_kworld_default_config(&cfg);
	cfg.cmdline = cmdline;
	cfg.nr_cpus = 3;
	cfg.phys_frames = 1 << 16;
	f->dfx = dma_fx_new(&cfg);
	assert_non_null(f->dfx);
	f->dev = xs_device_create("mlx5_core", 0x0300, 0, 0);
	assert_non_null(f->dev);
	mlx5e_sim_channel_default(&cc);
	cc.sq_size = 64;
	cc.rq_size = 64;
	cc.stack_size = 512;
	cc.xdp_tx_every = xdp_tx_every;
	for (c = 0; c < 2; c++) {
		xs_cpu_set_current(c);
		assert_int_equal(mlx5e_sim_channel_open(&f->ch[c], f->dev, &cc),
				 0);
	}
	xs_cpu_set_current(0);
	return f;
}

static int setup_batch(void **state)
{
	*state = rfx_new("iommu.xsmmu=1", 0);
	return 0;
}

static int setup_xdp(void **state)
{
	*state = rfx_new("iommu.xsmmu=1", 1);
	return 0;
}

static int setup_xdp_ranges(void **state)
{
	*state = rfx_new("iommu.xsmmu=ranges", 2);
	return 0;
}

static int teardown(void **state)
{
	struct rfx *f = *state;
	unsigned int c;
	u64 leaks;

	if (!f)
		return 0;
	if (dma_fx_broken()) {
		dma_fx_free(f->dfx);
		free(f);
		return -1;
	}
	for (c = 0; c < 2; c++) {
		xs_cpu_set_current(c);
		mlx5e_sim_channel_close(&f->ch[c]);
	}
	xs_cpu_set_current(0);
	xs_device_destroy(f->dev);
	leaks = dma_fx_free(f->dfx);
	free(f);
	*state = NULL;
	return leaks ? -1 : 0;
}

static u64 waits(void)
{
	return vtd_stats(g_iommus[0]->xs_unit)->waits;
}

static u32 cached(const struct mlx5e_rq *rq)
{
	return (rq->page_cache.tail - rq->page_cache.head) &
	       (MLX5E_CACHE_SIZE - 1);
}

/* ---- the RX reporter's recovery ---- */

/*
 * From the work CPU: every posted page leaves through the pending array
 * and one sync covers them all; the completions the failed RQ had posted
 * are dropped; the RQ is enabled again and its next poll refills it.
 */
static void test_recover_releases_posted_pages(void **state)
{
	struct rfx *f = *state;
	struct mlx5e_sim_channel *ch = &f->ch[0];
	u64 w0, live0;

	assert_int_equal(mlx5e_sim_nic_rx(ch, 10, 1000), 10);
	assert_int_equal((u16)(ch->rq.tail - ch->rq.ci), 64);
	live0 = xs_device_live_mappings(f->dev);
	w0 = waits();
	xs_cpu_set_current(WORK_CPU);
	assert_int_equal(mlx5e_sim_rq_recover(ch), 0);
	xs_cpu_set_current(0);
	assert_int_equal(ch->rq_stats.recover, 1);
	assert_int_equal(ch->rx_dropped_recover, 10);
	assert_int_equal(ch->rq.ci, ch->rq.tail);
	assert_int_equal(ch->rq.head, ch->rq.ci);
	assert_int_equal(waits() - w0, 1);	/* one flush for 64 pages */
	assert_int_equal(live0 - xs_device_live_mappings(f->dev), 64);
	assert_true(test_bit(MLX5E_RQ_STATE_ENABLED, &ch->rq.state));
	assert_int_equal(ch->rq_err, 0);
	/* NAPI refills; traffic goes on, bytes checked by the stack. */
	mlx5e_sim_napi_poll(ch, 64);
	assert_int_equal((u16)(ch->rq.tail - ch->rq.ci), 64);
	assert_int_equal(mlx5e_sim_nic_rx(ch, 5, 1000), 5);
	mlx5e_sim_napi_poll(ch, 64);
	assert_int_equal(ch->rq_stats.packets, 5);
	mlx5e_sim_stack_consume(ch, 5);
	assert_int_equal(xs_oracle_total(f->dfx->o), 0);
}

/* The device receives nothing while the RQ is in error. */
static void test_rq_in_error_receives_nothing(void **state)
{
	struct rfx *f = *state;
	struct mlx5e_sim_channel *ch = &f->ch[1];

	ch->rq_err = 1;
	assert_int_equal(mlx5e_sim_nic_rx(ch, 4, 100), 0);
	ch->rq_err = 0;
	assert_int_equal(mlx5e_sim_nic_rx(ch, 4, 100), 4);
}

/* ---- XDP_TX ---- */

/*
 * Every packet sent back: the RQ maps both ways, the stack gets nothing,
 * the device reads the page through the IOMMU (F1 on its bytes) and the
 * XDP completion gives the page to the RQ's cache.
 */
static void test_xdp_tx_returns_pages_to_rq(void **state)
{
	struct rfx *f = *state;
	struct mlx5e_sim_channel *ch = &f->ch[0];
	u32 c0;

	assert_int_equal(ch->rq.buff.map_dir, DMA_BIDIRECTIONAL);
	assert_int_equal(mlx5e_sim_nic_rx(ch, 8, 1500), 8);
	c0 = cached(&ch->rq);
	mlx5e_sim_napi_poll(ch, 64);
	assert_int_equal(ch->rq_stats.xdp_tx, 8);
	assert_int_equal(ch->stack_count, 0);
	assert_int_equal((u16)(ch->xdpsq.pc - ch->xdpsq.cc), 8);
	assert_int_equal(cached(&ch->rq), c0);
	assert_int_equal(mlx5e_sim_nic_xdp_tx(ch, 64), 8);
	assert_int_equal(ch->dma_faults, 0);
	mlx5e_sim_napi_poll(ch, 64);
	assert_int_equal(ch->xdpsq.cc, ch->xdpsq.pc);
	assert_int_equal(ch->xdpsq_stats.cqes, 8);
	assert_int_equal(cached(&ch->rq), c0 + 8);
	assert_int_equal(xs_oracle_total(f->dfx->o), 0);
}

/* A close gives the frames the device never sent back to the RQ. */
static void test_xdp_close_returns_queued_frames(void **state)
{
	struct rfx *f = *state;
	struct mlx5e_sim_channel *ch = &f->ch[1];

	xs_cpu_set_current(1);
	assert_int_equal(mlx5e_sim_nic_rx(ch, 6, 700), 6);
	mlx5e_sim_napi_poll(ch, 64);
	assert_int_equal((u16)(ch->xdpsq.pc - ch->xdpsq.cc), 6);
	/* teardown closes it: L1 fails the test if one page stays out */
}

/* Attaching a program reopens the channel with the RQ mapped both ways. */
static void test_set_xdp_reopens_on_attach_only(void **state)
{
	struct rfx *f = *state;
	struct mlx5e_sim_channel *ch = &f->ch[0];

	assert_int_equal(ch->rq.buff.map_dir, DMA_FROM_DEVICE);
	assert_int_equal(mlx5e_sim_nic_rx(ch, 3, 100), 3);
	assert_int_equal(mlx5e_sim_set_xdp(ch, 2), 0);
	assert_int_equal(ch->rq.buff.map_dir, DMA_BIDIRECTIONAL);
	assert_int_equal(ch->rq.cq.pc, 0);	/* new queues */
	assert_int_equal(mlx5e_sim_nic_rx(ch, 3, 100), 3);
	assert_int_equal(mlx5e_sim_set_xdp(ch, 4), 0);
	assert_int_equal(ch->rq.cq.pc, 3);	/* the same queues */
	assert_int_equal(ch->rq.xs_xdp_tx_every, 4);
	assert_int_equal(mlx5e_sim_set_xdp(ch, 0), 0);
	assert_int_equal(ch->rq.buff.map_dir, DMA_FROM_DEVICE);
}

/* ---- the interleaving ---- */

struct trace_task {
	spinlock_t *outer, *inner;
	char *log;
	char mark;
	unsigned int cpu_seen;
};

static void log_mark(struct trace_task *t, char c)
{
	size_t n = strlen(t->log);

	t->log[n] = c;
	t->log[n + 1] = 0;
}

/* Takes outer, then inner inside it (a nested point), logging each. */
static void nested_task(void *arg)
{
	struct trace_task *t = arg;

	t->cpu_seen = smp_processor_id();
	spin_lock(t->outer);
	log_mark(t, t->mark);
	spin_lock(t->inner);
	log_mark(t, t->mark);
	spin_unlock(t->inner);
	spin_unlock(t->outer);
	log_mark(t, t->mark);
}

/* Logs, then takes outer alone. */
static void plain_task(void *arg)
{
	struct trace_task *t = arg;

	t->cpu_seen = smp_processor_id();
	log_mark(t, t->mark);
	spin_lock(t->outer);
	log_mark(t, t->mark);
	spin_unlock(t->outer);
}

static void run_pair(const struct xs_sched_policy *p, char *log,
		     spinlock_t *l1, spinlock_t *l2, struct trace_task *a,
		     struct trace_task *b, bool *preempted)
{
	struct xs_sched_task t[2] = {
		{ nested_task, a, 1 }, { plain_task, b, WORK_CPU },
	};

	log[0] = 0;
	*a = (struct trace_task){ l1, l2, log, 'a', ~0U };
	*b = (struct trace_task){ l1, l2, log, 'b', ~0U };
	*preempted = xs_sched_run(t, 2, p);
}

/*
 * Preempted at its first nested point (about to take inner while holding
 * outer), the first CPU lets the second run: it logs, finds outer held
 * and yields back; the first finishes its critical section, then the
 * second gets the lock. Without a preemption they run one after the
 * other. Each runs on its own simulated CPU.
 */
static void test_sched_second_cpu_inside_critical_section(void **state)
{
	struct xs_sched_policy p = { .first = 0, .preempt_at = 0 };
	struct trace_task a, b;
	spinlock_t l1, l2;
	unsigned long contended;
	char log[16];
	bool preempted;

	spin_lock_init(&l1);
	spin_lock_init(&l2);
	contended = xs_spin_contentions;
	run_pair(&p, log, &l1, &l2, &a, &b, &preempted);
	assert_true(preempted);
	assert_string_equal(log, "abaab");
	assert_true(xs_spin_contentions > contended);
	assert_int_equal(a.cpu_seen, 1);
	assert_int_equal(b.cpu_seen, WORK_CPU);
	assert_int_equal(xs_cpu_current(), 0);
	assert_false(xs_sched_on);

	p.preempt_at = 5;	/* it has only two nested points */
	run_pair(&p, log, &l1, &l2, &a, &b, &preempted);
	assert_false(preempted);
	assert_string_equal(log, "aaabb");

	p.first = 1;		/* the plain task has none */
	p.preempt_at = 0;
	run_pair(&p, log, &l1, &l2, &a, &b, &preempted);
	assert_false(preempted);
	assert_string_equal(log, "bbaaa");
}

static void task_poll(void *arg)
{
	mlx5e_sim_napi_poll(arg, 64);
}

static void task_recover(void *arg)
{
	assert_int_equal(mlx5e_sim_rq_recover(arg), 0);
}

/*
 * The race the pending array's lock is for: the recovery on the work CPU
 * flushes the array while its sync waits, and the channel's NAPI gives
 * XDP_TX pages back to the same RQ with the page cache full, so they go
 * to the array too. Preempted inside the flush, the recovery lets NAPI
 * run; NAPI finds the array locked and yields; the recovery completes
 * and NAPI's pages wait for the next flush. Nothing is released unsynced.
 * (The same schedule finds both pending-lock mutants: fuzz/regressions/
 * mutant-rx_pending_*_unlocked.bin.)
 */
static void test_recover_races_xdp_completion(void **state)
{
	struct rfx *f = *state;
	struct mlx5e_sim_channel *ch = &f->ch[0];
	struct xs_sched_policy p = { .first = 0, .preempt_at = 8 };
	struct xs_sched_task t[2] = {
		{ task_recover, ch, WORK_CPU }, { task_poll, ch, 0 },
	};
	unsigned long contended;
	u64 full0;
	int i;

	/* No longjmp out of a coroutine: count, then assert none. */
	dma_fx_count_only(f->dfx);
	/* Half the packets go to the stack, which holds them: the held
	 * page at the cache's head blocks it, and the cache fills.
	 */
	for (i = 0; i < 10; i++) {
		mlx5e_sim_nic_rx(ch, 32, 1200);
		mlx5e_sim_nic_rx(ch, 32, 1200);
		mlx5e_sim_napi_poll(ch, 64);
	}
	assert_int_equal(cached(&ch->rq), MLX5E_CACHE_SIZE - 1);
	assert_true(mlx5e_sim_nic_xdp_tx(ch, 16) > 0);
	full0 = ch->rq_stats.cache_full;
	contended = xs_spin_contentions;
	assert_true(xs_sched_run(t, 2, &p));
	/* Without the lock (either site) this is S2: NAPI's pages freed. */
	assert_int_equal(xs_oracle_total(f->dfx->o), 0);
	assert_true(ch->rq_stats.cache_full > full0);	/* to the array */
	assert_true(xs_spin_contentions > contended);	/* found it held */
	assert_int_equal(ch->rq_stats.recover, 1);
	mlx5e_sim_napi_poll(ch, 64);	/* flushes NAPI's pages */
	assert_int_equal(xs_oracle_total(f->dfx->o), 0);
}

/* ---- the simulator's work CPU ---- */

static void run_with_work(u64 seed, struct xs_run_result *r)
{
	struct xs_run_config cfg = { 0 };
	char err[128];

	assert_int_equal(xs_profile_lookup("tcp-rx", &cfg.profile), 0);
	assert_int_equal(xs_profile_set(&cfg.profile, "xdp_tx_every=2", err,
					sizeof(err)), 0);
	cfg.mode = XS_MODE_PSI_BATCH;
	cfg.packets = 6000;
	cfg.channels = 2;
	cfg.seed = seed;
	cfg.recover_every = 3;
	cfg.reopen_every = 10;
	cfg.reports = stderr;
	assert_int_equal(xs_run(&cfg, r), 0);
}

/* Deterministic: the same seed, the same run; and a clean one. */
static void test_sim_work_cpu_deterministic(void **state)
{
	struct xs_run_result a, b;
	int k;

	run_with_work(3, &a);
	run_with_work(3, &b);
	for (k = 0; k < XS_INV__COUNT; k++)
		assert_int_equal(a.violations[k], 0);
	assert_true(a.rq_recoveries > 0);
	assert_true(a.reopens > 0);
	assert_true(a.xdp_tx > 0);
	assert_true(a.packets >= 6000 * 9 / 10);
	assert_int_equal(a.packets, b.packets);
	assert_int_equal(a.invalidation_waits, b.invalidation_waits);
	assert_int_equal(a.rq_recoveries, b.rq_recoveries);
	assert_int_equal(a.dropped, b.dropped);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_recover_releases_posted_pages, setup_batch,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_rq_in_error_receives_nothing, setup_batch,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_xdp_tx_returns_pages_to_rq, setup_xdp, teardown),
		cmocka_unit_test_setup_teardown(
			test_xdp_close_returns_queued_frames, setup_xdp,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_set_xdp_reopens_on_attach_only, setup_batch,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_sched_second_cpu_inside_critical_section,
			setup_batch, teardown),
		cmocka_unit_test_setup_teardown(
			test_recover_races_xdp_completion, setup_xdp_ranges,
			teardown),
		cmocka_unit_test(test_sim_work_cpu_deterministic),
	};

	return XS_RUN_GROUP("mlx5_releaser", tests);
}
