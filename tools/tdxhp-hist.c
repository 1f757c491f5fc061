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
#include <unistd.h>

#include "cli.h"
#include "diff.h"
#include "drops.h"
#include "escape.h"
#include "filter.h"
#include "hist.h"
#include "html.h"
#include "replay.h"
#include "run.h"
#include "snapshot.h"
#include "sources.h"
#include "stats.h"
#include "util.h"
#include "values.h"

struct hist_args {
	struct tdxhp_cli cli;
	uint32_t ops;		/* bit per enum tdxhp_hist_id; 0: all used */
	bool merged;
	bool timestamp;
	bool cumulative;
	bool json;
	struct tdxhp_td_filter filter;
	const struct tdxhp_unit *unit;
	uint64_t interval_s;
	uint64_t count;
	const char *read_path;
	bool diff;
	const char *diff_paths[2];
	struct tdxhp_fail_if fail_if[16];
	int nr_fail_if;
	const char *html_path;
};

enum { OPT_DIFF = 0x2000, OPT_FAIL_IF, OPT_HTML, OPT_CGROUP };


static void usage(FILE *f)
{
	fprintf(f,
		"Usage: tdxhp-hist [OPTIONS] [INTERVAL [COUNT]]\n"
		"       tdxhp-hist -r FILE [OPTIONS]\n"
		"       tdxhp-hist --diff BEFORE AFTER [--fail-if EXPR]... [OPTIONS]\n"
		"Summarize TDX S-EPT operation latency as per-TD log2 histograms.\n"
		"\n"
		"  -o, --ops LIST        histograms to show, comma separated (default: all\n"
		"                        with samples): add, aug-4k, aug-2m, remove, demote,\n"
		"                        demote-block, demote-track, demote-demote, split\n"
		"  -P, --phases          the demote total and each of its phases\n"
		"  -M, --merged          one histogram per operation for the whole host,\n"
		"                        torn-down TDs included\n"
		"  -p, --pid PID         only the TD of this VMM process\n"
		"  -n, --name REGEX      only TDs whose name matches (extended regex)\n"
		"      --uuid UUID       only the TD of this libvirt domain UUID\n"
		"      --machine NAME    only the TD of this systemd machine\n"
		"      --cgroup PATH     only TDs whose VMM is in this cgroup or below it\n"
		"  -T, --timestamp       print a timestamp with each interval\n"
		"  -N, --nanoseconds     ns units\n"
		"  -m, --milliseconds    ms units (default: us)\n"
		"  -c, --cumulative      do not restart histograms each interval\n"
		"  -j, --json            one JSON object per interval\n"
		"  -r, --read FILE       the histograms of a recording (tdxhp-trace -w);\n"
		"                        min and max are exact\n"
		"      --diff            compare two runs: BEFORE and AFTER are recordings\n"
		"                        or the output of tdxhp-hist -j\n"
		"      --fail-if EXPR    with --diff: exit 3 if OP.STAT changed so, host-wide\n"
		"                        and significantly: demote.p99>+10%%, aug-2m.count<-20%%\n"
		"                        (STAT: count rate min p50 p99 max avg; repeatable)\n"
		"      --html OUT        with --diff of two recordings: both as one HTML page\n");
	tdxhp_cli_usage(f);
	fprintf(f,
		"\nExamples:\n"
		"  tdxhp-hist                    per-TD histograms until Ctrl-C\n"
		"  tdxhp-hist -P 1 10            demote phases, 1 s intervals, 10 times\n"
		"  tdxhp-hist -M -o split -m     host-wide boundary splits in ms\n"
		"  tdxhp-hist --simulate=convert no TDX host: simulated conversions\n"
		"  tdxhp-hist -r a.tdxhp -P      demote phases of a recording\n"
		"  tdxhp-hist --diff a.tdxhp b.tdxhp --fail-if demote.p99>+10%%\n");
}

