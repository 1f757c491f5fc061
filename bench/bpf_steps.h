/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * bench_bpf, part three: the cost of each step of the hot-path programs,
 * from builds of the object cut before each step, run side by side.
 */
#ifndef TDXHP_BENCH_BPF_STEPS_H
#define TDXHP_BENCH_BPF_STEPS_H

#include "sim/scenario.h"

/* Prints a table; returns 0, or 1 if a build could not be loaded. */
int bench_steps(const struct tdxhp_scenario *sc, int empty_fd,
		unsigned int rounds);

#endif /* TDXHP_BENCH_BPF_STEPS_H */
