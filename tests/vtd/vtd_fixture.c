// SPDX-License-Identifier: GPL-2.0
/*
 * Shared fixture for the VT-d model tests. Programs the unit the way the
 * 5.15 driver does (dmar_enable_qi(), iommu_enable_translation()): IQA with
 * the queue base and QS, IQT = 0, then GCMD.QIE, then GCMD.TE, checking the
 * matching GSTS status bit after each command (spec 6.5.2, 11.4.4).
 */
#include <stdlib.h>
#include <string.h>

#include "vtd_fixture.h"

struct vtd_fx *vtd_fx_new(vtd_fx_tweak_fn tweak)
{
	struct vtd_fx *fx = calloc(1, sizeof(*fx));
	u64 pfn;
	u32 gsts;

	if (!fx)
		return NULL;
	xs_params_init(&fx->params);
	fx->pm = xs_physmem_create(VTD_FX_FRAMES);
	if (!fx->pm)
		goto err;
	fx->clk.now = 1000;
	vtd_unit_config_default(&fx->cfg, &fx->params);
	/* The tests rely on these capabilities; pin them. */
	fx->cfg.psi = true;
	fx->cfg.sp_2m = true;
	fx->cfg.sp_1g = true;
	fx->cfg.dev_tlb = true;
	if (tweak)
		tweak(&fx->cfg, &fx->params);
	fx->u = vtd_unit_create(&fx->cfg, fx->pm, &fx->clk, &fx->params,
				NULL);
	if (!fx->u)
		goto err;

	pfn = xs_physmem_alloc_frame(fx->pm);
	if (!pfn)
		goto err;
	fx->iq_phys = pfn << XS_PAGE_SHIFT;
	pfn = xs_physmem_alloc_frame(fx->pm);
	if (!pfn)
		goto err;
	fx->status_phys = pfn << XS_PAGE_SHIFT;

	/* IQA: base 63:12, DW = 0 (128-bit), QS = 0 (256 entries). */
	vtd_reg_write64(fx->u, VTD_REG_IQA, fx->iq_phys | 0);
	vtd_reg_write64(fx->u, VTD_REG_IQT, 0);
	vtd_reg_write32(fx->u, VTD_REG_GCMD, (u32)VTD_GCMD_QIE);
	gsts = vtd_reg_read32(fx->u, VTD_REG_GSTS);
	if (!(gsts & VTD_GSTS_QIES))
		goto err;
	/* GCMD bits are commands, not sticky: keep QIE set when adding TE. */
	vtd_reg_write32(fx->u, VTD_REG_GCMD,
			(u32)(VTD_GCMD_QIE | VTD_GCMD_TE));
	gsts = vtd_reg_read32(fx->u, VTD_REG_GSTS);
	if (!(gsts & VTD_GSTS_TES) || !(gsts & VTD_GSTS_QIES))
		goto err;
	return fx;
err:
	vtd_fx_free(fx);
	return NULL;
}

void vtd_fx_free(struct vtd_fx *fx)
{
	unsigned int i;

	if (!fx)
		return;
	for (i = 0; i < VTD_FX_DOMAINS; i++)
		if (fx->pt_live[i])
			vtd_pgtable_destroy(&fx->pt[i], vtd_fx_table_release,
					    fx);
	if (fx->u)
		vtd_unit_destroy(fx->u);
	if (fx->pm)
		xs_physmem_destroy(fx->pm);
	free(fx);
}

int vtd_fx_setup(void **state)
{
	*state = vtd_fx_new(NULL);
	return *state ? 0 : -1;
}

int vtd_fx_teardown(void **state)
{
	vtd_fx_free(*state);
	*state = NULL;
	return 0;
}

u64 vtd_fx_table_alloc(void *ctx)
{
	struct vtd_fx *fx = ctx;

	return xs_physmem_alloc_frame(fx->pm);
}

void vtd_fx_table_release(void *ctx, u64 pfn)
{
	struct vtd_fx *fx = ctx;

	xs_physmem_free_frame(fx->pm, pfn);
}

void vtd_fx_domain(struct vtd_fx *fx, unsigned int idx, u16 sid, u16 did)
{
	assert_true(idx < VTD_FX_DOMAINS);
	if (!fx->pt_live[idx]) {
		assert_int_equal(vtd_pgtable_init(&fx->pt[idx], fx->pm,
						  vtd_fx_table_alloc, fx), 0);
		fx->pt_live[idx] = true;
	}
	assert_int_equal(vtd_context_set(fx->u, sid, did, fx->pt[idx].root),
			 0);
}

