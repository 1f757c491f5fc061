// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <sys/un.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "buf.h"
#include "http.h"
#include "util.h"

/* Split "host:port" / "[v6]:port" / ":port"; host is "" for any. */
static int split_addr(const char *addr, char *host, size_t hlen, char *port,
		      size_t plen)
{
	const char *colon, *h = addr;
	size_t n;

	if (addr[0] == '[') {
		const char *end = strchr(addr, ']');

		if (!end || end[1] != ':')
			return -1;
		h = addr + 1;
		n = (size_t)(end - h);
		colon = end + 1;
	} else {
		colon = strrchr(addr, ':');
		if (!colon || memchr(addr, ':', (size_t)(colon - addr)))
			return -1;
		n = (size_t)(colon - addr);
	}
	if (n >= hlen || !colon[1] || strlen(colon + 1) >= plen)
		return -1;
	memcpy(host, h, n);
	host[n] = '\0';
	snprintf(port, plen, "%s", colon + 1);
	for (const char *p = port; *p; p++)
		if (*p < '0' || *p > '9')
			return -1;
	return atoi(port) > 0 && atoi(port) < 65536 ? 0 : -1;
}

bool http_addr_valid(const char *addr)
{
	char host[256], port[8];

	return !split_addr(addr, host, sizeof(host), port, sizeof(port));
}

int http_listen(const char *addr)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_PASSIVE | AI_NUMERICSERV };
	struct addrinfo *res = NULL, *ai;
	char host[256], port[8];
	int fd = -1, err, one = 1, saved = 0;

	if (split_addr(addr, host, sizeof(host), port, sizeof(port))) {
		tdxhp_err(
			"--web.listen-address wants HOST:PORT, [IPV6]:PORT or :PORT, not '%s'",
			addr);
		return -2;
	}
	err = getaddrinfo(*host ? host : NULL, port, &hints, &res);
	if (err) {
		tdxhp_err("--web.listen-address %s: %s", addr,
			  gai_strerror(err));
		return -2;
	}
	for (ai = res; ai; ai = ai->ai_next) {
		fd = socket(ai->ai_family,
			    ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
			    ai->ai_protocol);
		if (fd < 0) {
			saved = errno;
			continue;
		}
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (!bind(fd, ai->ai_addr, ai->ai_addrlen) && !listen(fd, 128))
			break;
		saved = errno;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd < 0)
		tdxhp_err("cannot listen on %s: %s", addr, strerror(saved));
	return fd;
}

void http_socket_name(int fd, char *buf, size_t len)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	char a[INET6_ADDRSTRLEN] = "?";

	snprintf(buf, len, "fd %d", fd);
	if (getsockname(fd, (struct sockaddr *)&ss, &sl))
		return;
	if (ss.ss_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)&ss;

		inet_ntop(AF_INET, &in->sin_addr, a, sizeof(a));
		snprintf(buf, len, "%s:%u", a, ntohs(in->sin_port));
	} else if (ss.ss_family == AF_INET6) {
		const struct sockaddr_in6 *in =
			(const struct sockaddr_in6 *)&ss;

		inet_ntop(AF_INET6, &in->sin6_addr, a, sizeof(a));
		snprintf(buf, len, "[%s]:%u", a, ntohs(in->sin6_port));
	} else if (ss.ss_family == AF_UNIX) {
		snprintf(buf, len, "%s",
			 ((const struct sockaddr_un *)&ss)->sun_path);
	}
}

static void html_escaped(struct buf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<':
			buf_str(b, "&lt;");
			break;
		case '>':
			buf_str(b, "&gt;");
			break;
		case '&':
			buf_str(b, "&amp;");
			break;
		case '"':
			buf_str(b, "&quot;");
			break;
		default:
			buf_char(b, *s);
		}
	}
}

char *http_landing_page(const char *telemetry_path, const char *sim_label,
			size_t *len)
{
	struct buf b;

	if (buf_init(&b, 1024))
		return NULL;
	buf_str(&b, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
		    "<title>tdxhp exporter</title></head><body>\n"
		    "<h1>tdxhp exporter</h1>\n"
		    "<p>KVM TDX huge page metrics, version " TDXHP_VERSION
		    ".</p>\n");
	if (sim_label) {
		buf_str(&b, "<p><strong>SIMULATED DATA (");
		html_escaped(&b, sim_label);
		buf_str(&b, "): no TDX host is traced.</strong></p>\n");
	}
	buf_str(&b, "<p><a href=\"");
	html_escaped(&b, telemetry_path);
	buf_str(&b, "\">Metrics</a></p>\n</body></html>\n");
	if (b.failed) {
		buf_free(&b);
		return NULL;
	}
	return buf_steal(&b, len);
}
