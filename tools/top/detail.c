// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * One TD in detail: who it is, why it scores what it does, the command
 * to run next and the runbook, then its totals, latency histograms, the
 * storm detector's gfns and its slow demotes as they happen.
 */
#include <curses.h>
#include <string.h>

#include <bpf/libbpf.h>

#include "detail.h"
#include "draw.h"
#include "event_fmt.h"
#include "hist.h"
#include "stats.h"
#include "storm.h"
#include "tdx_names.h"
#include "util.h"
#include "values.h"

/* A log2 histogram, 256 ns to 134 ms, as one character per slot. */
static void sparkline(char *buf, const struct tdxhp_hist *h)
{
	static const char ramp[] = " .:-=+*#@";
	uint64_t max = 0;
	int n = 0;

	for (int i = 8; i < 28; i++)
		if (h->slots[i] > max)
			max = h->slots[i];
	for (int i = 8; i < 28; i++) {
		int k = max ? (int)((h->slots[i] * 8 + max - 1) / max) : 0;

		buf[n++] = ramp[k > 8 ? 8 : k];
	}
	buf[n] = '\0';
}

static unsigned long long counter(const struct tdxhp_td_stats *st, int c)
{
	return (unsigned long long)st->counters[c];
}

static int draw_who(const struct top_state *s, const struct top_row *r, int y)
{
	const struct tdxhp_identity *id = &r->td->id;
	char pid[16], hkid[16];
	int x = 0;

	draw_flow(&y, &x, 2, LINES - 1, A_BOLD, "TD %s", r->td->name);
	draw_flow(&y, &x, 2, LINES - 1, 0, "pid %s",
		  tdxhp_id_text(r->td->meta.pid,
				tdxhp_pid_known(r->td->meta.pid), pid,
				sizeof(pid)));
	draw_flow(&y, &x, 2, LINES - 1, 0, "hkid %s",
		  tdxhp_id_text(r->td->meta.hkid,
				tdxhp_hkid_known(r->td->meta.hkid), hkid,
				sizeof(hkid)));
	draw_flow(
		&y, &x, 2, LINES - 1, 0, "%s",
		r->partial ?
			"PARTIAL: joined mid-life, gauges count from first sight" :
			"exact");
	if (r->storm_active || r->storm_ever)
		draw_flow(&y, &x, 2, LINES - 1, draw_style(STYLE_STORM),
			  "%s, %llu storms",
			  r->storm_active ? "STORM ACTIVE" : "stormed earlier",
			  counter(&r->td->stats, TDXHP_C_STORM));
	/* Identity, where known: never guessed. */
	if (id->uuid[0] || id->machine[0] || id->cgroup[0]) {
		y++;
		x = 0;
		if (id->uuid[0])
			draw_flow(&y, &x, 2, LINES - 1, 0, "uuid %s", id->uuid);
		if (id->machine[0])
			draw_flow(&y, &x, 2, LINES - 1, 0, "machine %s",
				  id->machine);
		if (id->cgroup[0])
			draw_flow(&y, &x, 2, LINES - 1, 0, "cgroup %s",
				  id->cgroup);
	}
	return y + 1;
}

/* A command wrapped at spaces, each break a " \" so it pastes whole. */
static int draw_command(int y, const char *label, const char *cmd)
{
	int indent = (int)strlen(label), x;
	const char *p = cmd;

	draw_line(y, 0, A_BOLD, "%s", label);
	x = indent;
	while (*p && y < LINES - 1) {
		const char *sp = strchr(p, ' ');
		int n = sp ? (int)(sp - p) : (int)strlen(p);
		bool last = !sp;

		/* Room for the word, and for " \" if more follows. */
		if (x > indent && x + 1 + n + (last ? 0 : 2) > COLS) {
			draw_line(y, x, A_BOLD, " \\");
			y++;
			x = indent + 2;
		} else if (x > indent) {
			x++;
		}
		if (y >= LINES - 1)
			break;
		draw_line(y, x, A_BOLD, "%.*s", n, p);
		x += n;
		p += n;
		while (*p == ' ')
			p++;
	}
	return y + 1;
}

