// SPDX-License-Identifier: GPL-2.0
/*
 * qtest client: fork/exec QEMU with pipes on its stdin and stdout; each
 * command is one line, each answer one line starting "OK" (or "FAIL"/"ERR").
 * The qtest log is sent to /dev/null so stdout carries only answers.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "qtest.h"

#define QTEST_MAX	8

struct qtest {
	pid_t pid;
	FILE *to;	/* QEMU's stdin */
	FILE *from;	/* QEMU's stdout */
	bool ok;
	unsigned int unanswered;	/* writes sent, answers not read yet */
	uint64_t commands;
	char line[256];
};

/* Every live QEMU, so that an exit path can kill them by pid. */
static pid_t live[QTEST_MAX];

static void live_add(pid_t pid)
{
	int i;

	for (i = 0; i < QTEST_MAX; i++)
		if (!live[i]) {
			live[i] = pid;
			return;
		}
}

static void live_del(pid_t pid)
{
	int i;

	for (i = 0; i < QTEST_MAX; i++)
		if (live[i] == pid)
			live[i] = 0;
}

void qtest_kill_all(void)
{
	int i;

	for (i = 0; i < QTEST_MAX; i++)
		if (live[i] > 0) {
			kill(live[i], SIGKILL);
			waitpid(live[i], NULL, 0);
			live[i] = 0;
		}
}

