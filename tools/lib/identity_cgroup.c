// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdbool.h>
#include <string.h>

#include "identity_parse.h"

/* The PATH of a "ID:CONTROLLERS:PATH" line if its controllers are want. */
static bool line_path(const char *line, const char *eol, const char *want,
		      const char **path)
{
	const char *c1 = memchr(line, ':', (size_t)(eol - line));
	const char *c2 = c1 ? memchr(c1 + 1, ':', (size_t)(eol - c1 - 1)) :
			      NULL;
	size_t wlen = strlen(want);

	if (!c2 || (size_t)(c2 - c1 - 1) != wlen || memcmp(c1 + 1, want, wlen))
		return false;
	/* The v2 line has hierarchy ID 0; legacy ones have their own. */
	if (!wlen && (c1 - line != 1 || line[0] != '0'))
		return false;
	*path = c2 + 1;
	return true;
}

int tdxhp_cgroup_parse(const char *text, size_t len, char *out, size_t outlen)
{
	const char *end = text + len, *found = NULL, *found_end = NULL;

	for (const char *line = text; line < end;) {
		const char *eol = memchr(line, '\n', (size_t)(end - line));
		const char *path;

		if (!eol)
			eol = end;
		if (line_path(line, eol, "", &path)) {
			found = path;
			found_end = eol;
			break;
		}
		if (!found && line_path(line, eol, "name=systemd", &path)) {
			found = path;
			found_end = eol;
		}
		line = eol + 1;
	}
	if (!found || found == found_end || *found != '/' ||
	    (size_t)(found_end - found) >= outlen)
		return -1;
	memcpy(out, found, (size_t)(found_end - found));
	out[found_end - found] = '\0';
	return 0;
}

static bool ends_with(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);

	return n > k && !memcmp(s + n - k, suffix, k);
}

int tdxhp_cgroup_unit(const char *path, char *unit, size_t len)
{
	static const char *const types[] = { ".scope", ".service", ".socket",
					     ".mount", ".swap" };
	const char *p = path;

	for (;;) {
		const char *e;
		size_t n;

		while (*p == '/')
			p++;
		e = strchr(p, '/');
		n = e ? (size_t)(e - p) : strlen(p);
		if (!n)
			return -1;
		/* systemd escapes a cgroup name that could clash with "_". */
		if (*p == '_') {
			p++;
			n--;
		}
		if (ends_with(p, n, ".slice")) {
			p += n;
			continue;
		}
		for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
			if (ends_with(p, n, types[i]) && n < len &&
			    !memchr(p, '\0', n)) {
				memcpy(unit, p, n);
				unit[n] = '\0';
				return 0;
			}
		}
		return -1;
	}
}
