/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What counts as dropped, one rule for every tool (docs/events.md,
 * "Drops"): each host counter counts events tdxhp saw, or should have
 * seen, that are not fully in what a tool shows.  The totals (counters,
 * gauges, histograms: tdxhp-top, tdxhp-hist, the exporter's series) miss
 * all of them but ringbuf_lost; the stream of events (tdxhp-trace, its
 * recordings) misses every one.
 */
#ifndef TDXHP_DROPS_H
#define TDXHP_DROPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tdxhp/abi.h"

enum tdxhp_view {
	TDXHP_VIEW_TOTALS, /* what the maps add up */
	TDXHP_VIEW_STREAM, /* every event, one by one */
};

/* Whether host counter c (enum tdxhp_host_counter) is a drop in view v. */
bool tdxhp_drop_counts(enum tdxhp_view v, int c);

/*
 * "td_table_full 3, bad_level 1": the non-zero drops of view v, or "" if
 * there are none.  Returns the length snprintf would have written.
 */
size_t tdxhp_dropped_text(const struct tdxhp_host_stats *h, enum tdxhp_view v,
			  char *buf, size_t len);

#endif /* TDXHP_DROPS_H */
