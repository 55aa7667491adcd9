/* SPDX-License-Identifier: GPL-2.0 */
#ifndef XS_CLI_REPORT_H
#define XS_CLI_REPORT_H

#include <xsmmu/run.h>

/*
 * Sweeps and plots into dir (see report.c); about (the version and the
 * command) heads every CSV as a comment. Returns 0 or -1.
 */
int xs_report(const char *dir, const struct xs_run_config *base,
	      const struct xs_params *params, const char *about);

#endif
