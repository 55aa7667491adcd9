// SPDX-License-Identifier: GPL-2.0
/*
 * xsmmu_check: the batched-unmap series in a running kernel.
 *
 * Binds to QEMU's edu device (1234:11e8) behind the emulated VT-d,
 * has it DMA into and out of buffers mapped with the DMA API, unmaps
 * them with dma_unmap_page_no_sync() and checks what the device can
 * still reach before and after dma_sync_device_iotlb(). Every verdict
 * is a console line "xsmmu-check: PASS|FAIL <what>"; lines with INFO
 * are figures, and "xsmmu-check: DMA-AFTER-UNMAP iova=..." announces a
 * DMA that the IOMMU must refuse, so that scripts/kernel-check can
 * pair it with the DMAR fault the kernel logs.
 *
 * expect= says what the kernel was booted for:
 *   batched  iommu.xsmmu=1|domain|ranges|adaptive: the unmap is deferred
 *            until the sync; after the sync the old IOVA faults.
 *   strict   batching off, strict unmaps: the no-sync calls fall back
 *            to the synchronous unmap, the device never reaches a buffer
 *            after its unmap.
 *   lazy     batching off, flush queue: the no-sync calls fall back to
 *            the lazy unmap; the old IOVA faults once the flush queue
 *            has been flushed (its timer is 10 ms).
 *
 * This is a test of the IOMMU, not a driver: it keeps the pages it
 * exposes to stale translations until they can no longer be reached.
 */

#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/jiffies.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/string.h>
#include <linux/vmstat.h>

#define EDU_VENDOR_ID		0x1234
#define EDU_DEVICE_ID		0x11e8

#define EDU_REG_ID		0x00
#define EDU_REG_DMA_SRC		0x80
#define EDU_REG_DMA_DST		0x88
#define EDU_REG_DMA_COUNT	0x90
#define EDU_REG_DMA_CMD		0x98

#define EDU_CMD_START		BIT(0)	/* cleared by the device when done */
#define EDU_CMD_TO_RAM		BIT(1)	/* internal buffer -> RAM */

/*
 * The device's internal DMA buffer, as seen in its DMA address space.
 * It holds 4096 bytes, but QEMU's range check refuses a transfer that
 * ends at its last byte (a "hardware error" that stops QEMU): transfers
 * here take half of it.
 */
#define EDU_BUF_ADDR		0x40000
#define EDU_DMA_LEN		2048

/* edu clamps DMA addresses to 28 bits (its "dma_mask" property) */
#define EDU_DMA_BITS		28

/* A DMA takes 100 ms of virtual time in the device; allow plenty */
#define EDU_DMA_TIMEOUT_MS	5000

/* The lazy flush queue flushes 10 ms after its first entry */
#define LAZY_FLUSH_WAIT_MS	100

/* Unmaps held per sync in the stress and leak loops */
#define BATCH_UNMAPS		16

/* A 2 MiB mapping with 4 KiB entries fills one last-level table */
#define TABLE_SPAN_ORDER	9

enum xsmmu_expect {
	EXPECT_BATCHED,
	EXPECT_STRICT,
	EXPECT_LAZY,
};

static char *expect = "batched";
module_param(expect, charp, 0444);
MODULE_PARM_DESC(expect, "batched | strict | lazy: how the kernel unmaps");

static unsigned int stress_rounds = 48;
module_param(stress_rounds, uint, 0444);
MODULE_PARM_DESC(stress_rounds, "map / DMA / no-sync unmap rounds (each DMA takes 100 ms in edu)");

static unsigned int leak_rounds = 1024;
module_param(leak_rounds, uint, 0444);
MODULE_PARM_DESC(leak_rounds, "2 MiB map / no-sync unmap rounds of the leak check (no DMA)");

struct edu {
	struct pci_dev *pdev;
	struct device *dev;
	void __iomem *regs;
	enum xsmmu_expect mode;
	/* a mapped page the device reads a pattern from */
	struct page *stage;
	dma_addr_t stage_dma;
	unsigned int passed;
	unsigned int failed;
};

