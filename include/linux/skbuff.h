/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Socket buffers (shim): the members the TX and RX paths read, a linear
 * part in one page of simulated memory (so it can be DMA-mapped and
 * reached by the device) and page fragments. Freeing an skb drops its
 * page references; a page whose last reference goes is checked by the
 * oracle (S2) in the page allocator.
 */
#ifndef _XS_SHIM_LINUX_SKBUFF_H
#define _XS_SHIM_LINUX_SKBUFF_H

#include <linux/dma-mapping.h>
#include <linux/kernel.h>
#include <linux/mm.h>

#define MAX_SKB_FRAGS	17UL

typedef struct bio_vec {
	struct page *bv_page;
	unsigned int bv_len;
	unsigned int bv_offset;
} skb_frag_t;

#define SKBTX_HW_TSTAMP		(1 << 0)

struct skb_shared_info {
	u8 flags;
	u8 tx_flags;
	u8 nr_frags;
	skb_frag_t frags[MAX_SKB_FRAGS];
};

struct sk_buff {
	unsigned int len;
	unsigned int data_len;
	unsigned char *head;
	unsigned char *data;
	struct sk_buff *next;
	/* Simulation. */
	u32 xs_pkt_id;			/* what the traffic model sent */
	struct page *xs_head_page;
	struct skb_shared_info xs_shinfo;
};

enum skb_free_reason {
	SKB_REASON_CONSUMED,
	SKB_REASON_DROPPED,
};

#define skb_shinfo(skb)		(&(skb)->xs_shinfo)

/* A linear buffer of at most PAGE_SIZE bytes, no fragments. */
struct sk_buff *alloc_skb(unsigned int size, gfp_t priority);
void kfree_skb(struct sk_buff *skb);
void consume_skb(struct sk_buff *skb);
void napi_consume_skb(struct sk_buff *skb, int budget);
void __dev_kfree_skb_any(struct sk_buff *skb, enum skb_free_reason reason);

static inline void dev_kfree_skb_any(struct sk_buff *skb)
{
	__dev_kfree_skb_any(skb, SKB_REASON_DROPPED);
}

static inline void dev_consume_skb_any(struct sk_buff *skb)
{
	__dev_kfree_skb_any(skb, SKB_REASON_CONSUMED);
}

static inline unsigned int skb_headlen(const struct sk_buff *skb)
{
	return skb->len - skb->data_len;
}

static inline unsigned char *skb_put(struct sk_buff *skb, unsigned int len)
{
	unsigned char *tmp = skb->data + skb->len;

	skb->len += len;
	return tmp;
}

static inline unsigned int skb_frag_size(const skb_frag_t *frag)
{
	return frag->bv_len;
}

static inline unsigned int skb_frag_off(const skb_frag_t *frag)
{
	return frag->bv_offset;
}

static inline struct page *skb_frag_page(const skb_frag_t *frag)
{
	return frag->bv_page;
}

/* Adds a page fragment; the skb takes the caller's page reference. */
static inline void skb_add_rx_frag(struct sk_buff *skb, int i,
				   struct page *page, int off, int size,
				   unsigned int truesize)
{
	skb_frag_t *f = &skb_shinfo(skb)->frags[i];

	f->bv_page = page;
	f->bv_offset = off;
	f->bv_len = size;
	skb_shinfo(skb)->nr_frags = i + 1;
	skb->len += size;
	skb->data_len += size;
}

static inline dma_addr_t skb_frag_dma_map(struct device *dev,
					  const skb_frag_t *frag,
					  size_t offset, size_t size,
					  enum dma_data_direction dir)
{
	return dma_map_page(dev, skb_frag_page(frag),
			    skb_frag_off(frag) + offset, size, dir);
}

#endif
