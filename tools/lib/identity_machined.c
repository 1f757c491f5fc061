// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * systemd-machined's state files: KEY=VALUE lines after a comment.  Older
 * machined C-escapes values (SCOPE=machine-qemu\\x2d1...), newer ones
 * double-quote those that need it; both are undone.  Only NAME, LEADER,
 * ID and CLASS are read: that is all an identity needs.
 */
#include <stdbool.h>
#include <string.h>

#include "identity_parse.h"
#include "util.h"


/* A value, unquoted and unescaped, into out; false if it does not fit. */
static bool value(const char *v, const char *e, char *out, size_t outlen)
{
	size_t n = 0;
	char q = 0;

	if (v < e && (*v == '"' || *v == '\'')) {
		q = *v++;
		if (e > v && e[-1] == q)
			e--;
	}
	while (v < e) {
		char c = *v++;

		if (c == '\\' && v < e && q != '\'') {
			c = *v++;
			if (c == 'n')
				c = '\n';
			else if (c == 't')
				c = '\t';
			else if (c == 'x' && e - v >= 2 &&
				 tdxhp_hex_digit(v[0]) >= 0 && tdxhp_hex_digit(v[1]) >= 0) {
				c = (char)(tdxhp_hex_digit(v[0]) << 4 |
					   tdxhp_hex_digit(v[1]));
				v += 2;
			}
		}
		if (n + 1 >= outlen)
			return false;
		out[n++] = c;
	}
	out[n] = '\0';
	return true;
}

static bool key_is(const char *line, size_t klen, const char *key)
{
	return strlen(key) == klen && !memcmp(line, key, klen);
}

int tdxhp_machined_parse(const char *text, size_t len,
			 struct tdxhp_machined_state *out)
{
	const char *end = text + len;

	memset(out, 0, sizeof(*out));
	for (const char *line = text; line < end;) {
		const char *eol = memchr(line, '\n', (size_t)(end - line));
		const char *eq, *v, *ve;
		char buf[64];
		size_t klen;

		if (!eol)
			eol = end;
		eq = memchr(line, '=', (size_t)(eol - line));
		if (!eq || *line == '#' || *line == ';') {
			line = eol + 1;
			continue;
		}
		klen = (size_t)(eq - line);
		v = eq + 1;
		ve = eol;
		while (ve > v && (ve[-1] == ' ' || ve[-1] == '\r'))
			ve--;
		if (key_is(line, klen, "NAME")) {
			if (!value(v, ve, out->name, sizeof(out->name)))
				out->name[0] = '\0';
		} else if (key_is(line, klen, "LEADER") &&
			   value(v, ve, buf, sizeof(buf))) {
			long pid = 0;

			for (const char *c = buf; *c && pid <= 4194304; c++)
				pid = *c >= '0' && *c <= '9' ?
					      pid * 10 + (*c - '0') :
					      4194305;
			out->leader = buf[0] && pid <= 4194304 ? (pid_t)pid : 0;
		} else if (key_is(line, klen, "ID") &&
			   value(v, ve, buf, sizeof(buf))) {
			if (tdxhp_uuid_normalize(buf, strlen(buf), out->uuid))
				out->uuid[0] = '\0';
		} else if (key_is(line, klen, "CLASS")) {
			if (!value(v, ve, out->class_name,
				   sizeof(out->class_name)))
				out->class_name[0] = '\0';
		}
		line = eol + 1;
	}
	return out->name[0] ? 0 : -1;
}
