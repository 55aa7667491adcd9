/* SPDX-License-Identifier: GPL-2.0 */
/* Kernel types in userspace (shim): the simulator's u8..s64 plus the
 * address types the DMA and IOMMU interfaces use. */
#ifndef _XS_SHIM_LINUX_TYPES_H
#define _XS_SHIM_LINUX_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <xsmmu/types.h>

typedef u64 dma_addr_t;
typedef u64 phys_addr_t;
typedef unsigned int gfp_t;
typedef u16 __le16;
typedef u32 __le32;
typedef u64 __le64;
typedef u16 __be16;
typedef u32 __be32;

typedef struct {
	int counter;
} atomic_t;

struct list_head {
	struct list_head *next, *prev;
};

struct hlist_node {
	struct hlist_node *next, **pprev;
};

#endif
