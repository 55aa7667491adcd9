// SPDX-License-Identifier: GPL-2.0
/*
 * QEMU 7.2's intel-iommu behind the comparison interface: a q35 machine
 * with no firmware to speak of (an image that halts), the IOMMU with a
 * 48-bit address width (4-level tables) and an edu device at 00:04.0
 * whose DMA goes through the IOMMU. Icount without sleeping makes edu's
 * DMA timer fire as soon as the vCPU idles; pit=off keeps QEMU idle.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xsmmu/vtd_regs.h>

#include "hw.h"
#include "scenario.h"

#define DMAR_BASE	0xfed90000ULL
#define EDU_BAR		0xe0000000ULL
#define EDU_DMA_SRC	0x80
#define EDU_DMA_DST	0x88
#define EDU_DMA_CNT	0x90
#define EDU_DMA_CMD	0x98
#define EDU_CMD_RUN	0x1
#define EDU_CMD_TO_RAM	0x2
#define PCI_CFG_ADDR	0xcf8
#define PCI_CFG_DATA	0xcfc

struct qemu_hw {
	struct hw hw;
	struct qtest *q;
	u64 dma_src, dma_dst, dma_cnt;	/* edu registers as last written */
	u64 polls;
	char bios[64];
};

static struct qtest *Q(void *ctx)
{
	return ((struct qemu_hw *)ctx)->q;
}

static u64 q_mem_r64(void *ctx, u64 phys)
{
	return qtest_readq(Q(ctx), phys);
}

static u32 q_mem_r32(void *ctx, u64 phys)
{
	return qtest_readl(Q(ctx), phys);
}

static void q_mem_r64_n(void *ctx, const u64 *phys, u64 *out,
			unsigned int n)
{
	qtest_readq_n(Q(ctx), phys, out, n);
}

static void q_mem_w64(void *ctx, u64 phys, u64 val)
{
	qtest_writeq(Q(ctx), phys, val);
}

static void q_mem_zero(void *ctx, u64 phys, u64 len)
{
	qtest_memset(Q(ctx), phys, len, 0);
}

static u64 q_reg_r64(void *ctx, u32 off)
{
	return qtest_readq(Q(ctx), DMAR_BASE + off);
}

static u32 q_reg_r32(void *ctx, u32 off)
{
	return qtest_readl(Q(ctx), DMAR_BASE + off);
}

static void q_reg_r_n(void *ctx, const u32 *off, const u8 *size, u64 *out,
		      unsigned int n)
{
	u64 addr[16];
	unsigned int i;

	for (i = 0; i < n && i < 16; i++)
		addr[i] = DMAR_BASE + off[i];
	qtest_read_n(Q(ctx), addr, size, out, i);
}

static void q_reg_w64(void *ctx, u32 off, u64 val)
{
	qtest_writeq(Q(ctx), DMAR_BASE + off, val);
}

static void q_reg_w32(void *ctx, u32 off, u32 val)
{
	qtest_writel(Q(ctx), DMAR_BASE + off, val);
}

/*
 * Legacy context entry (spec 9.3): lo = SLPTPTR | P, hi = DID << 8 |
 * AW (2: 48-bit, 4-level). Written in guest memory, where QEMU reads it
 * (and caches it until a context-cache invalidation).
 */
static void q_set_context(void *ctx, u64 root, u16 did)
{
	u64 e = G_CTX + EDU_DEVFN * 16ULL;

	if (!root) {
		qtest_writeq(Q(ctx), e, 0);
		qtest_writeq(Q(ctx), e + 8, 0);
		return;
	}
	qtest_writeq(Q(ctx), e + 8, ((u64)did << 8) | 2);
	qtest_writeq(Q(ctx), e, root | 1);
}

static void q_dma(void *ctx, u64 src, u64 dst, u32 len, bool to_ram)
{
	struct qemu_hw *h = ctx;
	struct qtest *q = h->q;
	int i;

	/* edu keeps its registers: write only what changes. */
	if (src != h->dma_src)
		qtest_writeq(q, EDU_BAR + EDU_DMA_SRC, src);
	if (dst != h->dma_dst)
		qtest_writeq(q, EDU_BAR + EDU_DMA_DST, dst);
	if (len != h->dma_cnt)
		qtest_writeq(q, EDU_BAR + EDU_DMA_CNT, len);
	h->dma_src = src;
	h->dma_dst = dst;
	h->dma_cnt = len;
	qtest_writeq(q, EDU_BAR + EDU_DMA_CMD,
		     EDU_CMD_RUN | (to_ram ? EDU_CMD_TO_RAM : 0));
	for (i = 0; i < 100000; i++)
		if (!(qtest_readq(q, EDU_BAR + EDU_DMA_CMD) & EDU_CMD_RUN)) {
			h->polls += i + 1;
			return;
		} else if (i) {
			/*
			 * The DMA runs when QEMU's vCPU idles: leave it the
			 * CPU rather than spin (2 cores, other jobs).
			 */
			usleep(i < 10 ? 20 : 200);
		}
	fprintf(stderr, "xsmmu-vtd-diff: edu DMA did not complete\n");
}