static void verdict(struct edu *edu, bool ok, const char *what)
{
	if (ok)
		edu->passed++;
	else
		edu->failed++;
	pr_info("xsmmu-check: %s %s\n", ok ? "PASS" : "FAIL", what);
}

/*
 * The one place where this driver asks for batched unmaps on its device.
 * Series with a per-device opt-in (dma_enable_no_sync_unmap(), detected
 * by Kbuild in the tree's dma-mapping.h) batch only devices whose driver
 * called it; earlier ones batch every DMA domain when iommu.xsmmu is set.
 * Returns whether the series says this device's unmaps are batched, or
 * -1 where the series has no opt-in to ask.
 */
static int xsmmu_check_enable_batching(struct device *dev)
{
#ifdef XSMMU_CHECK_HAVE_OPT_IN
	return dma_enable_no_sync_unmap(dev);
#else
	return -1;
#endif
}

static int edu_dma(struct edu *edu, u64 src, u64 dst, u32 len, u32 cmd)
{
	unsigned long deadline;

	writeq(src, edu->regs + EDU_REG_DMA_SRC);
	writeq(dst, edu->regs + EDU_REG_DMA_DST);
	writeq(len, edu->regs + EDU_REG_DMA_COUNT);
	writeq(cmd | EDU_CMD_START, edu->regs + EDU_REG_DMA_CMD);
	deadline = jiffies + msecs_to_jiffies(EDU_DMA_TIMEOUT_MS);
	while (readq(edu->regs + EDU_REG_DMA_CMD) & EDU_CMD_START) {
		if (time_after(jiffies, deadline)) {
			pr_err("xsmmu-check: edu DMA %#llx -> %#llx timed out\n",
			       src, dst);
			return -ETIMEDOUT;
		}
		usleep_range(1000, 2000);
	}
	return 0;
}

/* The device reads len bytes at dma into its internal buffer. */
static int edu_read_ram(struct edu *edu, dma_addr_t dma, u32 len)
{
	return edu_dma(edu, dma, EDU_BUF_ADDR, len, 0);
}

/* The device writes len bytes of its internal buffer at dma. */
static int edu_write_ram(struct edu *edu, dma_addr_t dma, u32 len)
{
	return edu_dma(edu, EDU_BUF_ADDR, dma, len, EDU_CMD_TO_RAM);
}

static void fill_pattern(void *buf, size_t len, u8 seed)
{
	u8 *p = buf;
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = seed + i * 31 + (i >> 8);
}

static bool has_pattern(const void *buf, size_t len, u8 seed)
{
	const u8 *p = buf;
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != (u8)(seed + i * 31 + (i >> 8)))
			return false;
	return true;
}

static bool is_zero(const void *buf, size_t len)
{
	return !memchr_inv(buf, 0, len);
}

/* Put a pattern in the device's internal buffer, through the stage page. */
static int edu_load_pattern(struct edu *edu, u8 seed)
{
	fill_pattern(page_address(edu->stage), EDU_DMA_LEN, seed);
	dma_sync_single_for_device(edu->dev, edu->stage_dma, EDU_DMA_LEN,
				   DMA_TO_DEVICE);
	return edu_read_ram(edu, edu->stage_dma, EDU_DMA_LEN);
}

/* Have the device write the pattern seed at dma. */
static int edu_write_pattern(struct edu *edu, dma_addr_t dma, u8 seed)
{
	int ret = edu_load_pattern(edu, seed);

	return ret ? ret : edu_write_ram(edu, dma, EDU_DMA_LEN);
}

/* After the sync, the point from which the old IOVA must fault. */
static void wait_for_invalidation(struct edu *edu)
{
	dma_sync_device_iotlb(edu->dev);
	if (edu->mode == EXPECT_LAZY)
		msleep(LAZY_FLUSH_WAIT_MS);
}

