/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* gzip a rendered body for clients that send Accept-Encoding: gzip. */
#ifndef TDXHP_EXPORTER_GZIP_H
#define TDXHP_EXPORTER_GZIP_H

#include <stdbool.h>
#include <stddef.h>

/* Compress in into a new buffer (*out, caller frees); 0 or -1. */
int gzip_compress(const char *in, size_t len, char **out, size_t *out_len);

/* Inflate a gzip stream of known plain size into a new buffer; 0 or -1. */
int gzip_decompress(const char *in, size_t len, size_t plain_len, char **out);

/* True if an Accept-Encoding header value accepts gzip. */
bool gzip_accepted(const char *accept_encoding);

#endif /* TDXHP_EXPORTER_GZIP_H */
