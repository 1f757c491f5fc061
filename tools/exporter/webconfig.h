/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * --web.config.file in the Prometheus exporter-toolkit format:
 *
 *   tls_server_config:
 *     cert_file: server.crt        # relative to the config file
 *     key_file: server.key
 *     client_ca_file: ca.crt       # optional
 *     client_auth_type: RequireAndVerifyClientCert
 *     min_version: TLS12           # optional: TLS12 or TLS13
 *   basic_auth_users:
 *     alice: $2y$10$...            # bcrypt only
 */
#ifndef TDXHP_EXPORTER_WEBCONFIG_H
#define TDXHP_EXPORTER_WEBCONFIG_H

#include <stdbool.h>
#include <stddef.h>

enum client_auth {
	CLIENT_AUTH_NONE,		/* NoClientCert */
	CLIENT_AUTH_REQUEST,		/* RequestClientCert */
	CLIENT_AUTH_REQUIRE_ANY,	/* RequireAnyClientCert */
	CLIENT_AUTH_VERIFY_IF_GIVEN,	/* VerifyClientCertIfGiven */
	CLIENT_AUTH_REQUIRE_VERIFY,	/* RequireAndVerifyClientCert */
};

struct web_user {
	char *name;
	char *hash;
};

struct web_config {
	bool tls;
	char *cert_pem;		/* file contents, read before privileges go */
	char *key_pem;
	char *client_ca_pem;	/* NULL if none */
	enum client_auth client_auth;
	const char *priorities;	/* GnuTLS priority string */
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
