/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The TLS side of the web config on GnuTLS, with Go's crypto/tls meaning:
 * versions, curve_preferences, cipher_suites (TLS 1.2 and below only, the
 * listed suites exactly, in the server's order with
 * prefer_server_cipher_suites, else the client's), client_auth_type and
 * client_allowed_sans.
 */
#ifndef TDXHP_EXPORTER_TLS_H
#define TDXHP_EXPORTER_TLS_H

#include <stdbool.h>

#include <gnutls/gnutls.h>

#include "webconfig.h"

struct tls_server;

/* Credentials and priorities from wc; NULL after saying why. */
struct tls_server *tls_server_new(const struct web_config *wc);
void tls_server_free(struct tls_server *ts);

/* A non-blocking server session on fd; NULL on failure. */
gnutls_session_t tls_session_new(struct tls_server *ts, int fd);
void tls_session_free(gnutls_session_t s);

/* After the handshake: does the client certificate pass the policy? */
bool tls_client_ok(const struct tls_server *ts, gnutls_session_t s);

#endif /* TDXHP_EXPORTER_TLS_H */
