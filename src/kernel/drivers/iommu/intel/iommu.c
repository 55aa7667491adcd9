// SPDX-License-Identifier: GPL-2.0-only
/* Piece of drivers/iommu/intel/iommu.c, placed after intel_flush_iotlb_all()
 * by MANIFEST.json; xsmmu-export drops this header.
 */

/* The smallest address mask whose aligned block holds [start, end]. */
static unsigned int intel_psi_mask(u64 start, u64 end)
{
	unsigned int mask = 0;

	while ((start >> (VTD_PAGE_SHIFT + mask)) !=
	       (end >> (VTD_PAGE_SHIFT + mask)))
		mask++;
	return mask;
}

/*
 * Descriptors queued before one wait: 512 bytes of stack (a 32-bit
 * build warns from 1 KiB on), and at most four waits for the most ranges
 * the DMA layer syncs one by one (64).
 */
#define INTEL_SYNC_RANGES_CHUNK	16

/* Every range fits one page-selective descriptor on this IOMMU. */
static bool intel_ranges_fit(struct intel_iommu *iommu,
			     struct iommu_iotlb_gather *ranges,
			     unsigned int nr)
{
	unsigned int i;

	if (!iommu->qi || !cap_pgsel_inv(iommu->cap))
		return false;
	for (i = 0; i < nr; i++)
		if (intel_psi_mask(ranges[i].start, ranges[i].end) >
		    cap_max_amask_val(iommu->cap))
			return false;
	return true;
}

/*
 * Invalidate just the given ranges of the domain: one page-selective
 * descriptor per range, a chunk of them queued before a single wait, on
 * every IOMMU the domain is attached to. Hot translations outside the
 * ranges stay cached. A range whose unmap freed no page-table page
 * carries the invalidation hint, so the paging-structure caches stay
 * too; one that freed page-table pages does not, so they are dropped
 * before those pages are released.
 *
 * Where this cannot be done exactly (first-level domains, devices with
 * device-TLBs, no queued invalidation, no page-selective invalidation, a
 * range beyond the largest address mask) the whole domain is flushed.
 */
static void intel_iommu_sync_iotlb_ranges(struct iommu_domain *domain,
					  struct iommu_iotlb_gather *ranges,
					  unsigned int nr)
{
	struct dmar_domain *dmar_domain = to_dmar_domain(domain);
	struct qi_desc desc[INTEL_SYNC_RANGES_CHUNK];
	unsigned int i, n, mask;
	u64 addr;
	int idx;

	if (domain_use_first_level(dmar_domain) ||
	    dmar_domain->has_iotlb_device) {
		intel_flush_iotlb_all(domain);
		return;
	}
	for_each_domain_iommu(idx, dmar_domain) {
		struct intel_iommu *iommu = g_iommus[idx];
		u16 did = dmar_domain->iommu_did[iommu->seq_id];

		if (!intel_ranges_fit(iommu, ranges, nr)) {
			iommu->flush.flush_iotlb(iommu, did, 0, 0,
						 DMA_TLB_DSI_FLUSH);
			continue;
		}
		for (i = 0, n = 0; i < nr; i++) {
			mask = intel_psi_mask(ranges[i].start, ranges[i].end);
			addr = ranges[i].start &
			       ~((1ULL << (VTD_PAGE_SHIFT + mask)) - 1);
			desc[n].qw0 = QI_IOTLB_DID(did) |
				      QI_IOTLB_DR(cap_read_drain(iommu->cap)) |
				      QI_IOTLB_DW(cap_write_drain(iommu->cap)) |
				      QI_IOTLB_GRAN(DMA_TLB_PSI_FLUSH) |
				      QI_IOTLB_TYPE;
			desc[n].qw1 = QI_IOTLB_ADDR(addr) |
				      QI_IOTLB_IH(!ranges[i].freelist) |
				      QI_IOTLB_AM(mask);
			desc[n].qw2 = 0;
			desc[n].qw3 = 0;
			if (++n == INTEL_SYNC_RANGES_CHUNK || i + 1 == nr) {
				qi_submit_sync(iommu, desc, n, 0);
				n = 0;
			}
		}
	}
}
