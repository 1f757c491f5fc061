// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "escape.h"
#include "json.h"

void tdxhp_json_init(struct tdxhp_json *w, FILE *f, bool pretty)
{
	*w = (struct tdxhp_json){ .f = f, .pretty = pretty };
}

static void indent(struct tdxhp_json *w)
{
	if (!w->pretty)
		return;
	fputc('\n', w->f);
	for (int i = 0; i < w->depth; i++)
		fputs("  ", w->f);
}

/* Before any value or name: the comma and indent its position needs. */
static void begin_item(struct tdxhp_json *w)
{
	if (w->after_name) {
		w->after_name = false;
		return;
	}
	if (w->depth > 0) {
		if (w->need_comma[w->depth])
			fputc(',', w->f);
		indent(w);
	}
	w->need_comma[w->depth] = true;
}

static void open_nest(struct tdxhp_json *w, char c)
{
	begin_item(w);
	fputc(c, w->f);
	if (w->depth < TDXHP_JSON_MAX_DEPTH - 1)
		w->depth++;
	w->need_comma[w->depth] = false;
}

static void close_nest(struct tdxhp_json *w, char c)
{
	bool had_items = w->need_comma[w->depth];

	if (w->depth > 0)
		w->depth--;
	if (had_items)
		indent(w);
	fputc(c, w->f);
}

void tdxhp_json_object_start(struct tdxhp_json *w)
{
	open_nest(w, '{');
}

void tdxhp_json_object_end(struct tdxhp_json *w)
{
	close_nest(w, '}');
}

void tdxhp_json_array_start(struct tdxhp_json *w)
{
	open_nest(w, '[');
}

void tdxhp_json_array_end(struct tdxhp_json *w)
{
	close_nest(w, ']');
}

void tdxhp_json_line_end(struct tdxhp_json *w)
{
	fputc('\n', w->f);
	fflush(w->f);
	w->need_comma[0] = false;
}

void tdxhp_json_name(struct tdxhp_json *w, const char *name)
{
	begin_item(w);
	tdxhp_json_str(w->f, name);
	fputs(w->pretty ? ": " : ":", w->f);
	w->after_name = true;
}

void tdxhp_json_string(struct tdxhp_json *w, const char *s)
{
	begin_item(w);
	if (s)
		tdxhp_json_str(w->f, s);
	else
		fputs("null", w->f);
}

void tdxhp_json_string_n(struct tdxhp_json *w, const char *s, size_t max)
{
	size_t n = strnlen(s, max);
	char *copy = malloc(n + 1);

	if (!copy) {
		tdxhp_json_string(w, "");
		return;
	}
	memcpy(copy, s, n);
	copy[n] = '\0';
	tdxhp_json_string(w, copy);
	free(copy);
}

void tdxhp_json_u64(struct tdxhp_json *w, uint64_t v)
{
	begin_item(w);
	fprintf(w->f, "%" PRIu64, v);
}

void tdxhp_json_s64(struct tdxhp_json *w, int64_t v)
{
	begin_item(w);
	fprintf(w->f, "%" PRId64, v);
}

