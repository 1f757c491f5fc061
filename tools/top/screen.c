// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The live view, in the spirit of kvm_stat and top: a header with host
 * totals, one row per TD, keys to sort, filter, pick and drill down.
 */
#include <curses.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/libbpf.h>

#include "drops.h"
#include "event_fmt.h"
#include "hist.h"
#include "screen.h"
#include "stats.h"
#include "storm.h"
#include "util.h"
#include "values.h"

enum { PAIR_TITLE = 1, PAIR_SIM, PAIR_STORM, PAIR_WARN, PAIR_HEAD };

static bool active;

static void restore_on_fatal(int sig)
{
	/* Give the terminal back even when crashing, then crash as asked. */
	if (active)
		endwin();
	signal(sig, SIG_DFL);
	raise(sig);
}

int screen_begin(void)
{
	static const int fatal[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };

	if (!initscr())
		return -ENOTTY;
	active = true;
	for (size_t i = 0; i < ARRAY_SIZE(fatal); i++)
		signal(fatal[i], restore_on_fatal);
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	curs_set(0);
	if (has_colors()) {
		start_color();
		use_default_colors();
		init_pair(PAIR_TITLE, COLOR_BLACK, COLOR_CYAN);
		init_pair(PAIR_SIM, COLOR_BLACK, COLOR_YELLOW);
		init_pair(PAIR_STORM, COLOR_RED, -1);
		init_pair(PAIR_WARN, COLOR_YELLOW, -1);
		init_pair(PAIR_HEAD, COLOR_BLACK, COLOR_WHITE);
	}
	return 0;
}

void screen_end(void)
{
	if (!active)
		return;
	active = false;
	endwin();
}

/* ------------------------------------------------------------------ */
/* Layout                                                              */

struct layout {
	bool shown[NR_COLS];
	int name_width;
	int hidden;
};

/* Drop the least important columns until the table fits the terminal. */
static void fit_columns(struct layout *l, int cols)
{
	int width = 2, drop;

	l->hidden = 0;
	for (int c = 0; c < NR_COLS; c++) {
		l->shown[c] = true;
		width += top_cols[c].width + 1;
	}
	for (drop = 9; width > cols && drop > 0; drop--) {
		for (int c = 0; c < NR_COLS; c++) {
			if (top_cols[c].drop_order != drop || !l->shown[c])
				continue;
			l->shown[c] = false;
			l->hidden++;
			width -= top_cols[c].width + 1;
		}
	}
	l->name_width = top_cols[COL_NAME].width;
	if (width < cols)
		l->name_width += (cols - width) < 14 ? cols - width : 14;
}

static void put_cell(int y, int *x, const char *text, int width, bool left)
{
	if (left)
		mvprintw(y, *x, "%-*.*s", width, width, text);
	else
		mvprintw(y, *x, "%*.*s", width, width, text);
	*x += width + 1;
}

static void bar(int y, int pair, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	attron(COLOR_PAIR(pair) | A_BOLD);
	mvprintw(y, 0, "%-*.*s", COLS, COLS, line);
	attroff(COLOR_PAIR(pair) | A_BOLD);
}

