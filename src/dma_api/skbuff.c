// SPDX-License-Identifier: GPL-2.0
/* Socket buffers of the kernel world (see include/linux/skbuff.h). */
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <xsmmu/kworld.h>
#include <xsmmu/oracle.h>

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
 * page; a shared page is checked here, as the skb lets go of it.
 */
static void release_page(struct page *page)
{
	if (page_ref_count(page) > 1 && xs_kw->oracle)
		xs_oracle_page_reuse(xs_kw->oracle, page,
				     "released by skb free");
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
