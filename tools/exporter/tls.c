// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * GnuTLS priority strings choose key exchanges, ciphers and MACs
 * separately, so a list of whole suites cannot be written as one: two
 * suites would allow their mixtures too.  So the ClientHello's suites are
 * read in a handshake hook, and once the version is known (the post
 * ClientHello callback), a TLS 1.2 session gets a priority with exactly the
 * one suite Go would pick.  TLS 1.3 suites are not configurable, as in Go.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/x509.h>

#include "tls.h"
#include "util.h"

struct tls_server {
	const struct web_config *wc;
	gnutls_certificate_credentials_t cred;
	gnutls_priority_t prio;
	/* cipher_suites: one priority per listed suite the certificate fits */
	gnutls_priority_t suite_prio[WEB_MAX_SUITES];
	bool suite_ok[WEB_MAX_SUITES];
};

/* Per session: the listed suites the client offers, in its order. */
struct tls_conn {
	const struct tls_server *ts;
	unsigned int nr;
	uint8_t offered[WEB_MAX_SUITES]; /* indexes into wc->suites */
};

/* Versions, groups and order shared by every priority of the config. */
static void base_priority(const struct web_config *wc, char *buf, size_t len)
{
	size_t n;

	/* Go's key exchanges: no finite-field DHE. */
	n = (size_t)snprintf(
		buf, len,
		"NORMAL:-KX-ALL:+ECDHE-ECDSA:+ECDHE-RSA:+RSA:-VERS-ALL");
	for (int v = (int)wc->max_version; v >= (int)wc->min_version; v--)
		n += (size_t)snprintf(buf + n, n < len ? len - n : 0, ":+%s",
				      tls_version_gnutls[v]);
	if (wc->nr_curves)
		n += (size_t)snprintf(buf + n, n < len ? len - n : 0,
				      ":-GROUP-ALL");
	for (unsigned int i = 0; i < wc->nr_curves; i++)
		n += (size_t)snprintf(buf + n, n < len ? len - n : 0, ":+%s",
				      tls_curves[wc->curves[i]].gnutls);
	if (wc->prefer_server_suites)
		snprintf(buf + n, n < len ? len - n : 0,
			 ":%%SERVER_PRECEDENCE");
}

/* The certificate's key decides which key exchanges can be used at all. */
static bool suite_fits(const struct tls_suite *s, int pk)
{
	bool ecdsa = !strcmp(s->kx, "ECDHE-ECDSA");

	if (pk == GNUTLS_PK_ECDSA || pk == GNUTLS_PK_EDDSA_ED25519 ||
	    pk == GNUTLS_PK_EDDSA_ED448)
		return ecdsa;
	return !ecdsa;
}

static int cert_pk(const char *pem)
{
	gnutls_datum_t d = { (unsigned char *)pem, (unsigned int)strlen(pem) };
	gnutls_x509_crt_t crt;
	int pk = GNUTLS_PK_UNKNOWN;

	if (gnutls_x509_crt_init(&crt))
		return pk;
	if (!gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_PEM))
		pk = gnutls_x509_crt_get_pk_algorithm(crt, NULL);
	gnutls_x509_crt_deinit(crt);
	return pk;
}

static int suite_priorities(struct tls_server *ts, const char *base)
{
	const struct web_config *wc = ts->wc;
	int pk = cert_pk(wc->cert_pem), r;
	char prio[1024];

	for (unsigned int i = 0; i < wc->nr_suites; i++) {
		const struct tls_suite *s = &tls_suites[wc->suites[i]];

		if (s->tls13 || !suite_fits(s, pk))
			continue;
		snprintf(prio, sizeof(prio),
			 "%s:-KX-ALL:-CIPHER-ALL:-MAC-ALL:+%s:+%s:+%s", base,
			 s->kx, s->cipher, s->mac);
		r = gnutls_priority_init(&ts->suite_prio[i], prio, NULL);
		if (r < 0) {
			tdxhp_err("cipher_suites: %s: %s", s->go,
				  gnutls_strerror(r));
			return -1;
		}
		ts->suite_ok[i] = true;
	}
	return 0;
}

struct tls_server *tls_server_new(const struct web_config *wc)
{
	struct tls_server *ts = calloc(1, sizeof(*ts));
	gnutls_datum_t cert = { (unsigned char *)wc->cert_pem,
				(unsigned int)strlen(wc->cert_pem) };
	gnutls_datum_t key = { (unsigned char *)wc->key_pem,
			       (unsigned int)strlen(wc->key_pem) };
	const char *where = "memory";
	char base[512];
	int r;

