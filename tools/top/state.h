/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Everything tdxhp-top shows, shared by the screen and batch outputs, and
 * the one place that reads it: the maps (live or simulated) or a replayed
 * recording.
 */
#ifndef TDXHP_TOP_STATE_H
#define TDXHP_TOP_STATE_H

#include <stdbool.h>
#include <stdint.h>

#include "cli.h"
#include "filter.h"
#include "kvmstat.h"
#include "record.h"
#include "replay.h"
#include "rows.h"
#include "sim/sim.h"
#include "snapshot.h"

#define TOP_RECENT_SPLITS 8

/* What the options asked for (tdxhp-top.c fills it). */
struct top_config {
	struct tdxhp_cli *cli;	/* loader, simulator and the TD filter */
	double delay_s;
	enum top_col sort;
	bool reverse;
	bool machine_col;	/* show the MACHINE column */
	const char *filter_text; /* -g REGEX as given, for the header */
	const char *read_path;	/* -r FILE */
	double speed;
	bool step;
};

struct top_state {
	struct tdxhp t_storage;
	struct tdxhp *t;		/* NULL in a replay */
	struct tdxhp_sim *sim;
	char source[160];		/* "live", the simulator's label, the replay */
	char trace_cmd[256];		/* "sudo tdxhp-trace ...": the same data */

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
	struct tdxhp_td_filter filter;	/* -p, -g, --uuid, ...; '/' sets -g */
	char filter_text[128];		/* the name regex, "" for none */
	bool machine_col;
	struct kvm_pages kvm;
	unsigned int refreshes;

	/* screen */
	enum { VIEW_TABLE, VIEW_TD, VIEW_HELP } view;
	uint32_t sel_slot, sel_gen;	/* the selected TD, kept across sorts */
	int scroll;
	int rows_shown;			/* table rows on screen last drawn */
	char message[160];

	/* drill-down: slow splits streamed while the view is open */
	struct ring_buffer *rb;
	uint64_t slow_ns;
	struct tdxhp_rec_event recent[TOP_RECENT_SPLITS];
	unsigned int nr_recent;
};

/*
 * Open the source the options name (a recording, the maps, a simulation)
 * and read the first picture.  Takes the TD filter out of c->cli.
 * Returns 0, or a negative errno after printing why.
 */
int top_state_open(struct top_state *s, struct top_config *c);

/*
 * Close it; err is how the run went.  A replay says how its recording
 * ended (cut short, corrupt); returns err, or -EINVAL for a corrupt one.
 */
int top_state_close(struct top_state *s, int err);

static inline const struct tdxhp_snapshot *top_cur(const struct top_state *s)
{
	return &s->snaps[s->cur];
}

static inline const struct tdxhp_snapshot *top_prev(const struct top_state *s)
{
	return &s->snaps[!s->cur];
}

/* Read the next picture and rebuild rows; 0 or a negative errno. */
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

/* Whether what is shown comes from a simulation (live or recorded). */
bool top_simulated(const struct top_state *s);

/* The rows on screen, or every row in batch mode: "N of M TDs shown". */
void top_shown_text(const struct top_state *s, unsigned int shown, char *buf,
		    size_t len);

/*
 * The command that traces one TD for its largest problem, and the
 * runbook: "sudo tdxhp-trace -p 4242 -e fault_split_ignored".
 */
void top_next_command(const struct top_state *s, const struct top_row *r,
		      char *buf, size_t len);

/* Plain text for -b, one JSON object per refresh for -j. */
void top_print_batch(const struct top_state *s);
void top_print_json(const struct top_state *s);

#endif /* TDXHP_TOP_STATE_H */