static void draw_header(const struct top_state *s, const struct layout *l)
{
	const struct top_totals *t = &s->rows.tot;
	char when[16], b4k[16], b2m[16], cov[16];
	int x = 0;
	bool any = false;

	top_clock(s, when, sizeof(when));
	bar(0, s->sim || (s->rp && tdxhp_replay_simulated(s->rp)) ? PAIR_SIM : PAIR_TITLE,
	    "tdxhp-top  %s  %s%s  refresh %.1fs%s%s",
	    when, top_mode(s), s->sim || s->rp ? s->source : s->source + 4,
	    s->delay_s, s->frozen ? "  (frozen)" : "",
	    s->replay_end ? "  (end of recording)" : s->step ? "  (n: next)" : "");
	tdxhp_format_signed_bytes(t->bytes_4k, b4k, sizeof(b4k));
	tdxhp_format_signed_bytes(t->bytes_2m, b2m, sizeof(b2m));
	if (t->coverage < 0)
		snprintf(cov, sizeof(cov), TDXHP_UNKNOWN_TEXT);
	else
		snprintf(cov, sizeof(cov), "%.1f%%", t->coverage * 100);
	mvprintw(1, 0, "TDs %u (%u partial)  private 4K %s  2M %s  2M coverage %s  events/s %.0f",
		 t->tds, t->partial, b4k, b2m, cov, t->events_per_s);
	if (t->storms_active) {
		attron(COLOR_PAIR(PAIR_STORM) | A_BOLD);
		printw("  STORMS %u", t->storms_active);
		attroff(COLOR_PAIR(PAIR_STORM) | A_BOLD);
	}
	if (s->rp)
		mvprintw(2, 0, "KVM pages: not in recordings");
	else if (s->kvm.readable)
		mvprintw(2, 0, "KVM pages, shared+private of all VMs: 4K %llu  2M %llu  1G %llu",
			 (unsigned long long)s->kvm.pages[0],
			 (unsigned long long)s->kvm.pages[1],
			 (unsigned long long)s->kvm.pages[2]);
	else
		mvprintw(2, 0, "KVM pages: debugfs not readable");
	move(3, 0);
	for (int i = 0; i < TDXHP_NR_HOST_COUNTERS; i++) {
		if (!t->dropped[i] || !tdxhp_drop_counts(TDXHP_VIEW_TOTALS, i))
			continue;
		if (!any)
			attron(COLOR_PAIR(PAIR_WARN) | A_BOLD);
		printw("%s%s %llu", any ? "  " : "dropped: ",
		       tdxhp_host_counter_name(i),
		       (unsigned long long)t->dropped[i]);
		any = true;
	}
	if (any)
		attroff(COLOR_PAIR(PAIR_WARN) | A_BOLD);
	else
		printw("dropped: none");
	printw("  sort %s%s", top_cols[s->vo.sort].title,
	       s->vo.reverse ? " (rev)" : "");
	if (s->filter_text[0])
		printw("  filter /%s/", s->filter_text);
	if (l->hidden)
		printw("  [%d cols hidden]", l->hidden);

	attron(COLOR_PAIR(PAIR_HEAD) | A_BOLD);
	mvprintw(4, 0, "%-*s", COLS, "");
	x = 2;
	for (int c = 0; c < NR_COLS; c++) {
		char title[16];

		if (!l->shown[c])
			continue;
		snprintf(title, sizeof(title), "%s%s", top_cols[c].title,
			 c == (int)s->vo.sort ? (s->vo.reverse ? "^" : "v") : "");
		put_cell(4, &x, title,
			 c == COL_NAME ? l->name_width : top_cols[c].width,
			 c == COL_NAME);
	}
	attroff(COLOR_PAIR(PAIR_HEAD) | A_BOLD);
}

static int selected_index(const struct top_state *s)
{
	for (unsigned int i = 0; i < s->rows.nr; i++)
		if (s->rows.rows[i].td->slot == s->sel_slot &&
		    s->rows.rows[i].td->gen == s->sel_gen)
			return (int)i;
	return s->rows.nr ? 0 : -1;
}

static void draw_table(struct top_state *s)
{
	struct layout l;
	int first = 5, avail = LINES - first - 1, sel;

	fit_columns(&l, COLS);
	draw_header(s, &l);
	sel = selected_index(s);
	if (sel >= 0) {
		s->sel_slot = s->rows.rows[sel].td->slot;
		s->sel_gen = s->rows.rows[sel].td->gen;
	}
	if (sel < s->scroll)
		s->scroll = sel < 0 ? 0 : sel;
	if (avail > 0 && sel >= s->scroll + avail)
		s->scroll = sel - avail + 1;
	if (!s->rows.nr)
		mvprintw(first, 2, "%s", s->filter_text[0] ?
			 "no TD matches the filter" : "no TD seen yet");
	for (int i = 0; i < avail && s->scroll + i < (int)s->rows.nr; i++) {
		const struct top_row *r = &s->rows.rows[s->scroll + i];
		int y = first + i, x = 2;
		attr_t a = 0;

		if (r->storm_active)
			a |= COLOR_PAIR(PAIR_STORM) | A_BOLD;
		if (s->scroll + i == sel)
			a |= A_REVERSE;
		attron(a);
		mvprintw(y, 0, "%-*s", COLS, "");
		mvprintw(y, 0, "%c%c", r->storm_active ? '!' :
				       r->storm_ever ? '*' : ' ',
			 r->partial ? '~' : ' ');
		for (int c = 0; c < NR_COLS; c++) {
			char buf[64];

			if (!l.shown[c])
				continue;
			top_format(c, r, buf, sizeof(buf));
			put_cell(y, &x, buf,
				 c == COL_NAME ? l.name_width : top_cols[c].width,
				 c == COL_NAME);
		}
		attroff(a);
	}
}

