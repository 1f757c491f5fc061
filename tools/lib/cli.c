// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "sources.h"
#include "stats.h"
#include "util.h"
#include "version.h"

#define STR_(x) #x
#define STR(x) STR_(x)

/* The TD table is kept at most half full: see --max-tds. */
#define TDXHP_DEFAULT_MAX_TDS 512
_Static_assert(TDXHP_DEFAULT_MAX_TDS == (1U << TDXHP_DEFAULT_SLOT_BITS) / 2,
	       "--help's default for --max-tds");

const struct tdxhp_opt tdxhp_cli_filter_opts[] = {
	{ 'p', "pid", "PID", 0, "only the TD of this VMM process" },
	{ 'g', "guest", "REGEX", 0,
	  "only TDs whose name matches (extended regex; the\n"
	  "QEMU -name or libvirt domain; as kvm_stat -g)" },
	{ TDXHP_OPT_UUID, "uuid", "UUID", 0, "only the TD of this libvirt domain UUID" },
	{ TDXHP_OPT_MACHINE, "machine", "NAME", 0,
	  "only the TD of this systemd machine" },
	{ 'c', "cgroup", "PATH", 0,
	  "only TDs whose VMM is in this cgroup or below it\n"
	  "(/machine.slice; as libbpf-tools' -c)" },
	{ 0 },
};

const struct tdxhp_opt tdxhp_cli_sim_opts[] = {
	{ TDXHP_OPT_SIMULATE, "simulate", "SCENARIO", TDXHP_OPTF_ARG_OPTIONAL,
	  "a seeded model drives the real BPF programs\n"
	  "(scenarios below; default steady)" },
	{ TDXHP_OPT_SEED, "seed", "N", 0,
	  "simulator seed (default " STR(TDXHP_SIM_DEFAULT_SEED) ")" },
	{ TDXHP_OPT_SIM_TDS, "sim-tds", "N", 0,
	  "simulated TDs at start (default: the scenario's)" },
	{ TDXHP_OPT_SIM_SPEED, "sim-speed", "X",
	  0, "simulated seconds per second (default 1)" },
	{ TDXHP_OPT_SIM_TICKS, "sim-ticks", "N", 0,
	  "run N ticks (10 ms each) at once, then freeze:\n"
	  "a deterministic picture for tests and demos" },
	{ 0 },
};

const struct tdxhp_opt tdxhp_cli_load_opts[] = {
	{ TDXHP_OPT_MAX_TDS, "max-tds", "N", 0,
	  "size the in-kernel TD table (default " STR(TDXHP_DEFAULT_MAX_TDS) ")" },
	{ TDXHP_OPT_STORM_HITS, "storm-hits", "N", 0,
	  "ignored splits of one gfn that make a storm\n"
	  "(default " STR(TDXHP_DEFAULT_STORM_HITS) ")" },
	{ TDXHP_OPT_STORM_WINDOW, "storm-window", "DURATION", 0,
	  "... within this time (default 1s)" },
	{ TDXHP_OPT_SOURCE, "source", "auto|tracepoint|seamcall", 0,
	  "where events come from; auto (default): per event\n"
	  "the kvm_tdx_* tracepoint if the kernel has it,\n"
	  "else fentry/fexit on the SEAMCALL wrappers" },
	{ TDXHP_OPT_PRIVATE, "private", NULL, 0,
	  "load a private copy even if tdxhp-load pinned one" },
	{ 0 },
};

const struct tdxhp_opt tdxhp_cli_common_opts[] = {
	{ 'v', "verbose", NULL, 0,
	  "show libbpf and verifier messages, and sources" },
	{ 'V', "version", NULL, 0, "print the tdxhp and libbpf versions" },
	{ 'h', "help", NULL, 0, "this help" },
	{ TDXHP_OPT_USAGE, "usage", NULL, 0, "a short usage message" },
	{ 0 },
};

