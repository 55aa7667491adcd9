/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fixture for the kernel-world tests: a world with one VT-d unit (unless
 * a test asks for more), an oracle that fails the test on any violation
 * or kernel WARN (tests of wrong orderings switch that off and count
 * instead; tests that provoke WARNs declare how many), and a BUG handler
 * that fails the test rather than aborting.
 *
 * Failing fast: the BUG handler (a fatal oracle report lands there) leaves
 * by cmocka's longjmp, possibly from inside kernel code that holds its
 * spinlocks and model code that holds the model lock. It releases the
 * model lock this thread holds and marks the world broken; teardown then
 * abandons the world (xs_kworld_abandon()) instead of running kernel code
 * that would wait on those locks forever. In a thread other than the
 * test's own there is no longjmp to take: the handler aborts the process.
 */
#ifndef DMA_FIXTURE_H
#define DMA_FIXTURE_H

#include "xs_test.h"

#include <linux/dma-mapping.h>
#include <linux/intel-iommu.h>
#include <linux/iommu.h>
#include <linux/mm.h>
#include <xsmmu/kworld.h>
#include <xsmmu/oracle.h>
#include <xsmmu/vtd.h>

struct dma_fx {
	struct xs_kworld *w;
	struct xs_oracle *o;
	bool teardown_done;
};

/* Creates a world from cfg (NULL: defaults) and installs the handlers. */
struct dma_fx *dma_fx_new(const struct xs_kworld_config *cfg);
/* Destroys the world and asserts nothing leaked (L1). */
void dma_fx_free_checked(struct dma_fx *fx);
/*
 * Destroys the world; returns the leaks it reported. Fails the test when
 * the WARNs declared with dma_fx_expect_warns() did not all happen. After
 * a fatal report it abandons the world instead (and returns 0).
 */
u64 dma_fx_free(struct dma_fx *fx);
/* A fatal report or BUG failed the current test: its world is broken. */
bool dma_fx_broken(void);
/*
 * The test provokes exactly n kernel WARNs from here on (up to the world's
 * destruction): more fail the test at the extra one, fewer at the end.
 */
void dma_fx_expect_warns(struct dma_fx *fx, unsigned int n);

int dma_fx_setup(void **state);
int dma_fx_teardown(void **state);

/*
 * Runs one test with its setup and teardown, as cmocka runs it, in a
 * child process, for tests about failing: the parent sees whether and
 * how fast the child's test failed. Returns the child's exit status:
 * DMA_FX_CHILD_PASSED, DMA_FX_CHILD_FAILED (the test or its teardown
 * failed, then a new world booted and no thread held the model lock),
 * DMA_FX_CHILD_NO_REBOOT, DMA_FX_CHILD_LOCK_HELD; or 256 + the signal
 * that killed it; or DMA_FX_CHILD_TIMEOUT (killed after timeout_s).
 * *secs (may be NULL): the child's run time, wall clock.
 */
enum {
	DMA_FX_CHILD_PASSED = 0,
	DMA_FX_CHILD_FAILED = 1,
	DMA_FX_CHILD_NO_REBOOT = 2,
	DMA_FX_CHILD_LOCK_HELD = 3,
	DMA_FX_CHILD_TIMEOUT = -1,
};
int dma_fx_run_child(CMUnitTestFunction test, CMFixtureFunction setup,
		     CMFixtureFunction teardown, double timeout_s,
		     double *secs);

/* Counts violations instead of failing on them; silences the reports. */
void dma_fx_count_only(struct dma_fx *fx);

struct page *dma_fx_page(const char *owner);
/* The device writes len bytes of pattern seed at addr; asserts success. */
void dma_fx_dev_write(struct device *dev, dma_addr_t addr, size_t len,
		      u8 seed);
void dma_fx_fill(void *buf, size_t len, u8 seed);

struct iommu_dma_cookie;
/* The DMA cookie of the device's domain (needs dma_iommu_internal.h). */
struct iommu_dma_cookie *cookie_of_dev(struct device *dev);

#endif
