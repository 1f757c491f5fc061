// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The live view, in the spirit of kvm_stat and top: a header with host
 * totals, one row per TD with the problems first, keys to sort, filter,
 * pick and drill down.
 */
#include <curses.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/libbpf.h>

#include "detail.h"
#include "drops.h"
#include "draw.h"
#include "screen.h"
#include "stats.h"
#include "util.h"
#include "values.h"

#define TABLE_FIRST_LINE 5
#define NAME_MAX_WIDTH 24

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
	draw_init_styles();
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

static bool col_wanted(const struct top_state *s, enum top_col c)
{
	return c != COL_MACHINE || s->machine_col;
}

/* The widest name on screen, within bounds: what the TD column wants. */
static int name_want(const struct top_state *s)
{
	int w = top_cols[COL_NAME].width;

	for (unsigned int i = 0; i < s->rows.nr; i++) {
		int n = top_text_width(s->rows.rows[i].td->name);

		if (n > w)
			w = n;
	}
	return w < NAME_MAX_WIDTH ? w : NAME_MAX_WIDTH;
}

/*
 * Drop the least important columns until the table fits the terminal,
 * names kept whole if they can be; what is left widens the names.
 */
static void fit_columns(const struct top_state *s, struct layout *l, int cols)
{
	int want = name_want(s), width = 2 + want + 1;

	l->hidden = 0;
	for (int c = 0; c < NR_COLS; c++) {
		l->shown[c] = col_wanted(s, c);
		if (l->shown[c] && c != COL_NAME)
			width += top_cols[c].width + 1;
	}
	for (int drop = 9; width > cols && drop > 0; drop--) {
		for (int c = 0; c < NR_COLS; c++) {
			if (top_cols[c].drop_order != drop || !l->shown[c])
				continue;
			l->shown[c] = false;
			l->hidden++;
			width -= top_cols[c].width + 1;
		}
	}
	l->name_width = want;
	if (width < cols) {
		int more = cols - width;

		if (want + more > NAME_MAX_WIDTH)
			more = want < NAME_MAX_WIDTH ? NAME_MAX_WIDTH - want : 0;
		l->name_width += more;
	} else if (width > cols) {
		/* Still too wide: the names give way, to their minimum. */
		l->name_width -= width - cols;
		if (l->name_width < top_cols[COL_NAME].width)
			l->name_width = top_cols[COL_NAME].width;
	}
}

static int col_width(const struct layout *l, enum top_col c)
{
	return c == COL_NAME ? l->name_width : top_cols[c].width;
}

static enum top_align col_align(enum top_col c)
{
	return c == COL_NAME || c == COL_MACHINE || c == COL_WHY ? TOP_LEFT :
								  TOP_RIGHT;
}

/* ------------------------------------------------------------------ */
/* Header                                                              */

static void draw_title(const struct top_state *s)
{
	char when[16];

	top_clock(s, when, sizeof(when));
	draw_bar(0, draw_style(top_simulated(s) ? STYLE_SIM : STYLE_TITLE),
		 "tdxhp-top  %s  %s%s  refresh %.1fs%s%s", when, top_mode(s),
		 s->sim || s->rp ? s->source : s->source + 4, s->delay_s,
		 s->frozen ? "  (frozen)" : "",
		 s->replay_end ? "  (end of recording)" :
		 s->step	 ? "  (n: next)" :
				   "");
}

/* The problems first: storms, then how many TDs, what is shown, drops. */
static void draw_status(const struct top_state *s, int y)
{
	const struct top_totals *t = &s->rows.tot;
	char ev[16], shown[64];
	bool any = false;
	int x = 0;

	if (t->storms_active)
		draw_item(y, &x, draw_style(STYLE_STORM), "STORMS %u",
			  t->storms_active);
	else
		draw_item(y, &x, 0, "storms 0");
	draw_item(y, &x, 0, "TDs %u (%u partial)", t->tds, t->partial);
	top_shown_text(s, (unsigned int)s->rows_shown, shown, sizeof(shown));
	draw_item(y, &x, 0, "%s", shown);
	top_compact(ev, sizeof(ev), t->events_per_s);
	draw_item(y, &x, 0, "events/s %s", ev);
	for (int i = 0; i < TDXHP_NR_HOST_COUNTERS; i++) {
		if (!t->dropped[i] || !tdxhp_drop_counts(TDXHP_VIEW_TOTALS, i))
			continue;
		draw_item(y, &x, draw_style(STYLE_WARN), "%s%s %llu",
			  any ? "" : "DROPPED ", tdxhp_host_counter_name(i),
			  (unsigned long long)t->dropped[i]);
		any = true;
	}
	if (!any)
		draw_item(y, &x, 0, "dropped 0");
}

