// SPDX-License-Identifier: GPL-2.0
/*
 * The safety oracle (see include/xsmmu/oracle.h): exact reverse counts
 * per frame from the hardware model's observer and the driver's page
 * table updates, checked on every event.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/intel-iommu.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <xsmmu/kworld.h>
#include <xsmmu/oracle.h>
#include <xsmmu/zbuf.h>
#include <xsmmu/vtd.h>
#include <xsmmu/model_lock.h>

#define MAX_WAITS	64

struct pending_wait {
	u64 phys;
	unsigned int unit;
	bool used;
	bool done;
	bool reported;		/* already an S5 at issue: not again */
};

struct xs_oracle {
	struct xs_kworld *w;
	u64 nr_frames;
	u64 dirty;		/* frames at and above are untouched */
	u32 *iotlb_refs;	/* IOTLB entries translating to the frame */
	/*
	 * Present entries of live page-table pages pointing at the frame:
	 * leaf PTEs for a data page, parent links for a table page. Read
	 * from the table memory itself (a watched frame), not from what
	 * the driver says it mapped.
	 */
	u32 *pte_refs;
	u32 *psc_refs;		/* PSC entries pointing into the frame */
	/* Per live table page: the target's generation, entry by entry. */
	u32 **slot_gen;
	u64 live_tables;
	u64 *exposed_since;	/* 1 + free time while still reachable */
	u32 *exposed_gen;	/* generation of the frame when freed */
	u32 *stale;		/* translations of the freed generation */
	u64 count[XS_INV__COUNT];
	bool fatal;
	FILE *out;
	bool have_first;
	struct xs_violation first;
	bool have_first_of[XS_INV__COUNT];
	struct xs_violation first_of[XS_INV__COUNT];
	u64 expect_left[XS_INV__COUNT];
	struct xs_exposure exp;
	struct pending_wait waits[MAX_WAITS];
	unsigned int waits_hi;	/* slots at and above never used */
};

static const char *const inv_names[XS_INV__COUNT] = {
	[XS_S1] = "S1 (device access to a free or reassigned page)",
	[XS_S2] = "S2 (page freed or reused while still translatable)",
	[XS_S3] = "S3 (IOVA handed out while an IOTLB entry for it exists)",
	[XS_S4] = "S4 (page-table page freed while a paging-structure cache points into it)",
	[XS_S5] = "S5 (sync returned before the hardware completed)",
	[XS_L1] = "L1 (leak)",
	[XS_F1] = "F1 (data integrity)",
	[XS_W] = "W (kernel WARN)",
};

const char *xs_invariant_name(enum xs_invariant inv)
{
	return (unsigned int)inv < XS_INV__COUNT ? inv_names[inv] : "?";
}

static const char *const inv_keys[XS_INV__COUNT] = {
	[XS_S1] = "S1", [XS_S2] = "S2", [XS_S3] = "S3", [XS_S4] = "S4",
	[XS_S5] = "S5", [XS_L1] = "L1", [XS_F1] = "F1", [XS_W] = "W",
};

const char *xs_invariant_key(enum xs_invariant inv)
{
	return (unsigned int)inv < XS_INV__COUNT ? inv_keys[inv] : "?";
}

