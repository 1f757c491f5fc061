/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Run counts and time of the tdxhp programs (kernel.bpf_stats_enabled). */
#ifndef TDXHP_PROGSTATS_H
#define TDXHP_PROGSTATS_H

#include <stdbool.h>
#include <stdint.h>

#include "loader.h"

struct tdxhp_prog_stats {
	uint64_t run_cnt;
	uint64_t run_time_ns;
};

/* True if the kernel is counting (sysctl kernel.bpf_stats_enabled=1). */
bool tdxhp_bpf_stats_enabled(void);

/* The program behind fd; 0 or a negative errno (out untouched). */
int tdxhp_prog_fd_stats(int fd, struct tdxhp_prog_stats *out);

/* The program of event_type; 0 or a negative errno. */
int tdxhp_prog_stats(const struct tdxhp *t, int event_type,
		     struct tdxhp_prog_stats *out);

#endif /* TDXHP_PROGSTATS_H */
