// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * tdxhp-hist: per-TD log2 latency histograms of TDX S-EPT operations, in
 * the style of libbpf-tools' biolatency -D and runqlat.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "diff.h"
#include "drops.h"
#include "filter.h"
#include "hist.h"
#include "html.h"
#include "json_fields.h"
#include "event_fmt.h"
#include "replay.h"
#include "run.h"
#include "snapshot.h"
#include "sources.h"
#include "stats.h"
#include "util.h"
#include "values.h"

struct hist_args {
	struct tdxhp_cli cli;	/* cli.filter: -p, -g, --uuid, --machine, -c */
	uint32_t ops;		/* bit per enum tdxhp_hist_id; 0: all used */
	bool merged;
	bool timestamp;
	bool cumulative;
	bool json;
	const struct tdxhp_unit *unit;
	double interval_s;	/* 0: one report, at the end */
	uint64_t count;		/* 0: until interrupted */
	const char *read_path;
	bool diff;
	const char *diff_paths[2];
	struct tdxhp_fail_if fail_if[16];
	int nr_fail_if;
	const char *html_path;
};

enum { OPT_DIFF = 0x2000, OPT_FAIL_IF, OPT_HTML, OPT_OLD_NAME };

static const struct tdxhp_opt hist_opts[] = {
	{ 'o', "ops", "LIST", 0,
	  "histograms to show, comma separated (default: all\n"
	  "with samples): add, aug-4k, aug-2m, remove, demote,\n"
	  "demote-block, demote-track, demote-demote, split" },
	{ 'P', "phases", NULL, 0, "the demote total and each of its phases" },
	{ 'M', "merged", NULL, 0,
	  "one histogram per operation for the whole host,\n"
	  "torn-down TDs included" },
	{ 'd', "interval", "SECS", 0,
	  "seconds between updates (0.1 to 86400; as INTERVAL)" },
	{ 'n', "count", "N", 0,
	  "stop after N updates (as COUNT; with no interval:\n"
	  "every second)" },
	{ 'T', "timestamp", NULL, 0, "print a timestamp with each interval" },
	{ 'N', "nanoseconds", NULL, 0, "ns units" },
	{ 'm', "milliseconds", NULL, 0, "ms units (default: us)" },
	{ 'C', "cumulative", NULL, 0,
	  "do not restart the histograms each interval" },
	{ 'j', "json", NULL, 0,
	  "one JSON object per interval (schema:\n"
	  "docs/schema/tdxhp-hist.schema.json)" },
	{ 'r', "read", "FILE", 0,
	  "the histograms of a recording (tdxhp-trace -w);\n"
	  "min and max are exact" },
	{ OPT_DIFF, "diff", NULL, 0,
	  "compare two runs: BEFORE and AFTER are recordings\n"
	  "or the output of tdxhp-hist -j" },
	{ OPT_FAIL_IF, "fail-if", "EXPR", 0,
	  "with --diff: exit 3 if OP.STAT changed so, host-wide\n"
	  "and significantly: demote.p99>+10%, aug-2m.count<-20%\n"
	  "(STAT: count rate min p50 p99 max avg; repeatable)" },
	{ OPT_HTML, "html", "OUT", 0,
	  "with --diff of two recordings: both as one HTML page" },
	{ OPT_OLD_NAME, "name", "REGEX", TDXHP_OPTF_HIDDEN, "now --guest" },
	{ 0 },
};

static const struct tdxhp_opt_group hist_groups[] = {
	{ NULL, hist_opts },
	TDXHP_CLI_FILTER_GROUP,
	TDXHP_CLI_SIM_GROUP,
	TDXHP_CLI_LOAD_GROUP,
	TDXHP_CLI_COMMON_GROUP,
	{ 0 },
};

static struct tdxhp_opt_set hist_set = {
	.synopsis = "[OPTIONS] [INTERVAL [COUNT]]\n"
		    "-r FILE [OPTIONS]\n"
		    "--diff BEFORE AFTER [--fail-if EXPR]... [OPTIONS]",
	.about = "Summarize TDX S-EPT operation latency as per-TD log2 histograms.",
	.groups = hist_groups,
};

