// SPDX-License-Identifier: GPL-2.0
/*
 * The userspace runtime behind the shim headers: printk, WARN/BUG
 * reporting, boot parameters, simulated CPUs, per-CPU memory, kmalloc
 * accounting, timers and jiffies on the virtual clock.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/timer.h>
#include <xsmmu/kworld.h>
#include <xsmmu/model_lock.h>
#include <xsmmu/oracle.h>

/* ---- printk, WARN, BUG ---- */

static int printk_level = 4;
static unsigned long warn_count;

void xs_printk_set_level(int level)
{
	printk_level = level;
}

void xs_printk(int level, const char *fmt, ...)
{
	va_list ap;

	if (level > printk_level)
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

static void default_bug_handler(const char *file, int line, const char *cond)
{
	abort();
}

static xs_bug_handler_t bug_handler = default_bug_handler;

xs_bug_handler_t xs_kernel_set_bug_handler(xs_bug_handler_t h)
{
	xs_bug_handler_t old = bug_handler;

	bug_handler = h ? h : default_bug_handler;
	return old;
}

/*
 * Every WARN is counted and handed to the world's oracle (a W verdict:
 * fatal in test fixtures, a finding for the fuzzer, a failed run for
 * xsmmu-sim). Only the first few of a boot are printed in full, so a WARN
 * on a hot path cannot drown the report that explains it.
 */
#define WARN_PRINT_LIMIT	32

static unsigned long warn_boot = 1;
static unsigned long warns_this_boot;

static void warn_report(const char *file, int line, const char *cond,
			const char *msg)
{
	unsigned long n;

	__atomic_add_fetch(&warn_count, 1, __ATOMIC_RELAXED);
	n = __atomic_add_fetch(&warns_this_boot, 1, __ATOMIC_RELAXED);
	if (n <= WARN_PRINT_LIMIT)
		fprintf(stderr, "WARNING: at %s:%d: %s%s%s\n", file, line, cond,
			msg ? ": " : "", msg ? msg : "");
	if (n == WARN_PRINT_LIMIT)
		fprintf(stderr, "WARNING: further WARNs of this boot are counted, not printed\n");
	if (xs_kw && xs_kw->oracle)
		xs_oracle_report(xs_kw->oracle, XS_W, -1, -1, 0, 0,
				 "WARN at %s:%d: %s%s%s", file, line, cond,
				 msg ? ": " : "", msg ? msg : "");
}

void xs_kernel_warn(const char *file, int line, const char *cond)
{
	warn_report(file, line, cond, NULL);
}

void xs_kernel_warn_fmt(const char *file, int line, const char *cond,
			const char *fmt, ...)
{
	char msg[160];
	size_t len;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	len = strlen(msg);
	if (len && msg[len - 1] == '\n')
		msg[len - 1] = 0;
	warn_report(file, line, cond, msg);
}

int xs_kernel_warn_once_first(unsigned long *site_boot)
{
	unsigned long boot = __atomic_load_n(&warn_boot, __ATOMIC_RELAXED);

	return __atomic_exchange_n(site_boot, boot, __ATOMIC_RELAXED) != boot;
}

void xs_kernel_warn_once_reset(void)
{
	__atomic_add_fetch(&warn_boot, 1, __ATOMIC_RELAXED);
	__atomic_store_n(&warns_this_boot, 0, __ATOMIC_RELAXED);
}

unsigned long xs_kernel_warn_count(void)
{
	return __atomic_load_n(&warn_count, __ATOMIC_RELAXED);
}

void xs_kernel_bug(const char *file, int line, const char *cond)
{
	fprintf(stderr, "kernel BUG at %s:%d: %s\n", file, line, cond);
	if (xs_kw)
		fprintf(stderr, "seed %llu, virtual time %llu ns\n",
			(unsigned long long)xs_kw->seed,
			(unsigned long long)xs_clock_now(&xs_kw->clock));
	bug_handler(file, line, cond);
}

#ifdef XSMMU_UBSAN_BOUNDS_HANDLER
/*
 * The kernel's UBSAN array-bounds report, for the patch's code (built
 * with -fsanitize=bounds, src/CMakeLists.txt): an index past a
 * fixed-size array is a WARN (W), and then, as with panic_on_warn, a BUG
 * before the access is made, so the run stops on the report instead of
 * going on with memory written past the array.
 */
struct ubsan_source_location {
	const char *file;
	u32 line;
	u32 column;
};

struct ubsan_type_descriptor {
	u16 kind;
	u16 info;
	char name[];
};

struct ubsan_out_of_bounds_data {
	struct ubsan_source_location loc;
	struct ubsan_type_descriptor *array_type;
	struct ubsan_type_descriptor *index_type;
};

void __ubsan_handle_out_of_bounds(void *data, void *index);
void __ubsan_handle_out_of_bounds(void *data, void *index)
{
	struct ubsan_out_of_bounds_data *d = data;

	xs_kernel_warn_fmt(d->loc.file, (int)d->loc.line,
			   "UBSAN: array-index-out-of-bounds",
			   "index %lu is out of range for type %s",
			   (unsigned long)index, d->array_type->name);
	xs_kernel_bug(d->loc.file, (int)d->loc.line,
		      "UBSAN: array-index-out-of-bounds (panic_on_warn)");
}
#endif

int kstrtobool(const char *s, bool *res)
{
	if (!s)
		return -EINVAL;
	if (!strcmp(s, "1") || !strcmp(s, "y") || !strcmp(s, "Y") ||
	    !strcmp(s, "on")) {
		*res = true;
		return 0;
	}
	if (!strcmp(s, "0") || !strcmp(s, "n") || !strcmp(s, "N") ||
	    !strcmp(s, "off")) {
		*res = false;
		return 0;
	}
	return -EINVAL;
}

int kstrtouint(const char *s, unsigned int base, unsigned int *res)
{
	unsigned long v;
	char *end;

	if (!s || !*s || *s == '-')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, (int)base);
	if (errno || *end || v > UINT_MAX)
		return errno == ERANGE || v > UINT_MAX ? -ERANGE : -EINVAL;
	*res = (unsigned int)v;
	return 0;
}