/* The shortest %g that reads back; then, if it has an exponent, as %f. */
static void format_double(char *buf, size_t len, double v)
{
	char *e;
	int digits, exp;

	for (digits = 1; digits < 17; digits++) {
		snprintf(buf, len, "%.*g", digits, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	snprintf(buf, len, "%.*g", digits, v);
	e = strchr(buf, 'e');
	if (!e)
		return;
	exp = atoi(e + 1);
	snprintf(buf, len, "%.*f", exp < 0 ? digits - 1 - exp : 0, v);
}

void tdxhp_json_double(struct tdxhp_json *w, double v)
{
	char buf[400];

	begin_item(w);
	if (!isfinite(v)) {
		fputs("null", w->f);
		return;
	}
	format_double(buf, sizeof(buf), v);
	fputs(buf, w->f);
}

void tdxhp_json_decimal(struct tdxhp_json *w, double v, int places)
{
	char buf[400];

	begin_item(w);
	if (!isfinite(v) || fabs(v) >= 1e300) {
		fputs("null", w->f);
		return;
	}
	snprintf(buf, sizeof(buf), "%.*f", places, v);
	/* A value that rounds to zero is 0, not -0.000. */
	fputs(buf[0] == '-' && strspn(buf + 1, "0.") == strlen(buf + 1) ?
		      buf + 1 :
		      buf,
	      w->f);
}

void tdxhp_json_bool(struct tdxhp_json *w, bool v)
{
	begin_item(w);
	fputs(v ? "true" : "false", w->f);
}

void tdxhp_json_null(struct tdxhp_json *w)
{
	begin_item(w);
	fputs("null", w->f);
}

void tdxhp_json_hex(struct tdxhp_json *w, uint64_t v)
{
	begin_item(w);
	fprintf(w->f, "\"0x%016" PRIx64 "\"", v);
}

void tdxhp_format_rfc3339_wall(uint64_t wall_ns, char *buf, size_t len)
{
	time_t secs = (time_t)(wall_ns / 1000000000ULL);
	struct tm tm;
	size_t n;

	if (!gmtime_r(&secs, &tm)) {
		snprintf(buf, len, "1970-01-01T00:00:00.000000000Z");
		return;
	}
	n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, len - n, ".%09" PRIu64 "Z", wall_ns % UINT64_C(1000000000));
}

/* Monotonic to wall: the offset between the two clocks now. */
void tdxhp_format_rfc3339(uint64_t mono_ns, char *buf, size_t len)
{
	struct timespec mono, wall;
	int64_t off;

	clock_gettime(CLOCK_MONOTONIC, &mono);
	clock_gettime(CLOCK_REALTIME, &wall);
	off = ((int64_t)wall.tv_sec - mono.tv_sec) * 1000000000LL +
	      (wall.tv_nsec - mono.tv_nsec);
	tdxhp_format_rfc3339_wall((uint64_t)((int64_t)mono_ns + off), buf, len);
}

void tdxhp_json_mono_time(struct tdxhp_json *w, uint64_t mono_ns)
{
	char buf[48];

	tdxhp_format_rfc3339(mono_ns, buf, sizeof(buf));
	tdxhp_json_string(w, buf);
}

void tdxhp_json_wall_time(struct tdxhp_json *w, uint64_t wall_ns)
{
	char buf[48];

	tdxhp_format_rfc3339_wall(wall_ns, buf, sizeof(buf));
	tdxhp_json_string(w, buf);
}

void tdxhp_json_kv_string(struct tdxhp_json *w, const char *name,
			  const char *s)
{
	tdxhp_json_name(w, name);
	tdxhp_json_string(w, s);
}

void tdxhp_json_kv_u64(struct tdxhp_json *w, const char *name, uint64_t v)
{
	tdxhp_json_name(w, name);
	tdxhp_json_u64(w, v);
}

void tdxhp_json_kv_s64(struct tdxhp_json *w, const char *name, int64_t v)
{
	tdxhp_json_name(w, name);
	tdxhp_json_s64(w, v);
}

void tdxhp_json_kv_double(struct tdxhp_json *w, const char *name, double v)
{
	tdxhp_json_name(w, name);
	tdxhp_json_double(w, v);
}

void tdxhp_json_kv_decimal(struct tdxhp_json *w, const char *name, double v,
			   int places)
{
	tdxhp_json_name(w, name);
	tdxhp_json_decimal(w, v, places);
}

void tdxhp_json_kv_bool(struct tdxhp_json *w, const char *name, bool v)
{
	tdxhp_json_name(w, name);
	tdxhp_json_bool(w, v);
}

void tdxhp_json_kv_hex(struct tdxhp_json *w, const char *name, uint64_t v)
{
	tdxhp_json_name(w, name);
	tdxhp_json_hex(w, v);
}

void tdxhp_json_kv_mono_time(struct tdxhp_json *w, const char *name,
			     uint64_t mono_ns)
{
	tdxhp_json_name(w, name);
	tdxhp_json_mono_time(w, mono_ns);
}

void tdxhp_json_kv_wall_time(struct tdxhp_json *w, const char *name,
			     uint64_t wall_ns)
{
	tdxhp_json_name(w, name);
	tdxhp_json_wall_time(w, wall_ns);
}
