/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * One small JSON writer for every tool, in the manner of bpftool's
 * json_writer: the writer tracks nesting and commas, callers say what.
 */
#ifndef TDXHP_JSON_H
#define TDXHP_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define TDXHP_JSON_MAX_DEPTH 16

struct tdxhp_json {
	FILE *f;
	int depth;
	bool pretty;				/* indent, one member a line */
	bool need_comma[TDXHP_JSON_MAX_DEPTH];
	bool after_name;			/* a value completes "name": */
};

void tdxhp_json_init(struct tdxhp_json *w, FILE *f, bool pretty);

void tdxhp_json_object_start(struct tdxhp_json *w);
void tdxhp_json_object_end(struct tdxhp_json *w);
void tdxhp_json_array_start(struct tdxhp_json *w);
void tdxhp_json_array_end(struct tdxhp_json *w);
/* Ends a top-level value with a newline (JSON Lines), and flushes. */
void tdxhp_json_line_end(struct tdxhp_json *w);

void tdxhp_json_name(struct tdxhp_json *w, const char *name);

void tdxhp_json_string(struct tdxhp_json *w, const char *s);	/* NULL: null */
/* A fixed-size field that may fill its buffer without a NUL. */
void tdxhp_json_string_n(struct tdxhp_json *w, const char *s, size_t max);
void tdxhp_json_u64(struct tdxhp_json *w, uint64_t v);
void tdxhp_json_s64(struct tdxhp_json *w, int64_t v);
/*
 * The shortest decimal that reads back as v, never with an exponent
 * (docs/vocabulary.md); NaN and infinities are null.
 */
void tdxhp_json_double(struct tdxhp_json *w, double v);
/* v rounded to places decimals ("%.*f"): rates, shares, seconds. */
void tdxhp_json_decimal(struct tdxhp_json *w, double v, int places);
void tdxhp_json_bool(struct tdxhp_json *w, bool v);
void tdxhp_json_null(struct tdxhp_json *w);
/* 64-bit statuses and bit fields: "0x8000020000000000", exact in jq. */
void tdxhp_json_hex(struct tdxhp_json *w, uint64_t v);
/* A CLOCK_MONOTONIC time as RFC 3339 UTC, "2026-12-02T07:28:18.123456789Z". */
void tdxhp_json_mono_time(struct tdxhp_json *w, uint64_t mono_ns);
/* A CLOCK_REALTIME time in ns as RFC 3339 UTC. */
void tdxhp_json_wall_time(struct tdxhp_json *w, uint64_t wall_ns);

/* name and value in one call. */
void tdxhp_json_kv_string(struct tdxhp_json *w, const char *name,
			  const char *s);
void tdxhp_json_kv_u64(struct tdxhp_json *w, const char *name, uint64_t v);
void tdxhp_json_kv_s64(struct tdxhp_json *w, const char *name, int64_t v);
void tdxhp_json_kv_double(struct tdxhp_json *w, const char *name, double v);
void tdxhp_json_kv_decimal(struct tdxhp_json *w, const char *name, double v,
			   int places);
void tdxhp_json_kv_bool(struct tdxhp_json *w, const char *name, bool v);
void tdxhp_json_kv_hex(struct tdxhp_json *w, const char *name, uint64_t v);
void tdxhp_json_kv_mono_time(struct tdxhp_json *w, const char *name,
			     uint64_t mono_ns);
void tdxhp_json_kv_wall_time(struct tdxhp_json *w, const char *name,
			     uint64_t wall_ns);

/* RFC 3339 UTC text of a CLOCK_MONOTONIC time, for text outputs too. */
void tdxhp_format_rfc3339(uint64_t mono_ns, char *buf, size_t len);
void tdxhp_format_rfc3339_wall(uint64_t wall_ns, char *buf, size_t len);

#endif /* TDXHP_JSON_H */