static int parse_args(int argc, char **argv, struct hist_args *a)
{
	static const struct option longopts[] = {
		{ "ops", required_argument, NULL, 'o' },
		{ "phases", no_argument, NULL, 'P' },
		{ "merged", no_argument, NULL, 'M' },
		{ "pid", required_argument, NULL, 'p' },
		{ "name", required_argument, NULL, 'n' },
		{ "timestamp", no_argument, NULL, 'T' },
		{ "nanoseconds", no_argument, NULL, 'N' },
		{ "milliseconds", no_argument, NULL, 'm' },
		{ "cumulative", no_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ "read", required_argument, NULL, 'r' },
		{ "diff", no_argument, NULL, OPT_DIFF },
		{ "fail-if", required_argument, NULL, OPT_FAIL_IF },
		{ "html", required_argument, NULL, OPT_HTML },
		{ "uuid", required_argument, NULL, TDXHP_OPT_UUID },
		{ "machine", required_argument, NULL, TDXHP_OPT_MACHINE },
		{ "cgroup", required_argument, NULL, OPT_CGROUP },
		TDXHP_CLI_LONGOPTS,
		{ 0 },
	};
	int opt, r;

	a->unit = &tdxhp_unit_us;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "o:PMp:n:TNmcjr:vVh", longopts,
				  NULL)) != -1) {
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
		case 'p':
			if (tdxhp_td_filter_pid(&a->filter, optarg))
				return -1;
			break;
		case 'n':
			if (tdxhp_td_filter_name(&a->filter, optarg))
				return -1;
			break;
		case TDXHP_OPT_UUID:
			if (tdxhp_td_filter_uuid(&a->filter, optarg))
				return -1;
			break;
		case TDXHP_OPT_MACHINE:
			if (tdxhp_td_filter_machine(&a->filter, optarg))
				return -1;
			break;
		case OPT_CGROUP:
			if (tdxhp_td_filter_cgroup(&a->filter, optarg))
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
		case 'c':
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
		case 'h':
			usage(stdout);
			exit(0);
		default:
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
		if (optind < argc) {
			tdxhp_err("-r reads a whole recording: no INTERVAL or COUNT");
			return -1;
		}
		if (a->cli.simulate) {
			tdxhp_err("-r replays a recording: it takes no --simulate");
			return -1;
		}
		return 0;
	}
	if (optind < argc) {
		if (tdxhp_parse_u64(argv[optind], 1, 86400, &a->interval_s)) {
			tdxhp_err("INTERVAL wants whole seconds from 1 to 86400, not '%s'",
				  argv[optind]);
			return -1;
		}
		optind++;
	}
	if (optind < argc) {
		if (tdxhp_parse_u64(argv[optind], 1, UINT32_MAX, &a->count)) {
			tdxhp_err("COUNT wants a whole number from 1, not '%s'",
				  argv[optind]);
			return -1;
		}
		optind++;
	}
	if (tdxhp_cli_no_more_args(argc, argv))
		return -1;
	return tdxhp_cli_validate(&a->cli);
}

