/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * One run to compare (tdxhp-hist --diff): a recording replayed, or the
 * JSON that tdxhp-hist -j printed on a live host.  Per TD (by name) and
 * host-wide: the latency histograms, their extremes, and the span.
 */
#ifndef TDXHP_RUN_H
#define TDXHP_RUN_H

#include <stdbool.h>

#include "aggregate.h"
#include "html.h"
#include "replay.h"

struct tdxhp_run_td {
	char name[64];
	struct tdxhp_td_stats st;
	struct tdxhp_minmax mm[TDXHP_NR_HISTS];
};

struct tdxhp_run {
	const char *path;
	bool recording;
	bool simulated;
	bool exact;		/* min/max exact (recordings) or bucket bounds */
	bool host_is_live_tds;	/* JSON without -M: torn-down TDs are missing */
	bool corrupt;		/* a recording failed a check part way */
	char source[80];
	double span_s;		/* 0 if unknown: no rates */
	struct tdxhp_td_stats host;
	struct tdxhp_minmax host_mm[TDXHP_NR_HISTS];
	struct tdxhp_run_td *tds;
	unsigned int nr_tds;
	struct tdxhp_replay *rp;	/* recordings, kept for --html */
	struct tdxhp_html *html;
};

/* Load path (recording or JSON); 0, or -1 after printing why. */
int tdxhp_run_load(struct tdxhp_run *r, const char *path, bool want_html);
void tdxhp_run_free(struct tdxhp_run *r);

const struct tdxhp_run_td *tdxhp_run_find(const struct tdxhp_run *r,
					  const char *name);

#endif /* TDXHP_RUN_H */
