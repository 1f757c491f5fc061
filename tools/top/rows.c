// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hist.h"
#include "rows.h"
#include "values.h"
#include "stats.h"
#include "util.h"

const struct top_col_def top_cols[NR_COLS] = {
	[COL_NAME] = { "TD", "name", 10, 0 },
	[COL_PID] = { "PID", "pid", 7, 0 },
	[COL_HKID] = { "HKID", "hkid", 4, 8 },
	[COL_MACHINE] = { "MACHINE", "machine", 12, 0 },
	[COL_WHY] = { "WHY", "why", 5, 0 },
	[COL_4K] = { "PRIV4K", "private_4k_bytes", 6, 7 },
	[COL_2M] = { "PRIV2M", "private_2m_bytes", 6, 0 },
	[COL_COV] = { "2M%", "coverage", 5, 0 },
	[COL_AUG4K] = { "AUG4K/s", "aug_4k_per_s", 7, 9 },
	[COL_AUG2M] = { "AUG2M/s", "aug_2m_per_s", 7, 4 },
	[COL_DEMOTE] = { "DEM/s", "demotes_per_s", 6, 3 },
	[COL_DEM50] = { "DEM50", "demote_p50_ns", 6, 6 },
	[COL_DEM99] = { "DEM99", "demote_p99_ns", 6, 1 },
	[COL_SPLIT] = { "SPLIT/s", "split_leaves_per_s", 7, 5 },
	[COL_BUSY] = { "BUSY/s", "busy_retries_per_s", 6, 2 },
	[COL_IGN] = { "IGN/s", "ignored_splits_per_s", 6, 0 },
	[COL_ERR] = { "ERR/s", "errors_per_s", 5, 0 },
	[COL_SCORE] = { "SCORE", "score", 5, 0 },
};

const enum top_col top_display[NR_COLS] = {
	COL_NAME,  COL_MACHINE, COL_PID,   COL_HKID,  COL_SCORE, COL_WHY,
	COL_4K,	   COL_2M,	COL_COV,   COL_AUG4K, COL_AUG2M, COL_DEMOTE,
	COL_DEM50, COL_DEM99,	COL_SPLIT, COL_BUSY,  COL_IGN,	 COL_ERR,
};

int top_col_by_title(const char *title)
{
	for (int c = 0; c < NR_COLS; c++)
		if (!strcasecmp(title, top_cols[c].title))
			return c;
	return -1;
}

static const struct tdxhp_td *find(const struct tdxhp_snapshot *s,
				   const struct tdxhp_td *td)
{
	return s ? tdxhp_snapshot_find(s, td->slot, td->gen) : NULL;
}

static uint64_t errors_of(const struct tdxhp_td_stats *s)
{
	return s->counters[TDXHP_C_ADD_ERR] + s->counters[TDXHP_C_AUG_ERR] +
	       s->counters[TDXHP_C_REMOVE_ERR] +
	       s->counters[TDXHP_C_DEMOTE_ERR] + s->counters[TDXHP_C_SPLIT_ERR];
}

static double per_s(uint64_t now, uint64_t then, double dt_s)
{
	return dt_s > 0 && now > then ? (double)(now - then) / dt_s : 0;
}

static double rate(const struct tdxhp_td_stats *cur,
		   const struct tdxhp_td_stats *prev, int c, double dt_s)
{
	return per_s(cur->counters[c], prev ? prev->counters[c] : 0, dt_s);
}

