// SPDX-License-Identifier: GPL-2.0
/*
 * Scenarios: the text form, the hand-written ones (one per rule the
 * patch relies on) and the seeded random generator.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <xsmmu/vtd_desc.h>
#include <xsmmu/vtd_regs.h>

#include "hw.h"
#include "run.h"
#include "scenario.h"

void scn_add(struct scenario *sc, enum step_kind k, int dom, int level, u64 a,
	     u64 b)
{
	struct step *s;

	if (sc->n >= SCN_MAX_STEPS)
		return;
	s = &sc->s[sc->n++];
	s->kind = k;
	s->dom = dom;
	s->level = level;
	s->a = a;
	s->b = b;
}

static const char *const kw[] = {
	[ST_CTX] = "ctx", [ST_PTE] = "pte", [ST_DESC] = "desc",
	[ST_TAIL] = "tail", [ST_IQT] = "iqt", [ST_FSTS] = "fsts",
	[ST_FIXHEAD] = "fixhead", [ST_DMAW] = "dmaw", [ST_DMAR] = "dmar",
	[ST_EXPECT_HIT] = "expect hit", [ST_EXPECT_FAULT] = "expect fault",
	[ST_EXPECT_STATUS] = "expect status", [ST_EXPECT_IQH] = "expect iqh",
	[ST_EXPECT_FSTS] = "expect fsts",
};

void scn_print(FILE *f, const struct scenario *sc)
{
	unsigned int i;

	fprintf(f, "# name: %s\n", sc->name);
	for (i = 0; i < sc->n; i++) {
		const struct step *s = &sc->s[i];

		fputs(kw[s->kind], f);
		switch (s->kind) {
		case ST_CTX:
			if (s->dom < 0)
				fprintf(f, " - %#" PRIx64, s->a);
			else
				fprintf(f, " %d %#" PRIx64, s->dom, s->a);
			break;
		case ST_PTE:
			fprintf(f, " %d %d %#" PRIx64 " %#" PRIx64, s->dom,
				s->level, s->a, s->b);
			break;
		case ST_DESC:
		case ST_EXPECT_STATUS:
		case ST_EXPECT_FSTS:
			fprintf(f, " %#" PRIx64 " %#" PRIx64, s->a, s->b);
			break;
		case ST_IQT:
		case ST_FSTS:
		case ST_DMAW:
		case ST_DMAR:
		case ST_EXPECT_HIT:
		case ST_EXPECT_FAULT:
		case ST_EXPECT_IQH:
			fprintf(f, " %#" PRIx64, s->a);
			break;
		default:
			break;
		}
		fputc('\n', f);
	}
}

static int num(char **p, u64 *v)
{
	char *t = strtok_r(NULL, " \t\r\n", p), *end;

	if (!t)
		return -1;
	*v = strtoull(t, &end, 0);
	return *end ? -1 : 0;
}

int scn_parse(FILE *f, struct scenario *sc, char *err, size_t errlen)
{
	char line[512], *p, *w;
	unsigned int ln = 0, k;
	u64 a, b, c, d;

	memset(sc, 0, sizeof(*sc));
	snprintf(sc->name, sizeof(sc->name), "replay");
	while (fgets(line, sizeof(line), f)) {
		ln++;
		if (!strncmp(line, "# name: ", 8)) {
			snprintf(sc->name, sizeof(sc->name), "%.*s",
				 (int)strcspn(line + 8, "\r\n"), line + 8);
			continue;
		}
		line[strcspn(line, "#")] = 0;
		w = strtok_r(line, " \t\r\n", &p);
		if (!w)
			continue;
		if (!strcmp(w, "expect")) {
			w = strtok_r(NULL, " \t\r\n", &p);
			if (!w)
				goto bad;
			w[-1] = ' ';
			w = line;
		}
		for (k = 0; k < XS_ARRAY_SIZE(kw); k++)
			if (!strcmp(w, kw[k]))
				break;
		if (k == XS_ARRAY_SIZE(kw) || sc->n >= SCN_MAX_STEPS)
			goto bad;
		a = b = c = d = 0;
		switch ((enum step_kind)k) {
		case ST_CTX:
			w = strtok_r(NULL, " \t\r\n", &p);
			if (!w || num(&p, &b))
				goto bad;
			if (!strcmp(w, "-")) {
				scn_add(sc, ST_CTX, -1, 0, b, 0);
				break;
			}
			a = strtoull(w, NULL, 0);
			if (a >= NR_DOMS)
				goto bad;
			scn_add(sc, ST_CTX, (int)a, 0, b, 0);
			break;
		case ST_PTE:
			if (num(&p, &a) || num(&p, &b) || num(&p, &c) ||
			    num(&p, &d) || a >= NR_DOMS || b < 1 || b > 4)
				goto bad;
			scn_add(sc, ST_PTE, (int)a, (int)b, c, d);
			break;
		case ST_DESC:
		case ST_EXPECT_STATUS:
		case ST_EXPECT_FSTS:
			if (num(&p, &a) || num(&p, &b))
				goto bad;
			scn_add(sc, (enum step_kind)k, 0, 0, a, b);
			break;
		case ST_TAIL:
		case ST_FIXHEAD:
			scn_add(sc, (enum step_kind)k, 0, 0, 0, 0);
			break;
		default:
			if (num(&p, &a))
				goto bad;
			scn_add(sc, (enum step_kind)k, 0, 0, a, 0);
			break;
		}
	}
	return 0;
bad:
	snprintf(err, errlen, "line %u: cannot read this step", ln);
	return -1;
}

/* Building blocks. */
#define IOVA(pd, pt, off)	(((u64)(pd) << 21) | ((u64)(pt) << 12) | (off))
#define DATA(k)			(G_DATA + (u64)(k) * XS_PAGE_SIZE)
#define ST_ADDR(slot)		(G_STATUS + 4ULL * (slot))