static void draw_memory(const struct top_state *s, int y)
{
	const struct top_totals *t = &s->rows.tot;
	char b4k[16], b2m[16], cov[16];
	int x = 0;

	tdxhp_format_signed_bytes(t->bytes_4k, b4k, sizeof(b4k));
	tdxhp_format_signed_bytes(t->bytes_2m, b2m, sizeof(b2m));
	if (t->coverage < 0)
		snprintf(cov, sizeof(cov), TDXHP_UNKNOWN_TEXT);
	else
		snprintf(cov, sizeof(cov), "%.1f%%", t->coverage * 100);
	draw_item(y, &x, 0, "host total: private 4K %s  2M %s  2M coverage %s",
		  b4k, b2m, cov);
	if (s->rp)
		draw_item(y, &x, 0, "KVM pages: not in recordings");
	else if (s->kvm.readable)
		draw_item(y, &x, 0, "KVM pages, all VMs, shared+private: 4K %llu  2M %llu  1G %llu",
			  (unsigned long long)s->kvm.pages[0],
			  (unsigned long long)s->kvm.pages[1],
			  (unsigned long long)s->kvm.pages[2]);
	else
		draw_item(y, &x, 0, "KVM pages: debugfs not readable");
}

/* The filters in force, as the options that would give them. */
static void filter_words(const struct top_state *s, char *buf, size_t len)
{
	const struct tdxhp_td_filter *f = &s->filter;
	int n = 0;

	buf[0] = '\0';
	if (f->pid)
		n += snprintf(buf + n, len - n, " -p %d", f->pid);
	if (f->has_name && n < (int)len)
		n += snprintf(buf + n, len - n, " /%s/", s->filter_text);
	if (f->uuid && n < (int)len)
		n += snprintf(buf + n, len - n, " --uuid %s", f->uuid);
	if (f->machine && n < (int)len)
		n += snprintf(buf + n, len - n, " --machine %s", f->machine);
	if (f->cgroup && n < (int)len)
		snprintf(buf + n, len - n, " -c %s", f->cgroup);
}

/* How to read the table: sort, filter, what rates and totals cover. */
static void draw_legend(const struct top_state *s, const struct layout *l,
			int y)
{
	char words[256];
	int x = 0;

	draw_item(y, &x, 0, "sort %s%s", top_cols[s->vo.sort].title,
		  s->vo.reverse ? " (rev)" : "");
	filter_words(s, words, sizeof(words));
	if (words[0])
		draw_item(y, &x, 0, "filter%s", words);
	draw_item(y, &x, 0, "/s over %.1fs", s->dt_s);
	draw_item(y, &x, 0, "DEM50/99 since %s", s->have_base ? "z" : "start");
	if (l->hidden)
		draw_item(y, &x, 0, "[%d cols hidden]", l->hidden);
}

static void draw_titles(const struct top_state *s, const struct layout *l,
			int y)
{
	int x = 2;

	attron(draw_style(STYLE_HEAD));
	mvprintw(y, 0, "%-*s", COLS, "");
	for (int i = 0; i < NR_COLS; i++) {
		enum top_col c = top_display[i];
		const char *t = top_cols[c].title;
		char title[24];
		bool sorted = c == s->vo.sort;

		if (!l->shown[c])
			continue;
		/* The sort mark where it fits beside the title. */
		snprintf(title, sizeof(title), "%s%s", t,
			 sorted && (int)strlen(t) < col_width(l, c) ?
				 (s->vo.reverse ? "^" : "v") :
				 "");
		if (sorted)
			attron(A_UNDERLINE);
		draw_cell(y, x, col_width(l, c), col_align(c), title);
		if (sorted)
			attroff(A_UNDERLINE);
		x += col_width(l, c) + 1;
	}
	attroff(draw_style(STYLE_HEAD));
}