static void help_epilogue(FILE *f)
{
	fprintf(f, "\nScenarios:\n");
	tdxhp_sim_list(f);
	fprintf(f,
		"\nExamples:\n"
		"  tdxhp-hist                    per-TD histograms until Ctrl-C\n"
		"  tdxhp-hist -P 1 10            demote phases, 1s intervals, 10 times\n"
		"  tdxhp-hist -P -d 1 -n 10      the same\n"
		"  tdxhp-hist -M -o split -m     host-wide boundary splits in ms\n"
		"  tdxhp-hist -g '^web-' -C 5    TDs named web-*, cumulative, every 5s\n"
		"  tdxhp-hist --simulate=convert no TDX host: simulated conversions\n"
		"  tdxhp-hist -r a.tdxhp -P      demote phases of a recording\n"
		"  tdxhp-hist --diff a.tdxhp b.tdxhp --fail-if demote.p99>+10%%\n");
}

static int parse_interval(const char *what, const char *arg, double *out)
{
	char *end;
	double v = strtod(arg, &end);

	if (end == arg || *end || !(v >= 0.1 && v <= 86400)) {
		tdxhp_err("%s wants seconds from 0.1 to 86400, not '%s'", what, arg);
		return -1;
	}
	*out = v;
	return 0;
}

static int parse_count(const char *what, const char *arg, uint64_t *out)
{
	if (tdxhp_parse_u64(arg, 1, UINT32_MAX, out)) {
		tdxhp_err("%s wants a whole number from 1, not '%s'", what, arg);
		return -1;
	}
	return 0;
}

/* Letters whose meaning changed (docs/vocabulary.md) say so, in one line. */
static void old_cumulative(void)
{
	tdxhp_err("-c is now --cgroup PATH; cumulative histograms are -C");
}

