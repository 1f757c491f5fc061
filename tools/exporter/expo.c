// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Text: "# HELP", "# TYPE", then name{labels} value lines.
 * Protobuf: per family one MetricFamily {name=1, help=2, type=3,
 * metric=4...}, each preceded by its length as a varint (the "delimited"
 * encoding Prometheus asks for).  A Metric is {label=1..., gauge=2 |
 * counter=3 | histogram=7}; field numbers are those of client_model's
 * io/prometheus/client/metrics.proto.
 */
#include <stdio.h>
#include <string.h>

#include "escape.h"
#include "expo.h"
#include "hist.h"
#include "protobuf.h"
#include "util.h"

/* metrics.proto: MetricFamily, Metric, LabelPair, Histogram, ... */
enum {
	MF_NAME = 1,
	MF_HELP = 2,
	MF_TYPE = 3,
	MF_METRIC = 4,
	M_LABEL = 1,
	M_GAUGE = 2,
	M_COUNTER = 3,
	M_HISTOGRAM = 7,
	LP_NAME = 1,
	LP_VALUE = 2,
	VALUE = 1, /* Gauge.value, Counter.value */
	H_SAMPLE_COUNT = 1,
	H_SAMPLE_SUM = 2,
	H_BUCKET = 3,
	H_SCHEMA = 5,
	H_ZERO_THRESHOLD = 6,
	H_ZERO_COUNT = 7,
	H_POSITIVE_SPAN = 12,
	H_POSITIVE_DELTA = 13,
	B_CUMULATIVE_COUNT = 1,
	B_UPPER_BOUND = 2,
	SPAN_OFFSET = 1,
	SPAN_LENGTH = 2,
	TYPE_COUNTER = 0,
	TYPE_GAUGE = 1,
	TYPE_HISTOGRAM = 4,
};

/*
 * Native histograms, schema 0: bucket i holds (2^(i-1), 2^i] seconds,
 * upper bound included.  BPF slot k holds [2^k, 2^(k+1)) ns, lower bound
 * included, and 1 ns is 2^-29.897 s: no native bound falls on a slot bound
 * once the unit is seconds.  Slot k therefore goes whole into bucket
 * k - 29, (2^(k-30), 2^(k-29)] s = (0.931 x 2^k, 1.863 x 2^k] ns, the one
 * that holds 86% of it; the other choice, k - 28, would hold 14%.  Each
 * native bound is 0.931 x the slot's own upper bound, so a quantile read
 * from native buckets is about 7% lower than from the classic ones, within
 * one bucket.  The open last slot (2.1 s and up) goes into bucket 2,
 * (2 s, 4 s].  Nothing below 1 ns is recorded (0 means not measured), so
 * the zero bucket, [0, 2^-30] s, stays empty; its threshold is not 0 so
 * that Prometheus reads an empty histogram as native too.
 */
#define NATIVE_OFFSET (-29)
const double expo_native_zero_threshold = 0x1p-30;

int expo_native_index(int slot)
{
	return slot + NATIVE_OFFSET;
}

/* `le="0.000001024"` for slot 9, and so on: exact, computed once. */
static char le_text[TDXHP_HIST_SLOTS][32];

static void le_init(void)
{
	struct buf b;

	if (le_text[0][0])
		return;
	for (int s = 0; s < TDXHP_HIST_SLOTS - 1; s++) {
		if (buf_init(&b, 32))
			return;
		buf_ns_seconds(&b, tdxhp_hist_slot_hi_ns(s));
		buf_char(&b, '\0');
		if (!b.failed)
			snprintf(le_text[s], sizeof(le_text[s]), "%s", b.data);
		buf_free(&b);
	}
}

void expo_init(struct expo *e, struct buf *b, enum expo_format fmt)
{
	memset(e, 0, sizeof(*e));
	e->b = b;
	e->fmt = fmt;
	le_init();
}

static void pb_family_close(struct expo *e)
{
	if (e->open && e->fmt == EXPO_PROTOBUF)
		pb_close(e->b, e->family, 0);
	e->open = false;
}

