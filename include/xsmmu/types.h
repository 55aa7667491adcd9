/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel-style fixed-width types for the simulator, so code moves between
 * src/kernel and the model without renaming. The kernel shim headers
 * (include/linux) take their types from here.
 */
#ifndef XSMMU_TYPES_H
#define XSMMU_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifndef XSMMU_HAVE_KERNEL_TYPES
#define XSMMU_HAVE_KERNEL_TYPES
typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;
#endif

#define XS_PAGE_SHIFT	12
#define XS_PAGE_SIZE	(1ULL << XS_PAGE_SHIFT)
#define XS_PAGE_MASK	(~(XS_PAGE_SIZE - 1))

#define XS_BIT(n)		(1ULL << (n))
/* Bits h..l inclusive, as the VT-d specification writes field ranges. */
#define XS_GENMASK(h, l)	((~0ULL >> (63 - (h))) & (~0ULL << (l)))
#define XS_FIELD_GET(v, h, l)	(((v) & XS_GENMASK(h, l)) >> (l))
#define XS_FIELD_PREP(x, h, l)	(((u64)(x) << (l)) & XS_GENMASK(h, l))

#define XS_ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#endif
