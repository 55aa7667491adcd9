// SPDX-License-Identifier: GPL-2.0
/* Socket buffers of the kernel world (see include/linux/skbuff.h). */
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <xsmmu/kworld.h>

struct sk_buff *alloc_skb(unsigned int size, gfp_t priority)
{
	struct sk_buff *skb;

	if (WARN_ON(size > PAGE_SIZE))
		return NULL;
	skb = kzalloc(sizeof(*skb), priority);
	if (!skb)
		return NULL;
	skb->xs_head_page = alloc_page(priority);
	if (!skb->xs_head_page) {
		kfree(skb);
		return NULL;
	}
	xs_page_set_owner(skb->xs_head_page, "skb");
	skb->head = page_address(skb->xs_head_page);
	skb->data = skb->head;
	return skb;
}

/*
 * The last reference goes through the page allocator, which checks the
 * page (S2). A page the skb shares with its driver (an RX page still in
 * the driver's page cache) is not freed or reused here: that the device
 * can still write it while the stack reads it is 5.15's RX exposure,
 * measured apart, not a violation of the unmap ordering.
 */
static void release_page(struct page *page)
{
	put_page(page);
}

void kfree_skb(struct sk_buff *skb)
{
	unsigned int i;

	if (!skb)
		return;
	for (i = 0; i < skb_shinfo(skb)->nr_frags; i++)
		release_page(skb_frag_page(&skb_shinfo(skb)->frags[i]));
	release_page(skb->xs_head_page);
	kfree(skb);
}

void consume_skb(struct sk_buff *skb)
{
	kfree_skb(skb);
}

void napi_consume_skb(struct sk_buff *skb, int budget)
{
	kfree_skb(skb);
}

void __dev_kfree_skb_any(struct sk_buff *skb, enum skb_free_reason reason)
{
	kfree_skb(skb);
}
