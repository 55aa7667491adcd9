// SPDX-License-Identifier: GPL-2.0
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <xsmmu/model_lock.h>

#include "dma_fixture.h"
#include "dma_iommu_internal.h"

static pthread_t test_thread;
static bool world_broken;

static void fail_on_bug(const char *file, int line, const char *cond)
{
	if (!pthread_equal(pthread_self(), test_thread)) {
		/* cmocka's longjmp belongs to the test's thread. */
		fprintf(stderr, "kernel BUG at %s:%d: %s in a worker thread: aborting the test process\n",
			file, line, cond);
		abort();
	}
	world_broken = true;
	/* The guards the longjmp skips would never release it. */
	xs_model_lock_release_all();
	fail_msg("kernel BUG at %s:%d: %s", file, line, cond);
}

bool dma_fx_broken(void)
{
	return world_broken;
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
	/* A fatal report in the last teardown left its world behind. */
	if (world_broken && xs_kw)
		xs_kworld_abandon(xs_kw);
	test_thread = pthread_self();
	world_broken = false;
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
	u64 leaks = 0, warns_left = 0;

	if (!fx)
		return 0;
	if (world_broken) {
		/* Kernel locks may be held by code that never returned. */
		xs_kworld_abandon(fx->w);
		free(fx);
		return 0;
	}
	if (fx->w) {
		warns_left = xs_oracle_expected_left(fx->o, XS_W);
		leaks = xs_kworld_destroy(fx->w);
	}
	free(fx);
	if (warns_left)
		fail_msg("%llu of the kernel WARNs the test expected did not happen",
			 (unsigned long long)warns_left);
	return leaks;
}

void dma_fx_expect_warns(struct dma_fx *fx, unsigned int n)
{
	xs_oracle_expect(fx->o, XS_W, n);
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

	if (world_broken) {
		*state = NULL;
		dma_fx_free(fx);	/* abandons its world */
		if (xs_kw)		/* one the test made itself */
			xs_kworld_abandon(xs_kw);
		return -1;
	}
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

static void *try_model_lock(void *arg)
{
	bool *free_now = arg;

	*free_now = !pthread_mutex_trylock(&xs_model_mutex);
	if (*free_now)
		pthread_mutex_unlock(&xs_model_mutex);
	return NULL;
}

/* In the child: after the test, is the process still usable? */
static int child_after_failure(void)
{
	struct xs_kworld_config cfg;
	struct xs_kworld *w;
	bool lock_free = false;
	pthread_t t;

	/* Another thread: the lock is recursive for this one. */
	if (pthread_create(&t, NULL, try_model_lock, &lock_free) ||
	    pthread_join(t, NULL) || !lock_free)
		return DMA_FX_CHILD_LOCK_HELD;
	xs_kworld_default_config(&cfg);
	w = xs_kworld_create(&cfg);
	if (!w)
		return DMA_FX_CHILD_NO_REBOOT;
	xs_kworld_destroy(w);
	return DMA_FX_CHILD_FAILED;
}

static double since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) +
	       (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

int dma_fx_run_child(CMUnitTestFunction test, CMFixtureFunction setup,
		     CMFixtureFunction teardown, double timeout_s,
		     double *secs)
{
	const struct CMUnitTest child[] = {
		{ "child", test, setup, teardown, NULL },
	};
	struct timespec t0;
	int status = 0;
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int failed;

		cmocka_set_test_filter(NULL);
		failed = _cmocka_run_group_tests("child", child, 1, NULL,
						 NULL);
		fflush(stdout);
		fflush(stderr);
		/* _exit: the abandoned world is no leak to report. */
		_exit(failed ? child_after_failure() : DMA_FX_CHILD_PASSED);
	}
	while (waitpid(pid, &status, WNOHANG) == 0) {
		if (since(&t0) > timeout_s) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			if (secs)
				*secs = since(&t0);
			return DMA_FX_CHILD_TIMEOUT;
		}
		usleep(1000);
	}
	if (secs)
		*secs = since(&t0);
	if (WIFSIGNALED(status))
		return 256 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
