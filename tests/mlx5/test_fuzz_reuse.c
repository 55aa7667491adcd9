// SPDX-License-Identifier: GPL-2.0
/*
 * A fuzz execution builds its world partly from buffers the last world
 * gave back (include/xsmmu/zbuf.h: the struct page array, the physical
 * memory's frame table, the oracle's per-frame counters, each unit's
 * context table). It must behave exactly as one built from fresh
 * memory: the same input gives the same verdicts and the same trace,
 * whatever ran before it. Checked in every protected mode by running an
 * input on fresh buffers, then a heavier one (more frames, other
 * mappings, leaks and findings left behind in the buffers), then the
 * first input again on the recycled buffers.
 */
#include <stdlib.h>

#include <linux/printk.h>
#include <xsmmu/rand.h>
#include <xsmmu/zbuf.h>

#include "schedule.h"
#include "xs_test.h"

#define INPUT_LEN	240

static void random_input(u8 *buf, size_t len, u64 seed)
{
	struct xs_rand rng;
	size_t i;

	xs_rand_seed(&rng, seed);
	for (i = 0; i < len; i++)
		buf[i] = (u8)xs_rand_next(&rng);
}

/*
 * A heavier input: the DMA client maps 4 MiB buffers (step byte 0x0d,
 * argument 0x30: 1024 pages) and unmaps some without a sync, so frames
 * far above a light input's high water are written, then random steps.
 */
static size_t heavy_input(u8 *buf, size_t len)
{
	static const u8 head[] = {
		0x0d, 0x30, 0x0d, 0x30, 0x0d, 0x31, 0x0d, 0x2c,
		0x0d, 0x30, 0x0d, 0x05, 0x0d, 0x30, 0x07, 0x20,
	};

	random_input(buf, len, 77);
	memcpy(buf, head, sizeof(head));
	return len;
}

static void assert_same_run(const struct xs_fuzz_result *a,
			    const struct xs_fuzz_result *b)
{
	int k;

	assert_int_equal(a->first, b->first);
	assert_int_equal(a->steps, b->steps);
	for (k = 0; k < XS_INV__COUNT; k++)
		assert_int_equal(a->violations[k], b->violations[k]);
	assert_true(a->digest == b->digest);
}

static void reuse_is_fresh(enum xs_mode mode, u64 seed)
{
	struct xs_fuzz_result fresh, other, reused;
	u8 in[INPUT_LEN], heavy[INPUT_LEN];
	size_t heavy_len = heavy_input(heavy, sizeof(heavy));

	random_input(in, sizeof(in), seed);
	xs_zbuf_drain();
	xs_fuzz_run(mode, in, sizeof(in), &fresh, NULL);
	/* The world's tables went back for the next one. */
	assert_true(xs_zbuf_kept() > 0);
	xs_fuzz_run(mode, heavy, heavy_len, &other, NULL);
	/* The heavy input's world really differs from the light one. */
	assert_true(other.digest != fresh.digest);
	xs_fuzz_run(mode, in, sizeof(in), &reused, NULL);
	assert_same_run(&fresh, &reused);
}

static void test_reuse_is_fresh_all_modes(void **state)
{
	unsigned int m;

	for (m = 0; m < xs_fuzz_nr_modes; m++) {
		reuse_is_fresh(xs_fuzz_modes[m], 3);
		reuse_is_fresh(xs_fuzz_modes[m], 11);
	}
}

/* The digest tells two different runs apart (so it can fail above). */
static void test_digest_differs(void **state)
{
	struct xs_fuzz_result a, b;
	u8 in[INPUT_LEN];

	random_input(in, sizeof(in), 3);
	xs_fuzz_run(XS_MODE_XSMMU_POLL, in, sizeof(in), &a, NULL);
	in[sizeof(in) / 2] ^= 0x01;	/* another operation */
	xs_fuzz_run(XS_MODE_XSMMU_POLL, in, sizeof(in), &b, NULL);
	assert_true(a.digest != b.digest);
}

/*
 * The canonical form runs exactly as the input it came from, and every
 * operation in it is below the number of operations (so appending one
 * cannot change how it decodes).
 */
static void test_canonical_runs_the_same(void **state)
{
	struct xs_fuzz_result a, b;
	u8 in[INPUT_LEN], canon[INPUT_LEN];
	size_t i;
	int changed = 0;

	random_input(in, sizeof(in), 5);
	for (i = 0; i < sizeof(in); i += 2)
		in[i] |= 0x2f;	/* the highest value the op bits can hold */
	memcpy(canon, in, sizeof(in));
	xs_fuzz_canonical(canon, sizeof(canon));
	for (i = 0; i < sizeof(canon); i += 2) {
		unsigned int v = (canon[i] & 15u) | ((canon[i] & 0x20u) >> 1);

		assert_true(v < XS_FOP__COUNT);
		assert_int_equal(canon[i] & 0xd0, in[i] & 0xd0);
		changed |= canon[i] != in[i];
	}
	assert_true(changed);
	xs_fuzz_run(XS_MODE_ADAPTIVE, in, sizeof(in), &a, NULL);
	xs_fuzz_run(XS_MODE_ADAPTIVE, canon, sizeof(canon), &b, NULL);
	assert_same_run(&a, &b);
}

static void test_zbuf_recycled_zeroed(void **state)
{
	size_t size = 1 << 20;
	u8 *p = xs_zbuf_alloc(size), *q;
	size_t i;

	assert_non_null(p);
	for (i = 0; i < size; i++)
		assert_int_equal(p[i], 0);
	memset(p, 0x5a, 4096);
	xs_zbuf_free(p, size, 4096);
	q = xs_zbuf_alloc(size);
	assert_ptr_equal(p, q);	/* recycled, not fresh */
	for (i = 0; i < size; i++)
		assert_int_equal(q[i], 0);
	/* Another size is not handed this one. */
	xs_zbuf_free(q, size, 0);
	p = xs_zbuf_alloc(size / 2);
	assert_ptr_not_equal(p, q);
	xs_zbuf_free(p, size / 2, 0);
	xs_zbuf_drain();
	assert_int_equal(xs_zbuf_kept(), 0);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reuse_is_fresh_all_modes),
		cmocka_unit_test(test_digest_differs),
		cmocka_unit_test(test_canonical_runs_the_same),
		cmocka_unit_test(test_zbuf_recycled_zeroed),
	};

	xs_printk_set_level(0);
	return XS_RUN_GROUP("fuzz_reuse", tests);
}
