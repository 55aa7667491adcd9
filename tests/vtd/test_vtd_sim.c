// SPDX-License-Identifier: GPL-2.0
/*
 * The simulation core the model stands on: simulated physical memory, the
 * parameter table and the trace ring.
 */
#include <string.h>

#include "vtd_fixture.h"

/* Frames come back zeroed, last freed first; a free poisons the bytes. */
static void test_physmem_reuse_and_poison(void **state)
{
	struct xs_physmem *pm = xs_physmem_create(64);
	u64 a, b, c;
	u8 *host;
	u32 gen;

	assert_non_null(pm);
	a = xs_physmem_alloc_frame(pm);
	b = xs_physmem_alloc_frame(pm);
	assert_true(a && b && a != b);
	assert_int_equal(xs_physmem_frames_in_use(pm), 2);
	xs_physmem_write64(pm, (a << XS_PAGE_SHIFT) + 8, 0x1122334455667788);
	gen = xs_physmem_generation(pm, a);

	assert_int_equal(xs_physmem_free_frame(pm, a), 0);
	assert_false(xs_physmem_is_allocated(pm, a));
	host = xs_physmem_host(pm, a);
	assert_non_null(host);
	assert_int_equal(host[8], XS_PHYSMEM_POISON);
	assert_int_equal(host[4095], XS_PHYSMEM_POISON);
	assert_int_equal(xs_physmem_free_frame(pm, a), -1);

	c = xs_physmem_alloc_frame(pm);
	assert_int_equal(c, a);
	assert_int_equal(xs_physmem_generation(pm, c), gen + 1);
	assert_int_equal(xs_physmem_read64(pm, (c << XS_PAGE_SHIFT) + 8), 0);
	assert_int_equal(xs_physmem_frames_in_use(pm), 2);
	xs_physmem_free_frame(pm, b);
	xs_physmem_free_frame(pm, c);
	assert_int_equal(xs_physmem_frames_in_use(pm), 0);
	xs_physmem_destroy(pm);
}

/*
 * Without clearing (alloc_pages() without __GFP_ZERO): a reused frame
 * still holds its poison, a fresh one is poisoned too (never host garbage,
 * so runs stay deterministic), and the generation moves all the same.
 */
static void test_physmem_uninit_keeps_poison(void **state)
{
	struct xs_physmem *pm = xs_physmem_create(8);
	u64 a, b;
	u32 gen;

	a = xs_physmem_alloc_frame_uninit(pm);
	assert_int_not_equal(a, 0);
	assert_int_equal(((u8 *)xs_physmem_host(pm, a))[17],
			 XS_PHYSMEM_POISON);
	xs_physmem_write64(pm, a << XS_PAGE_SHIFT, 42);
	gen = xs_physmem_generation(pm, a);
	xs_physmem_free_frame(pm, a);
	b = xs_physmem_alloc_frame_uninit(pm);
	assert_int_equal(b, a);
	assert_int_equal(xs_physmem_generation(pm, b), gen + 1);
	assert_int_equal(xs_physmem_read64(pm, b << XS_PAGE_SHIFT),
			 0x6b6b6b6b6b6b6b6bULL);
	xs_physmem_free_frame(pm, b);
	xs_physmem_destroy(pm);
}

/* Exhaustion returns 0; unbacked addresses read as all ones. */
static void test_physmem_limits(void **state)
{
	struct xs_physmem *pm = xs_physmem_create(4);
	u8 buf[4];
	unsigned int i;

	/* pfn 0 is never handed out: 3 usable frames. */
	for (i = 0; i < 3; i++)
		assert_int_not_equal(xs_physmem_alloc_frame(pm), 0);
	assert_int_equal(xs_physmem_alloc_frame(pm), 0);
	assert_int_equal(xs_physmem_read64(pm, 100ULL << XS_PAGE_SHIFT),
			 ~0ULL);
	assert_int_equal(xs_physmem_read(pm, 100ULL << XS_PAGE_SHIFT, buf,
					 sizeof(buf)), -1);
	assert_int_equal(xs_physmem_free_frame(pm, 100), -1);
	assert_int_equal(xs_physmem_free_frame(pm, 0), -1);
	xs_physmem_destroy(pm);
}

/* Every parameter has a unit and a source; overrides are checked. */
static void test_params_table(void **state)
{
	struct xs_params p;
	char err[256];
	int i;

	xs_params_init(&p);
	for (i = 0; i < XS_P__COUNT; i++) {
		const struct xs_param_info *in = xs_param_info(i);

		assert_non_null(in->name);
		assert_true(strlen(in->unit) > 0);
		assert_true(strlen(in->source) > 0);
		assert_int_equal(xs_param_lookup(in->name), i);
		assert_int_equal(xs_param(&p, i), in->def);
		assert_in_range(in->def, in->min, in->max);
	}
	assert_int_equal(xs_params_set(&p, "inv_iotlb_psi_ns=777", err,
				       sizeof(err)), 0);
	assert_int_equal(xs_param(&p, XS_P_INV_IOTLB_PSI_NS), 777);

	assert_int_equal(xs_params_set(&p, "no_such_param=1", err,
				       sizeof(err)), -1);
	assert_non_null(strstr(err, "no_such_param"));
	assert_int_equal(xs_params_set(&p, "inv_iotlb_psi_ns=12x", err,
				       sizeof(err)), -1);
	assert_int_equal(xs_params_set(&p, "inv_iotlb_psi_ns", err,
				       sizeof(err)), -1);
	assert_int_equal(xs_params_set(&p, "iotlb_ways=0", err, sizeof(err)),
			 -1);
	assert_non_null(strstr(err, "iotlb_ways"));
	/* A refused override changes nothing. */
	assert_int_equal(xs_param(&p, XS_P_INV_IOTLB_PSI_NS), 777);
	assert_int_equal(xs_param(&p, XS_P_IOTLB_WAYS),
			 xs_param_info(XS_P_IOTLB_WAYS)->def);
}

