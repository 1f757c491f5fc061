// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "buf.h"

int buf_init(struct buf *b, size_t cap)
{
	memset(b, 0, sizeof(*b));
	if (cap < 256)
		cap = 256;
	b->data = malloc(cap);
	if (!b->data) {
		b->failed = true;
		return -ENOMEM;
	}
	b->cap = cap;
	return 0;
}

void buf_free(struct buf *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}

char *buf_steal(struct buf *b, size_t *len)
{
	char *d = b->data;

	*len = b->len;
	memset(b, 0, sizeof(*b));
	return d;
}

bool buf_reserve(struct buf *b, size_t more)
{
	size_t cap;
	char *d;

	if (b->failed)
		return false;
	if (b->len + more <= b->cap)
		return true;
	cap = b->cap ? b->cap : 256;
	while (cap < b->len + more)
		cap *= 2;
	d = realloc(b->data, cap);
	if (!d) {
		b->failed = true;
		return false;
	}
	b->data = d;
	b->cap = cap;
	return true;
}

void buf_u64(struct buf *b, uint64_t v)
{
	char tmp[20];
	int n = 0;

	do {
		tmp[sizeof(tmp) - 1 - n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	buf_mem(b, tmp + sizeof(tmp) - n, (size_t)n);
}

void buf_i64(struct buf *b, int64_t v)
{
	if (v < 0) {
		buf_char(b, '-');
		buf_u64(b, (uint64_t)0 - (uint64_t)v);
		return;
	}
	buf_u64(b, (uint64_t)v);
}

void buf_ns_seconds(struct buf *b, uint64_t ns)
{
	uint64_t frac = ns % 1000000000ULL;
	char digits[9];
	int n = 9;

	buf_u64(b, ns / 1000000000ULL);
	if (!frac)
		return;
	for (int i = 8; i >= 0; i--) {
		digits[i] = (char)('0' + frac % 10);
		frac /= 10;
	}
	while (n > 0 && digits[n - 1] == '0')
		n--;
	buf_char(b, '.');
	buf_mem(b, digits, (size_t)n);
}

void buf_double(struct buf *b, double v)
{
	char tmp[32];
	int n;

	/* Most ratios print exactly at 15 digits; fall back to 17. */
	n = snprintf(tmp, sizeof(tmp), "%.15g", v);
	if (n > 0 && strtod(tmp, NULL) != v)
		n = snprintf(tmp, sizeof(tmp), "%.17g", v);
	if (n > 0)
		buf_mem(b, tmp, (size_t)n);
}
