/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The workload model's state, for model.c and for tests that look inside
 * it (tests/lib/sim_inspect.c); the tools use model.h only.
 */
#ifndef TDXHP_SIM_MODEL_INT_H
#define TDXHP_SIM_MODEL_INT_H

#include <stdint.h>

#include "model.h"
#include "rng.h"

enum region_state { R_UNMAPPED, R_HUGE, R_SPLIT };

struct sim_td {
	struct sim_td_info info;
	unsigned int id;
	unsigned int nr_regions;
	uint8_t *state; /* enum region_state per 2M region */
	uint16_t *mapped_4k; /* 4K leaves mapped in a R_SPLIT region */
	unsigned int build_left;
	unsigned int build_next;
	unsigned int fault_cursor;
	uint64_t death_tick; /* 0: lives on */
	unsigned int nr_vcpus;
};

struct sim_model {
	const struct tdxhp_scenario *sc;
	unsigned int hkids; /* KeyIDs: the scenario's, or enough for --sim-tds */
	struct sim_rng rng;
	unsigned int nr_cpus;
	uint64_t tick;
	unsigned int next_id;
	struct sim_td *tds;
	unsigned int nr_tds, cap_tds;
	uint8_t *hkid_used; /* 1..sc->hkids */
	unsigned int nr_initial; /* TDs created on the first tick */
	const struct sim_sink *sink;
	long emitted;
};

#endif /* TDXHP_SIM_MODEL_INT_H */
