// SPDX-License-Identifier: GPL-2.0
/*
 * The fuzzer's releaser operation: a second CPU releases or flushes RX
 * pages while NAPI polls, the two interleaved deterministically (include/
 * xsmmu/sched.h), so that what the patch's locks protect (each RQ's
 * pending array, the domain batch) is reached by two simulated CPUs at
 * once, one of them inside a critical section when the other runs.
 *
 * The second releasers are 5.15's: the RX reporter's recovery work
 * (mlx5e_rx_reporter_err_rq_cqe_recover(): the RQ's posted pages
 * released and flushed from process context while the channel's NAPI
 * still polls its other queues, XDP completions included, which give
 * XDP_TX pages back to the same RQ), and a channel closed and reopened
 * from process context while the other channels of the function poll
 * (the queues of one function share the DMA domain, so its batch).
 */
#include <stdlib.h>

#include <xsmmu/sched.h>

#include "schedule.h"
#include "sim.h"

enum {
	RACE_RECOVER_OWN,	/* recovery vs the channel's own NAPI */
	RACE_RECOVER_OTHER,	/* recovery vs the other channel's NAPI */
	RACE_REOPEN,		/* close and reopen vs the other's NAPI */
	RACE_POLLS,		/* both channels' NAPI */
};

static const char *const race_names[4] = {
	"rq-recover (work cpu) | its napi poll",
	"rq-recover (work cpu) | the other channel's napi poll",
	"close+reopen (work cpu) | the other channel's napi poll",
	"napi poll | the other channel's napi poll",
};

/* The NAPI budget of a racing poll: a full one. */
#define RACE_BUDGET	64

static void task_poll(void *arg)
{
	mlx5e_sim_napi_poll(arg, RACE_BUDGET);
}

static void task_recover(void *arg)
{
	mlx5e_sim_rq_recover(arg);
}

static void task_reopen(void *arg)
{
	if (mlx5e_sim_channel_reopen(arg))
		abort();	/* the world ran out of memory: a bug */
}

void xs_fuzz_releaser_describe(FILE *f, u8 arg)
{
	fprintf(f, "%s; task %u first, preempted at its nested point %u\n",
		race_names[arg & 3], (arg >> 2) & 1, arg >> 3);
}

void xs_fuzz_releaser(struct mlx5e_sim_channel *chs, unsigned int ch,
		      u8 arg)
{
	struct mlx5e_sim_channel *own = &chs[ch], *other = &chs[1 - ch];
	struct xs_sched_policy p = {
		.first = (arg >> 2) & 1,
		.preempt_at = arg >> 3,
	};
	struct xs_sched_task t[2] = {
		{ task_poll, own, ch },
		{ task_poll, other, 1 - ch },
	};

	switch (arg & 3) {
	case RACE_RECOVER_OWN:
		t[0] = (struct xs_sched_task){ task_recover, own,
					       XS_FUZZ_WORK_CPU };
		t[1] = (struct xs_sched_task){ task_poll, own, ch };
		break;
	case RACE_RECOVER_OTHER:
		t[0] = (struct xs_sched_task){ task_recover, own,
					       XS_FUZZ_WORK_CPU };
		break;
	case RACE_REOPEN:
		t[0] = (struct xs_sched_task){ task_reopen, own,
					       XS_FUZZ_WORK_CPU };
		break;
	default:
		break;
	}
	xs_sched_run(t, 2, &p);
}
