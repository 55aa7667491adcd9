// SPDX-License-Identifier: GPL-2.0
/* Zeroed buffers recycled from one world to the next (see zbuf.h). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <xsmmu/zbuf.h>

/*
 * A world keeps about a dozen such tables (physical memory, the struct
 * page array, the oracle's per-frame counters, each unit's context
 * table); room for two worlds' worth.
 */
#define ZBUF_SLOTS	32

struct zbuf_slot {
	void *p;
	size_t size;
};

static struct zbuf_slot slots[ZBUF_SLOTS];
static unsigned int nr_kept;
static pthread_mutex_t zbuf_lock = PTHREAD_MUTEX_INITIALIZER;

void *xs_zbuf_alloc(size_t size)
{
	void *p = NULL;
	unsigned int i;

	if (!size)
		return NULL;
	pthread_mutex_lock(&zbuf_lock);
	for (i = 0; i < nr_kept; i++) {
		if (slots[i].size != size)
			continue;
		p = slots[i].p;
		slots[i] = slots[--nr_kept];
		break;
	}
	pthread_mutex_unlock(&zbuf_lock);
	return p ? p : calloc(1, size);
}

void xs_zbuf_free(void *p, size_t size, size_t dirty)
{
	if (!p)
		return;
	memset(p, 0, dirty < size ? dirty : size);
	pthread_mutex_lock(&zbuf_lock);
	if (nr_kept < ZBUF_SLOTS) {
		slots[nr_kept].p = p;
		slots[nr_kept].size = size;
		nr_kept++;
		p = NULL;
	}
	pthread_mutex_unlock(&zbuf_lock);
	free(p);
}

void xs_zbuf_drain(void)
{
	pthread_mutex_lock(&zbuf_lock);
	while (nr_kept) {
		nr_kept--;
		free(slots[nr_kept].p);
	}
	pthread_mutex_unlock(&zbuf_lock);
}

unsigned int xs_zbuf_kept(void)
{
	unsigned int n;

	pthread_mutex_lock(&zbuf_lock);
	n = nr_kept;
	pthread_mutex_unlock(&zbuf_lock);
	return n;
}