void xs_oracle_report(struct xs_oracle *o, enum xs_invariant inv, int unit,
		      int did, u64 iova, u64 pfn, const char *fmt, ...)
{
	XS_MODEL_GUARD();
	struct xs_kworld *w = o->w;
	struct xs_violation v = {
		.inv = inv, .time = xs_clock_now(&w->clock), .cpu = smp_processor_id(),
		.unit = unit, .did = did, .iova = iova, .pfn = pfn,
		.owner = pfn && pfn < o->nr_frames ? w->pages[pfn].xs_owner :
						       NULL,
	};
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(v.detail, sizeof(v.detail), fmt, ap);
	va_end(ap);
	if (o->expect_left[inv]) {
		/* A test provoked it on purpose and said so. */
		o->expect_left[inv]--;
		if (o->out)
			fprintf(o->out, "xsmmu oracle: expected %s: %s\n",
				xs_invariant_name(inv), v.detail);
		return;
	}
	xs_trace_emit(&w->trace, xs_clock_now(&w->clock), XS_TR_KW_VIOLATION, 0, v.cpu,
		      inv, pfn, iova);
	if (!o->have_first) {
		o->first = v;
		o->have_first = true;
	}
	if (!o->have_first_of[inv]) {
		o->first_of[inv] = v;
		o->have_first_of[inv] = true;
	}
	/* Unsafe modes violate on purpose: print each invariant once. */
	if (o->out && (o->fatal || o->count[inv] == 0)) {
		fprintf(o->out,
			"xsmmu oracle: %s violated: %s\n"
			"  pfn %#llx owner %s, iova %#llx, domain id %d, unit %d, cpu %u, time %llu ns\n"
			"  replay with seed %llu; last hardware and kernel events:\n",
			xs_invariant_name(inv), v.detail,
			(unsigned long long)pfn, v.owner ? v.owner : "-",
			(unsigned long long)iova, did, unit, v.cpu,
			(unsigned long long)v.time,
			(unsigned long long)w->seed);
		xs_trace_dump(&w->trace, o->out, 16);
	}
	o->count[inv]++;
	if (o->fatal)
		xs_kernel_bug(__FILE__, __LINE__, xs_invariant_name(inv));
}

/* ---- exposure ---- */

/*
 * A window opens when a frame is freed (or recycled to a new owner) while
 * translations to it exist, and closes when the last translation of the
 * freed generation is gone: every IOTLB entry, paging-structure-cache
 * entry and present page-table entry carries the generation its frame had
 * when it was made, and only those of the freed generation (or older)
 * count. Translations the new owner makes after the frame was handed out
 * again (a new generation) neither keep the window open nor close it.
 */
static bool gen_stale(const struct xs_oracle *o, u64 pfn, u32 gen)
{
	return o->exposed_since[pfn] && (s32)(gen - o->exposed_gen[pfn]) <= 0;
}

static void exposure_open(struct xs_oracle *o, u64 pfn)
{
	o->exposed_gen[pfn] = xs_physmem_generation(o->w->pm, pfn);
	o->stale[pfn] = o->iotlb_refs[pfn] + o->pte_refs[pfn] +
			o->psc_refs[pfn];
	if (o->exposed_since[pfn])
		return;
	o->exposed_since[pfn] = xs_clock_now(&o->w->clock) + 1;
	o->exp.exposed++;
	o->exp.open++;
}

/* A translation of the freed generation appeared after the free. */
static void exposure_grow(struct xs_oracle *o, u64 pfn, u32 gen)
{
	if (gen_stale(o, pfn, gen))
		o->stale[pfn]++;
}

/* A translation went: the window closes with the last stale one. */
static void exposure_shrink(struct xs_oracle *o, u64 pfn, u32 gen)
{
	u64 win;

	if (!gen_stale(o, pfn, gen))
		return;
	if (o->stale[pfn])
		o->stale[pfn]--;
	if (o->stale[pfn])
		return;
	win = xs_clock_now(&o->w->clock) - (o->exposed_since[pfn] - 1);
	o->exposed_since[pfn] = 0;
	o->exp.open--;
	o->exp.closed++;
	o->exp.total_ns += win;
	if (win > o->exp.max_ns)
		o->exp.max_ns = win;
}

void xs_oracle_exposure(const struct xs_oracle *o, struct xs_exposure *out)
{
	XS_MODEL_GUARD();
	*out = o->exp;
}

/* ---- hardware observer ---- */

/*
 * Every per-frame counter is reached through here (or through a page
 * being freed, below the memory's high water): the tables are recycled
 * with only the part below the highest frame seen cleared.
 */