/*
 * (a) and (b): a page the device has written through its mapping (so
 * the IOTLB holds the translation) is unmapped with the no-sync call.
 * A DMA to the old IOVA before the sync shows the exposure the series
 * manages; one after the sync must be refused: no data in the page and
 * a DMAR fault at that address in the log.
 */
static void check_exposure_and_fault(struct edu *edu)
{
	struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	void *buf;
	dma_addr_t dma;
	bool reached;

	if (!page) {
		verdict(edu, false, "exposure: no memory");
		return;
	}
	buf = page_address(page);
	dma = dma_map_page(edu->dev, page, 0, PAGE_SIZE, DMA_BIDIRECTIONAL);
	if (dma_mapping_error(edu->dev, dma)) {
		verdict(edu, false, "exposure: dma_map_page failed");
		__free_page(page);
		return;
	}
	if (edu_write_pattern(edu, dma, 0x11)) {
		verdict(edu, false, "mapped: edu DMA did not complete");
		goto out;
	}
	dma_sync_single_for_cpu(edu->dev, dma, PAGE_SIZE, DMA_BIDIRECTIONAL);
	verdict(edu, has_pattern(buf, EDU_DMA_LEN, 0x11),
		"mapped: the device writes its buffer through the IOMMU");

	memset(buf, 0, PAGE_SIZE);
	dma_unmap_page_no_sync(edu->dev, dma, PAGE_SIZE, DMA_BIDIRECTIONAL);
	pr_info("xsmmu-check: DMA-BEFORE-SYNC iova=%#llx\n", (u64)dma);
	if (edu_write_pattern(edu, dma, 0x22)) {
		verdict(edu, false, "before sync: edu DMA did not complete");
		goto out;
	}
	reached = !is_zero(buf, PAGE_SIZE);
	pr_info("xsmmu-check: INFO exposure-before-sync reached=%d iova=%#llx\n",
		reached, (u64)dma);
	if (reached && !has_pattern(buf, EDU_DMA_LEN, 0x22))
		verdict(edu, false, "before sync: the page holds other data than the DMA's");
	else if (edu->mode == EXPECT_STRICT)
		verdict(edu, !reached,
			"fallback: no-sync unmap is synchronous, nothing reached after it");
	else
		verdict(edu, true, "before sync: exposure recorded");

	memset(buf, 0, PAGE_SIZE);
	wait_for_invalidation(edu);
	pr_info("xsmmu-check: DMA-AFTER-UNMAP iova=%#llx\n", (u64)dma);
	if (edu_write_pattern(edu, dma, 0x33)) {
		verdict(edu, false, "after sync: edu DMA did not complete");
		goto out;
	}
	/* the fault report is an interrupt: let it reach the log first */
	msleep(20);
	verdict(edu, is_zero(buf, PAGE_SIZE),
		"after sync: a DMA to the old IOVA writes nothing");
out:
	__free_page(page);
}

/*
 * (c): an unmapped IOVA is handed out again only once its translation is
 * gone, and a DMA to the new mapping never lands in the old page. While
 * a no-sync unmap is held (batched), its IOVA must not be reused at all.
 */