static void map(struct scenario *sc, int dom, u64 iova, u64 phys, u64 perm)
{
	scn_add(sc, ST_PTE, dom, 1, iova, phys | perm);
}

static void desc(struct scenario *sc, struct vtd_desc d)
{
	scn_add(sc, ST_DESC, 0, 0, d.qw0, d.qw1);
}

static void psi(struct scenario *sc, u16 did, u64 addr, u8 am, bool ih)
{
	desc(sc, vtd_desc_iotlb(VTD_IOTLB_PSI, did, addr, am, ih, false,
				false));
}

static void dsi(struct scenario *sc, u16 did)
{
	desc(sc, vtd_desc_iotlb(VTD_IOTLB_DSI, did, 0, 0, false, false,
				false));
}

static void wait(struct scenario *sc, unsigned int slot, u32 data)
{
	desc(sc, vtd_desc_wait(true, false, false, data, ST_ADDR(slot)));
}

/* Descriptors, a wait on slot, the tail write, the status check. */
static void sync(struct scenario *sc, unsigned int slot, u32 data)
{
	wait(sc, slot, data);
	scn_add(sc, ST_TAIL, 0, 0, 0, 0);
	scn_add(sc, ST_EXPECT_STATUS, 0, 0, slot, data);
	scn_add(sc, ST_EXPECT_FSTS, 0, 0, VTD_FSTS_IQE, 0);
}

static void dmaw_expect(struct scenario *sc, u64 iova, u64 phys)
{
	scn_add(sc, ST_DMAW, 0, 0, iova, 0);
	scn_add(sc, ST_EXPECT_HIT, 0, 0, phys + (iova & 0xfff), 0);
}

static void dmar_expect(struct scenario *sc, u64 iova, u64 phys)
{
	scn_add(sc, ST_DMAR, 0, 0, iova, 0);
	scn_add(sc, ST_EXPECT_HIT, 0, 0, phys + (iova & 0xfff), 0);
}

static void dma_fault(struct scenario *sc, bool write, u64 iova, u8 fr)
{
	scn_add(sc, write ? ST_DMAW : ST_DMAR, 0, 0, iova, 0);
	scn_add(sc, ST_EXPECT_FAULT, 0, 0, fr, 0);
}

/* iova -> page a, used, then remapped to page b without invalidation. */
static void stale_setup(struct scenario *sc, u64 iova, unsigned int a,
			unsigned int b)
{
	map(sc, 0, iova, DATA(a), VTD_SL_RW);
	dmaw_expect(sc, iova, DATA(a));
	map(sc, 0, iova, DATA(b), VTD_SL_RW);
	dmaw_expect(sc, iova, DATA(a));		/* stale */
	dmar_expect(sc, iova, DATA(a));
}

static void n_stale_psi(struct scenario *sc, unsigned int mamv)
{
	u64 v = IOVA(0, 3, 0x8);

	stale_setup(sc, v, 1, 2);
	psi(sc, 1, v, 0, false);
	sync(sc, 0, 0x11);
	dmaw_expect(sc, v, DATA(2));
	/* Unmapped and invalidated: the translation is gone. */
	map(sc, 0, v, 0, 0);
	psi(sc, 1, v, 0, false);
	sync(sc, 1, 0x12);
	dma_fault(sc, true, v, VTD_FR_WRITE);
}