static void fill_row(struct top_row *row, const struct tdxhp_td *td,
		     const struct tdxhp_td *prev, const struct tdxhp_td *base,
		     double dt_s, const struct top_view_opts *o, uint64_t now)
{
	const struct tdxhp_td_stats *s = &td->stats;
	const struct tdxhp_td_stats *p = prev ? &prev->stats : NULL;
	struct tdxhp_td_stats since;
	struct top_score_in in;

	/* Cumulative columns count since the last reset ('z'). */
	if (base)
		tdxhp_td_stats_delta(&since, s, &base->stats);
	else
		since = *s;
	memset(row, 0, sizeof(*row));
	row->td = td;
	row->partial = td->meta.flags & TDXHP_TD_PARTIAL;
	row->storm_ever = td->meta.flags & TDXHP_TD_STORM;
	row->storm_active = row->storm_ever && td->meta.last_storm_ns &&
			    now - td->meta.last_storm_ns < o->storm_active_ns;
	row->v[COL_PID] = td->meta.pid;
	row->v[COL_HKID] = td->meta.hkid;
	/* Signed, as measured: docs/values.md. */
	row->v[COL_4K] = (double)tdxhp_gauge_bytes_at(s, TDXHP_LEVEL_4K);
	row->v[COL_2M] = (double)tdxhp_gauge_bytes_at(s, TDXHP_LEVEL_2M);
	row->v[COL_COV] = tdxhp_huge_coverage(s);
	row->v[COL_AUG4K] = rate(s, p, TDXHP_C_AUG_4K, dt_s);
	row->v[COL_AUG2M] = rate(s, p, TDXHP_C_AUG_2M, dt_s);
	row->v[COL_DEMOTE] = rate(s, p, TDXHP_C_DEMOTE, dt_s);
	row->v[COL_DEM50] =
		tdxhp_hist_quantile_ns(&since.hist[TDXHP_H_DEMOTE], 0.5);
	row->v[COL_DEM99] =
		tdxhp_hist_quantile_ns(&since.hist[TDXHP_H_DEMOTE], 0.99);
	row->v[COL_SPLIT] = rate(s, p, TDXHP_C_SPLIT_LEAVES, dt_s);
	/* BUSY is every retried TDX_OPERAND_BUSY (docs/vocabulary.md). */
	row->v[COL_BUSY] = rate(s, p, TDXHP_C_SEAMCALL_BUSY, dt_s);
	row->v[COL_IGN] = rate(s, p, TDXHP_C_FAULT_SPLIT_IGNORED, dt_s);
	row->v[COL_ERR] = per_s(errors_of(s), p ? errors_of(p) : 0, dt_s);

	in = (struct top_score_in){
		.storm_active = row->storm_active,
		.storm_ever = row->storm_ever,
		.errors_per_s = row->v[COL_ERR],
		.busy_per_s = row->v[COL_BUSY],
		.ignored_per_s = row->v[COL_IGN],
		.coverage = row->v[COL_COV],
	};
	top_score(&in, &row->score);
	row->v[COL_SCORE] = row->score.total;
	row->v[COL_WHY] = row->score.why;
}

static enum top_col sort_col;
static bool sort_reverse;

static int cmp_rows(const void *x, const void *y)
{
	const struct top_row *a = x, *b = y;
	int c;

	if (sort_col == COL_NAME)
		c = strcmp(a->td->name, b->td->name);
	else if (sort_col == COL_MACHINE)
		c = strcmp(a->td->id.machine, b->td->id.machine);
	else
		c = -((a->v[sort_col] > b->v[sort_col]) -
		      (a->v[sort_col] < b->v[sort_col]));
	/* Numbers sort largest first, names A to Z; ties by name. */
	if (!c)
		c = strcmp(a->td->name, b->td->name);
	if (!c)
		c = (a->td->slot > b->td->slot) - (a->td->slot < b->td->slot);
	return sort_reverse ? -c : c;
}

static void totals(struct top_totals *t, const struct tdxhp_snapshot *cur,
		   const struct tdxhp_snapshot *prev, double dt_s)
{
	uint64_t ev = 0, ev_prev = 0;

	memset(t, 0, sizeof(*t));
	for (unsigned int i = 0; i < cur->nr_tds; i++) {
		const struct tdxhp_td_stats *s = &cur->tds[i].stats;

		t->tds++;
		t->partial += !!(cur->tds[i].meta.flags & TDXHP_TD_PARTIAL);
		t->bytes_4k += tdxhp_gauge_bytes_at(s, TDXHP_LEVEL_4K);
		t->bytes_2m += tdxhp_gauge_bytes_at(s, TDXHP_LEVEL_2M);
		t->bytes_1g += tdxhp_gauge_bytes_at(s, TDXHP_LEVEL_1G);
	}
	t->coverage = tdxhp_coverage_of(t->bytes_4k, t->bytes_2m, t->bytes_1g);
	for (int e = 0; e < TDXHP_NR_EVENTS; e++) {
		ev += cur->host.events[e];
		ev_prev += prev ? prev->host.events[e] : 0;
	}
	t->events_per_s = per_s(ev, ev_prev, dt_s);
	memcpy(t->dropped, cur->host.counters, sizeof(t->dropped));
}

static bool wanted(const struct top_view_opts *o, const struct tdxhp_td *td)
{
	return !o->filter ||
	       tdxhp_td_filter_match_identity(o->filter, td->meta.pid,
					      td->name, &td->id);
}