/* ---- boot parameters ---- */

static struct xs_boot_param *boot_params;

void xs_boot_param_register(struct xs_boot_param *p)
{
	p->next = boot_params;
	boot_params = p;
}

/* __setup names carry their '=' ("foo="), early_param names do not. */
static bool name_matches(const char *pname, const char *word, size_t nlen)
{
	size_t plen = strlen(pname);

	if (plen && pname[plen - 1] == '=')
		plen--;
	return plen == nlen && !strncmp(pname, word, nlen);
}

static int apply_word(char *word)
{
	struct xs_boot_param *p;
	char *eq = strchr(word, '=');
	size_t nlen = eq ? (size_t)(eq - word) : strlen(word);
	bool handled = false;
	int bad = 0;

	for (p = boot_params; p; p = p->next) {
		if (!name_matches(p->name, word, nlen))
			continue;
		handled = true;
		if (p->early && p->early(eq ? eq + 1 : NULL) < 0)
			bad = 1;
		if (p->setup && !p->setup(eq ? eq + 1 : (char *)""))
			bad = 1;
	}
	if (!handled || bad) {
		fprintf(stderr, "kernel command line: %s parameter '%s'\n",
			handled ? "bad value for" : "unknown", word);
		return 1;
	}
	return 0;
}

int xs_kernel_cmdline(const char *cmdline)
{
	char *buf = strdup(cmdline), *save = NULL, *w;
	int bad = 0;

	if (!buf)
		return -ENOMEM;
	for (w = strtok_r(buf, " \t", &save); w; w = strtok_r(NULL, " \t", &save))
		bad += apply_word(w);
	free(buf);
	return bad;
}

/* ---- locks ---- */

unsigned long xs_spin_contentions;

/* ---- CPUs and per-CPU memory ---- */

static _Thread_local unsigned int cur_cpu;
static unsigned int nr_cpus = 1;

unsigned int xs_cpu_current(void)
{
	return cur_cpu;
}

void xs_cpu_set_current(unsigned int cpu)
{
	BUG_ON(cpu >= nr_cpus);
	cur_cpu = cpu;
}

static int process_context[XS_MAX_CPUS];

void xs_process_context_enter(void)
{
	process_context[cur_cpu]++;
}

void xs_process_context_exit(void)
{
	WARN_ON(process_context[cur_cpu]-- <= 0);
}

int in_serving_softirq(void)
{
	return !process_context[cur_cpu];
}

unsigned int xs_nr_cpus(void)
{
	return nr_cpus;
}

void xs_set_nr_cpus(unsigned int n)
{
	memset(process_context, 0, sizeof(process_context));
	BUG_ON(n == 0 || n > XS_MAX_CPUS);
	nr_cpus = n;
	if (cur_cpu >= n)
		cur_cpu = 0;
}

