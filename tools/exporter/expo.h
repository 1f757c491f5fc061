/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * One writer, two expositions: the Prometheus text format 0.0.4 and the
 * protobuf format (delimited io.prometheus.client.MetricFamily messages)
 * with native histograms.  metrics.c declares every family once and
 * writes it through here, whatever the scrape asked for.
 */
#ifndef TDXHP_EXPORTER_EXPO_H
#define TDXHP_EXPORTER_EXPO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "stats.h"

enum expo_format {
	EXPO_TEXT,
	EXPO_PROTOBUF,
	EXPO_NR_FORMATS,
};

enum expo_type {
	EXPO_COUNTER,
	EXPO_GAUGE,
	EXPO_HISTOGRAM,
};

/* One label, name and raw (unescaped) value. */
struct expo_label {
	const char *name;
	const char *value;
};

/* A label set already rendered in the writer's format, shared by series. */
struct expo_labels {
	const char *data;
	size_t len;
};

#define EXPO_NO_LABELS ((struct expo_labels){ NULL, 0 })

struct expo {
	struct buf *b;
	enum expo_format fmt;
	const char *name; /* the open family */
	enum expo_type type;
	size_t family; /* protobuf: where the open family starts */
	bool open;
};

/* Which log2 slots end a classic bucket (le = 2^(slot+1) ns). */
struct expo_buckets {
	const int *le_slots;
	unsigned int nr;
};

void expo_init(struct expo *e, struct buf *b, enum expo_format fmt);
void expo_family(struct expo *e, const char *name, enum expo_type type,
		 const char *help);
/* Close the last family; call once at the end. */
void expo_finish(struct expo *e);

/*
 * Append one label to a label set being rendered in b (first: nothing of
 * this set is in b yet).  Values are raw; invalid UTF-8 becomes U+FFFD in
 * both formats.
 */
void expo_label_append(struct buf *b, enum expo_format fmt, bool first,
		       const char *name, const char *value);

/* One sample of the open counter or gauge family; extra may be NULL. */
void expo_u64(struct expo *e, struct expo_labels l,
	      const struct expo_label *extra, uint64_t v);
void expo_i64(struct expo *e, struct expo_labels l,
	      const struct expo_label *extra, int64_t v);
void expo_double(struct expo *e, struct expo_labels l,
		 const struct expo_label *extra, double v);
/* Nanoseconds written as seconds (exact decimal in text). */
void expo_seconds(struct expo *e, struct expo_labels l,
		  const struct expo_label *extra, uint64_t ns);

/*
 * One histogram of the open histogram family: classic buckets at bk in
 * both formats, and in protobuf also the native schema 0 buckets (see
 * expo.c for how log2 ns slots map onto them).
 */
void expo_hist(struct expo *e, struct expo_labels l,
	       const struct expo_label *extra, const struct tdxhp_hist *h,
	       const struct expo_buckets *bk);

/*
 * The native bucket index (schema 0: bucket i holds (2^(i-1), 2^i] s) that
 * a log2 ns slot is exported in, and the zero bucket's threshold.
 */
int expo_native_index(int slot);
extern const double expo_native_zero_threshold;

#endif /* TDXHP_EXPORTER_EXPO_H */