	if (!ts) {
		tdxhp_err("out of memory");
		return NULL;
	}
	ts->wc = wc;
	r = gnutls_certificate_allocate_credentials(&ts->cred);
	if (!r) {
		r = gnutls_certificate_set_x509_key_mem(ts->cred, &cert, &key,
							GNUTLS_X509_FMT_PEM);
		where = "cert_file and key_file";
	}
	if (!r && wc->client_ca_pem) {
		gnutls_datum_t ca = { (unsigned char *)wc->client_ca_pem,
				      (unsigned int)strlen(wc->client_ca_pem) };

		r = gnutls_certificate_set_x509_trust_mem(ts->cred, &ca,
							  GNUTLS_X509_FMT_PEM);
		where = "client_ca_file";
		r = r > 0 ? 0 : r ? r : GNUTLS_E_NO_CERTIFICATE_FOUND;
	} else if (!r && wc->client_auth >= CLIENT_AUTH_VERIFY_IF_GIVEN) {
		/* Go verifies against the system's roots without ClientCAs. */
		r = gnutls_certificate_set_x509_system_trust(ts->cred);
		where = "the system's trusted CAs";
		r = r >= 0 ? 0 : r;
	}
	if (!r) {
		base_priority(wc, base, sizeof(base));
		r = gnutls_priority_init(&ts->prio, base, NULL);
		where = "min_version, max_version and curve_preferences";
	}
	if (r < 0) {
		tdxhp_err("cannot start TLS (%s): %s", where,
			  gnutls_strerror(r));
		tls_server_free(ts);
		return NULL;
	}
	if (suite_priorities(ts, base)) {
		tls_server_free(ts);
		return NULL;
	}
	return ts;
}

void tls_server_free(struct tls_server *ts)
{
	if (!ts)
		return;
	for (unsigned int i = 0; i < WEB_MAX_SUITES; i++)
		if (ts->suite_ok[i])
			gnutls_priority_deinit(ts->suite_prio[i]);
	if (ts->prio)
		gnutls_priority_deinit(ts->prio);
	if (ts->cred)
		gnutls_certificate_free_credentials(ts->cred);
	free(ts);
}

/* ClientHello: version, random, session id, then the suites. */
static int hello_hook(gnutls_session_t s, unsigned int htype, unsigned when,
		      unsigned int incoming, const gnutls_datum_t *msg)
{
	struct tls_conn *tc = gnutls_session_get_ptr(s);
	const struct web_config *wc = tc->ts->wc;
	const unsigned char *p = msg->data;
	size_t len = msg->size, pos = 34, n;

	tc->nr = 0;
	if (!incoming || len < pos + 1)
		return 0;
	pos += 1 + p[pos];
	if (len < pos + 2)
		return 0;
	n = (size_t)p[pos] << 8 | p[pos + 1];
	pos += 2;
	for (size_t i = 0; i + 1 < n && pos + i + 1 < len; i += 2) {
		uint16_t id = (uint16_t)(p[pos + i] << 8 | p[pos + i + 1]);

		for (unsigned int k = 0; k < wc->nr_suites; k++)
			if (tc->ts->suite_ok[k] &&
			    tls_suites[wc->suites[k]].id == id &&
			    tc->nr < WEB_MAX_SUITES)
				tc->offered[tc->nr++] = (uint8_t)k;
	}
	return 0;
}

/* The version is known: below TLS 1.3, allow exactly the suite Go picks. */
static int pick_suite(gnutls_session_t s)
{
	struct tls_conn *tc = gnutls_session_get_ptr(s);
	const struct tls_server *ts = tc->ts;
	int pick = -1;

	if (!ts->wc->nr_suites ||
	    gnutls_protocol_get_version(s) == GNUTLS_TLS1_3)
		return 0;
	if (ts->wc->prefer_server_suites) {
		/* The first listed suite the client offers. */
		for (unsigned int k = 0; k < ts->wc->nr_suites && pick < 0; k++)
			for (unsigned int i = 0; i < tc->nr; i++)
				if (tc->offered[i] == k)
					pick = (int)k;
	} else if (tc->nr) {
		pick = tc->offered[0];
	}
	if (pick < 0)
		return GNUTLS_E_NO_CIPHER_SUITES;
	return gnutls_priority_set(s, ts->suite_prio[pick]);
}