static void n_stale_dsi(struct scenario *sc, unsigned int mamv)
{
	u64 v = IOVA(1, 7, 0x800), w = IOVA(0, 0, 0);

	stale_setup(sc, v, 3, 4);
	stale_setup(sc, w, 5, 6);
	dsi(sc, 1);
	sync(sc, 0, 0x21);
	dmaw_expect(sc, v, DATA(4));
	dmaw_expect(sc, w, DATA(6));
}

static void n_stale_global(struct scenario *sc, unsigned int mamv)
{
	u64 v = IOVA(2, 1, 0xff8);

	stale_setup(sc, v, 7, 8);
	/* A context-cache invalidation leaves the IOTLB. */
	desc(sc, vtd_desc_cc(VTD_CC_GLOBAL, 0, 0, 0));
	sync(sc, 0, 0x30);
	dmaw_expect(sc, v, DATA(7));
	desc(sc, vtd_desc_iotlb(VTD_IOTLB_GLOBAL, 0, 0, 0, false, false,
				false));
	sync(sc, 1, 0x31);
	dmaw_expect(sc, v, DATA(8));
}

static void n_did_scoping(struct scenario *sc, unsigned int mamv)
{
	u64 v = IOVA(0, 5, 0);

	stale_setup(sc, v, 1, 9);
	psi(sc, 2, v, 0, false);	/* wrong domain */
	dsi(sc, 3);			/* wrong domain */
	psi(sc, 1, IOVA(0, 6, 0), 0, false);	/* right domain, next page */
	sync(sc, 0, 0x40);
	dmaw_expect(sc, v, DATA(1));
	psi(sc, 1, v, 0, false);
	sync(sc, 1, 0x41);
	dmaw_expect(sc, v, DATA(9));
}

static void n_am_aligned(struct scenario *sc, unsigned int mamv)
{
	unsigned int i;

	/* Pages 4..8 cached, then all remapped: AM=2 at page 4 covers 4..7. */
	for (i = 4; i <= 8; i++)
		stale_setup(sc, IOVA(0, i, 0), i - 4, i + 4 - 4 + 5);
	psi(sc, 1, IOVA(0, 4, 0), 2, false);
	sync(sc, 0, 0x50);
	for (i = 4; i <= 7; i++)
		dmaw_expect(sc, IOVA(0, i, 0), DATA(i + 5));
	dmaw_expect(sc, IOVA(0, 8, 0), DATA(4));	/* outside: stale */
	dmaw_expect(sc, IOVA(0, 8, 0), DATA(4));
}

static void n_am_unaligned(struct scenario *sc, unsigned int mamv)
{
	unsigned int i;

	/*
	 * ADDR 6 with AM=2: the low AM bits of the address are ignored, the
	 * block is pages 4..7 (spec 6.5.2.3); 3 and 8 stay stale.
	 */
	for (i = 3; i <= 8; i++)
		stale_setup(sc, IOVA(0, i, 0x8), i, i + 6);
	psi(sc, 1, IOVA(0, 6, 0), 2, false);
	sync(sc, 0, 0x60);
	dmaw_expect(sc, IOVA(0, 3, 0x8), DATA(3));
	for (i = 4; i <= 7; i++)
		dmaw_expect(sc, IOVA(0, i, 0x8), DATA(i + 6));
	dmaw_expect(sc, IOVA(0, 8, 0x8), DATA(8));
}

static void n_am_boundary(struct scenario *sc, unsigned int mamv)
{
	/* AM=MAMV: the 2^MAMV-page block from 0 holds both pages. */
	stale_setup(sc, IOVA(0, 511, 0), 1, 2);
	stale_setup(sc, IOVA(1, 0, 0), 3, 4);
	psi(sc, 1, IOVA(1, 0, 0), (u8)mamv, false);
	sync(sc, 0, 0x70);
	dmaw_expect(sc, IOVA(0, 511, 0), DATA(2));
	dmaw_expect(sc, IOVA(1, 0, 0), DATA(4));
	/*
	 * AM=9: the 2 MiB block of the address (0x11000: block 0), not the
	 * next one. QEMU 7.2 drops the next one too (its mask is 8 bits
	 * wide): the last DMA ends as that known difference.
	 */
	map(sc, 0, IOVA(0, 511, 0), DATA(6), VTD_SL_RW);
	map(sc, 0, IOVA(1, 0, 0), DATA(7), VTD_SL_RW);
	psi(sc, 1, IOVA(0, 17, 0), 9, false);
	sync(sc, 1, 0x71);
	dmaw_expect(sc, IOVA(0, 511, 0), DATA(6));
	dmaw_expect(sc, IOVA(1, 0, 0), DATA(4));	/* stale */
}