/* ------------------------------------------------------------------ */
/* Drill-down                                                          */

static const struct top_row *selected_row(const struct top_state *s)
{
	int i = selected_index(s);

	return i < 0 ? NULL : &s->rows.rows[i];
}

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

static void draw_td(struct top_state *s)
{
	const struct tdxhp_minmax *mm;
	const struct top_row *r = selected_row(s);
	const struct tdxhp_td_stats *st;
	struct tdxhp_storm_gfn g[8];
	char b4k[16], b2m[16], pid[16], hkid[16], covs[16];
	double cov;
	const uint64_t now = tdxhp_now_ns();
	int y = 1, n;

	bar(0, s->sim ? PAIR_SIM : PAIR_TITLE, "tdxhp-top  TD detail  %s%s   (q: back)",
	    top_mode(s), s->sim || s->rp ? s->source : "");
	if (!r) {
		mvprintw(2, 2, "the TD is gone (torn down)");
		return;
	}
	st = &r->td->stats;
	mvprintw(y++, 0, "TD %s  pid %s  hkid %s  %s", r->td->name,
		 tdxhp_id_text(r->td->meta.pid, tdxhp_pid_known(r->td->meta.pid),
			       pid, sizeof(pid)),
		 tdxhp_id_text(r->td->meta.hkid,
			       tdxhp_hkid_known(r->td->meta.hkid), hkid,
			       sizeof(hkid)),
		 r->partial ? "PARTIAL: joined mid-life, gauges count from first sight" :
			      "exact");
	if (r->storm_active || r->storm_ever) {
		attron(COLOR_PAIR(PAIR_STORM) | A_BOLD);
		printw("  %s, %llu storms", r->storm_active ? "STORM ACTIVE" :
				       "stormed earlier",
		       (unsigned long long)st->counters[TDXHP_C_STORM]);
		attroff(COLOR_PAIR(PAIR_STORM) | A_BOLD);
	}
	tdxhp_format_signed_bytes(tdxhp_gauge_bytes_at(st, TDXHP_LEVEL_4K), b4k,
				  sizeof(b4k));
	tdxhp_format_signed_bytes(tdxhp_gauge_bytes_at(st, TDXHP_LEVEL_2M), b2m,
				  sizeof(b2m));
	cov = tdxhp_huge_coverage(st);
	if (cov < 0)
		snprintf(covs, sizeof(covs), TDXHP_UNKNOWN_TEXT);
	else
		snprintf(covs, sizeof(covs), "%.1f%%", cov * 100);
	mvprintw(y++, 0, "private%s: 4K %s (%lld leaves)  2M %s (%lld leaves)  2M coverage %s",
		 r->partial ? " since first sight" : "", b4k,
		 (long long)st->pages[0], b2m, (long long)st->pages[1], covs);
	mvprintw(y++, 0, "aug 4K %llu 2M %llu  add %llu  remove 4K %llu 2M %llu  demote %llu  busy retries %llu",
		 (unsigned long long)st->counters[TDXHP_C_AUG_4K],
		 (unsigned long long)st->counters[TDXHP_C_AUG_2M],
		 (unsigned long long)st->counters[TDXHP_C_ADD],
		 (unsigned long long)st->counters[TDXHP_C_REMOVE_4K],
		 (unsigned long long)st->counters[TDXHP_C_REMOVE_2M],
		 (unsigned long long)st->counters[TDXHP_C_DEMOTE],
		 (unsigned long long)st->counters[TDXHP_C_DEMOTE_BUSY_RETRY]);
	mvprintw(y++, 0, "splits: convert %llu punch-hole %llu accept %llu (leaves %llu)  ignored %llu  errors %.0f",
		 (unsigned long long)st->counters[TDXHP_C_SPLIT_CONVERT],
		 (unsigned long long)st->counters[TDXHP_C_SPLIT_PUNCH_HOLE],
		 (unsigned long long)st->counters[TDXHP_C_SPLIT_ACCEPT],
		 (unsigned long long)st->counters[TDXHP_C_SPLIT_LEAVES],
		 (unsigned long long)st->counters[TDXHP_C_FAULT_SPLIT_IGNORED],
		 r->v[COL_ERR]);
	y++;
	attron(A_BOLD);
	mvprintw(y++, 0, "%-14s %8s %9s %9s %9s %9s %9s  %s", "latency", "count",
		 "min", "p50", "p99", "max", "avg", "log2 256ns..134ms");
	attroff(A_BOLD);
	mm = s->rp ? tdxhp_replay_minmax(s->rp, r->td->slot, r->td->gen) : NULL;
	for (int h = 0; h < TDXHP_NR_HISTS && y < LINES - 8; h++) {
		const struct tdxhp_hist *hist = &st->hist[h];
		uint64_t cnt = tdxhp_hist_count(hist);
		char mn[16], p50[16], p99[16], mx[16], avg[16], spark[32], a[20], b[20];
		struct tdxhp_hist_extremes x;

		/* Live: bucket bounds (>=, <=); replayed: exact extremes. */
		tdxhp_hist_extremes(hist, mm != NULL, mm ? mm[h].min_ns : 0,
				    mm ? mm[h].max_ns : 0, &x);
		tdxhp_format_ns(mn, sizeof(mn), (double)x.min_ns);
		tdxhp_format_ns(mx, sizeof(mx), (double)x.max_ns);
		snprintf(a, sizeof(a), "%s%s", cnt && !x.exact ? ">=" : "", mn);
		snprintf(b, sizeof(b), "%s%s", cnt && !x.exact ? "<=" : "", mx);
		tdxhp_format_ns(p50, sizeof(p50), tdxhp_hist_quantile_shown(hist, 0.5, &x));
		tdxhp_format_ns(p99, sizeof(p99), tdxhp_hist_quantile_shown(hist, 0.99, &x));
		tdxhp_format_ns(avg, sizeof(avg), cnt ? (double)hist->sum_ns / (double)cnt : 0);
		sparkline(spark, hist);
		mvprintw(y++, 0, "%-14s %8llu %9s %9s %9s %9s %9s  [%s]", tdxhp_hist_name(h),
			 (unsigned long long)cnt, a, p50, p99, b, avg, spark);
	}
	if (!mm && y < LINES - 8)
		mvprintw(y++, 0, "(min/max: bucket bounds; the live histograms keep no exact extremes)");
	y++;
	n = s->t ? tdxhp_storm_gfns(s->t, r->td->slot, g, 4) : 0;
	attron(A_BOLD);
	mvprintw(y++, 0, "ignored fault-path splits, by gfn (%d tracked):", n);
	attroff(A_BOLD);
	for (int i = 0; i < n && y < LINES - 4; i++)
		mvprintw(y++, 2, "gfn 0x%llx  hits %u in window  storms %u  level %d->%d  %.1fs ago",
			 (unsigned long long)g[i].gfn, g[i].hits, g[i].storms,
			 g[i].level, g[i].goal_level,
			 now > g[i].last_ns ? (double)(now - g[i].last_ns) / 1e9 : 0);
	y++;
	attron(A_BOLD);
	mvprintw(y++, 0, "recent slow splits (>= %.1fus, since this view opened):",
		 (double)s->slow_ns / 1e3);
	attroff(A_BOLD);
	if (!s->nr_recent && y < LINES - 1)
		mvprintw(y++, 2, "none yet");
	for (unsigned int i = 0; i < s->nr_recent && y < LINES - 1; i++) {
		const struct tdxhp_rec_event *e = &s->recent[i];
		char tot[16], b[16], t[16], d[16];

		tdxhp_format_ns(tot, sizeof(tot), (double)e->duration_ns);
		tdxhp_format_ns(b, sizeof(b), (double)e->block_ns);
		tdxhp_format_ns(t, sizeof(t), (double)e->track_ns);
		tdxhp_format_ns(d, sizeof(d), (double)e->demote_ns);
		mvprintw(y++, 2, "gfn 0x%llx  %s  block %s track %s demote %s  busy retries %u",
			 (unsigned long long)e->gfn, tot, b, t, d, e->busy_retries);
	}
}

