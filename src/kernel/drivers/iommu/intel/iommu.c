// SPDX-License-Identifier: GPL-2.0-only
/* Piece of drivers/iommu/intel/iommu.c, placed after intel_flush_iotlb_all()
 * by MANIFEST.json; xsmmu-export drops this header.
 */

/*
 * Invalidate every IOTLB entry of the domain, on every IOMMU it is
 * attached to with that IOMMU's domain id, and the device-TLBs behind
 * them, and return after the hardware reported completion. This is the
 * flush the IOVA flush queue already uses, so first-level domains
 * (PASID-based invalidation), register-based invalidation and ATS are
 * covered the same way.
 *
 * The invalidation hint is not used: it is defined for page-selective
 * invalidation only and hardware ignores it for a domain-selective one,
 * which drops the domain's paging-structure caches in any case. That is
 * also required here: the unmaps this sync completes may have freed
 * page-table pages, which are released only after it returns.
 */
static void intel_iommu_sync_domain_iotlb(struct iommu_domain *domain)
{
	intel_flush_iotlb_all(domain);
}