static int parse_args(int argc, char **argv, struct hist_args *a)
{
	double interval = 0;
	uint64_t count = 0;
	int opt, r;

	a->unit = &tdxhp_unit_us;
	a->cli.opts = &hist_set;
	a->cli.help_epilogue = help_epilogue;
	tdxhp_opts_build(&hist_set);
	while ((opt = tdxhp_opts_next(&hist_set, argc, argv)) != -1) {
		if (opt == 'c' && optarg[0] != '/') {
			old_cumulative();
			return -1;
		}
		r = tdxhp_cli_parse(opt, optarg, &a->cli);
		if (r < 0)
			return -1;
		if (r > 0)
			continue;
		switch (opt) {
		case 'o':
			if (tdxhp_parse_name_list(optarg, tdxhp_hist_by_name,
						  "operation", &a->ops))
				return -1;
			break;
		case 'P':
			a->ops |= 1U << TDXHP_H_DEMOTE |
				  1U << TDXHP_H_DEMOTE_BLOCK |
				  1U << TDXHP_H_DEMOTE_TRACK |
				  1U << TDXHP_H_DEMOTE_DEMOTE;
			break;
		case 'M':
			a->merged = true;
			break;
		case 'd':
			if (parse_interval("--interval", optarg, &interval))
				return -1;
			break;
		case 'n':
			if (tdxhp_parse_u64(optarg, 0, UINT64_MAX, &count)) {
				tdxhp_err("-n is now --count N; the TD name filter is -g REGEX");
				return -1;
			}
			if (parse_count("--count", optarg, &count))
				return -1;
			break;
		case 'T':
			a->timestamp = true;
			break;
		case 'N':
			a->unit = &tdxhp_unit_ns;
			break;
		case 'm':
			a->unit = &tdxhp_unit_ms;
			break;
		case 'C':
			a->cumulative = true;
			break;
		case 'j':
			a->json = true;
			break;
		case 'r':
			a->read_path = optarg;
			break;
		case OPT_DIFF:
			a->diff = true;
			break;
		case OPT_FAIL_IF:
			if (a->nr_fail_if == (int)ARRAY_SIZE(a->fail_if)) {
				tdxhp_err("--fail-if: at most %zu conditions",
					  ARRAY_SIZE(a->fail_if));
				return -1;
			}
			if (tdxhp_fail_if_parse(optarg, &a->fail_if[a->nr_fail_if++]))
				return -1;
			break;
		case OPT_HTML:
			a->html_path = optarg;
			break;
		case OPT_OLD_NAME:
			if (tdxhp_td_filter_name(&a->cli.filter, optarg))
				return -1;
			break;
		default:
			if (opt == '?' && optopt == 'c') {
				old_cumulative();
				return -1;
			}
			tdxhp_cli_bad_option(argv);
			return -1;
		}
	}
	if (a->diff) {
		if (argc - optind != 2) {
			tdxhp_err("--diff wants two runs: BEFORE AFTER");
			return -1;
		}
		a->diff_paths[0] = argv[optind];
		a->diff_paths[1] = argv[optind + 1];
		if (a->read_path || a->cli.simulate) {
			tdxhp_err("--diff reads its two runs: no -r or --simulate");
			return -1;
		}
		return 0;
	}
	if (a->nr_fail_if || a->html_path) {
		tdxhp_err("--fail-if and --html go with --diff BEFORE AFTER");
		return -1;
	}
	if (a->read_path) {
		if (optind < argc || interval || count) {
			tdxhp_err("-r reads a whole recording: no interval or count");
			return -1;
		}
		if (a->cli.simulate) {
			tdxhp_err("-r replays a recording: it takes no --simulate");
			return -1;
		}
		return 0;
	}
	if (optind < argc) {
		if (interval) {
			tdxhp_err("the interval is given twice: -d and INTERVAL");
			return -1;
		}
		if (parse_interval("INTERVAL", argv[optind++], &interval))
			return -1;
	}
	if (optind < argc) {
		if (count) {
			tdxhp_err("the count is given twice: -n and COUNT");
			return -1;
		}
		if (parse_count("COUNT", argv[optind++], &count))
			return -1;
	}
	if (tdxhp_cli_no_more_args(argc, argv))
		return -1;
	a->interval_s = interval ? interval : count ? 1 : 0;
	a->count = count;
	return tdxhp_cli_validate(&a->cli);
}

static bool td_selected(const struct hist_args *a, const struct tdxhp_td *td)
{
	return tdxhp_td_filter_match_identity(&a->cli.filter, td->meta.pid,
					      td->name, &td->id);
}

static bool op_selected(const struct hist_args *a, int h,
			const struct tdxhp_hist *hist)
{
	if (a->ops)
		return a->ops & (1U << h);
	return tdxhp_hist_count(hist) > 0;
}

/* mm: exact extremes (recordings), NULL: bucket bounds (live maps). */
static void print_hists_text(const struct hist_args *a,
			     const struct tdxhp_td_stats *s,
			     const struct tdxhp_minmax *mm)
{
	for (int h = 0; h < TDXHP_NR_HISTS; h++) {
		struct tdxhp_hist_extremes x;

		if (!op_selected(a, h, &s->hist[h]))
			continue;
		tdxhp_hist_extremes(&s->hist[h], mm != NULL, mm ? mm[h].min_ns : 0,
				    mm ? mm[h].max_ns : 0, &x);
		printf("\nop = %s\n", tdxhp_hist_name(h));
		tdxhp_hist_print(stdout, &s->hist[h], a->unit);
		tdxhp_hist_stats_line(stdout, &s->hist[h], &x);
	}
}

static void print_hists_json(struct tdxhp_json *w, const struct hist_args *a,
			     const struct tdxhp_td_stats *s,
			     const struct tdxhp_minmax *mm)
{
	tdxhp_json_name(w, "hists");
	tdxhp_json_object_start(w);
	for (int h = 0; h < TDXHP_NR_HISTS; h++) {
		struct tdxhp_hist_extremes x;

		if (!op_selected(a, h, &s->hist[h]))
			continue;
		tdxhp_hist_extremes(&s->hist[h], mm != NULL, mm ? mm[h].min_ns : 0,
				    mm ? mm[h].max_ns : 0, &x);
		tdxhp_json_name(w, tdxhp_hist_name(h));
		tdxhp_hist_json(w, &s->hist[h], &x);
	}
	tdxhp_json_object_end(w);
}