static int parse_filter(int opt, const char *arg, struct tdxhp_td_filter *f)
{
	switch (opt) {
	case 'p':
		return tdxhp_td_filter_pid(f, arg) ? -1 : 1;
	case 'g':
		return tdxhp_td_filter_name(f, arg) ? -1 : 1;
	case TDXHP_OPT_UUID:
		return tdxhp_td_filter_uuid(f, arg) ? -1 : 1;
	case TDXHP_OPT_MACHINE:
		return tdxhp_td_filter_machine(f, arg) ? -1 : 1;
	case 'c':
		return tdxhp_td_filter_cgroup(f, arg) ? -1 : 1;
	}
	return 0;
}

static bool entry_of(const struct tdxhp_opt *table, const struct tdxhp_opt *o)
{
	for (const struct tdxhp_opt *e = table; e->key; e++)
		if (e == o)
			return true;
	return false;
}

int tdxhp_cli_parse(int opt, const char *arg, struct tdxhp_cli *c)
{
	uint64_t v;

	if (c->opts) {
		const struct tdxhp_opt *o = tdxhp_opts_find(c->opts, opt);

		/* Only the shared tables' entries are ours to handle. */
		if (!o)
			return 0;
		if (entry_of(tdxhp_cli_filter_opts, o))
			return parse_filter(opt, arg, &c->filter);
		if (!entry_of(tdxhp_cli_sim_opts, o) &&
		    !entry_of(tdxhp_cli_load_opts, o) &&
		    !entry_of(tdxhp_cli_common_opts, o))
			return 0;
		if (opt == 'h') {
			tdxhp_opts_help(c->opts, stdout);
			if (c->help_epilogue)
				c->help_epilogue(stdout);
			exit(0);
		}
		if (opt == TDXHP_OPT_USAGE) {
			tdxhp_opts_usage(c->opts, stdout);
			exit(0);
		}
	}
	switch (opt) {
	case TDXHP_OPT_SIMULATE:
		c->simulate = true;
		c->load.simulate = true;
		return tdxhp_sim_parse(arg, &c->sim) ? -1 : 1;
	case TDXHP_OPT_SEED:
		if (tdxhp_parse_u64(arg, 1, UINT64_MAX, &v)) {
			tdxhp_err("--seed wants a whole number from 1, not '%s'", arg);
			return -1;
		}
		c->sim.seed = v;
		return 1;
	case TDXHP_OPT_SIM_TDS:
		if (tdxhp_parse_u64(arg, 1, 10000, &v)) {
			tdxhp_err("--sim-tds wants 1 to 10000, not '%s'", arg);
			return -1;
		}
		c->sim.nr_tds = (unsigned int)v;
		return 1;
	case TDXHP_OPT_SIM_SPEED: {
		char *end;
		double d = strtod(arg, &end);

		if (*end || !(d >= 0.01 && d <= 1000)) {
			tdxhp_err("--sim-speed wants 0.01 to 1000, not '%s'", arg);
			return -1;
		}
		c->sim.speed = d;
		return 1;
	}
	case TDXHP_OPT_SIM_TICKS:
		if (tdxhp_parse_u64(arg, 1, 100000000, &v)) {
			tdxhp_err("--sim-ticks wants 1 to 100000000, not '%s'", arg);
			return -1;
		}
		c->sim_ticks = v;
		return 1;
	case TDXHP_OPT_MAX_TDS: {
		unsigned int bits = 4;

		if (tdxhp_parse_u64(arg, 1, 1U << (TDXHP_MAX_SLOT_BITS - 1), &v)) {
			tdxhp_err("--max-tds wants 1 to %u, not '%s'",
				  1U << (TDXHP_MAX_SLOT_BITS - 1), arg);
			return -1;
		}
		/* Keep the open-addressing table at most half full. */
		while ((1ULL << bits) < 2 * v)
			bits++;
		c->load.slot_bits = bits;
		return 1;
	}
	case TDXHP_OPT_STORM_HITS:
		if (tdxhp_parse_u64(arg, 2, 1000000, &v)) {
			tdxhp_err("--storm-hits wants 2 to 1000000, not '%s'", arg);
			return -1;
		}
		c->load.storm_hits = (uint32_t)v;
		return 1;
	case TDXHP_OPT_STORM_WINDOW:
		if (tdxhp_parse_duration_ns(arg, 1000000000ULL, &v) || !v) {
			tdxhp_err("--storm-window wants a duration such as 500ms, not '%s'",
				  arg);
			return -1;
		}
		c->load.storm_window_ns = v;
		return 1;
	case TDXHP_OPT_SOURCE:
		if (tdxhp_parse_source(arg, &c->load.source)) {
			tdxhp_err("--source wants auto, tracepoint or seamcall, not '%s'",
				  arg);
			return -1;
		}
		return 1;
	case TDXHP_OPT_PRIVATE:
		c->load.use = TDXHP_USE_PRIVATE;
		return 1;
	case 'v':
		c->load.verbose = true;
		return 1;
	case 'V':
		tdxhp_print_version(stdout);
		exit(0);
	}
	return 0;
}

