// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel world: builds the machine (memory, clock, trace, VT-d units
 * under the 5.15-style driver, the oracle), creates devices with their
 * default DMA domains the way the IOMMU core does at probe time, and
 * checks at teardown that everything handed out came back (L1).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/dma-iommu.h>
#include <linux/init.h>
#include <linux/intel-iommu.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <xsmmu/kworld.h>
#include <xsmmu/oracle.h>
#include <xsmmu/zbuf.h>

#include "dma_debug.h"
#include "dma_iommu_internal.h"
#include "kworld_internal.h"
#include <xsmmu/model_lock.h>

struct xs_kworld *xs_kw;

/* The defaults of the boot parameters the kernel world knows. */
#define XS_KWORLD_DEFAULT_CMDLINE \
	"iommu.strict=0 iommu.xsmmu=0 iommu.xsmmu_max_ranges=8 " \
	"iommu.xsmmu_coalesce=0"

/* The IOMMU driver behind new DMA domains. */
static const struct iommu_ops *domain_ops = &intel_iommu_ops;

static const char *const kw_trace_names[] = {
	"kw_map", "kw_unmap", "kw_sync", "kw_page_free", "kw_iova_alloc",
	"kw_iova_free", "kw_fq_flush", "kw_violation",
};

/* Their arguments (as in xsmmu/kworld.h). */
static const char *const kw_trace_fields[] = {
	"sid iova phys", "sid iova size", "unit did gran", "pfn kind -",
	"did iova size", "did iova size", "reason - -", "inv pfn iova",
};

/* A violation's invariant by its key (S2), not its index. */
static const char *kw_trace_invariant(u64 inv)
{
	return xs_invariant_key((enum xs_invariant)inv);
}

void xs_kworld_default_config(struct xs_kworld_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->nr_units = 1;
	cfg->nr_cpus = 1;
	cfg->phys_frames = 1 << 16;
	cfg->trace_records = 4096;
	cfg->seed = 1;
	cfg->queued_invalidation = true;
}

struct xs_kworld *xs_kworld_create(const struct xs_kworld_config *cfg)
{
	struct xs_kworld *w;
	unsigned int i;

	if (xs_kw) {
		fprintf(stderr, "xsmmu: a kernel world already exists\n");
		return NULL;
	}
	if (cfg->nr_units > XS_ARRAY_SIZE(w->units) || !cfg->nr_cpus ||
	    cfg->nr_cpus > XS_MAX_CPUS) {
		fprintf(stderr, "xsmmu: bad world config (units %u, cpus %u)\n",
			cfg->nr_units, cfg->nr_cpus);
		return NULL;
	}
	w = calloc(1, sizeof(*w));
	if (!w)
		return NULL;
	w->kmalloc_base = xs_kmalloc_outstanding();
	if (cfg->params)
		w->params = *cfg->params;
	else
		xs_params_init(&w->params);
	w->seed = cfg->seed;
	w->nr_frames = cfg->phys_frames;
	w->pm = xs_physmem_create(cfg->phys_frames);
	w->pages = xs_zbuf_alloc(cfg->phys_frames * sizeof(*w->pages));
	if (!w->pm || !w->pages ||
	    xs_trace_init(&w->trace, cfg->trace_records))
		goto err;
	for (i = 0; i < XS_ARRAY_SIZE(kw_trace_names); i++)
		xs_trace_fields(&w->trace, XS_TR_KW_MAP + i, kw_trace_fields[i],
				i == XS_TR_KW_VIOLATION - XS_TR_KW_MAP ?
				kw_trace_invariant : NULL);
	for (i = 0; i < XS_ARRAY_SIZE(kw_trace_names); i++)
		xs_trace_name(&w->trace, XS_TR_KW_MAP + i, kw_trace_names[i]);
	xs_kw = w;
	xs_kernel_warn_once_reset();	/* a new boot */
	xs_dma_iommu_boot();
	if (cfg->threaded) {
		w->trace.on = false;
		__atomic_store_n(&xs_model_threaded, true, __ATOMIC_RELEASE);
	}
	/* Boot: every parameter back to its default, then the command line. */
	if (xs_kernel_cmdline(XS_KWORLD_DEFAULT_CMDLINE) ||
	    (cfg->cmdline && xs_kernel_cmdline(cfg->cmdline)))
		goto err;
	xs_set_nr_cpus(cfg->nr_cpus);
	xs_cpu_set_current(0);
	w->oracle = xs_oracle_create(w);
	if (!w->oracle)
		goto err;
	for (i = 0; i < cfg->nr_units; i++) {
		struct vtd_unit_config ucfg;

		vtd_unit_config_default(&ucfg, &w->params);
		ucfg.id = i;
		if (cfg->unit_config)
			cfg->unit_config(i, &ucfg);
		w->units[i] = vtd_unit_create(&ucfg, w->pm, &w->clock,
					      &w->params, &w->trace);
		if (!w->units[i])
			goto err;
		w->nr_units++;
		xs_oracle_attach_unit(w->oracle, w->units[i]);
		if (xs_intel_iommu_add(w->units[i],
				       cfg->queued_invalidation &&
				       !(cfg->no_qi_units & (1u << i))) !=
		    (int)i)
			goto err;
	}
	return w;
err:
	fprintf(stderr, "xsmmu: cannot create the kernel world\n");
	xs_kworld_destroy(w);
	return NULL;
}