static void n_ih(struct scenario *sc, unsigned int mamv)
{
	u64 v = IOVA(0, 9, 0x800);

	/* IH=1 only spares the paging-structure caches: the leaf goes. */
	stale_setup(sc, v, 10, 11);
	psi(sc, 1, v, 0, true);
	sync(sc, 0, 0x80);
	dmaw_expect(sc, v, DATA(11));
}

static void n_wait_order(struct scenario *sc, unsigned int mamv)
{
	u64 v = IOVA(0, 2, 0);

	stale_setup(sc, v, 12, 13);
	psi(sc, 1, v, 0, false);
	wait(sc, 2, 0xa);
	/*
	 * SW with IF together is valid (spec 6.5.2.8) but aborts QEMU 7.2
	 * (an assertion in its wait handling): one flag at a time here.
	 */
	desc(sc, vtd_desc_wait(true, false, true, 0xb, ST_ADDR(3)));
	desc(sc, vtd_desc_wait(false, true, false, 0, 0));
	wait(sc, 4, 0xc);
	scn_add(sc, ST_TAIL, 0, 0, 0, 0);
	scn_add(sc, ST_EXPECT_STATUS, 0, 0, 2, 0xa);
	scn_add(sc, ST_EXPECT_STATUS, 0, 0, 3, 0xb);
	scn_add(sc, ST_EXPECT_STATUS, 0, 0, 4, 0xc);
	scn_add(sc, ST_EXPECT_IQH, 0, 0, 5, 0);
	dmaw_expect(sc, v, DATA(13));
	/* IWC is write-1-to-clear in ICS; clear FSTS bits that are not set. */
	scn_add(sc, ST_FSTS, 0, 0, VTD_FSTS_ITE | VTD_FSTS_ICE, 0);
}

/* Queue error: IQH stays on the culprit, later descriptors wait. */
static void iqe_case(struct scenario *sc, struct vtd_desc bad)
{
	u64 v = IOVA(0, 12, 0x8);

	stale_setup(sc, v, 14, 15);
	wait(sc, 5, 0x91);
	desc(sc, bad);
	psi(sc, 1, v, 0, false);
	wait(sc, 6, 0x92);
	scn_add(sc, ST_TAIL, 0, 0, 0, 0);
	scn_add(sc, ST_EXPECT_STATUS, 0, 0, 5, 0x91);
	scn_add(sc, ST_EXPECT_STATUS, 0, 0, 6, 0);
	scn_add(sc, ST_EXPECT_IQH, 0, 0, 1, 0);
	scn_add(sc, ST_EXPECT_FSTS, 0, 0, VTD_FSTS_IQE, VTD_FSTS_IQE);
	dmaw_expect(sc, v, DATA(14));		/* the PSI has not run */
	/*
	 * Clearing IQE alone: the model resumes at once and the same
	 * descriptor fails again; QEMU resumes at the next IQT write (a
	 * known difference), which software then makes.
	 */
	scn_add(sc, ST_FSTS, 0, 0, VTD_FSTS_IQE, 0);
	scn_add(sc, ST_TAIL, 0, 0, 0, 0);
	scn_add(sc, ST_EXPECT_FSTS, 0, 0, VTD_FSTS_IQE, VTD_FSTS_IQE);
	scn_add(sc, ST_EXPECT_IQH, 0, 0, 1, 0);
	/* Software replaces it, clears IQE: the queue goes on from IQH. */
	scn_add(sc, ST_FIXHEAD, 0, 0, 0, 0);
	scn_add(sc, ST_FSTS, 0, 0, VTD_FSTS_IQE, 0);
	scn_add(sc, ST_TAIL, 0, 0, 0, 0);
	scn_add(sc, ST_EXPECT_FSTS, 0, 0, VTD_FSTS_IQE, 0);
	scn_add(sc, ST_EXPECT_STATUS, 0, 0, 15, 0xf1c5);
	scn_add(sc, ST_EXPECT_STATUS, 0, 0, 6, 0x92);
	scn_add(sc, ST_EXPECT_IQH, 0, 0, 4, 0);
	dmaw_expect(sc, v, DATA(15));
}

static void n_iqe_reserved(struct scenario *sc, unsigned int mamv)
{
	struct vtd_desc d = vtd_desc_iotlb(VTD_IOTLB_PSI, 1, IOVA(0, 12, 0),
					   0, false, false, false);

	d.qw1 |= XS_BIT(9);	/* reserved bits 11:7 of qw1 */
	iqe_case(sc, d);
}

static void n_iqe_type(struct scenario *sc, unsigned int mamv)
{
	struct vtd_desc d = { 0 };

	d.qw0 = 0x9 | (1ULL << 16);	/* no such type */
	iqe_case(sc, d);
}

