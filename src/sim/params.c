// SPDX-License-Identifier: GPL-2.0
/*
 * The parameter table. Every value has its source next to it; "assumption"
 * marks values no public measurement pins down (docs/calibration.md says
 * what each was checked against).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <xsmmu/params.h>

#define P(id, n, d, lo, hi, u, src) \
	[id] = { .name = n, .def = d, .min = lo, .max = hi, .unit = u, \
		 .source = src }

static const struct xs_param_info table[XS_P__COUNT] = {
	P(XS_P_MMIO_WRITE_NS, "mmio_write_ns", 100, 0, 1000000, "ns",
	  "assumption: one uncached posted write to a device register"),
	P(XS_P_STATUS_POLL_NS, "status_poll_ns", 20, 1, 1000000, "ns",
	  "assumption: one iteration of the qi_submit_sync() spin"),
	P(XS_P_IQ_DESC_FETCH_NS, "iq_desc_fetch_ns", 10, 0, 1000000, "ns",
	  "assumption: hardware fetch of one 16-byte descriptor"),
	P(XS_P_INV_CC_NS, "inv_cc_ns", 400, 0, 100000000, "ns",
	  "assumption: context-cache invalidation, same order as IOTLB"),
	/*
	 * dmar_perf_latency (Linux >= 5.14 debugfs) times the whole
	 * qi_submit_sync() round trip; the one published dump (QEMU docs,
	 * Sapphire Rapids) has 70% of IOTLB invalidations in 0.1-1 us, the
	 * rest in 1-10 us, max < 2 us. How a round trip splits between the
	 * invalidation and the wait is not published; the split below
	 * (assumption) gives 680 ns from the sync call to its return.
	 */
	P(XS_P_INV_IOTLB_GLOBAL_NS, "inv_iotlb_global_ns", 250, 0, 100000000,
	  "ns", "assumption: share of the < 1 us round trip (server)"),
	P(XS_P_INV_IOTLB_DSI_NS, "inv_iotlb_dsi_ns", 200, 0, 100000000, "ns",
	  "assumption: share of the < 1 us round trip (server)"),
	P(XS_P_INV_IOTLB_PSI_NS, "inv_iotlb_psi_ns", 150, 0, 100000000, "ns",
	  "assumption: share of the < 1 us round trip (server)"),
	P(XS_P_INV_DEVTLB_NS, "inv_devtlb_ns", 2000, 0, 100000000, "ns",
	  "assumption: ATS invalidation request/completion over PCIe"),
	P(XS_P_INV_IEC_NS, "inv_iec_ns", 400, 0, 100000000, "ns",
	  "assumption: interrupt-entry-cache invalidation"),
	P(XS_P_INV_WAIT_NS, "inv_wait_ns", 400, 0, 100000000, "ns",
	  "assumption: drain and status write, rest of the round trip"),
	P(XS_P_DEVTLB_TIMEOUT_NS, "devtlb_timeout_ns", 1000000, 1,
	  10000000000ULL, "ns",
	  "assumption: ATS invalidation completion time-out (ITE)"),
	P(XS_P_CPU_PKT_TX_NS, "cpu_pkt_tx_ns", 250, 0, 100000000, "ns",
	  "assumption: driver xmit and completion work per packet, no IOMMU"),
	P(XS_P_CPU_PKT_RX_NS, "cpu_pkt_rx_ns", 250, 0, 100000000, "ns",
	  "assumption: driver receive work per packet, no IOMMU"),
	P(XS_P_CPU_DMA_MAP_NS, "cpu_dma_map_ns", 80, 0, 100000000, "ns",
	  "assumption: IOVA allocation and page-table update per mapping"),
	P(XS_P_CPU_DMA_UNMAP_NS, "cpu_dma_unmap_ns", 60, 0, 100000000, "ns",
	  "assumption: page-table clear per unmapping (invalidation apart)"),
	P(XS_P_IOTLB_HIT_NS, "iotlb_hit_ns", 5, 0, 1000000, "ns",
	  "assumption: IOTLB lookup on a hit"),
	P(XS_P_WALK_READ_NS, "walk_read_ns", 197, 0, 1000000, "ns",
	  "F&S (SOSP 2024) throughput model: lm = 197 ns per memory read"),
	P(XS_P_IOTLB_ENTRIES, "iotlb_entries", 256, 1, 1 << 20, "entries",
	  "assumption: unpublished; 64 guessed for older Xeons "
	  "(Neugebauer et al. SIGCOMM 2018), 'as small as 256' (netdev 2023)"),
	P(XS_P_IOTLB_WAYS, "iotlb_ways", 8, 1, 64, "ways",
	  "assumption"),
	P(XS_P_PSC_PML4E_ENTRIES, "psc_pml4e_entries", 8, 1, 4096, "entries",
	  "assumption: unpublished (F&S estimate 64-128 per level)"),
	P(XS_P_PSC_PDPE_ENTRIES, "psc_pdpe_entries", 16, 1, 4096, "entries",
	  "assumption: unpublished (F&S estimate 64-128 per level)"),
	P(XS_P_PSC_PDE_ENTRIES, "psc_pde_entries", 32, 1, 4096, "entries",
	  "assumption: unpublished (F&S estimate 64-128 per level)"),
	P(XS_P_PSI_IH_KEEPS_PSC, "psi_ih_keeps_psc", 1, 0, 1, "bool",
	  "VT-d spec: IH=1 lets hardware keep the paging-structure caches; "
	  "F&S (SOSP 2024) measured PSC misses after strict unmaps on "
	  "Cascade Lake (0: drop them on every PSI)"),
	P(XS_P_CAP_MAMV, "cap_mamv", 18, 0, 63, "log2(pages)",
	  "assumption: MAMV=18 as Xeon CAP registers commonly report"),
	P(XS_P_CAP_NFR, "cap_nfr", 8, 1, 255, "records",
	  "assumption: number of fault recording registers"),
	P(XS_P_PHYS_FRAMES, "phys_frames", 1 << 18, 4096, 1ULL << 26, "frames",
	  "simulated memory size (1 GiB by default), backed on demand"),
	P(XS_P_LINK_GBPS, "link_gbps", 100, 1, 100000, "Gb/s",
	  "the port's rate (100 GbE, the ConnectX-5 of F&S): the modelled "
	  "throughput's first bound"),
	P(XS_P_PSI_IH0_PSC_DOMAIN, "psi_ih0_psc_domain", 0, 0, 1, "bool",
	  "VT-d IVA_REG.IH: a PSI with IH=0 must drop the PSC "
	  "entries over the block (0); 1: every PSC entry of the domain, as "
	  "the Xeon E7 v2 datasheet vol. 2 (2014) s14.7.30 describes; none "
	  "found for Cascade Lake (docs/calibration.md)"),
	P(XS_P_IOVA_AGE, "iova_age", 0, 0, 100000000, "operations",
	  "choice: IOVA alloc/free churn on the NIC's domain before traffic "
	  "(src/dma_api/iova_age.c recipe), scattering IOVAs as on a "
	  "long-running system (F&S: PDE misses); 0: a fresh allocator"),
};

