/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Seeded, portable random numbers for the simulator (xoshiro256**). */
#ifndef TDXHP_SIM_RNG_H
#define TDXHP_SIM_RNG_H

#include <stdint.h>

struct sim_rng {
	uint64_t s[4];
};

void sim_rng_seed(struct sim_rng *r, uint64_t seed);
uint64_t sim_rng_next(struct sim_rng *r);
double sim_rng_unit(struct sim_rng *r);			/* [0, 1) */
uint64_t sim_rng_below(struct sim_rng *r, uint64_t n);	/* [0, n) */
int sim_rng_chance(struct sim_rng *r, double p);

/* Lognormal with the given median (ns) and log-space sigma, at least 1. */
uint64_t sim_rng_lognormal_ns(struct sim_rng *r, double median_ns,
			      double sigma);

/* How many events of a Poisson process of this mean happen now. */
unsigned int sim_rng_poisson(struct sim_rng *r, double mean);

#endif /* TDXHP_SIM_RNG_H */
