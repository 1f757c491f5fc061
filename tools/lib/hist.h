/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* log2 nanosecond histograms (struct tdxhp_hist): math and printing. */
#ifndef TDXHP_HIST_H
#define TDXHP_HIST_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "json.h"
#include "tdxhp/abi.h"

struct tdxhp_unit {
	const char *label;	/* "ns", "us", "ms": the one spelling everywhere */
	double ns;		/* nanoseconds per unit */
	int shift;		/* ns slot i shows in unit bucket i - shift */
};

/*
 * Exact extremes of a histogram's samples when known (recordings), else
 * the bounds of its lowest and highest used buckets (live BPF maps).
 */
struct tdxhp_hist_extremes {
	uint64_t min_ns;
	uint64_t max_ns;
	bool exact;
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

/*
 * Extremes: exact from min_ns/max_ns when exact, else bucket bounds (min:
 * the lowest used bucket's lower bound; max: the highest one's upper
 * bound minus 1 ns, or its lower bound for the open last bucket).
 */
void tdxhp_hist_extremes(const struct tdxhp_hist *h, bool exact,
			 uint64_t min_ns, uint64_t max_ns,
			 struct tdxhp_hist_extremes *out);

/*
 * libbpf-tools style text histogram, from the first to the last used
 * bucket, as integer power-of-two ranges of the unit ("16 -> 31").  In us
 * and ms a ns bucket [2^i, 2^(i+1)) is shown in the unit bucket holding
 * its lower bound (the edges are 2.4% (us) or 4.9% (ms) above the
 * labels, because 1024 ns is not 1 us); values under 2 units share "0 -> 1".
 */
void tdxhp_hist_print(FILE *f, const struct tdxhp_hist *h,
		      const struct tdxhp_unit *unit);

/*
 * Two histograms side by side in the same unit buckets, for comparing
 * runs: "range : before |***   | after |*****  |".
 */
void tdxhp_hist_print_pair(FILE *f, const struct tdxhp_hist *a,
			   const struct tdxhp_hist *b,
			   const struct tdxhp_unit *unit);

/*
 * The q-quantile as shown next to exact extremes: interpolation inside a
 * log2 bucket can pass the true max (or min), so it is kept within them.
 */
double tdxhp_hist_quantile_shown(const struct tdxhp_hist *h, double q,
				 const struct tdxhp_hist_extremes *x);

/* "count 12  min 1.2us  p50 ...  max ...  avg ..." (">=" / "<=" on bounds). */
void tdxhp_hist_stats_line(FILE *f, const struct tdxhp_hist *h,
			   const struct tdxhp_hist_extremes *x);

/*
 * JSON object: count, sum_ns, min/p50/p99/max/avg in integer ns,
 * "extremes" ("exact" or "bucket_bounds") and the non-empty buckets.
 */
void tdxhp_hist_json(struct tdxhp_json *w, const struct tdxhp_hist *h,
		     const struct tdxhp_hist_extremes *x);

const char *tdxhp_hist_name(int id);
int tdxhp_hist_by_name(const char *name); /* -1 if unknown */

#endif /* TDXHP_HIST_H */
