/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Escaping for text that leaves tdxhp: JSON strings, CSV fields and Prometheus labels. */
#ifndef TDXHP_ESCAPE_H
#define TDXHP_ESCAPE_H

#include <stddef.h>
#include <stdio.h>

/*
 * Write s as a JSON string literal, quotes included.  Control characters
 * become \uXXXX; bytes that are not valid UTF-8 become U+FFFD, so the
 * output is always valid JSON whatever a process name contains.
 */
void tdxhp_json_str(FILE *f, const char *s);

/*
 * Escape a Prometheus label value (backslash, double quote, newline) into
 * out; invalid UTF-8 becomes U+FFFD.  Returns the length written, or the
 * length needed if it does not fit (out is then truncated and terminated).
 */
size_t tdxhp_prom_label_escape(const char *s, char *out, size_t outlen);

/* A CSV field (RFC 4180): quoted when it holds a comma, quote or newline. */
void tdxhp_csv_str(FILE *f, const char *s);

#endif /* TDXHP_ESCAPE_H */
