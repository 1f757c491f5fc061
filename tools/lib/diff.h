/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Comparing two runs (tdxhp-hist --diff): per operation, host-wide and per
 * TD both runs have, the count, rate and latency statistics before and
 * after, whether each change is larger than chance explains (rules in
 * docs/tools.md), and --fail-if conditions that gate a kernel CI.
 */
#ifndef TDXHP_DIFF_H
#define TDXHP_DIFF_H

#include <stdbool.h>
#include <stdio.h>

#include "hist.h"
#include "run.h"

enum tdxhp_diff_stat {
	TDXHP_DS_COUNT,
	TDXHP_DS_RATE,
	TDXHP_DS_MIN,
	TDXHP_DS_P50,
	TDXHP_DS_P99,
	TDXHP_DS_MAX,
	TDXHP_DS_AVG,
	TDXHP_NR_DIFF_STATS,
};

/* Fewer samples than this on either side: no latency change means anything. */
#define TDXHP_DIFF_MIN_SAMPLES 20

/* --fail-if OP.STAT>+N% or OP.STAT<-N%, host-wide. */
struct tdxhp_fail_if {
	char text[64];
	int op;			/* enum tdxhp_hist_id */
	enum tdxhp_diff_stat stat;
	bool greater;		/* '>' or '<' */
	double pct;
};

/* Parse one --fail-if expression; 0, or -1 after printing why. */
int tdxhp_fail_if_parse(const char *s, struct tdxhp_fail_if *out);

struct tdxhp_diff_opts {
	uint32_t ops;		/* bit per hist id; 0: every op with samples */
	const struct tdxhp_unit *unit;
	bool host_only;		/* -M: no per-TD sections */
	bool json;		/* docs/schema/tdxhp-hist-diff.schema.json */
	const struct tdxhp_fail_if *fail_if;	/* judged in the JSON too */
	int nr_fail_if;
};

/* Print the comparison. */
void tdxhp_diff_print(FILE *f, const struct tdxhp_run *before,
		      const struct tdxhp_run *after,
		      const struct tdxhp_diff_opts *o);

/*
 * Evaluate the conditions host-wide, print each one's verdict on f;
 * returns how many failed (held and were significant).
 */
int tdxhp_fail_if_eval(FILE *f, const struct tdxhp_run *before,
		       const struct tdxhp_run *after,
		       const struct tdxhp_fail_if *c, int n);

#endif /* TDXHP_DIFF_H */
