// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A small XML reader for libvirt's status files: just enough to follow
 * the element path domstatus/domain/{name,uuid} and read domstatus' pid
 * attribute, skipping comments, processing instructions, CDATA and
 * everything else.  It never reads past the buffer; what it does not
 * understand ends the read and leaves the fields it had not found empty.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "identity_parse.h"

#define MAX_DEPTH 64

enum elem { E_OTHER, E_DOMSTATUS, E_DOMAIN, E_NAME, E_UUID };

struct reader {
	const char *p, *end;
	enum elem stack[MAX_DEPTH];
	int depth;
	bool have_name, have_uuid;
};

static bool starts(const struct reader *r, const char *s)
{
	size_t n = strlen(s);

	return (size_t)(r->end - r->p) >= n && !memcmp(r->p, s, n);
}

/* Move past the next occurrence of s; false if there is none. */
static bool skip_past(struct reader *r, const char *s)
{
	size_t n = strlen(s);

	for (const char *q = r->p; (size_t)(r->end - q) >= n; q++) {
		if (!memcmp(q, s, n)) {
			r->p = q + n;
			return true;
		}
	}
	return false;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool is_name_char(char c)
{
	return c && !is_space(c) && !strchr("/>=<'\"", c);
}

static enum elem elem_of(const char *name, size_t n)
{
	static const struct {
		const char *name;
		enum elem e;
	} known[] = {
		{ "domstatus", E_DOMSTATUS },
		{ "domain", E_DOMAIN },
		{ "name", E_NAME },
		{ "uuid", E_UUID },
	};

	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strlen(known[i].name) == n &&
		    !memcmp(known[i].name, name, n))
			return known[i].e;
	return E_OTHER;
}

/* The child of <domain> we are directly in (status file or domain XML). */
static enum elem domain_child(const struct reader *r)
{
	if (r->depth == 3 && r->stack[0] == E_DOMSTATUS &&
	    r->stack[1] == E_DOMAIN)
		return r->stack[2];
	if (r->depth == 2 && r->stack[0] == E_DOMAIN)
		return r->stack[1];
	return E_OTHER;
}

/* Copy text, undoing the predefined entities and character references. */
static void copy_text(const char *s, const char *e, char *out, size_t outlen)
{
	static const struct {
		const char *ent;
		char c;
	} ents[] = {
		{ "&amp;", '&' },  { "&lt;", '<' },    { "&gt;", '>' },
		{ "&quot;", '"' }, { "&apos;", '\'' },
	};
	size_t n = 0;

	while (s < e && is_space(*s))
		s++;
	while (e > s && is_space(e[-1]))
		e--;
	while (s < e && n + 1 < outlen) {
		bool done = false;

		for (size_t i = 0;
		     *s == '&' && i < sizeof(ents) / sizeof(ents[0]); i++) {
			size_t k = strlen(ents[i].ent);

			if ((size_t)(e - s) >= k &&
			    !memcmp(s, ents[i].ent, k)) {
				out[n++] = ents[i].c;
				s += k;
				done = true;
				break;
			}
		}
		if (!done && *s == '&' && e - s > 3 && s[1] == '#') {
			const char *semi = memchr(s, ';', (size_t)(e - s));
			char num[12];
			long v;

			/* ASCII only: a name with other references is cut. */
			if (semi && semi - s - 2 < (long)sizeof(num)) {
				memcpy(num, s + 2, (size_t)(semi - s - 2));
				num[semi - s - 2] = '\0';
				v = num[0] == 'x' ? strtol(num + 1, NULL, 16) :
						    strtol(num, NULL, 10);
				if (v <= 0 || v > 127)
					break;
				out[n++] = (char)v;
				s = semi + 1;
				done = true;
			}
		}
		if (!done)
			out[n++] = *s++;
	}
	if (outlen)
		out[n] = '\0';
}

/* Attributes up to the end of a start tag; pid="N" goes to *pid. */
static bool read_attrs(struct reader *r, pid_t *pid, bool *empty)
{
	for (;;) {
		const char *name, *val;
		size_t nlen;
		char q;

		while (r->p < r->end && is_space(*r->p))
			r->p++;
		if (r->p >= r->end)
			return false;
		if (*r->p == '>') {
			r->p++;
			*empty = false;
			return true;
		}
		if (starts(r, "/>")) {
			r->p += 2;
			*empty = true;
			return true;
		}
		name = r->p;
		while (r->p < r->end && is_name_char(*r->p))
			r->p++;
		nlen = (size_t)(r->p - name);
		while (r->p < r->end && is_space(*r->p))
			r->p++;
		if (!nlen || r->p >= r->end || *r->p != '=')
			return false;
		r->p++;
		while (r->p < r->end && is_space(*r->p))
			r->p++;
		if (r->p >= r->end || (*r->p != '\'' && *r->p != '"'))
			return false;
		q = *r->p++;
		val = r->p;
		r->p = memchr(r->p, q, (size_t)(r->end - r->p));
		if (!r->p)
			return false;
		if (pid && nlen == 3 && !memcmp(name, "pid", 3)) {
			long v = 0;

			for (const char *c = val; c < r->p && v <= 4194304;
			     c++) {
				if (*c < '0' || *c > '9') {
					v = 0;
					break;
				}
				v = v * 10 + (*c - '0');
			}
			*pid = v <= 4194304 ? (pid_t)v : 0;
		}
		r->p++;
	}
}

/* One markup construct at r->p (which is '<'); false to stop reading. */
static bool read_markup(struct reader *r, struct tdxhp_libvirt_status *out)
{
	const char *name;
	enum elem e;
	bool empty;

	if (starts(r, "<!--"))
		return skip_past(r, "-->");
	if (starts(r, "<![CDATA["))
		return skip_past(r, "]]>");
	if (starts(r, "<?"))
		return skip_past(r, "?>");
	if (starts(r, "<!"))
		return skip_past(r, ">");
	if (starts(r, "</")) {
		if (!r->depth)
			return false;
		r->depth--;
		return skip_past(r, ">");
	}
	r->p++;
	name = r->p;
	while (r->p < r->end && is_name_char(*r->p))
		r->p++;
	if (r->p == name)
		return false;
	e = elem_of(name, (size_t)(r->p - name));
	if (!read_attrs(r, r->depth == 0 && e == E_DOMSTATUS ? &out->pid : NULL,
			&empty))
		return false;
	if (!empty) {
		if (r->depth == MAX_DEPTH)
			return false;
		r->stack[r->depth++] = e;
	}
	return true;
}

int tdxhp_libvirt_status_parse(const char *xml, size_t len,
			       struct tdxhp_libvirt_status *out)
{
	struct reader r = { .p = xml, .end = xml + len };

	memset(out, 0, sizeof(*out));
	while (r.p < r.end && !(r.have_name && r.have_uuid)) {
		const char *text = r.p;

		if (*r.p == '<') {
			if (!read_markup(&r, out))
				break;
			continue;
		}
		r.p = memchr(r.p, '<', (size_t)(r.end - r.p));
		if (!r.p)
			r.p = r.end;
		switch (domain_child(&r)) {
		case E_NAME:
			if (!r.have_name)
				copy_text(text, r.p, out->name,
					  sizeof(out->name));
			r.have_name = true;
			break;
		case E_UUID:
			if (!r.have_uuid &&
			    tdxhp_uuid_normalize(text, (size_t)(r.p - text),
						 out->uuid))
				out->uuid[0] = '\0';
			r.have_uuid = true;
			break;
		default:
			break;
		}
	}
	return out->uuid[0] ? 0 : -1;
}
