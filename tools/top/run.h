/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* tdxhp-top's main loop: batch (-b, -j) or the live view. */
#ifndef TDXHP_TOP_RUN_H
#define TDXHP_TOP_RUN_H

#include <stdbool.h>
#include <stdint.h>

#include "state.h"

struct top_run_opts {
	bool batch;
	bool json;
	uint64_t count; /* refreshes; 0: until stopped */
	bool cpu_stats; /* print the CPU time per refresh at the end */
};

/* Until count, the end of a replay, q or a signal; 0 or a negative errno. */
int top_run(struct top_state *s, const struct top_run_opts *o);

#endif /* TDXHP_TOP_RUN_H */
