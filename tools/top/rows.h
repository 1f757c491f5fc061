/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* tdxhp-top's table: one row per TD from two snapshots, sorted, filtered. */
#ifndef TDXHP_TOP_ROWS_H
#define TDXHP_TOP_ROWS_H

#include <regex.h>
#include <stdbool.h>
#include <stdint.h>

#include "snapshot.h"

enum top_col {
	COL_NAME,
	COL_PID,
	COL_HKID,
	COL_4K,		/* private bytes mapped by 4K leaves */
	COL_2M,		/* ... by 2M leaves */
	COL_COV,	/* share of private memory in huge leaves */
	COL_AUG4K,	/* per second */
	COL_AUG2M,
	COL_SPLIT,	/* demotes per second */
	COL_P50,	/* split (demote) latency since start or reset */
	COL_P99,
	COL_BUSY,	/* TDX_OPERAND_BUSY retries per second */
	COL_IGN,	/* ignored fault-path splits per second */
	COL_ERR,	/* errors since start or reset */
	NR_COLS,
};

struct top_col_def {
	const char *title;
	const char *json;
	int width;
	int drop_order;	/* narrow terminals drop higher numbers first */
};

extern const struct top_col_def top_cols[NR_COLS];

struct top_row {
	const struct tdxhp_td *td;	/* in the current snapshot */
	double v[NR_COLS];		/* numeric value of each column */
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
	struct top_totals tot;
};

struct top_view_opts {
	enum top_col sort;
	bool reverse;
	regex_t *filter;		/* NULL: none */
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

/* "1.5G", "12.3k/s", "27us": a column's value as shown. */
void top_format(enum top_col c, const struct top_row *r, char *buf, size_t len);

#endif /* TDXHP_TOP_ROWS_H */
