/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Replaying a recording: its events through the aggregator (the rules the
 * BPF programs follow), the storm detector re-run with given thresholds,
 * the TDs' names, and snapshots shaped like the live maps' so that every
 * tool shows a recording the way it shows a live host.
 */
#ifndef TDXHP_REPLAY_H
#define TDXHP_REPLAY_H

#include <stdio.h>

#include "aggregate.h"
#include "identity.h"
#include "record.h"
#include "snapshot.h"

struct tdxhp_replay {
	const char *path;
	struct tdxhp_rec_reader rd;
	struct tdxhp_agg agg;
	struct tdxhp_rec_td *names;
	unsigned int nr_names;
	struct tdxhp_replay_identity {
		uint32_t slot, gen;
		struct tdxhp_identity id;
	} *ids;			/* IDENTITY frames (none before they existed) */
	unsigned int nr_ids;
	uint64_t lost;		/* the last LOST frame */
	uint64_t first_ts_ns;	/* of the first event; 0 before it */
	uint64_t last_ts_ns;
	int status;		/* 1 reading, 0 complete, <0 damaged or failed */
	bool have_pending;	/* read by tdxhp_replay_advance, not yet added */
	struct tdxhp_rec_event pending;
};

/*
 * Open path; storm_hits / storm_window_ns of 0 take the recording's own
 * thresholds (version 1: the defaults).  0 or -errno, message printed.
 */
int tdxhp_replay_open(struct tdxhp_replay *p, const char *path,
		      uint32_t storm_hits, uint64_t storm_window_ns);
void tdxhp_replay_close(struct tdxhp_replay *p);

/*
 * The next event, already aggregated: 1; 0 at the end or on damage (see
 * p->status; the message is in p->rd.err).
 */
int tdxhp_replay_next(struct tdxhp_replay *p, struct tdxhp_rec_event *ev);

/*
 * Aggregate every event up to CLOCK_MONOTONIC time until_ns (recorded
 * clock); returns how many, and stops at the first later one.
 */
uint64_t tdxhp_replay_advance(struct tdxhp_replay *p, uint64_t until_ns);

/* True once every event was aggregated (end or damage reached). */
static inline bool tdxhp_replay_done(const struct tdxhp_replay *p)
{
	return p->status <= 0 && !p->have_pending;
}

/* The recorded time of the next event (the pending one), 0 if none. */
uint64_t tdxhp_replay_peek_ns(struct tdxhp_replay *p);

/* Read to the end (or the damage). */
void tdxhp_replay_all(struct tdxhp_replay *p);

/*
 * After the end: 0 if the file was whole; else print how it was damaged
 * (cut or corrupt, where, the last good event) on f and return
 * TDXHP_REC_CUT or TDXHP_REC_CORRUPT; -1 for other failures.
 */
int tdxhp_replay_report_end(const struct tdxhp_replay *p, FILE *f,
			    const char *prog);

/* The TD's name as recorded, "?" if the recording never named it. */
const char *tdxhp_replay_name(const struct tdxhp_replay *p, uint32_t slot,
			      uint32_t gen);

/* The TD's identity as recorded, NULL if the recording has none. */
const struct tdxhp_identity *tdxhp_replay_identity(const struct tdxhp_replay *p,
						   uint32_t slot, uint32_t gen);

/* The live TDs as a snapshot (tds ordered by slot), at the last event. */
int tdxhp_replay_snapshot(const struct tdxhp_replay *p,
			  struct tdxhp_snapshot *s);

/* Exact min/max of the TD's histograms; NULL if not live. */
const struct tdxhp_minmax *tdxhp_replay_minmax(const struct tdxhp_replay *p,
					       uint32_t slot, uint32_t gen);

/* Host-wide exact min/max: retired TDs and every live one. */
void tdxhp_replay_host_minmax(const struct tdxhp_replay *p,
			      struct tdxhp_minmax out[TDXHP_NR_HISTS]);

/* Seconds the events span (0 with fewer than two events). */
double tdxhp_replay_span_s(const struct tdxhp_replay *p);

/* True when the recording says it was made with --simulate. */
static inline bool tdxhp_replay_simulated(const struct tdxhp_replay *p)
{
	return p->rd.h.flags & TDXHP_REC_F_SIMULATED;
}

/* tdxhp-trace --info: what the header says, then what the file holds. */
void tdxhp_replay_info(const struct tdxhp_replay *p, FILE *f);
/* The same as one line of docs/schema/tdxhp-trace-info.schema.json. */
void tdxhp_replay_info_json(const struct tdxhp_replay *p, FILE *f);

#endif /* TDXHP_REPLAY_H */
