/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * bench_bpf, part two: the seamcall source's logic (sc_enter/sc_exit, what
 * its fentry/fexit programs run) through the test-only entry points, on
 * the scenario's events rendered as SEAMCALLs, next to the empty program.
 */
#ifndef TDXHP_BENCH_BPF_SEAMCALL_H
#define TDXHP_BENCH_BPF_SEAMCALL_H

#include "sim/scenario.h"

/* Prints a table; returns 0, or 1 if the instance could not be loaded. */
int bench_seamcall(const struct tdxhp_scenario *sc, int empty_fd,
		   unsigned int rounds);

#endif /* TDXHP_BENCH_BPF_SEAMCALL_H */