struct qtest *qtest_start(const char *binary, const char *const *args,
			  char *err, size_t errlen)
{
	const char *argv[64];
	int in[2], out[2], n = 0, i;
	struct qtest *q;
	pid_t pid;

	argv[n++] = binary;
	for (i = 0; args[i] && n < 58; i++)
		argv[n++] = args[i];
	argv[n++] = "-qtest";
	argv[n++] = "stdio";
	argv[n++] = "-qtest-log";
	argv[n++] = "/dev/null";
	argv[n] = NULL;
	if (access(binary, X_OK)) {
		snprintf(err, errlen, "%s: %s", binary, strerror(errno));
		return NULL;
	}
	if (pipe(in))
		goto perr;
	if (pipe(out)) {
		close(in[0]);
		close(in[1]);
		goto perr;
	}
	pid = fork();
	if (pid < 0)
		goto perr;
	if (!pid) {
		const char *log = getenv("XSMMU_VTD_DIFF_QEMU_LOG");
		int devnull = open(log ? log : "/dev/null",
				   O_WRONLY | O_CREAT | O_APPEND, 0600);

		/* QEMU dies with us, whatever way we end (even a crash). */
		/*
		 * prctl(PR_SET_PDEATHSIG = 1): <sys/prctl.h> would pull in
		 * <linux/types.h>, which the kernel shim headers shadow.
		 */
		syscall(SYS_prctl, 1, SIGKILL, 0, 0, 0);
		dup2(in[0], 0);
		dup2(out[1], 1);
		if (devnull >= 0)
			dup2(devnull, 2);
		close(in[1]);
		close(out[0]);
		execv(binary, (char *const *)argv);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	q = calloc(1, sizeof(*q));
	if (!q) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	live_add(pid);
	q->pid = pid;
	q->to = fdopen(in[1], "w");
	q->from = fdopen(out[0], "r");
	q->ok = q->to && q->from;
	/* A first command proves the process answers. */
	if (q->ok && qtest_readl(q, 0xfed90000) == 0)
		q->ok = false;
	if (!q->ok) {
		snprintf(err, errlen, "%s does not answer qtest commands",
			 binary);
		qtest_stop(q);
		return NULL;
	}
	return q;
perr:
	snprintf(err, errlen, "pipe/fork: %s", strerror(errno));
	return NULL;
}

void qtest_stop(struct qtest *q)
{
	if (!q)
		return;
	kill(q->pid, SIGKILL);
	waitpid(q->pid, NULL, 0);
	live_del(q->pid);
	if (q->to)
		fclose(q->to);
	if (q->from)
		fclose(q->from);
	free(q);
}

uint64_t qtest_commands(const struct qtest *q)
{
	return q->commands;
}

static void vsend(struct qtest *q, const char *fmt, va_list ap)
{
	vfprintf(q->to, fmt, ap);
	fputc('\n', q->to);
	q->commands++;
}

/* Reads one answer line; returns what follows "OK", or NULL. */
static const char *answer(struct qtest *q)
{
	for (;;) {
		if (!fgets(q->line, sizeof(q->line), q->from)) {
			q->ok = false;
			return NULL;
		}
		/* Asynchronous event lines ("IRQ ...") are not answers. */
		if (!strncmp(q->line, "IRQ", 3))
			continue;
		break;
	}
	if (strncmp(q->line, "OK", 2)) {
		q->ok = false;
		return NULL;
	}
	return q->line + 2;
}

/* Sends what is buffered and reads the answers of earlier writes. */
static void sync_writes(struct qtest *q)
{
	if (fflush(q->to))
		q->ok = false;
	while (q->ok && q->unanswered) {
		q->unanswered--;
		answer(q);
	}
	q->unanswered = 0;
}

/*
 * A write is pipelined: its answer is read before the next read's, so a
 * run of writes costs one round trip, not one each.
 */
static void cmd_write(struct qtest *q, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void cmd_write(struct qtest *q, const char *fmt, ...)
{
	va_list ap;

	if (!q->ok)
		return;
	va_start(ap, fmt);
	vsend(q, fmt, ap);
	va_end(ap);
	q->unanswered++;
}

/* Sends one command and returns its answer after "OK", or NULL. */
static const char *cmd(struct qtest *q, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static const char *cmd(struct qtest *q, const char *fmt, ...)
{
	va_list ap;

	if (!q->ok)
		return NULL;
	va_start(ap, fmt);
	vsend(q, fmt, ap);
	va_end(ap);
	sync_writes(q);
	if (!q->ok)
		return NULL;
	return answer(q);
}

bool qtest_ok(struct qtest *q)
{
	sync_writes(q);
	return q->ok;
}

static uint64_t value(const char *a)
{
	return a ? strtoull(a, NULL, 0) : ~0ULL;
}

uint64_t qtest_readq(struct qtest *q, uint64_t addr)
{
	return value(cmd(q, "readq 0x%" PRIx64, addr));
}

uint32_t qtest_readl(struct qtest *q, uint64_t addr)
{
	return (uint32_t)value(cmd(q, "readl 0x%" PRIx64, addr));
}

void qtest_writeq(struct qtest *q, uint64_t addr, uint64_t val)
{
	cmd_write(q, "writeq 0x%" PRIx64 " 0x%" PRIx64, addr, val);
}

void qtest_writel(struct qtest *q, uint64_t addr, uint32_t val)
{
	cmd_write(q, "writel 0x%" PRIx64 " 0x%" PRIx32, addr, val);
}

void qtest_memset(struct qtest *q, uint64_t addr, uint64_t len, uint8_t v)
{
	cmd_write(q, "memset 0x%" PRIx64 " 0x%" PRIx64 " 0x%02x", addr, len, v);
}

void qtest_outl(struct qtest *q, uint16_t port, uint32_t val)
{
	cmd_write(q, "outl 0x%x 0x%" PRIx32, port, val);
}

uint32_t qtest_inl(struct qtest *q, uint16_t port)
{
	return (uint32_t)value(cmd(q, "inl 0x%x", port));
}

void qtest_readq_n(struct qtest *q, const uint64_t *addr, uint64_t *out,
		   unsigned int n)
{
	qtest_read_n(q, addr, NULL, out, n);
}

void qtest_read_n(struct qtest *q, const uint64_t *addr,
		  const uint8_t *size, uint64_t *out, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		out[i] = ~0ULL;
	if (!q->ok)
		return;
	for (i = 0; i < n; i++)
		fprintf(q->to, "%s 0x%" PRIx64 "\n",
			size && size[i] == 4 ? "readl" : "readq", addr[i]);
	q->commands += n;
	sync_writes(q);
	for (i = 0; i < n && q->ok; i++)
		out[i] = value(answer(q));
}
