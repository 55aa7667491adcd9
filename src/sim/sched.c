// SPDX-License-Identifier: GPL-2.0
/*
 * Deterministic interleaving of simulated CPUs (see include/xsmmu/sched.h):
 * coroutines on ucontext, switched at the spinlock shim's lock and
 * unlock, at cpu_relax() and where a CPU waits for another. One thread
 * at a time uses it (the fuzzer's); the sanitizers are told about every
 * stack switch.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

#include <linux/bug.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <xsmmu/model_lock.h>
#include <xsmmu/sched.h>

#if defined(__SANITIZE_ADDRESS__)
#define XS_SCHED_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define XS_SCHED_ASAN 1
#endif
#endif
#if defined(__SANITIZE_THREAD__)
#define XS_SCHED_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define XS_SCHED_TSAN 1
#endif
#endif

#ifdef XS_SCHED_ASAN
#include <sanitizer/asan_interface.h>
#endif
#ifdef XS_SCHED_TSAN
#include <sanitizer/tsan_interface.h>
#endif

/* Kernel code runs 16 KiB stacks; the model and the sanitizers need more. */
#define TASK_STACK	(1u << 20)
/* Blocked turns in a row, no task getting anywhere: a deadlock. */
#define STUCK_TURNS	1000000ul

struct task_state {
	const struct xs_sched_task *t;
	ucontext_t ctx;
	void *stack;
	bool done;
	unsigned int held;	/* spinlocks held */
	unsigned int nested;	/* nested points passed */
	void *fake_stack;	/* ASan: the frames kept off the stack */
	void *fiber;		/* TSan */
};

static struct {
	struct task_state task[XS_SCHED_MAX_TASKS];
	unsigned int n, cur;
	const struct xs_sched_policy *p;
	bool preempted;
	unsigned long stuck;
	ucontext_t main_ctx;
	void *main_fake_stack;
	const void *main_bottom;
	size_t main_size;
	void *main_fiber;
} S;

bool xs_sched_on;

static void *stacks[XS_SCHED_MAX_TASKS];

/* ---- the switch, told to the sanitizers ---- */

static void san_leave(void **fake_save, const void *bottom, size_t size,
		      void *fiber)
{
#ifdef XS_SCHED_ASAN
	__sanitizer_start_switch_fiber(fake_save, bottom, size);
#endif
#ifdef XS_SCHED_TSAN
	__tsan_switch_to_fiber(fiber, 0);
#endif
}

static void san_arrive(void *fake_save)
{
#ifdef XS_SCHED_ASAN
	const void *bottom;
	size_t size;

	__sanitizer_finish_switch_fiber(fake_save, &bottom, &size);
	if (!S.main_bottom) {
		S.main_bottom = bottom;
		S.main_size = size;
	}
#endif
}

/* From the running task to task next (both unfinished). */
static void switch_task(unsigned int next)
{
	struct task_state *from = &S.task[S.cur], *to = &S.task[next];

	if (next == S.cur)
		return;
	S.cur = next;
	xs_cpu_set_current(to->t->cpu);
	san_leave(&from->fake_stack, to->stack, TASK_STACK, to->fiber);
	swapcontext(&from->ctx, &to->ctx);
	san_arrive(from->fake_stack);
}

static void task_entry(int i)
{
	struct task_state *ts = &S.task[i];

	san_arrive(NULL);
	ts->t->fn(ts->t->arg);
	ts->done = true;
	WARN(ts->held, "simulated CPU %u finished holding %u spinlocks\n",
	     ts->t->cpu, ts->held);
	/* Back to xs_sched_run(), which picks the next task. */
	san_leave(NULL, S.main_bottom, S.main_size, S.main_fiber);
	setcontext(&S.main_ctx);
}

/* ---- policy ---- */

static int other_unfinished(void)
{
	unsigned int i;

	for (i = 1; i < S.n; i++) {
		unsigned int j = (S.cur + i) % S.n;

		if (!S.task[j].done)
			return (int)j;
	}
	return -1;
}