static bool frame_ok(struct xs_oracle *o, u64 pfn)
{
	if (pfn >= o->nr_frames)
		return false;
	if (pfn >= o->dirty)
		o->dirty = pfn + 1;
	return true;
}

static void obs_iotlb_fill(void *ctx, struct vtd_unit *u, u16 did, u64 iova,
			   u64 phys, u8 level, u32 gen)
{
	struct xs_oracle *o = ctx;
	u64 pfn = phys >> PAGE_SHIFT;

	if (!frame_ok(o, pfn))
		return;
	o->iotlb_refs[pfn]++;
	exposure_grow(o, pfn, gen);
}

static void obs_iotlb_drop(void *ctx, struct vtd_unit *u, u16 did, u64 iova,
			   u64 phys, u8 level, u32 gen)
{
	struct xs_oracle *o = ctx;
	u64 pfn = phys >> PAGE_SHIFT;

	if (!frame_ok(o, pfn) || WARN_ON(!o->iotlb_refs[pfn]))
		return;
	o->iotlb_refs[pfn]--;
	exposure_shrink(o, pfn, gen);
}

static void obs_psc_fill(void *ctx, struct vtd_unit *u, u16 did, u64 iova,
			 u64 table_phys, enum vtd_psc_level level, u32 gen)
{
	struct xs_oracle *o = ctx;
	u64 pfn = table_phys >> PAGE_SHIFT;

	if (!frame_ok(o, pfn))
		return;
	o->psc_refs[pfn]++;
	exposure_grow(o, pfn, gen);
}

static void obs_psc_drop(void *ctx, struct vtd_unit *u, u16 did, u64 iova,
			 u64 table_phys, enum vtd_psc_level level, u32 gen)
{
	struct xs_oracle *o = ctx;
	u64 pfn = table_phys >> PAGE_SHIFT;

	if (!frame_ok(o, pfn) || WARN_ON(!o->psc_refs[pfn]))
		return;
	o->psc_refs[pfn]--;
	exposure_shrink(o, pfn, gen);
}

static void check_access(struct xs_oracle *o, int unit, int did, u64 iova,
			 u64 phys, bool write, u32 map_gen)
{
	u64 pfn = phys >> PAGE_SHIFT;
	struct page *page;

	if (!frame_ok(o, pfn))
		return;
	page = &o->w->pages[pfn];
	if (page->xs_state != XS_PAGE_ALLOCATED)
		xs_oracle_report(o, XS_S1, unit, did, iova, pfn,
				 "device %s a free page", write ? "writes" :
				 "reads");
	else if (xs_physmem_generation(o->w->pm, pfn) != map_gen)
		xs_oracle_report(o, XS_S1, unit, did, iova, pfn,
				 "device %s a page freed and reallocated since the translation was made (generation %u, now %u)",
				 write ? "writes" : "reads", map_gen,
				 xs_physmem_generation(o->w->pm, pfn));
}

static void obs_dma(void *ctx, struct vtd_unit *u, u16 sid, u16 did,
		    u64 iova, u64 phys, u32 len, bool write, u32 map_gen)
{
	check_access(ctx, (int)vtd_unit_id(u), did, iova, phys, write,
		     map_gen);
}

void xs_oracle_direct_access(struct xs_oracle *o, u64 phys, bool write)
{
	XS_MODEL_GUARD();
	check_access(o, -1, -1, phys, phys, write,
		     xs_physmem_generation(o->w->pm, phys >> PAGE_SHIFT));
}

static void obs_wait_done(void *ctx, struct vtd_unit *u, u64 status_addr,
			  u32 data)
{
	struct xs_oracle *o = ctx;
	unsigned int i, unit = vtd_unit_id(u);

	for (i = 0; i < o->waits_hi; i++)
		if (o->waits[i].used && o->waits[i].unit == unit &&
		    o->waits[i].phys == status_addr)
			o->waits[i].done = true;
}

/* ---- kernel-world events ---- */

