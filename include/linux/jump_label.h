/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Static keys (shim), 5.15 names. The kernel patches a jump into the
 * code; here a key is a flag read with a relaxed load, so the branch
 * costs one load and the semantics (off until enabled, enabled for good
 * once a sleepable caller turned it on) are the kernel's. A world is a
 * fresh boot: xs_static_key_reset() turns a key off again between
 * worlds.
 */
#ifndef _XS_SHIM_LINUX_JUMP_LABEL_H
#define _XS_SHIM_LINUX_JUMP_LABEL_H

#include <linux/compiler.h>
#include <linux/types.h>

struct static_key_false {
	bool enabled;
};

#define STATIC_KEY_FALSE_INIT	{ false }
#define DEFINE_STATIC_KEY_FALSE(name) \
	struct static_key_false name = STATIC_KEY_FALSE_INIT

#define static_branch_unlikely(key) \
	unlikely(__atomic_load_n(&(key)->enabled, __ATOMIC_ACQUIRE))
#define static_branch_likely(key) \
	likely(__atomic_load_n(&(key)->enabled, __ATOMIC_ACQUIRE))
#define static_branch_enable(key) \
	__atomic_store_n(&(key)->enabled, true, __ATOMIC_RELEASE)
#define static_branch_disable(key) \
	__atomic_store_n(&(key)->enabled, false, __ATOMIC_RELEASE)
#define xs_static_key_reset(key)	static_branch_disable(key)

#endif
