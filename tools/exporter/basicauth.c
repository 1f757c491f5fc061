// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <string.h>
#include <strings.h>

#include "basicauth.h"

static int b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Strict base64: length a multiple of 4, '=' only as the last padding. */
static long b64_decode(const char *in, size_t len, unsigned char *out,
		       size_t cap)
{
	size_t n = 0;

	if (!len || len % 4)
		return -1;
	for (size_t i = 0; i < len; i += 4) {
		int v[4];
		int pad = 0;

		for (int j = 0; j < 4; j++) {
			unsigned char c = (unsigned char)in[i + j];

			if (c == '=' && i + 4 == len && j >= 2 &&
			    (j == 3 || in[i + 3] == '=')) {
				v[j] = 0;
				pad++;
				continue;
			}
			v[j] = b64_value(c);
			if (v[j] < 0 || pad)
				return -1;
		}
		if (n + 3 - (size_t)pad > cap)
			return -1;
		out[n++] = (unsigned char)(v[0] << 2 | v[1] >> 4);
		if (pad < 2)
			out[n++] =
				(unsigned char)((v[1] & 15) << 4 | v[2] >> 2);
		if (pad < 1)
			out[n++] = (unsigned char)((v[2] & 3) << 6 | v[3]);
	}
	return (long)n;
}

int basic_auth_parse(const char *value, size_t len,
		     struct basic_credentials *out)
{
	unsigned char raw[2 * BASIC_AUTH_MAX + 1];
	const unsigned char *colon;
	size_t i = 6, ulen;
	long n;

	memset(out, 0, sizeof(*out));
	if (len < 6 || strncasecmp(value, "Basic ", 6))
		return -1;
	while (i < len && value[i] == ' ')
		i++;
	n = b64_decode(value + i, len - i, raw, sizeof(raw));
	if (n < 0)
		goto bad;
	for (long j = 0; j < n; j++)
		if (raw[j] < ' ' || raw[j] == 0x7f)
			goto bad;
	colon = memchr(raw, ':', (size_t)n);
	if (!colon)
		goto bad;
	ulen = (size_t)(colon - raw);
	if (ulen > BASIC_AUTH_MAX || (size_t)n - ulen - 1 > BASIC_AUTH_MAX)
		goto bad;
	memcpy(out->user, raw, ulen);
	memcpy(out->password, colon + 1, (size_t)n - ulen - 1);
	explicit_bzero(raw, sizeof(raw));
	return 0;
bad:
	explicit_bzero(raw, sizeof(raw));
	memset(out, 0, sizeof(*out));
	return -1;
}
