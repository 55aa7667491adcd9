/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test-only builds that put the seed design's defects back, one per
 * build (-DXSMMU_MUTANT=n), so the ordering fuzzer can show it finds
 * each. The mutations live in the model's copies of the 5.15 files, at
 * the places the patch's pieces are spliced in; src/kernel itself never
 * changes. The normal build has XSMMU_MUTANT 0.
 */
#ifndef XSMMU_MUTANT_H
#define XSMMU_MUTANT_H

#ifndef XSMMU_MUTANT
#define XSMMU_MUTANT 0
#endif

/* The no-sync unmap frees the IOVA (and drops the tables) at once. */
#define XSMMU_MUTANT_IOVA_EARLY			1
/* TX queue cleanup frees each skb inside the loop, syncs after it. */
#define XSMMU_MUTANT_CLEANUP_FREE_EARLY		2
/* mlx5e_free_rq() frees the pending array without the last flush. */
#define XSMMU_MUTANT_RX_TEARDOWN_LEAK		3
/* The domain sync does nothing (the seed on a non-Intel IOMMU). */
#define XSMMU_MUTANT_SYNC_NOOP			4
/* qi_submit_sync() returns without waiting for the status write. */
#define XSMMU_MUTANT_QI_NO_WAIT			5
/* The NIC pipeline's F1 data check passes whatever it is given. */
#define XSMMU_MUTANT_F1_CHECK_OFF		6
/*
 * The RX release hands a page back (page_pool or stack) right after its
 * no-sync unmap, before any sync covers it.
 */
#define XSMMU_MUTANT_RX_FREE_BEFORE_SYNC	7
/*
 * qi_submit_sync() queues its wait descriptor without the status-write
 * flag: the hardware completes it silently and the submitter's spin only
 * ends when the model sees the hardware idle (S5).
 */
#define XSMMU_MUTANT_QI_NO_STATUS_WRITE		8
/*
 * The no-sync unmap gives the IOVA back at once; the range stays in the
 * batch, is invalidated by the next sync, and the page is freed after it.
 */
#define XSMMU_MUTANT_IOVA_EARLY_INVALIDATED	9
/*
 * The no-sync unmap frees the page-table pages it emptied at once; the
 * IOVA stays held and the sync still drops the paging-structure caches.
 */
#define XSMMU_MUTANT_TABLE_EARLY		10

/*
 * The domain sync (5.15's intel_flush_iotlb_all(), which the patch's
 * domain sync calls) invalidates on the first unit the domain is
 * attached to and skips the others.
 */
#define XSMMU_MUTANT_DOMAIN_SYNC_FIRST_UNIT_ONLY	20
/* The domain sync uses the domain's id on unit 0 on every unit. */
#define XSMMU_MUTANT_DOMAIN_SYNC_UNIT0_DID	21

/*
 * mlx5e_alloc_rq() allocates the RX pending array before its last error
 * exit (the seed's place): a failing xdp_rxq_info_reg_mem_model() leaks it.
 */
#define XSMMU_MUTANT_RX_PENDING_ALLOC_EARLY	50
#define XSMMU_MUTANT__COUNT			11

#endif
