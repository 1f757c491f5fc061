/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * --simulate: a seeded, deterministic workload model that drives the real,
 * loaded BPF programs.  Everything a tool shows from it is simulated and
 * the tool must say so.
 */
#ifndef TDXHP_SIM_H
#define TDXHP_SIM_H

#include <stdbool.h>
#include <stdint.h>

#include "loader.h"
#include "sim/model.h"

#define TDXHP_SIM_DEFAULT_SCENARIO "steady"
#define TDXHP_SIM_DEFAULT_SEED 1

struct tdxhp_sim_opts {
	const char *scenario;
	uint64_t seed;
	unsigned int nr_tds;	/* 0: the scenario's */
	double speed;		/* simulated seconds per second when paced */
	bool feed;		/* tdxhp-load --feed: drive a pinned instance */
};

/* Names of a pinned simulation's TDs, written by its one feeder. */
#define TDXHP_SIM_NAMES_FMT "/run/tdxhp/sim-names-%016llx"

struct tdxhp_sim;

/* Parse the value of --simulate[=SCENARIO]; prints an error if unknown. */
int tdxhp_sim_parse(const char *arg, struct tdxhp_sim_opts *o);

/* Print the scenarios, one per line, for --help. */
void tdxhp_sim_list(FILE *f);

/*
 * A simulator over t.  On a pinned simulated instance (tdxhp-load
 * --simulate) it is passive unless o->feed: the one feeder (tdxhp-load
 * --feed) drives the shared programs, and every tool reads what it fed.
 */
struct tdxhp_sim *tdxhp_sim_new(struct tdxhp *t, const struct tdxhp_sim_opts *o);
void tdxhp_sim_free(struct tdxhp_sim *s);

/* Run ticks now, on this thread; returns events that failed to feed. */
uint64_t tdxhp_sim_run_ticks(struct tdxhp_sim *s, uint64_t ticks);
/* The scenario's batch length. */
uint64_t tdxhp_sim_batch_ticks(const struct tdxhp_sim *s);

/* Run in the background, paced to real time times speed. */
int tdxhp_sim_start(struct tdxhp_sim *s);
void tdxhp_sim_stop(struct tdxhp_sim *s);

/* "scenario steady, seed 1" */
const char *tdxhp_sim_label(const struct tdxhp_sim *s);
const char *tdxhp_sim_scenario(const struct tdxhp_sim *s);
uint64_t tdxhp_sim_fed(const struct tdxhp_sim *s);
uint64_t tdxhp_sim_failed(const struct tdxhp_sim *s);

#endif /* TDXHP_SIM_H */
