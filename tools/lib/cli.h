/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Options every tdxhp tool shares: --simulate and loader settings. */
#ifndef TDXHP_CLI_H
#define TDXHP_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#include "loader.h"
#include "sim/sim.h"

enum {
	TDXHP_OPT_SIMULATE = 0x1000,
	TDXHP_OPT_SEED,
	TDXHP_OPT_SIM_TDS,
	TDXHP_OPT_SIM_SPEED,
	TDXHP_OPT_SIM_TICKS,
	TDXHP_OPT_MAX_TDS,
	TDXHP_OPT_STORM_HITS,
	TDXHP_OPT_STORM_WINDOW,
	TDXHP_OPT_VERSION, /* --version is now 'V': kept for older callers */
	TDXHP_OPT_SOURCE,
	TDXHP_OPT_PRIVATE,
};

#define TDXHP_CLI_LONGOPTS                                                     \
	{ "simulate", optional_argument, NULL, TDXHP_OPT_SIMULATE },           \
	{ "seed", required_argument, NULL, TDXHP_OPT_SEED },                   \
	{ "sim-tds", required_argument, NULL, TDXHP_OPT_SIM_TDS },             \
	{ "sim-speed", required_argument, NULL, TDXHP_OPT_SIM_SPEED },         \
	{ "sim-ticks", required_argument, NULL, TDXHP_OPT_SIM_TICKS },         \
	{ "max-tds", required_argument, NULL, TDXHP_OPT_MAX_TDS },             \
	{ "storm-hits", required_argument, NULL, TDXHP_OPT_STORM_HITS },       \
	{ "storm-window", required_argument, NULL, TDXHP_OPT_STORM_WINDOW },   \
	{ "source", required_argument, NULL, TDXHP_OPT_SOURCE },               \
	{ "private", no_argument, NULL, TDXHP_OPT_PRIVATE },                   \
	{ "verbose", no_argument, NULL, 'v' },                                 \
	{ "version", no_argument, NULL, 'V' },                                 \
	{ "help", no_argument, NULL, 'h' }

struct tdxhp_cli {
	struct tdxhp_opts load;
	struct tdxhp_sim_opts sim;
	bool simulate;
	uint64_t sim_ticks;	/* run this many ticks up front, then freeze */
};

/* 1: handled, 0: not a shared option, -1: bad value (message printed). */
int tdxhp_cli_parse(int opt, const char *arg, struct tdxhp_cli *c);
void tdxhp_cli_usage(FILE *f);

/* After parsing: options that only make sense together; -1 on misuse. */
int tdxhp_cli_validate(const struct tdxhp_cli *c);

/* After the options and positional arguments: -1 if anything is left. */
int tdxhp_cli_no_more_args(int argc, char **argv);

/* getopt said '?': one line naming the bad option.  Set opterr = 0 first. */
void tdxhp_cli_bad_option(char **argv);

/*
 * Open the pinned instance (or load a private copy) and, with --simulate,
 * create the simulator (not yet running).  Returns 0, or a negative errno
 * after printing why.  With -v, prints the instance and each event's source.
 */
int tdxhp_cli_open(struct tdxhp_cli *c, struct tdxhp *t, struct tdxhp_sim **sim);

#endif /* TDXHP_CLI_H */
