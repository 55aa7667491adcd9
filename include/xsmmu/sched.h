/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Deterministic interleaving: simulated CPUs as coroutines on one thread.
 *
 * xs_sched_run() runs a few tasks, each on its own simulated CPU and its
 * own stack, and switches between them only at scheduling points: the
 * spinlock shim's lock and unlock, cpu_relax() (the invalidation wait's
 * spin in qi_submit_sync()) and a CPU waiting for another
 * (xs_cpu_spin_wait(): synchronize_net(), a device stopping). Which
 * switches happen is given by the caller (the fuzzer's schedule bytes),
 * so a run is repeatable: the first task is preempted once, at its
 * preempt_at-th nested point, a point at which it holds a spinlock and
 * either takes, keeps or waits under another (a point inside a critical
 * section, where a second CPU must not get in unless the locking allows
 * it); after that a task runs until it finishes or finds a lock held (or
 * waits for another CPU), and then the other runs. A CPU that finds a
 * lock held yields, so a second CPU runs in the middle of another's
 * critical section only where the code takes no lock.
 *
 * Outside xs_sched_run() (every other fuzz operation, the simulator, the
 * tests) the hooks cost one predictable branch on xs_sched_on.
 */
#ifndef XSMMU_SCHED_H
#define XSMMU_SCHED_H

#include <pthread.h>
#include <xsmmu/types.h>

#define XS_SCHED_MAX_TASKS	4

struct xs_sched_task {
	void (*fn)(void *arg);
	void *arg;
	unsigned int cpu;	/* the simulated CPU it runs on */
};

struct xs_sched_policy {
	unsigned int first;	/* the task that starts (and is preempted) */
	unsigned int preempt_at; /* its nested point to preempt at, or ~0U */
};

/* True while xs_sched_run() runs tasks (read by the shims' hooks). */
extern bool xs_sched_on;

/*
 * Runs n tasks (at most XS_SCHED_MAX_TASKS) to completion under the
 * policy. Returns whether the preemption happened (the first task had
 * that many nested points). Tasks that deadlock abort the process with
 * a message: two simulated CPUs waiting on each other is a finding.
 */
bool xs_sched_run(const struct xs_sched_task *tasks, unsigned int n,
		  const struct xs_sched_policy *p);

/* Hooks of the shims (xs_sched_on is true). */
void xs_sched_spin_lock(pthread_mutex_t *m);
void xs_sched_spin_unlocked(void);
void xs_sched_relax(void);

/*
 * One turn of a loop that waits for another simulated CPU: a coroutine
 * yields, a thread of the threaded world yields the processor, and a
 * sequential world (where nothing else can run) reports a kernel that
 * would spin forever.
 */
void xs_cpu_spin_wait(void);

#endif
