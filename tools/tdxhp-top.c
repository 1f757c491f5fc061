// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * tdxhp-top: a live per-TD view of TDX private memory mappings, demotes,
 * splits and storms, in the spirit of kvm_stat and top, problems first.
 * This file is the options; tools/top/ does the rest.
 */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "opts.h"
#include "top/run.h"
#include "top/state.h"
#include "util.h"

enum {
	OPT_SPEED = 0x2000,
	OPT_STEP,
	OPT_CPU_STATS,
	OPT_MACHINE_COLUMN,
	OPT_OLD_DELAY,		/* --delay: now -d, --interval */
	OPT_OLD_ITERATIONS,	/* --iterations: now -n, --count */
};

static const struct tdxhp_opt top_opts[] = {
	{ 'd', "interval", "SECS", 0, "seconds between refreshes (default 1)" },
	{ 'n', "count", "N", 0, "stop after N refreshes" },
	{ 'b', "batch", NULL, 0, "plain text, one table per refresh (like top -b)" },
	{ 'j', "json", NULL, 0, "one JSON object per refresh" },
	{ 's', "sort", "COLUMN", 0,
	  "sort by this column (list below; default score:\n"
	  "the problem score, see 'Problem score' in tdxhp-top(8))" },
	{ 'R', "reverse", NULL, 0, "reverse the sort" },
	{ OPT_MACHINE_COLUMN, "machine-column", NULL, 0,
	  "show each TD's systemd machine name (key m)" },
	{ 'r', "read", "FILE", 0,
	  "replay a recording (tdxhp-trace -w) instead of\n"
	  "the live maps, at its recorded speed" },
	{ OPT_SPEED, "speed", "N", 0, "replay N times faster (0.01 to 10000)" },
	{ OPT_STEP, "step", NULL, 0,
	  "replay one interval per key (n); with -b all\n"
	  "intervals at once" },
	{ OPT_CPU_STATS, "cpu-stats", NULL, 0,
	  "print the CPU time of each refresh on exit" },
	/* Old spellings, for scripts written against earlier versions. */
	{ OPT_OLD_DELAY, "delay", "SECS", TDXHP_OPTF_HIDDEN, NULL },
	{ OPT_OLD_ITERATIONS, "iterations", "N", TDXHP_OPTF_HIDDEN, NULL },
	{ 'f', "filter", "REGEX", TDXHP_OPTF_HIDDEN, NULL },
	{ 0 },
};

static const struct tdxhp_opt_group top_groups[] = {
	{ NULL, top_opts },
	TDXHP_CLI_FILTER_GROUP,
	TDXHP_CLI_SIM_GROUP,
	TDXHP_CLI_LOAD_GROUP,
	TDXHP_CLI_COMMON_GROUP,
	{ 0 },
};

static struct tdxhp_opt_set top_set = {
	.synopsis = "[OPTIONS]",
	.about = "Live per-TD view of TDX private memory, problems first: storms,\n"
		 "errors, BUSY retries, ignored faults, 2M coverage, demotes, splits.",
	.groups = top_groups,
};

struct top_args {
	struct tdxhp_cli cli;
	struct top_config cfg;
	struct top_run_opts run;
};

static void help_epilogue(FILE *f)
{
	fprintf(f, "\nColumns (-s, any case):");
	for (int i = 0; i < NR_COLS; i++)
		fprintf(f, "%s %s", i % 9 ? "" : "\n ",
			top_cols[top_display[i]].title);
	fprintf(f, "\n\nScenarios:\n");
	tdxhp_sim_list(f);
	fprintf(f, "\nKeys: h in the live view.\n");
}

static int parse_interval(const char *arg, double *out)
{
	char *end;

	*out = strtod(arg, &end);
	if (*end || end == arg || !(*out >= 0.1 && *out <= 3600)) {
		tdxhp_err("--interval wants 0.1 to 3600 seconds, not '%s'", arg);
		return -1;
	}
	return 0;
}

static int parse_count(const char *arg, uint64_t *out)
{
	if (tdxhp_parse_u64(arg, 1, UINT32_MAX, out)) {
		tdxhp_err("--count wants a whole number from 1, not '%s'", arg);
		return -1;
	}
	return 0;
}