/* Dropped or malformed events are always reported, never silent. */
static void print_drops_text(const struct tdxhp_host_stats *h)
{
	char what[512];

	if (tdxhp_dropped_text(h, TDXHP_VIEW_TOTALS, what, sizeof(what)))
		printf("warning: dropped: %s\n", what);
}

static void td_json(struct tdxhp_json *w, const struct hist_args *a,
		    const struct tdxhp_td *td, const struct tdxhp_td_stats *s,
		    const struct tdxhp_minmax *mm)
{
	tdxhp_json_object_start(w);
	tdxhp_json_td(w, td->name, td->meta.pid, td->meta.hkid, &td->id);
	tdxhp_json_kv_bool(w, "partial", td->meta.flags & TDXHP_TD_PARTIAL);
	print_hists_json(w, a, s, mm);
	tdxhp_json_object_end(w);
}

static void td_header(const struct tdxhp_td *td, bool simulated)
{
	char pid[16], hkid[16];

	printf("\nTD %s  pid %s  hkid %s", td->name,
	       tdxhp_id_text(td->meta.pid, tdxhp_pid_known(td->meta.pid), pid,
			     sizeof(pid)),
	       tdxhp_id_text(td->meta.hkid, tdxhp_hkid_known(td->meta.hkid),
			     hkid, sizeof(hkid)));
	/* The identities operators use, where known (docs/tools.md). */
	if (td->id.uuid[0])
		printf("  uuid %s", td->id.uuid);
	if (td->id.machine[0])
		printf("  machine %s", td->id.machine);
	if (td->meta.flags & TDXHP_TD_PARTIAL)
		printf("  [partial: joined mid-life]");
	if (simulated)
		printf("  [simulated]");
	printf("\n");
}

struct report {
	const struct hist_args *a;
	const struct tdxhp *t;		/* live; NULL when reading a recording */
	const struct tdxhp_sim *sim;
	const struct tdxhp_replay *rp;	/* reading a recording */
	const struct tdxhp_snapshot *cur;
	const struct tdxhp_snapshot *prev; /* NULL: since load */
	uint64_t start_ns;		/* when counting began */
};

static bool simulated(const struct report *r)
{
	return r->sim || (r->rp && tdxhp_replay_simulated(r->rp));
}

static const char *sim_label(const struct report *r)
{
	return r->sim ? tdxhp_sim_label(r->sim) : r->rp->rd.h.source;
}

/* Seconds this report covers. */
static double span_s(const struct report *r)
{
	uint64_t from = r->prev && !r->a->cumulative ? r->prev->ts_ns : r->start_ns;

	if (r->rp)
		return tdxhp_replay_span_s(r->rp);
	return r->cur->ts_ns > from ? (double)(r->cur->ts_ns - from) / 1e9 : 0;
}

static const struct tdxhp_minmax *td_minmax(const struct report *r,
					    const struct tdxhp_td *td)
{
	return r->rp ? tdxhp_replay_minmax(r->rp, td->slot, td->gen) : NULL;
}

static const struct tdxhp_minmax *host_minmax(const struct report *r,
					      struct tdxhp_minmax *buf)
{
	if (!r->rp)
		return NULL;
	tdxhp_replay_host_minmax(r->rp, buf);
	return buf;
}

/* Stats of td over this interval (or since load). */
static void td_interval(const struct report *r, const struct tdxhp_td *td,
			struct tdxhp_td_stats *out)
{
	const struct tdxhp_td *old = NULL;

	if (r->prev && !r->a->cumulative)
		old = tdxhp_snapshot_find(r->prev, td->slot, td->gen);
	if (old)
		tdxhp_td_stats_delta(out, &td->stats, &old->stats);
	else
		*out = td->stats;
}