static void draw_help(void)
{
	static const char *const lines[] = {
		"tdxhp-top keys",
		"",
		"  Up/Down PgUp/PgDn  select a TD",
		"  Enter              details of the selected TD: histograms, storm",
		"                     gfns, recent slow splits",
		"  < >                sort by the column to the left / right",
		"  r                  reverse the sort order",
		"  /                  filter TDs by name (regular expression)",
		"  p                  pick a TD by PID or name",
		"  d                  change the refresh interval",
		"  z                  reset cumulative columns (SPL50, SPL99, ERR)",
		"  n space            replay: the next interval (with --step)",
		"  h ?                this help",
		"  q                  back, or quit",
		"",
		"Columns: PRIV4K/PRIV2M private memory mapped by 4K/2M leaves, 2M% share",
		"in huge leaves, AUG*/s SPLIT/s BUSY/s IGN/s rates of augs, splits, BUSY",
		"retries and ignored fault-path splits, SPL50/SPL99 split latency, ERR",
		"failed SEAMCALLs.  '!' a storm is active, '*' there was one, '~' the TD",
		"joined mid-life: its gauges count from first sight.",
		"",
		"press any key",
	};

	for (size_t i = 0; i < ARRAY_SIZE(lines) && (int)i + 1 < LINES; i++)
		mvprintw((int)i + 1, 2, "%s", lines[i]);
}

