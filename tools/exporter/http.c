// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gnutls/gnutls.h>
#include <microhttpd.h>

#include "buf.h"
#include "gzip.h"
#include "http.h"
#include "util.h"

#define CONTENT_TYPE_METRICS "text/plain; version=0.0.4; charset=utf-8"
#define REALM "tdxhp-exporter"
/* Request line plus headers must fit here, or MHD answers 414 / 431. */
#define CONN_MEMORY_LIMIT (32 * 1024)

struct http {
	struct MHD_Daemon *d;
	struct http_opts o;
	char *landing;
	size_t landing_len;
};

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
		tdxhp_err("--web.listen-address wants HOST:PORT, [IPV6]:PORT or :PORT, not '%s'",
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

static int build_landing(struct http *h)
{
	struct buf b;

	if (buf_init(&b, 1024))
		return -1;
	buf_str(&b, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
		    "<title>tdxhp exporter</title></head><body>\n"
		    "<h1>tdxhp exporter</h1>\n"
		    "<p>KVM TDX huge page metrics, version " TDXHP_VERSION
		    ".</p>\n");
	if (h->o.sim_label) {
		buf_str(&b, "<p><strong>SIMULATED DATA (");
		html_escaped(&b, h->o.sim_label);
		buf_str(&b, "): no TDX host is traced.</strong></p>\n");
	}
	buf_str(&b, "<p><a href=\"");
	html_escaped(&b, h->o.telemetry_path);
	buf_str(&b, "\">Metrics</a></p>\n</body></html>\n");
	if (b.failed) {
		buf_free(&b);
		return -1;
	}
	h->landing = buf_steal(&b, &h->landing_len);
	return 0;
}

static enum MHD_Result queue_text(struct MHD_Connection *conn,
				  unsigned int status, const char *text,
				  const char *allow)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(
		strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT);
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
				"text/plain; charset=utf-8");
	if (allow)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, allow);
	if (status == MHD_HTTP_UNAUTHORIZED)
		ret = MHD_queue_basic_auth_fail_response(conn, REALM, r);
	else
		ret = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return ret;
}

/* The client_auth_type policy, after the TLS handshake asked for a cert. */
static bool client_cert_ok(const struct http *h, struct MHD_Connection *conn)
{
	enum client_auth policy = h->o.wc->client_auth;
	const union MHD_ConnectionInfo *ci;
	const gnutls_datum_t *certs;
	unsigned int n = 0, status = 0;
	bool present, verified;

	if (!h->o.wc->tls || policy <= CLIENT_AUTH_REQUEST)
		return true;
	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_GNUTLS_SESSION);
	if (!ci || !ci->tls_session)
		return false;
	certs = gnutls_certificate_get_peers(ci->tls_session, &n);
	present = certs && n > 0;
	verified = present &&
		   !gnutls_certificate_verify_peers2(ci->tls_session, &status) &&
		   !status;
	switch (policy) {
	case CLIENT_AUTH_REQUIRE_ANY:
		return present;
	case CLIENT_AUTH_VERIFY_IF_GIVEN:
		return !present || verified;
	default:
		return verified;
	}
}

static bool basic_auth_ok(const struct http *h, struct MHD_Connection *conn)
{
	char *pass = NULL, *user;
	bool ok;

	if (!h->o.auth)
		return true;
	user = MHD_basic_auth_get_username_password(conn, &pass);
	ok = user && pass && auth_check(h->o.auth, user, pass);
	if (pass) {
		explicit_bzero(pass, strlen(pass));
		MHD_free(pass);
	}
	if (user)
		MHD_free(user);
	return ok;
}

static void body_release(void *cls)
{
	body_put(cls);
}

static enum MHD_Result serve_metrics(struct http *h,
				     struct MHD_Connection *conn)
{
	const char *ae, *data;
	struct MHD_Response *r;
	enum MHD_Result ret;
	struct body *b;
	bool gz = false;
	size_t len;