static u64 check_leaks(struct xs_kworld *w)
{
	static const char *const kinds[] = { "data", "page-table", "queue" };
	u64 leaks = 0, pfn;
	unsigned int k, shown;
	long km;

	for (k = 0; k < 3; k++) {
		if (!w->pages_out[k])
			continue;
		leaks++;
		xs_oracle_report(w->oracle, XS_L1, -1, -1, 0, 0,
				 "%llu %s pages never freed",
				 (unsigned long long)w->pages_out[k], kinds[k]);
		for (pfn = 1, shown = 0; pfn < w->nr_frames && shown < 4;
		     pfn++) {
			struct page *p = &w->pages[pfn];

			if (p->xs_state != XS_PAGE_ALLOCATED || p->xs_kind != k)
				continue;
			fprintf(stderr, "  leaked: pfn %#llx owner %s refcount %d\n",
				(unsigned long long)pfn, p->xs_owner,
				p->_refcount.counter);
			shown++;
		}
	}
	km = xs_kmalloc_outstanding() - w->kmalloc_base;
	if (km) {
		leaks++;
		xs_oracle_report(w->oracle, XS_L1, -1, -1, 0, 0,
				 "%ld kmalloc objects never freed", km);
	}
	return leaks;
}

u64 xs_kworld_destroy(struct xs_kworld *w)
{
	u64 leaks = 0;
	unsigned int i;

	if (!w)
		return 0;
	xs_intel_iommu_remove_all();
	/* Red zones of what is still allocated: a write past its end is a W. */
	xs_kmalloc_check_redzones();
	if (w->oracle) {
		/* Leaks are counted, not fatal: the caller asserts them. */
		xs_oracle_set_fatal(w->oracle, false);
		leaks = xs_swiotlb_teardown();
		leaks += check_leaks(w);
	}
	for (i = 0; i < w->nr_units; i++)
		vtd_unit_destroy(w->units[i]);
	xs_oracle_destroy(w->oracle);
	w->oracle = NULL;
	xs_trace_destroy(&w->trace);
	/*
	 * Pages are written through alloc_pages() (below the memory's high
	 * water) and pfn_to_page() (below pages_dirty) only.
	 */
	if (w->pm && w->pages_dirty < xs_physmem_high_water(w->pm))
		w->pages_dirty = xs_physmem_high_water(w->pm);
	if (!w->pm)
		w->pages_dirty = w->nr_frames;
	xs_physmem_destroy(w->pm);
	xs_zbuf_free(w->pages, w->nr_frames * sizeof(*w->pages),
		     w->pages_dirty * sizeof(*w->pages));
	if (xs_kw == w)
		xs_kw = NULL;
	__atomic_store_n(&xs_model_threaded, false, __ATOMIC_RELEASE);
	xs_iommu_reset_boot_state();
	domain_ops = &intel_iommu_ops;
	free(w);
	return leaks;
}

/* Kept reachable so a leak checker does not report them. */
static struct xs_kworld *abandoned_world;

void xs_kworld_abandon(struct xs_kworld *w)
{
	if (!w)
		return;
	xs_model_lock_release_all();
	xs_intel_iommu_forget_all();
	xs_swiotlb_forget();
	if (xs_kw == w)
		xs_kw = NULL;
	__atomic_store_n(&xs_model_threaded, false, __ATOMIC_RELEASE);
	xs_iommu_reset_boot_state();
	domain_ops = &intel_iommu_ops;
	w->next_abandoned = abandoned_world;
	abandoned_world = w;
}

