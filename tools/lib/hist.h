/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* log2 nanosecond histograms (struct tdxhp_hist): math and printing. */
#ifndef TDXHP_HIST_H
#define TDXHP_HIST_H

#include <stdint.h>
#include <stdio.h>

#include "tdxhp/abi.h"

struct tdxhp_unit {
	const char *label;	/* "nsecs", "usecs", "msecs" */
	double ns;		/* nanoseconds per unit */
};

extern const struct tdxhp_unit tdxhp_unit_ns, tdxhp_unit_us, tdxhp_unit_ms;

/* Bounds of slot i in ns: [lo, hi); the last slot has no upper bound. */
uint64_t tdxhp_hist_slot_lo_ns(int slot);
uint64_t tdxhp_hist_slot_hi_ns(int slot); /* UINT64_MAX for the last slot */

uint64_t tdxhp_hist_count(const struct tdxhp_hist *h);

/*
 * Estimated q-quantile (0 < q <= 1) in ns, interpolated linearly inside
 * the log2 slot that holds it; 0 for an empty histogram.
 */
double tdxhp_hist_quantile_ns(const struct tdxhp_hist *h, double q);

void tdxhp_hist_add(struct tdxhp_hist *dst, const struct tdxhp_hist *src);

/* out = cur - prev, slot by slot; a slot that went backwards counts 0. */
void tdxhp_hist_delta(struct tdxhp_hist *out, const struct tdxhp_hist *cur,
		      const struct tdxhp_hist *prev);

/* libbpf-tools style text histogram, from the first to the last used slot. */
void tdxhp_hist_print(FILE *f, const struct tdxhp_hist *h,
		      const struct tdxhp_unit *unit);

/* JSON object: count, sum_ns, p50/p99 and non-empty buckets in ns. */
void tdxhp_hist_json(FILE *f, const struct tdxhp_hist *h);

const char *tdxhp_hist_name(int id);
int tdxhp_hist_by_name(const char *name); /* -1 if unknown */

#endif /* TDXHP_HIST_H */