static void check_reuse(struct edu *edu)
{
	const unsigned int rounds = 8;
	unsigned int i, reused = 0, held_reused = 0, old_reached = 0;
	unsigned int new_missed = 0, errors = 0;
	char what[128];

	for (i = 0; i < rounds && !errors; i++) {
		struct page *old = alloc_page(GFP_KERNEL | __GFP_ZERO);
		struct page *new = alloc_page(GFP_KERNEL | __GFP_ZERO);
		bool synced = i & 1;
		dma_addr_t old_dma, new_dma;

		if (!old || !new) {
			errors++;
			goto free;
		}
		old_dma = dma_map_page(edu->dev, old, 0, PAGE_SIZE,
				       DMA_BIDIRECTIONAL);
		if (dma_mapping_error(edu->dev, old_dma)) {
			errors++;
			goto free;
		}
		/* cache the translation, then drop the mapping */
		if (edu_write_pattern(edu, old_dma, 0x40 + i))
			errors++;
		dma_unmap_page_no_sync(edu->dev, old_dma, PAGE_SIZE,
				       DMA_BIDIRECTIONAL);
		memset(page_address(old), 0, PAGE_SIZE);
		/* odd rounds map again after the sync, even ones before it */
		if (synced)
			wait_for_invalidation(edu);
		new_dma = dma_map_page(edu->dev, new, 0, PAGE_SIZE,
				       DMA_BIDIRECTIONAL);
		if (dma_mapping_error(edu->dev, new_dma)) {
			errors++;
			goto sync;
		}
		if (new_dma == old_dma) {
			reused++;
			if (!synced && edu->mode == EXPECT_BATCHED)
				held_reused++;
		}
		if (edu_write_pattern(edu, new_dma, 0x80 + i))
			errors++;
		dma_unmap_page(edu->dev, new_dma, PAGE_SIZE,
			       DMA_BIDIRECTIONAL);
		if (!has_pattern(page_address(new), EDU_DMA_LEN, 0x80 + i))
			new_missed++;
		if (!is_zero(page_address(old), PAGE_SIZE))
			old_reached++;
sync:
		if (!synced)
			wait_for_invalidation(edu);
free:
		if (old)
			__free_page(old);
		if (new)
			__free_page(new);
	}
	pr_info("xsmmu-check: INFO reuse rounds=%u reused=%u held_reused=%u old_reached=%u new_missed=%u errors=%u\n",
		i, reused, held_reused, old_reached, new_missed, errors);
	snprintf(what, sizeof(what),
		 "reuse: %u rounds, %u IOVAs handed out again, none reached the old page",
		 i, reused);
	verdict(edu, !errors && !old_reached && !new_missed, what);
	if (edu->mode == EXPECT_BATCHED)
		verdict(edu, !held_reused,
			"reuse: an IOVA held by a no-sync unmap is not handed out before the sync");
}

/*
 * (d): map / DMA / no-sync unmap, BATCH_UNMAPS unmaps per sync, the data
 * checked every round; a page is refilled only after the sync covering
 * its unmap, as a driver using the series must do.
 */
static void check_stress(struct edu *edu)
{
	struct page *src[BATCH_UNMAPS], *dst[BATCH_UNMAPS];
	unsigned int i, slot, bad_data = 0, errors = 0, syncs = 0;
	char what[128];

	memset(src, 0, sizeof(src));
	memset(dst, 0, sizeof(dst));
	for (slot = 0; slot < BATCH_UNMAPS; slot++) {
		src[slot] = alloc_page(GFP_KERNEL);
		dst[slot] = alloc_page(GFP_KERNEL);
		if (!src[slot] || !dst[slot])
			errors++;
	}
	for (i = 0; i < stress_rounds && !errors; i++) {
		dma_addr_t src_dma, dst_dma;
		u8 seed = 0x5a + i * 7;

		slot = i % BATCH_UNMAPS;
		fill_pattern(page_address(src[slot]), PAGE_SIZE, seed);
		memset(page_address(dst[slot]), 0, PAGE_SIZE);
		src_dma = dma_map_page(edu->dev, src[slot], 0, PAGE_SIZE,
				       DMA_TO_DEVICE);
		if (dma_mapping_error(edu->dev, src_dma)) {
			errors++;
			break;
		}
		dst_dma = dma_map_page(edu->dev, dst[slot], 0, PAGE_SIZE,
				       DMA_FROM_DEVICE);
		if (dma_mapping_error(edu->dev, dst_dma)) {
			dma_unmap_page(edu->dev, src_dma, PAGE_SIZE,
				       DMA_TO_DEVICE);
			errors++;
			break;
		}
		if (edu_read_ram(edu, src_dma, EDU_DMA_LEN) ||
		    edu_write_ram(edu, dst_dma, EDU_DMA_LEN))
			errors++;
		dma_unmap_page_no_sync(edu->dev, src_dma, PAGE_SIZE,
				       DMA_TO_DEVICE);
		dma_unmap_page_no_sync(edu->dev, dst_dma, PAGE_SIZE,
				       DMA_FROM_DEVICE);
		if (!has_pattern(page_address(dst[slot]), EDU_DMA_LEN, seed))
			bad_data++;
		if (slot == BATCH_UNMAPS - 1) {
			dma_sync_device_iotlb(edu->dev);
			syncs++;
		}
	}
	dma_sync_device_iotlb(edu->dev);
	syncs++;
	for (slot = 0; slot < BATCH_UNMAPS; slot++) {
		if (src[slot])
			__free_page(src[slot]);
		if (dst[slot])
			__free_page(dst[slot]);
	}
	pr_info("xsmmu-check: INFO stress rounds=%u syncs=%u bad_data=%u errors=%u\n",
		i, syncs, bad_data, errors);
	snprintf(what, sizeof(what),
		 "stress: %u rounds of map / DMA / no-sync unmap, %u syncs, data intact",
		 i, syncs);
	verdict(edu, !errors && !bad_data && i == stress_rounds, what);
}

