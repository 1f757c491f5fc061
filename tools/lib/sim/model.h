/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Workload model of a TDX host: TDs with private memory in 2M regions that
 * are built with 4K adds, faulted in at 2M where the guest allows and 4K
 * elsewhere, split by conversions, hole punches and 4K accepts, and torn
 * down.  It emits the events a kernel with kernel-patches/ would, with
 * argument arrays laid out as include/tdxhp/abi.h says.
 */
#ifndef TDXHP_SIM_MODEL_H
#define TDXHP_SIM_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scenario.h"

/*
 * Receives every event: type, its struct tdxhp_ctx_<event>, and a CPU;
 * and, if set, each TD's name when the TD is created (before its events).
 */
struct sim_sink {
	int (*emit)(void *arg, int type, const void *ctx, size_t size,
		    unsigned int cpu);
	void (*named)(void *arg, uint64_t handle, const char *name);
	void *arg;
};

struct sim_model;

struct sim_model_opts {
	const struct tdxhp_scenario *scenario;
	uint64_t seed;
	unsigned int nr_cpus;	/* CPUs events are spread over */
	unsigned int nr_tds;	/* 0: the scenario's count */
};

struct sim_model *sim_model_new(const struct sim_model_opts *o);
void sim_model_free(struct sim_model *m);

/* Advance 10 ms of simulated time; returns the number of events emitted. */
long sim_model_tick(struct sim_model *m, const struct sim_sink *sink);

/* What the model knows about a TD (tests read it: tests/lib/sim_inspect.h). */
struct sim_td_info {
	uint64_t handle;
	char name[32];
	int pid;
	int hkid;
	bool alive;
	bool announced;			/* td_init was emitted */
	int64_t emitted_pages[3];	/* net mapped leaves by emitted events */
	int64_t actual_pages[3];	/* what is really mapped */
	unsigned int storm_gfns;	/* gfns it storms on, 0 if none */
	uint64_t storm_gfn[2];
};

#endif /* TDXHP_SIM_MODEL_H */
