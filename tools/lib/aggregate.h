/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The aggregation rules of docs/events.md in plain C: what the BPF programs
 * compute, for events that arrive in user space.  tdxhp-trace -r replays a
 * recording through it; the BPF tests require the programs and it to agree
 * exactly.
 */
#ifndef TDXHP_AGGREGATE_H
#define TDXHP_AGGREGATE_H

#include <stdbool.h>
#include <stdint.h>

#include "record.h"

/* One event, whatever it came from. */
struct tdxhp_agg_event {
	int type;		/* enum tdxhp_event_type */
	uint64_t ts_ns;		/* CLOCK_MONOTONIC; storm windows use it */
	uint64_t key;		/* the TD: a kvm handle, or slot << 32 | gen */
	int32_t pid;		/* td_init, or what a record carried */
	int32_t hkid;
	uint64_t gfn;
	uint64_t gfn_end;
	uint64_t err;
	uint64_t seamcall;
	uint64_t duration_ns;
	uint64_t block_ns;
	uint64_t track_ns;
	uint64_t demote_ns;
	int32_t level;
	int32_t goal_level;
	int32_t reason;
	int32_t ret;
	int32_t vcpu_id;
	uint32_t busy_retries;
	uint32_t nr_split;
	bool storm;		/* a record said this completed a storm */
};

/* Exact extremes of one histogram's samples (0, 0 while empty). */
struct tdxhp_minmax {
	uint64_t min_ns;
	uint64_t max_ns;
};

struct tdxhp_agg_td {
	uint64_t key;
	bool alive;
	bool exact;		/* seen from td_init */
	bool storm;		/* a storm was detected */
	int32_t pid;
	int32_t hkid;
	uint64_t first_ns;	/* first event */
	uint64_t last_storm_ns;
	struct tdxhp_td_stats st;
	struct tdxhp_minmax mm[TDXHP_NR_HISTS];
};

struct tdxhp_agg_storm {
	uint64_t key;
	uint64_t gfn;
	uint64_t window_start_ns;
	uint64_t last_ns;
	uint32_t hits;		/* in the current window */
	uint32_t storms;	/* windows that reached storm_hits */
};

struct tdxhp_agg {
	struct tdxhp_agg_td *tds;	/* every TD ever seen, in order */
	unsigned int nr_tds, cap_tds;
	struct tdxhp_agg_storm *storms;
	unsigned int nr_storms, cap_storms;
	uint32_t storm_hits;		/* 0: storms come from event.storm */
	uint64_t storm_window_ns;	/* 0: one window without end */
	struct tdxhp_td_stats retired;
	struct tdxhp_minmax retired_mm[TDXHP_NR_HISTS];
	uint64_t events[TDXHP_NR_EVENTS];
	uint64_t seamcall_busy[TDXHP_MAX_SEAMCALL];
	uint64_t bad_level;
};

/*
 * storm_hits > 0 counts hits per (TD, gfn) with an unbounded window;
 * 0 takes the storm decisions the BPF side made (recorded events).
 */
void tdxhp_agg_init(struct tdxhp_agg *a, uint32_t storm_hits);
/*
 * The BPF detector's rule: storm_hits faults on one (TD, gfn) within
 * window_ns of the first make a storm (replays re-run it).
 */
void tdxhp_agg_set_storm_window(struct tdxhp_agg *a, uint64_t window_ns);
void tdxhp_agg_free(struct tdxhp_agg *a);
int tdxhp_agg_add(struct tdxhp_agg *a, const struct tdxhp_agg_event *e);

/* The live TD with this key, or NULL. */
const struct tdxhp_agg_td *tdxhp_agg_find(const struct tdxhp_agg *a,
					  uint64_t key);

/* A recorded event as an event, keyed by slot and generation. */
void tdxhp_agg_from_rec_event(const struct tdxhp_rec_event *r,
			      struct tdxhp_agg_event *e);

/* A key made of slot and generation, as replays use. */
static inline uint64_t tdxhp_agg_slot_key(uint32_t slot, uint32_t gen)
{
	return (uint64_t)slot << 32 | gen;
}

/* Fold src's extremes into dst. */
void tdxhp_minmax_add(struct tdxhp_minmax *dst, const struct tdxhp_minmax *src);

#endif /* TDXHP_AGGREGATE_H */
