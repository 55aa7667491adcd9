// SPDX-License-Identifier: GPL-2.0
/*
 * IOVA allocation as 5.15 behaves, and 5.15's flush queue (lazy mode).
 *
 * Ranges come from a buddy allocator over the aperture (sizes rounded up
 * to a power of two, blocks aligned to their size: 5.15 size-aligns what
 * dma-iommu asks for, and dma-iommu already rounds every cacheable size up
 * to a power of two). In front of it sit the per-CPU range caches of
 * 5.15: two magazines per CPU and size, a global depot, and allocation
 * that pops the most recently freed range first. That last-freed-first
 * reuse is what makes freeing an IOVA before its invalidation dangerous
 * (invariant S3).
 *
 * The flush queue: an unmap in lazy mode queues the range (and the
 * page-table pages it freed) on this CPU's ring of IOVA_FQ_SIZE entries;
 * a full ring or the IOVA_FQ_TIMEOUT timer flushes the whole domain, and
 * only entries queued before a completed flush are released.
 */
#include <linux/iova.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <xsmmu/kworld.h>

#define IOVA_SPACE_ORDER	20	/* 2^20 pages: the 32-bit space */
#define IOVA_SPACE		(1UL << IOVA_SPACE_ORDER)
/*
 * Per-pfn state of the buddy allocator, in chunks made on first use: a
 * domain touches a few dozen pfns of its 2^20 (the heads of the blocks
 * it split), so a domain costs kilobytes, not the megabytes flat arrays
 * over the whole space took (the fuzzer makes several domains per
 * execution).
 */
#define IOVA_CHUNK_SHIFT	8
#define IOVA_CHUNK		(1UL << IOVA_CHUNK_SHIFT)

struct iova_chunk {
	/* 1 + order of the free block starting here, 0 for none */
	u8 head_order[IOVA_CHUNK];
	u32 next[IOVA_CHUNK], prev[IOVA_CHUNK];	/* IOVA_SPACE = none */
};

struct iova_buddy {
	struct iova_chunk **chunk;	/* IOVA_SPACE / IOVA_CHUNK of them */
	u32 list[IOVA_SPACE_ORDER + 1];
};

struct iova_magazine {
	unsigned long size;
	unsigned long pfns[IOVA_MAG_SIZE];
};

struct iova_cpu_rcache {
	struct iova_magazine loaded;
	struct iova_magazine prev;
};

/* ---- buddy allocator ---- */

static struct iova_chunk *chunk_of(struct iova_buddy *b, unsigned long pfn)
{
	struct iova_chunk **c = &b->chunk[pfn >> IOVA_CHUNK_SHIFT];

	if (!*c) {
		*c = kzalloc(sizeof(**c), GFP_ATOMIC);
		if (WARN_ON(!*c))
			return NULL;
	}
	return *c;
}

static unsigned int head_order(const struct iova_buddy *b, unsigned long pfn)
{
	const struct iova_chunk *c = b->chunk[pfn >> IOVA_CHUNK_SHIFT];

	return c ? c->head_order[pfn & (IOVA_CHUNK - 1)] : 0;
}

static u32 *next_of(struct iova_buddy *b, unsigned long pfn)
{
	return &b->chunk[pfn >> IOVA_CHUNK_SHIFT]->next[pfn & (IOVA_CHUNK - 1)];
}

static u32 *prev_of(struct iova_buddy *b, unsigned long pfn)
{
	return &b->chunk[pfn >> IOVA_CHUNK_SHIFT]->prev[pfn & (IOVA_CHUNK - 1)];
}

static void buddy_push(struct iova_buddy *b, unsigned long pfn,
		       unsigned int order)
{
	struct iova_chunk *c = chunk_of(b, pfn);
	u32 head = b->list[order];

	if (!c)
		return;		/* the block is lost; the WARN said so */
	c->head_order[pfn & (IOVA_CHUNK - 1)] = (u8)(order + 1);
	*next_of(b, pfn) = head;
	*prev_of(b, pfn) = IOVA_SPACE;
	if (head != IOVA_SPACE)
		*prev_of(b, head) = (u32)pfn;
	b->list[order] = (u32)pfn;
}

