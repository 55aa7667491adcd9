/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A generic DMA client of the patch's API, for the model: a driver with
 * buffers from one page up to 4 MiB (physically contiguous blocks from
 * alloc_pages(), as a storage or accelerator driver has them), mapped
 * with dma_map_page() or dma_map_single(), written by its device through
 * the IOMMU, unmapped with dma_unmap_page_no_sync() and freed only after
 * a dma_sync_device_iotlb(). Mappings of 2 MiB and more empty whole
 * page-table spans, so their unmaps free page-table pages: the path the
 * NIC's one-page buffers never take. Its device can also be malicious
 * and read IOVAs it was once given.
 */
#ifndef XS_DMA_CLIENT_H
#define XS_DMA_CLIENT_H

#include <linux/dma-mapping.h>
#include <linux/mm.h>

#define XS_DMA_CLIENT_BUFS	8
#define XS_DMA_CLIENT_SEEN	256

enum xs_dma_buf_state {
	XS_DMA_BUF_FREE,
	XS_DMA_BUF_MAPPED,
	XS_DMA_BUF_UNMAPPED,	/* no-sync unmapped, waits for the sync */
};

struct xs_dma_buf {
	enum xs_dma_buf_state state;
	struct page *page;	/* first page of the block */
	unsigned int order;
	u32 offset;		/* of the mapping in the block */
	u32 len;		/* bytes mapped */
	dma_addr_t addr;
	u32 id;			/* the device's pattern */
	bool single;		/* mapped with dma_map_single() */
	bool written;		/* every device write went through */
};

struct xs_dma_client {
	struct device *dev;
	struct xs_dma_buf buf[XS_DMA_CLIENT_BUFS];
	u32 next_id;
	/* The malicious device: IOVAs it was given, whatever became of them. */
	dma_addr_t seen[XS_DMA_CLIENT_SEEN];
	u32 seen_count, seen_next, probe_next;
	/*
	 * The device reaches memory by physical address (identity domain or
	 * no IOMMU): nothing can stop it after a free, so as a malicious
	 * device it only reads what is mapped now (set by the caller).
	 */
	bool untranslated;
	/* dma_enable_no_sync_unmap() said the no-sync unmaps are batched. */
	bool batching;
	/* The page of the bursts since the last sync (see _burst()). */
	struct page *burst_page;
	/* Statistics. */
	u64 maps, unmaps, syncs, map_errors, alloc_errors, dma_faults;
	u64 mal_accesses, mal_successes;
};

/*
 * A client on dev (a device of the kernel world). Its driver opts the
 * device in to batched unmaps (dma_enable_no_sync_unmap()); the plain
 * one's never does, and still calls the no-sync API.
 */
void xs_dma_client_init(struct xs_dma_client *c, struct device *dev);
void xs_dma_client_init_plain(struct xs_dma_client *c, struct device *dev);
/*
 * Allocates a block for len bytes at offset off, maps them (with
 * dma_map_single() when single) and lets the device write every page.
 * Returns the buffer's slot, or -ENOSPC (every slot busy), -ENOMEM.
 */
int xs_dma_client_map(struct xs_dma_client *c, u32 len, u32 off, bool single);
/* The device writes every page of a mapped buffer again. */
void xs_dma_client_device_write(struct xs_dma_client *c, unsigned int slot);
/* Unmaps a mapped buffer without waiting for the invalidation. */
void xs_dma_client_unmap(struct xs_dma_client *c, unsigned int slot);
/*
 * The same as a driver that syncs for the CPU itself first
 * (dma_sync_single_for_cpu()) and then unmaps with
 * DMA_ATTR_SKIP_CPU_SYNC.
 */
void xs_dma_client_unmap_synced(struct xs_dma_client *c, unsigned int slot);
/*
 * The slot of the n-th mapped buffer (in slot order, n modulo their
 * number), or -1 when none is mapped.
 */
int xs_dma_client_nth_mapped(const struct xs_dma_client *c, unsigned int n);
/*
 * A burst of n one-page mappings of one page, each unmapped without a
 * sync right after it was made (a driver tearing many small buffers
 * down at once): n entries for the domain's batch, none synced. The
 * device writes through the first and the last and remembers them; the
 * page is freed after the next sync. Returns the mappings made.
 */
unsigned int xs_dma_client_burst(struct xs_dma_client *c, unsigned int n);
/*
 * dma_sync_device_iotlb(), then every unmapped buffer is read by the CPU
 * (F1: the device's bytes) and freed.
 */
void xs_dma_client_sync(struct xs_dma_client *c);
/*
 * Every unmapped buffer freed without a sync: only once the device's
 * domain is gone (its teardown invalidated and released what it held),
 * after a hot-unplug (xs_dma_client_unmap_all(), then the device
 * destroyed).
 */
void xs_dma_client_release_unmapped(struct xs_dma_client *c);
/* Every mapped buffer unmapped without a sync. */
void xs_dma_client_unmap_all(struct xs_dma_client *c);
/*
 * The device reads n IOVAs it was once given (an untranslated device:
 * only those mapped now). Returns the reads let through.
 */
unsigned int xs_dma_client_malicious(struct xs_dma_client *c, unsigned int n);
/* Unmaps what is mapped, syncs and frees everything. */
void xs_dma_client_fini(struct xs_dma_client *c);

#endif
