/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The two implementations under comparison, behind one interface: memory
 * as software and the device see it, the unit's registers, the context
 * entry of the DMA device, and the device's DMA engine (QEMU's edu: an
 * internal buffer at EDU_BUF, copies to and from it through the IOMMU).
 */
#ifndef VTD_DIFF_HW_H
#define VTD_DIFF_HW_H

#include <xsmmu/types.h>

#include "qtest.h"

#define EDU_BUF		0x40000ULL
#define EDU_BUF_SIZE	4096
/* The device: bus 0, device 4, function 0. */
#define EDU_DEVFN	0x20
#define EDU_SID		0x0020

struct hw {
	const char *name;
	void *ctx;
	u64 (*mem_r64)(void *ctx, u64 phys);
	u32 (*mem_r32)(void *ctx, u64 phys);
	/* n 64-bit reads at once (one round trip on QEMU). */
	void (*mem_r64_n)(void *ctx, const u64 *phys, u64 *out,
			  unsigned int n);
	void (*mem_w64)(void *ctx, u64 phys, u64 val);
	void (*mem_zero)(void *ctx, u64 phys, u64 len);
	u64 (*reg_r64)(void *ctx, u32 off);
	u32 (*reg_r32)(void *ctx, u32 off);
	/* n register reads of size[i] (4 or 8) bytes at once. */
	void (*reg_r_n)(void *ctx, const u32 *off, const u8 *size, u64 *out,
			unsigned int n);
	void (*reg_w64)(void *ctx, u32 off, u64 val);
	void (*reg_w32)(void *ctx, u32 off, u32 val);
	/* Context entry of EDU_SID: root table, did; root 0: not present. */
	void (*set_context)(void *ctx, u64 root, u16 did);
	/* The edu DMA: len bytes from src to dst (one of them EDU_BUF). */
	void (*dma)(void *ctx, u64 src, u64 dst, u32 len, bool to_ram);
	/* Back to the unit's reset state (a new unit, or QI and TE off). */
	void (*reset)(void *ctx);
	bool (*alive)(void *ctx);
	u32 frcd;	/* fault recording register offset (CAP.FRO * 16) */
};

/* The capabilities both sides are configured with (read from QEMU). */
struct unit_caps {
	u64 cap, ecap;
};

struct hw *model_hw_create(const struct unit_caps *caps);
void model_hw_destroy(struct hw *h);

/* NULL with a message in err when QEMU cannot run. */
struct hw *qemu_hw_create(const char *binary, char *err, size_t errlen);
void qemu_hw_destroy(struct hw *h);
u64 qemu_hw_commands(struct hw *h);
/* Reads of edu's command register until DMAs completed. */
u64 qemu_hw_polls(struct hw *h);

#endif
