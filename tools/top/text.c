// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include "text.h"

/* One character of s: its bytes, its columns and what to write instead. */
struct glyph {
	size_t bytes; /* consumed from s */
	int cols;
	bool replace; /* write '?' */
};

static struct glyph next_glyph(const char *s, mbstate_t *st, bool keep_bytes)
{
	struct glyph g = { .bytes = 1, .cols = 1 };
	wchar_t wc;
	size_t n = mbrtowc(&wc, s, strlen(s), st);

	if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
		/* Not a character here (a C locale, broken UTF-8). */
		memset(st, 0, sizeof(*st));
		g.replace = !keep_bytes;
		return g;
	}
	g.bytes = n;
	g.cols = wcwidth(wc);
	if (g.cols < 0 || !iswprint(wc)) {
		g.cols = 1;
		g.replace = true;
	}
	return g;
}

/* Printable ASCII only: a column a byte, the common case made cheap. */
static bool plain_ascii(const char *s, size_t *len)
{
	const char *p = s;

	for (; *p; p++)
		if (*p < 0x20 || *p > 0x7e)
			return false;
	*len = (size_t)(p - s);
	return true;
}

int top_text_width(const char *s)
{
	mbstate_t st = { 0 };
	size_t n;
	int cols = 0;

	if (plain_ascii(s, &n))
		return (int)n;

	while (*s) {
		struct glyph g = next_glyph(s, &st, true);

		cols += g.cols;
		s += g.bytes;
	}
	return cols;
}

/* Append n bytes (or '?') if they fit; false once out is full. */
static bool put(char *out, size_t len, size_t *pos, const char *src, size_t n)
{
	if (*pos + n + 1 > len)
		return false;
	memcpy(out + *pos, src, n);
	*pos += n;
	out[*pos] = '\0';
	return true;
}

static void pad(char *out, size_t len, size_t *pos, int n)
{
	while (n-- > 0 && put(out, len, pos, " ", 1))
		;
}

int top_text_fit(char *out, size_t len, const char *s, int width,
		 enum top_align align, bool keep_bytes)
{
	int total = top_text_width(s), room, cols = 0;
	bool cut = total > width;
	mbstate_t st = { 0 };
	size_t pos = 0;

	if (!len)
		return 0;
	out[0] = '\0';
	if (width <= 0)
		return 0;
	if (plain_ascii(s, &pos) && (int)pos <= width && (size_t)width < len) {
		int n = (int)pos, padding = align == TOP_CLIP ? 0 : width - n;
		char *p = out;

		if (align == TOP_RIGHT) {
			memset(p, ' ', padding);
			p += padding;
		}
		memcpy(p, s, n);
		p += n;
		if (align == TOP_LEFT) {
			memset(p, ' ', padding);
			p += padding;
		}
		*p = '\0';
		return n + padding;
	}
	pos = 0;
	room = cut ? width - 1 : width; /* a cut string ends in '+' */
	if (align == TOP_RIGHT && !cut)
		pad(out, len, &pos, width - total);
	while (*s) {
		struct glyph g = next_glyph(s, &st, keep_bytes);

		if (cols + g.cols > room)
			break;
		if (!put(out, len, &pos, g.replace ? "?" : s,
			 g.replace ? 1 : g.bytes))
			break;
		cols += g.cols;
		s += g.bytes;
	}
	if (cut) {
		/* A wide character that did not fit leaves a column: pad it. */
		pad(out, len, &pos, room - cols);
		put(out, len, &pos, "+", 1);
		cols = width;
	}
	if (align == TOP_LEFT && cols < width)
		pad(out, len, &pos, width - cols);
	return align == TOP_CLIP ? cols : width;
}
