// SPDX-License-Identifier: GPL-2.0
/* Creating a unit: capability registers from the config, empty caches. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vtd_internal.h"
#include <xsmmu/model_lock.h>
#include <xsmmu/zbuf.h>

#define VTD_NR_SID	65536

void vtd_unit_config_default(struct vtd_unit_config *cfg,
			     const struct xs_params *p)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->mamv = (u8)xs_param(p, XS_P_CAP_MAMV);
	cfg->nfr = (u8)(xs_param(p, XS_P_CAP_NFR) > 255 ?
				255 : xs_param(p, XS_P_CAP_NFR));
	cfg->psi = true;
	cfg->sp_2m = true;
	cfg->sp_1g = false;
	cfg->dev_tlb = true;
	cfg->dit = true;
	cfg->iotlb_entries = (u32)xs_param(p, XS_P_IOTLB_ENTRIES);
	cfg->iotlb_ways = (u32)xs_param(p, XS_P_IOTLB_WAYS);
	cfg->psc_entries[VTD_PSC_PDE] = (u32)xs_param(p, XS_P_PSC_PDE_ENTRIES);
	cfg->psc_entries[VTD_PSC_PDPE] =
		(u32)xs_param(p, XS_P_PSC_PDPE_ENTRIES);
	cfg->psc_entries[VTD_PSC_PML4E] =
		(u32)xs_param(p, XS_P_PSC_PML4E_ENTRIES);
	cfg->psi_ih_keeps_psc = xs_param(p, XS_P_PSI_IH_KEEPS_PSC) != 0;
	cfg->psi_ih0_psc_domain = xs_param(p, XS_P_PSI_IH0_PSC_DOMAIN) != 0;
}

static u64 make_cap(const struct vtd_unit_config *c)
{
	u64 sllps = (c->sp_2m ? VTD_CAP_SLLPS_2M : 0) |
		    (c->sp_1g ? VTD_CAP_SLLPS_1G : 0);

	return XS_FIELD_PREP(6, 2, 0) |		/* ND: 64K domain ids */
	       XS_FIELD_PREP(VTD_CAP_SAGAW_4LVL, 12, 8) |
	       XS_FIELD_PREP(VTD_AGAW_BITS - 1, 21, 16) |
	       XS_FIELD_PREP(VTD_FRCD_REG_BASE / 16, 33, 24) |
	       XS_FIELD_PREP(sllps, 37, 34) | (c->psi ? VTD_CAP_PSI : 0) |
	       XS_FIELD_PREP(c->nfr - 1, 47, 40) |
	       XS_FIELD_PREP(c->mamv, 53, 48) | VTD_CAP_DWD | VTD_CAP_DRD;
}

static u64 make_ecap(const struct vtd_unit_config *c)
{
	return VTD_ECAP_C | VTD_ECAP_QI | (c->dev_tlb ? VTD_ECAP_DT : 0) |
	       (c->dit ? VTD_ECAP_DIT : 0) |
	       VTD_ECAP_PT | XS_FIELD_PREP(VTD_IOTLB_REG_BASE / 16, 17, 8);
}

struct vtd_unit *vtd_unit_create(const struct vtd_unit_config *cfg,
				 struct xs_physmem *pm, struct xs_clock *clk,
				 const struct xs_params *params,
				 struct xs_trace *trace)
{
	struct vtd_unit *u;
	int i;

	if (!cfg->nfr || cfg->mamv > 63 || !cfg->iotlb_ways ||
	    cfg->iotlb_entries % cfg->iotlb_ways) {
		fprintf(stderr,
			"vtd: bad unit config (nfr %u, mamv %u, iotlb %u/%u)\n",
			cfg->nfr, cfg->mamv, cfg->iotlb_entries,
			cfg->iotlb_ways);
		return NULL;
	}
	u = calloc(1, sizeof(*u));
	if (!u)
		return NULL;
	u->cfg = *cfg;
	u->pm = pm;
	u->clk = clk;
	u->params = params;
	u->trace = trace;
	u->cap = make_cap(cfg);
	u->ecap = make_ecap(cfg);
	u->frcd = calloc(cfg->nfr, sizeof(*u->frcd));
	u->ctx = xs_zbuf_alloc(VTD_NR_SID * sizeof(*u->ctx));
	if (!u->frcd || !u->ctx ||
	    vtd_iotlb_init(&u->iotlb, cfg->iotlb_entries, cfg->iotlb_ways))
		goto fail;
	for (i = 0; i < VTD_PSC_LEVELS; i++)
		if (vtd_psc_init(&u->psc[i], cfg->psc_entries[i]))
			goto fail;
	u->iq.shift = VTD_IQ_SHIFT_128;
	u->iq.entries = 256;
	return u;
fail:
	vtd_unit_destroy(u);
	return NULL;
}

void vtd_unit_destroy(struct vtd_unit *u)
{
	int i;

	if (!u)
		return;
	for (i = 0; i < VTD_PSC_LEVELS; i++)
		vtd_psc_fini(&u->psc[i]);
	vtd_iotlb_fini(&u->iotlb);
	xs_zbuf_free(u->ctx, VTD_NR_SID * sizeof(*u->ctx),
		     u->ctx_dirty * sizeof(*u->ctx));
	free(u->frcd);
	free(u);
}

unsigned int vtd_unit_id(const struct vtd_unit *u)
{
	return u->cfg.id;
}

/* Context entries are written below ctx_dirty only (zbuf.h). */
static void ctx_touch(struct vtd_unit *u, u16 sid)
{
	if ((u32)sid >= u->ctx_dirty)
		u->ctx_dirty = (u32)sid + 1;
}

int vtd_context_set(struct vtd_unit *u, u16 sid, u16 did, u64 slpt_phys)
{
	XS_MODEL_GUARD();
	ctx_touch(u, sid);
	if (slpt_phys & ~XS_PAGE_MASK)
		return -1;
	u->ctx[sid].present = true;
	u->ctx[sid].passthrough = false;
	u->ctx[sid].did = did;
	u->ctx[sid].slpt = slpt_phys;
	return 0;
}

int vtd_context_set_passthrough(struct vtd_unit *u, u16 sid, u16 did)
{
	XS_MODEL_GUARD();
	ctx_touch(u, sid);
	if (!(vtd_reg_read64(u, VTD_REG_ECAP) & VTD_ECAP_PT))
		return -1;
	u->ctx[sid].present = true;
	u->ctx[sid].passthrough = true;
	u->ctx[sid].did = did;
	u->ctx[sid].slpt = 0;
	return 0;
}

void vtd_context_clear(struct vtd_unit *u, u16 sid)
{
	XS_MODEL_GUARD();
	ctx_touch(u, sid);
	u->ctx[sid].present = false;
}

void vtd_set_devtlb_behaviour(struct vtd_unit *u, u16 sid,
			      enum vtd_devtlb_behaviour b)
{
	ctx_touch(u, sid);
	u->ctx[sid].devtlb = (u8)b;
}

void vtd_set_observer(struct vtd_unit *u, const struct vtd_observer *obs)
{
	if (obs)
		u->obs = *obs;
	else
		memset(&u->obs, 0, sizeof(u->obs));
}

const struct vtd_stats *vtd_stats(const struct vtd_unit *u)
{
	return &u->stats;
}

void vtd_stats_reset(struct vtd_unit *u)
{
	memset(&u->stats, 0, sizeof(u->stats));
}
