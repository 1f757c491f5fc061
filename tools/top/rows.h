/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* tdxhp-top's table: one row per TD from two snapshots, sorted, filtered. */
#ifndef TDXHP_TOP_ROWS_H
#define TDXHP_TOP_ROWS_H

#include <stdbool.h>
#include <stdint.h>

#include "filter.h"
#include "score.h"
#include "snapshot.h"

/*
 * The columns.  -j prints the numeric ones from COL_4K on under their
 * json names (tools/top/batch.c); top_display[] is the order on screen.
 */
enum top_col {
	COL_NAME,
	COL_PID,
	COL_HKID,
	COL_MACHINE,	/* systemd machine name; shown on request */
	COL_WHY,	/* the score's largest term */
	COL_4K,		/* private bytes mapped by 4K leaves */
	COL_2M,		/* ... by 2M leaves */
	COL_COV,	/* share of private memory in huge leaves */
	COL_AUG4K,	/* per second */
	COL_AUG2M,
	COL_DEMOTE,	/* demotes per second */
	COL_DEM50,	/* demote latency since start or reset */
	COL_DEM99,
	COL_SPLIT,	/* 2M leaves split by boundary splits, per second */
	COL_BUSY,	/* TDX_OPERAND_BUSY retries per second */
	COL_IGN,	/* ignored fault-path splits per second */
	COL_ERR,	/* failed SEAMCALLs per second */
	COL_SCORE,	/* the problem score (score.h) */
	NR_COLS,
};

struct top_col_def {
	const char *title;
	const char *json;
	int width;
	int drop_order;	/* narrow terminals drop higher numbers first */
};

extern const struct top_col_def top_cols[NR_COLS];

/* Every column, in the order shown. */
extern const enum top_col top_display[NR_COLS];

struct top_row {
	const struct tdxhp_td *td;	/* in the current snapshot */
	double v[NR_COLS];		/* numeric value of each column */
	struct top_score score;
	bool partial;
	bool storm_active;
	bool storm_ever;
};

struct top_totals {
	unsigned int tds;
	unsigned int partial;
	unsigned int storms_active;
	int64_t bytes_4k;		/* as measured: docs/values.md */
	int64_t bytes_2m;
	int64_t bytes_1g;
	double coverage;		/* -1: unknown */
	double events_per_s;
	uint64_t dropped[TDXHP_NR_HOST_COUNTERS];
};

struct top_rows {
	struct top_row *rows;
	unsigned int nr;		/* after filtering */
	unsigned int cap;
	struct top_totals tot;		/* every TD, filtered or not */
};

struct top_view_opts {
	enum top_col sort;
	bool reverse;
	const struct tdxhp_td_filter *filter;	/* NULL: none */
	uint64_t storm_active_ns;	/* a storm this recent is active */
	bool recorded_clock;		/* replays: "now" is the snapshot's time */
};

/*
 * Rows of cur, with rates over dt_s against prev and cumulative columns
 * against base (a reset), each matched by slot and generation.
 */
int top_rows_build(struct top_rows *out, const struct tdxhp_snapshot *cur,
		   const struct tdxhp_snapshot *prev,
		   const struct tdxhp_snapshot *base, double dt_s,
		   const struct top_view_opts *o);
void top_rows_free(struct top_rows *r);

/* A sort column by its title ("dem99", any case); -1 if none. */
int top_col_by_title(const char *title);

/* "1.5G", "12.3k", "27us": a column's value as shown (names: raw). */
void top_format(enum top_col c, const struct top_row *r, char *buf, size_t len);

/* Whether the cell shows a problem (score.h's TOP_BAD): marked on screen. */
bool top_cell_bad(enum top_col c, const struct top_row *r);

/* "999", "1.2k", "12k", "1.2M": a number in a few characters. */
void top_compact(char *buf, size_t len, double v);

#endif /* TDXHP_TOP_ROWS_H */
