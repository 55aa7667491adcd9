/* SPDX-License-Identifier: GPL-2.0 */
/* Running one scenario on both sides and comparing what software saw. */
#ifndef VTD_DIFF_RUN_H
#define VTD_DIFF_RUN_H

#include "hw.h"
#include "scenario.h"

/*
 * Known differences (docs/vtd-model.md has the table and the spec text
 * behind each). A difference is masked only while its condition holds.
 */
enum known_diff {
	KD_IQERCD,	/* QEMU leaves IQER.IQEI at 0 */
	KD_CONTEXT,	/* context changed, invalidation protocol not done */
	KD_IOTLB_FULL,	/* more than 1024 translations since a global flush */
	KD_PSI_WIDE,	/* QEMU's PSI drops pages beyond the 2^AM block */
	KD_IQE_RESUME,	/* QEMU resumes after IQE only at the next IQT write */
	KD_DESC_ACCEPT,	/* QEMU runs types 3, 6, 7 the unit does not support */
	KD_WAIT_NOP,	/* QEMU rejects a wait with neither SW nor IF */
	KD_IQT_RSVD,	/* IQT written with reserved bits: QEMU ignores them */
	KD_HAW,		/* host address width: model 46 bits, QEMU 48 */
	KD_FAULT_ORDER,	/* reserved bit and denied access: which reason */
	KD_PERM_HIT,	/* QEMU drops a denied access on an IOTLB hit silently */
	KD_DENIED_FILL,	/* the model caches the leaf of a denied walk */
	KD__COUNT
};
extern const char *const known_diff_names[KD__COUNT];

enum verdict { V_AGREE, V_KNOWN, V_DISAGREE, V_EXPECT, V_ERROR };

struct run_result {
	enum verdict verdict;
	unsigned int known;	/* mask of enum known_diff seen */
	unsigned int step;	/* the step that differed */
	bool stopped;		/* compared up to a masked difference only */
	char why[1024];
};

struct runner;
struct runner *runner_create(struct hw *hw);
void runner_destroy(struct runner *r);

/*
 * Runs sc on model and (if not NULL) on qemu, compares step by step.
 * Without qemu only the expectations are checked.
 */
void run_scenario(struct runner *model, struct runner *qemu,
		  const struct scenario *sc, struct run_result *res);

#endif