/*
 * (e): nothing held for ever. Each round maps 2 MiB at a 2 MiB-aligned
 * IOVA but from memory that is not 2 MiB-aligned, so the mapping takes a
 * whole last-level table of 4 KiB entries and its unmap frees that
 * table: the no-sync unmap keeps the IOVA and the table page until the
 * sync. If either were never released, the IOVAs handed out would walk
 * down the 256 MiB the device can address (and run out), and the free
 * page count would drop by a page per round.
 */
static void check_leak(struct edu *edu)
{
	const size_t span = PAGE_SIZE << TABLE_SPAN_ORDER;
	unsigned long free_before, free_after;
	dma_addr_t lowest = DMA_MAPPING_ERROR, highest = 0;
	unsigned int i, errors = 0;
	long lost;
	struct page *block;
	char what[160];

	/* order 10: 4 MiB, so a 2 MiB run starting one page in is unaligned */
	block = alloc_pages(GFP_KERNEL, TABLE_SPAN_ORDER + 1);
	if (!block) {
		verdict(edu, false, "leak: no 4 MiB block");
		return;
	}
	dma_sync_device_iotlb(edu->dev);
	msleep(LAZY_FLUSH_WAIT_MS);
	free_before = global_zone_page_state(NR_FREE_PAGES);
	for (i = 0; i < leak_rounds; i++) {
		dma_addr_t dma = dma_map_page(edu->dev, block + 1, 0, span,
					      DMA_BIDIRECTIONAL);

		if (dma_mapping_error(edu->dev, dma)) {
			errors++;
			break;
		}
		if (dma < lowest)
			lowest = dma;
		if (dma > highest)
			highest = dma;
		dma_unmap_page_no_sync(edu->dev, dma, span, DMA_BIDIRECTIONAL);
		/*
		 * The lazy reference releases its IOVAs from the flush
		 * queue's timer: without waiting for it, 256 MiB of IOVA
		 * space holds only 128 such ranges.
		 */
		if (i % BATCH_UNMAPS == BATCH_UNMAPS - 1)
			wait_for_invalidation(edu);
	}
	dma_sync_device_iotlb(edu->dev);
	msleep(LAZY_FLUSH_WAIT_MS);
	free_after = global_zone_page_state(NR_FREE_PAGES);
	__free_pages(block, TABLE_SPAN_ORDER + 1);
	lost = (long)free_before - (long)free_after;
	pr_info("xsmmu-check: INFO leak rounds=%u iova_lowest=%#llx iova_highest=%#llx free_pages_before=%lu after=%lu lost=%ld\n",
		i, (u64)lowest, (u64)highest, free_before, free_after, lost);
	snprintf(what, sizeof(what),
		 "leak: %u rounds of 2 MiB used IOVAs in %llu KiB", i,
		 errors ? 0ULL : (u64)(highest - lowest + span) >> 10);
	/*
	 * Released IOVAs come back: the rounds stay within a few batches of
	 * 2 MiB ranges (a leak would need leak_rounds of them).
	 */
	verdict(edu, !errors && i == leak_rounds &&
		highest - lowest < 4 * BATCH_UNMAPS * span, what);
	snprintf(what, sizeof(what),
		 "leak: %u unmaps of a whole last-level table, %ld pages fewer free after",
		 i, lost);
	/* per-CPU page lists and vmstat deltas blur the count by a few hundred */
	verdict(edu, i == leak_rounds && lost < (long)leak_rounds / 2, what);
}