static void buddy_unlink(struct iova_buddy *b, unsigned long pfn,
			 unsigned int order)
{
	u32 n = *next_of(b, pfn), p = *prev_of(b, pfn);

	if (p != IOVA_SPACE)
		*next_of(b, p) = n;
	else
		b->list[order] = n;
	if (n != IOVA_SPACE)
		*prev_of(b, n) = p;
	b->chunk[pfn >> IOVA_CHUNK_SHIFT]->head_order[pfn & (IOVA_CHUNK - 1)] = 0;
}

static struct iova_buddy *buddy_create(void)
{
	struct iova_buddy *b = kzalloc(sizeof(*b), GFP_KERNEL);
	unsigned int i;

	if (!b)
		return NULL;
	b->chunk = kcalloc(IOVA_SPACE / IOVA_CHUNK, sizeof(*b->chunk),
			   GFP_KERNEL);
	if (!b->chunk) {
		kfree(b);
		return NULL;
	}
	for (i = 0; i <= IOVA_SPACE_ORDER; i++)
		b->list[i] = IOVA_SPACE;
	buddy_push(b, 0, IOVA_SPACE_ORDER);
	return b;
}

static void buddy_destroy(struct iova_buddy *b)
{
	unsigned long i;

	if (!b)
		return;
	for (i = 0; i < IOVA_SPACE / IOVA_CHUNK; i++)
		kfree(b->chunk[i]);
	kfree(b->chunk);
	kfree(b);
}

static unsigned int size_order(unsigned long size)
{
	return size <= 1 ? 0 : (unsigned int)ilog2(size - 1) + 1;
}

/*
 * Takes a block of 2^order pages ending at or below limit_pfn: the most
 * recently freed suitable block of the smallest order that has one;
 * splitting keeps the lower half free and goes on with the upper, so
 * fresh space is handed out top-down as 5.15 does.
 */
static unsigned long buddy_alloc(struct iova_buddy *b, unsigned int order,
				 unsigned long limit_pfn)
{
	unsigned int o;
	u32 pfn;

	for (o = order; o <= IOVA_SPACE_ORDER; o++) {
		for (pfn = b->list[o]; pfn != IOVA_SPACE; pfn = *next_of(b, pfn))
			if (pfn + (1UL << order) - 1 <= limit_pfn)
				break;
		if (pfn != IOVA_SPACE)
			break;
	}
	if (o > IOVA_SPACE_ORDER)
		return 0;
	buddy_unlink(b, pfn, o);
	while (o > order) {
		o--;
		/* Keep the lower half free if the upper half fits. */
		if (pfn + (2UL << o) - 1 <= limit_pfn) {
			buddy_push(b, pfn, o);
			pfn += 1U << o;
		} else {
			buddy_push(b, pfn + (1U << o), o);
		}
	}
	return pfn;
}

static void buddy_free(struct iova_buddy *b, unsigned long pfn,
		       unsigned int order)
{
	while (order < IOVA_SPACE_ORDER) {
		unsigned long buddy = pfn ^ (1UL << order);

		if (head_order(b, buddy) != order + 1)
			break;
		buddy_unlink(b, buddy, order);
		pfn &= ~(1UL << order);
		order++;
	}
	buddy_push(b, pfn, order);
}

/* ---- domain ---- */

void init_iova_domain(struct iova_domain *iovad, unsigned long granule,
		      unsigned long start_pfn)
{
	unsigned int i;
	unsigned long pfn;

	memset(iovad, 0, sizeof(*iovad));
	spin_lock_init(&iovad->iova_rbtree_lock);
	iovad->granule = granule;
	iovad->start_pfn = start_pfn ? start_pfn : 1;
	iovad->dma_32bit_pfn = (1ULL << 32) / granule;
	iovad->buddy = buddy_create();
	if (WARN_ON(!iovad->buddy))
		return;
	/* Reserve [0, start_pfn): pfn 0 is never handed out. */
	for (pfn = 0; pfn < iovad->start_pfn; pfn++)
		buddy_alloc(iovad->buddy, 0, pfn);
	for (i = 0; i < IOVA_RANGE_CACHE_MAX_SIZE; i++) {
		spin_lock_init(&iovad->rcaches[i].lock);
		/* Read below depot_size only: no need to clear it. */
		iovad->rcaches[i].depot = kmalloc(MAX_GLOBAL_MAGS *
						  IOVA_MAG_SIZE *
						  sizeof(unsigned long),
						  GFP_KERNEL);
		iovad->rcaches[i].cpu_rcaches =
			alloc_percpu(struct iova_cpu_rcache);
	}
}

