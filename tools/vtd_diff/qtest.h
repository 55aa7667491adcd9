/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A client of QEMU's qtest protocol (docs/devel/qtest.rst): one QEMU
 * process started with "-qtest stdio", driven by text commands on its
 * stdin, answered with "OK ..." lines on its stdout. QEMU does not exit
 * when its stdin closes, so the client ends it by its pid on every path.
 */
#ifndef VTD_DIFF_QTEST_H
#define VTD_DIFF_QTEST_H

#include <stdbool.h>
#include <stdint.h>

struct qtest;

/*
 * Starts qemu (binary path) with the arguments of args (NULL-ended, after
 * the binary and before "-qtest stdio"). Returns NULL with a message in
 * err when it cannot run.
 */
struct qtest *qtest_start(const char *binary, const char *const *args,
			  char *err, size_t errlen);
/* Kills QEMU (SIGKILL by pid), reaps it and frees the client. */
void qtest_stop(struct qtest *q);
/* Kills every QEMU still running (for exit paths and signals). */
void qtest_kill_all(void);

uint64_t qtest_readq(struct qtest *q, uint64_t addr);
uint32_t qtest_readl(struct qtest *q, uint64_t addr);
void qtest_writeq(struct qtest *q, uint64_t addr, uint64_t val);
void qtest_writel(struct qtest *q, uint64_t addr, uint32_t val);
void qtest_memset(struct qtest *q, uint64_t addr, uint64_t len, uint8_t v);
void qtest_outl(struct qtest *q, uint16_t port, uint32_t val);
uint32_t qtest_inl(struct qtest *q, uint16_t port);
/* False once a command failed (QEMU died or answered an error). */
bool qtest_ok(struct qtest *q);
/* n reads of size[i] bytes (4 or 8; NULL: all 8) in one round trip. */
void qtest_read_n(struct qtest *q, const uint64_t *addr,
		  const uint8_t *size, uint64_t *out, unsigned int n);
/* n readq in one round trip. */
void qtest_readq_n(struct qtest *q, const uint64_t *addr, uint64_t *out,
		   unsigned int n);
uint64_t qtest_commands(const struct qtest *q);

#endif
