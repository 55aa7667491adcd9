/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _XS_SHIM_LINUX_OVERFLOW_H
#define _XS_SHIM_LINUX_OVERFLOW_H

#include <stddef.h>

/* Size of a struct with a flexible array member of n elements. */
#define struct_size(p, member, n) \
	(sizeof(*(p)) + sizeof(*(p)->member) * (size_t)(n))

#endif
