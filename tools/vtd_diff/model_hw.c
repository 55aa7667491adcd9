// SPDX-License-Identifier: GPL-2.0
/*
 * The project's model behind the comparison interface, used only through
 * its public API (include/xsmmu). The unit is configured like QEMU's: the
 * capabilities QEMU reports (MAMV, PSI, superpages, NFR, device TLB), a
 * 1024-entry fully associative IOTLB and no paging-structure caches
 * (QEMU has none). Memory is the model's simulated physical memory with
 * every frame below G_END backed, so guest-physical addresses are the same
 * on both sides. The edu device is emulated here: its DMA engine is a
 * copy between its buffer and memory through vtd_dma().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xsmmu/clock.h>
#include <xsmmu/params.h>
#include <xsmmu/physmem.h>
#include <xsmmu/vtd.h>

#include "hw.h"
#include "scenario.h"

struct model_hw {
	struct hw hw;
	struct xs_params params;
	struct xs_physmem *pm;
	struct xs_clock clk;
	struct vtd_unit_config cfg;
	struct vtd_unit *u;
	u8 buf[EDU_BUF_SIZE];
};

static struct model_hw *M(void *ctx)
{
	return ctx;
}

static u64 m_mem_r64(void *ctx, u64 phys)
{
	return xs_physmem_read64(M(ctx)->pm, phys);
}

static u32 m_mem_r32(void *ctx, u64 phys)
{
	return xs_physmem_read32(M(ctx)->pm, phys);
}

static void m_mem_r64_n(void *ctx, const u64 *phys, u64 *out,
			unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		out[i] = xs_physmem_read64(M(ctx)->pm, phys[i]);
}

static void m_mem_w64(void *ctx, u64 phys, u64 val)
{
	xs_physmem_write64(M(ctx)->pm, phys, val);
}

static void m_mem_zero(void *ctx, u64 phys, u64 len)
{
	static const u8 zero[4096];
	u64 n;

	for (; len; phys += n, len -= n) {
		n = len < sizeof(zero) ? len : sizeof(zero);
		xs_physmem_write(M(ctx)->pm, phys, zero, n);
	}
}

/* Software waits for the queue: the model's descriptors take time. */
static void settle(struct model_hw *m)
{
	vtd_iq_drain(m->u);
}

static u64 m_reg_r64(void *ctx, u32 off)
{
	settle(M(ctx));
	return vtd_reg_read64(M(ctx)->u, off);
}

static u32 m_reg_r32(void *ctx, u32 off)
{
	settle(M(ctx));
	return vtd_reg_read32(M(ctx)->u, off);
}

static void m_reg_r_n(void *ctx, const u32 *off, const u8 *size, u64 *out,
		      unsigned int n)
{
	unsigned int i;

	settle(M(ctx));
	for (i = 0; i < n; i++)
		out[i] = size[i] == 4 ? vtd_reg_read32(M(ctx)->u, off[i]) :
					vtd_reg_read64(M(ctx)->u, off[i]);
}

static void m_reg_w64(void *ctx, u32 off, u64 val)
{
	vtd_reg_write64(M(ctx)->u, off, val);
	settle(M(ctx));
}

static void m_reg_w32(void *ctx, u32 off, u32 val)
{
	vtd_reg_write32(M(ctx)->u, off, val);
	settle(M(ctx));
}

static void m_set_context(void *ctx, u64 root, u16 did)
{
	if (root)
		vtd_context_set(M(ctx)->u, EDU_SID, did, root);
	else
		vtd_context_clear(M(ctx)->u, EDU_SID);
}

/*
 * The edu engine: a copy through the IOMMU. A read that faults delivers
 * zeros to the buffer (what a PCI read of an unclaimed address returns on
 * QEMU's bus, and what edu's buffer then holds); a write that faults
 * writes nothing.
 */
