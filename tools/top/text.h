/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Text cut and padded by terminal columns, not bytes: a UTF-8 TD name
 * ("vm-zürich", "数据库") takes as many columns as it draws, and is never
 * cut inside a character.  Uses the LC_CTYPE locale (setlocale first).
 */
#ifndef TDXHP_TOP_TEXT_H
#define TDXHP_TOP_TEXT_H

#include <stdbool.h>
#include <stddef.h>

enum top_align {
	TOP_LEFT, /* pad on the right */
	TOP_RIGHT, /* pad on the left */
	TOP_CLIP, /* no padding, only cut */
};

/*
 * s in exactly width columns (at most, with TOP_CLIP) into out (len
 * bytes).  A cut string ends in '+'.  Control characters become '?', and
 * so do bytes that are not a character in the locale, unless keep_bytes
 * (batch output keeps them, one column each, for whoever reads the pipe).
 * Returns the columns used.
 */
int top_text_fit(char *out, size_t len, const char *s, int width,
		 enum top_align align, bool keep_bytes);

/* The columns s takes (each undecodable byte: one). */
int top_text_width(const char *s);

#endif /* TDXHP_TOP_TEXT_H */
