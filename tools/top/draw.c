// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "draw.h"

enum { PAIR_TITLE = 1, PAIR_SIM, PAIR_STORM, PAIR_WARN, PAIR_HEAD, PAIR_BAD };

static bool colour;

void draw_init_styles(void)
{
	const char *no = getenv("NO_COLOR");

	colour = has_colors() && !(no && *no);
	if (!colour)
		return;
	start_color();
	use_default_colors();
	init_pair(PAIR_TITLE, COLOR_BLACK, COLOR_CYAN);
	init_pair(PAIR_SIM, COLOR_BLACK, COLOR_YELLOW);
	init_pair(PAIR_STORM, COLOR_RED, -1);
	init_pair(PAIR_WARN, COLOR_YELLOW, -1);
	init_pair(PAIR_HEAD, COLOR_BLACK, COLOR_WHITE);
	init_pair(PAIR_BAD, COLOR_WHITE, COLOR_RED);
}

bool draw_colour(void)
{
	return colour;
}

attr_t draw_style(enum draw_style s)
{
	/* Without colour, bold, reverse and underline still tell them apart. */
	static const attr_t plain[NR_STYLES] = {
		[STYLE_TITLE] = A_REVERSE | A_BOLD,
		[STYLE_SIM] = A_REVERSE | A_BOLD,
		[STYLE_STORM] = A_BOLD,
		[STYLE_WARN] = A_BOLD,
		[STYLE_HEAD] = A_REVERSE,
		[STYLE_BAD] = A_BOLD | A_UNDERLINE,
	};
	static const short pair[NR_STYLES] = {
		[STYLE_TITLE] = PAIR_TITLE, [STYLE_SIM] = PAIR_SIM,
		[STYLE_STORM] = PAIR_STORM, [STYLE_WARN] = PAIR_WARN,
		[STYLE_HEAD] = PAIR_HEAD,   [STYLE_BAD] = PAIR_BAD,
	};

	if (!colour)
		return plain[s];
	return COLOR_PAIR(pair[s]) | A_BOLD;
}

void draw_cell(int y, int x, int width, enum top_align align, const char *s)
{
	char buf[512];

	if (x >= COLS)
		return;
	if (x + width > COLS)
		width = COLS - x;
	top_text_fit(buf, sizeof(buf), s, width, align, false);
	mvaddstr(y, x, buf);
}

static void put_text(int y, int x, attr_t a, bool pad, const char *fmt,
		     va_list ap)
{
	char line[1024];

	vsnprintf(line, sizeof(line), fmt, ap);
	attron(a);
	draw_cell(y, x, COLS - x, pad ? TOP_LEFT : TOP_CLIP, line);
	attroff(a);
}

void draw_line(int y, int x, attr_t a, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	put_text(y, x, a, false, fmt, ap);
	va_end(ap);
}

void draw_bar(int y, attr_t a, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	put_text(y, 0, a, true, fmt, ap);
	va_end(ap);
}

/* text at *x after gap spaces, if it fits whole. */
static bool put_item(int y, int *x, int gap, attr_t a, const char *text)
{
	int w = top_text_width(text);

	if (*x + gap + w > COLS)
		return false;
	*x += gap;
	attron(a);
	draw_cell(y, *x, w, TOP_CLIP, text);
	attroff(a);
	*x += w;
	return true;
}

bool draw_item(int y, int *x, attr_t a, const char *fmt, ...)
{
	char item[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(item, sizeof(item), fmt, ap);
	va_end(ap);
	return put_item(y, x, *x ? 2 : 0, a, item);
}

void draw_flow(int *y, int *x, int indent, int limit, attr_t a, const char *fmt,
	       ...)
{
	char item[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(item, sizeof(item), fmt, ap);
	va_end(ap);
	if (*y >= limit || put_item(*y, x, *x > indent ? 2 : 0, a, item))
		return;
	/* A line of its own, cut if even that is too narrow. */
	if (++*y >= limit)
		return;
	*x = indent;
	if (!put_item(*y, x, 0, a, item)) {
		attron(a);
		draw_cell(*y, indent, COLS - indent, TOP_CLIP, item);
		attroff(a);
		*x = COLS;
	}
}
