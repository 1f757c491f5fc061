/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Reads the maps and renders a body at most once per min-interval.  Scrapes
 * in between (or while another scrape is collecting) share the last body,
 * so many Prometheus servers cost no more than one.
 */
#ifndef TDXHP_EXPORTER_COLLECTOR_H
#define TDXHP_EXPORTER_COLLECTOR_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "expo.h"
#include "loader.h"
#include "snapshot.h"

/* One exposition format of a body: plain, gzipped, or both. */
struct body_form {
	bool made; /* rendered in this collection */
	char *plain; /* NULL when only gzip was asked for */
	size_t plain_len;
	uint64_t served; /* atomic: requests for this format */
	uint64_t plain_served; /* atomic: ... without gzip */
	pthread_mutex_t gz_lock;
	char *gz; /* made on the first gzip request */
	size_t gz_len;
	bool gz_failed;
};

/*
 * One collection, rendered in the formats asked for in the previous
 * interval (text, protobuf, or both), shared by every request it serves.
 */
struct body {
	int refs; /* atomic */
	struct body_form form[EXPO_NR_FORMATS];
	struct collector *c;
};

struct collector_opts {
	uint64_t min_interval_ns;
	uint64_t storm_active_ns;
	const char *scenario; /* NULL: live */
	uint64_t seed;
	/* BPF_ENABLE_STATS is held: the sysctl file does not show it. */
	bool bpf_stats_held;
};

struct collector;

struct collector *collector_new(struct tdxhp *t,
				const struct collector_opts *o);
void collector_free(struct collector *c);

/*
 * The current body with format fmt, collecting first if it is too old or
 * lacks that format; NULL on failure.
 */
struct body *collector_get(struct collector *c, enum expo_format fmt);
void body_put(struct body *b);

/* The gzip form of b's format fmt, made once; false if it cannot be made. */
bool body_gzip(struct body *b, enum expo_format fmt, const char **data,
	       size_t *len);

void collector_count_request(struct collector *c, enum expo_format fmt);

#endif /* TDXHP_EXPORTER_COLLECTOR_H */
