// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdlib.h>

#include "storm.h"

static int by_storms_then_hits(const void *x, const void *y)
{
	const struct tdxhp_storm_gfn *a = x, *b = y;

	if (a->storms != b->storms)
		return a->storms < b->storms ? 1 : -1;
	if (a->hits != b->hits)
		return a->hits < b->hits ? 1 : -1;
	return (a->gfn > b->gfn) - (a->gfn < b->gfn);
}

int tdxhp_storm_gfns(struct tdxhp *t, uint32_t slot,
		     struct tdxhp_storm_gfn *out, int max)
{
	struct tdxhp_storm_gfn all[TDXHP_STORM_SETS * TDXHP_STORM_WAYS];
	int n = 0;

	if (slot >= t->nr_slots || tdxhp_map_storm(t))
		return 0;
	for (int s = 0; s < TDXHP_STORM_SETS; s++) {
		const struct tdxhp_storm_set *set =
			&t->storm[slot * TDXHP_STORM_SETS + s];

		for (int w = 0; w < TDXHP_STORM_WAYS; w++) {
			const struct tdxhp_storm_way *way = &set->way[w];
			uint64_t tag = __atomic_load_n(&way->gfn_tag,
						       __ATOMIC_ACQUIRE);

			if (!tag)
				continue;
			all[n].gfn = tag - 1;
			all[n].last_ns = way->last_ns;
			all[n].hits = way->hits;
			all[n].storms = way->storms;
			all[n].level = way->level;
			all[n].goal_level = way->goal_level;
			n++;
		}
	}
	qsort(all, (size_t)n, sizeof(all[0]), by_storms_then_hits);
	if (n > max)
		n = max;
	for (int i = 0; i < n; i++)
		out[i] = all[i];
	return n;
}
