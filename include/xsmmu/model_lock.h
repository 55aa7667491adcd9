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
 */
#ifndef XSMMU_MODEL_LOCK_H
#define XSMMU_MODEL_LOCK_H

#include <pthread.h>
#include <xsmmu/types.h>

extern bool xs_model_threaded;
extern pthread_mutex_t xs_model_mutex;

static inline int xs_model_guard_take(void)
{
	if (!__atomic_load_n(&xs_model_threaded, __ATOMIC_RELAXED))
		return 0;
	pthread_mutex_lock(&xs_model_mutex);
	return 1;
}

static inline void xs_model_guard_release(int *taken)
{
	if (*taken)
		pthread_mutex_unlock(&xs_model_mutex);
}

/* Holds the model lock until the end of the enclosing block. */
#define XS_MODEL_GUARD()						\
	int __xs_model_guard						\
	__attribute__((cleanup(xs_model_guard_release), unused)) =	\
		xs_model_guard_take()

#endif