void expo_family(struct expo *e, const char *name, enum expo_type type,
		 const char *help)
{
	static const char *const text_type[] = {
		[EXPO_COUNTER] = "counter",
		[EXPO_GAUGE] = "gauge",
		[EXPO_HISTOGRAM] = "histogram",
	};
	static const int pb_type[] = {
		[EXPO_COUNTER] = TYPE_COUNTER,
		[EXPO_GAUGE] = TYPE_GAUGE,
		[EXPO_HISTOGRAM] = TYPE_HISTOGRAM,
	};
	struct buf *b = e->b;

	pb_family_close(e);
	e->name = name;
	e->type = type;
	e->open = true;
	if (e->fmt == EXPO_PROTOBUF) {
		e->family = pb_open(b);
		pb_string(b, MF_NAME, name);
		pb_string(b, MF_HELP, help);
		pb_uint(b, MF_TYPE, (uint64_t)pb_type[type]);
		return;
	}
	buf_str(b, "# HELP ");
	buf_str(b, name);
	buf_char(b, ' ');
	buf_str(b, help);
	buf_str(b, "\n# TYPE ");
	buf_str(b, name);
	buf_char(b, ' ');
	buf_str(b, text_type[type]);
	buf_char(b, '\n');
}

void expo_finish(struct expo *e)
{
	pb_family_close(e);
}

/* The text escape (one rule for invalid UTF-8), undone for protobuf. */
static size_t label_value(const char *v, char *out, size_t outlen, bool raw)
{
	size_t n = tdxhp_prom_label_escape(v, out, outlen), j = 0;

	n = n < outlen ? n : strlen(out);
	if (!raw)
		return n;
	for (size_t i = 0; i < n; i++) {
		if (out[i] == '\\' && i + 1 < n) {
			i++;
			out[j++] = out[i] == 'n' ? '\n' : out[i];
		} else {
			out[j++] = out[i];
		}
	}
	return j;
}

void expo_label_append(struct buf *b, enum expo_format fmt, bool first,
		       const char *name, const char *value)
{
	char v[1024];
	size_t n = label_value(value, v, sizeof(v), fmt == EXPO_PROTOBUF);

	if (fmt == EXPO_PROTOBUF) {
		size_t lp = pb_open(b);

		pb_string(b, LP_NAME, name);
		pb_bytes(b, LP_VALUE, v, n);
		pb_close(b, lp, M_LABEL);
		return;
	}
	if (!first)
		buf_char(b, ',');
	buf_str(b, name);
	buf_str(b, "=\"");
	buf_mem(b, v, n);
	buf_char(b, '"');
}

/* Text: name[suffix]{labels,extra,le} and the space before the value. */
static void text_series(struct expo *e, const char *suffix,
			struct expo_labels l, const struct expo_label *extra,
			const char *le)
{
	struct buf *b = e->b;
	bool first = true;

	buf_str(b, e->name);
	if (suffix)
		buf_str(b, suffix);
	if (!l.len && !extra && !le) {
		buf_char(b, ' ');
		return;
	}
	buf_char(b, '{');
	if (l.len) {
		buf_mem(b, l.data, l.len);
		first = false;
	}
	/* Extra values are fixed words of ours: nothing to escape. */
	if (extra) {
		if (!first)
			buf_char(b, ',');
		buf_str(b, extra->name);
		buf_str(b, "=\"");
		buf_str(b, extra->value);
		buf_char(b, '"');
		first = false;
	}
	if (le) {
		if (!first)
			buf_char(b, ',');
		buf_str(b, "le=\"");
		buf_str(b, le);
		buf_char(b, '"');
	}
	buf_str(b, "} ");
}

/* Protobuf: open a Metric with its labels; returns where it starts. */
static size_t pb_metric(struct expo *e, struct expo_labels l,
			const struct expo_label *extra)
{
	size_t m = pb_open(e->b);

	buf_mem(e->b, l.data, l.len);
	if (extra)
		expo_label_append(e->b, EXPO_PROTOBUF, false, extra->name,
				  extra->value);
	return m;
}

static void pb_value(struct expo *e, struct expo_labels l,
		     const struct expo_label *extra, double v)
{
	size_t m = pb_metric(e, l, extra), val = pb_open(e->b);

	pb_double(e->b, VALUE, v);
	pb_close(e->b, val, e->type == EXPO_COUNTER ? M_COUNTER : M_GAUGE);
	pb_close(e->b, m, MF_METRIC);
}

void expo_u64(struct expo *e, struct expo_labels l,
	      const struct expo_label *extra, uint64_t v)
{
	if (e->fmt == EXPO_PROTOBUF) {
		pb_value(e, l, extra, (double)v);
		return;
	}
	text_series(e, NULL, l, extra, NULL);
	buf_u64(e->b, v);
	buf_char(e->b, '\n');
}

void expo_i64(struct expo *e, struct expo_labels l,
	      const struct expo_label *extra, int64_t v)
{
	if (e->fmt == EXPO_PROTOBUF) {
		pb_value(e, l, extra, (double)v);
		return;
	}
	text_series(e, NULL, l, extra, NULL);
	buf_i64(e->b, v);
	buf_char(e->b, '\n');
}

