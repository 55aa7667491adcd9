// SPDX-License-Identifier: GPL-2.0
/*
 * Benchmarks of the simulator itself: simulated packets per second per
 * mode with the oracle on, IOTLB lookups and page walks per second,
 * invalidation descriptors processed per second, and memory per
 * simulated page, per IOTLB entry, and peak RSS of the default run.
 */
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include <linux/mm_types.h>
#include <xsmmu/oracle.h>
#include <xsmmu/physmem.h>
#include <xsmmu/run.h>
#include <xsmmu/vtd.h>
#include <xsmmu/vtd_pgtable.h>

#include "bench.h"

/* The default run of each mode, 20000 packets per iteration. */
static void bench_sim_packets(struct xs_bench *b, long mode)
{
	struct xs_run_config cfg;
	struct xs_run_result r;
	double pkts = 0;

	memset(&cfg, 0, sizeof(cfg));
	xs_profile_lookup("mtu", &cfg.profile);
	cfg.mode = (enum xs_mode)mode;
	cfg.packets = 20000;
	cfg.channels = 4;
	cfg.seed = 1;
	while (xs_bench_running(b)) {
		xs_run(&cfg, &r);
		pkts += (double)r.packets;
	}
	xs_bench_counter(b, "sim_packets", pkts, 1);
}

struct unit_fx {
	struct xs_params params;
	struct xs_physmem *pm;
	struct xs_clock clk;
	struct vtd_unit *u;
	struct vtd_pgtable pt;
	u64 iq;
	u32 tail;
};

static u64 alloc_table(void *ctx)
{
	return xs_physmem_alloc_frame(((struct unit_fx *)ctx)->pm);
}

static void unit_setup(struct unit_fx *f, u64 pages)
{
	struct vtd_unit_config cfg;

	memset(f, 0, sizeof(*f));
	xs_params_init(&f->params);
	f->pm = xs_physmem_create(1 << 18);
	vtd_unit_config_default(&cfg, &f->params);
	f->u = vtd_unit_create(&cfg, f->pm, &f->clk, &f->params, NULL);
	vtd_pgtable_init(&f->pt, f->pm, alloc_table, f);
	vtd_pgtable_map(&f->pt, 0x100000, 0x100000, pages << 12, VTD_SL_RW,
			VTD_PG_4K);
	vtd_context_set(f->u, 0x10, 1, f->pt.root);
	f->iq = xs_physmem_alloc_frame(f->pm) << 12;
	vtd_reg_write64(f->u, VTD_REG_IQA, f->iq);
	vtd_reg_write32(f->u, VTD_REG_GCMD, (u32)(VTD_GCMD_QIE | VTD_GCMD_TE));
}

static void unit_teardown(struct unit_fx *f)
{
	vtd_unit_destroy(f->u);
	xs_physmem_destroy(f->pm);
}

/* Translations: arg pages touched round robin (64: hits, 4096: walks). */
static void bench_translate(struct xs_bench *b, long pages)
{
	struct vtd_xlate xl;
	struct unit_fx f;
	double n = 0;
	u64 i = 0;

	unit_setup(&f, (u64)pages);
	while (xs_bench_running(b)) {
		int k;

		for (k = 0; k < 1024; k++, i++)
			vtd_translate(f.u, 0x10, 0x100000 + ((i % pages) << 12),
				      false, &xl);
		n += 1024;
	}
	xs_bench_counter(b, "translations", n, 1);
	xs_bench_counter(b, "walk_reads_per_translation",
			 (double)vtd_stats(f.u)->walk_reads / n, 0);
	unit_teardown(&f);
}

/* Invalidation descriptors: 63 page-selective + 1 wait per round. */
static void bench_descriptors(struct xs_bench *b, long unused)
{
	struct unit_fx f;
	double n = 0;
	int k;

	unit_setup(&f, 64);
	while (xs_bench_running(b)) {
		for (k = 0; k < 64; k++) {
			struct vtd_desc d = k < 63 ?
				vtd_desc_iotlb(VTD_IOTLB_PSI, 1,
					       0x100000 + ((u64)k << 12), 0, true,
					       false, false) :
				vtd_desc_wait(true, false, false, 1, f.iq + 4064);
			u64 a = f.iq + ((u64)(f.tail % 256) << 4);

			xs_physmem_write64(f.pm, a, d.qw0);
			xs_physmem_write64(f.pm, a + 8, d.qw1);
			f.tail++;
		}
		vtd_reg_write64(f.u, VTD_REG_IQT, (u64)(f.tail % 256) << 4);
		vtd_iq_drain(f.u);
		n += 64;
	}
	xs_bench_counter(b, "descriptors", n, 1);
	unit_teardown(&f);
}

/* Memory: per page and per IOTLB entry, and the default run's RSS. */
static void bench_memory(struct xs_bench *b, long unused)
{
	struct xs_run_config cfg;
	struct xs_run_result r;
	struct rusage ru;
	int m;

	while (xs_bench_running(b)) {
		memset(&cfg, 0, sizeof(cfg));
		xs_profile_lookup("mtu", &cfg.profile);
		cfg.packets = 200000;
		cfg.channels = 4;
		cfg.seed = 1;
		for (m = 0; m < XS_MODE__COUNT; m++) {
			cfg.mode = (enum xs_mode)m;
			xs_run(&cfg, &r);
		}
	}
	getrusage(RUSAGE_SELF, &ru);
	/* Per simulated page: struct page, frame bookkeeping, the oracle. */
	xs_bench_counter(b, "bytes_per_page_meta",
			 (double)(sizeof(struct page) +
				  xs_physmem_bytes_per_frame() +
				  xs_oracle_bytes_per_frame()), 0);
	xs_bench_counter(b, "bytes_per_iotlb_entry",
			 (double)vtd_iotlb_entry_bytes(), 0);
	xs_bench_counter(b, "peak_rss_MiB", ru.ru_maxrss / 1024.0, 0);
}

void xs_bench_register_all(void)
{
	int m;
	char name[64];
	static char names[XS_MODE__COUNT][64];

	for (m = 0; m < XS_MODE__COUNT; m++) {
		snprintf(name, sizeof(name), "sim_packets/%s", xs_mode_name(m));
		strcpy(names[m], name);
		xs_bench_register(names[m], bench_sim_packets, m, 0);
	}
	xs_bench_register("translate/iotlb_hit", bench_translate, 64, 0);
	xs_bench_register("translate/walk", bench_translate, 65536, 0);
	xs_bench_register("descriptors/psi_batch_of_63", bench_descriptors, 0,
			  0);
	xs_bench_register("memory/default_run", bench_memory, 0, 1);
	xs_bench_register_fuzz();
}
