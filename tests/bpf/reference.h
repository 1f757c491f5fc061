/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Reference aggregator: the semantics of docs/events.md in plain C, fed
 * the same events as the BPF programs.  Tests require the BPF maps and
 * this to agree exactly.  Storm windows are taken as unbounded, so tests
 * using it set a storm window longer than the run.
 */
#ifndef TDXHP_TEST_REFERENCE_H
#define TDXHP_TEST_REFERENCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tdxhp/abi.h"

struct ref_td {
	uint64_t kvm;
	bool alive;
	bool exact;
	int pid, hkid;
	struct tdxhp_td_stats st;
};

struct ref_storm {
	uint64_t kvm, gfn;
	uint32_t hits;
};

struct ref {
	struct ref_td *tds;
	unsigned int nr_tds, cap_tds;
	struct ref_storm *storms;
	unsigned int nr_storms, cap_storms;
	uint32_t storm_hits;
	struct tdxhp_td_stats retired;
	uint64_t events[TDXHP_NR_EVENTS];
	uint64_t seamcall_busy[TDXHP_MAX_SEAMCALL];
};

void ref_init(struct ref *r, uint32_t storm_hits);
void ref_free(struct ref *r);

/* struct sim_sink callback */
int ref_emit(void *arg, int type, const void *ctx, size_t size,
	     unsigned int cpu);

/* The live TD with this handle, or NULL. */
const struct ref_td *ref_find(const struct ref *r, uint64_t kvm);

#endif /* TDXHP_TEST_REFERENCE_H */
