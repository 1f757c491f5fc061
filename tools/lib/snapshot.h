/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* A consistent read of every live TD, the retired totals and host counters. */
#ifndef TDXHP_SNAPSHOT_H
#define TDXHP_SNAPSHOT_H

#include <stdint.h>

#include "identity.h"
#include "loader.h"
#include "names_cache.h"

struct tdxhp_td {
	uint32_t slot;
	uint32_t gen;
	struct tdxhp_td_meta meta;	/* meta.kvm is cleared: never shown */
	struct tdxhp_td_stats stats;	/* summed over CPUs */
	char name[TDXHP_NAME_LEN];
	struct tdxhp_identity id;	/* libvirt UUID, machine, cgroup */
};

struct tdxhp_snapshot {
	uint64_t ts_ns;			/* CLOCK_MONOTONIC of the read */
	unsigned int nr_tds;
	unsigned int cap;
	struct tdxhp_td *tds;		/* ordered by slot */
	struct tdxhp_td_stats retired;	/* TDs torn down since load */
	struct tdxhp_host_stats host;
	uint64_t torn_reads;		/* TDs that changed while read */
};

int tdxhp_snapshot_init(struct tdxhp_snapshot *s, const struct tdxhp *t);
void tdxhp_snapshot_free(struct tdxhp_snapshot *s);

/* Read everything now; returns 0 or a negative errno (message printed). */
int tdxhp_snapshot_read(struct tdxhp *t, struct tdxhp_snapshot *s);

/* The same TD in another snapshot (same slot and generation), or NULL. */
const struct tdxhp_td *tdxhp_snapshot_find(const struct tdxhp_snapshot *s,
					   uint32_t slot, uint32_t gen);

/*
 * The name of the TD in slot with generation gen (records name TDs so),
 * cached like the snapshot's names.
 */
void tdxhp_td_name(struct tdxhp *t, uint32_t slot, uint32_t gen, int32_t pid,
		   char *out, size_t len);

/* The identity of that TD ("" where unknown), cached like its name. */
void tdxhp_td_identity(struct tdxhp *t, uint32_t slot, uint32_t gen,
		       int32_t pid, struct tdxhp_identity *id);

/* Host-wide stats: retired TDs plus every live one (gauges: live only). */
void tdxhp_snapshot_host_total(const struct tdxhp_snapshot *s,
			       struct tdxhp_td_stats *out);

#endif /* TDXHP_SNAPSHOT_H */
