// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stddef.h>

#include "score.h"

/*
 * The points of each term.  A storm outweighs everything else together
 * (3 x 200 + 100 < 1000); the rest count one point per event a second,
 * each capped so that one flood does not hide the others.
 */
#define STORM_ACTIVE_POINTS 1000.0
#define STORM_EARLIER_POINTS 100.0
#define RATE_CAP 200.0

static const struct {
	const char *name;
	const char *what;
	const char *trace;
	const char *runbook;
} whys[TOP_NR_WHY] = {
	[TOP_WHY_NONE] = { "-", "no problem", "-e page_demote", NULL },
	[TOP_WHY_COVERAGE] = { "2M%", "private memory not in 2M leaves, %",
			       "-e boundary_split,page_demote",
			       "docs/alerts.md#tdxhphugecoveragefalling" },
	[TOP_WHY_IGNORED] = { "ign", "ignored fault-path splits/s",
			      "-e fault_split_ignored",
			      "docs/alerts.md#tdxhpeptviolationstorm" },
	[TOP_WHY_BUSY] = { "busy", "BUSY retries/s", "-e seamcall_busy",
			   "docs/alerts.md#tdxhpbusyretriessurging" },
	[TOP_WHY_ERRORS] = { "err", "failed SEAMCALLs/s", "-E", NULL },
	[TOP_WHY_STORM] = { "storm", "storm", "-e fault_split_ignored",
			    "docs/alerts.md#tdxhpeptviolationstorm" },
};

static double capped(double v)
{
	return v <= 0 ? 0 : v < RATE_CAP ? v : RATE_CAP;
}

void top_score(const struct top_score_in *in, struct top_score *out)
{
	double best = 0;

	*out = (struct top_score){ 0 };
	out->term[TOP_WHY_STORM] = in->storm_active ? STORM_ACTIVE_POINTS :
				   in->storm_ever   ? STORM_EARLIER_POINTS :
						      0;
	out->term[TOP_WHY_ERRORS] = capped(in->errors_per_s);
	out->term[TOP_WHY_BUSY] = capped(in->busy_per_s);
	out->term[TOP_WHY_IGNORED] = capped(in->ignored_per_s);
	/* One point per percent not in huge leaves; unknown counts nothing. */
	out->term[TOP_WHY_COVERAGE] =
		in->coverage < 0 ? 0 : 100.0 * (1.0 - in->coverage);
	out->why = TOP_WHY_NONE;
	for (int w = TOP_WHY_NONE + 1; w < TOP_NR_WHY; w++) {
		out->total += out->term[w];
		/* Ties go to the more urgent reason. */
		if (out->term[w] >= best && out->term[w] > 0) {
			best = out->term[w];
			out->why = (enum top_why)w;
		}
	}
	if (out->total < TOP_BAD)
		out->why = TOP_WHY_NONE;
}

const char *top_why_name(enum top_why w)
{
	return w < TOP_NR_WHY ? whys[w].name : "?";
}

const char *top_why_what(enum top_why w)
{
	return w < TOP_NR_WHY ? whys[w].what : "?";
}

const char *top_why_trace_args(enum top_why w)
{
	return w < TOP_NR_WHY ? whys[w].trace : NULL;
}

const char *top_why_runbook(enum top_why w)
{
	return w < TOP_NR_WHY ? whys[w].runbook : NULL;
}
