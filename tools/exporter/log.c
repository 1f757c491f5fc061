// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "log.h"
#include "util.h"

const char *const log_level_names[LOG_NR_LEVELS + 1] = { "debug", "info",
							 "warn", "error",
							 NULL };
const char *const log_format_names[LOG_NR_FORMATS + 1] = { "logfmt", "json",
							   NULL };

static enum log_level min_level = LOG_INFO;
static enum log_format format = LOG_LOGFMT;

#define MAX_KV 16

struct kv {
	const char *k, *v;
};

/* A quoted string both formats read: JSON's escapes, which go-logfmt uses too. */
static void quoted(struct buf *b, const char *v)
{
	buf_char(b, '"');
	for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
		if (*p == '"' || *p == '\\') {
			buf_char(b, '\\');
			buf_char(b, (char)*p);
		} else if (*p == '\n') {
			buf_str(b, "\\n");
		} else if (*p == '\t') {
			buf_str(b, "\\t");
		} else if (*p < ' ' || *p == 0x7f) {
			char u[8];

			snprintf(u, sizeof(u), "\\u%04x", *p);
			buf_str(b, u);
		} else {
			buf_char(b, (char)*p);
		}
	}
	buf_char(b, '"');
}

/* go-logfmt quotes a value with a space, '=', '"' or a control byte. */
static void logfmt_value(struct buf *b, const char *v)
{
	const unsigned char *p = (const unsigned char *)v;
	bool quote = false;

	for (; *p; p++)
		if (*p <= ' ' || *p == '=' || *p == '"' || *p == 0x7f)
			quote = true;
	if (!quote) {
		buf_str(b, v);
		return;
	}
	quoted(b, v);
}

static int kv_cmp(const void *a, const void *b)
{
	return strcmp(((const struct kv *)a)->k, ((const struct kv *)b)->k);
}

/* One record, written with a single write() so threads do not interleave. */
static void emit(struct kv *kv, size_t n)
{
	struct buf b;

	if (buf_init(&b, 512))
		return;
	if (format == LOG_JSON) {
		/* go-kit's JSON logger marshals a map: keys sorted. */
		qsort(kv, n, sizeof(*kv), kv_cmp);
		buf_char(&b, '{');
		for (size_t i = 0; i < n; i++) {
			if (i)
				buf_char(&b, ',');
			quoted(&b, kv[i].k);
			buf_char(&b, ':');
			quoted(&b, kv[i].v);
		}
		buf_char(&b, '}');
	} else {
		for (size_t i = 0; i < n; i++) {
			if (i)
				buf_char(&b, ' ');
			buf_str(&b, kv[i].k);
			buf_char(&b, '=');
			logfmt_value(&b, kv[i].v);
		}
	}
	buf_char(&b, '\n');
	if (!b.failed && write(STDERR_FILENO, b.data, b.len) < 0)
		b.failed = true; /* nowhere left to say it */
	buf_free(&b);
}

/* ts, caller, level, msg: promlog's order; then the record's own keys. */
static size_t head(struct kv *kv, char *ts, size_t tslen, char *caller,
		   size_t clen, enum log_level level, const char *file,
		   int line, const char *msg)
{
	struct timespec now;
	struct tm tm;
	size_t n = 0;

	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	snprintf(ts, tslen, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec, now.tv_nsec / 1000000);
	kv[n++] = (struct kv){ "ts", ts };
	if (file) {
		const char *base = strrchr(file, '/');

		snprintf(caller, clen, "%s:%d", base ? base + 1 : file, line);
		kv[n++] = (struct kv){ "caller", caller };
	}
	kv[n++] = (struct kv){ "level", log_level_names[level] };
	kv[n++] = (struct kv){ "msg", msg };
	return n;
}

bool log_enabled(enum log_level level)
{
	return level >= min_level;
}

void log_kv(enum log_level level, const char *file, int line, const char *msg,
	    ...)
{
	struct kv kv[MAX_KV + 4];
	char ts[64], caller[96];
	const char *k;
	size_t n;
	va_list ap;

	if (!log_enabled(level))
		return;
	n = head(kv, ts, sizeof(ts), caller, sizeof(caller), level, file, line,
		 msg);
	va_start(ap, msg);
	while (n < ARRAY_SIZE(kv) && (k = va_arg(ap, const char *))) {
		const char *v = va_arg(ap, const char *);

		kv[n++] = (struct kv){ k, v ? v : "" };
	}
	va_end(ap);
	emit(kv, n);
}

/* tdxhp_err() of the library and the exporter: no caller is known. */
static void err_hook(const char *msg)
{
	static const char note[] = "note: ";
	enum log_level level = LOG_ERROR;
	struct kv kv[4];
	char ts[64];
	size_t n;

	if (!strncmp(msg, note, sizeof(note) - 1)) {
		level = LOG_WARN;
		msg += sizeof(note) - 1;
	}
	if (!log_enabled(level))
		return;
	n = head(kv, ts, sizeof(ts), NULL, 0, level, NULL, 0, msg);
	emit(kv, n);
}

void log_setup(enum log_level level, enum log_format fmt)
{
	min_level = level;
	format = fmt;
	tdxhp_err_hook = err_hook;
}
