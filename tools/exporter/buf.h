/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A growable text buffer for rendering a scrape: one allocation that only
 * grows, appends without printf on the hot path.  On allocation failure
 * the buffer is marked failed and further appends are dropped.
 */
#ifndef TDXHP_EXPORTER_BUF_H
#define TDXHP_EXPORTER_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct buf {
	char *data;
	size_t len;
	size_t cap;
	bool failed;
};

int buf_init(struct buf *b, size_t cap);
void buf_free(struct buf *b);
/* Hand the data over to the caller (who frees it); the buffer is empty. */
char *buf_steal(struct buf *b, size_t *len);

bool buf_reserve(struct buf *b, size_t more);

static inline void buf_mem(struct buf *b, const char *s, size_t n)
{
	if (!buf_reserve(b, n))
		return;
	memcpy(b->data + b->len, s, n);
	b->len += n;
}

static inline void buf_str(struct buf *b, const char *s)
{
	buf_mem(b, s, strlen(s));
}

static inline void buf_char(struct buf *b, char c)
{
	if (!buf_reserve(b, 1))
		return;
	b->data[b->len++] = c;
}

void buf_u64(struct buf *b, uint64_t v);
void buf_i64(struct buf *b, int64_t v);
/* Nanoseconds as exact decimal seconds: 1500 -> "0.0000015". */
void buf_ns_seconds(struct buf *b, uint64_t ns);
/* A float in the shortest form that reads back the same ("%.17g" at most). */
void buf_double(struct buf *b, double v);

#endif /* TDXHP_EXPORTER_BUF_H */