static void host_interval(const struct report *r, struct tdxhp_td_stats *out)
{
	struct tdxhp_td_stats cur, old;

	tdxhp_snapshot_host_total(r->cur, &cur);
	if (r->prev && !r->a->cumulative) {
		tdxhp_snapshot_host_total(r->prev, &old);
		tdxhp_td_stats_delta(out, &cur, &old);
	} else {
		*out = cur;
	}
}

static int by_name(const void *x, const void *y)
{
	const struct tdxhp_td *a = *(const struct tdxhp_td *const *)x;
	const struct tdxhp_td *b = *(const struct tdxhp_td *const *)y;
	int c = strcmp(a->name, b->name);

	return c ? c : (a->slot > b->slot) - (a->slot < b->slot);
}

/* The snapshot's TDs in display order (by name); caller frees. */
static const struct tdxhp_td **sorted_tds(const struct tdxhp_snapshot *s)
{
	const struct tdxhp_td **v = calloc(s->nr_tds + 1, sizeof(*v));

	if (!v)
		return NULL;
	for (unsigned int i = 0; i < s->nr_tds; i++)
		v[i] = &s->tds[i];
	qsort(v, s->nr_tds, sizeof(*v), by_name);
	return v;
}

static void report_text(const struct report *r)
{
	const struct hist_args *a = r->a;
	struct tdxhp_td_stats s;
	unsigned int shown = 0;

	if (a->timestamp) {
		char buf[48];

		/* A recording's clock is another boot's: its own offset, in UTC. */
		if (r->rp)
			tdxhp_rec_utc(&r->rp->rd.h, r->cur->ts_ns, buf, sizeof(buf));
		else
			tdxhp_format_clock(r->cur->ts_ns, buf, sizeof(buf));
		printf("\n%s\n", buf);
	}
	if (simulated(r))
		printf("SIMULATED DATA (%s): no TDX host was traced\n",
		       sim_label(r));
	if (r->rp)
		printf("Recording %s: %llu events over %.3fs\n", r->rp->path,
		       (unsigned long long)r->rp->rd.events, span_s(r));
	if (a->merged) {
		struct tdxhp_minmax mm[TDXHP_NR_HISTS];

		host_interval(r, &s);
		printf("\nAll TDs (%u live)%s\n", r->cur->nr_tds,
		       simulated(r) ? "  [simulated]" : "");
		print_hists_text(a, &s, host_minmax(r, mm));
	} else {
		const struct tdxhp_td **tds = sorted_tds(r->cur);

		for (unsigned int i = 0; tds && i < r->cur->nr_tds; i++) {
			const struct tdxhp_td *td = tds[i];

			if (!td_selected(a, td))
				continue;
			td_interval(r, td, &s);
			td_header(td, simulated(r));
			print_hists_text(a, &s, td_minmax(r, td));
			shown++;
		}
		free(tds);
		if (!shown)
			printf("\nno TD matched%s\n",
			       r->cur->nr_tds ? " the filter" : " (no TD seen yet)");
	}
	print_drops_text(&r->cur->host);
	fflush(stdout);
}

