/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Options every tdxhp tool shares: --simulate and loader settings. */
#ifndef TDXHP_CLI_H
#define TDXHP_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#include "filter.h"
#include "loader.h"
#include "opts.h"
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
	TDXHP_OPT_SOURCE,
	TDXHP_OPT_PRIVATE,
	TDXHP_OPT_USAGE,
	TDXHP_OPT_UUID,
	TDXHP_OPT_MACHINE,
};

/*
 * The shared option tables (docs/vocabulary.md has the letters).  A tool
 * lists the groups it takes in its tdxhp_opt_set, then its own first:
 *
 *	{ NULL, hist_opts }, TDXHP_CLI_FILTER_GROUP, TDXHP_CLI_SIM_GROUP,
 *	TDXHP_CLI_LOAD_GROUP, TDXHP_CLI_COMMON_GROUP, { 0 }
 */
extern const struct tdxhp_opt tdxhp_cli_filter_opts[];
extern const struct tdxhp_opt tdxhp_cli_sim_opts[];
extern const struct tdxhp_opt tdxhp_cli_load_opts[];
extern const struct tdxhp_opt tdxhp_cli_common_opts[];

#define TDXHP_CLI_FILTER_GROUP { "Selecting TDs", tdxhp_cli_filter_opts }
#define TDXHP_CLI_SIM_GROUP                                                    \
	{ "Simulation (no TDX host needed; every output says it is simulated)",  \
	  tdxhp_cli_sim_opts }
#define TDXHP_CLI_LOAD_GROUP { "Loading", tdxhp_cli_load_opts }
#define TDXHP_CLI_COMMON_GROUP { "General", tdxhp_cli_common_opts }

struct tdxhp_cli {
	struct tdxhp_opts load;
	struct tdxhp_sim_opts sim;
	bool simulate;
	uint64_t sim_ticks;	/* run this many ticks up front, then freeze */
	struct tdxhp_td_filter filter;	/* the filter group's options */
	/*
	 * The tool's option set: with it, the filter group, -h and --usage
	 * are handled here too, and only keys the set declares.
	 */
	const struct tdxhp_opt_set *opts;
	void (*help_epilogue)(FILE *f);	/* after --help's options */
};

/* 1: handled, 0: not a shared option, -1: bad value (message printed). */
int tdxhp_cli_parse(int opt, const char *arg, struct tdxhp_cli *c);

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