/*
 * Page-table memory. Second-level entries are present when R or W is set
 * (spec 9.8); the address field names the next table or, in a leaf, the
 * page. The model's driver maps 4 KiB leaves only, so a present entry
 * always stands for one frame (a superpage would stand for 512 or more:
 * not counted, and said so in docs/oracle.md).
 */
static bool entry_present(u64 e)
{
	return e & VTD_SL_RW;
}

static u64 entry_pfn(u64 e)
{
	return (e & VTD_SL_ADDR_MASK) >> PAGE_SHIFT;
}

static void entry_added(struct xs_oracle *o, u64 table_pfn, unsigned int i,
			u64 e)
{
	u64 pfn = entry_pfn(e);
	u32 gen;

	if (!frame_ok(o, pfn))
		return;
	gen = xs_physmem_generation(o->w->pm, pfn);
	o->slot_gen[table_pfn][i] = gen;
	o->pte_refs[pfn]++;
	exposure_grow(o, pfn, gen);
}

static void entry_removed(struct xs_oracle *o, u64 table_pfn, unsigned int i,
			  u64 e)
{
	u64 pfn = entry_pfn(e);

	if (!frame_ok(o, pfn) || WARN_ON(!o->pte_refs[pfn]))
		return;
	o->pte_refs[pfn]--;
	exposure_shrink(o, pfn, o->slot_gen[table_pfn][i]);
}

/* Every write that changes a word of a live page-table page. */
static void obs_table_word(void *ctx, u64 phys, u64 old, u64 val)
{
	struct xs_oracle *o = ctx;
	u64 table_pfn = phys >> PAGE_SHIFT;
	unsigned int i = (unsigned int)((phys & ~PAGE_MASK) / 8);

	if (!frame_ok(o, table_pfn) || WARN_ON(!o->slot_gen[table_pfn]))
		return;
	if (entry_present(old))
		entry_removed(o, table_pfn, i, old);
	if (entry_present(val))
		entry_added(o, table_pfn, i, val);
}

void xs_oracle_table_page(struct xs_oracle *o, u64 pfn, bool live)
{
	XS_MODEL_GUARD();
	unsigned int i, leaves;
	u64 *host;

	if (!frame_ok(o, pfn) || !o->slot_gen[pfn] == !live)
		return;
	host = xs_physmem_host(o->w->pm, pfn);
	if (live) {
		o->slot_gen[pfn] = calloc(PAGE_SIZE / 8, sizeof(u32));
		if (WARN_ON(!o->slot_gen[pfn]))
			return;
		o->live_tables++;
		for (i = 0; i < PAGE_SIZE / 8; i++)
			if (entry_present(host[i]))
				entry_added(o, pfn, i, host[i]);
		xs_physmem_watch(o->w->pm, pfn, true);
		return;
	}
	/*
	 * A table no longer walked: its entries stop translating. Leaf
	 * entries still present in it are mappings nobody unmapped (L1),
	 * whatever the driver's own bookkeeping says.
	 */
	xs_physmem_watch(o->w->pm, pfn, false);
	for (i = 0, leaves = 0; i < PAGE_SIZE / 8; i++) {
		if (!entry_present(host[i]))
			continue;
		if (frame_ok(o, entry_pfn(host[i])) &&
		    o->w->pages[entry_pfn(host[i])].xs_kind ==
		    XS_PAGE_KIND_DATA)
			leaves++;
		entry_removed(o, pfn, i, host[i]);
	}
	if (leaves)
		xs_oracle_report(o, XS_L1, -1, -1, 0, pfn,
				 "page-table page released with %u present leaf entries (mappings never unmapped)",
				 leaves);
	free(o->slot_gen[pfn]);
	o->slot_gen[pfn] = NULL;
	o->live_tables--;
}