/* A point where the running task may be preempted. */
static void point(bool nested)
{
	struct task_state *ts = &S.task[S.cur];
	int next;

	S.stuck = 0;
	if (!nested || S.preempted || S.cur != S.p->first)
		return;
	if (ts->nested++ != S.p->preempt_at)
		return;
	S.preempted = true;
	next = other_unfinished();
	if (next >= 0)
		switch_task((unsigned int)next);
}

/* The running task cannot go on until another has run. */
static void blocked(const char *what)
{
	int next = other_unfinished();

	if (next < 0 || ++S.stuck > STUCK_TURNS) {
		fprintf(stderr, "xsmmu: simulated CPU %u %s, and no other CPU can make it go on: deadlock\n",
			S.task[S.cur].t->cpu, what);
		abort();
	}
	switch_task((unsigned int)next);
}

void xs_sched_spin_lock(pthread_mutex_t *m)
{
	struct task_state *ts = &S.task[S.cur];

	if (ts->held)
		point(true);	/* about to nest: another may go first */
	while (pthread_mutex_trylock(m)) {
		__atomic_add_fetch(&xs_spin_contentions, 1, __ATOMIC_RELAXED);
		blocked("waits for a spinlock");
	}
	ts = &S.task[S.cur];
	ts->held++;
	point(ts->held >= 2);
}

void xs_sched_spin_unlocked(void)
{
	struct task_state *ts = &S.task[S.cur];

	if (ts->held)
		ts->held--;
	point(ts->held >= 1);
}

void xs_sched_relax(void)
{
	point(S.task[S.cur].held >= 1);
}

void xs_cpu_spin_wait(void)
{
	if (xs_sched_on) {
		blocked("waits for another CPU");
		return;
	}
	if (__atomic_load_n(&xs_model_threaded, __ATOMIC_RELAXED)) {
		sched_yield();
		return;
	}
	/* Nothing else runs: the condition it waits for never changes. */
	BUG();
}

bool xs_sched_run(const struct xs_sched_task *tasks, unsigned int n,
		  const struct xs_sched_policy *p)
{
	unsigned int i, cpu = xs_cpu_current();
	int next;

	BUG_ON(!n || n > XS_SCHED_MAX_TASKS || p->first >= n || xs_sched_on);
	memset(&S, 0, sizeof(S));
	S.n = n;
	S.p = p;
#ifdef XS_SCHED_TSAN
	S.main_fiber = __tsan_get_current_fiber();
#endif
	for (i = 0; i < n; i++) {
		struct task_state *ts = &S.task[i];

		if (!stacks[i]) {
			stacks[i] = mmap(NULL, TASK_STACK,
					 PROT_READ | PROT_WRITE,
					 MAP_PRIVATE | MAP_ANONYMOUS |
					 MAP_NORESERVE, -1, 0);
			BUG_ON(stacks[i] == MAP_FAILED);
		}
		ts->t = &tasks[i];
		ts->stack = stacks[i];
		getcontext(&ts->ctx);
		ts->ctx.uc_stack.ss_sp = ts->stack;
		ts->ctx.uc_stack.ss_size = TASK_STACK;
		ts->ctx.uc_link = NULL;
		makecontext(&ts->ctx, (void (*)(void))task_entry, 1, (int)i);
#ifdef XS_SCHED_TSAN
		ts->fiber = __tsan_create_fiber(0);
#endif
	}
	xs_sched_on = true;
	S.cur = p->first;
	for (;;) {
		struct task_state *ts = &S.task[S.cur];

		xs_cpu_set_current(ts->t->cpu);
		san_leave(&S.main_fake_stack, ts->stack, TASK_STACK,
			  ts->fiber);
		swapcontext(&S.main_ctx, &ts->ctx);
		san_arrive(S.main_fake_stack);
		/* The task that was running has finished. */
		next = other_unfinished();
		if (next < 0)
			break;
		S.cur = (unsigned int)next;
	}
	xs_sched_on = false;
#ifdef XS_SCHED_TSAN
	for (i = 0; i < n; i++)
		__tsan_destroy_fiber(S.task[i].fiber);
#endif
	xs_cpu_set_current(cpu);
	return S.preempted;
}