static void report_json(const struct report *r)
{
	const struct hist_args *a = r->a;
	struct tdxhp_td_stats s;
	struct tdxhp_json w;

	tdxhp_json_init(&w, stdout, false);
	tdxhp_json_record_start(&w, TDXHP_SCHEMA_HIST, simulated(r));
	/* A recording's clock is another boot's: its own offset. */
	tdxhp_json_times(&w, r->cur->ts_ns,
			 r->rp ? r->rp->rd.h.mono_to_real_ns :
				 tdxhp_mono_to_real_ns());
	tdxhp_json_kv_decimal(&w, "span_s", span_s(r), 6);
	tdxhp_json_kv_bool(&w, "cumulative", a->cumulative);
	if (r->sim)
		tdxhp_json_kv_string(&w, "scenario", tdxhp_sim_scenario(r->sim));
	if (r->t)
		tdxhp_json_sources(&w, r->t);
	if (r->rp) {
		tdxhp_json_kv_string(&w, "recording", r->rp->path);
		tdxhp_json_kv_string(&w, "source", r->rp->rd.h.source);
	}
	if (a->merged) {
		struct tdxhp_minmax mm[TDXHP_NR_HISTS];

		host_interval(r, &s);
		tdxhp_json_name(&w, "merged");
		tdxhp_json_object_start(&w);
		tdxhp_json_kv_u64(&w, "live_tds", r->cur->nr_tds);
		print_hists_json(&w, a, &s, host_minmax(r, mm));
		tdxhp_json_object_end(&w);
	} else {
		const struct tdxhp_td **tds = sorted_tds(r->cur);

		tdxhp_json_name(&w, "tds");
		tdxhp_json_array_start(&w);
		for (unsigned int i = 0; tds && i < r->cur->nr_tds; i++) {
			const struct tdxhp_td *td = tds[i];

			if (!td_selected(a, td))
				continue;
			td_interval(r, td, &s);
			td_json(&w, a, td, &s, td_minmax(r, td));
		}
		free(tds);
		tdxhp_json_array_end(&w);
	}
	tdxhp_json_dropped(&w, r->cur->host.counters);
	tdxhp_json_object_end(&w);
	tdxhp_json_line_end(&w);
}

static int snapshot_and_report(struct tdxhp *t, struct report *r,
			       struct tdxhp_snapshot *cur)
{
	int err = tdxhp_snapshot_read(t, cur);

	if (err)
		return err;
	r->cur = cur;
	if (r->a->json)
		report_json(r);
	else
		report_text(r);
	return 0;
}

static void sleep_s(double s)
{
	struct timespec ts = {
		.tv_sec = (time_t)s,
		.tv_nsec = (long)((s - (double)(time_t)s) * 1e9),
	};

	nanosleep(&ts, NULL);	/* a signal ends it early: tdxhp_stop says */
}

static int run_intervals(struct tdxhp *t, struct tdxhp_sim *sim,
			 struct hist_args *a)
{
	struct tdxhp_snapshot snaps[2];
	struct report r = { .a = a, .t = t, .sim = sim,
			    .start_ns = tdxhp_now_ns() };
	int cur = 0, err = 0;

	if (tdxhp_snapshot_init(&snaps[0], t) ||
	    tdxhp_snapshot_init(&snaps[1], t)) {
		tdxhp_err("out of memory");
		return -ENOMEM;
	}
	if (sim && tdxhp_sim_start(sim))
		return -1;
	err = tdxhp_snapshot_read(t, &snaps[1]);
	r.prev = err ? NULL : &snaps[1];
	for (uint64_t n = 0; !tdxhp_stop && !err && (!a->count || n < a->count);
	     n++) {
		sleep_s(a->interval_s);
		if (tdxhp_stop && !n)
			break;
		err = snapshot_and_report(t, &r, &snaps[cur]);
		r.prev = &snaps[cur];
		cur ^= 1;
	}
	if (sim)
		tdxhp_sim_stop(sim);
	tdxhp_snapshot_free(&snaps[0]);
	tdxhp_snapshot_free(&snaps[1]);
	return err;
}

static int run_once(struct tdxhp *t, struct tdxhp_sim *sim, struct hist_args *a)
{
	struct tdxhp_snapshot snap;
	struct report r = { .a = a, .t = t, .sim = sim,
			    .start_ns = tdxhp_now_ns() };
	int err;

	if (tdxhp_snapshot_init(&snap, t)) {
		tdxhp_err("out of memory");
		return -ENOMEM;
	}
	if (sim) {
		uint64_t ticks = a->cli.sim_ticks ? a->cli.sim_ticks :
						    tdxhp_sim_batch_ticks(sim);
		uint64_t failed = tdxhp_sim_run_ticks(sim, ticks);

		if (failed)
			tdxhp_err("warning: %llu simulated events could not be fed to BPF",
				  (unsigned long long)failed);
	} else {
		if (!a->json) {
			char what[128];

			tdxhp_sources_summary(t, what, sizeof(what));
			printf("Tracing TDX S-EPT operations (%s)... Hit Ctrl-C to end.\n",
			       what);
		}
		while (!tdxhp_stop)
			pause();
	}
	err = snapshot_and_report(t, &r, &snap);
	tdxhp_snapshot_free(&snap);
	return err;
}

