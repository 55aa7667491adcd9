/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The model lock. In the threaded mode, simulated CPUs run on real
 * threads: the kernel code's own locks (the batch lock, the RX pending
 * lock, the invalidation queue lock, the IOVA caches' locks) are what is
 * under test, and the simulated hardware and core kernel underneath them
 * (VT-d units, memory, the page allocator, dma-debug, the oracle, timers)
 * are serialized by this one recursive lock. It is taken only when the
 * world runs threaded, so the deterministic mode pays nothing.
 *
 * Rule: model code never calls back into kernel code while holding it
 * (timer callbacks run after it is dropped), so it is always the last
 * lock taken and cannot deadlock with the kernel code's locks.
 *
 * Each thread counts how deep it holds the lock, so that a BUG handler
 * that leaves by longjmp (a test failing on a fatal oracle report) can
 * release it first: the guards it jumps over never run their cleanup.
 */
#ifndef XSMMU_MODEL_LOCK_H
#define XSMMU_MODEL_LOCK_H

#include <pthread.h>
#include <xsmmu/types.h>

extern bool xs_model_threaded;
extern pthread_mutex_t xs_model_mutex;
extern _Thread_local unsigned int xs_model_depth;

static inline int xs_model_guard_take(void)
{
	if (!__atomic_load_n(&xs_model_threaded, __ATOMIC_RELAXED))
		return 0;
	pthread_mutex_lock(&xs_model_mutex);
	xs_model_depth++;
	return 1;
}

static inline void xs_model_guard_release(int *taken)
{
	if (*taken) {
		xs_model_depth--;
		pthread_mutex_unlock(&xs_model_mutex);
	}
}

/*
 * Releases every hold the calling thread has on the model lock, for a
 * handler about to longjmp out of model code. Returns how many there were.
 */
unsigned int xs_model_lock_release_all(void);

/* Holds the model lock until the end of the enclosing block. */
#define XS_MODEL_GUARD()						\
	int __xs_model_guard						\
	__attribute__((cleanup(xs_model_guard_release), unused)) =	\
		xs_model_guard_take()

#endif
