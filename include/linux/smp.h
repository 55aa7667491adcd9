/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Simulated CPUs (shim). The simulator decides which CPU runs: each
 * thread (or the deterministic scheduler) sets its current CPU, and
 * per-CPU data is indexed by it.
 */
#ifndef _XS_SHIM_LINUX_SMP_H
#define _XS_SHIM_LINUX_SMP_H

#define XS_MAX_CPUS	64

unsigned int xs_cpu_current(void);
void xs_cpu_set_current(unsigned int cpu);
unsigned int xs_nr_cpus(void);
/* Number of possible CPUs, at most XS_MAX_CPUS; set before any domain. */
void xs_set_nr_cpus(unsigned int n);

/*
 * Contexts: a simulated CPU runs softirq (NAPI) context, except inside a
 * section the model marks as process context (a work item, a queue
 * close). in_serving_softirq() is false there.
 */
void xs_process_context_enter(void);
void xs_process_context_exit(void);
int in_serving_softirq(void);

#define smp_processor_id()	xs_cpu_current()
#define raw_smp_processor_id()	xs_cpu_current()
#define get_cpu()		xs_cpu_current()
#define put_cpu()		do { } while (0)
#define num_possible_cpus()	xs_nr_cpus()
#define for_each_possible_cpu(cpu) \
	for ((cpu) = 0; (cpu) < xs_nr_cpus(); (cpu)++)
#define preempt_disable()	do { } while (0)
#define preempt_enable()	do { } while (0)

#endif
