/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Everything tdxhp-top shows, shared by the screen and batch outputs. */
#ifndef TDXHP_TOP_STATE_H
#define TDXHP_TOP_STATE_H

#include <regex.h>
#include <stdbool.h>
#include <stdint.h>

#include "kvmstat.h"
#include "record.h"
#include "replay.h"
#include "rows.h"
#include "sim/sim.h"
#include "snapshot.h"

#define TOP_RECENT_SPLITS 8

struct top_state {
	struct tdxhp *t;
	struct tdxhp_sim *sim;
	char source[160];		/* "live", the simulator's label, the replay */

	/* -r FILE: a recording replayed instead of the maps */
	struct tdxhp_replay *rp;
	double speed;			/* recorded seconds per wall second */
	bool step;			/* advance on a key (or at once in -b) */
	bool replay_end;		/* every event shown */
	uint64_t replay_pos_ns;		/* recorded CLOCK_MONOTONIC shown */
	bool frozen;			/* --sim-ticks: one simulated interval */
	double delay_s;
	double dt_s;			/* the interval the rates are over */

	struct tdxhp_snapshot snaps[2];
	int cur;			/* snaps[cur] is current, the other prev */
	struct tdxhp_snapshot base;	/* 'z' reset point */
	bool have_base;
	struct top_rows rows;
	struct top_view_opts vo;
	regex_t filter_re;
	char filter_text[128];
	struct kvm_pages kvm;
	unsigned int refreshes;

	/* screen */
	enum { VIEW_TABLE, VIEW_TD, VIEW_HELP } view;
	uint32_t sel_slot, sel_gen;	/* the selected TD, kept across sorts */
	int scroll;
	char message[160];

	/* drill-down: slow splits streamed while the view is open */
	struct ring_buffer *rb;
	uint64_t slow_ns;
	struct tdxhp_rec_event recent[TOP_RECENT_SPLITS];
	unsigned int nr_recent;
	int64_t mono_to_real_ns;
};

static inline const struct tdxhp_snapshot *top_cur(const struct top_state *s)
{
	return &s->snaps[s->cur];
}

static inline const struct tdxhp_snapshot *top_prev(const struct top_state *s)
{
	return &s->snaps[!s->cur];
}

/* Read the maps and rebuild rows; 0 or a negative errno. */
int top_refresh(struct top_state *s);
/* Rebuild rows from the snapshots we have (after a sort or filter change). */
int top_rebuild(struct top_state *s);

/* 'z': cumulative columns count from now on; 0 or -ENOMEM. */
int top_reset(struct top_state *s);

/* Wall seconds between refreshes: the delay, or a replay's delay / speed. */
double top_wall_interval_s(const struct top_state *s);

/* HH:MM:SS of what is shown: now, or the recorded time of a replay. */
void top_clock(const struct top_state *s, char *buf, size_t len);

/* "LIVE", "SIMULATED: ...", "REPLAY: ..." for titles. */
const char *top_mode(const struct top_state *s);

/* Plain text for -b, one JSON object per refresh for -j. */
void top_print_batch(const struct top_state *s);
void top_print_json(const struct top_state *s);

#endif /* TDXHP_TOP_STATE_H */