void xs_kworld_advance(struct xs_kworld *w, u64 ns)
{
	u64 end = xs_clock_now(&w->clock) + ns;

	/* Step tick by tick so a timer runs at its own expiry time. */
	while (xs_clock_now(&w->clock) < end) {
		u64 step = XS_NS_PER_JIFFY - xs_clock_now(&w->clock) % XS_NS_PER_JIFFY;

		if (xs_clock_now(&w->clock) + step > end)
			step = end - xs_clock_now(&w->clock);
		xs_clock_advance(&w->clock, step);
		if (w->timers)
			xs_kworld_run_timers(w);
	}
}

u64 xs_kworld_now(const struct xs_kworld *w)
{
	return xs_clock_now(&w->clock);
}

/* ---- devices ---- */

static struct iommu_domain identity_domain = {
	.type = IOMMU_DOMAIN_IDENTITY,
};

void xs_kworld_set_domain_ops(const struct iommu_ops *ops)
{
	domain_ops = ops ? ops : &intel_iommu_ops;
}

static struct iommu_domain *dma_domain_alloc(unsigned int type)
{
	struct iommu_domain *domain = domain_ops->domain_alloc(type);

	if (!domain)
		return NULL;
	domain->ops = domain_ops;
	domain->type = type;
	domain->pgsize_bitmap = domain_ops->pgsize_bitmap;
	if (iommu_get_dma_cookie(domain)) {
		domain->ops->domain_free(domain);
		return NULL;
	}
	return domain;
}

static void dma_domain_free(struct iommu_domain *domain)
{
	iommu_put_dma_cookie(domain);
	domain->ops->domain_free(domain);
}

static bool domain_has_devices(struct iommu_domain *domain)
{
	return !list_empty(&to_dmar_domain(domain)->devices);
}

static void device_leave_domain(struct device *dev)
{
	struct iommu_domain *domain = dev->xs_domain;

	if (!domain)
		return;
	dev->xs_domain = NULL;
	dev->dma_ops = NULL;
	if (domain == &identity_domain) {
		vtd_context_clear(dev->xs_iommu->xs_unit, dev->xs_sid);
		return;
	}
	domain->ops->detach_dev(domain, dev);
	if (!domain_has_devices(domain))
		dma_domain_free(domain);
}

static int device_enter_domain(struct device *dev,
			       struct iommu_domain *domain)
{
	int ret;

	if (domain == &identity_domain) {
		dev->xs_domain = domain;
		dev->dma_ops = NULL;	/* iommu=pt: dma-direct */
		return vtd_context_set_passthrough(dev->xs_iommu->xs_unit,
						   dev->xs_sid, 0) ? -ENODEV :
								     0;
	}
	ret = domain->ops->attach_dev(domain, dev);
	if (ret)
		return ret;
	dev->xs_domain = domain;
	iommu_setup_dma_ops(dev, 0, *dev->dma_mask);
	return 0;
}

/* A coherent device with a 64-bit DMA mask, in no domain yet. */
static struct device *device_alloc(const char *name, u16 sid)
{
	struct device *dev = kzalloc(sizeof(*dev), GFP_KERNEL);

	if (!dev)
		return NULL;
	dev->init_name = name;
	dev->xs_sid = sid;
	dev->dma_coherent = true;
	dma_set_mask(dev, DMA_BIT_MASK(64));
	dev->coherent_dma_mask = DMA_BIT_MASK(64);
	return dev;
}

struct device *xs_device_create(const char *name, u16 sid, int unit,
				unsigned int domain_type)
{
	struct xs_kworld *w = xs_kw;
	struct iommu_domain *domain;
	struct device *dev;

	if (!w || unit >= (int)w->nr_units)
		return NULL;
	dev = device_alloc(name, sid);
	if (!dev)
		return NULL;
	if (unit < 0)
		return dev;	/* no IOMMU: dma-direct */
	dev->xs_iommu = g_iommus[unit];
	if (!domain_type)
		domain_type = xs_iommu_dma_strict() ? IOMMU_DOMAIN_DMA :
						      IOMMU_DOMAIN_DMA_FQ;
	if (domain_type == IOMMU_DOMAIN_IDENTITY)
		domain = &identity_domain;
	else
		domain = dma_domain_alloc(domain_type);
	if (!domain || device_enter_domain(dev, domain)) {
		if (domain && domain != &identity_domain &&
		    !domain_has_devices(domain))
			dma_domain_free(domain);
		kfree(dev);
		return NULL;
	}
	return dev;
}

