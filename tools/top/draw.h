/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Drawing for the live view: attributes that work with and without
 * colour (NO_COLOR, https://no-color.org), and text that never runs past
 * the right edge (curses would wrap it onto the next line).
 */
#ifndef TDXHP_TOP_DRAW_H
#define TDXHP_TOP_DRAW_H

#include <curses.h>
#include <stdbool.h>

#include "text.h"

enum draw_style {
	STYLE_TITLE, /* the title bar */
	STYLE_SIM, /* ... of simulated data */
	STYLE_STORM, /* a storming TD, STORMS in the header */
	STYLE_WARN, /* drops */
	STYLE_HEAD, /* column titles */
	STYLE_BAD, /* a value that is a problem (score.h's TOP_BAD) */
	NR_STYLES,
};

/* After initscr(): colours unless NO_COLOR is set (and not empty). */
void draw_init_styles(void);
bool draw_colour(void);
attr_t draw_style(enum draw_style s);

/* s in width columns at (y, x), aligned; nothing past the right edge. */
void draw_cell(int y, int x, int width, enum top_align align, const char *s);

/* A whole line from x on, cut at the right edge. */
void draw_line(int y, int x, attr_t a, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* A bar across the screen, padded to the right edge. */
void draw_bar(int y, attr_t a, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * One item of a header line at *x, after two spaces unless first: drawn
 * only if it fits whole.  Returns whether it did.
 */
bool draw_item(int y, int *x, attr_t a, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/*
 * As draw_item, flowing onto the next line (at indent) when the item does
 * not fit; nothing is drawn on or below line limit.
 */
void draw_flow(int *y, int *x, int indent, int limit, attr_t a, const char *fmt,
	       ...) __attribute__((format(printf, 6, 7)));

#endif /* TDXHP_TOP_DRAW_H */
