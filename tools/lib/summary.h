/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The per-TD summary that tdxhp-trace prints at the end, from the live BPF
 * maps or from a recording replayed through the aggregator: the same
 * format, so that the two can be compared byte for byte.
 */
#ifndef TDXHP_SUMMARY_H
#define TDXHP_SUMMARY_H

#include <stdbool.h>
#include <stdio.h>

#include "tdxhp/abi.h"

struct tdxhp_summary_td {
	const char *name;
	int pid;
	int hkid;
	bool partial;
	const struct tdxhp_td_stats *stats;
};

struct tdxhp_summary {
	struct tdxhp_summary_td *tds;
	unsigned int nr_tds;
	const struct tdxhp_td_stats *retired;
	uint64_t events[TDXHP_NR_EVENTS];
	const char *source;		/* "live", "simulated: ...", "recording" */
};

/* TDs are printed in name order; json prints one object. */
void tdxhp_summary_print(FILE *f, struct tdxhp_summary *s, bool json);

#endif /* TDXHP_SUMMARY_H */
