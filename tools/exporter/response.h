/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* What the exporter answers: routes, bodies and the response head. */
#ifndef TDXHP_EXPORTER_RESPONSE_H
#define TDXHP_EXPORTER_RESPONSE_H

#include <stdbool.h>
#include <stddef.h>

#include "collector.h"
#include "expo.h"
#include "httpparse.h"

#define ROUTE_PATH_MAX 300

/* The part of a request that outlives the input buffer. */
struct route_req {
	enum http_method method;
	char path[ROUTE_PATH_MAX + 1]; /* without the query */
	bool path_too_long;
	bool gzip;
	enum expo_format fmt; /* what Accept prefers */
	bool close; /* Connection: close on the answer */
	bool keep_alive_10; /* an HTTP/1.0 client asked to keep it */
};

struct response {
	char head[640 + 1024]; /* + http_server_config headers */
	size_t head_len;
	const char *body; /* not sent for HEAD */
	size_t body_len;
	struct body *ref; /* released after sending */
	char *owned; /* freed after sending */
};

struct routes {
	const char *telemetry_path;
	struct collector *c;
	const char *landing;
	size_t landing_len;
};

void route_req_from(struct route_req *q, const struct http_request *req);

/*
 * "Name: value\r\n" lines added to every answer (http_server_config
 * headers of the web config), at most 1 KiB; set before serving.
 */
void response_set_headers(const char *headers);

/* A short text/plain answer; status 401 adds the Basic challenge, 405 Allow,
 * 429 and 503 Retry-After. */
void response_text(struct response *r, unsigned int status, const char *text,
		   const struct route_req *q);
/* The answer for an admitted GET or HEAD (or 405 for other methods). */
void response_route(const struct routes *rt, const struct route_req *q,
		    struct response *r);
void response_release(struct response *r);

#endif /* TDXHP_EXPORTER_RESPONSE_H */