static int draw_next(const struct top_state *s, const struct top_row *r, int y)
{
	const struct top_score *sc = &r->score;
	const char *runbook = top_why_runbook(sc->why);
	char cmd[512];
	int x = 0;

	bool first = true;
	int order[TOP_NR_WHY], n = 0;

	/* The terms, largest first: "score 1203 = storm 1000 + ign 200". */
	for (int w = TOP_NR_WHY - 1; w > TOP_WHY_NONE; w--) {
		int i = n++;

		while (i && sc->term[order[i - 1]] < sc->term[w]) {
			order[i] = order[i - 1];
			i--;
		}
		order[i] = w;
	}
	draw_flow(&y, &x, 2, LINES - 1, sc->why ? draw_style(STYLE_BAD) : 0,
		  "score %.0f", sc->total);
	for (int i = 0; i < n && sc->term[order[i]] >= 0.5; i++) {
		int w = order[i];

		draw_flow(&y, &x, 2, LINES - 1,
			  sc->term[w] >= TOP_BAD ? draw_style(STYLE_BAD) : 0,
			  "%s %s %.0f", first ? "=" : "+", top_why_name(w),
			  sc->term[w]);
		first = false;
	}
	if (sc->why == TOP_WHY_NONE)
		draw_flow(&y, &x, 2, LINES - 1, 0, "(no problem: below %.0f)",
			  TOP_BAD);
	top_next_command(s, r, cmd, sizeof(cmd));
	y = draw_command(y + 1, "next: ", cmd);
	if (runbook)
		draw_line(y++, 0, 0, "runbook: %s", runbook);
	else if (sc->why == TOP_WHY_ERRORS)
		draw_line(
			y++, 0, 0,
			"runbook: none for failed SEAMCALLs; tdxhp-trace names each TDX status");
	return y;
}

static int draw_totals(const struct top_row *r, int y)
{
	const struct tdxhp_td_stats *st = &r->td->stats;
	char b4k[16], b2m[16], cov[16];
	double c = tdxhp_huge_coverage(st);
	int x = 0, lim = LINES - 1;

	tdxhp_format_signed_bytes(tdxhp_gauge_bytes_at(st, TDXHP_LEVEL_4K), b4k,
				  sizeof(b4k));
	tdxhp_format_signed_bytes(tdxhp_gauge_bytes_at(st, TDXHP_LEVEL_2M), b2m,
				  sizeof(b2m));
	if (c < 0)
		snprintf(cov, sizeof(cov), TDXHP_UNKNOWN_TEXT);
	else
		snprintf(cov, sizeof(cov), "%.1f%%", c * 100);
	draw_flow(&y, &x, 2, lim, 0, "private%s: 4K %s (%lld leaves)",
		  r->partial ? " since first sight" : "", b4k,
		  (long long)st->pages[0]);
	draw_flow(&y, &x, 2, lim, 0, "2M %s (%lld leaves)", b2m,
		  (long long)st->pages[1]);
	draw_flow(&y, &x, 2, lim, 0, "2M coverage %s", cov);
	y++;
	x = 0;
	draw_flow(&y, &x, 2, lim, 0, "total: aug 4K %llu 2M %llu",
		  counter(st, TDXHP_C_AUG_4K), counter(st, TDXHP_C_AUG_2M));
	draw_flow(&y, &x, 2, lim, 0, "add %llu", counter(st, TDXHP_C_ADD));
	draw_flow(&y, &x, 2, lim, 0, "remove 4K %llu 2M %llu",
		  counter(st, TDXHP_C_REMOVE_4K),
		  counter(st, TDXHP_C_REMOVE_2M));
	draw_flow(&y, &x, 2, lim, 0, "demotes %llu",
		  counter(st, TDXHP_C_DEMOTE));
	draw_flow(&y, &x, 2, lim, 0, "BUSY %llu (%llu in demotes)",
		  counter(st, TDXHP_C_SEAMCALL_BUSY),
		  counter(st, TDXHP_C_DEMOTE_BUSY_RETRY));
	draw_flow(&y, &x, 2, lim, 0, "errors %llu",
		  counter(st, TDXHP_C_ADD_ERR) + counter(st, TDXHP_C_AUG_ERR) +
			  counter(st, TDXHP_C_REMOVE_ERR) +
			  counter(st, TDXHP_C_DEMOTE_ERR) +
			  counter(st, TDXHP_C_SPLIT_ERR));
	y++;
	x = 0;
	draw_flow(&y, &x, 2, lim, 0,
		  "splits total: convert %llu punch-hole %llu accept %llu",
		  counter(st, TDXHP_C_SPLIT_CONVERT),
		  counter(st, TDXHP_C_SPLIT_PUNCH_HOLE),
		  counter(st, TDXHP_C_SPLIT_ACCEPT));
	draw_flow(&y, &x, 2, lim, 0, "2M leaves split %llu",
		  counter(st, TDXHP_C_SPLIT_LEAVES));
	draw_flow(&y, &x, 2, lim, 0, "ignored faults %llu",
		  counter(st, TDXHP_C_FAULT_SPLIT_IGNORED));
	return y + 1;
}

