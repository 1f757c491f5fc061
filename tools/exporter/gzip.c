// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <zlib.h>

#include "buf.h"
#include "gzip.h"

#define GZIP_WINDOW (15 + 16) /* deflate window, with a gzip header */
#define GZIP_CHUNK (64 * 1024)

int gzip_compress(const char *in, size_t len, char **out, size_t *out_len)
{
	z_stream z = { 0 };
	struct buf b;
	int ret;

	/* Grow in chunks: a bound-sized buffer would double peak memory. */
	if (buf_init(&b, len / 8 + GZIP_CHUNK))
		return -1;
	/* Level 1: metrics compress ~10x even so, at a fraction of the CPU. */
	if (deflateInit2(&z, 1, Z_DEFLATED, GZIP_WINDOW, 8,
			 Z_DEFAULT_STRATEGY) != Z_OK) {
		buf_free(&b);
		return -1;
	}
	z.next_in = (Bytef *)in;
	z.avail_in = (uInt)len;
	do {
		if (!buf_reserve(&b, GZIP_CHUNK))
			break;
		z.next_out = (Bytef *)b.data + b.len;
		z.avail_out = GZIP_CHUNK;
		ret = deflate(&z, Z_FINISH);
		b.len += GZIP_CHUNK - z.avail_out;
	} while (ret == Z_OK || ret == Z_BUF_ERROR);
	deflateEnd(&z);
	if (b.failed || ret != Z_STREAM_END) {
		buf_free(&b);
		return -1;
	}
	*out = buf_steal(&b, out_len);
	return 0;
}

/* "gzip", "deflate, gzip;q=1.0", "*"; not "gzip;q=0". */
bool gzip_accepted(const char *ae)
{
	const char *p = ae;

	while (p && *p) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		const char *tok = p, *q;
		size_t tl;

		while (n && isspace((unsigned char)*tok)) {
			tok++;
			n--;
		}
		q = memchr(tok, ';', n);
		tl = q ? (size_t)(q - tok) : n;
		while (tl && isspace((unsigned char)tok[tl - 1]))
			tl--;
		if ((tl == 4 && !strncasecmp(tok, "gzip", 4)) ||
		    (tl == 1 && *tok == '*')) {
			/* q=0 means "not acceptable". */
			const char *qv = q ? strstr(q, "q=") : NULL;

			if (!qv || qv >= tok + n || strtod(qv + 2, NULL) > 0)
				return true;
		}
		p = end ? end + 1 : NULL;
	}
	return false;
}

int gzip_decompress(const char *in, size_t len, size_t plain_len, char **out)
{
	z_stream z = { 0 };
	char *buf = malloc(plain_len ? plain_len : 1);
	int ret;

	if (!buf)
		return -1;
	if (inflateInit2(&z, GZIP_WINDOW) != Z_OK) {
		free(buf);
		return -1;
	}
	z.next_in = (Bytef *)in;
	z.avail_in = (uInt)len;
	z.next_out = (Bytef *)buf;
	z.avail_out = (uInt)plain_len;
	ret = inflate(&z, Z_FINISH);
	inflateEnd(&z);
	if (ret != Z_STREAM_END || z.total_out != plain_len) {
		free(buf);
		return -1;
	}
	*out = buf;
	return 0;
}
