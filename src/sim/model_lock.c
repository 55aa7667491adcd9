// SPDX-License-Identifier: GPL-2.0
/* The model lock (see include/xsmmu/model_lock.h). */
#define _GNU_SOURCE
#include <pthread.h>

#include <xsmmu/model_lock.h>

bool xs_model_threaded;
pthread_mutex_t xs_model_mutex = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
_Thread_local unsigned int xs_model_depth;

unsigned int xs_model_lock_release_all(void)
{
	unsigned int n = xs_model_depth;

	while (xs_model_depth) {
		xs_model_depth--;
		pthread_mutex_unlock(&xs_model_mutex);
	}
	return n;
}