static bool td_selected(const struct hist_args *a, const struct tdxhp_td *td)
{
	return tdxhp_td_filter_match_identity(&a->filter, td->meta.pid, td->name,
					      &td->id);
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

static void print_hists_json(const struct hist_args *a,
			     const struct tdxhp_td_stats *s,
			     const struct tdxhp_minmax *mm)
{
	bool first = true;

	printf("\"hists\":{");
	for (int h = 0; h < TDXHP_NR_HISTS; h++) {
		struct tdxhp_hist_extremes x;

		if (!op_selected(a, h, &s->hist[h]))
			continue;
		tdxhp_hist_extremes(&s->hist[h], mm != NULL, mm ? mm[h].min_ns : 0,
				    mm ? mm[h].max_ns : 0, &x);
		printf("%s\"%s\":", first ? "" : ",", tdxhp_hist_name(h));
		tdxhp_hist_json(stdout, &s->hist[h], &x);
		first = false;
	}
	printf("}");
}

/* Dropped or malformed events are always reported, never silent. */
static void print_drops_text(const struct tdxhp_host_stats *h)
{
	char what[512];

	if (tdxhp_dropped_text(h, TDXHP_VIEW_TOTALS, what, sizeof(what)))
		printf("warning: dropped: %s\n", what);
}

static void print_drops_json(const struct tdxhp_host_stats *h)
{
	printf("\"dropped\":{");
	for (int i = 0; i < TDXHP_NR_HOST_COUNTERS; i++)
		printf("%s\"%s\":%llu", i ? "," : "", tdxhp_host_counter_name(i),
		       (unsigned long long)h->counters[i]);
	printf("}");
}

static void td_json(const struct hist_args *a, const struct tdxhp_td *td,
		    const struct tdxhp_td_stats *s, const struct tdxhp_minmax *mm)
{
	printf("{\"name\":");
	tdxhp_json_str(stdout, td->name);
	printf(",\"pid\":");
	tdxhp_id_json(stdout, td->meta.pid, tdxhp_pid_known(td->meta.pid));
	printf(",\"hkid\":");
	tdxhp_id_json(stdout, td->meta.hkid, tdxhp_hkid_known(td->meta.hkid));
	printf(",\"partial\":%s,",
	       td->meta.flags & TDXHP_TD_PARTIAL ? "true" : "false");
	print_hists_json(a, s, mm);
	printf("}");
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
		printf("Recording %s: %llu events over %.3f s\n", r->rp->path,
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
	bool first = true;

	printf("{\"ts_ns\":%llu,\"span_s\":%.6f,\"cumulative\":%s,\"simulated\":%s,",
	       (unsigned long long)r->cur->ts_ns, span_s(r),
	       a->cumulative ? "true" : "false", simulated(r) ? "true" : "false");
	if (r->sim) {
		printf("\"scenario\":");
		tdxhp_json_str(stdout, tdxhp_sim_scenario(r->sim));
		printf(",");
	}
	if (r->t) {
		tdxhp_json_sources(stdout, r->t);
		printf(",");
	}
	if (r->rp) {
		printf("\"recording\":");
		tdxhp_json_str(stdout, r->rp->path);
		printf(",\"source\":");
		tdxhp_json_str(stdout, r->rp->rd.h.source);
		printf(",");
	}
	printf("\"unit\":\"ns\",");
	if (a->merged) {
		struct tdxhp_minmax mm[TDXHP_NR_HISTS];

		host_interval(r, &s);
		printf("\"merged\":{\"live_tds\":%u,", r->cur->nr_tds);
		print_hists_json(a, &s, host_minmax(r, mm));
		printf("},");
	} else {
		const struct tdxhp_td **tds = sorted_tds(r->cur);

		printf("\"tds\":[");
		for (unsigned int i = 0; tds && i < r->cur->nr_tds; i++) {
			const struct tdxhp_td *td = tds[i];

			if (!td_selected(a, td))
				continue;
			td_interval(r, td, &s);
			printf("%s", first ? "" : ",");
			td_json(a, td, &s, td_minmax(r, td));
			first = false;
		}
		free(tds);
		printf("],");
	}
	print_drops_json(&r->cur->host);
	printf("}\n");
	fflush(stdout);
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
		sleep((unsigned int)a->interval_s);
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
		.json = a->json,
	};
	int ret = 0, failed;

	if (tdxhp_run_load(&runs[0], a->diff_paths[0], a->html_path != NULL))
		return 1;
	if (tdxhp_run_load(&runs[1], a->diff_paths[1], a->html_path != NULL)) {
		tdxhp_run_free(&runs[0]);
		return 1;
	}
	if (runs[0].simulated || runs[1].simulated)
		printf("%sSIMULATED DATA: a run was made with --simulate\n",
		       a->json ? "" : "");
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
		tdxhp_td_filter_free(&a.filter);
		return err;
	}
	if (a.read_path) {
		err = run_read(&a);
		tdxhp_td_filter_free(&a.filter);
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
	tdxhp_td_filter_free(&a.filter);
	return err ? 1 : 0;
}
