// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <math.h>

#include "rng.h"

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void sim_rng_seed(struct sim_rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t sim_rng_next(struct sim_rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

double sim_rng_unit(struct sim_rng *r)
{
	return (double)(sim_rng_next(r) >> 11) * 0x1.0p-53;
}

uint64_t sim_rng_below(struct sim_rng *r, uint64_t n)
{
	return n ? sim_rng_next(r) % n : 0;
}

int sim_rng_chance(struct sim_rng *r, double p)
{
	return sim_rng_unit(r) < p;
}

uint64_t sim_rng_lognormal_ns(struct sim_rng *r, double median_ns,
			      double sigma)
{
	/* Box-Muller; u1 is kept away from 0 so log() stays finite. */
	double u1 = sim_rng_unit(r) * (1 - 1e-12) + 1e-12;
	double u2 = sim_rng_unit(r);
	double z = sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
	double v = median_ns * exp(sigma * z);

	return v < 1 ? 1 : (uint64_t)v;
}

unsigned int sim_rng_poisson(struct sim_rng *r, double mean)
{
	unsigned int n = 0;
	double l, p = 1;

	if (mean <= 0)
		return 0;
	if (mean > 30) { /* normal approximation for large means */
		double u1 = sim_rng_unit(r) * (1 - 1e-12) + 1e-12;
		double z = sqrt(-2 * log(u1)) * cos(2 * M_PI * sim_rng_unit(r));
		double v = mean + sqrt(mean) * z;

		return v < 0 ? 0 : (unsigned int)(v + 0.5);
	}
	l = exp(-mean);
	do {
		n++;
		p *= sim_rng_unit(r);
	} while (p > l);
	return n - 1;
}
