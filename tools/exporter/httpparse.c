// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <string.h>
#include <strings.h>

#include "httpparse.h"

/* RFC 9110 tchar. */
static bool is_tchar(unsigned char c)
{
	if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z'))
		return true;
	return c && strchr("!#$%&'*+-.^_`|~", c);
}

/* field-vchar or SP / HTAB: no NUL, no other control byte, no DEL. */
static bool is_value_char(unsigned char c)
{
	return c == '\t' || (c >= ' ' && c != 0x7f);
}

static bool name_is(const char *n, size_t len, const char *want)
{
	return len == strlen(want) && !strncasecmp(n, want, len);
}

/* A comma-separated list contains token (case-insensitive). */
static bool list_has(const char *v, size_t len, const char *token)
{
	size_t tl = strlen(token), i = 0;

	while (i < len) {
		size_t start, end;

		while (i < len && (v[i] == ' ' || v[i] == '\t' || v[i] == ','))
			i++;
		start = i;
		while (i < len && v[i] != ',')
			i++;
		end = i;
		while (end > start && (v[end - 1] == ' ' || v[end - 1] == '\t'))
			end--;
		if (end - start == tl && !strncasecmp(v + start, token, tl))
			return true;
	}
	return false;
}

static int parse_length(const char *v, size_t len, uint64_t *out)
{
	uint64_t n = 0;

	if (!len)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (v[i] < '0' || v[i] > '9' || n > (UINT64_MAX - 9) / 10)
			return -1;
		n = n * 10 + (uint64_t)(v[i] - '0');
	}
	*out = n;
	return 0;
}

static long parse_request_line(const char *l, size_t len,
			       struct http_request *req)
{
	const char *sp1 = memchr(l, ' ', len), *sp2, *v;
	size_t vlen;

	if (!sp1 || sp1 == l)
		return -400;
	for (const char *p = l; p < sp1; p++)
		if (!is_tchar((unsigned char)*p))
			return -400;
	/* Methods are case-sensitive: "get" is some other method. */
	if (sp1 - l == 3 && !memcmp(l, "GET", 3))
		req->method = HTTP_GET;
	else if (sp1 - l == 4 && !memcmp(l, "HEAD", 4))
		req->method = HTTP_HEAD;
	else
		req->method = HTTP_OTHER;
	sp2 = memchr(sp1 + 1, ' ', len - (size_t)(sp1 + 1 - l));
	if (!sp2 || sp2 == sp1 + 1)
		return -400;
	for (const char *p = sp1 + 1; p < sp2; p++)
		if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f)
			return -400;
	req->target = sp1 + 1;
	req->target_len = (size_t)(sp2 - sp1 - 1);
	v = sp2 + 1;
	vlen = len - (size_t)(v - l);
	if (vlen == 8 && !memcmp(v, "HTTP/1.", 7) &&
	    (v[7] == '0' || v[7] == '1')) {
		req->minor = (unsigned int)(v[7] - '0');
		req->keep_alive = req->minor == 1;
		return 0;
	}
	if (vlen == 8 && !memcmp(v, "HTTP/", 5) && v[5] >= '0' && v[5] <= '9' &&
	    v[6] == '.' && v[7] >= '0' && v[7] <= '9')
		return -505;
	return -400;
}

struct seen {
	bool host, auth, length, close, keep;
};

static long parse_header(const char *l, size_t len, struct http_request *req,
			 struct seen *s)
{
	const char *colon = memchr(l, ':', len), *v, *end = l + len;
	size_t nlen;

	/* No name, a space before the colon, or obs-fold: all rejected. */
	if (!colon || colon == l)
		return -400;
	nlen = (size_t)(colon - l);
	for (const char *p = l; p < colon; p++)
		if (!is_tchar((unsigned char)*p))
			return -400;
	for (const char *p = colon + 1; p < end; p++)
		if (!is_value_char((unsigned char)*p))
			return -400;
	v = colon + 1;
	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (name_is(l, nlen, "Host")) {
		if (s->host)
			return -400;
		s->host = true;
	} else if (name_is(l, nlen, "Authorization")) {
		if (s->auth)
			return -400;
		s->auth = true;
		req->authorization = v;
		req->authorization_len = (size_t)(end - v);
	} else if (name_is(l, nlen, "Accept")) {
		req->accept = v;
		req->accept_len = (size_t)(end - v);
	} else if (name_is(l, nlen, "Accept-Encoding")) {
		req->accept_encoding = v;
		req->accept_encoding_len = (size_t)(end - v);
	} else if (name_is(l, nlen, "Connection")) {
		s->close |= list_has(v, (size_t)(end - v), "close");
		s->keep |= list_has(v, (size_t)(end - v), "keep-alive");
	} else if (name_is(l, nlen, "Content-Length")) {
		uint64_t n;

		if (parse_length(v, (size_t)(end - v), &n) ||
		    (s->length && n != req->body_len))
			return -400;
		s->length = true;
		req->body_len = n;
	} else if (name_is(l, nlen, "Transfer-Encoding")) {
		return -501;
	}
	return 0;
}

long http_parse_request(const char *buf, size_t len, size_t max,
			struct http_request *req)
{
	struct seen s = { 0 };
	size_t pos = 0;
	bool first = true;

	memset(req, 0, sizeof(*req));
	if (len > max)
		len = max;
	for (;;) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t llen;
		long r;

		if (!nl)
			return len < max ? 0 : first ? -414 : -431;
		llen = (size_t)(nl - (buf + pos));
		if (!llen || buf[pos + llen - 1] != '\r')
			return -400;
		llen--;
		if (memchr(buf + pos, '\r', llen))
			return -400;
		if (first) {
			r = parse_request_line(buf + pos, llen, req);
			first = false;
		} else if (!llen) {
			break;
		} else {
			r = parse_header(buf + pos, llen, req, &s);
		}
		if (r)
			return r;
		pos += llen + 2;
	}
	if (req->minor == 1 && !s.host)
		return -400;
	if (s.close)
		req->keep_alive = false;
	else if (s.keep)
		req->keep_alive = true;
	return (long)(pos + 2);
}