int top_rows_build(struct top_rows *out, const struct tdxhp_snapshot *cur,
		   const struct tdxhp_snapshot *prev,
		   const struct tdxhp_snapshot *base, double dt_s,
		   const struct top_view_opts *o)
{
	uint64_t now = o->recorded_clock ? cur->ts_ns : tdxhp_now_ns();

	if (out->cap < cur->nr_tds) {
		void *p = realloc(out->rows, cur->nr_tds * sizeof(*out->rows));

		if (!p)
			return -ENOMEM;
		out->rows = p;
		out->cap = cur->nr_tds;
	}
	out->nr = 0;
	for (unsigned int i = 0; i < cur->nr_tds; i++) {
		const struct tdxhp_td *td = &cur->tds[i];

		if (!wanted(o, td))
			continue;
		fill_row(&out->rows[out->nr++], td, find(prev, td),
			 find(base, td), dt_s, o, now);
	}
	totals(&out->tot, cur, prev, dt_s);
	/* Storms of every TD: a filter must not hide one from the header. */
	for (unsigned int i = 0; i < cur->nr_tds; i++) {
		const struct tdxhp_td_meta *m = &cur->tds[i].meta;

		out->tot.storms_active += (m->flags & TDXHP_TD_STORM) &&
					  m->last_storm_ns &&
					  now - m->last_storm_ns <
						  o->storm_active_ns;
	}
	sort_col = o->sort;
	sort_reverse = o->reverse;
	qsort(out->rows, out->nr, sizeof(*out->rows), cmp_rows);
	return 0;
}

void top_rows_free(struct top_rows *r)
{
	free(r->rows);
	memset(r, 0, sizeof(*r));
}

void top_compact(char *buf, size_t len, double v)
{
	static const char sfx[] = " kMGT";
	int i = 0;

	while (v >= 999.5 && i < 4) {
		v /= 1000;
		i++;
	}
	if (!i)
		snprintf(buf, len, "%.0f", v);
	else if (v < 9.95)
		snprintf(buf, len, "%.1f%c", v, sfx[i]);
	else
		snprintf(buf, len, "%.0f%c", v, sfx[i]);
}

static void latency(char *buf, size_t len, double ns)
{
	if (ns <= 0)
		snprintf(buf, len, "-");
	else if (ns < 1e3)
		snprintf(buf, len, "%.0fns", ns);
	else if (ns < 9.95e3)
		snprintf(buf, len, "%.1fus", ns / 1e3);
	else if (ns < 1e6)
		snprintf(buf, len, "%.0fus", ns / 1e3);
	else if (ns < 9.95e6)
		snprintf(buf, len, "%.1fms", ns / 1e6);
	else
		snprintf(buf, len, "%.0fms", ns / 1e6);
}

void top_format(enum top_col c, const struct top_row *r, char *buf, size_t len)
{
	double v = r->v[c];
	const char *tilde = r->partial ? "~" : "";

	switch (c) {
	case COL_NAME:
		snprintf(buf, len, "%s", r->td->name);
		break;
	case COL_MACHINE:
		snprintf(buf, len, "%s",
			 r->td->id.machine[0] ? r->td->id.machine :
						TDXHP_UNKNOWN_TEXT);
		break;
	case COL_PID:
		tdxhp_id_text((int64_t)v, tdxhp_pid_known((int64_t)v), buf, len);
		break;
	case COL_HKID:
		tdxhp_id_text((int64_t)v, tdxhp_hkid_known((int64_t)v), buf, len);
		break;
	case COL_WHY:
		snprintf(buf, len, "%s", top_why_name(r->score.why));
		break;
	case COL_SCORE:
		snprintf(buf, len, "%.0f", v);
		break;
	case COL_4K:
	case COL_2M: {
		char b[16];

		tdxhp_format_signed_bytes((int64_t)v, b, sizeof(b));
		snprintf(buf, len, "%s%s", tilde, b);
		break;
	}
	case COL_COV:
		if (v < 0)
			snprintf(buf, len, TDXHP_UNKNOWN_TEXT);
		else
			snprintf(buf, len, "%s%.1f", tilde, v * 100);
		break;
	case COL_DEM50:
	case COL_DEM99:
		latency(buf, len, v);
		break;
	default:
		top_compact(buf, len, v);
		break;
	}
}

bool top_cell_bad(enum top_col c, const struct top_row *r)
{
	const struct top_score *s = &r->score;

	switch (c) {
	case COL_SCORE:
	case COL_WHY:
		return s->why != TOP_WHY_NONE;
	case COL_COV:
		return s->term[TOP_WHY_COVERAGE] >= TOP_BAD;
	case COL_IGN:
		return s->term[TOP_WHY_IGNORED] >= TOP_BAD;
	case COL_BUSY:
		return s->term[TOP_WHY_BUSY] >= TOP_BAD;
	case COL_ERR:
		return s->term[TOP_WHY_ERRORS] >= TOP_BAD;
	default:
		return false;
	}
}
