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
#include "escape.h"
#include "filter.h"
#include "hist.h"
#include "snapshot.h"
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
};


static void usage(FILE *f)
{
	fprintf(f,
		"Usage: tdxhp-hist [OPTIONS] [INTERVAL [COUNT]]\n"
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
		"  -T, --timestamp       print a timestamp with each interval\n"
		"  -N, --nanoseconds     ns units\n"
		"  -m, --milliseconds    ms units (default: us)\n"
		"  -c, --cumulative      do not restart histograms each interval\n"
		"  -j, --json            one JSON object per interval\n");
	tdxhp_cli_usage(f);
	fprintf(f,
		"\nExamples:\n"
		"  tdxhp-hist                    per-TD histograms until Ctrl-C\n"
		"  tdxhp-hist -P 1 10            demote phases, 1 s intervals, 10 times\n"
		"  tdxhp-hist -M -o split -m     host-wide boundary splits in ms\n"
		"  tdxhp-hist --simulate=convert no TDX host: simulated conversions\n");
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
		TDXHP_CLI_LONGOPTS,
		{ 0 },
	};
	int opt, r;

	a->unit = &tdxhp_unit_us;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "o:PMp:n:TNmcjvh", longopts,
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
		case 'h':
			usage(stdout);
			exit(0);
		default:
			tdxhp_cli_bad_option(argv);
			return -1;
		}
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
	return tdxhp_td_filter_match(&a->filter, td->meta.pid, td->name);
}

static bool op_selected(const struct hist_args *a, int h,
			const struct tdxhp_hist *hist)
{
	if (a->ops)
		return a->ops & (1U << h);
	return tdxhp_hist_count(hist) > 0;
}

static void print_summary_line(const struct tdxhp_hist *h,
			       const struct tdxhp_unit *u)
{
	uint64_t n = tdxhp_hist_count(h);

	if (!n)
		return;
	printf("%*scount %llu  avg %.4g  p50 %.4g  p99 %.4g  (%s)\n", 5, "",
	       (unsigned long long)n, (double)h->sum_ns / (double)n / u->ns,
	       tdxhp_hist_quantile_ns(h, 0.5) / u->ns,
	       tdxhp_hist_quantile_ns(h, 0.99) / u->ns, u->label);
}

static void print_hists_text(const struct hist_args *a,
			     const struct tdxhp_td_stats *s)
{
	for (int h = 0; h < TDXHP_NR_HISTS; h++) {
		if (!op_selected(a, h, &s->hist[h]))
			continue;
		printf("\nop = %s\n", tdxhp_hist_name(h));
		tdxhp_hist_print(stdout, &s->hist[h], a->unit);
		print_summary_line(&s->hist[h], a->unit);
	}
}

static void print_hists_json(const struct hist_args *a,
			     const struct tdxhp_td_stats *s)
{
	bool first = true;

	printf("\"hists\":{");
	for (int h = 0; h < TDXHP_NR_HISTS; h++) {
		if (!op_selected(a, h, &s->hist[h]))
			continue;
		printf("%s\"%s\":", first ? "" : ",", tdxhp_hist_name(h));
		tdxhp_hist_json(stdout, &s->hist[h]);
		first = false;
	}
	printf("}");
}

/* Dropped or malformed events are always reported, never silent. */
static void print_drops_text(const struct tdxhp_host_stats *h)
{
	for (int i = 0; i < TDXHP_NR_HOST_COUNTERS; i++) {
		if (i == TDXHP_HC_RINGBUF_LOST || !h->counters[i])
			continue;
		printf("warning: %s: %llu\n", tdxhp_host_counter_name(i),
		       (unsigned long long)h->counters[i]);
	}
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
		    const struct tdxhp_td_stats *s)
{
	printf("{\"name\":");
	tdxhp_json_str(stdout, td->name);
	printf(",\"pid\":");
	tdxhp_id_json(stdout, td->meta.pid, tdxhp_pid_known(td->meta.pid));
	printf(",\"hkid\":");
	tdxhp_id_json(stdout, td->meta.hkid, tdxhp_hkid_known(td->meta.hkid));
	printf(",\"partial\":%s,",
	       td->meta.flags & TDXHP_TD_PARTIAL ? "true" : "false");
	print_hists_json(a, s);
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
	if (td->meta.flags & TDXHP_TD_PARTIAL)
		printf("  [partial: joined mid-life]");
	if (simulated)
		printf("  [simulated]");
	printf("\n");
}

struct report {
	const struct hist_args *a;
	const struct tdxhp_sim *sim;
	const struct tdxhp_snapshot *cur;
	const struct tdxhp_snapshot *prev; /* NULL: since load */
};

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
		char buf[16];

		tdxhp_format_clock(r->cur->ts_ns, buf, sizeof(buf));
		printf("\n%s\n", buf);
	}
	if (r->sim)
		printf("SIMULATED DATA (%s): no TDX host was traced\n",
		       tdxhp_sim_label(r->sim));
	if (a->merged) {
		host_interval(r, &s);
		printf("\nAll TDs (%u live)%s\n", r->cur->nr_tds,
		       r->sim ? "  [simulated]" : "");
		print_hists_text(a, &s);
	} else {
		const struct tdxhp_td **tds = sorted_tds(r->cur);

		for (unsigned int i = 0; tds && i < r->cur->nr_tds; i++) {
			const struct tdxhp_td *td = tds[i];

			if (!td_selected(a, td))
				continue;
			td_interval(r, td, &s);
			td_header(td, r->sim != NULL);
			print_hists_text(a, &s);
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

	printf("{\"ts_ns\":%llu,\"simulated\":%s,",
	       (unsigned long long)r->cur->ts_ns, r->sim ? "true" : "false");
	if (r->sim) {
		printf("\"scenario\":");
		tdxhp_json_str(stdout, tdxhp_sim_scenario(r->sim));
		printf(",");
	}
	printf("\"unit\":\"ns\",");
	if (a->merged) {
		host_interval(r, &s);
		printf("\"merged\":{\"live_tds\":%u,", r->cur->nr_tds);
		print_hists_json(a, &s);
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
			td_json(a, td, &s);
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
	struct report r = { .a = a, .sim = sim };
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
	struct report r = { .a = a, .sim = sim };
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
		if (!a->json)
			printf("Tracing TDX S-EPT operations... Hit Ctrl-C to end.\n");
		while (!tdxhp_stop)
			pause();
	}
	err = snapshot_and_report(t, &r, &snap);
	tdxhp_snapshot_free(&snap);
	return err;
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
