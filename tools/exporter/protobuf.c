// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <string.h>

#include "protobuf.h"

static size_t varint_put(unsigned char *p, uint64_t v)
{
	size_t n = 0;

	while (v >= 0x80) {
		p[n++] = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	p[n++] = (unsigned char)v;
	return n;
}

void pb_varint(struct buf *b, uint64_t v)
{
	unsigned char tmp[10];

	buf_mem(b, (const char *)tmp, varint_put(tmp, v));
}

void pb_uint(struct buf *b, unsigned int field, uint64_t v)
{
	pb_tag(b, field, PB_VARINT);
	pb_varint(b, v);
}

void pb_sint(struct buf *b, unsigned int field, int64_t v)
{
	pb_tag(b, field, PB_VARINT);
	pb_varint(b, pb_zigzag(v));
}

void pb_double(struct buf *b, unsigned int field, double v)
{
	unsigned char le[8];
	uint64_t bits;

	memcpy(&bits, &v, sizeof(bits));
	for (int i = 0; i < 8; i++)
		le[i] = (unsigned char)(bits >> (8 * i));
	pb_tag(b, field, PB_FIXED64);
	buf_mem(b, (const char *)le, sizeof(le));
}

void pb_bytes(struct buf *b, unsigned int field, const char *s, size_t n)
{
	pb_tag(b, field, PB_LEN);
	pb_varint(b, n);
	buf_mem(b, s, n);
}

void pb_string(struct buf *b, unsigned int field, const char *s)
{
	pb_bytes(b, field, s, strlen(s));
}

void pb_close(struct buf *b, size_t start, unsigned int field)
{
	unsigned char head[20];
	size_t len, n = 0;

	if (b->failed || start > b->len)
		return;
	len = b->len - start;
	if (field)
		n = varint_put(head, (uint64_t)field << 3 | PB_LEN);
	n += varint_put(head + n, len);
	if (!buf_reserve(b, n))
		return;
	memmove(b->data + start + n, b->data + start, len);
	memcpy(b->data + start, head, n);
	b->len += n;
}
