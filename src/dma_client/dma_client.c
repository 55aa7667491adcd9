// SPDX-License-Identifier: GPL-2.0
/* The generic DMA client (see dma_client.h). */
#include <linux/kernel.h>
#include <xsmmu/kworld.h>
#include <xsmmu/oracle.h>

#include "dma_client.h"

/* Bytes the device writes into each page of a buffer. */
#define CLIENT_STAMP	16

void xs_dma_client_init(struct xs_dma_client *c, struct device *dev)
{
	memset(c, 0, sizeof(*c));
	c->dev = dev;
	/* The driver opts its device in (it uses the no-sync unmaps). */
	if (dev)
		c->batching = dma_enable_no_sync_unmap(dev);
}

void xs_dma_client_init_plain(struct xs_dma_client *c, struct device *dev)
{
	memset(c, 0, sizeof(*c));
	c->dev = dev;
}

static u8 stamp_byte(u32 id, u32 page, u32 j)
{
	return (u8)(id * 131u + page * 7u + j + 1);
}

/*
 * The places the device writes: the start of the mapping, then the start
 * of every later page it spans. Returns the offset in the mapping of the
 * p-th place and its length, or false past the end.
 */
static bool stamp_place(const struct xs_dma_buf *b, u32 p, u32 *pos, u32 *n)
{
	u32 in_page = b->offset & ~PAGE_MASK;

	*pos = p ? p * PAGE_SIZE - in_page : 0;
	if (*pos >= b->len)
		return false;
	*n = min_t(u32, CLIENT_STAMP, b->len - *pos);
	return true;
}

static void remember(struct xs_dma_client *c, dma_addr_t addr)
{
	c->seen[c->seen_next] = addr;
	c->seen_next = (c->seen_next + 1) % XS_DMA_CLIENT_SEEN;
	if (c->seen_count < XS_DMA_CLIENT_SEEN)
		c->seen_count++;
}

void xs_dma_client_device_write(struct xs_dma_client *c, unsigned int slot)
{
	struct xs_dma_buf *b = &c->buf[slot];
	u8 data[CLIENT_STAMP];
	u32 p, j, pos, n;

	if (slot >= XS_DMA_CLIENT_BUFS || b->state != XS_DMA_BUF_MAPPED)
		return;
	for (p = 0; stamp_place(b, p, &pos, &n); p++) {
		for (j = 0; j < n; j++)
			data[j] = stamp_byte(b->id, p, j);
		if (xs_device_dma(c->dev, b->addr + pos, data, n, true)) {
			c->dma_faults++;
			b->written = false;
		}
	}
}

int xs_dma_client_map(struct xs_dma_client *c, u32 len, u32 off, bool single)
{
	struct xs_dma_buf *b = NULL;
	unsigned int i, order;
	u32 p, pos, n, last = 0;

	for (i = 0; i < XS_DMA_CLIENT_BUFS; i++) {
		if (c->buf[i].state == XS_DMA_BUF_FREE) {
			b = &c->buf[i];
			break;
		}
	}
	if (!b)
		return -ENOSPC;
	if (!len || get_order((unsigned long)off + len) >= MAX_ORDER)
		return -EINVAL;
	order = get_order((unsigned long)off + len);
	b->page = alloc_pages(GFP_KERNEL | __GFP_NOWARN, order);
	if (!b->page) {
		c->alloc_errors++;
		return -ENOMEM;
	}
	for (p = 0; p < (1U << order); p++)
		xs_page_set_owner(b->page + p, "dma client buffer");
	b->order = order;
	b->offset = off;
	b->len = len;
	b->single = single;
	b->id = c->next_id++;
	if (single)
		/* The block is contiguous: its first page stands for it. */
		b->addr = dma_map_single(c->dev, (u8 *)page_address(b->page +
					 (off >> PAGE_SHIFT)) +
					 (off & ~PAGE_MASK), len,
					 DMA_BIDIRECTIONAL);
	else
		b->addr = dma_map_page(c->dev, b->page, off, len,
				       DMA_BIDIRECTIONAL);
	if (dma_mapping_error(c->dev, b->addr)) {
		c->map_errors++;
		__free_pages(b->page, order);
		b->page = NULL;
		return -ENOMEM;
	}
	c->maps++;
	b->state = XS_DMA_BUF_MAPPED;
	b->written = true;
	remember(c, b->addr);
	for (p = 1; stamp_place(b, p, &pos, &n); p++)
		last = pos;
	if (last)
		remember(c, b->addr + last);	/* its last page */
	xs_dma_client_device_write(c, i);
	return (int)i;
}

int xs_dma_client_nth_mapped(const struct xs_dma_client *c, unsigned int n)
{
	unsigned int i, mapped = 0;

	for (i = 0; i < XS_DMA_CLIENT_BUFS; i++)
		mapped += c->buf[i].state == XS_DMA_BUF_MAPPED;
	if (!mapped)
		return -1;
	n %= mapped;
	for (i = 0; i < XS_DMA_CLIENT_BUFS; i++)
		if (c->buf[i].state == XS_DMA_BUF_MAPPED && !n--)
			return (int)i;
	return -1;
}