static void n_iqe_am(struct scenario *sc, unsigned int mamv)
{
	iqe_case(sc, vtd_desc_iotlb(VTD_IOTLB_PSI, 1, 0, (u8)(mamv + 1),
				    false, false, false));
}

static void n_context_cache(struct scenario *sc, unsigned int mamv)
{
	u64 v = IOVA(0, 1, 0);

	map(sc, 0, v, DATA(1), VTD_SL_RW);
	map(sc, 1, v, DATA(2), VTD_SL_RW);
	dmaw_expect(sc, v, DATA(1));
	/*
	 * The device moves to table 1, domain 2, with the invalidations
	 * the spec asks for (6.5.3.3 / 6.5.2.1): device-selective context
	 * cache, then the old domain's IOTLB.
	 */
	scn_add(sc, ST_CTX, 1, 0, 2, 0);
	desc(sc, vtd_desc_cc(VTD_CC_DEVICE, 1, EDU_SID, 0));
	dsi(sc, 1);
	sync(sc, 0, 0xc0);
	dmaw_expect(sc, v, DATA(2));
	dmar_expect(sc, v, DATA(2));
	/* Context not present: fault reason 2 once the cache is told. */
	scn_add(sc, ST_CTX, -1, 0, 0, 0);
	desc(sc, vtd_desc_cc(VTD_CC_GLOBAL, 0, 0, 0));
	dsi(sc, 2);
	sync(sc, 1, 0xc1);
	scn_add(sc, ST_DMAR, 0, 0, v, 0);
	scn_add(sc, ST_EXPECT_FAULT, 0, 0, VTD_FR_CTX_NOT_PRESENT, 0);
}

static void n_faults(struct scenario *sc, unsigned int mamv)
{
	map(sc, 0, IOVA(0, 20, 0), DATA(1), VTD_SL_R);
	map(sc, 0, IOVA(0, 21, 0), DATA(2), VTD_SL_W);
	dma_fault(sc, true, IOVA(0, 22, 0x800), VTD_FR_WRITE);
	dma_fault(sc, false, IOVA(0, 22, 0x8), VTD_FR_READ);
	dma_fault(sc, true, IOVA(0, 20, 0), VTD_FR_WRITE);
	dmar_expect(sc, IOVA(0, 20, 0), DATA(1));
	dma_fault(sc, false, IOVA(0, 21, 0), VTD_FR_READ);
	dmaw_expect(sc, IOVA(0, 21, 0), DATA(2));
	/* A reserved address bit (51) in a leaf: FR 0xc. */
	map(sc, 0, IOVA(0, 23, 0), DATA(3) | XS_BIT(51), VTD_SL_RW);
	dma_fault(sc, true, IOVA(0, 23, 0), VTD_FR_SL_RSVD);
	/* Not present in the middle of the walk (PDE of 2 MiB block 3). */
	dma_fault(sc, false, IOVA(3, 0, 0), VTD_FR_READ);
}

static void n_superpage(struct scenario *sc, unsigned int mamv)
{
	u64 v = IOVA(2, 5, 0x800);

	scn_add(sc, ST_PTE, 0, 2, IOVA(2, 0, 0),
		G_SUPER | VTD_SL_PS | VTD_SL_RW);
	dmaw_expect(sc, v, G_SUPER + 5 * XS_PAGE_SIZE);
	/* Split into 4 KiB pages: the 2 MiB entry stays until invalidated. */
	map(sc, 0, v, DATA(3), VTD_SL_RW);
	dmaw_expect(sc, v, G_SUPER + 5 * XS_PAGE_SIZE);
	psi(sc, 1, IOVA(2, 0, 0), 0, false);	/* covers the 2 MiB entry */
	sync(sc, 0, 0xd0);
	dmaw_expect(sc, v, DATA(3));
}

/* Shows the masks at work: each must end as that known difference. */
static void n_iotlb_full(struct scenario *sc, unsigned int mamv)
{
	unsigned int i;

	/*
	 * A stale entry kept recently used while 1030 other translations
	 * are filled: the model's LRU keeps it, QEMU dropped everything at
	 * its 1025th insert.
	 */
	stale_setup(sc, IOVA(0, 0, 0), 1, 2);
	for (i = 1; i <= 1030; i++) {
		map(sc, 0, IOVA(1 + i / 512, i % 512, 0), DATA(3), VTD_SL_RW);
		scn_add(sc, ST_DMAR, 0, 0, IOVA(1 + i / 512, i % 512, 0), 0);
		if (i == 1015)
			scn_add(sc, ST_DMAR, 0, 0, IOVA(0, 0, 0), 0);
	}
	scn_add(sc, ST_DMAW, 0, 0, IOVA(0, 0, 0), 0);
}