static int draw_latencies(const struct top_state *s, const struct top_row *r,
			  int y)
{
	/* What splits cost first: a short terminal shows those. */
	_Static_assert(TDXHP_NR_HISTS == 9, "every histogram in hist_order");
	static const int hist_order[TDXHP_NR_HISTS] = {
		TDXHP_H_DEMOTE,	      TDXHP_H_DEMOTE_BLOCK,
		TDXHP_H_DEMOTE_TRACK, TDXHP_H_DEMOTE_DEMOTE,
		TDXHP_H_SPLIT,	      TDXHP_H_AUG_2M,
		TDXHP_H_AUG_4K,	      TDXHP_H_REMOVE,
		TDXHP_H_ADD,
	};
	const struct tdxhp_td_stats *st = &r->td->stats;
	const struct tdxhp_minmax *mm;

	draw_line(y++, 0, A_BOLD, "%-14s %8s %9s %9s %9s %9s %9s  %s",
		  "latency", "count", "min", "p50", "p99", "max", "avg",
		  "log2 256ns..134ms");
	mm = s->rp ? tdxhp_replay_minmax(s->rp, r->td->slot, r->td->gen) : NULL;
	for (int i = 0; i < TDXHP_NR_HISTS && y < LINES - 8; i++) {
		int h = hist_order[i];
		const struct tdxhp_hist *hist = &st->hist[h];
		uint64_t cnt = tdxhp_hist_count(hist);
		char mn[16], p50[16], p99[16], mx[16], avg[16], spark[32],
			a[20], b[20];
		struct tdxhp_hist_extremes x;

		/* Live: bucket bounds (>=, <=); replayed: exact extremes. */
		tdxhp_hist_extremes(hist, mm != NULL, mm ? mm[h].min_ns : 0,
				    mm ? mm[h].max_ns : 0, &x);
		tdxhp_format_ns(mn, sizeof(mn), (double)x.min_ns);
		tdxhp_format_ns(mx, sizeof(mx), (double)x.max_ns);
		snprintf(a, sizeof(a), "%s%s", cnt && !x.exact ? ">=" : "", mn);
		snprintf(b, sizeof(b), "%s%s", cnt && !x.exact ? "<=" : "", mx);
		tdxhp_format_ns(p50, sizeof(p50),
				tdxhp_hist_quantile_shown(hist, 0.5, &x));
		tdxhp_format_ns(p99, sizeof(p99),
				tdxhp_hist_quantile_shown(hist, 0.99, &x));
		tdxhp_format_ns(avg, sizeof(avg),
				cnt ? (double)hist->sum_ns / (double)cnt : 0);
		sparkline(spark, hist);
		draw_line(y++, 0, 0, "%-14s %8llu %9s %9s %9s %9s %9s  [%s]",
			  tdxhp_hist_name(h), (unsigned long long)cnt, a, p50,
			  p99, b, avg, spark);
	}
	if (!mm && y < LINES - 8)
		draw_line(
			y++, 0, 0,
			"(min/max: bucket bounds; the live histograms keep no exact extremes)");
	return y + 1;
}