void vtd_fx_map(struct vtd_fx *fx, unsigned int idx, u64 iova, u64 phys,
		u64 size, u64 prot, u64 pgsize)
{
	assert_true(fx->pt_live[idx]);
	assert_int_equal(vtd_pgtable_map(&fx->pt[idx], iova, phys, size, prot,
					 pgsize), 0);
}

u64 vtd_fx_touch(struct vtd_fx *fx, u16 sid, u64 iova)
{
	struct vtd_xlate xl;

	memset(&xl, 0, sizeof(xl));
	assert_int_equal(vtd_translate(fx->u, sid, iova, false, &xl), 0);
	return xl.phys;
}

void vtd_fx_write_slot(struct vtd_fx *fx, u32 idx, const struct vtd_desc *d)
{
	u64 a = fx->iq_phys + (u64)(idx % VTD_FX_QLEN) * 16;

	/* Legacy descriptors: qw0 at the lower address (spec 6.5.2). */
	xs_physmem_write64(fx->pm, a, d->qw0);
	xs_physmem_write64(fx->pm, a + 8, d->qw1);
}

void vtd_fx_set_tail(struct vtd_fx *fx, u32 idx)
{
	fx->tail = idx % VTD_FX_QLEN;
	vtd_reg_write64(fx->u, VTD_REG_IQT, (u64)fx->tail << VTD_IQ_SHIFT_128);
}

void vtd_fx_submit(struct vtd_fx *fx, const struct vtd_desc *d, unsigned int n)
{
	unsigned int i;
	u32 t = fx->tail;

	for (i = 0; i < n; i++) {
		vtd_fx_write_slot(fx, t, &d[i]);
		t = (t + 1) % VTD_FX_QLEN;
	}
	vtd_fx_set_tail(fx, t);
}

u64 vtd_fx_status_addr(struct vtd_fx *fx, unsigned int slot)
{
	return fx->status_phys + (u64)(slot % 1024) * 4;
}

struct vtd_desc vtd_fx_wait(struct vtd_fx *fx, unsigned int slot, u32 data)
{
	return vtd_desc_wait(true, false, false, data,
			     vtd_fx_status_addr(fx, slot));
}

u32 vtd_fx_status(struct vtd_fx *fx, unsigned int slot)
{
	return xs_physmem_read32(fx->pm, vtd_fx_status_addr(fx, slot));
}

void vtd_fx_status_reset(struct vtd_fx *fx, unsigned int slot)
{
	xs_physmem_write32(fx->pm, vtd_fx_status_addr(fx, slot),
			   FX_STATUS_INIT);
}

u32 vtd_fx_iqh(struct vtd_fx *fx)
{
	return (u32)((vtd_reg_read64(fx->u, VTD_REG_IQH) & VTD_IQ_INDEX_MASK)
		     >> VTD_IQ_SHIFT_128);
}

void vtd_fx_sync(struct vtd_fx *fx, const struct vtd_desc *d, unsigned int n)
{
	struct vtd_desc w = vtd_fx_wait(fx, 0, 0x600d);

	vtd_fx_status_reset(fx, 0);
	if (n)
		vtd_fx_submit(fx, d, n);
	vtd_fx_submit(fx, &w, 1);
	vtd_iq_drain(fx->u);
	assert_int_equal(vtd_reg_read32(fx->u, VTD_REG_FSTS) &
			 (VTD_FSTS_IQE | VTD_FSTS_ITE | VTD_FSTS_ICE), 0);
	assert_int_equal(vtd_fx_status(fx, 0), 0x600d);
	assert_true(vtd_iq_idle(fx->u));
	assert_int_equal(vtd_fx_iqh(fx), fx->tail);
}

struct vtd_desc vtd_fx_psi(u16 did, u64 addr, u8 am, bool ih)
{
	return vtd_desc_iotlb(VTD_IOTLB_PSI, did, addr, am, ih, false, false);
}

struct vtd_desc vtd_fx_dsi(u16 did)
{
	return vtd_desc_iotlb(VTD_IOTLB_DSI, did, 0, 0, false, false, false);
}

struct vtd_desc vtd_fx_global(void)
{
	return vtd_desc_iotlb(VTD_IOTLB_GLOBAL, 0, 0, 0, false, false, false);
}

bool vtd_fx_cached(struct vtd_fx *fx, u16 did, u64 iova)
{
	struct vtd_iotlb_view v;

	return vtd_iotlb_probe(fx->u, did, iova, &v);
}
