/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A recording as one self-contained HTML page (tdxhp-trace --html,
 * tdxhp-hist --diff --html): per-TD 2M coverage over time, latency
 * heatmaps over time, BUSY retries and storms on the same time axis, and
 * the recording's metadata.  No network: the data is inline JSON, drawn
 * as SVG by inline script.
 */
#ifndef TDXHP_HTML_H
#define TDXHP_HTML_H

#include "replay.h"

struct tdxhp_html;

/* Collect one replay's timeline; NULL when out of memory. */
struct tdxhp_html *tdxhp_html_new(const struct tdxhp_replay *rp);
void tdxhp_html_free(struct tdxhp_html *h);

/* After tdxhp_replay_next() returned ev: 0 or -ENOMEM. */
int tdxhp_html_add(struct tdxhp_html *h, const struct tdxhp_replay *rp,
		   const struct tdxhp_rec_event *ev);

/*
 * Write the page of n runs (1, or 2 for before/after with a comparison
 * table) to path; 0 or a negative errno.
 */
int tdxhp_html_write(const char *path, struct tdxhp_html *const *runs,
		     const struct tdxhp_replay *const *rps, int n);

#endif /* TDXHP_HTML_H */
