/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Render one collection as a Prometheus exposition: the text format 0.0.4,
 * or protobuf with native histograms (expo.h).  Every family is declared
 * once, here, for both.
 */
#ifndef TDXHP_EXPORTER_METRICS_H
#define TDXHP_EXPORTER_METRICS_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"
#include "expo.h"
#include "procself.h"
#include "progstats.h"
#include "snapshot.h"

/* How the exporter itself is doing: tdxhp_exporter_* and process_*. */
struct exporter_self {
	uint64_t collections; /* map reads so far, this one included */
	uint64_t requests[EXPO_NR_FORMATS]; /* metrics requests so far */
	uint64_t torn_reads; /* TDs skipped because they changed */
	uint64_t read_ns; /* this collection's map read */
	uint64_t render_ns; /* the previous collection's render */
	uint64_t gzip_ns; /* the previous gzip of a body, 0 if none */
	uint64_t min_interval_ns;
	double collected_at; /* wall clock, seconds since the epoch */
	struct proc_self proc;
};

struct metrics_input {
	const struct tdxhp *t;
	const struct tdxhp_snapshot *snap;
	/* retired + live, never lower than in an earlier collection */
	const struct tdxhp_td_stats *host;
	const char *scenario; /* NULL: live data */
	uint64_t seed;
	uint64_t storm_active_ns; /* a TD storm this recent is "active" */
	bool bpf_stats;
	struct tdxhp_prog_stats progs[TDXHP_NR_EVENTS];
	bool prog_ok[TDXHP_NR_EVENTS];
	struct exporter_self self;
};

/* Appends the whole exposition to b; b->failed says if memory ran out. */
void metrics_render(struct buf *b, enum expo_format fmt,
		    const struct metrics_input *in);

/* The bucket bounds (slot indexes) used, for docs and tests. */
extern const int metrics_host_le_slots[];
extern const unsigned int metrics_nr_host_le;
extern const int metrics_td_le_slots[];
extern const unsigned int metrics_nr_td_le;

#endif /* TDXHP_EXPORTER_METRICS_H */
