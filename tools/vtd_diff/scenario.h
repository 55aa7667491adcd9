/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A differential scenario: the steps software takes on a VT-d unit and a
 * DMA device, run the same way on the project's model and on QEMU's
 * intel-iommu, with what each step let software observe.
 *
 * Text form (one step a line, numbers in C notation, '#' comments), which
 * is also the replay format:
 *   ctx DOM DID          context entry of the device: table DOM (0-2), DID;
 *                        "ctx - 0" makes it not present
 *   pte DOM LEVEL IOVA V second-level entry of LEVEL (1-4) for IOVA in
 *                        table DOM := V (tables above made as needed)
 *   desc QW0 QW1         descriptor at the software tail; the tail moves
 *   tail                 IQT := software tail (descriptors run)
 *   iqt V                IQT := V (raw, for invalid tails)
 *   fsts V               FSTS := V (write 1 to clear)
 *   fixhead              the descriptor at IQH := a valid wait (slot 15)
 *   dmaw IOVA            the device writes a fresh tag at IOVA
 *   dmar IOVA            the device reads IOVA (shown through a staging page)
 *   expect hit PHYS      the last DMA reached PHYS (both sides)
 *   expect fault FR      the last DMA faulted with reason FR
 *   expect status S V    status word S holds V
 *   expect iqh N         IQH is descriptor N
 *   expect fsts MASK V   FSTS & MASK == V
 */
#ifndef VTD_DIFF_SCENARIO_H
#define VTD_DIFF_SCENARIO_H

#include <stdio.h>

#include <xsmmu/rand.h>
#include <xsmmu/types.h>

enum step_kind {
	ST_CTX, ST_PTE, ST_DESC, ST_TAIL, ST_IQT, ST_FSTS, ST_FIXHEAD,
	ST_DMAW, ST_DMAR, ST_EXPECT_HIT, ST_EXPECT_FAULT, ST_EXPECT_STATUS,
	ST_EXPECT_IQH, ST_EXPECT_FSTS,
};

struct step {
	enum step_kind kind;
	int dom;		/* ctx, pte; -1: not present */
	int level;
	u64 a, b;		/* iova/value, qw0/qw1, did, expectations */
};

#define SCN_MAX_STEPS	4096

struct scenario {
	char name[64];
	unsigned int n;
	struct step s[SCN_MAX_STEPS];
};

/* Guest-physical layout, the same in QEMU's RAM and the model's memory. */
#define G_ROOT		0x1000000ULL	/* root table */
#define G_CTX		0x1001000ULL	/* context table of bus 0 */
#define G_IQ		0x1002000ULL	/* 256 legacy descriptors */
#define G_STATUS	0x1003000ULL	/* wait status words */
#define G_STAGE_IN	0x1004000ULL	/* tags for the device to fetch */
#define G_STAGE_OUT	0x1005000ULL	/* where read results are shown */
#define G_TABLES	0x1010000ULL	/* page-table pages, bump allocated */
#define G_TABLES_END	0x1100000ULL
#define G_DATA		0x1100000ULL	/* 16 data pages */
#define G_SUPER		0x1200000ULL	/* one 2 MiB data page */
#define G_END		0x1400000ULL
#define DATA_PAGES	16
/* Offsets in a page the device accesses (each holds a pattern word). */
#define NR_OFFS		4
extern const u64 dma_offsets[NR_OFFS];

/* Staging pages, mapped in every table at the same IOVAs (PD index 127). */
#define IOVA_STAGE_IN	0x0ff00000ULL
#define IOVA_STAGE_OUT	0x0ff01000ULL
#define NR_DOMS		3
#define STATUS_SLOTS	16

/* The pattern word at phys: a read through a translation names its page. */
#define PATTERN_TAG	0xda7a000000000000ULL
#define WRITE_TAG	0x7a60000000000000ULL

void scn_add(struct scenario *sc, enum step_kind k, int dom, int level, u64 a,
	     u64 b);
int scn_parse(FILE *f, struct scenario *sc, char *err, size_t errlen);
void scn_print(FILE *f, const struct scenario *sc);

/* The hand-written scenarios, one per rule. */
unsigned int scn_named_count(void);
const char *scn_named_name(unsigned int i);
const char *scn_named_rule(unsigned int i);
/* Mask of enum known_diff (run.h) the scenario must end with. */
unsigned int scn_named_known(unsigned int i);
/* Builds scenario i (mamv: the unit's CAP.MAMV). */
void scn_named_build(unsigned int i, struct scenario *sc, unsigned int mamv);

void scn_random(struct scenario *sc, struct xs_rand *r, unsigned int mamv);

#endif
