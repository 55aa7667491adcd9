// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>

#include "dma_fixture.h"
#include "dma_iommu_internal.h"

static void fail_on_bug(const char *file, int line, const char *cond)
{
	fail_msg("kernel BUG at %s:%d: %s", file, line, cond);
}

struct dma_fx *dma_fx_new(const struct xs_kworld_config *cfg)
{
	struct xs_kworld_config def;
	struct dma_fx *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return NULL;
	if (!cfg) {
		xs_kworld_default_config(&def);
		cfg = &def;
	}
	xs_kernel_set_bug_handler(fail_on_bug);
	fx->w = xs_kworld_create(cfg);
	if (!fx->w) {
		free(fx);
		return NULL;
	}
	fx->o = fx->w->oracle;
	return fx;
}

u64 dma_fx_free(struct dma_fx *fx)
{
	u64 leaks = 0;

	if (!fx)
		return 0;
	if (fx->w)
		leaks = xs_kworld_destroy(fx->w);
	free(fx);
	return leaks;
}

void dma_fx_free_checked(struct dma_fx *fx)
{
	assert_int_equal(dma_fx_free(fx), 0);
}

int dma_fx_setup(void **state)
{
	*state = dma_fx_new(NULL);
	return *state ? 0 : -1;
}

int dma_fx_teardown(void **state)
{
	struct dma_fx *fx = *state;

	u64 leaks;

	/* A test that tore the world down itself leaves NULL here. */
	if (!fx || !xs_kw)
		return 0;
	*state = NULL;
	leaks = dma_fx_free(fx);
	/* Every test ends with nothing leaked (L1). */
	if (leaks)
		fprintf(stderr, "teardown: %llu kinds of leak\n",
			(unsigned long long)leaks);
	return leaks ? -1 : 0;
}

void dma_fx_count_only(struct dma_fx *fx)
{
	xs_oracle_set_fatal(fx->o, false);
	xs_oracle_set_output(fx->o, NULL);
}

struct page *dma_fx_page(const char *owner)
{
	struct page *page = alloc_page(GFP_KERNEL);

	assert_non_null(page);
	xs_page_set_owner(page, owner);
	return page;
}

void dma_fx_fill(void *buf, size_t len, u8 seed)
{
	u8 *p = buf;
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (u8)(seed + i * 131);
}

void dma_fx_dev_write(struct device *dev, dma_addr_t addr, size_t len,
		      u8 seed)
{
	u8 buf[PAGE_SIZE * 2];

	assert_true(len <= sizeof(buf));
	dma_fx_fill(buf, len, seed);
	assert_int_equal(xs_device_dma(dev, addr, buf, len, true), 0);
}

struct iommu_dma_cookie *cookie_of_dev(struct device *dev)
{
	return iommu_get_dma_domain(dev)->iova_cookie;
}
