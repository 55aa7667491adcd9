// SPDX-License-Identifier: GPL-2.0
/* The model lock (see include/xsmmu/model_lock.h). */
#define _GNU_SOURCE
#include <pthread.h>

#include <xsmmu/model_lock.h>

bool xs_model_threaded;
pthread_mutex_t xs_model_mutex = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
