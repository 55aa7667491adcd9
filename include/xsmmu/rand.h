/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The simulator's seeded PRNG (xoshiro256**, seeded by splitmix64): the
 * same seed gives the same run on every machine.
 */
#ifndef XSMMU_RAND_H
#define XSMMU_RAND_H

#include <xsmmu/types.h>

struct xs_rand {
	u64 s[4];
};

static inline u64 xs_rand_splitmix(u64 *x)
{
	u64 z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static inline void xs_rand_seed(struct xs_rand *r, u64 seed)
{
	unsigned int i;

	for (i = 0; i < 4; i++)
		r->s[i] = xs_rand_splitmix(&seed);
}

static inline u64 xs_rand_rotl(u64 x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static inline u64 xs_rand_next(struct xs_rand *r)
{
	u64 *s = r->s;
	u64 result = xs_rand_rotl(s[1] * 5, 7) * 9;
	u64 t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = xs_rand_rotl(s[3], 45);
	return result;
}

/* Uniform in [0, n), n > 0. */
static inline u64 xs_rand_below(struct xs_rand *r, u64 n)
{
	return (u64)(((unsigned __int128)xs_rand_next(r) * n) >> 64);
}

#endif