/*
 * One block of slots, one per possible CPU, behind a header. The number
 * of possible CPUs is the world's, set before any per-CPU allocation; a
 * CPU beyond the slots is a BUG, as an out-of-range per_cpu_ptr() is.
 */
void *__alloc_percpu(size_t size, size_t align)
{
	size_t stride = ALIGN(size, align < 16 ? 16 : align);
	unsigned int nr = num_possible_cpus();
	struct xs_percpu_hdr *h;

	/* One slot per possible CPU, as the kernel sizes per-CPU areas. */
	h = kzalloc(64 + stride * nr, GFP_KERNEL);
	if (!h)
		return NULL;
	h->stride = stride;
	h->nr = nr;
	return (char *)h + 64;
}

void free_percpu(void *p)
{
	if (p)
		kfree((char *)p - 64);
}

void *xs_per_cpu_ptr(void *p, unsigned int cpu)
{
	struct xs_percpu_hdr *h = (void *)((char *)p - 64);

	BUG_ON(cpu >= h->nr);
	return (char *)p + h->stride * cpu;
}

/* ---- kmalloc ---- */

/*
 * Every object has red zones, as SLUB's red zoning gives it: a header
 * before it (its size, its link in the list of live objects, a magic
 * word) and KMALLOC_REDZONE bytes of a known pattern after it. kfree()
 * checks both, and the world's teardown checks every object still live:
 * an overwritten red zone is a kernel WARN (a W verdict, which fails
 * tests, the fuzzer and xsmmu-sim) naming the object's size and the first
 * byte written past its end. So a write one element past a kmalloc'd or
 * kvzalloc'd array (a full batch that does not sync in time) is caught
 * deterministically in a release build. Under ASan the red zone is
 * poisoned instead: ASan then reports the access itself, reads included.
 */
/*
 * jemalloc keeps objects up to 64 KiB in the thread's cache. The red zone
 * takes the model's many objects of exactly 32 KiB (IOVA depots, the
 * NIC's address logs) past the default limit of 32 KiB, and each of them
 * going to the arena and back cost the fuzzer a quarter of its speed.
 */
const char *malloc_conf = "tcache_max:65536";

#define KMALLOC_REDZONE		64
#define KMALLOC_RZ_BYTE		0xbb
#define KMALLOC_MAGIC		0x6b6d616c6c6f6321ULL

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define rz_poison(p, n)		ASAN_POISON_MEMORY_REGION(p, n)
#define rz_unpoison(p, n)	ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define rz_poison(p, n)		do { } while (0)
#define rz_unpoison(p, n)	do { } while (0)
#endif

struct kmalloc_hdr {
	struct kmalloc_hdr *prev, *next;	/* live objects */
	size_t size;
	u64 magic;				/* the left red zone */
};

static struct kmalloc_hdr kmalloc_live = {
	.prev = &kmalloc_live, .next = &kmalloc_live,
};
static pthread_mutex_t kmalloc_lock = PTHREAD_MUTEX_INITIALIZER;
static long kmalloc_out;

static u8 *redzone_of(struct kmalloc_hdr *h)
{
	return (u8 *)(h + 1) + h->size;
}

void *kmalloc(size_t size, gfp_t flags)
{
	struct kmalloc_hdr *h;

	if (size > SIZE_MAX - sizeof(*h) - KMALLOC_REDZONE)
		return NULL;
	/* calloc: large zeroed blocks come from fresh pages, not memset. */
	h = (flags & __GFP_ZERO) ?
	    calloc(1, sizeof(*h) + size + KMALLOC_REDZONE) :
	    malloc(sizeof(*h) + size + KMALLOC_REDZONE);
	if (!h)
		return NULL;
	h->size = size;
	h->magic = KMALLOC_MAGIC;
	memset(redzone_of(h), KMALLOC_RZ_BYTE, KMALLOC_REDZONE);
	rz_poison(redzone_of(h), KMALLOC_REDZONE);
	pthread_mutex_lock(&kmalloc_lock);
	h->next = kmalloc_live.next;
	h->prev = &kmalloc_live;
	h->next->prev = h;
	kmalloc_live.next = h;
	kmalloc_out++;
	pthread_mutex_unlock(&kmalloc_lock);
	return h + 1;
}

void *kzalloc(size_t size, gfp_t flags)
{
	return kmalloc(size, flags | __GFP_ZERO);
}

