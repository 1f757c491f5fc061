/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The HTTP(S) side: the listening socket and the landing page here, the
 * server (one epoll loop, GnuTLS, keep-alive) in server.c.
 */
#ifndef TDXHP_EXPORTER_HTTP_H
#define TDXHP_EXPORTER_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth.h"
#include "collector.h"
#include "webconfig.h"

#define HTTP_MAX_LISTEN 16

struct http_opts {
	int listen_fds[HTTP_MAX_LISTEN]; /* http_listen() or systemd's */
	unsigned int nr_listen;
	const char *telemetry_path;
	const struct web_config *wc;
	struct auth *auth; /* NULL: no basic auth */
	struct collector *c;
	const char *sim_label; /* NULL: live */
	unsigned int threads; /* password-checking threads */
	unsigned int max_conns;
	uint64_t idle_timeout_ns; /* keep-alive idle, stalled writes */
	uint64_t header_timeout_ns; /* accept to the end of the head */
	unsigned int max_requests; /* per connection */
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

/* The address a listening socket is bound to: "[::]:9067", "127.0.0.1:9067". */
void http_socket_name(int fd, char *buf, size_t len);

/* The landing page (caller frees), NULL if out of memory. */
char *http_landing_page(const char *telemetry_path, const char *sim_label,
			size_t *len);

/* Start serving on a thread of its own; NULL with a message on failure. */
struct http *http_start(const struct http_opts *o);
void http_stop(struct http *h);

#endif /* TDXHP_EXPORTER_HTTP_H */