void expo_double(struct expo *e, struct expo_labels l,
		 const struct expo_label *extra, double v)
{
	if (e->fmt == EXPO_PROTOBUF) {
		pb_value(e, l, extra, v);
		return;
	}
	text_series(e, NULL, l, extra, NULL);
	buf_double(e->b, v);
	buf_char(e->b, '\n');
}

void expo_seconds(struct expo *e, struct expo_labels l,
		  const struct expo_label *extra, uint64_t ns)
{
	if (e->fmt == EXPO_PROTOBUF) {
		pb_value(e, l, extra, (double)ns / 1e9);
		return;
	}
	text_series(e, NULL, l, extra, NULL);
	buf_ns_seconds(e->b, ns);
	buf_char(e->b, '\n');
}

static void text_hist(struct expo *e, struct expo_labels l,
		      const struct expo_label *extra,
		      const struct tdxhp_hist *h, const struct expo_buckets *bk)
{
	struct buf *b = e->b;
	uint64_t cum = 0;
	int slot = 0;

	for (unsigned int i = 0; i < bk->nr; i++) {
		while (slot <= bk->le_slots[i])
			cum += h->slots[slot++];
		text_series(e, "_bucket", l, extra, le_text[bk->le_slots[i]]);
		buf_u64(b, cum);
		buf_char(b, '\n');
	}
	while (slot < TDXHP_HIST_SLOTS)
		cum += h->slots[slot++];
	text_series(e, "_bucket", l, extra, "+Inf");
	buf_u64(b, cum);
	buf_char(b, '\n');
	text_series(e, "_sum", l, extra, NULL);
	buf_ns_seconds(b, h->sum_ns);
	buf_char(b, '\n');
	text_series(e, "_count", l, extra, NULL);
	buf_u64(b, cum);
	buf_char(b, '\n');
}

/* One span from the first to the last non-empty slot, counts as deltas. */
static void pb_native(struct buf *b, const struct tdxhp_hist *h)
{
	int first = -1, last = -1;
	int64_t prev = 0;
	size_t span, deltas;

	for (int s = 0; s < TDXHP_HIST_SLOTS; s++)
		if (h->slots[s]) {
			if (first < 0)
				first = s;
			last = s;
		}
	pb_sint(b, H_SCHEMA, 0);
	pb_double(b, H_ZERO_THRESHOLD, expo_native_zero_threshold);
	pb_uint(b, H_ZERO_COUNT, 0);
	if (first < 0)
		return;
	span = pb_open(b);
	pb_sint(b, SPAN_OFFSET, expo_native_index(first));
	pb_uint(b, SPAN_LENGTH, (uint64_t)(last - first + 1));
	pb_close(b, span, H_POSITIVE_SPAN);
	deltas = pb_open(b); /* packed repeated sint64 */
	for (int s = first; s <= last; s++) {
		pb_varint(b, pb_zigzag((int64_t)h->slots[s] - prev));
		prev = (int64_t)h->slots[s];
	}
	pb_close(b, deltas, H_POSITIVE_DELTA);
}

static void pb_hist(struct expo *e, struct expo_labels l,
		    const struct expo_label *extra, const struct tdxhp_hist *h,
		    const struct expo_buckets *bk)
{
	struct buf *b = e->b;
	size_t m = pb_metric(e, l, extra), hist = pb_open(b);
	uint64_t cum = 0;
	int slot = 0;

	pb_uint(b, H_SAMPLE_COUNT, tdxhp_hist_count(h));
	pb_double(b, H_SAMPLE_SUM, (double)h->sum_ns / 1e9);
	/* Classic buckets too; +Inf is implied by the count. */
	for (unsigned int i = 0; i < bk->nr; i++) {
		size_t bucket;

		while (slot <= bk->le_slots[i])
			cum += h->slots[slot++];
		bucket = pb_open(b);
		pb_uint(b, B_CUMULATIVE_COUNT, cum);
		pb_double(b, B_UPPER_BOUND,
			  (double)tdxhp_hist_slot_hi_ns(bk->le_slots[i]) / 1e9);
		pb_close(b, bucket, H_BUCKET);
	}
	pb_native(b, h);
	pb_close(b, hist, M_HISTOGRAM);
	pb_close(b, m, MF_METRIC);
}

void expo_hist(struct expo *e, struct expo_labels l,
	       const struct expo_label *extra, const struct tdxhp_hist *h,
	       const struct expo_buckets *bk)
{
	if (e->fmt == EXPO_PROTOBUF)
		pb_hist(e, l, extra, h, bk);
	else
		text_hist(e, l, extra, h, bk);
}