static void n_context_stale(struct scenario *sc, unsigned int mamv)
{
	u64 v = IOVA(0, 1, 0);

	map(sc, 0, v, DATA(1), VTD_SL_RW);
	map(sc, 1, v, DATA(2), VTD_SL_RW);
	dmaw_expect(sc, v, DATA(1));
	/*
	 * No invalidation at all: QEMU's IOTLB, looked up by source id,
	 * still gives table 0's page; the model's, tagged by domain id,
	 * misses for domain 2 and walks table 1.
	 */
	scn_add(sc, ST_CTX, 1, 0, 2, 0);
	scn_add(sc, ST_DMAW, 0, 0, v, 0);
}

static void n_denied_hit(struct scenario *sc, unsigned int mamv)
{
	u64 v = IOVA(0, 4, 0);

	/* Read-only page, cached by a read, then written: fault 5 due. */
	map(sc, 0, v, DATA(4), VTD_SL_R);
	dmar_expect(sc, v, DATA(4));
	dma_fault(sc, true, v, VTD_FR_WRITE);
}

static void n_pasid_type(struct scenario *sc, unsigned int mamv)
{
	struct vtd_desc d = { 0 };

	/* A PASID-based IOTLB descriptor on a unit without scalable mode. */
	d.qw0 = 0x6 | (1ULL << 16) | (3ULL << 4);
	desc(sc, d);
	wait(sc, 0, 0x66);
	scn_add(sc, ST_TAIL, 0, 0, 0, 0);
}

static void n_wait_nop(struct scenario *sc, unsigned int mamv)
{
	/* A wait with FN only (no status write, no interrupt). */
	desc(sc, vtd_desc_wait(false, false, true, 0, 0));
	wait(sc, 0, 0x67);
	scn_add(sc, ST_TAIL, 0, 0, 0, 0);
}

struct named {
	const char *name;
	const char *rule;
	void (*build)(struct scenario *sc, unsigned int mamv);
	unsigned int known;	/* the known differences it must show */
};

#define K(x)	(1U << KD_##x)

static const struct named named[] = {
	{ "stale_until_psi", "a cached translation survives a PTE change until a PSI covering it", n_stale_psi, 0 },
	{ "stale_until_dsi", "a domain-selective invalidation drops every page of the domain", n_stale_dsi, 0 },
	{ "stale_until_global", "only a global IOTLB invalidation (not a context one) drops it", n_stale_global, 0 },
	{ "did_scoping", "PSI/DSI with another DID, or another page, leave the entry", n_did_scoping, 0 },
	{ "am_aligned", "AM=2 drops exactly the 4 aligned pages", n_am_aligned, 0 },
	{ "am_unaligned", "the low AM bits of ADDR are ignored: the aligned block", n_am_unaligned, 0 },
	{ "am_boundary", "AM=MAMV covers all; AM=9 stops at the 2 MiB boundary", n_am_boundary, K(PSI_WIDE) },
	{ "ih_keeps_leaf", "a PSI with IH=1 still drops the leaf translation", n_ih, 0 },
	{ "wait_order", "waits complete in order after earlier descriptors; IF/FN", n_wait_order, 0 },
	{ "iqe_reserved", "reserved bit: IQE, IQH stays, later ones wait, recovery", n_iqe_reserved, K(IQERCD) | K(IQE_RESUME) },
	{ "iqe_unknown_type", "unknown type: IQE, IQH stays, recovery", n_iqe_type, K(IQERCD) | K(IQE_RESUME) },
	{ "iqe_am_over_mamv", "AM > MAMV: IQE, IQH stays, recovery", n_iqe_am, K(IQERCD) | K(IQE_RESUME) },
	{ "context_cache", "context change + CC + DSI; not-present context FR=2", n_context_cache, 0 },
	{ "fault_recording", "FR 5/6/0xc with source id, address and type", n_faults, 0 },
	{ "superpage_2m", "a 2 MiB entry stays cached after a split until a PSI", n_superpage, 0 },
	{ "known_iotlb_full", "mask demo: QEMU flushes its IOTLB at 1025 entries", n_iotlb_full, K(IOTLB_FULL) },
	{ "known_context_stale", "mask demo: context change without invalidation", n_context_stale, K(CONTEXT) },
	{ "known_denied_hit", "mask demo: a write through a cached read-only entry", n_denied_hit, K(PERM_HIT) },
	{ "known_pasid_type", "mask demo: type 6 without scalable mode", n_pasid_type, K(DESC_ACCEPT) },
	{ "known_wait_nop", "mask demo: a wait with neither SW nor IF", n_wait_nop, K(WAIT_NOP) },
};

