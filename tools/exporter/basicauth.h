/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The Authorization: Basic header (RFC 7617), parsed without I/O. */
#ifndef TDXHP_EXPORTER_BASICAUTH_H
#define TDXHP_EXPORTER_BASICAUTH_H

#include <stddef.h>

/* Longest user and password accepted, in bytes (NUL not counted). */
#define BASIC_AUTH_MAX 255

struct basic_credentials {
	char user[BASIC_AUTH_MAX + 1];
	char password[BASIC_AUTH_MAX + 1];
};

/*
 * Decode "Basic BASE64(user:password)" (scheme case-insensitive, strict
 * base64 with padding).  Returns 0, or -1 if it is malformed, too long,
 * has no ':' or holds a NUL or control byte.  Clear *out after use.
 */
int basic_auth_parse(const char *value, size_t len,
		     struct basic_credentials *out);

#endif /* TDXHP_EXPORTER_BASICAUTH_H */