static void check_release(struct xs_oracle *o, struct page *page,
			  const char *how)
{
	u64 pfn = page->xs_pfn;

	if (page->xs_kind == XS_PAGE_KIND_PGTABLE) {
		if (o->psc_refs[pfn] || o->pte_refs[pfn]) {
			xs_oracle_report(o, XS_S4, -1, -1, 0, pfn,
					 "page-table page %s while %u paging-structure-cache entries point into it and %u table entries still link to it",
					 how, o->psc_refs[pfn], o->pte_refs[pfn]);
			exposure_open(o, pfn);
		}
		return;
	}
	if (page->xs_kind != XS_PAGE_KIND_DATA)
		return;
	if (o->iotlb_refs[pfn] || o->pte_refs[pfn]) {
		xs_oracle_report(o, XS_S2, -1, -1, 0, pfn,
				 "page %s while %u IOTLB entries and %u present PTEs translate to it",
				 how, o->iotlb_refs[pfn], o->pte_refs[pfn]);
		exposure_open(o, pfn);
	}
}

void xs_oracle_page_free(struct xs_oracle *o, struct page *page)
{
	XS_MODEL_GUARD();
	check_release(o, page, "freed");
	if (page->xs_kind == XS_PAGE_KIND_PGTABLE)
		xs_oracle_table_page(o, page->xs_pfn, false);
}

void xs_oracle_page_reuse(struct xs_oracle *o, struct page *page,
			  const char *how)
{
	XS_MODEL_GUARD();
	check_release(o, page, how);
}

void xs_oracle_iova_alloc(struct xs_oracle *o, struct iommu_domain *domain,
			  u64 iova, u64 size)
{
	XS_MODEL_GUARD();
	struct dmar_domain *dmar_domain = to_dmar_domain(domain);
	struct vtd_iotlb_view v;
	u64 off;
	int idx;

	for_each_domain_iommu(idx, dmar_domain) {
		u16 did = dmar_domain->iommu_did[idx];

		for (off = 0; off < size; off += PAGE_SIZE) {
			if (!vtd_iotlb_probe(g_iommus[idx]->xs_unit, did,
					     iova + off, &v))
				continue;
			xs_oracle_report(o, XS_S3, idx, did, iova + off,
					 v.phys >> PAGE_SHIFT,
					 "IOVA %#llx handed out again while the IOTLB still translates it to pfn %#llx",
					 (unsigned long long)(iova + off),
					 (unsigned long long)(v.phys >> PAGE_SHIFT));
			return;
		}
	}
}

void xs_oracle_wait_issued(struct xs_oracle *o, unsigned int unit,
			   u64 desc_phys)
{
	XS_MODEL_GUARD();
	u64 qw0 = xs_physmem_read64(o->w->pm, desc_phys);
	u64 qw1 = xs_physmem_read64(o->w->pm, desc_phys + 8);
	u64 status_phys = VTD_WAIT_ADDR(qw1);
	bool bad = false;
	unsigned int i;

	if (VTD_DESC_TYPE_LO(qw0) != VTD_DESC_WAIT ||
	    VTD_DESC_TYPE_HI(qw0)) {
		xs_oracle_report(o, XS_S5, (int)unit, -1, 0,
				 desc_phys >> PAGE_SHIFT,
				 "the wait queued at %#llx is not a wait descriptor (qw0 %#llx)",
				 (unsigned long long)desc_phys,
				 (unsigned long long)qw0);
		bad = true;
	} else if (!(qw0 & VTD_WAIT_SW)) {
		xs_oracle_report(o, XS_S5, (int)unit, -1, 0,
				 status_phys >> PAGE_SHIFT,
				 "wait descriptor at %#llx queued without the status write: its completion can never be seen (qw0 %#llx)",
				 (unsigned long long)desc_phys,
				 (unsigned long long)qw0);
		bad = true;
	}
	for (i = 0; i < MAX_WAITS; i++) {
		if (!o->waits[i].used) {
			o->waits[i] = (struct pending_wait) {
				.phys = status_phys, .unit = unit,
				.used = true, .reported = bad,
			};
			if (i >= o->waits_hi)
				o->waits_hi = i + 1;
			return;
		}
	}
	WARN_ON(1);	/* more waits in flight than any submitter makes */
}

