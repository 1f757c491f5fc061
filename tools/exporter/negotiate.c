// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "negotiate.h"

const char *const expo_content_type[EXPO_NR_FORMATS] = {
	[EXPO_TEXT] = "text/plain; version=0.0.4; charset=utf-8",
	[EXPO_PROTOBUF] = "application/vnd.google.protobuf; "
			  "proto=io.prometheus.client.MetricFamily; "
			  "encoding=delimited",
};

const char *const expo_format_name[EXPO_NR_FORMATS] = {
	[EXPO_TEXT] = "text",
	[EXPO_PROTOBUF] = "protobuf",
};

/* A slice of the header. */
struct span {
	const char *p;
	size_t n;
};

static bool span_is(struct span s, const char *want, bool nocase)
{
	size_t n = strlen(want);

	return s.n == n &&
	       (nocase ? !strncasecmp(s.p, want, n) : !memcmp(s.p, want, n));
}

static struct span trim(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	return (struct span){ p, (size_t)(end - p) };
}

/* The end of the item or parameter at p: the next c outside quotes. */
static const char *until(const char *p, const char *end, char c)
{
	bool quoted = false;

	for (; p < end; p++) {
		if (quoted && *p == '\\' && p + 1 < end)
			p++;
		else if (*p == '"')
			quoted = !quoted;
		else if (!quoted && *p == c)
			break;
	}
	return p;
}

/* q=0.5 as thousandths; a malformed one counts as 0 (not acceptable). */
static int parse_q(struct span v)
{
	int q = 0, scale = 1000;
	size_t i = 0;

	if (!v.n || (v.p[0] != '0' && v.p[0] != '1'))
		return 0;
	q = (v.p[0] - '0') * 1000;
	i = 1;
	if (i < v.n && v.p[i] == '.')
		for (i++; i < v.n && scale > 1; i++) {
			if (v.p[i] < '0' || v.p[i] > '9')
				return 0;
			scale /= 10;
			q += (v.p[i] - '0') * scale;
		}
	return i == v.n && q <= 1000 ? q : 0;
}

struct media {
	struct span type;
	int q;
	bool proto_ok, encoding_ok, version_ok;
};

static void parse_media(struct span item, struct media *m)
{
	const char *p = item.p, *end = item.p + item.n, *semi;

	memset(m, 0, sizeof(*m));
	m->q = 1000;
	m->version_ok = true;
	semi = until(p, end, ';');
	m->type = trim(p, semi);
	for (p = semi; p < end; p = semi) {
		const char *eq;
		struct span k, v;

		p++;
		semi = until(p, end, ';');
		eq = memchr(p, '=', (size_t)(semi - p));
		if (!eq)
			continue;
		k = trim(p, eq);
		v = trim(eq + 1, semi);
		if (v.n >= 2 && v.p[0] == '"' && v.p[v.n - 1] == '"') {
			v.p++;
			v.n -= 2;
		}
		if (span_is(k, "q", true))
			m->q = parse_q(v);
		else if (span_is(k, "proto", true))
			m->proto_ok = span_is(
				v, "io.prometheus.client.MetricFamily", false);
		else if (span_is(k, "encoding", true))
			m->encoding_ok = span_is(v, "delimited", false);
		else if (span_is(k, "version", true))
			m->version_ok = span_is(v, "0.0.4", false);
	}
}

enum expo_format negotiate_format(const char *accept, size_t len)
{
	const char *p = accept, *end = accept + len, *comma;
	int q_proto = 0, q_text = 0;

	if (!accept)
		return EXPO_TEXT;
	for (; p < end; p = comma + 1) {
		struct media m;

		comma = until(p, end, ',');
		parse_media(trim(p, comma), &m);
		if (span_is(m.type, "application/vnd.google.protobuf", true)) {
			if (m.proto_ok && m.encoding_ok && m.q > q_proto)
				q_proto = m.q;
		} else if ((span_is(m.type, "text/plain", true) &&
			    m.version_ok) ||
			   span_is(m.type, "text/*", true) ||
			   span_is(m.type, "*/*", true)) {
			if (m.q > q_text)
				q_text = m.q;
		}
		if (comma >= end)
			break;
	}
	return q_proto && q_proto >= q_text ? EXPO_PROTOBUF : EXPO_TEXT;
}
