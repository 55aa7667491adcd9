/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Zeroed buffers recycled from one world to the next. A world (one fuzz
 * execution) needs a few tables indexed by page frame or source id, of
 * megabytes each, of which it touches the first few per cent: calloc()
 * and free() of them per world was a third of a fuzz execution under
 * ASan (fresh mappings faulted in, quarantine, unmapping) and a tenth in
 * a release build (jemalloc's purge and refault).
 *
 * xs_zbuf_free() takes how many leading bytes the owner may have
 * written, clears those and keeps the buffer for the next
 * xs_zbuf_alloc() of the same size: a recycled buffer is all zeroes, as
 * a fresh one is, so a world built from recycled buffers behaves as a
 * fresh one does (tests/sim/test_zbuf.c, fuzz.reuse_is_fresh).
 */
#ifndef XSMMU_ZBUF_H
#define XSMMU_ZBUF_H

#include <stddef.h>

/* size bytes of zeroes, or NULL. */
void *xs_zbuf_alloc(size_t size);
/*
 * Give back a buffer of xs_zbuf_alloc(size) whose bytes from dirty on
 * are all still zero (dirty above size means size).
 */
void xs_zbuf_free(void *p, size_t size, size_t dirty);
/* Free every kept buffer (a leak checker's exit, tests). */
void xs_zbuf_drain(void);
/* How many buffers are kept now (tests). */
unsigned int xs_zbuf_kept(void);

#endif /* XSMMU_ZBUF_H */