/* A parameter change reaches a live unit: drain time follows it. */
static void test_params_cost_applies(void **state)
{
	struct vtd_fx *fx = *state;
	struct vtd_desc d = vtd_fx_dsi(FX_DID_A);
	u64 t0, t1, base;

	t0 = fx->clk.now;
	vtd_fx_sync(fx, &d, 1);
	base = fx->clk.now - t0;
	fx->params.v[XS_P_INV_IOTLB_DSI_NS] += 10000;
	t1 = fx->clk.now;
	vtd_fx_sync(fx, &d, 1);
	assert_int_equal(fx->clk.now - t1, base + 10000);
}

/* The ring keeps the newest records in order and names them. */
static void test_trace_ring(void **state)
{
	struct xs_trace t;
	const struct xs_trace_rec *r;
	u32 i;

	assert_int_equal(xs_trace_init(&t, 8), 0);
	t.on = false;
	xs_trace_emit(&t, 1, XS_TR_DMA, 0, 0, 1, 2, 3);
	assert_int_equal(xs_trace_count(&t), 0);	/* off: nothing */
	t.on = true;
	for (i = 0; i < 20; i++)
		xs_trace_emit(&t, 100 + i, XS_TR_IQ_DESC, 1, 0, i, 0, 0);
	assert_int_equal(xs_trace_count(&t), 8);
	for (i = 0; i < 8; i++) {
		r = xs_trace_get(&t, i);
		assert_non_null(r);
		assert_int_equal(r->a[0], 12 + i);
		assert_int_equal(r->time, 112 + i);
		assert_int_equal(r->seq, 12 + i);
	}
	assert_null(xs_trace_get(&t, 8));
	xs_trace_destroy(&t);
}

/* With a trace attached, the unit records what the queue did. */
static void test_trace_records_queue(void **state)
{
	struct xs_params p;
	struct xs_physmem *pm;
	struct xs_clock clk = { .now = 0 };
	struct vtd_unit_config cfg;
	struct vtd_unit *u;
	struct xs_trace t;
	u64 q, s;
	u32 i, desc = 0, wait = 0;
	struct vtd_desc w;

	xs_params_init(&p);
	pm = xs_physmem_create(16);
	assert_int_equal(xs_trace_init(&t, 64), 0);
	t.on = true;
	vtd_unit_config_default(&cfg, &p);
	u = vtd_unit_create(&cfg, pm, &clk, &p, &t);
	assert_non_null(u);
	q = xs_physmem_alloc_frame(pm) << XS_PAGE_SHIFT;
	s = xs_physmem_alloc_frame(pm) << XS_PAGE_SHIFT;
	vtd_reg_write64(u, VTD_REG_IQA, q);
	vtd_reg_write32(u, VTD_REG_GCMD, (u32)VTD_GCMD_QIE);
	w = vtd_desc_wait(true, false, false, 5, s);
	xs_physmem_write64(pm, q, w.qw0);
	xs_physmem_write64(pm, q + 8, w.qw1);
	vtd_reg_write64(u, VTD_REG_IQT, 1ULL << VTD_IQ_SHIFT_128);
	vtd_iq_drain(u);
	assert_int_equal(xs_physmem_read32(pm, s), 5);
	for (i = 0; i < xs_trace_count(&t); i++) {
		const struct xs_trace_rec *r = xs_trace_get(&t, i);

		if (r->kind == XS_TR_IQ_DESC)
			desc++;
		if (r->kind == XS_TR_IQ_WAIT) {
			wait++;
			assert_int_equal(r->a[1], s);
			assert_int_equal(r->a[2], 5);
		}
	}
	assert_int_equal(desc, 1);
	assert_int_equal(wait, 1);
	vtd_unit_destroy(u);
	xs_trace_destroy(&t);
	xs_physmem_destroy(pm);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_physmem_reuse_and_poison),
		cmocka_unit_test(test_physmem_uninit_keeps_poison),
		cmocka_unit_test(test_physmem_limits),
		cmocka_unit_test(test_params_table),
		cmocka_unit_test_setup_teardown(test_params_cost_applies,
						vtd_fx_setup,
						vtd_fx_teardown),
		cmocka_unit_test(test_trace_ring),
		cmocka_unit_test(test_trace_records_queue),
	};

	return XS_RUN_GROUP("vtd_sim", tests);
}