static void tree_free(struct iova_domain *iovad, unsigned long pfn,
		      unsigned long size)
{
	spin_lock(&iovad->iova_rbtree_lock);
	buddy_free(iovad->buddy, pfn, size_order(size));
	spin_unlock(&iovad->iova_rbtree_lock);
}

/* Pops the most recently pushed pfn not above limit_pfn, or 0. */
static unsigned long mag_pop(struct iova_magazine *mag,
			     unsigned long limit_pfn)
{
	unsigned long i, pfn;

	for (i = mag->size; i > 0; i--)
		if (mag->pfns[i - 1] <= limit_pfn)
			break;
	if (!i)
		return 0;
	pfn = mag->pfns[i - 1];
	memmove(&mag->pfns[i - 1], &mag->pfns[i],
		(mag->size - i) * sizeof(mag->pfns[0]));
	mag->size--;
	return pfn;
}

static unsigned long rcache_get(struct iova_domain *iovad,
				unsigned int order, unsigned long limit_pfn)
{
	struct iova_rcache *rc = &iovad->rcaches[order];
	struct iova_cpu_rcache *cr = this_cpu_ptr(rc->cpu_rcaches);
	unsigned long pfn;

	pfn = mag_pop(&cr->loaded, limit_pfn);
	if (!pfn)
		pfn = mag_pop(&cr->prev, limit_pfn);
	if (!pfn) {
		/*
		 * Take the depot's newest range, as a depot magazine would;
		 * its size is read under the lock (other CPUs' frees fill it).
		 */
		unsigned long i;

		spin_lock(&rc->lock);
		for (i = rc->depot_size; i > 0; i--)
			if (rc->depot[i - 1] <= limit_pfn)
				break;
		if (i) {
			pfn = rc->depot[i - 1];
			memmove(&rc->depot[i - 1], &rc->depot[i],
				(rc->depot_size - i) * sizeof(rc->depot[0]));
			rc->depot_size--;
		}
		spin_unlock(&rc->lock);
	}
	return pfn;
}

static bool rcache_put(struct iova_domain *iovad, unsigned long pfn,
		       unsigned int order)
{
	struct iova_rcache *rc = &iovad->rcaches[order];
	struct iova_cpu_rcache *cr = this_cpu_ptr(rc->cpu_rcaches);
	struct iova_magazine tmp;
	unsigned long i;

	if (cr->loaded.size < IOVA_MAG_SIZE)
		goto push;
	if (cr->prev.size < IOVA_MAG_SIZE) {
		tmp = cr->loaded;
		cr->loaded = cr->prev;
		cr->prev = tmp;
		goto push;
	}
	/* Both full: the loaded magazine goes to the depot or the tree. */
	spin_lock(&rc->lock);
	if (rc->depot_size + IOVA_MAG_SIZE <= MAX_GLOBAL_MAGS * IOVA_MAG_SIZE) {
		memcpy(&rc->depot[rc->depot_size], cr->loaded.pfns,
		       sizeof(cr->loaded.pfns));
		rc->depot_size += IOVA_MAG_SIZE;
		spin_unlock(&rc->lock);
	} else {
		spin_unlock(&rc->lock);
		for (i = 0; i < cr->loaded.size; i++)
			tree_free(iovad, cr->loaded.pfns[i], 1UL << order);
	}
	cr->loaded.size = 0;
push:
	cr->loaded.pfns[cr->loaded.size++] = pfn;
	return true;
}

static void rcache_drain(struct iova_domain *iovad)
{
	unsigned int order, cpu;
	unsigned long i;

	for (order = 0; order < IOVA_RANGE_CACHE_MAX_SIZE; order++) {
		struct iova_rcache *rc = &iovad->rcaches[order];

		if (!rc->cpu_rcaches)
			continue;
		for_each_possible_cpu(cpu) {
			struct iova_cpu_rcache *cr =
				per_cpu_ptr(rc->cpu_rcaches, cpu);

			for (i = 0; i < cr->loaded.size; i++)
				tree_free(iovad, cr->loaded.pfns[i],
					  1UL << order);
			for (i = 0; i < cr->prev.size; i++)
				tree_free(iovad, cr->prev.pfns[i],
					  1UL << order);
			cr->loaded.size = 0;
			cr->prev.size = 0;
		}
		for (i = 0; i < rc->depot_size; i++)
			tree_free(iovad, rc->depot[i], 1UL << order);
		rc->depot_size = 0;
	}
}

