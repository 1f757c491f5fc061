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

#include "loader.h"
#include "snapshot.h"

/* One rendered exposition, shared by every request that serves it. */
struct body {
	int refs;		/* atomic */
	char *plain;		/* NULL when only gzip was asked for */
	size_t plain_len;
	uint64_t plain_served;	/* atomic: requests without gzip */
	pthread_mutex_t gz_lock;
	char *gz;		/* made on the first gzip request */
	size_t gz_len;
	bool gz_failed;
	struct collector *c;
};

struct collector_opts {
	uint64_t min_interval_ns;
	uint64_t storm_active_ns;
	const char *scenario;	/* NULL: live */
	uint64_t seed;
	/* BPF_ENABLE_STATS is held: the sysctl file does not show it. */
	bool bpf_stats_held;
};

struct collector;

struct collector *collector_new(struct tdxhp *t,
				const struct collector_opts *o);
void collector_free(struct collector *c);

/* The current body, collecting first if it is too old; NULL on failure. */
struct body *collector_get(struct collector *c);
void body_put(struct body *b);

/* The gzip form of b, made once; false if it cannot be made. */
bool body_gzip(struct body *b, const char **data, size_t *len);

void collector_count_request(struct collector *c);

#endif /* TDXHP_EXPORTER_COLLECTOR_H */
