/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Spinlocks (shim): a pthread mutex, as tools/include does. The irqsave
 * variants only take the lock: there are no interrupts in userspace, and
 * the simulated CPUs that stand for softirq context are threads. Under
 * the deterministic interleaving (include/xsmmu/sched.h) lock and unlock
 * are its scheduling points, and a CPU that finds the lock held yields.
 */
#ifndef _XS_SHIM_LINUX_SPINLOCK_H
#define _XS_SHIM_LINUX_SPINLOCK_H

#include <pthread.h>
#include <linux/compiler.h>
#include <linux/types.h>

typedef struct {
	pthread_mutex_t m;
} spinlock_t;
typedef spinlock_t raw_spinlock_t;

#define __SPIN_LOCK_UNLOCKED(name)	{ PTHREAD_MUTEX_INITIALIZER }
#define DEFINE_SPINLOCK(name)		spinlock_t name = { PTHREAD_MUTEX_INITIALIZER }
#define DEFINE_RAW_SPINLOCK(name)	DEFINE_SPINLOCK(name)

static inline void spin_lock_init(spinlock_t *l)
{
	pthread_mutex_init(&l->m, NULL);
}

/*
 * Times any spinlock was found held (as lockstat counts contentions): lets
 * a threaded test see that another thread is waiting for a lock.
 */
extern unsigned long xs_spin_contentions;

/* The deterministic interleaving's hooks (include/xsmmu/sched.h). */
extern bool xs_sched_on;
void xs_sched_spin_lock(pthread_mutex_t *m);
void xs_sched_spin_unlocked(void);

static inline void spin_lock(spinlock_t *l)
{
	if (unlikely(xs_sched_on)) {
		xs_sched_spin_lock(&l->m);
		return;
	}
	if (pthread_mutex_trylock(&l->m)) {
		__atomic_add_fetch(&xs_spin_contentions, 1, __ATOMIC_RELAXED);
		pthread_mutex_lock(&l->m);
	}
}

static inline void spin_unlock(spinlock_t *l)
{
	pthread_mutex_unlock(&l->m);
	if (unlikely(xs_sched_on))
		xs_sched_spin_unlocked();
}

#define raw_spin_lock_init		spin_lock_init
#define raw_spin_lock			spin_lock
#define raw_spin_unlock			spin_unlock
#define spin_lock_bh			spin_lock
#define spin_unlock_bh			spin_unlock
#define spin_lock_irq			spin_lock
#define spin_unlock_irq			spin_unlock
#define spin_lock_irqsave(l, f)		do { (f) = 0; spin_lock(l); } while (0)
#define spin_unlock_irqrestore(l, f)	do { (void)(f); spin_unlock(l); } while (0)
#define raw_spin_lock_irqsave		spin_lock_irqsave
#define raw_spin_unlock_irqrestore	spin_unlock_irqrestore
#define local_irq_save(f)		do { (f) = 0; } while (0)
#define local_irq_restore(f)		do { (void)(f); } while (0)

#endif