gnutls_session_t tls_session_new(struct tls_server *ts, int fd)
{
	enum client_auth policy = ts->wc->client_auth;
	unsigned int req = GNUTLS_CERT_IGNORE;
	gnutls_session_t s;
	struct tls_conn *tc;

	if (gnutls_init(&s, GNUTLS_SERVER | GNUTLS_NONBLOCK | GNUTLS_NO_SIGNAL))
		return NULL;
	tc = calloc(1, sizeof(*tc));
	if (!tc) {
		gnutls_deinit(s);
		return NULL;
	}
	tc->ts = ts;
	gnutls_session_set_ptr(s, tc);
	if (gnutls_priority_set(s, ts->prio) ||
	    gnutls_credentials_set(s, GNUTLS_CRD_CERTIFICATE, ts->cred)) {
		tls_session_free(s);
		return NULL;
	}
	if (ts->wc->nr_suites) {
		gnutls_handshake_set_hook_function(
			s, GNUTLS_HANDSHAKE_CLIENT_HELLO, GNUTLS_HOOK_PRE,
			hello_hook);
		gnutls_handshake_set_post_client_hello_function(s, pick_suite);
	}
	if (policy == CLIENT_AUTH_REQUEST ||
	    policy == CLIENT_AUTH_VERIFY_IF_GIVEN)
		req = GNUTLS_CERT_REQUEST;
	else if (policy >= CLIENT_AUTH_REQUIRE_ANY)
		req = GNUTLS_CERT_REQUIRE;
	gnutls_certificate_server_set_request(s, req);
	gnutls_transport_set_int(s, fd);
	return s;
}

void tls_session_free(gnutls_session_t s)
{
	if (!s)
		return;
	free(gnutls_session_get_ptr(s));
	gnutls_deinit(s);
}

/* A SAN as Go's x509 prints it: DNS, e-mail and URI as they are, IPs. */
static bool san_allowed(const struct web_config *wc, unsigned int type,
			const char *raw, size_t len)
{
	char text[256];

	if (type == GNUTLS_SAN_IPADDRESS) {
		if (len != 4 && len != 16)
			return false;
		if (!inet_ntop(len == 4 ? AF_INET : AF_INET6, raw, text,
			       sizeof(text)))
			return false;
	} else if (type == GNUTLS_SAN_DNSNAME ||
		   type == GNUTLS_SAN_RFC822NAME || type == GNUTLS_SAN_URI) {
		if (len >= sizeof(text))
			return false;
		memcpy(text, raw, len);
		text[len] = '\0';
	} else {
		return false;
	}
	for (unsigned int i = 0; i < wc->nr_sans; i++)
		if (!strcmp(wc->sans[i], text))
			return true;
	return false;
}

/* client_allowed_sans: the leaf certificate has one of them. */
static bool sans_ok(const struct web_config *wc, const gnutls_datum_t *leaf)
{
	gnutls_x509_crt_t crt;
	bool ok = false;

	if (gnutls_x509_crt_init(&crt))
		return false;
	if (gnutls_x509_crt_import(crt, leaf, GNUTLS_X509_FMT_DER))
		goto out;
	for (unsigned int seq = 0; !ok; seq++) {
		char raw[256];
		size_t len = sizeof(raw);
		int type = gnutls_x509_crt_get_subject_alt_name(crt, seq, raw,
								&len, NULL);

		if (type == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
			break;
		if (type >= 0)
			ok = san_allowed(wc, (unsigned int)type, raw, len);
	}
out:
	gnutls_x509_crt_deinit(crt);
	return ok;
}

bool tls_client_ok(const struct tls_server *ts, gnutls_session_t s)
{
	const struct web_config *wc = ts->wc;
	const gnutls_datum_t *certs;
	unsigned int n = 0, status = 0;
	bool present, verified;

	if (wc->client_auth == CLIENT_AUTH_NONE)
		return true;
	certs = gnutls_certificate_get_peers(s, &n);
	present = certs && n > 0;
	if (wc->nr_sans && (!present || !sans_ok(wc, &certs[0])))
		return false;
	switch (wc->client_auth) {
	case CLIENT_AUTH_REQUEST:
		return true;
	case CLIENT_AUTH_REQUIRE_ANY:
		return present;
	default:
		break;
	}
	verified = present && !gnutls_certificate_verify_peers2(s, &status) &&
		   !status;
	if (wc->client_auth == CLIENT_AUTH_VERIFY_IF_GIVEN)
		return !present || verified;
	return verified;
}
