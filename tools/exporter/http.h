/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The HTTP(S) side, on libmicrohttpd: /metrics, a landing page, errors. */
#ifndef TDXHP_EXPORTER_HTTP_H
#define TDXHP_EXPORTER_HTTP_H

#include <stdbool.h>

#include "auth.h"
#include "collector.h"
#include "webconfig.h"

struct http_opts {
	int listen_fd;			/* from http_listen() */
	const char *telemetry_path;
	const struct web_config *wc;
	struct auth *auth;		/* NULL: no basic auth */
	struct collector *c;
	const char *sim_label;		/* NULL: live */
	unsigned int threads;
	unsigned int max_conns;
	unsigned int timeout_s;
	bool verbose;
};

struct http;

/*
 * Bind and listen on "HOST:PORT", "[V6]:PORT" or ":PORT" (every address).
 * Returns the socket, -2 for a malformed address, -1 if it cannot be bound
 * (both with a message).
 */
int http_listen(const char *addr);

/* True if addr parses (usage check before anything is loaded). */
bool http_addr_valid(const char *addr);

struct http *http_start(const struct http_opts *o);
void http_stop(struct http *h);

#endif /* TDXHP_EXPORTER_HTTP_H */