static int parse_sort(const char *name, enum top_col *out)
{
	int c = top_col_by_title(name);

	if (c < 0) {
		tdxhp_err("unknown sort column '%s' (see --help)", name);
		return -1;
	}
	*out = (enum top_col)c;
	return 0;
}

static int parse_speed(const char *arg, double *out)
{
	char *end;

	*out = strtod(arg, &end);
	if (*end || end == arg || !(*out >= 0.01 && *out <= 10000)) {
		tdxhp_err("--speed wants 0.01 to 10000, not '%s'", arg);
		return -1;
	}
	return 0;
}

/* The tool's own options: 0, or -1 after printing why. */
static int parse_own(int opt, const char *arg, struct top_args *a)
{
	switch (opt) {
	case 'd':
	case OPT_OLD_DELAY:
		return parse_interval(arg, &a->cfg.delay_s);
	case 'n':
	case OPT_OLD_ITERATIONS:
		return parse_count(arg, &a->run.count);
	case 'b':
		a->run.batch = true;
		return 0;
	case 'j':
		a->run.json = true;
		return 0;
	case 's':
		return parse_sort(arg, &a->cfg.sort);
	case 'R':
		a->cfg.reverse = true;
		return 0;
	case OPT_MACHINE_COLUMN:
		a->cfg.machine_col = true;
		return 0;
	case 'r':
		a->cfg.read_path = arg;
		return 0;
	case OPT_SPEED:
		return parse_speed(arg, &a->cfg.speed);
	case OPT_STEP:
		a->cfg.step = true;
		return 0;
	case OPT_CPU_STATS:
		a->run.cpu_stats = true;
		return 0;
	case 'f':
		a->cfg.filter_text = arg;
		return tdxhp_td_filter_name(&a->cli.filter, arg);
	}
	return 1;
}

static int parse_args(int argc, char **argv, struct top_args *a)
{
	int opt, r;

	a->cfg.cli = &a->cli;
	a->cfg.delay_s = 1;
	a->cfg.speed = 1;
	a->cfg.sort = COL_SCORE;
	a->cli.opts = &top_set;
	a->cli.help_epilogue = help_epilogue;
	tdxhp_opts_build(&top_set);
	while ((opt = tdxhp_opts_next(&top_set, argc, argv)) != -1) {
		r = tdxhp_cli_parse(opt, optarg, &a->cli);
		if (r < 0)
			return -1;
		if (r > 0) {
			if (opt == 'g')
				a->cfg.filter_text = optarg;
			continue;
		}
		r = parse_own(opt, optarg, a);
		if (r < 0)
			return -1;
		if (r > 0) {
			tdxhp_cli_bad_option(argv);
			return -1;
		}
	}
	if (tdxhp_cli_no_more_args(argc, argv))
		return -1;
	if (a->cfg.read_path && a->cli.simulate) {
		tdxhp_err("--read replays a recording: it takes no --simulate");
		return -1;
	}
	if (!a->cfg.read_path && (a->cfg.step || a->cfg.speed != 1)) {
		tdxhp_err("--speed and --step replay a recording: give it with -r FILE");
		return -1;
	}
	if (!a->run.batch && !a->run.json && !isatty(STDOUT_FILENO)) {
		tdxhp_err("standard output is not a terminal: use -b for text or -j for JSON");
		return -1;
	}
	return tdxhp_cli_validate(&a->cli);
}

int main(int argc, char **argv)
{
	struct top_args a = { 0 };
	struct top_state s;
	int err;

	tdxhp_prog_name = "tdxhp-top";
	/* Characters only (UTF-8 names): numbers and JSON stay in "C". */
	setlocale(LC_CTYPE, "");
	if (parse_args(argc, argv, &a))
		return 2;
	tdxhp_stop_on_signals();
	err = top_state_open(&s, &a.cfg);
	if (!err)
		err = top_run(&s, &a.run);
	err = top_state_close(&s, err);
	return err ? 1 : 0;
}
