/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The per-TD summary that tdxhp-trace prints at the end, from the live BPF
 * maps or from a recording replayed through the aggregator: the same
 * format, so that the two can be compared (only min and max differ: exact
 * from a recording, bucket bounds from the maps).
 */
#ifndef TDXHP_SUMMARY_H
#define TDXHP_SUMMARY_H

#include <stdbool.h>
#include <stdio.h>

#include "aggregate.h"
#include "hist.h"
#include "identity.h"
#include "json.h"

/* A gfn that stormed: the detector's windows that reached the threshold. */
struct tdxhp_summary_storm {
	uint64_t gfn;
	uint32_t storms;
};

#define TDXHP_SUMMARY_MAX_STORM_GFNS 16

struct tdxhp_summary_td {
	const char *name;
	const struct tdxhp_identity *id;	/* NULL: none known */
	int pid;
	int hkid;
	bool partial;
	bool storm;
	const struct tdxhp_td_stats *stats;
	const struct tdxhp_minmax *mm;	/* exact extremes; NULL: bucket bounds */
	struct tdxhp_summary_storm storms[TDXHP_SUMMARY_MAX_STORM_GFNS];
	unsigned int nr_storms;
};

struct tdxhp_summary {
	struct tdxhp_summary_td *tds;
	unsigned int nr_tds;
	const struct tdxhp_td_stats *retired;
	const struct tdxhp_minmax *retired_mm;	/* NULL: bucket bounds */
	uint64_t events[TDXHP_NR_EVENTS];
	const char *source;		/* "live", "simulated: ...", "recording" */
	const struct tdxhp_unit *unit;	/* histograms in text; NULL: none */
	bool simulated;			/* said in every CSV row and JSON record */
	uint64_t ts_ns;			/* CLOCK_MONOTONIC of the numbers */
	int64_t mono_to_real_ns;	/* its wall time: ts_ns + this */
};

/* TDs are printed in name order. */
void tdxhp_summary_print(FILE *f, struct tdxhp_summary *s);

/* One line of docs/schema/tdxhp-trace-summary.schema.json. */
void tdxhp_summary_json(struct tdxhp_json *w, struct tdxhp_summary *s);

/* One CSV row per TD and operation with samples, torn-down TDs last. */
void tdxhp_summary_csv(FILE *f, struct tdxhp_summary *s);

/* The extremes of histogram id in stats, exact when mm is given. */
void tdxhp_summary_extremes(const struct tdxhp_td_stats *st,
			    const struct tdxhp_minmax *mm, int id,
			    struct tdxhp_hist_extremes *out);

#endif /* TDXHP_SUMMARY_H */
