/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The gfns the storm detector tracks for a TD, read from the mmapped table. */
#ifndef TDXHP_STORM_H
#define TDXHP_STORM_H

#include <stdint.h>

#include "loader.h"

struct tdxhp_storm_gfn {
	uint64_t gfn;
	uint64_t last_ns;	/* CLOCK_MONOTONIC */
	uint32_t hits;		/* in the current window */
	uint32_t storms;	/* windows that reached the threshold */
	int level;		/* the mirror leaf the fault kept */
	int goal_level;		/* what the fault wanted */
};

/*
 * Up to max tracked gfns of the TD in slot, storms first, then by hits.
 * Returns how many were written.
 */
int tdxhp_storm_gfns(struct tdxhp *t, uint32_t slot,
		     struct tdxhp_storm_gfn *out, int max);

#endif /* TDXHP_STORM_H */