unsigned int scn_named_count(void)
{
	return XS_ARRAY_SIZE(named);
}

const char *scn_named_name(unsigned int i)
{
	return named[i].name;
}

const char *scn_named_rule(unsigned int i)
{
	return named[i].rule;
}

unsigned int scn_named_known(unsigned int i)
{
	return named[i].known;
}

void scn_named_build(unsigned int i, struct scenario *sc, unsigned int mamv)
{
	memset(sc, 0, sizeof(*sc));
	snprintf(sc->name, sizeof(sc->name), "%s", named[i].name);
	named[i].build(sc, mamv);
}

/* The random generator: a small IOVA space so that steps collide. */
static u64 pick(struct xs_rand *r, u64 n)
{
	return xs_rand_below(r, n);
}

/*
 * Half of the IOVAs come back to recent ones or their neighbours, so
 * that a PTE change, the DMA that shows a stale entry and the PSI whose
 * AM block does or does not cover it meet often.
 */
static u64 hist[8];
static unsigned int nhist;

static u64 rnd_iova(struct xs_rand *r)
{
	u64 v;

	if (nhist && pick(r, 2)) {
		v = hist[pick(r, nhist < 8 ? nhist : 8)];
		if (!pick(r, 3))
			v ^= (u64)(1 + pick(r, 3)) << 12;
		v = (v & ~0xfffULL) | dma_offsets[pick(r, NR_OFFS)];
	} else {
		v = IOVA(pick(r, 3), pick(r, 8),
			 dma_offsets[pick(r, NR_OFFS)]);
	}
	hist[nhist++ % 8] = v;
	return v;
}

static u64 rnd_leaf(struct xs_rand *r)
{
	static const u64 perms[] = { VTD_SL_RW, VTD_SL_RW, VTD_SL_RW,
				     VTD_SL_RW, VTD_SL_RW, VTD_SL_RW,
				     VTD_SL_R, VTD_SL_W };
	static const unsigned int odd_bits[] = { 7, 11, 46, 47, 51, 52, 62 };
	u64 v;

	if (pick(r, 100) < 15)
		return 0;
	v = DATA(pick(r, DATA_PAGES)) | perms[pick(r, XS_ARRAY_SIZE(perms))];
	if (pick(r, 100) < 4)
		v |= XS_BIT(odd_bits[pick(r, XS_ARRAY_SIZE(odd_bits))]);
	return v;
}

static struct vtd_desc rnd_desc(struct xs_rand *r, unsigned int mamv,
				u64 *tag)
{
	unsigned int k = (unsigned int)pick(r, 100);
	u16 did = (u16)pick(r, 4);
	struct vtd_desc d;

	if (k < 40) {
		d = vtd_desc_iotlb(VTD_IOTLB_PSI, did, rnd_iova(r),
				   (u8)(pick(r, 4) ? pick(r, 4) :
					pick(r, mamv + 1)),
				   pick(r, 2), pick(r, 2), pick(r, 2));
	} else if (k < 52) {
		d = vtd_desc_iotlb(VTD_IOTLB_DSI, did, 0, 0, false,
				   pick(r, 2), pick(r, 2));
	} else if (k < 55) {
		d = vtd_desc_iotlb(VTD_IOTLB_GLOBAL, 0, 0, 0, false, false,
				   false);
	} else if (k < 63) {
		d = vtd_desc_cc((unsigned int)pick(r, 3) + 1, did,
				pick(r, 2) ? EDU_SID : 0x28,
				(u8)pick(r, 4));
	} else if (k < 85) {
		/* Not SW and IF together: QEMU 7.2 aborts (see docs). */
		bool sw = pick(r, 5) != 0;

		d = vtd_desc_wait(sw, !sw && pick(r, 10), pick(r, 3) == 0,
				  (u32)++*tag, ST_ADDR(pick(r, 8)));
	} else if (k < 89) {
		d = vtd_desc_iec(pick(r, 2), (u32)pick(r, 64),
				 (u8)pick(r, 3));
	} else if (k < 90) {
		d = vtd_desc_devtlb(EDU_SID, 0, 0, rnd_iova(r) &
				    ~0xfffULL, false);
	} else {
		/* Something invalid: a reserved bit, a type, a large AM. */
		d = vtd_desc_iotlb(VTD_IOTLB_PSI, did, rnd_iova(r), 0, false,
				   false, false);
		switch (pick(r, 5)) {
		case 0:
			d.qw0 |= XS_BIT(pick(r, 2) ? 8 : 40);
			break;
		case 1:
			d.qw1 |= XS_BIT(7 + pick(r, 5));
			break;
		case 2:
			/* Types 6 and 7 (PASID-based) rarely: QEMU runs them. */
			d.qw0 = (d.qw0 & ~0xfULL) | (pick(r, 8) ? 8 + pick(r, 8) :
						     6 + pick(r, 2));
			break;
		case 3:
			d.qw1 |= mamv + 1 + pick(r, 63 - mamv);
			break;
		default:
			d.qw0 &= ~XS_GENMASK(5, 4);	/* granularity 0 */
			break;
		}
	}
	return d;
}