unsigned long alloc_iova_fast(struct iova_domain *iovad, unsigned long size,
			      unsigned long limit_pfn, bool flush_rcache)
{
	unsigned int order = size_order(size);
	unsigned long pfn = 0;

	if (WARN_ON(!size || !iovad->buddy))
		return 0;
	if (limit_pfn >= IOVA_SPACE)
		limit_pfn = IOVA_SPACE - 1;
	if (order < IOVA_RANGE_CACHE_MAX_SIZE)
		pfn = rcache_get(iovad, order, limit_pfn);
	if (!pfn) {
		spin_lock(&iovad->iova_rbtree_lock);
		pfn = buddy_alloc(iovad->buddy, order, limit_pfn);
		spin_unlock(&iovad->iova_rbtree_lock);
	}
	if (!pfn && flush_rcache) {
		rcache_drain(iovad);
		spin_lock(&iovad->iova_rbtree_lock);
		pfn = buddy_alloc(iovad->buddy, order, limit_pfn);
		spin_unlock(&iovad->iova_rbtree_lock);
	}
	if (pfn)
		__atomic_add_fetch(&iovad->xs_outstanding, 1, __ATOMIC_RELAXED);
	return pfn;
}

void free_iova_fast(struct iova_domain *iovad, unsigned long pfn,
		    unsigned long size)
{
	unsigned int order = size_order(size);

	if (WARN_ON(!__atomic_load_n(&iovad->xs_outstanding, __ATOMIC_RELAXED)))
		return;
	__atomic_sub_fetch(&iovad->xs_outstanding, 1, __ATOMIC_RELAXED);
	if (order < IOVA_RANGE_CACHE_MAX_SIZE && rcache_put(iovad, pfn, order))
		return;
	tree_free(iovad, pfn, size);
}

/* ---- flush queue ---- */

static bool fq_full(struct iova_fq *fq)
{
	return (fq->tail + 1) % IOVA_FQ_SIZE == fq->head;
}

/* Releases the entries queued before the last completed flush. */
static void fq_ring_free(struct iova_domain *iovad, struct iova_fq *fq)
{
	u64 counter = __atomic_load_n(&iovad->fq_flush_finish_cnt,
				      __ATOMIC_ACQUIRE);

	while (fq->head != fq->tail) {
		struct iova_fq_entry *e = &fq->entries[fq->head];

		if (e->counter >= counter)
			break;
		if (iovad->entry_dtor)
			iovad->entry_dtor(e->data);
		free_iova_fast(iovad, e->iova_pfn, e->pages);
		__atomic_sub_fetch(&iovad->xs_queued, 1, __ATOMIC_RELAXED);
		fq->head = (fq->head + 1) % IOVA_FQ_SIZE;
	}
}

static void iova_domain_flush(struct iova_domain *iovad)
{
	__atomic_add_fetch(&iovad->fq_flush_start_cnt, 1, __ATOMIC_ACQ_REL);
	iovad->flush_cb(iovad);
	__atomic_add_fetch(&iovad->fq_flush_finish_cnt, 1, __ATOMIC_ACQ_REL);
	__atomic_add_fetch(&iovad->xs_fq_flushes, 1, __ATOMIC_RELAXED);
}

static void fq_free_all_cpus(struct iova_domain *iovad)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		struct iova_fq *fq = per_cpu_ptr(iovad->fq, cpu);

		spin_lock(&fq->lock);
		fq_ring_free(iovad, fq);
		spin_unlock(&fq->lock);
	}
}