static int draw_storm_gfns(const struct top_state *s, const struct top_row *r,
			   int y)
{
	struct tdxhp_storm_gfn g[8];
	const uint64_t now = tdxhp_now_ns();
	int n = s->t ? tdxhp_storm_gfns(s->t, r->td->slot, g, 4) : 0;

	draw_line(y++, 0, A_BOLD,
		  "ignored fault-path splits, by gfn (%d tracked):", n);
	for (int i = 0; i < n && y < LINES - 4; i++) {
		char l1[8], l2[8];

		draw_line(
			y++, 2, 0,
			"gfn 0x%llx  hits %u in window  storms %u  level %s wanted %s  %.1fs ago",
			(unsigned long long)g[i].gfn, g[i].hits, g[i].storms,
			tdxhp_level_name(g[i].level, l1),
			tdxhp_level_name(g[i].goal_level, l2),
			now > g[i].last_ns ?
				(double)(now - g[i].last_ns) / 1e9 :
				0);
	}
	return y + 1;
}

static void draw_recent(const struct top_state *s, int y)
{
	draw_line(y++, 0, A_BOLD,
		  "recent slow demotes (>= %.1fus, since this view opened):",
		  (double)s->slow_ns / 1e3);
	if (!s->nr_recent && y < LINES - 1)
		draw_line(y++, 2, 0, "%s",
			  s->t ? "none yet" : "none: a replay streams nothing");
	for (unsigned int i = 0; i < s->nr_recent && y < LINES - 1; i++) {
		const struct tdxhp_rec_event *e = &s->recent[i];
		char tot[16], b[16], t[16], d[16];

		tdxhp_format_ns(tot, sizeof(tot), (double)e->duration_ns);
		tdxhp_format_ns(b, sizeof(b), (double)e->block_ns);
		tdxhp_format_ns(t, sizeof(t), (double)e->track_ns);
		tdxhp_format_ns(d, sizeof(d), (double)e->demote_ns);
		draw_line(
			y++, 2, 0,
			"gfn 0x%llx  %s  block %s track %s demote %s  busy retries %u",
			(unsigned long long)e->gfn, tot, b, t, d,
			e->busy_retries);
	}
}

void detail_draw(struct top_state *s)
{
	const struct top_row *r = screen_selected_row(s);
	int y = 1;

	draw_bar(0, draw_style(top_simulated(s) ? STYLE_SIM : STYLE_TITLE),
		 "tdxhp-top  TD detail  %s%s   (q: back)", top_mode(s),
		 s->sim || s->rp ? s->source : "");
	if (!r) {
		draw_line(2, 2, 0, "the TD is gone (torn down)");
		return;
	}
	y = draw_who(s, r, y);
	y = draw_next(s, r, y);
	y = draw_totals(r, y);
	y = draw_latencies(s, r, y + 1);
	y = draw_storm_gfns(s, r, y);
	draw_recent(s, y);
}

static int on_demote(void *ctx, void *data, size_t size)
{
	struct top_state *s = ctx;
	struct tdxhp_rec_event e;

	if (size < sizeof(struct tdxhp_record))
		return 0;
	tdxhp_rec_event_from_record(data, &e);
	if (e.type != TDXHP_EV_PAGE_DEMOTE || e.slot != s->sel_slot ||
	    e.gen != s->sel_gen || e.duration_ns < s->slow_ns)
		return 0;
	memmove(&s->recent[1], &s->recent[0],
		sizeof(s->recent[0]) * (TOP_RECENT_SPLITS - 1));
	s->recent[0] = e;
	if (s->nr_recent < TOP_RECENT_SPLITS)
		s->nr_recent++;
	return 0;
}

void detail_open(struct top_state *s)
{
	const struct top_row *r = screen_selected_row(s);

	if (!r)
		return;
	s->view = VIEW_TD;
	s->nr_recent = 0;
	s->slow_ns = (uint64_t)tdxhp_hist_quantile_ns(
		&r->td->stats.hist[TDXHP_H_DEMOTE], 0.9);
	if (!s->t)
		return; /* a replay: nothing streams */
	s->rb = ring_buffer__new(tdxhp_ringbuf_fd(s->t), on_demote, s, NULL);
	if (s->rb)
		tdxhp_set_stream(s->t, true);
}

void detail_close(struct top_state *s)
{
	if (s->t)
		tdxhp_set_stream(s->t, false);
	ring_buffer__free(s->rb);
	s->rb = NULL;
	s->view = VIEW_TABLE;
}
