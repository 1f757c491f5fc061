/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The names a node_exporter web config uses for TLS settings (Go's
 * crypto/tls constants, as the exporter toolkit accepts them) and what they
 * are in GnuTLS priority strings, and in OpenSSL for clients and tests.
 */
#ifndef TDXHP_EXPORTER_TLSNAMES_H
#define TDXHP_EXPORTER_TLSNAMES_H

#include <stdbool.h>
#include <stdint.h>

struct tls_suite {
	const char *go; /* TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 */
	uint16_t id; /* IANA number, as in a ClientHello */
	bool tls13; /* a TLS 1.3 suite: Go does not let it be chosen */
	const char *kx; /* GnuTLS: ECDHE-RSA */
	const char *cipher; /* GnuTLS: AES-128-GCM */
	const char *mac; /* GnuTLS: AEAD */
	const char *openssl; /* ECDHE-RSA-AES128-GCM-SHA256 */
};

struct tls_curve {
	const char *go; /* CurveP256 */
	const char *gnutls; /* GROUP-SECP256R1 */
};

enum tls_version {
	TLS_V10,
	TLS_V11,
	TLS_V12,
	TLS_V13,
	TLS_NR_VERSIONS,
};

extern const struct tls_suite tls_suites[];
extern const unsigned int tls_nr_suites;
extern const struct tls_curve tls_curves[];
extern const unsigned int tls_nr_curves;
/* "TLS10".."TLS13" and "VERS-TLS1.0".."VERS-TLS1.3" */
extern const char *const tls_version_go[TLS_NR_VERSIONS];
extern const char *const tls_version_gnutls[TLS_NR_VERSIONS];

/* Index into tls_suites / tls_curves / versions, or -1. */
int tls_suite_find(const char *go_name);
int tls_suite_by_id(uint16_t id);
int tls_curve_find(const char *go_name);
int tls_version_find(const char *go_name);

#endif /* TDXHP_EXPORTER_TLSNAMES_H */