static void fq_flush_timeout(struct timer_list *t)
{
	struct iova_domain *iovad = from_timer(iovad, t, fq_timer);

	__atomic_store_n(&iovad->fq_timer_on.counter, 0, __ATOMIC_RELAXED);
	__atomic_add_fetch(&iovad->xs_fq_flush_timer, 1, __ATOMIC_RELAXED);
	xs_trace_emit(&xs_kw->trace, xs_clock_now(&xs_kw->clock), XS_TR_KW_FQ_FLUSH, 0,
		      smp_processor_id(), 1, 0, 0);
	iova_domain_flush(iovad);
	fq_free_all_cpus(iovad);
}

int init_iova_flush_queue(struct iova_domain *iovad, iova_flush_cb flush_cb,
			  iova_entry_dtor entry_dtor)
{
	unsigned int cpu;

	iovad->fq = alloc_percpu(struct iova_fq);
	if (!iovad->fq)
		return -ENOMEM;
	for_each_possible_cpu(cpu)
		spin_lock_init(&per_cpu_ptr(iovad->fq, cpu)->lock);
	iovad->flush_cb = flush_cb;
	iovad->entry_dtor = entry_dtor;
	timer_setup(&iovad->fq_timer, fq_flush_timeout, 0);
	return 0;
}

bool has_iova_flush_queue(struct iova_domain *iovad)
{
	return !!iovad->fq;
}

void queue_iova(struct iova_domain *iovad, unsigned long pfn,
		unsigned long pages, unsigned long data)
{
	struct iova_fq *fq = this_cpu_ptr(iovad->fq);
	struct iova_fq_entry *e;

	spin_lock(&fq->lock);
	fq_ring_free(iovad, fq);
	if (fq_full(fq)) {
		__atomic_add_fetch(&iovad->xs_fq_flush_full, 1,
				   __ATOMIC_RELAXED);
		xs_trace_emit(&xs_kw->trace, xs_clock_now(&xs_kw->clock),
			      XS_TR_KW_FQ_FLUSH, 0, smp_processor_id(), 0, 0,
			      0);
		iova_domain_flush(iovad);
		fq_ring_free(iovad, fq);
	}
	e = &fq->entries[fq->tail];
	fq->tail = (fq->tail + 1) % IOVA_FQ_SIZE;
	e->iova_pfn = pfn;
	e->pages = pages;
	e->data = data;
	e->counter = __atomic_load_n(&iovad->fq_flush_start_cnt,
				     __ATOMIC_ACQUIRE);
	__atomic_add_fetch(&iovad->xs_queued, 1, __ATOMIC_RELAXED);
	spin_unlock(&fq->lock);

	if (!__atomic_load_n(&iovad->fq_timer_on.counter, __ATOMIC_RELAXED) &&
	    !__atomic_exchange_n(&iovad->fq_timer_on.counter, 1,
				 __ATOMIC_ACQ_REL))
		mod_timer(&iovad->fq_timer,
			  jiffies + msecs_to_jiffies(IOVA_FQ_TIMEOUT));
}

void xs_iova_flush_queues(struct iova_domain *iovad)
{
	if (!iovad->fq)
		return;
	xs_trace_emit(&xs_kw->trace, xs_clock_now(&xs_kw->clock), XS_TR_KW_FQ_FLUSH, 0,
		      smp_processor_id(), 2, 0, 0);
	iova_domain_flush(iovad);
	fq_free_all_cpus(iovad);
}

/*
 * Teardown. 5.15 runs the entry destructors of still-queued entries
 * without a flush (the domain is going away); here the queue is flushed
 * first so that the oracle sees the page-table pages freed after the
 * invalidation, which the detach that precedes teardown provides on
 * hardware anyway.
 */
void put_iova_domain(struct iova_domain *iovad)
{
	unsigned int i;

	if (iovad->fq) {
		del_timer(&iovad->fq_timer);
		xs_iova_flush_queues(iovad);
		free_percpu(iovad->fq);
		iovad->fq = NULL;
	}
	if (iovad->xs_outstanding)
		pr_err("iova: %lu ranges still allocated at put_iova_domain\n",
		       iovad->xs_outstanding);
	for (i = 0; i < IOVA_RANGE_CACHE_MAX_SIZE; i++) {
		free_percpu(iovad->rcaches[i].cpu_rcaches);
		kfree(iovad->rcaches[i].depot);
	}
	buddy_destroy(iovad->buddy);
	iovad->buddy = NULL;
}