static int xsmmu_check_probe(struct pci_dev *pdev,
			     const struct pci_device_id *id)
{
	struct edu *edu;
	int batching, ret;

	edu = devm_kzalloc(&pdev->dev, sizeof(*edu), GFP_KERNEL);
	if (!edu)
		return -ENOMEM;
	edu->pdev = pdev;
	edu->dev = &pdev->dev;
	if (!strcmp(expect, "strict")) {
		edu->mode = EXPECT_STRICT;
	} else if (!strcmp(expect, "lazy")) {
		edu->mode = EXPECT_LAZY;
	} else if (!strcmp(expect, "batched")) {
		edu->mode = EXPECT_BATCHED;
	} else {
		pr_err("xsmmu-check: FAIL expect=%s is not batched, strict or lazy\n",
		       expect);
		return -EINVAL;
	}

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	ret = pcim_iomap_regions(pdev, BIT(0), KBUILD_MODNAME);
	if (ret)
		return ret;
	edu->regs = pcim_iomap_table(pdev)[0];
	pci_set_master(pdev);
	ret = dma_set_mask_and_coherent(edu->dev, DMA_BIT_MASK(EDU_DMA_BITS));
	if (ret)
		return ret;
	batching = xsmmu_check_enable_batching(edu->dev);
	pr_info("xsmmu-check: START expect=%s edu id %#x\n", expect,
		readl(edu->regs + EDU_REG_ID));
	if (batching < 0)
		pr_info("xsmmu-check: INFO opt-in: none in this series\n");
	else
		verdict(edu, batching == (edu->mode == EXPECT_BATCHED),
			batching ? "opt-in: the device's unmaps are batched" :
				   "opt-in: the device's unmaps stay synchronous");

	edu->stage = alloc_page(GFP_KERNEL);
	if (!edu->stage)
		return -ENOMEM;
	edu->stage_dma = dma_map_page(edu->dev, edu->stage, 0, PAGE_SIZE,
				      DMA_TO_DEVICE);
	if (dma_mapping_error(edu->dev, edu->stage_dma)) {
		__free_page(edu->stage);
		return -ENOMEM;
	}

	check_exposure_and_fault(edu);
	check_reuse(edu);
	check_stress(edu);
	check_leak(edu);

	dma_unmap_page(edu->dev, edu->stage_dma, PAGE_SIZE, DMA_TO_DEVICE);
	__free_page(edu->stage);
	pr_info("xsmmu-check: DONE passed=%u failed=%u\n", edu->passed,
		edu->failed);
	return 0;
}

static const struct pci_device_id xsmmu_check_ids[] = {
	{ PCI_DEVICE(EDU_VENDOR_ID, EDU_DEVICE_ID) },
	{ }
};
MODULE_DEVICE_TABLE(pci, xsmmu_check_ids);

static struct pci_driver xsmmu_check_driver = {
	.name		= "xsmmu_check",
	.id_table	= xsmmu_check_ids,
	.probe		= xsmmu_check_probe,
};
module_pci_driver(xsmmu_check_driver);

MODULE_DESCRIPTION("DMA test of batched IOMMU unmaps on QEMU's edu device");
MODULE_LICENSE("GPL");
