/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The simulator's state, for sim.c and for tests that look inside it
 * (tests/lib/sim_inspect.c); the tools use sim.h only.
 */
#ifndef TDXHP_SIM_INT_H
#define TDXHP_SIM_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "sim.h"
#include "sim/feed.h"
#include "sim/scenario.h"

struct tdxhp_sim {
	struct tdxhp *t;
	const struct tdxhp_scenario *sc;
	struct sim_model *model;
	struct sim_feeder feeder;
	struct sim_sink sink;
	const struct sim_sink *tee;
	double speed;
	uint64_t seed;
	char label[96];
	pthread_mutex_t lock; /* the model, between ticks and tests */
	/*
	 * Names by handle, under their own lock: a tick of a thousand TDs
	 * takes long, and a tool naming a TD must not wait for it.
	 */
	pthread_mutex_t names_lock;
	struct sim_name {
		uint64_t handle;
		char name[32];
	} * names;
	unsigned int nr_names, cap_names;
	FILE *names_out; /* feeder of a pinned instance: names for all */
	bool passive; /* reads a pinned simulation another feeds */
	pthread_t thread;
	bool running;
	volatile bool stop;
};

#endif /* TDXHP_SIM_INT_H */
