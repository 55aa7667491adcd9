// SPDX-License-Identifier: GPL-2.0
/*
 * The IOVA allocator: last-freed-first reuse (what makes an early IOVA
 * free dangerous), size alignment, limits, outstanding counts, and the
 * flush queue's full-ring and timer flushes.
 */
#include "dma_fixture.h"

static int counted_flushes;
static unsigned long dtor_data[4];
static int dtors;

static void count_flush(struct iova_domain *iovad)
{
	counted_flushes++;
}

static void record_dtor(unsigned long data)
{
	if (dtors < 4)
		dtor_data[dtors] = data;
	dtors++;
}

/* Freeing A then allocating the same size gives A back. */
static void test_iova_reuse_last_freed_first(void **state)
{
	struct iova_domain iovad;
	unsigned long a, b, c;

	init_iova_domain(&iovad, PAGE_SIZE, 1);
	a = alloc_iova_fast(&iovad, 1, 0xfffff, true);
	b = alloc_iova_fast(&iovad, 1, 0xfffff, true);
	assert_true(a && b && a != b);
	free_iova_fast(&iovad, a, 1);
	free_iova_fast(&iovad, b, 1);
	c = alloc_iova_fast(&iovad, 1, 0xfffff, true);
	assert_int_equal(c, b);		/* most recently freed */
	c = alloc_iova_fast(&iovad, 1, 0xfffff, true);
	assert_int_equal(c, a);
	free_iova_fast(&iovad, a, 1);
	free_iova_fast(&iovad, b, 1);
	assert_int_equal(iovad.xs_outstanding, 0);
	put_iova_domain(&iovad);
}

/* Ranges are aligned to their size and stay below the limit. */
static void test_iova_alignment_and_limit(void **state)
{
	struct iova_domain iovad;
	unsigned long pfn[64];
	unsigned int i, order;

	init_iova_domain(&iovad, PAGE_SIZE, 1);
	for (i = 0; i < 64; i++) {
		order = i % 7;
		pfn[i] = alloc_iova_fast(&iovad, 1UL << order, 0xfffff, true);
		assert_int_not_equal(pfn[i], 0);
		assert_int_equal(pfn[i] & ((1UL << order) - 1), 0);
	}
	for (i = 0; i < 64; i++)
		free_iova_fast(&iovad, pfn[i], 1UL << (i % 7));
	/* A low limit is honoured even when the caches hold higher pfns. */
	pfn[0] = alloc_iova_fast(&iovad, 4, 0xff, true);
	assert_true(pfn[0] != 0 && pfn[0] + 3 <= 0xff);
	free_iova_fast(&iovad, pfn[0], 4);
	/* More than the space below the limit: refused, nothing taken. */
	assert_int_equal(alloc_iova_fast(&iovad, 512, 0xff, true), 0);
	assert_int_equal(iovad.xs_outstanding, 0);
	put_iova_domain(&iovad);
}

/* Churn through the caches and the depot keeps counts exact. */
static void test_iova_churn_counts(void **state)
{
	struct iova_domain iovad;
	static unsigned long held[4096];
	unsigned int i, round;

	init_iova_domain(&iovad, PAGE_SIZE, 1);
	for (round = 0; round < 3; round++) {
		for (i = 0; i < 4096; i++) {
			held[i] = alloc_iova_fast(&iovad, 1, 0xfffff, true);
			assert_int_not_equal(held[i], 0);
		}
		assert_int_equal(iovad.xs_outstanding, 4096);
		for (i = 0; i < 4096; i++)
			free_iova_fast(&iovad, held[i], 1);
		assert_int_equal(iovad.xs_outstanding, 0);
	}
	put_iova_domain(&iovad);
}

/* A full ring flushes the domain, then frees what it covered. */
static void test_fq_full_ring_flushes(void **state)
{
	struct iova_domain iovad;
	unsigned long pfn;
	unsigned int i;

	counted_flushes = 0;
	dtors = 0;
	init_iova_domain(&iovad, PAGE_SIZE, 1);
	assert_int_equal(init_iova_flush_queue(&iovad, count_flush,
					       record_dtor), 0);
	for (i = 0; i < IOVA_FQ_SIZE - 1; i++) {
		pfn = alloc_iova_fast(&iovad, 1, 0xfffff, true);
		queue_iova(&iovad, pfn, 1, 100 + i);
	}
	assert_int_equal(counted_flushes, 0);
	assert_int_equal(iovad.xs_queued, IOVA_FQ_SIZE - 1);
	assert_int_equal(iovad.xs_outstanding, IOVA_FQ_SIZE - 1);
	pfn = alloc_iova_fast(&iovad, 1, 0xfffff, true);
	queue_iova(&iovad, pfn, 1, 7);
	assert_int_equal(counted_flushes, 1);
	assert_int_equal(iovad.xs_fq_flush_full, 1);
	assert_int_equal(iovad.xs_queued, 1);
	assert_int_equal(dtors, IOVA_FQ_SIZE - 1);
	assert_int_equal(dtor_data[0], 100);	/* oldest first */
	put_iova_domain(&iovad);
	assert_int_equal(dtors, IOVA_FQ_SIZE);
}

/* The 10 ms timer flushes and releases; nothing is released before. */
static void test_fq_timer_flushes(void **state)
{
	struct dma_fx *fx = *state;
	struct iova_domain iovad;
	unsigned long pfn;

	counted_flushes = 0;
	dtors = 0;
	init_iova_domain(&iovad, PAGE_SIZE, 1);
	assert_int_equal(init_iova_flush_queue(&iovad, count_flush,
					       record_dtor), 0);
	pfn = alloc_iova_fast(&iovad, 1, 0xfffff, true);
	queue_iova(&iovad, pfn, 1, 1);
	xs_kworld_advance(fx->w, 9 * 1000000ULL);
	assert_int_equal(counted_flushes, 0);
	assert_int_equal(iovad.xs_outstanding, 1);
	xs_kworld_advance(fx->w, 2 * 1000000ULL);
	assert_int_equal(counted_flushes, 1);
	assert_int_equal(iovad.xs_fq_flush_timer, 1);
	assert_int_equal(iovad.xs_outstanding, 0);
	assert_int_equal(dtors, 1);
	put_iova_domain(&iovad);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_iova_reuse_last_freed_first,
						dma_fx_setup, dma_fx_teardown),
		cmocka_unit_test_setup_teardown(test_iova_alignment_and_limit,
						dma_fx_setup, dma_fx_teardown),
		cmocka_unit_test_setup_teardown(test_iova_churn_counts,
						dma_fx_setup, dma_fx_teardown),
		cmocka_unit_test_setup_teardown(test_fq_full_ring_flushes,
						dma_fx_setup, dma_fx_teardown),
		cmocka_unit_test_setup_teardown(test_fq_timer_flushes,
						dma_fx_setup, dma_fx_teardown),
	};

	return XS_RUN_GROUP("dma_iova", tests);
}
