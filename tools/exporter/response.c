// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gzip.h"
#include "negotiate.h"
#include "response.h"

#define REALM "tdxhp-exporter"

void route_req_from(struct route_req *q, const struct http_request *req)
{
	size_t n = req->target_len;
	const char *qm = memchr(req->target, '?', n);
	char ae[256];

	memset(q, 0, sizeof(*q));
	q->method = req->method;
	if (qm)
		n = (size_t)(qm - req->target);
	if (n > ROUTE_PATH_MAX) {
		q->path_too_long = true;
		n = 0;
	}
	memcpy(q->path, req->target, n);
	q->path[n] = '\0';
	if (req->accept_encoding && req->accept_encoding_len < sizeof(ae)) {
		memcpy(ae, req->accept_encoding, req->accept_encoding_len);
		ae[req->accept_encoding_len] = '\0';
		q->gzip = gzip_accepted(ae);
	}
	q->fmt = negotiate_format(req->accept, req->accept_len);
	q->close = !req->keep_alive;
	q->keep_alive_10 = req->keep_alive && req->minor == 0;
}

static const char *reason(unsigned int status)
{
	switch (status) {
	case 200:
		return "OK";
	case 400:
		return "Bad Request";
	case 401:
		return "Unauthorized";
	case 403:
		return "Forbidden";
	case 404:
		return "Not Found";
	case 405:
		return "Method Not Allowed";
	case 408:
		return "Request Timeout";
	case 413:
		return "Content Too Large";
	case 414:
		return "URI Too Long";
	case 429:
		return "Too Many Requests";
	case 431:
		return "Request Header Fields Too Large";
	case 501:
		return "Not Implemented";
	case 503:
		return "Service Unavailable";
	case 505:
		return "HTTP Version Not Supported";
	default:
		return "Internal Server Error";
	}
}

/* Headers of http_server_config, sent on every answer ("" if none). */
static const char *config_headers = "";

void response_set_headers(const char *headers)
{
	config_headers = headers ? headers : "";
}

static void head(struct response *r, unsigned int status, const char *type,
		 size_t len, const char *extra, const struct route_req *q)
{
	char date[64];
	struct tm tm;
	time_t now = time(NULL);
	int n;

	gmtime_r(&now, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S GMT", &tm);
	n = snprintf(r->head, sizeof(r->head),
		     "HTTP/1.1 %u %s\r\nDate: %s\r\nContent-Type: %s\r\n"
		     "Content-Length: %zu\r\n%s%s%s\r\n",
		     status, reason(status), date, type, len,
		     extra ? extra : "", config_headers,
		     q->close	      ? "Connection: close\r\n" :
		     q->keep_alive_10 ? "Connection: keep-alive\r\n" :
					"");
	r->head_len = n > 0 && (size_t)n < sizeof(r->head) ? (size_t)n : 0;
}

void response_text(struct response *r, unsigned int status, const char *text,
		   const struct route_req *q)
{
	const char *extra = NULL;

	memset(r, 0, sizeof(*r));
	if (status == 401)
		extra = "WWW-Authenticate: Basic realm=\"" REALM
			"\", charset=\"UTF-8\"\r\n";
	else if (status == 405)
		extra = "Allow: GET, HEAD\r\n";
	else if (status == 429 || status == 503)
		extra = "Retry-After: 1\r\n";
	r->body = text;
	r->body_len = strlen(text);
	head(r, status, "text/plain; charset=utf-8", r->body_len, extra, q);
	if (q->method == HTTP_HEAD)
		r->body_len = 0;
}

static void serve_metrics(const struct routes *rt, const struct route_req *q,
			  struct response *r)
{
	enum expo_format fmt = q->fmt;
	struct body_form *f;
	const char *data;
	struct body *b;
	bool gz = false;
	size_t len;

	collector_count_request(rt->c, fmt);
	b = collector_get(rt->c, fmt);
	if (!b) {
		response_text(r, 500, "reading the tdxhp maps failed\n", q);
		return;
	}
	f = &b->form[fmt];
	if (q->gzip)
		gz = body_gzip(b, fmt, &data, &len);
	if (!gz) {
		__atomic_add_fetch(&f->plain_served, 1, __ATOMIC_RELAXED);
		data = f->plain;
		len = f->plain_len;
	}
	if (!gz && !data) {
		/* Only the gzip form was kept: inflate a copy for this client. */
		char *copy;

		if (!body_gzip(b, fmt, &data, &len) ||
		    gzip_decompress(data, len, f->plain_len, &copy)) {
			body_put(b);
			response_text(r, 500, "inflating the metrics failed\n",
				      q);
			return;
		}
		len = f->plain_len;
		body_put(b);
		b = NULL;
		r->owned = copy;
		data = copy;
	}
	r->ref = b;
	r->body = data;
	r->body_len = len;
	head(r, 200, expo_content_type[fmt], len,
	     gz ? "Vary: Accept, Accept-Encoding\r\nContent-Encoding: gzip\r\n" :
		  "Vary: Accept, Accept-Encoding\r\n",
	     q);
}

void response_route(const struct routes *rt, const struct route_req *q,
		    struct response *r)
{
	memset(r, 0, sizeof(*r));
	if (q->method == HTTP_OTHER)
		response_text(r, 405, "Method Not Allowed\n", q);
	else if (!q->path_too_long && !strcmp(q->path, rt->telemetry_path))
		serve_metrics(rt, q, r);
	else if (!q->path_too_long && !strcmp(q->path, "/")) {
		r->body = rt->landing;
		r->body_len = rt->landing_len;
		head(r, 200, "text/html; charset=utf-8", r->body_len, NULL, q);
	} else {
		response_text(r, 404, "Not Found\n", q);
	}
	if (q->method == HTTP_HEAD)
		r->body_len = 0;
}

void response_release(struct response *r)
{
	if (r->ref)
		body_put(r->ref);
	free(r->owned);
	memset(r, 0, sizeof(*r));
}
