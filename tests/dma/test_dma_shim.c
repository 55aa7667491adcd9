// SPDX-License-Identifier: GPL-2.0
/*
 * The shim layer itself: the kernel idioms behave as kernel code expects,
 * the QI_* macros encode exactly what the hardware model decodes, and
 * page_pool and skb releases go past the oracle.
 */
#include <pthread.h>

#include <linux/export.h>
#include <linux/init.h>
#include <linux/list.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/skbuff.h>
#include <linux/spinlock.h>
#include <net/page_pool.h>

#include "dma_fixture.h"
#include "dma_debug.h"
#include "dma_iommu_internal.h"

static char seen_arg[32];

static int xs_test_param(char *arg)
{
	if (!arg || strlen(arg) >= sizeof(seen_arg))
		return -EINVAL;
	strcpy(seen_arg, arg);
	return 0;
}
early_param("xs.test", xs_test_param);

int xs_shim_exported(int x);
int xs_shim_exported(int x)
{
	return x + 1;
}
EXPORT_SYMBOL_GPL(xs_shim_exported);

/*
 * early_param() parsers run from the command line. (EXPORT_SYMBOL_GPL
 * above is checked by the compiler: it redeclares the symbol, so naming
 * an undeclared one does not build; there is nothing to run.)
 */
static void test_boot_params(void **state)
{
	seen_arg[0] = 0;
	assert_int_equal(xs_kernel_cmdline("xs.test=hello"), 0);
	assert_string_equal(seen_arg, "hello");
	/* A parser's refusal is reported, the value not taken. */
	assert_int_equal(xs_kernel_cmdline("xs.test"), 1);
	assert_string_equal(seen_arg, "hello");
}

static void test_warn_reports(void **state)
{
	unsigned long before = xs_kernel_warn_count();

	dma_fx_expect_warns(*state, 1);
	assert_false(WARN_ON(1 == 2));
	assert_true(WARN_ON(2 == 2));
	assert_int_equal(xs_kernel_warn_count(), before + 1);
}

/*
 * kmalloc red zones: a write one byte past an object is a WARN (W) when
 * it is freed, and at teardown while it is still live; writes inside it
 * are not. (Under ASan the red zone is poisoned: ASan reports the write
 * itself, so the test has nothing to show there.)
 */
static void test_kmalloc_redzone(void **state)
{
	struct dma_fx *fx = *state;
	u8 *a, *b;

#if defined(__SANITIZE_ADDRESS__)
	skip();
#endif
	a = kmalloc(24, GFP_KERNEL);
	b = kvzalloc(4096, GFP_KERNEL);
	assert_non_null(a);
	assert_non_null(b);
	memset(a, 0xbb ^ 0xff, 24);
	b[4095] = 1;
	assert_int_equal(xs_kmalloc_check_redzones(), 0);
	kfree(a);
	assert_int_equal(xs_oracle_count(fx->o, XS_W), 0);
	dma_fx_expect_warns(fx, 3);
	b[4096] = 0;			/* one past the end */
	assert_int_equal(xs_kmalloc_check_redzones(), 1);
	assert_int_equal(xs_oracle_expected_left(fx->o, XS_W), 2);
	kvfree(b);
	assert_int_equal(xs_oracle_expected_left(fx->o, XS_W), 1);
	a = kzalloc(8, GFP_KERNEL);
	assert_non_null(a);
	a[8 + 63] = 0;			/* the last byte of the red zone */
	kfree(a);
	assert_int_equal(xs_oracle_expected_left(fx->o, XS_W), 0);
}

struct item {
	int v;
	struct list_head link;
};