static void client_unmap(struct xs_dma_client *c, unsigned int slot,
			 unsigned long attrs)
{
	struct xs_dma_buf *b = &c->buf[slot];

	if (slot >= XS_DMA_CLIENT_BUFS || b->state != XS_DMA_BUF_MAPPED)
		return;
	if (attrs & DMA_ATTR_SKIP_CPU_SYNC)
		dma_sync_single_for_cpu(c->dev, b->addr, b->len,
					DMA_BIDIRECTIONAL);
	if (b->single)
		dma_unmap_single_attrs_no_sync(c->dev, b->addr, b->len,
					       DMA_BIDIRECTIONAL, attrs);
	else
		dma_unmap_page_attrs_no_sync(c->dev, b->addr, b->len,
					     DMA_BIDIRECTIONAL, attrs);
	b->state = XS_DMA_BUF_UNMAPPED;
	c->unmaps++;
}

void xs_dma_client_unmap(struct xs_dma_client *c, unsigned int slot)
{
	client_unmap(c, slot, 0);
}

void xs_dma_client_unmap_synced(struct xs_dma_client *c, unsigned int slot)
{
	client_unmap(c, slot, DMA_ATTR_SKIP_CPU_SYNC);
}

/* The CPU reads what the device wrote (F1), after the unmap's sync. */
static void check_buffer(const struct xs_dma_buf *b)
{
	u8 expect[CLIENT_STAMP];
	u32 p, j, pos, n, at;

	if (!b->written || !xs_kw->oracle)
		return;
	for (p = 0; stamp_place(b, p, &pos, &n); p++) {
		at = b->offset + pos;
		for (j = 0; j < n; j++)
			expect[j] = stamp_byte(b->id, p, j);
		xs_oracle_check_data(xs_kw->oracle, "DMA client buffer",
				     expect, (u8 *)page_address(b->page +
				     (at >> PAGE_SHIFT)) + (at & ~PAGE_MASK),
				     n, b->addr + pos);
	}
}

unsigned int xs_dma_client_burst(struct xs_dma_client *c, unsigned int n)
{
	u8 data[CLIENT_STAMP];
	unsigned int i;
	dma_addr_t addr;

	if (!c->burst_page) {
		c->burst_page = alloc_page(GFP_KERNEL | __GFP_NOWARN);
		if (!c->burst_page) {
			c->alloc_errors++;
			return 0;
		}
		xs_page_set_owner(c->burst_page, "dma client burst");
	}
	memset(data, 0x3c, sizeof(data));
	for (i = 0; i < n; i++) {
		addr = dma_map_page(c->dev, c->burst_page, 0, PAGE_SIZE,
				    DMA_BIDIRECTIONAL);
		if (dma_mapping_error(c->dev, addr)) {
			c->map_errors++;
			break;
		}
		c->maps++;
		if (!i || i + 1 == n) {
			remember(c, addr);
			if (xs_device_dma(c->dev, addr, data, sizeof(data), true))
				c->dma_faults++;
		}
		dma_unmap_page_no_sync(c->dev, addr, PAGE_SIZE,
				       DMA_BIDIRECTIONAL);
		c->unmaps++;
	}
	return i;
}

void xs_dma_client_sync(struct xs_dma_client *c)
{
	dma_sync_device_iotlb(c->dev);
	c->syncs++;
	xs_dma_client_release_unmapped(c);
}

void xs_dma_client_release_unmapped(struct xs_dma_client *c)
{
	unsigned int i;

	if (c->burst_page) {
		__free_page(c->burst_page);
		c->burst_page = NULL;
	}
	for (i = 0; i < XS_DMA_CLIENT_BUFS; i++) {
		struct xs_dma_buf *b = &c->buf[i];

		if (b->state != XS_DMA_BUF_UNMAPPED)
			continue;
		check_buffer(b);
		__free_pages(b->page, b->order);
		b->page = NULL;
		b->state = XS_DMA_BUF_FREE;
	}
}

unsigned int xs_dma_client_malicious(struct xs_dma_client *c, unsigned int n)
{
	u8 buf[CLIENT_STAMP];
	unsigned int ok = 0;

	while (n-- && c->seen_count) {
		dma_addr_t addr = c->seen[c->probe_next % c->seen_count];

		c->probe_next++;
		if (c->untranslated && !xs_device_iova_page_live(c->dev, addr))
			continue;
		c->mal_accesses++;
		if (!xs_device_dma(c->dev, addr, buf, sizeof(buf), false))
			ok++;
	}
	c->mal_successes += ok;
	return ok;
}

void xs_dma_client_fini(struct xs_dma_client *c)
{
	xs_dma_client_unmap_all(c);
	xs_dma_client_sync(c);
}

void xs_dma_client_unmap_all(struct xs_dma_client *c)
{
	unsigned int i;

	for (i = 0; i < XS_DMA_CLIENT_BUFS; i++)
		xs_dma_client_unmap(c, i);
}