/* -r FILE: the whole recording as one report, min and max exact. */
static int run_read(struct hist_args *a)
{
	struct tdxhp_replay rp;
	struct tdxhp_snapshot snap = { 0 };
	struct report r = { .a = a, .rp = &rp };
	int damage, ret = 0;

	if (tdxhp_replay_open(&rp, a->read_path, a->cli.load.storm_hits,
			      a->cli.load.storm_window_ns))
		return 1;
	tdxhp_replay_all(&rp);
	damage = tdxhp_replay_report_end(&rp, stderr, tdxhp_prog_name);
	if (damage < 0 || tdxhp_replay_snapshot(&rp, &snap)) {
		ret = 1;
	} else {
		r.cur = &snap;
		if (a->json)
			report_json(&r);
		else
			report_text(&r);
		ret = damage == TDXHP_REC_CORRUPT;
	}
	free(snap.tds);
	tdxhp_replay_close(&rp);
	return ret;
}

/* --diff BEFORE AFTER: 0, 3 if a --fail-if condition failed, 1 on errors. */
static int run_diff(struct hist_args *a)
{
	struct tdxhp_run runs[2];
	struct tdxhp_diff_opts o = {
		.ops = a->ops, .unit = a->unit, .host_only = a->merged,
		.json = a->json, .fail_if = a->fail_if,
		.nr_fail_if = a->nr_fail_if,
	};
	int ret = 0, failed;

	if (tdxhp_run_load(&runs[0], a->diff_paths[0], a->html_path != NULL))
		return 1;
	if (tdxhp_run_load(&runs[1], a->diff_paths[1], a->html_path != NULL)) {
		tdxhp_run_free(&runs[0]);
		return 1;
	}
	/* JSON says "simulated": true in its one line. */
	if (!a->json && (runs[0].simulated || runs[1].simulated))
		printf("SIMULATED DATA: a run was made with --simulate\n");
	tdxhp_diff_print(stdout, &runs[0], &runs[1], &o);
	failed = tdxhp_fail_if_eval(a->json ? stderr : stdout, &runs[0], &runs[1],
				    a->fail_if, a->nr_fail_if);
	if (failed)
		ret = 3;
	/* A run that failed its checksums is compared as far as it reads, but never passes. */
	if (runs[0].corrupt || runs[1].corrupt)
		ret = 1;
	if (a->html_path) {
		struct tdxhp_html *pages[] = { runs[0].html, runs[1].html };
		const struct tdxhp_replay *rps[] = { runs[0].rp, runs[1].rp };
		int err = tdxhp_html_write(a->html_path, pages, rps, 2);

		if (err) {
			tdxhp_err("writing %s: %s", a->html_path, strerror(-err));
			ret = 1;
		}
	}
	fflush(stdout);
	tdxhp_run_free(&runs[0]);
	tdxhp_run_free(&runs[1]);
	return ret;
}

int main(int argc, char **argv)
{
	struct hist_args a = { 0 };
	struct tdxhp_sim *sim = NULL;
	struct tdxhp t;
	int err;

	tdxhp_prog_name = "tdxhp-hist";
	if (parse_args(argc, argv, &a))
		return 2;
	tdxhp_stop_on_signals();
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	if (a.diff) {
		err = run_diff(&a);
		tdxhp_td_filter_free(&a.cli.filter);
		return err;
	}
	if (a.read_path) {
		err = run_read(&a);
		tdxhp_td_filter_free(&a.cli.filter);
		return err;
	}

	if (tdxhp_cli_open(&a.cli, &t, &sim))
		return 1;
	if (a.interval_s)
		err = run_intervals(&t, sim, &a);
	else
		err = run_once(&t, sim, &a);
	tdxhp_sim_free(sim);
	tdxhp_close(&t);
	tdxhp_td_filter_free(&a.cli.filter);
	return err ? 1 : 0;
}