static void draw(struct top_state *s)
{
	erase();
	if (s->view == VIEW_TD)
		draw_td(s);
	else if (s->view == VIEW_HELP)
		draw_help();
	else
		draw_table(s);
	if (s->view != VIEW_HELP) {
		if (s->message[0])
			mvprintw(LINES - 1, 0, "%-.*s", COLS, s->message);
		else if (s->view == VIEW_TD)
			mvprintw(LINES - 1, 0, "%-.*s", COLS,
				 "q back to the table");
		else
			mvprintw(LINES - 1, 0, "%-.*s", COLS,
				 "q quit  Enter detail  </> sort  r reverse  / filter  p pick  d delay  z reset  h help");
	}
	refresh();
}

/* ------------------------------------------------------------------ */
/* Input                                                               */

/* A line typed at the bottom; false if cancelled with Esc. */
static bool prompt(const char *question, char *buf, size_t len)
{
	size_t n = 0;
	int ch;

	buf[0] = '\0';
	timeout(-1);
	curs_set(1);
	for (;;) {
		mvprintw(LINES - 1, 0, "%-*s", COLS, "");
		mvprintw(LINES - 1, 0, "%s%s", question, buf);
		refresh();
		ch = getch();
		if (ch == '\n' || ch == KEY_ENTER)
			break;
		if (ch == 27) {
			n = 0;
			buf[0] = '\0';
			curs_set(0);
			return false;
		}
		if ((ch == KEY_BACKSPACE || ch == 127 || ch == 8) && n) {
			buf[--n] = '\0';
			continue;
		}
		if (ch >= 32 && ch < 127 && n + 1 < len) {
			buf[n++] = (char)ch;
			buf[n] = '\0';
		}
	}
	curs_set(0);
	return true;
}

static void set_filter(struct top_state *s)
{
	char text[sizeof(s->filter_text)];

	if (!prompt("filter (regex, empty clears): ", text, sizeof(text)))
		return;
	if (s->filter_text[0])
		regfree(&s->filter_re);
	s->filter_text[0] = '\0';
	s->vo.filter = NULL;
	if (!text[0])
		return;
	if (regcomp(&s->filter_re, text, REG_EXTENDED | REG_NOSUB)) {
		snprintf(s->message, sizeof(s->message),
			 "invalid regular expression: %s", text);
		return;
	}
	snprintf(s->filter_text, sizeof(s->filter_text), "%s", text);
	s->vo.filter = &s->filter_re;
}

static int on_split(void *ctx, void *data, size_t size)
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

/* The detail view streams this TD's splits while it is open. */
static void open_td(struct top_state *s)
{
	const struct top_row *r = selected_row(s);

	if (!r)
		return;
	s->view = VIEW_TD;
	s->nr_recent = 0;
	s->slow_ns = (uint64_t)tdxhp_hist_quantile_ns(
		&r->td->stats.hist[TDXHP_H_DEMOTE], 0.9);
	if (!s->t)
		return; /* a replay: nothing streams */
	s->rb = ring_buffer__new(tdxhp_ringbuf_fd(s->t), on_split, s, NULL);
	if (s->rb)
		tdxhp_set_stream(s->t, true);
}

static void close_td(struct top_state *s)
{
	if (s->t)
		tdxhp_set_stream(s->t, false);
	ring_buffer__free(s->rb);
	s->rb = NULL;
	s->view = VIEW_TABLE;
}

static void pick(struct top_state *s)
{
	char text[64];
	uint64_t pid = 0;

	if (!prompt("TD (PID or name): ", text, sizeof(text)) || !text[0])
		return;
	tdxhp_parse_u64(text, 1, UINT32_MAX, &pid);
	for (unsigned int i = 0; i < s->rows.nr; i++) {
		const struct tdxhp_td *td = s->rows.rows[i].td;

		if ((pid && td->meta.pid == (int32_t)pid) ||
		    !strcmp(td->name, text)) {
			s->sel_slot = td->slot;
			s->sel_gen = td->gen;
			open_td(s);
			return;
		}
	}
	snprintf(s->message, sizeof(s->message), "no TD with PID or name '%s'",
		 text);
}

