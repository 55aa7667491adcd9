/* SPDX-License-Identifier: GPL-2.0 */
/* printk and pr_* (shim): to stderr, at or above the set log level. */
#ifndef _XS_SHIM_LINUX_PRINTK_H
#define _XS_SHIM_LINUX_PRINTK_H

#include <linux/compiler.h>

#define KERN_ERR	"3"
#define KERN_WARNING	"4"
#define KERN_NOTICE	"5"
#define KERN_INFO	"6"
#define KERN_DEBUG	"7"

void xs_printk(int level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Messages above this level are dropped (default 4: errors, warnings). */
void xs_printk_set_level(int level);

#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif
#define pr_err(fmt, ...)	xs_printk(3, pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...)	xs_printk(4, pr_fmt(fmt), ##__VA_ARGS__)
#define pr_notice(fmt, ...)	xs_printk(5, pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...)	xs_printk(6, pr_fmt(fmt), ##__VA_ARGS__)
#define pr_debug(fmt, ...)	xs_printk(7, pr_fmt(fmt), ##__VA_ARGS__)

#endif
