/* SPDX-License-Identifier: GPL-2.0 */
/* Allocation flags (shim): only __GFP_ZERO changes behaviour here. */
#ifndef _XS_SHIM_LINUX_GFP_H
#define _XS_SHIM_LINUX_GFP_H

#include <linux/types.h>

#define __GFP_ZERO		0x100u
#define __GFP_NOWARN		0x200u
#define __GFP_COMP		0x400u
#define __GFP_DMA32		0x800u
#define GFP_ATOMIC		0x1u
#define GFP_KERNEL		0x2u
#define GFP_NOWAIT		0x4u

#endif
