/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Protocol buffers, writing side only, onto a struct buf: what the
 * Prometheus protobuf exposition needs (varints, zigzag, doubles and
 * length-delimited fields, nested messages).  Nested messages are written
 * in place and their header inserted in front when they are closed, so
 * no size is computed twice.
 */
#ifndef TDXHP_EXPORTER_PROTOBUF_H
#define TDXHP_EXPORTER_PROTOBUF_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

enum pb_wire {
	PB_VARINT = 0,
	PB_FIXED64 = 1,
	PB_LEN = 2,
};

void pb_varint(struct buf *b, uint64_t v);

static inline uint64_t pb_zigzag(int64_t v)
{
	return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

static inline void pb_tag(struct buf *b, unsigned int field, enum pb_wire w)
{
	pb_varint(b, (uint64_t)field << 3 | w);
}

void pb_uint(struct buf *b, unsigned int field, uint64_t v);
void pb_sint(struct buf *b, unsigned int field, int64_t v);
void pb_double(struct buf *b, unsigned int field, double v);
void pb_bytes(struct buf *b, unsigned int field, const char *s, size_t n);
void pb_string(struct buf *b, unsigned int field, const char *s);

/*
 * A nested message: pb_open() returns where its body starts; write the
 * body, then pb_close() puts the field's tag and the body's length in front
 * of it.  field 0 writes the length alone (a length-delimited stream).
 */
static inline size_t pb_open(const struct buf *b)
{
	return b->len;
}

void pb_close(struct buf *b, size_t start, unsigned int field);

#endif /* TDXHP_EXPORTER_PROTOBUF_H */