void scn_random(struct scenario *sc, struct xs_rand *r, unsigned int mamv)
{
	unsigned int steps = 12 + (unsigned int)pick(r, 16), i, j, n;
	u64 tag = 0x1000 * (pick(r, 0xfffff) + 1);
	struct vtd_desc d;
	int dom = 0;

	memset(sc, 0, sizeof(*sc));
	snprintf(sc->name, sizeof(sc->name), "random");
	nhist = 0;
	for (i = 0; i < steps; i++) {
		unsigned int k = (unsigned int)pick(r, 100);

		if (k < 10) {
			/*
			 * The pattern the patch lives by: used, remapped,
			 * an invalidation (any DID, AM, IH, or a DSI) that
			 * may or may not cover it, then used again.
			 */
			u64 v = rnd_iova(r), a = v ^ ((u64)pick(r, 4) << 12);

			scn_add(sc, ST_PTE, dom, 1, v, rnd_leaf(r));
			scn_add(sc, ST_DMAW, 0, 0, v, 0);
			scn_add(sc, ST_PTE, dom, 1, v, rnd_leaf(r));
			if (pick(r, 5))
				d = vtd_desc_iotlb(VTD_IOTLB_PSI,
						   (u16)(pick(r, 4) ? 1 : pick(r, 4)),
						   a, (u8)pick(r, 4), pick(r, 2),
						   false, false);
			else
				d = vtd_desc_iotlb(VTD_IOTLB_DSI,
						   (u16)pick(r, 4), 0, 0, false,
						   false, false);
			scn_add(sc, ST_DESC, 0, 0, d.qw0, d.qw1);
			d = vtd_desc_wait(true, false, false, (u32)++tag,
					  ST_ADDR(pick(r, 8)));
			scn_add(sc, ST_DESC, 0, 0, d.qw0, d.qw1);
			scn_add(sc, ST_TAIL, 0, 0, 0, 0);
			scn_add(sc, pick(r, 3) ? ST_DMAW : ST_DMAR, 0, 0, v, 0);
		} else if (k < 28) {
			int tdom = pick(r, 4) ? dom : (int)pick(r, NR_DOMS);

			if (pick(r, 10))
				scn_add(sc, ST_PTE, tdom, 1, rnd_iova(r),
					rnd_leaf(r));
			else
				scn_add(sc, ST_PTE, tdom, 2, rnd_iova(r),
					pick(r, 3) ? (G_SUPER | VTD_SL_PS |
						      VTD_SL_RW) : 0);
		} else if (k < 60) {
			scn_add(sc, pick(r, 5) < 3 ? ST_DMAW : ST_DMAR, 0, 0,
				rnd_iova(r), 0);
		} else if (k < 88) {
			n = 1 + (unsigned int)pick(r, 3);
			for (j = 0; j < n; j++) {
				d = rnd_desc(r, mamv, &tag);
				scn_add(sc, ST_DESC, 0, 0, d.qw0, d.qw1);
			}
			scn_add(sc, ST_TAIL, 0, 0, 0, 0);
		} else if (k < 95) {
			if (pick(r, 2))
				scn_add(sc, ST_FIXHEAD, 0, 0, 0, 0);
			scn_add(sc, ST_FSTS, 0, 0, pick(r, 4) ?
				VTD_FSTS_IQE : 0x7f, 0);
			/* QEMU resumes at an IQT write (known difference). */
			scn_add(sc, ST_TAIL, 0, 0, 0, 0);
		} else if (k < 98) {
			dom = (int)pick(r, NR_DOMS);
			scn_add(sc, ST_CTX, pick(r, 10) ? dom : -1, 0,
				1 + pick(r, 3), 0);
		} else {
			/* A raw tail: in range, misaligned or beyond. */
			static const u64 tails[] = { 0x10, 0x1000, 0x20,
						     0x8, 0x1010, 0x80000 };

			scn_add(sc, ST_IQT, 0, 0,
				tails[pick(r, XS_ARRAY_SIZE(tails))], 0);
		}
	}
}