static void q_reset(void *ctx)
{
	/* GCMD without QIE turns the queue off and resets IQH to 0. */
	q_reg_w32(ctx, VTD_REG_GCMD, 0);
}

static bool q_alive(void *ctx)
{
	return qtest_ok(Q(ctx));
}

static void pci_cfg_write(struct qtest *q, u32 devfn, u32 reg, u32 val)
{
	qtest_outl(q, PCI_CFG_ADDR, 0x80000000U | devfn << 8 | reg);
	qtest_outl(q, PCI_CFG_DATA, val);
}

static u32 pci_cfg_read(struct qtest *q, u32 devfn, u32 reg)
{
	qtest_outl(q, PCI_CFG_ADDR, 0x80000000U | devfn << 8 | reg);
	return qtest_inl(q, PCI_CFG_DATA);
}

/* 64 KiB of hlt, with "cli; hlt; jmp $-1" at the reset vector. */
static int write_bios(char *path, size_t len)
{
	static u8 img[65536];
	int fd;

	snprintf(path, len, "/tmp/xsmmu-vtd-diff-bios-XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		return -1;
	memset(img, 0xf4, sizeof(img));
	img[0xfff0] = 0xfa;
	img[0xfff1] = 0xf4;
	img[0xfff2] = 0xeb;
	img[0xfff3] = 0xfd;
	if (write(fd, img, sizeof(img)) != (ssize_t)sizeof(img)) {
		close(fd);
		unlink(path);
		return -1;
	}
	close(fd);
	return 0;
}

struct hw *qemu_hw_create(const char *binary, char *err, size_t errlen)
{
	struct qemu_hw *h = calloc(1, sizeof(*h));
	const char *args[] = {
		"-nodefaults", "-display", "none", "-machine", "q35,pit=off",
		"-bios", NULL, "-icount", "shift=0,sleep=off", "-m", "128M",
		"-device", "intel-iommu,aw-bits=48",
		"-device", "edu,addr=4.0", NULL,
	};
	u32 id;

	if (!h) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (write_bios(h->bios, sizeof(h->bios))) {
		snprintf(err, errlen, "cannot write the firmware image in /tmp");
		free(h);
		return NULL;
	}
	args[6] = h->bios;
	h->hw.ctx = h;
	h->q = qtest_start(binary, args, err, errlen);
	unlink(h->bios);
	if (!h->q) {
		free(h);
		return NULL;
	}
	id = pci_cfg_read(h->q, EDU_DEVFN, 0);
	if (id != 0x11e81234) {
		snprintf(err, errlen, "no edu device at 00:04.0 (id %08x)",
			 id);
		qemu_hw_destroy(&h->hw);
		return NULL;
	}
	/* BAR0, then memory space and bus mastering. */
	pci_cfg_write(h->q, EDU_DEVFN, 0x10, (u32)EDU_BAR);
	pci_cfg_write(h->q, EDU_DEVFN, 0x04, 0x6);
	h->hw.name = "qemu";
	h->dma_src = h->dma_dst = h->dma_cnt = ~0ULL;
	h->hw.mem_r64 = q_mem_r64;
	h->hw.mem_r32 = q_mem_r32;
	h->hw.mem_r64_n = q_mem_r64_n;
	h->hw.mem_w64 = q_mem_w64;
	h->hw.mem_zero = q_mem_zero;
	h->hw.reg_r64 = q_reg_r64;
	h->hw.reg_r32 = q_reg_r32;
	h->hw.reg_r_n = q_reg_r_n;
	h->hw.reg_w64 = q_reg_w64;
	h->hw.reg_w32 = q_reg_w32;
	h->hw.set_context = q_set_context;
	h->hw.dma = q_dma;
	h->hw.reset = q_reset;
	h->hw.alive = q_alive;
	h->hw.frcd = (u32)VTD_CAP_FRO(q_reg_r64(h, VTD_REG_CAP)) * 16;
	if (!qtest_ok(h->q)) {
		snprintf(err, errlen, "QEMU stopped answering during setup");
		qemu_hw_destroy(&h->hw);
		return NULL;
	}
	return &h->hw;
}

void qemu_hw_destroy(struct hw *hw)
{
	struct qemu_hw *h = hw ? hw->ctx : NULL;

	if (!h)
		return;
	qtest_stop(h->q);
	free(h);
}

u64 qemu_hw_polls(struct hw *hw)
{
	return ((struct qemu_hw *)hw->ctx)->polls;
}

u64 qemu_hw_commands(struct hw *hw)
{
	return qtest_commands(((struct qemu_hw *)hw->ctx)->q);
}