static struct pending_wait *find_wait(struct xs_oracle *o, unsigned int unit,
				      u64 status_phys)
{
	unsigned int i;

	for (i = 0; i < o->waits_hi; i++) {
		struct pending_wait *pw = &o->waits[i];

		if (pw->used && pw->unit == unit && pw->phys == status_phys)
			return pw;
	}
	return NULL;
}

void xs_oracle_wait_returned(struct xs_oracle *o, unsigned int unit,
			     u64 status_phys)
{
	XS_MODEL_GUARD();
	struct pending_wait *pw = find_wait(o, unit, status_phys);

	if (!pw) {
		xs_oracle_report(o, XS_S5, (int)unit, -1, 0,
				 status_phys >> PAGE_SHIFT,
				 "sync returned for a wait that was never issued (%#llx)",
				 (unsigned long long)status_phys);
		return;
	}
	pw->used = false;
	if (!pw->done && !pw->reported)
		xs_oracle_report(o, XS_S5, (int)unit, -1, 0,
				 status_phys >> PAGE_SHIFT,
				 "sync returned before the wait descriptor's status write at %#llx",
				 (unsigned long long)status_phys);
}

void xs_oracle_wait_aborted(struct xs_oracle *o, unsigned int unit,
			    u64 status_phys)
{
	XS_MODEL_GUARD();
	struct pending_wait *pw = find_wait(o, unit, status_phys);

	if (pw)
		pw->used = false;
}

void xs_oracle_check_data(struct xs_oracle *o, const char *what,
			  const void *expect, const void *got, size_t len,
			  u64 iova)
{
	XS_MODEL_GUARD();
	const u8 *a = expect, *b = got;
	size_t i;

	if (!memcmp(expect, got, len))
		return;
	for (i = 0; i < len; i++) {
		if (a[i] == b[i])
			continue;
		xs_oracle_report(o, XS_F1, -1, -1, iova + i, 0,
				 "%s: byte %zu of %zu is %#x, expected %#x",
				 what, i, len, b[i], a[i]);
		return;
	}
}

/* ---- lifetime and queries ---- */

static const struct vtd_observer observer_ops = {
	.iotlb_fill = obs_iotlb_fill,
	.iotlb_drop = obs_iotlb_drop,
	.psc_fill = obs_psc_fill,
	.psc_drop = obs_psc_drop,
	.dma = obs_dma,
	.wait_done = obs_wait_done,
};

void xs_oracle_attach_unit(struct xs_oracle *o, struct vtd_unit *u)
{
	struct vtd_observer obs = observer_ops;

	obs.ctx = o;
	vtd_set_observer(u, &obs);
}

struct xs_oracle *xs_oracle_create(struct xs_kworld *w)
{
	struct xs_oracle *o = calloc(1, sizeof(*o));

	if (!o)
		return NULL;
	o->w = w;
	o->nr_frames = w->nr_frames;
	o->out = stderr;
	o->fatal = true;
	o->iotlb_refs = xs_zbuf_alloc(w->nr_frames * sizeof(u32));
	o->pte_refs = xs_zbuf_alloc(w->nr_frames * sizeof(u32));
	o->psc_refs = xs_zbuf_alloc(w->nr_frames * sizeof(u32));
	o->exposed_since = xs_zbuf_alloc(w->nr_frames * sizeof(u64));
	o->exposed_gen = xs_zbuf_alloc(w->nr_frames * sizeof(u32));
	o->stale = xs_zbuf_alloc(w->nr_frames * sizeof(u32));
	o->slot_gen = xs_zbuf_alloc(w->nr_frames * sizeof(u32 *));
	if (!o->iotlb_refs || !o->pte_refs || !o->psc_refs ||
	    !o->exposed_since || !o->exposed_gen || !o->stale ||
	    !o->slot_gen) {
		xs_oracle_destroy(o);
		return NULL;
	}
	xs_physmem_set_watcher(w->pm, obs_table_word, o);
	return o;
}