int tdxhp_cli_validate(const struct tdxhp_cli *c)
{
	if (!c->simulate && (c->sim_ticks || c->sim.nr_tds || c->sim.seed ||
			     c->sim.speed)) {
		tdxhp_err("--seed, --sim-tds, --sim-speed and --sim-ticks need --simulate");
		return -1;
	}
	return 0;
}

int tdxhp_cli_no_more_args(int argc, char **argv)
{
	if (optind >= argc)
		return 0;
	tdxhp_err("unexpected argument '%s'", argv[optind]);
	return -1;
}

void tdxhp_cli_bad_option(char **argv)
{
	const char *arg = argv[optind - 1];

	if (optopt && (!arg || arg[0] != '-' || arg[1] == '-' ||
		       !strchr(arg, optopt)))
		tdxhp_err("option '-%c' is unknown or needs a value (see --help)",
			  optopt);
	else
		tdxhp_err("option '%s' is unknown or needs a value (see --help)",
			  arg);
}

/* -v: which instance, and what feeds each event. */
static void print_sources(const struct tdxhp *t)
{
	char what[256];

	tdxhp_describe_instance(t, what, sizeof(what));
	fprintf(stderr, "%s: using the %s%s\n", tdxhp_prog_name, what,
		t->simulated ? " (simulated: the simulator feeds it)" : "");
	for (int ev = 0; ev < TDXHP_NR_EVENTS; ev++) {
		tdxhp_source_detail(ev, &t->info, what, sizeof(what));
		fprintf(stderr, "%s:   %-20s %s\n", tdxhp_prog_name,
			tdxhp_event_name(ev), t->simulated ? "simulated" : what);
	}
}

int tdxhp_cli_open(struct tdxhp_cli *c, struct tdxhp *t, struct tdxhp_sim **sim)
{
	int err;

	c->load.scenario = c->sim.scenario;
	c->load.seed = c->sim.seed;
	c->load.sim_tds = c->sim.nr_tds;
	err = tdxhp_open(t, &c->load);

	*sim = NULL;
	if (err) {
		tdxhp_err("%s", t->errmsg);
		return err;
	}
	if (c->load.verbose)
		print_sources(t);
	if (t->note[0])
		tdxhp_err("note: %s", t->note);
	if (c->simulate && t->pinned && c->sim_ticks)
		tdxhp_err("note: the pinned simulated instance is fed by tdxhp-load --feed: --sim-ticks and --seed apply there, not here (--private for a simulation of your own)");
	if (!c->simulate)
		return 0;
	*sim = tdxhp_sim_new(t, &c->sim);
	if (!*sim) {
		tdxhp_close(t);
		return -ENOMEM;
	}
	return 0;
}