static void m_dma(void *ctx, u64 src, u64 dst, u32 len, bool to_ram)
{
	struct model_hw *m = ctx;
	int r;

	if (to_ram) {
		if (src < EDU_BUF || src + len > EDU_BUF + EDU_BUF_SIZE)
			return;
		vtd_dma(m->u, EDU_SID, dst, m->buf + (src - EDU_BUF), len,
			true);
		return;
	}
	if (dst < EDU_BUF || dst + len > EDU_BUF + EDU_BUF_SIZE)
		return;
	r = vtd_dma(m->u, EDU_SID, src, m->buf + (dst - EDU_BUF), len, false);
	if (r)
		memset(m->buf + (dst - EDU_BUF), 0, len);
}

static void m_reset(void *ctx)
{
	struct model_hw *m = ctx;

	if (m->u)
		vtd_unit_destroy(m->u);
	m->u = vtd_unit_create(&m->cfg, m->pm, &m->clk, &m->params, NULL);
	memset(m->buf, 0, sizeof(m->buf));
}

static bool m_alive(void *ctx)
{
	return M(ctx)->u != NULL;
}

struct hw *model_hw_create(const struct unit_caps *caps)
{
	struct model_hw *m = calloc(1, sizeof(*m));
	u64 pfn, want;
	int i;

	if (!m)
		return NULL;
	xs_params_init(&m->params);
	m->clk.now = 1000;
	m->pm = xs_physmem_create(G_END >> XS_PAGE_SHIFT);
	if (!m->pm)
		goto fail;
	/* Back every frame, so that addresses are QEMU's guest-physical. */
	for (want = 1; want < (G_END >> XS_PAGE_SHIFT); want++) {
		pfn = xs_physmem_alloc_frame(m->pm);
		if (pfn != want)
			goto fail;
	}
	vtd_unit_config_default(&m->cfg, &m->params);
	m->cfg.mamv = (u8)VTD_CAP_MAMV(caps->cap);
	m->cfg.nfr = (u8)(VTD_CAP_NFR(caps->cap) + 1);
	m->cfg.psi = !!(caps->cap & VTD_CAP_PSI);
	m->cfg.sp_2m = !!(VTD_CAP_SLLPS(caps->cap) & VTD_CAP_SLLPS_2M);
	m->cfg.sp_1g = !!(VTD_CAP_SLLPS(caps->cap) & VTD_CAP_SLLPS_1G);
	m->cfg.dev_tlb = !!(caps->ecap & VTD_ECAP_DT);
	m->cfg.dit = !!(caps->ecap & VTD_ECAP_DIT);
	/* QEMU's IOTLB: 1024 entries, any entry anywhere. */
	m->cfg.iotlb_entries = 1024;
	m->cfg.iotlb_ways = 1024;
	/* QEMU has no paging-structure caches. */
	for (i = 0; i < VTD_PSC_LEVELS; i++)
		m->cfg.psc_entries[i] = 0;
	m->hw.name = "model";
	m->hw.ctx = m;
	m->hw.mem_r64 = m_mem_r64;
	m->hw.mem_r32 = m_mem_r32;
	m->hw.mem_r64_n = m_mem_r64_n;
	m->hw.mem_w64 = m_mem_w64;
	m->hw.mem_zero = m_mem_zero;
	m->hw.reg_r64 = m_reg_r64;
	m->hw.reg_r32 = m_reg_r32;
	m->hw.reg_r_n = m_reg_r_n;
	m->hw.reg_w64 = m_reg_w64;
	m->hw.reg_w32 = m_reg_w32;
	m->hw.set_context = m_set_context;
	m->hw.dma = m_dma;
	m->hw.reset = m_reset;
	m->hw.alive = m_alive;
	m_reset(m);
	if (!m->u)
		goto fail;
	m->hw.frcd = (u32)VTD_CAP_FRO(vtd_reg_read64(m->u, VTD_REG_CAP)) * 16;
	return &m->hw;
fail:
	fprintf(stderr, "xsmmu-vtd-diff: cannot set up the model\n");
	model_hw_destroy(&m->hw);
	return NULL;
}

void model_hw_destroy(struct hw *h)
{
	struct model_hw *m = h ? h->ctx : NULL;

	if (!m)
		return;
	if (m->u)
		vtd_unit_destroy(m->u);
	if (m->pm)
		xs_physmem_destroy(m->pm);
	free(m);
}
