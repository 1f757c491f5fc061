/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A strict HTTP/1.x request head parser: pure (no I/O, no allocation), so
 * it can be fuzzed on its own.  Only what the exporter needs is kept:
 * method, target, version, and the few headers it acts on.
 */
#ifndef TDXHP_EXPORTER_HTTPPARSE_H
#define TDXHP_EXPORTER_HTTPPARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum http_method {
	HTTP_OTHER,
	HTTP_GET,
	HTTP_HEAD,
};

struct http_request {
	enum http_method method;
	const char *target; /* points into the parsed buffer */
	size_t target_len;
	unsigned int minor; /* HTTP/1.minor: 0 or 1 */
	bool keep_alive; /* what the client asked for, by version */
	const char *accept; /* value, or NULL */
	size_t accept_len;
	const char *accept_encoding; /* value, or NULL */
	size_t accept_encoding_len;
	const char *authorization; /* value, or NULL */
	size_t authorization_len;
	uint64_t body_len; /* Content-Length, 0 if none */
};

/*
 * Parse one request head at the start of buf.  Returns the length of the
 * head (request line, headers and the empty line) when it is complete,
 * 0 if more bytes are needed, or the negative HTTP status to answer with:
 * -400 (malformed: bad characters, NUL, obs-fold, bare CR or LF, no Host
 * in HTTP/1.1, a duplicate Host or Authorization, an invalid or
 * conflicting Content-Length), -414 (the request line does not fit in
 * max), -431 (the headers do not fit in max), -501 (a Transfer-Encoding:
 * no request body is read), -505 (not HTTP/1.0 or 1.1).
 * Never reads past buf[len - 1]; len may exceed max (only max is looked at).
 */
long http_parse_request(const char *buf, size_t len, size_t max,
			struct http_request *req);

#endif /* TDXHP_EXPORTER_HTTPPARSE_H */