	collector_count_request(h->o.c);
	b = collector_get(h->o.c);
	if (!b)
		return queue_text(conn, MHD_HTTP_INTERNAL_SERVER_ERROR,
				  "reading the tdxhp maps failed\n", NULL);
	data = b->plain;
	len = b->plain_len;
	ae = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
					 MHD_HTTP_HEADER_ACCEPT_ENCODING);
	if (ae && gzip_accepted(ae))
		gz = body_gzip(b, &data, &len);
	if (!gz) {
		__atomic_add_fetch(&b->plain_served, 1, __ATOMIC_RELAXED);
		data = b->plain;
		len = b->plain_len;
	}
	if (!gz && !data) {
		/* Only the gzip form was kept: inflate a copy for this client. */
		char *copy;

		if (!body_gzip(b, &data, &len) ||
		    gzip_decompress(data, len, b->plain_len, &copy)) {
			body_put(b);
			return queue_text(conn, MHD_HTTP_INTERNAL_SERVER_ERROR,
					  "inflating the metrics failed\n", NULL);
		}
		len = b->plain_len;
		body_put(b);
		b = NULL;
		r = MHD_create_response_from_buffer(len, copy,
						    MHD_RESPMEM_MUST_FREE);
	} else {
		r = MHD_create_response_from_buffer_with_free_callback_cls(
			len, (void *)data, body_release, b);
	}
	if (!r) {
		if (b)
			body_put(b);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
				CONTENT_TYPE_METRICS);
	MHD_add_response_header(r, MHD_HTTP_HEADER_VARY,
				MHD_HTTP_HEADER_ACCEPT_ENCODING);
	if (gz)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_ENCODING,
					"gzip");
	ret = MHD_queue_response(conn, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn,
			      const char *url, const char *method,
			      const char *version, const char *upload_data,
			      size_t *upload_data_size, void **req_cls)
{
	struct http *h = cls;
	struct MHD_Response *r;
	enum MHD_Result ret;

	/* Answer on the first call; a request body is never read. */
	if (*req_cls)
		return MHD_NO;
	*req_cls = h;
	if (!client_cert_ok(h, conn))
		return queue_text(conn, MHD_HTTP_FORBIDDEN,
				  "a valid client certificate is required\n",
				  NULL);
	if (!basic_auth_ok(h, conn))
		return queue_text(conn, MHD_HTTP_UNAUTHORIZED, "Unauthorized\n",
				  NULL);
	if (strcmp(method, MHD_HTTP_METHOD_GET) &&
	    strcmp(method, MHD_HTTP_METHOD_HEAD))
		return queue_text(conn, MHD_HTTP_METHOD_NOT_ALLOWED,
				  "Method Not Allowed\n", "GET, HEAD");
	if (!strcmp(url, h->o.telemetry_path))
		return serve_metrics(h, conn);
	if (strcmp(url, "/"))
		return queue_text(conn, MHD_HTTP_NOT_FOUND, "Not Found\n",
				  NULL);
	r = MHD_create_response_from_buffer(h->landing_len, h->landing,
					    MHD_RESPMEM_PERSISTENT);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
				"text/html; charset=utf-8");
	ret = MHD_queue_response(conn, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ret;
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	const struct http *h = cls;

	if (!h->o.verbose)
		return;
	fprintf(stderr, "%s: libmicrohttpd: ", tdxhp_prog_name);
	vfprintf(stderr, fmt, ap);
}

struct http *http_start(const struct http_opts *o)
{
	unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
			     MHD_USE_ERROR_LOG;
	struct MHD_OptionItem tls_opts[5], *t = tls_opts;
	struct http *h = calloc(1, sizeof(*h));

	if (h)
		h->o = *o;
	if (!h || build_landing(h)) {
		free(h);
		tdxhp_err("out of memory");
		return NULL;
	}
	if (o->wc->tls) {
		flags |= MHD_USE_TLS;
		*t++ = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_KEY, 0,
						o->wc->key_pem };
		*t++ = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_CERT, 0,
						o->wc->cert_pem };
		if (o->wc->client_ca_pem)
			*t++ = (struct MHD_OptionItem){
				MHD_OPTION_HTTPS_MEM_TRUST, 0,
				o->wc->client_ca_pem
			};
		if (o->wc->priorities)
			*t++ = (struct MHD_OptionItem){
				MHD_OPTION_HTTPS_PRIORITIES, 0,
				(void *)o->wc->priorities
			};
	}
	*t = (struct MHD_OptionItem){ MHD_OPTION_END, 0, NULL };
	h->d = MHD_start_daemon(
		flags, 0, NULL, NULL, handle, h,
		MHD_OPTION_LISTEN_SOCKET, o->listen_fd,
		MHD_OPTION_THREAD_POOL_SIZE, o->threads,
		MHD_OPTION_CONNECTION_LIMIT, o->max_conns,
		/* One client (address) may not take every slot. */
		MHD_OPTION_PER_IP_CONNECTION_LIMIT,
		o->max_conns > 2 ? o->max_conns / 2 : 1,
		MHD_OPTION_CONNECTION_TIMEOUT, o->timeout_s,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONN_MEMORY_LIMIT,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, h,
		MHD_OPTION_ARRAY, tls_opts, MHD_OPTION_END);
	if (!h->d) {
		tdxhp_err("cannot start the HTTP server%s",
			  o->wc->tls ? " (check cert_file and key_file)" : "");
		free(h->landing);
		free(h);
		return NULL;
	}
	return h;
}

void http_stop(struct http *h)
{
	if (!h)
		return;
	MHD_stop_daemon(h->d);
	free(h->landing);
	free(h);
}
