/* SPDX-License-Identifier: GPL-2.0 */
/* kmalloc and friends (shim), counted so tests can assert no leak. */
#ifndef _XS_SHIM_LINUX_SLAB_H
#define _XS_SHIM_LINUX_SLAB_H

#include <linux/types.h>
#include <linux/gfp.h>
#include <linux/overflow.h>

void *kmalloc(size_t size, gfp_t flags);
void *kzalloc(size_t size, gfp_t flags);
void *kcalloc(size_t n, size_t size, gfp_t flags);
void *kvzalloc(size_t size, gfp_t flags);
void kfree(const void *p);
void kvfree(const void *p);
/* Objects from kmalloc not yet freed. */
long xs_kmalloc_outstanding(void);
/*
 * Checks the red zones of every live object (WARN for each one written
 * past its end). Returns how many were.
 */
unsigned long xs_kmalloc_check_redzones(void);

#define kmalloc_array(n, s, f)	kcalloc(n, s, f)
#define kvcalloc(n, s, f)	kcalloc(n, s, f)

#endif
