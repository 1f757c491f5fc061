// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <string.h>

#include "tlsnames.h"

/*
 * Go's tls.CipherSuites(), plus the four RSA key exchange suites it listed
 * there up to Go 1.21 (node_exporter builds of Debian 12 accept them).
 * Go's InsecureCipherSuites() (RC4, 3DES, CBC-SHA256) are refused, as the
 * toolkit refuses them.
 */
const struct tls_suite tls_suites[] = {
	{ "TLS_RSA_WITH_AES_128_CBC_SHA", 0x002f, false, "RSA", "AES-128-CBC",
	  "SHA1", "AES128-SHA" },
	{ "TLS_RSA_WITH_AES_256_CBC_SHA", 0x0035, false, "RSA", "AES-256-CBC",
	  "SHA1", "AES256-SHA" },
	{ "TLS_RSA_WITH_AES_128_GCM_SHA256", 0x009c, false, "RSA",
	  "AES-128-GCM", "AEAD", "AES128-GCM-SHA256" },
	{ "TLS_RSA_WITH_AES_256_GCM_SHA384", 0x009d, false, "RSA",
	  "AES-256-GCM", "AEAD", "AES256-GCM-SHA384" },
	{ "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", 0xc009, false, "ECDHE-ECDSA",
	  "AES-128-CBC", "SHA1", "ECDHE-ECDSA-AES128-SHA" },
	{ "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", 0xc00a, false, "ECDHE-ECDSA",
	  "AES-256-CBC", "SHA1", "ECDHE-ECDSA-AES256-SHA" },
	{ "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", 0xc013, false, "ECDHE-RSA",
	  "AES-128-CBC", "SHA1", "ECDHE-RSA-AES128-SHA" },
	{ "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", 0xc014, false, "ECDHE-RSA",
	  "AES-256-CBC", "SHA1", "ECDHE-RSA-AES256-SHA" },
	{ "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", 0xc02b, false,
	  "ECDHE-ECDSA", "AES-128-GCM", "AEAD",
	  "ECDHE-ECDSA-AES128-GCM-SHA256" },
	{ "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", 0xc02c, false,
	  "ECDHE-ECDSA", "AES-256-GCM", "AEAD",
	  "ECDHE-ECDSA-AES256-GCM-SHA384" },
	{ "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", 0xc02f, false, "ECDHE-RSA",
	  "AES-128-GCM", "AEAD", "ECDHE-RSA-AES128-GCM-SHA256" },
	{ "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", 0xc030, false, "ECDHE-RSA",
	  "AES-256-GCM", "AEAD", "ECDHE-RSA-AES256-GCM-SHA384" },
	{ "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", 0xcca8, false,
	  "ECDHE-RSA", "CHACHA20-POLY1305", "AEAD",
	  "ECDHE-RSA-CHACHA20-POLY1305" },
	{ "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", 0xcca9, false,
	  "ECDHE-ECDSA", "CHACHA20-POLY1305", "AEAD",
	  "ECDHE-ECDSA-CHACHA20-POLY1305" },
	{ "TLS_AES_128_GCM_SHA256", 0x1301, true, NULL, NULL, NULL,
	  "TLS_AES_128_GCM_SHA256" },
	{ "TLS_AES_256_GCM_SHA384", 0x1302, true, NULL, NULL, NULL,
	  "TLS_AES_256_GCM_SHA384" },
	{ "TLS_CHACHA20_POLY1305_SHA256", 0x1303, true, NULL, NULL, NULL,
	  "TLS_CHACHA20_POLY1305_SHA256" },
};
const unsigned int tls_nr_suites = sizeof(tls_suites) / sizeof(tls_suites[0]);

/* The exporter toolkit's curve names. */
const struct tls_curve tls_curves[] = {
	{ "CurveP256", "GROUP-SECP256R1" },
	{ "CurveP384", "GROUP-SECP384R1" },
	{ "CurveP521", "GROUP-SECP521R1" },
	{ "X25519", "GROUP-X25519" },
};
const unsigned int tls_nr_curves = sizeof(tls_curves) / sizeof(tls_curves[0]);

const char *const tls_version_go[TLS_NR_VERSIONS] = { "TLS10", "TLS11", "TLS12",
						      "TLS13" };
const char *const tls_version_gnutls[TLS_NR_VERSIONS] = {
	"VERS-TLS1.0", "VERS-TLS1.1", "VERS-TLS1.2", "VERS-TLS1.3"
};

int tls_suite_find(const char *go_name)
{
	for (unsigned int i = 0; i < tls_nr_suites; i++)
		if (!strcmp(tls_suites[i].go, go_name))
			return (int)i;
	return -1;
}

int tls_suite_by_id(uint16_t id)
{
	for (unsigned int i = 0; i < tls_nr_suites; i++)
		if (tls_suites[i].id == id)
			return (int)i;
	return -1;
}

int tls_curve_find(const char *go_name)
{
	for (unsigned int i = 0; i < tls_nr_curves; i++)
		if (!strcmp(tls_curves[i].go, go_name))
			return (int)i;
	return -1;
}

int tls_version_find(const char *go_name)
{
	for (int i = 0; i < TLS_NR_VERSIONS; i++)
		if (!strcmp(tls_version_go[i], go_name))
			return i;
	return -1;
}