static void set_delay(struct top_state *s)
{
	char text[32], *end;
	double d;

	if (!prompt("refresh every (seconds): ", text, sizeof(text)) || !text[0])
		return;
	d = strtod(text, &end);
	if (*end || !(d >= 0.1 && d <= 3600)) {
		snprintf(s->message, sizeof(s->message),
			 "the interval must be 0.1 to 3600 seconds, not '%s'",
			 text);
		return;
	}
	s->delay_s = d;
}

static void move_selection(struct top_state *s, int delta)
{
	int i = selected_index(s);

	if (i < 0)
		return;
	i += delta;
	if (i < 0)
		i = 0;
	if (i >= (int)s->rows.nr)
		i = (int)s->rows.nr - 1;
	s->sel_slot = s->rows.rows[i].td->slot;
	s->sel_gen = s->rows.rows[i].td->gen;
}

/* Returns false to quit. */
static bool handle_key(struct top_state *s, int ch)
{
	int page = LINES > 7 ? LINES - 7 : 1;

	s->message[0] = '\0';
	if (s->view == VIEW_HELP) {
		s->view = VIEW_TABLE;
		return true;
	}
	if (s->view == VIEW_TD) {
		if (ch == 'q' || ch == 27 || ch == KEY_BACKSPACE || ch == 127 ||
		    ch == KEY_LEFT)
			close_td(s);
		return true;
	}
	switch (ch) {
	case 'q':
		return false;
	case KEY_UP:
	case 'k':
		move_selection(s, -1);
		break;
	case KEY_DOWN:
	case 'j':
		move_selection(s, 1);
		break;
	case KEY_PPAGE:
		move_selection(s, -page);
		break;
	case KEY_NPAGE:
		move_selection(s, page);
		break;
	case KEY_HOME:
		move_selection(s, -(int)s->rows.nr);
		break;
	case KEY_END:
		move_selection(s, (int)s->rows.nr);
		break;
	case '\n':
	case KEY_ENTER:
	case KEY_RIGHT:
		open_td(s);
		break;
	case '<':
		s->vo.sort = (enum top_col)((s->vo.sort + NR_COLS - 1) % NR_COLS);
		break;
	case '>':
		s->vo.sort = (enum top_col)((s->vo.sort + 1) % NR_COLS);
		break;
	case 'r':
		s->vo.reverse = !s->vo.reverse;
		break;
	case '/':
		set_filter(s);
		break;
	case 'p':
		pick(s);
		break;
	case 'd':
		set_delay(s);
		break;
	case 'z':
		snprintf(s->message, sizeof(s->message), "%s",
			 top_reset(s) ? "out of memory" :
					"cumulative columns reset");
		break;
	case 'h':
	case '?':
		s->view = VIEW_HELP;
		break;
	case ' ':
	case 'n':
		if (!s->rp)
			return true;
		if (s->replay_end)
			snprintf(s->message, sizeof(s->message), "end of recording");
		else if (top_refresh(s))
			return false;
		break;
	case KEY_RESIZE:
		break;
	default:
		return true;
	}
	top_rebuild(s);
	return true;
}

int screen_loop(struct top_state *s)
{
	uint64_t next = tdxhp_now_ns() + (uint64_t)(top_wall_interval_s(s) * 1e9);
	int err = 0;

	draw(s);
	while (!tdxhp_stop) {
		uint64_t now = tdxhp_now_ns();
		int wait_ms = next > now ? (int)((next - now) / 1000000) : 0;
		int ch;

		timeout(wait_ms < 100 ? wait_ms : 100);
		ch = getch();
		if (s->rb)
			ring_buffer__consume(s->rb);
		if (ch != ERR) {
			if (!handle_key(s, ch))
				break;
			draw(s);
			continue;
		}
		if (tdxhp_now_ns() < next)
			continue;
		next = tdxhp_now_ns() + (uint64_t)(top_wall_interval_s(s) * 1e9);
		/* A stepped or finished replay waits for keys. */
		if (s->rp && (s->step || s->replay_end))
			continue;
		err = top_refresh(s);
		if (err)
			break;
		draw(s);
	}
	if (s->rb)
		close_td(s);
	return err;
}