static void test_list(void **state)
{
	LIST_HEAD(head);
	struct item a = { .v = 1 }, b = { .v = 2 }, c = { .v = 3 }, *pos, *n;
	int sum = 0, order[3], i = 0;

	list_add_tail(&a.link, &head);
	list_add_tail(&b.link, &head);
	list_add(&c.link, &head);
	list_for_each_entry(pos, &head, link)
		order[i++] = pos->v;
	assert_int_equal(order[0], 3);
	assert_int_equal(order[1], 1);
	assert_int_equal(order[2], 2);
	list_for_each_entry_safe(pos, n, &head, link) {
		sum += pos->v;
		list_del(&pos->link);
	}
	assert_int_equal(sum, 6);
	assert_true(list_empty(&head));
}

struct counter {
	long n;
};

struct shared {
	int value;
};

static struct shared *rcu_ptr;
static DEFINE_SPINLOCK(lock);
static long locked_total;

static void *worker(void *arg)
{
	struct counter *pc = arg;
	struct shared *s;
	int i;

	xs_rcu_register_thread();
	for (i = 0; i < 10000; i++) {
		spin_lock(&lock);
		locked_total++;
		spin_unlock(&lock);
		rcu_read_lock();
		s = rcu_dereference(rcu_ptr);
		pc->n += s->value;
		rcu_read_unlock();
	}
	xs_rcu_unregister_thread();
	return NULL;
}

/* Per-CPU slots are distinct; locks exclude; RCU readers see a value. */
static void test_percpu_lock_rcu(void **state)
{
	struct counter *pc;
	struct shared one = { .value = 1 };
	pthread_t t[4];
	unsigned int cpu;
	long total = 0;

	/* Per-CPU areas are sized by the possible CPUs, as in the kernel. */
	xs_set_nr_cpus(4);
	pc = alloc_percpu(struct counter);
	assert_non_null(pc);
	rcu_assign_pointer(rcu_ptr, &one);
	locked_total = 0;
	for (cpu = 0; cpu < 4; cpu++)
		assert_int_equal(pthread_create(&t[cpu], NULL, worker,
						per_cpu_ptr(pc, cpu)), 0);
	for (cpu = 0; cpu < 4; cpu++)
		pthread_join(t[cpu], NULL);
	synchronize_rcu();
	for_each_possible_cpu(cpu) {
		assert_int_equal(per_cpu_ptr(pc, cpu)->n, 10000);
		total += per_cpu_ptr(pc, cpu)->n;
	}
	assert_int_equal(total, 40000);
	assert_int_equal(locked_total, 40000);
	assert_ptr_not_equal(per_cpu_ptr(pc, 0), per_cpu_ptr(pc, 1));
	free_percpu(pc);
	xs_set_nr_cpus(1);
}