struct device *xs_device_create_in(const char *name, u16 sid, int unit,
				   struct device *other)
{
	struct iommu_domain *domain = other->xs_domain;
	struct device *dev;

	if (!xs_kw || unit < 0 || unit >= (int)xs_kw->nr_units || !domain ||
	    domain == &identity_domain)
		return NULL;
	dev = device_alloc(name, sid);
	if (!dev)
		return NULL;
	dev->xs_iommu = g_iommus[unit];
	if (device_enter_domain(dev, domain)) {
		kfree(dev);
		return NULL;
	}
	return dev;
}

int xs_device_join(struct device *dev, struct device *other)
{
	struct iommu_domain *domain = other->xs_domain;

	if (!dev->xs_iommu || !domain || domain == &identity_domain)
		return -EINVAL;
	if (dev->xs_domain == domain)
		return 0;
	if (xs_device_live_mappings(dev))
		return -EBUSY;
	device_leave_domain(dev);
	return device_enter_domain(dev, domain);
}

void xs_device_enable_ats(struct device *dev, u16 qdep)
{
	xs_intel_enable_ats(dev, qdep);
}

unsigned long xs_device_live_mappings(struct device *dev)
{
	return xs_dma_debug_live(dev, false);
}

bool xs_device_iova_page_live(struct device *dev, u64 addr)
{
	struct iommu_domain *domain;

	if (xs_dma_debug_page_live(dev, addr))
		return true;
	/*
	 * A domain shared with devices behind other units hands an IOVA
	 * the device's driver gave back to another device's mapping: the
	 * page tables say whether anyone has it now.
	 */
	domain = iommu_get_domain_for_dev(dev);
	return domain && domain->type != IOMMU_DOMAIN_IDENTITY &&
	       iommu_iova_to_phys(domain, addr & PAGE_MASK) != 0;
}

void xs_device_batch_state(struct device *dev, unsigned int *held,
			   unsigned int *size)
{
	struct iommu_domain *domain = dev->xs_domain;
	struct iommu_dma_batch *batch = NULL;

	if (domain && domain != &identity_domain && domain->iova_cookie)
		batch = domain->iova_cookie->batch;
	*held = batch ? READ_ONCE(batch->count) : 0;
	*size = batch ? batch->size : 0;
}

void xs_device_destroy(struct device *dev)
{
	unsigned long live;

	if (!dev)
		return;
	live = xs_dma_debug_live(dev, true);
	if (live) {
		struct xs_dma_map_rec rec;

		xs_oracle_report(xs_kw->oracle, XS_L1, -1, -1, 0, 0,
				 "%s: %lu DMA mappings never unmapped",
				 dev_name(dev), live);
		/* Reported; now undo them so the rest stays consistent. */
		while (xs_dma_debug_pop(dev, &rec))
			if (dev->dma_ops && dev->dma_ops->unmap_page)
				dev->dma_ops->unmap_page(dev, rec.addr,
							 rec.size, rec.dir, 0);
	}
	xs_dma_debug_free(dev);
	if (dev->xs_iommu)
		device_leave_domain(dev);
	kfree(dev);
}

int xs_device_dma(struct device *dev, u64 addr, void *buf, size_t len,
		  bool write)
{
	XS_MODEL_GUARD();
	struct xs_kworld *w = xs_kw;
	u8 *p = buf;

	if (dev->xs_iommu)
		return vtd_dma(dev->xs_iommu->xs_unit, dev->xs_sid, addr, buf,
			       len, write);
	while (len) {
		size_t n = PAGE_SIZE - (addr & ~PAGE_MASK);
		int r;

		if (n > len)
			n = len;
		xs_oracle_direct_access(w->oracle, addr, write);
		r = write ? xs_physmem_write(w->pm, addr, p, n) :
			    xs_physmem_read(w->pm, addr, p, n);
		if (r)
			return -EFAULT;
		addr += n;
		p += n;
		len -= n;
	}
	return 0;
}