/* ------------------------------------------------------------------ */
/* Table                                                               */

int screen_selected_index(const struct top_state *s)
{
	for (unsigned int i = 0; i < s->rows.nr; i++)
		if (s->rows.rows[i].td->slot == s->sel_slot &&
		    s->rows.rows[i].td->gen == s->sel_gen)
			return (int)i;
	return s->rows.nr ? 0 : -1;
}

const struct top_row *screen_selected_row(const struct top_state *s)
{
	int i = screen_selected_index(s);

	return i < 0 ? NULL : &s->rows.rows[i];
}

static void draw_row(const struct top_state *s, const struct layout *l,
		     const struct top_row *r, int y, bool selected)
{
	attr_t a = 0;
	int x = 2;

	if (r->storm_active)
		a |= draw_style(STYLE_STORM);
	if (selected)
		a |= A_REVERSE;
	attron(a);
	mvprintw(y, 0, "%-*s", COLS, "");
	mvprintw(y, 0, "%c%c", r->storm_active ? '!' : r->storm_ever ? '*' : ' ',
		 r->partial ? '~' : ' ');
	for (int i = 0; i < NR_COLS; i++) {
		enum top_col c = top_display[i];
		bool bad = top_cell_bad(c, r);
		char buf[128];

		if (!l->shown[c])
			continue;
		top_format(c, r, buf, sizeof(buf));
		if (bad)
			attron(draw_style(STYLE_BAD));
		draw_cell(y, x, col_width(l, c), col_align(c), buf);
		if (bad) {
			attroff(draw_style(STYLE_BAD));
			attron(a);
		}
		x += col_width(l, c) + 1;
	}
	attroff(a);
}

static void draw_table(struct top_state *s)
{
	int first = TABLE_FIRST_LINE, avail = LINES - first - 1, sel;
	struct layout l;

	fit_columns(s, &l, COLS);
	sel = screen_selected_index(s);
	if (sel >= 0) {
		s->sel_slot = s->rows.rows[sel].td->slot;
		s->sel_gen = s->rows.rows[sel].td->gen;
	}
	if (sel < s->scroll)
		s->scroll = sel < 0 ? 0 : sel;
	if (avail > 0 && sel >= s->scroll + avail)
		s->scroll = sel - avail + 1;
	s->rows_shown = 0;
	if (avail > 0 && (int)s->rows.nr > s->scroll)
		s->rows_shown = (int)s->rows.nr - s->scroll < avail ?
					(int)s->rows.nr - s->scroll :
					avail;

	draw_title(s);
	draw_status(s, 1);
	draw_memory(s, 2);
	draw_legend(s, &l, 3);
	draw_titles(s, &l, 4);
	if (!s->rows.nr)
		draw_line(first, 2, 0, "%s",
			  s->rows.tot.tds ? "no TD matches the filter" :
					    "no TD seen yet");
	for (int i = 0; i < s->rows_shown; i++)
		draw_row(s, &l, &s->rows.rows[s->scroll + i], first + i,
			 s->scroll + i == sel);
}

