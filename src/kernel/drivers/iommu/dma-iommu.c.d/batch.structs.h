/*
 * Batched unmap. A no-sync unmap in a domain whose driver opted in clears
 * the page tables at once but keeps its IOVA range and the page-table
 * pages it freed here, in the domain, until a sync has invalidated them
 * and the hardware has reported completion; only then are they released.
 */
struct iommu_dma_batch_entry {
	dma_addr_t		iova;
	size_t			size;
	struct page		*freelist;
	u64			seq;	/* syncs started before the unmap */
};

struct iommu_dma_batch {
	spinlock_t		lock;	/* entries, count, syncs_started */
	/* One sync of the domain at a time: a CPU that waits here finds
	 * the unmaps it wanted covered already released.
	 */
	spinlock_t		sync_lock;
	u64			syncs_started;
	u64			syncs_completed;	/* under sync_lock */
	unsigned int		count;
	unsigned int		size;
	struct iommu_iotlb_gather *ranges;	/* under sync_lock */
	struct iommu_dma_batch_entry entries[];
};