#undef P

void xs_params_init(struct xs_params *p)
{
	int i;

	for (i = 0; i < XS_P__COUNT; i++)
		p->v[i] = table[i].def;
}

const struct xs_param_info *xs_param_info(enum xs_param_id id)
{
	if ((unsigned int)id >= XS_P__COUNT)
		return NULL;
	return &table[id];
}

int xs_param_lookup(const char *name)
{
	int i;

	for (i = 0; i < XS_P__COUNT; i++)
		if (!strcmp(table[i].name, name))
			return i;
	return -1;
}

int xs_params_set(struct xs_params *p, const char *assignment, char *err,
		  size_t errlen)
{
	const char *eq = strchr(assignment, '=');
	char name[64];
	unsigned long long v;
	char *end;
	size_t n;
	int id;

	if (!eq || eq == assignment) {
		snprintf(err, errlen, "'%s': expected name=value", assignment);
		return -1;
	}
	n = (size_t)(eq - assignment);
	if (n >= sizeof(name)) {
		snprintf(err, errlen, "'%s': name too long", assignment);
		return -1;
	}
	memcpy(name, assignment, n);
	name[n] = '\0';
	id = xs_param_lookup(name);
	if (id < 0) {
		snprintf(err, errlen, "unknown parameter '%s'", name);
		return -1;
	}
	errno = 0;
	if (eq[1] == '\0' || eq[1] == '-') {
		snprintf(err, errlen, "%s: '%s' is not a non-negative number",
			 name, eq + 1);
		return -1;
	}
	v = strtoull(eq + 1, &end, 10);
	if (errno || *end != '\0') {
		snprintf(err, errlen, "%s: '%s' is not a non-negative number",
			 name, eq + 1);
		return -1;
	}
	if (v < table[id].min || v > table[id].max) {
		snprintf(err, errlen,
			 "%s: %llu out of range [%" PRIu64 ", %" PRIu64 "]",
			 name, v, table[id].min, table[id].max);
		return -1;
	}
	p->v[id] = v;
	return 0;
}

int xs_params_check(const struct xs_params *p, char *err, size_t errlen)
{
	if (p->v[XS_P_IOTLB_ENTRIES] % p->v[XS_P_IOTLB_WAYS]) {
		snprintf(err, errlen,
			 "iotlb_entries (%" PRIu64 ") must be a multiple of iotlb_ways (%" PRIu64 ")",
			 p->v[XS_P_IOTLB_ENTRIES], p->v[XS_P_IOTLB_WAYS]);
		return -1;
	}
	return 0;
}

int xs_params_print(FILE *f, const struct xs_params *p)
{
	int i;

	for (i = 0; i < XS_P__COUNT; i++)
		fprintf(f, "%-22s %12" PRIu64 " %-18s %s\n", table[i].name,
			p->v[i], table[i].unit, table[i].source);
	return ferror(f) ? -1 : 0;
}