static void draw_help(void)
{
	static const char *const lines[] = {
		"tdxhp-top keys",
		"",
		"  Up/Down PgUp/PgDn  select a TD",
		"  Enter              details of the selected TD: what to do next,",
		"                     histograms, storm gfns, recent slow demotes",
		"  < >                sort by the column to the left / right",
		"  r                  reverse the sort order",
		"  /                  filter TDs by name (regular expression)",
		"  p                  pick a TD by PID or name",
		"  m                  show or hide the MACHINE column",
		"  d                  change the refresh interval",
		"  z                  reset DEM50 and DEM99 (they count since start)",
		"  n space            replay: the next interval (with --step)",
		"  h ?                this help",
		"  q                  back, or quit",
		"",
		"SCORE: storm now 1000, earlier 100, + errors/s + BUSY/s + ignored/s",
		"(each at most 200) + percent of memory not in 2M; WHY: its largest",
		"part.  Marked: parts of 10 or more.  Columns: PRIV4K/PRIV2M private",
		"memory in 4K/2M leaves, 2M% share in huge leaves, DEM/s demotes,",
		"DEM50/DEM99 demote latency, SPLIT/s 2M leaves split at boundaries.",
		"'!' a storm is active, '*' there was one, '~' the TD joined mid-life.",
		"",
		"press any key",
	};

	for (size_t i = 0; i < ARRAY_SIZE(lines) && (int)i + 1 < LINES; i++)
		draw_line((int)i + 1, 2, 0, "%s", lines[i]);
}

static void draw(struct top_state *s)
{
	erase();
	if (s->view == VIEW_TD)
		detail_draw(s);
	else if (s->view == VIEW_HELP)
		draw_help();
	else
		draw_table(s);
	if (s->view != VIEW_HELP) {
		if (s->message[0])
			draw_line(LINES - 1, 0, 0, "%s", s->message);
		else if (s->view == VIEW_TD)
			draw_line(LINES - 1, 0, 0, "q back to the table");
		else
			draw_line(LINES - 1, 0, 0,
				  "q quit  Enter detail  </> sort  r reverse  / filter  p pick  z reset  h help");
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
		draw_line(LINES - 1, 0, 0, "%s%s", question, buf);
		refresh();
		ch = getch();
		if (ch == '\n' || ch == KEY_ENTER)
			break;
		if (ch == 27) {
			buf[0] = '\0';
			curs_set(0);
			return false;
		}
		if ((ch == KEY_BACKSPACE || ch == 127 || ch == 8) && n) {
			/* Back over a whole UTF-8 character. */
			while (n && ((unsigned char)buf[--n] & 0xc0) == 0x80)
				;
			buf[n] = '\0';
			continue;
		}
		if (ch >= 32 && ch < 256 && ch != 127 && n + 1 < len) {
			buf[n++] = (char)ch;
			buf[n] = '\0';
		}
	}
	curs_set(0);
	return true;
}

/* '/': the name part of the filter; -p and the identity filters stay. */
static void set_filter(struct top_state *s)
{
	char text[sizeof(s->filter_text)];
	regex_t re;

	if (!prompt("filter (regex, empty clears): ", text, sizeof(text)))
		return;
	if (text[0] && regcomp(&re, text, REG_EXTENDED | REG_NOSUB)) {
		snprintf(s->message, sizeof(s->message),
			 "invalid regular expression: %s", text);
		return;
	}
	tdxhp_td_filter_free(&s->filter);
	s->filter_text[0] = '\0';
	if (!text[0])
		return;
	s->filter.name = re;
	s->filter.has_name = true;
	snprintf(s->filter_text, sizeof(s->filter_text), "%s", text);
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
			detail_open(s);
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
	int i = screen_selected_index(s);

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

/* The sort column left or right of the current one, on screen order. */
static void step_sort(struct top_state *s, int dir)
{
	int i = 0;

	while (i < NR_COLS && top_display[i] != s->vo.sort)
		i++;
	do {
		i = (i + dir + NR_COLS) % NR_COLS;
	} while (!col_wanted(s, top_display[i]));
	s->vo.sort = top_display[i];
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
			detail_close(s);
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
		detail_open(s);
		break;
	case '<':
		step_sort(s, -1);
		break;
	case '>':
		step_sort(s, 1);
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
	case 'm':
		s->machine_col = !s->machine_col;
		if (!s->machine_col && s->vo.sort == COL_MACHINE)
			s->vo.sort = COL_SCORE;
		break;
	case 'd':
		set_delay(s);
		break;
	case 'z':
		snprintf(s->message, sizeof(s->message), "%s",
			 top_reset(s) ? "out of memory" :
					"DEM50 and DEM99 reset: they count from now");
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
		detail_close(s);
	return err;
}
