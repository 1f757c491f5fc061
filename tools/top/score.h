/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The problem score that orders tdxhp-top by default: the TDs that need a
 * look come first.  The formula is documented in docs/tools.md and
 * tdxhp-top(8); keep the three in step.
 */
#ifndef TDXHP_TOP_SCORE_H
#define TDXHP_TOP_SCORE_H

#include <stdbool.h>

/* Reasons, least to most urgent: sorting by WHY puts storms first. */
enum top_why {
	TOP_WHY_NONE,
	TOP_WHY_COVERAGE, /* low 2M coverage */
	TOP_WHY_IGNORED, /* ignored fault-path splits */
	TOP_WHY_BUSY, /* TDX_OPERAND_BUSY retries */
	TOP_WHY_ERRORS, /* failed SEAMCALLs */
	TOP_WHY_STORM, /* an EPT-violation storm, now or before */
	TOP_NR_WHY,
};

/* A row's problems, each already a rate or a share. */
struct top_score_in {
	bool storm_active;
	bool storm_ever;
	double errors_per_s;
	double busy_per_s;
	double ignored_per_s;
	double coverage; /* 0..1, or < 0: unknown */
};

struct top_score {
	double total;
	double term[TOP_NR_WHY]; /* term[TOP_WHY_NONE] stays 0 */
	enum top_why why; /* the largest term, if total >= TOP_BAD */
};

/* Points from which a term (or a score) is a problem: shown and marked. */
#define TOP_BAD 10.0

void top_score(const struct top_score_in *in, struct top_score *out);

/* "storm", "err", "busy", "ign", "2M%", "-": the WHY column. */
const char *top_why_name(enum top_why w);

/* "ignored fault-path splits/s" and such: the detail view's breakdown. */
const char *top_why_what(enum top_why w);

/*
 * What to run next for a TD whose largest problem is w: the arguments of
 * tdxhp-trace after the TD selection ("-e fault_split_ignored"), and the
 * runbook (an anchor of docs/alerts.md), or NULL where there is none.
 */
const char *top_why_trace_args(enum top_why w);
const char *top_why_runbook(enum top_why w);

#endif /* TDXHP_TOP_SCORE_H */