/* The kernel's QI_* encodings are what the model decodes. */
static void test_qi_macros_match_model(void **state)
{
	struct vtd_desc_limits lim = { .mamv = 63, .psi = true,
				       .dev_tlb = true, .dit = true };
	struct vtd_desc d, m;
	struct vtd_desc_fields f;

	d.qw0 = QI_IOTLB_DID(0x1234) | QI_IOTLB_DR(1) | QI_IOTLB_DW(1) |
		QI_IOTLB_GRAN(DMA_TLB_PSI_FLUSH) | QI_IOTLB_TYPE;
	d.qw1 = QI_IOTLB_ADDR(0xabcdef000ULL) | QI_IOTLB_IH(1) |
		QI_IOTLB_AM(9);
	m = vtd_desc_iotlb(VTD_IOTLB_PSI, 0x1234, 0xabcdef000ULL, 9, true,
			   true, true);
	assert_int_equal(d.qw0, m.qw0);
	assert_int_equal(d.qw1, m.qw1);
	assert_null(vtd_desc_decode(&d, &lim, &f));
	assert_int_equal(f.did, 0x1234);
	assert_int_equal(f.am, 9);
	assert_true(f.ih);

	d.qw0 = QI_IOTLB_DID(7) | QI_IOTLB_GRAN(DMA_TLB_DSI_FLUSH) |
		QI_IOTLB_TYPE;
	d.qw1 = 0;
	m = vtd_desc_iotlb(VTD_IOTLB_DSI, 7, 0, 0, false, false, false);
	assert_int_equal(d.qw0, m.qw0);

	d.qw0 = QI_IWD_STATUS_DATA(QI_DONE) | QI_IWD_STATUS_WRITE |
		QI_IWD_TYPE;
	d.qw1 = 0x5000;
	m = vtd_desc_wait(true, false, false, QI_DONE, 0x5000);
	assert_int_equal(d.qw0, m.qw0);
	assert_int_equal(d.qw1, m.qw1);

	d.qw0 = QI_DEV_IOTLB_SID(0x0300) | QI_DEV_IOTLB_QDEP(8) |
		QI_DIOTLB_TYPE | QI_DEV_IOTLB_PFSID(0x123);
	d.qw1 = QI_DEV_IOTLB_ADDR(0x7000) | QI_DEV_IOTLB_SIZE;
	assert_null(vtd_desc_decode(&d, &lim, &f));
	assert_int_equal(f.sid, 0x0300);
	assert_int_equal(f.pfsid, 0x123);
	assert_int_equal(f.mip, 8);
	assert_true(f.size);

	d.qw0 = QI_CC_FM(3) | QI_CC_SID(0x0300) | QI_CC_DID(5) |
		QI_CC_GRAN(DMA_CCMD_DEVICE_INVL) | QI_CC_TYPE;
	d.qw1 = 0;
	m = vtd_desc_cc(VTD_CC_DEVICE, 5, 0x0300, 3);
	assert_int_equal(d.qw0, m.qw0);
}

/* alloc_page() clears only with __GFP_ZERO; otherwise old bytes remain. */
static void test_alloc_page_zero_only_when_asked(void **state)
{
	struct page *p = alloc_page(GFP_KERNEL);
	u8 *va;

	memset(page_address(p), 0x5a, PAGE_SIZE);
	__free_page(p);
	p = alloc_page(GFP_KERNEL);	/* the same frame, last freed first */
	va = page_address(p);
	assert_int_equal(va[0], XS_PHYSMEM_POISON);
	assert_int_equal(va[PAGE_SIZE - 1], XS_PHYSMEM_POISON);
	__free_page(p);
	p = alloc_page(GFP_KERNEL | __GFP_ZERO);
	va = page_address(p);
	assert_int_equal(va[0], 0);
	assert_int_equal(va[PAGE_SIZE - 1], 0);
	__free_page(p);
}

/* Recycling a page the driver still has mapped: reported (S2). */
static void test_page_pool_recycle_checked(void **state)
{
	struct dma_fx *fx = *state;
	struct device *dev = xs_device_create("nic", 0x0300, 0,
					      IOMMU_DOMAIN_DMA);
	struct page_pool_params pp = {
		.pool_size = 4, .dev = dev, .dma_dir = DMA_FROM_DEVICE,
	};
	struct page_pool *pool = page_pool_create(&pp);
	struct page *a, *b, *c;
	dma_addr_t addr;

	assert_false(IS_ERR(pool));
	dma_fx_count_only(fx);
	a = page_pool_dev_alloc_pages(pool);
	b = page_pool_dev_alloc_pages(pool);
	page_pool_recycle_direct(pool, a);
	page_pool_recycle_direct(pool, b);
	assert_int_equal(xs_oracle_total(fx->o), 0);
	c = page_pool_dev_alloc_pages(pool);
	assert_ptr_equal(c, b);		/* last recycled, first reused */
	addr = dma_map_page(dev, c, 0, PAGE_SIZE, DMA_FROM_DEVICE);
	dma_fx_dev_write(dev, addr, 64, 1);
	page_pool_recycle_direct(pool, c);	/* still mapped */
	assert_int_equal(xs_oracle_count(fx->o, XS_S2), 1);
	dma_unmap_page(dev, addr, PAGE_SIZE, DMA_FROM_DEVICE);
	assert_int_equal(pool->xs_inflight, 0);
	page_pool_destroy(pool);
	assert_true(IS_ERR(page_pool_create(&(struct page_pool_params){
		.flags = PP_FLAG_DMA_MAP, .dma_dir = DMA_TO_DEVICE })));
	xs_device_destroy(dev);
}

