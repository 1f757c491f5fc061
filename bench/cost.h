/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* A program's run count and time so far (kernel.bpf_stats_enabled). */
#ifndef TDXHP_BENCH_COST_H
#define TDXHP_BENCH_COST_H

#include <stdint.h>

#include "progstats.h"

struct cost {
	uint64_t cnt, ns;
};

/* Zero for a program that is not there: its ratios then read as such. */
static inline struct cost cost_of(int fd)
{
	struct tdxhp_prog_stats s = { 0 };

	tdxhp_prog_fd_stats(fd, &s);
	return (struct cost){ s.run_cnt, s.run_time_ns };
}

#endif /* TDXHP_BENCH_COST_H */