/* Give a per-frame table back, cleared below the frames touched. */
static void frames_free(struct xs_oracle *o, void *table, size_t elem)
{
	xs_zbuf_free(table, o->nr_frames * elem, o->dirty * elem);
}

void xs_oracle_destroy(struct xs_oracle *o)
{
	u64 pfn;

	if (!o)
		return;
	/* Pages freed: below the memory's high water. */
	pfn = xs_physmem_high_water(o->w->pm);
	if (o->dirty < pfn)
		o->dirty = pfn;
	if (o->slot_gen) {
		for (pfn = 0; o->live_tables && pfn < o->dirty; pfn++) {
			if (!o->slot_gen[pfn])
				continue;
			free(o->slot_gen[pfn]);
			o->slot_gen[pfn] = NULL;
			o->live_tables--;
		}
		frames_free(o, o->slot_gen, sizeof(u32 *));
		xs_physmem_set_watcher(o->w->pm, NULL, NULL);
	}
	frames_free(o, o->iotlb_refs, sizeof(u32));
	frames_free(o, o->pte_refs, sizeof(u32));
	frames_free(o, o->psc_refs, sizeof(u32));
	frames_free(o, o->exposed_since, sizeof(u64));
	frames_free(o, o->exposed_gen, sizeof(u32));
	frames_free(o, o->stale, sizeof(u32));
	free(o);
}

void xs_oracle_set_fatal(struct xs_oracle *o, bool fatal)
{
	o->fatal = fatal;
}

void xs_oracle_set_output(struct xs_oracle *o, FILE *f)
{
	o->out = f;
}

u64 xs_oracle_count(const struct xs_oracle *o, enum xs_invariant inv)
{
	XS_MODEL_GUARD();
	return o->count[inv];
}

u64 xs_oracle_total(const struct xs_oracle *o)
{
	XS_MODEL_GUARD();
	u64 n = 0;
	int i;

	for (i = 0; i < XS_INV__COUNT; i++)
		n += o->count[i];
	return n;
}

const struct xs_violation *xs_oracle_first(const struct xs_oracle *o)
{
	return o->have_first ? &o->first : NULL;
}

const struct xs_violation *xs_oracle_first_of(const struct xs_oracle *o,
					      enum xs_invariant inv)
{
	return o->have_first_of[inv] ? &o->first_of[inv] : NULL;
}

void xs_oracle_expect(struct xs_oracle *o, enum xs_invariant inv, u64 n)
{
	XS_MODEL_GUARD();
	o->expect_left[inv] = n;
}

u64 xs_oracle_expected_left(const struct xs_oracle *o, enum xs_invariant inv)
{
	XS_MODEL_GUARD();
	return o->expect_left[inv];
}

void xs_oracle_reset_counts(struct xs_oracle *o)
{
	memset(o->count, 0, sizeof(o->count));
	o->have_first = false;
	memset(o->have_first_of, 0, sizeof(o->have_first_of));
}

size_t xs_oracle_bytes_per_frame(void)
{
	/*
	 * iotlb, pte, psc, stale counts, exposed generation, start time, the
	 * table pointer (plus 2 KiB per live page-table page)
	 */
	return 5 * sizeof(u32) + sizeof(u64) + sizeof(u32 *);
}

u32 xs_oracle_iotlb_refs(const struct xs_oracle *o, u64 pfn)
{
	return pfn < o->nr_frames ? o->iotlb_refs[pfn] : 0;
}

u32 xs_oracle_pte_refs(const struct xs_oracle *o, u64 pfn)
{
	return pfn < o->nr_frames ? o->pte_refs[pfn] : 0;
}

u32 xs_oracle_psc_refs(const struct xs_oracle *o, u64 pfn)
{
	return pfn < o->nr_frames ? o->psc_refs[pfn] : 0;
}