void *kcalloc(size_t n, size_t size, gfp_t flags)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	return kmalloc(n * size, flags | __GFP_ZERO);
}

void *kvzalloc(size_t size, gfp_t flags)
{
	return kzalloc(size, flags);
}

/* Reports (WARN) an object whose red zones were written; true if intact. */
static bool redzone_check(struct kmalloc_hdr *h, const char *when)
{
	u8 *rz = redzone_of(h);
	size_t i;

	if (h->magic != KMALLOC_MAGIC) {
		xs_kernel_warn_fmt(__FILE__, __LINE__, "kmalloc red zone",
				   "%s: the header of the object at %p is overwritten (a write before it, or not a kmalloc object)",
				   when, (void *)(h + 1));
		return false;
	}
	rz_unpoison(rz, KMALLOC_REDZONE);
	for (i = 0; i < KMALLOC_REDZONE && rz[i] == KMALLOC_RZ_BYTE; i++)
		;
	rz_poison(rz, KMALLOC_REDZONE);
	if (i == KMALLOC_REDZONE)
		return true;
	xs_kernel_warn_fmt(__FILE__, __LINE__, "kmalloc red zone",
			   "%s: byte %zu past the end of a %zu-byte object written",
			   when, i, h->size);
	return false;
}

void kfree(const void *p)
{
	struct kmalloc_hdr *h;

	if (!p)
		return;
	h = (struct kmalloc_hdr *)p - 1;
	redzone_check(h, "kfree");
	pthread_mutex_lock(&kmalloc_lock);
	h->prev->next = h->next;
	h->next->prev = h->prev;
	kmalloc_out--;
	pthread_mutex_unlock(&kmalloc_lock);
	rz_unpoison(redzone_of(h), KMALLOC_REDZONE);
	free(h);
}

void kvfree(const void *p)
{
	kfree(p);
}

long xs_kmalloc_outstanding(void)
{
	long n;

	pthread_mutex_lock(&kmalloc_lock);
	n = kmalloc_out;
	pthread_mutex_unlock(&kmalloc_lock);
	return n;
}

unsigned long xs_kmalloc_check_redzones(void)
{
	struct kmalloc_hdr *h;
	unsigned long bad = 0;

	pthread_mutex_lock(&kmalloc_lock);
	for (h = kmalloc_live.next; h != &kmalloc_live; h = h->next)
		bad += !redzone_check(h, "object still live at teardown");
	pthread_mutex_unlock(&kmalloc_lock);
	return bad;
}

/* ---- timers and jiffies on the virtual clock ---- */

unsigned long xs_jiffies(void)
{
	return xs_kw ? (unsigned long)(xs_clock_now(&xs_kw->clock) / XS_NS_PER_JIFFY) : 0;
}

void timer_setup(struct timer_list *t, void (*fn)(struct timer_list *),
		 unsigned int flags)
{
	memset(t, 0, sizeof(*t));
	t->function = fn;
}

static void timer_unlink(struct timer_list *t)
{
	struct timer_list **pp;

	for (pp = &xs_kw->timers; *pp; pp = &(*pp)->next) {
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	}
	t->next = NULL;
	t->pending = false;
}

int mod_timer(struct timer_list *t, unsigned long expires)
{
	XS_MODEL_GUARD();
	int was = t->pending;

	if (!xs_kw)
		return 0;
	if (was)
		timer_unlink(t);
	t->expires = expires;
	t->pending = true;
	t->next = xs_kw->timers;
	xs_kw->timers = t;
	return was;
}

int del_timer(struct timer_list *t)
{
	XS_MODEL_GUARD();
	int was = t->pending;

	if (was && xs_kw)
		timer_unlink(t);
	return was;
}

/* Unlinks and returns one expired timer, or NULL. */
static struct timer_list *take_expired(struct xs_kworld *w)
{
	XS_MODEL_GUARD();
	unsigned long now = xs_jiffies();
	struct timer_list *t;

	for (t = w->timers; t; t = t->next) {
		if ((long)(now - t->expires) >= 0) {
			timer_unlink(t);
			return t;
		}
	}
	return NULL;
}

/*
 * Runs the expired timers one at a time, without the model lock: a
 * callback is kernel code and takes the kernel's locks.
 */
void xs_kworld_run_timers(struct xs_kworld *w)
{
	struct timer_list *t;

	while ((t = take_expired(w)))
		t->function(t);
}