/* A pool that maps for the driver unmaps when it lets a page go. */
static void test_page_pool_dma_map(void **state)
{
	struct dma_fx *fx = *state;
	struct device *dev = xs_device_create("nic", 0x0300, 0,
					      IOMMU_DOMAIN_DMA);
	struct page_pool_params pp = {
		.flags = PP_FLAG_DMA_MAP, .pool_size = 2, .dev = dev,
		.dma_dir = DMA_FROM_DEVICE,
	};
	struct page_pool *pool = page_pool_create(&pp);
	struct page *a;

	a = page_pool_dev_alloc_pages(pool);
	assert_int_not_equal(page_pool_get_dma_addr(a), 0);
	dma_fx_dev_write(dev, page_pool_get_dma_addr(a), 32, 2);
	assert_int_equal(xs_device_live_mappings(dev), 1);
	page_pool_recycle_direct(pool, a);
	page_pool_destroy(pool);
	assert_int_equal(xs_device_live_mappings(dev), 0);
	assert_int_equal(xs_oracle_total(fx->o), 0);
	xs_device_destroy(dev);
}

/* Freeing an skb whose page the device can still reach: S2. */
static void test_skb_free_checked(void **state)
{
	struct dma_fx *fx = *state;
	struct device *dev = xs_device_create("nic", 0x0300, 0,
					      IOMMU_DOMAIN_DMA);
	struct sk_buff *skb = alloc_skb(1500, GFP_KERNEL), *skb2;
	struct iommu_iotlb_gather g;
	struct xs_dma_map_rec rec;
	dma_addr_t addr;

	dma_fx_count_only(fx);
	memset(skb_put(skb, 1500), 0xab, 1500);
	addr = dma_map_single(dev, skb->data, skb_headlen(skb),
			      DMA_TO_DEVICE);
	assert_int_equal(xs_device_dma(dev, addr, (u8[16]){ 0 }, 16, false),
			 0);
	/* Unmapped without invalidation, then freed: the seed's TX bug. */
	assert_true(xs_device_live_mappings(dev) == 1);
	iommu_iotlb_gather_init(&g);
	iommu_unmap_fast(iommu_get_dma_domain(dev), addr & PAGE_MASK,
			 PAGE_SIZE, &g);
	dev_kfree_skb_any(skb);
	assert_int_equal(xs_oracle_count(fx->o, XS_S2), 1);
	iommu_iotlb_sync(iommu_get_dma_domain(dev), &g);
	/* Finish the unmap the test left half done. */
	assert_true(xs_dma_debug_unmap(dev, addr, &rec));
	iommu_dma_free_iova(cookie_of_dev(dev), addr & PAGE_MASK, PAGE_SIZE,
			    NULL);
	skb2 = alloc_skb(64, GFP_KERNEL);
	napi_consume_skb(skb2, 64);
	assert_int_equal(xs_oracle_count(fx->o, XS_S2), 1);
	xs_device_destroy(dev);
}

#define T(f) cmocka_unit_test_setup_teardown(f, dma_fx_setup, dma_fx_teardown)

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		T(test_boot_params),
		T(test_warn_reports),
		T(test_kmalloc_redzone),
		T(test_list),
		T(test_percpu_lock_rcu),
		T(test_qi_macros_match_model),
		T(test_alloc_page_zero_only_when_asked),
		T(test_page_pool_recycle_checked),
		T(test_page_pool_dma_map),
		T(test_skb_free_checked),
	};

	xs_rcu_register_thread();
	return XS_RUN_GROUP("dma_shim", tests);
}
