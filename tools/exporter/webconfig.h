/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * --web.config.file: the Prometheus exporter-toolkit web config, every key
 * its docs/web-configuration.md documents, so a node_exporter web.yml
 * works unchanged:
 *
 *   tls_server_config:
 *     cert_file, key_file (or cert, key inline), client_ca_file (or
 *     client_ca), client_auth_type, client_allowed_sans, min_version,
 *     max_version, cipher_suites, prefer_server_cipher_suites,
 *     curve_preferences
 *   http_server_config:
 *     http2 (accepted; HTTP/2 is not served), headers
 *   basic_auth_users: { user: bcrypt hash }
 *   rate_limit: { interval, burst }
 *
 * An unknown key is an error naming it.  Files are read at start, before
 * privileges are dropped (the toolkit re-reads them on every request).
 */
#ifndef TDXHP_EXPORTER_WEBCONFIG_H
#define TDXHP_EXPORTER_WEBCONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tlsnames.h"

enum client_auth {
	CLIENT_AUTH_NONE, /* NoClientCert */
	CLIENT_AUTH_REQUEST, /* RequestClientCert */
	CLIENT_AUTH_REQUIRE_ANY, /* RequireAnyClientCert */
	CLIENT_AUTH_VERIFY_IF_GIVEN, /* VerifyClientCertIfGiven */
	CLIENT_AUTH_REQUIRE_VERIFY, /* RequireAndVerifyClientCert */
};

#define WEB_MAX_SUITES 32
#define WEB_MAX_SANS 64
#define WEB_HEADERS_MAX 1024

struct web_user {
	char *name;
	char *hash;
};

struct web_config {
	bool tls;
	char *cert_pem; /* contents, read before privileges go */
	char *key_pem;
	char *client_ca_pem; /* NULL: none (verification uses the system's) */
	enum client_auth client_auth;
	enum tls_version min_version, max_version;
	/* cipher_suites: indexes into tls_suites, in the file's order. */
	uint8_t suites[WEB_MAX_SUITES];
	unsigned int nr_suites;
	bool prefer_server_suites;
	/* curve_preferences: indexes into tls_curves, in order. */
	uint8_t curves[8];
	unsigned int nr_curves;
	char *sans[WEB_MAX_SANS]; /* client_allowed_sans */
	unsigned int nr_sans;
	bool http2; /* http2: true was asked for */
	char *headers; /* "Name: value\r\n" lines, or NULL */
	double rate_interval_s; /* 0: no rate limit */
	unsigned int rate_burst;
	struct web_user *users;
	unsigned int nr_users;
};

/* Parse and load everything; on error one line is printed and -1 returned. */
int web_config_load(const char *path, struct web_config *wc);

/* Parse and check text only, reading no file (for the fuzzer); name is
 * used in messages.  0 or -1 as above; free wc after a 0. */
int web_config_parse(const char *name, const char *text, size_t len,
		     struct web_config *wc);
void web_config_free(struct web_config *wc);

#endif /* TDXHP_EXPORTER_WEBCONFIG_H */
