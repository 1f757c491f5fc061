// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * tdxhp-trace: stream individual TDX S-EPT events, record them to a file
 * and read recordings back, with the same summary as the live maps.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "aggregate.h"
#include "cli.h"
#include "drops.h"
#include "event_fmt.h"
#include "filter.h"
#include "html.h"
#include "json_fields.h"
#include "record.h"
#include "replay.h"
#include "snapshot.h"
#include "sources.h"
#include "stats.h"
#include "storm.h"
#include "summary.h"
#include "util.h"

struct trace_args {
	struct tdxhp_cli cli;	/* cli.filter: -p, -g, --uuid, --machine, -c */
	uint32_t events;	/* bit per event type; 0: all */
	uint64_t min_latency_ns;
	bool errors_only;
	int level;		/* 0: any */
	bool json;
	bool quiet;
	bool summary;
	bool csv;
	const char *write_path;
	const char *read_path;
	const char *info_path;
	const char *html_path;
	int argc;		/* the command line, for the recording's header */
	char **argv;
	uint64_t duration_ns;
	uint64_t max_count;
};

/* What a running trace keeps between records. */
struct tracer {
	struct trace_args *a;
	struct tdxhp *t;		/* NULL when replaying */
	struct tdxhp_rec_writer w;
	bool recording;
	bool simulated;		/* --simulate, or a simulated recording */
	int64_t mono_to_real_ns;
	uint64_t printed;
	uint64_t seen;
	uint64_t lost_reported;
	int write_err;
	/* (slot, gen) already named in the recording: a bitmap per slot */
	uint32_t *named_gen;
	unsigned int nr_slots;
	struct tdxhp_replay *rp;	/* replaying */
	struct tdxhp_json json;		/* -j on stdout */
	bool want_identity;		/* -j, or --uuid/--machine/--cgroup */
};


static const struct {
	const char *name;
	int type;
} event_aliases[] = {
	{ "init", TDXHP_EV_TD_INIT },
	{ "teardown", TDXHP_EV_TD_TEARDOWN },
	{ "add", TDXHP_EV_PAGE_ADD },
	{ "aug", TDXHP_EV_PAGE_AUG },
	{ "remove", TDXHP_EV_PAGE_REMOVE },
	{ "demote", TDXHP_EV_PAGE_DEMOTE },
	{ "split", TDXHP_EV_BOUNDARY_SPLIT },
	{ "ignored", TDXHP_EV_FAULT_SPLIT_IGNORED },
	{ "busy", TDXHP_EV_SEAMCALL_BUSY },
};

enum { OPT_CSV = 0x2000, OPT_INFO, OPT_HTML, OPT_DURATION, OPT_OLD_NAME };

static const struct tdxhp_opt trace_opts[] = {
	{ 'e', "event", "LIST", 0,
	  "only these events, comma separated: td_init,\n"
	  "td_teardown, page_add, page_aug, page_remove,\n"
	  "page_demote, boundary_split, fault_split_ignored,\n"
	  "seamcall_busy (or init, teardown, add, aug, remove,\n"
	  "demote, split, ignored, busy)" },
	{ 'L', "min-latency", "DURATION", 0,
	  "only operations that took at least this (100us)" },
	{ 'E', "errors", NULL, 0, "only failed operations" },
	{ 'l', "level", "4K|2M|1G", 0, "only events at this level" },
	{ 'j', "json", NULL, 0,
	  "JSON lines (schemas: docs/schema/tdxhp-trace-*)" },
	{ OPT_CSV, "csv", NULL, 0,
	  "CSV with a header row: events, or with -s the\n"
	  "summary (one row per TD and operation)" },
	{ 'q', "quiet", NULL, 0, "print no events (with -w or --summary)" },
	{ 's', "summary", NULL, 0, "per-TD summary and histograms at the end" },
	{ 'w', "write", "FILE", 0,
	  "record every event to FILE (filters apply to\n"
	  "what is printed, not to what is recorded)" },
	{ 'r', "read", "FILE", 0,
	  "read a recording instead of tracing; storms are\n"
	  "detected again (--storm-hits, --storm-window;\n"
	  "default: the thresholds it was recorded with)" },
	{ OPT_INFO, "info", "FILE", 0,
	  "what a recording says about itself: kernel,\n"
	  "host, version, command line, sources, start (-j)" },
	{ OPT_HTML, "html", "OUT", 0,
	  "with -r: write one self-contained HTML page of\n"
	  "the recording (coverage, latency heatmaps, storms)" },
	{ OPT_DURATION, "duration", "DURATION", 0, "stop after this long (60s)" },
	{ 'n', "count", "N", 0, "stop after printing N events" },
	{ OPT_OLD_NAME, "name", "REGEX", TDXHP_OPTF_HIDDEN, "now --guest" },
	{ 0 },
};

static const struct tdxhp_opt_group trace_groups[] = {
	{ NULL, trace_opts },
	TDXHP_CLI_FILTER_GROUP,
	TDXHP_CLI_SIM_GROUP,
	TDXHP_CLI_LOAD_GROUP,
	TDXHP_CLI_COMMON_GROUP,
	{ 0 },
};

static struct tdxhp_opt_set trace_set = {
	.synopsis = "[OPTIONS]\n-r FILE [OPTIONS]\n--info FILE [-j]",
	.about = "Stream, record and replay individual TDX S-EPT events.",
	.groups = trace_groups,
};

static void help_epilogue(FILE *f)
{
	fprintf(f, "\nScenarios:\n");
	tdxhp_sim_list(f);
	fprintf(f,
		"\nExamples:\n"
		"  tdxhp-trace -e demote -L 100us           slow demotes as they happen\n"
		"  tdxhp-trace -E -j                        failed operations as JSON\n"
		"  tdxhp-trace -g '^web-' -n 100            100 events of TDs named web-*\n"
		"  tdxhp-trace -q -w host.tdxhp --duration 60s   record a minute\n"
		"  tdxhp-trace -r host.tdxhp -s -q          summary of a recording\n"
		"  tdxhp-trace --info host.tdxhp            which kernel and host made it\n"
		"  tdxhp-trace -r host.tdxhp --html r.html  the recording as a picture\n");
}

/* An event by its name or alias, for --event. */
static int event_by_name(const char *name)
{
	for (int ev = 0; ev < TDXHP_NR_EVENTS; ev++)
		if (!strcmp(name, tdxhp_event_name(ev)))
			return ev;
	for (size_t i = 0; i < ARRAY_SIZE(event_aliases); i++)
		if (!strcmp(name, event_aliases[i].name))
			return event_aliases[i].type;
	return -1;
}

/* Letters whose meaning changed (docs/vocabulary.md) say so, in one line. */
static const char old_count[] = "-c is now --cgroup PATH; the event count is -n N";

static int parse_args(int argc, char **argv, struct trace_args *a)
{
	int opt, r;

	a->cli.opts = &trace_set;
	a->cli.help_epilogue = help_epilogue;
	tdxhp_opts_build(&trace_set);
	while ((opt = tdxhp_opts_next(&trace_set, argc, argv)) != -1) {
		if (opt == 'c' && optarg[0] != '/') {
			tdxhp_err("%s", old_count);
			return -1;
		}
		r = tdxhp_cli_parse(opt, optarg, &a->cli);
		if (r < 0)
			return -1;
		if (r > 0)
			continue;
		switch (opt) {
		case 'e':
			if (tdxhp_parse_name_list(optarg, event_by_name, "event",
						  &a->events))
				return -1;
			break;
		case 'L':
			if (tdxhp_parse_duration_ns(optarg, 1000, &a->min_latency_ns)) {
				tdxhp_err("--min-latency wants a duration such as 100us, not '%s'",
					  optarg);
				return -1;
			}
			break;
		case 'E':
			a->errors_only = true;
			break;
		case 'l':
			if (!strcasecmp(optarg, "4k"))
				a->level = TDXHP_LEVEL_4K;
			else if (!strcasecmp(optarg, "2m"))
				a->level = TDXHP_LEVEL_2M;
			else if (!strcasecmp(optarg, "1g"))
				a->level = TDXHP_LEVEL_1G;
			else {
				tdxhp_err("--level wants 4K, 2M or 1G, not '%s'",
					  optarg);
				return -1;
			}
			break;
		case 'j':
			a->json = true;
			break;
		case 'q':
			a->quiet = true;
			break;
		case 's':
			a->summary = true;
			break;
		case 'w':
			a->write_path = optarg;
			break;
		case 'r':
			a->read_path = optarg;
			break;
		case OPT_DURATION:
			if (tdxhp_parse_duration_ns(optarg, 1000000000ULL,
						    &a->duration_ns) ||
			    !a->duration_ns) {
				tdxhp_err("--duration wants a duration such as 10s, not '%s'",
					  optarg);
				return -1;
			}
			break;
		case 'n':
			if (tdxhp_parse_u64(optarg, 0, UINT64_MAX, &a->max_count)) {
				tdxhp_err("-n is now --count N (events); the TD name filter is -g REGEX");
				return -1;
			}
			if (!a->max_count) {
				tdxhp_err("--count wants a whole number from 1, not '%s'",
					  optarg);
				return -1;
			}
			break;
		case OPT_CSV:
			a->csv = true;
			break;
		case OPT_INFO:
			a->info_path = optarg;
			break;
		case OPT_HTML:
			a->html_path = optarg;
			break;
		case OPT_OLD_NAME:
			if (tdxhp_td_filter_name(&a->cli.filter, optarg))
				return -1;
			break;
		default:
			if (opt == '?' && optopt == 'c')
				tdxhp_err("%s", old_count);
			else if (opt == '?' && optopt == 'd')
				tdxhp_err("-d is now --duration DURATION (-d is the interval of top and hist)");
			else
				tdxhp_cli_bad_option(argv);
			return -1;
		}
	}
	if (tdxhp_cli_no_more_args(argc, argv))
		return -1;
	if (a->read_path && (a->write_path || a->cli.simulate)) {
		tdxhp_err("--read replays a recording: it takes no --write or --simulate");
		return -1;
	}
	if (a->csv && a->json) {
		tdxhp_err("--csv and --json: choose one");
		return -1;
	}
	if (a->html_path && !a->read_path) {
		tdxhp_err("--html draws a recording: give it with -r FILE");
		return -1;
	}
	if (a->info_path && (a->read_path || a->write_path || a->cli.simulate)) {
		tdxhp_err("--info FILE only reads the header of FILE");
		return -1;
	}
	a->argc = argc;
	a->argv = argv;
	if (a->read_path || a->info_path)
		return 0;
	return tdxhp_cli_validate(&a->cli);
}

static bool wanted(const struct tracer *tr, const struct tdxhp_rec_event *r,
		   const char *name, const struct tdxhp_identity *id)
{
	const struct trace_args *a = tr->a;

	if (a->events && !(a->events & (1U << r->type)))
		return false;
	if (!tdxhp_td_filter_match_identity(&a->cli.filter, r->pid, name, id))
		return false;
	if (a->min_latency_ns && tdxhp_event_latency_ns(r) < a->min_latency_ns)
		return false;
	if (a->errors_only && !tdxhp_event_failed(r))
		return false;
	if (a->level && r->level != a->level)
		return false;
	return true;
}

/* id: the TD's identity when known (live or recorded), else NULL. */
static void print_event(struct tracer *tr, const struct tdxhp_rec_event *r,
			const char *name, const struct tdxhp_identity *id)
{
	if (tr->a->quiet || !wanted(tr, r, name, id))
		return;
	if (tr->a->max_count && tr->printed >= tr->a->max_count)
		return;
	if (tr->a->csv)
		tdxhp_event_csv(stdout, r, name, tr->mono_to_real_ns, tr->simulated);
	else if (tr->a->json)
		tdxhp_event_json(&tr->json, r, name, id, tr->mono_to_real_ns,
				 tr->simulated);
	else
		tdxhp_event_text(stdout, r, name, tr->mono_to_real_ns);
	if (++tr->printed == tr->a->max_count)
		tdxhp_stop = 1;
}

/* Record the TD's name and identity once per (slot, generation). */
static void record_td(struct tracer *tr, const struct tdxhp_rec_event *r,
		      const char *name)
{
	struct tdxhp_rec_td td = {
		.slot = r->slot, .gen = r->gen, .pid = r->pid, .hkid = r->hkid,
	};
	struct tdxhp_rec_identity ri = { .slot = r->slot, .gen = r->gen };
	struct tdxhp_identity id;

	if (r->slot >= tr->nr_slots || tr->named_gen[r->slot] == r->gen + 1)
		return;
	tr->named_gen[r->slot] = r->gen + 1;
	if (__atomic_load_n(&tr->t->meta[r->slot].gen, __ATOMIC_ACQUIRE) == r->gen)
		td.flags = __atomic_load_n(&tr->t->meta[r->slot].flags,
					   __ATOMIC_ACQUIRE);
	snprintf(td.name, sizeof(td.name), "%s", name);
	if (!tr->write_err)
		tr->write_err = tdxhp_rec_write_td(&tr->w, &td);
	/* Cached per TD: the frame costs a lookup once per TD. */
	tdxhp_td_identity(tr->t, r->slot, r->gen, r->pid, &id);
	if (tdxhp_identity_empty(&id))
		return;
	snprintf(ri.uuid, sizeof(ri.uuid), "%s", id.uuid);
	snprintf(ri.machine, sizeof(ri.machine), "%s", id.machine);
	snprintf(ri.cgroup, sizeof(ri.cgroup), "%s", id.cgroup);
	if (!tr->write_err)
		tr->write_err = tdxhp_rec_write_identity(&tr->w, &ri);
}

static int on_record(void *ctx, void *data, size_t size)
{
	struct tracer *tr = ctx;
	struct tdxhp_rec_event e;
	struct tdxhp_identity id;
	char name[TDXHP_NAME_LEN];

	if (size < sizeof(struct tdxhp_record))
		return 0;
	tdxhp_rec_event_from_record(data, &e);
	if (!e.source && e.type < TDXHP_NR_EVENTS)
		e.source = tr->t->source[e.type];
	tr->seen++;
	tdxhp_td_name(tr->t, e.slot, e.gen, e.pid, name, sizeof(name));
	if (tr->recording) {
		record_td(tr, &e, name);
		if (!tr->write_err)
			tr->write_err = tdxhp_rec_write_event(&tr->w, &e);
	}
	if (tr->want_identity)
		tdxhp_td_identity(tr->t, e.slot, e.gen, e.pid, &id);
	print_event(tr, &e, name, tr->want_identity ? &id : NULL);
	return 0;
}

/* Lost records are counted in the kernel; say so, and record it. */
static void check_lost(struct tracer *tr, struct tdxhp_snapshot *snap)
{
	uint64_t lost;

	if (tdxhp_snapshot_read(tr->t, snap))
		return;
	lost = snap->host.counters[TDXHP_HC_RINGBUF_LOST];
	if (lost == tr->lost_reported)
		return;
	if (tr->a->json) {
		tdxhp_json_record_start(&tr->json, TDXHP_SCHEMA_TRACE_LOST,
					tr->simulated);
		tdxhp_json_times(&tr->json, snap->ts_ns, tr->mono_to_real_ns);
		tdxhp_json_kv_u64(&tr->json, "lost", lost);
		tdxhp_json_object_end(&tr->json);
		tdxhp_json_line_end(&tr->json);
	} else {
		fprintf(stderr, "tdxhp-trace: %llu events lost so far (ring buffer full)\n",
			(unsigned long long)lost);
	}
	if (tr->recording && !tr->write_err)
		tr->write_err = tdxhp_rec_write_lost(&tr->w, lost);
	tr->lost_reported = lost;
}

/* Gfns of a TD that stormed: from the live table, or the replay's detector. */
static void td_storms(struct tracer *tr, const struct tdxhp_td *td,
		      struct tdxhp_summary_td *out)
{
	out->storm = td->meta.flags & TDXHP_TD_STORM;
	if (tr->rp) {
		const struct tdxhp_agg *g = &tr->rp->agg;
		uint64_t key = tdxhp_agg_slot_key(td->slot, td->gen);

		for (unsigned int i = 0; i < g->nr_storms &&
					 out->nr_storms < TDXHP_SUMMARY_MAX_STORM_GFNS;
		     i++) {
			if (g->storms[i].key != key || !g->storms[i].storms)
				continue;
			out->storms[out->nr_storms].gfn = g->storms[i].gfn;
			out->storms[out->nr_storms++].storms = g->storms[i].storms;
		}
	} else {
		struct tdxhp_storm_gfn g[TDXHP_SUMMARY_MAX_STORM_GFNS];
		int n = tdxhp_storm_gfns(tr->t, td->slot, g, (int)ARRAY_SIZE(g));

		for (int i = 0; i < n; i++) {
			if (!g[i].storms)
				continue;
			out->storms[out->nr_storms].gfn = g[i].gfn;
			out->storms[out->nr_storms++].storms = g[i].storms;
		}
	}
}

static int by_gfn(const void *x, const void *y)
{
	const struct tdxhp_summary_storm *a = x, *b = y;

	return (a->gfn > b->gfn) - (a->gfn < b->gfn);
}

/* The summary of a snapshot (live maps or a replay), filtered as events are. */
static void print_summary(struct tracer *tr, const struct tdxhp_snapshot *snap,
			  const char *source)
{
	struct tdxhp_summary_td *tds = calloc(snap->nr_tds + 1, sizeof(*tds));
	struct tdxhp_summary s = {
		.tds = tds, .retired = &snap->retired, .source = source,
		.unit = &tdxhp_unit_us,
		.retired_mm = tr->rp ? tr->rp->agg.retired_mm : NULL,
		.simulated = tr->simulated,
		.ts_ns = snap->ts_ns,
		.mono_to_real_ns = tr->mono_to_real_ns,
	};

	if (!tds)
		return;
	for (int ev = 0; ev < TDXHP_NR_EVENTS; ev++)
		s.events[ev] = snap->host.events[ev];
	for (unsigned int i = 0; i < snap->nr_tds; i++) {
		const struct tdxhp_td *td = &snap->tds[i];
		struct tdxhp_summary_td *o = &tds[s.nr_tds];

		if (!tdxhp_td_filter_match_identity(&tr->a->cli.filter,
						    td->meta.pid, td->name, &td->id))
			continue;
		o->name = td->name;
		o->id = &td->id;
		o->pid = td->meta.pid;
		o->hkid = td->meta.hkid;
		o->partial = td->meta.flags & TDXHP_TD_PARTIAL;
		o->stats = &td->stats;
		o->mm = tr->rp ? tdxhp_replay_minmax(tr->rp, td->slot, td->gen) : NULL;
		td_storms(tr, td, o);
		qsort(o->storms, o->nr_storms, sizeof(o->storms[0]), by_gfn);
		s.nr_tds++;
	}
	if (tr->a->csv)
		tdxhp_summary_csv(stdout, &s);
	else if (tr->a->json)
		tdxhp_summary_json(&tr->json, &s);
	else
		tdxhp_summary_print(stdout, &s);
	free(tds);
}

static int start_recording(struct tracer *tr, struct tdxhp_sim *sim)
{
	const struct tdxhp_opts *o = &tr->a->cli.load;
	struct tdxhp_rec_header h = {
		.nr_cpus = (uint32_t)tr->t->nr_cpus,
		.storm_hits = o->storm_hits ? o->storm_hits : TDXHP_DEFAULT_STORM_HITS,
		.storm_window_ns = o->storm_window_ns ? o->storm_window_ns :
							TDXHP_DEFAULT_STORM_WINDOW_NS,
	};
	int err;

	tdxhp_rec_header_describe(&h, tr->a->argc, tr->a->argv);
	tr->mono_to_real_ns = h.mono_to_real_ns;
	snprintf(h.source, sizeof(h.source), "%s",
		 sim ? tdxhp_sim_label(sim) : "live");
	if (sim)
		h.flags |= TDXHP_REC_F_SIMULATED;
	for (int ev = 0; ev < TDXHP_NR_EVENTS; ev++)
		snprintf(h.event_source[ev], sizeof(h.event_source[ev]), "%s",
			 sim ? "simulated" : tdxhp_source_name(tr->t->source[ev]));
	err = tdxhp_rec_create(&tr->w, tr->a->write_path, &h);
	if (err) {
		tdxhp_err("cannot create %s: %s", tr->a->write_path,
			  err == -EEXIST ? "it exists (tdxhp-trace never overwrites a recording)" :
					   strerror(-err));
		return err;
	}
	tr->recording = true;
	return 0;
}

static int run_live(struct trace_args *a)
{
	struct tracer tr = {
		.a = a,
		.want_identity = a->json ||
				 tdxhp_td_filter_wants_identity(&a->cli.filter),
	};
	struct tdxhp_sim *sim = NULL;
	struct tdxhp_snapshot snap;
	struct ring_buffer *rb = NULL;
	struct tdxhp t;
	uint64_t start, next_lost_check;
	char source[128], dropped[512];
	int err;

	if (tdxhp_cli_open(&a->cli, &t, &sim))
		return 1;
	tr.t = &t;
	tdxhp_json_init(&tr.json, stdout, false);
	tr.nr_slots = t.nr_slots;
	tr.mono_to_real_ns = tdxhp_mono_to_real_ns();
	tr.named_gen = calloc(t.nr_slots, sizeof(*tr.named_gen));
	err = tr.named_gen && !tdxhp_snapshot_init(&snap, &t) ? 0 : -ENOMEM;
	if (err) {
		tdxhp_err("out of memory");
		goto out;
	}
	err = a->write_path ? start_recording(&tr, sim) : 0;
	if (err)
		goto out;
	rb = ring_buffer__new(tdxhp_ringbuf_fd(&t), on_record, &tr, NULL);
	if (!rb) {
		err = -errno;
		tdxhp_err("ring buffer: %s", strerror(errno));
		goto out;
	}
	err = tdxhp_set_stream(&t, true);
	if (err) {
		tdxhp_err("%s", t.errmsg);
		goto out;
	}
	if (sim) {
		fprintf(stderr, "tdxhp-trace: SIMULATED DATA (%s): no TDX host is traced\n",
			tdxhp_sim_label(sim));
	} else if (!a->quiet) {
		char what[128];

		tdxhp_sources_summary(&t, what, sizeof(what));
		fprintf(stderr, "tdxhp-trace: tracing live: %s\n", what);
	}
	tr.simulated = sim != NULL;
	if (!a->quiet && a->csv)
		tdxhp_event_csv_header(stdout);
	else if (!a->quiet && !a->json)
		tdxhp_event_text_header(stdout);

	start = tdxhp_now_ns();
	next_lost_check = start + 1000000000ULL;
	if (sim && a->cli.sim_ticks) {
		/* Frozen run: consume after every tick, so nothing is lost. */
		for (uint64_t i = 0; i < a->cli.sim_ticks && !tdxhp_stop &&
				     !tr.write_err; i++) {
			tdxhp_sim_run_ticks(sim, 1);
			ring_buffer__consume(rb);
		}
	} else {
		if (sim && tdxhp_sim_start(sim)) {
			err = -1;
			goto out;
		}
		while (!tdxhp_stop) {
			int n = ring_buffer__poll(rb, 100);
			uint64_t now = tdxhp_now_ns();

			if (n < 0 && n != -EINTR) {
				tdxhp_err("reading events: %s", strerror(-n));
				err = n;
				break;
			}
			if (now >= next_lost_check) {
				check_lost(&tr, &snap);
				next_lost_check = now + 1000000000ULL;
			}
			if (a->duration_ns && now - start >= a->duration_ns)
				break;
			if (tr.write_err)
				break;
		}
		if (sim)
			tdxhp_sim_stop(sim);
	}
	tdxhp_set_stream(&t, false);
	ring_buffer__consume(rb);
	fflush(stdout);
	check_lost(&tr, &snap);
	if (tr.write_err) {
		tdxhp_err("writing %s: %s", a->write_path, strerror(-tr.write_err));
		err = tr.write_err;
	}
	if (a->summary && !tdxhp_snapshot_read(&t, &snap)) {
		snprintf(source, sizeof(source), "%s",
			 sim ? tdxhp_sim_label(sim) : "live");
		print_summary(&tr, &snap, source);
	}
	fprintf(stderr, "tdxhp-trace: %llu events, %llu printed, %llu lost\n",
		(unsigned long long)tr.seen, (unsigned long long)tr.printed,
		(unsigned long long)tr.lost_reported);
	/* The ring buffer's losses are on the line above; the rest here. */
	snap.host.counters[TDXHP_HC_RINGBUF_LOST] = 0;
	if (tdxhp_dropped_text(&snap.host, TDXHP_VIEW_STREAM, dropped,
			       sizeof(dropped)))
		fprintf(stderr, "tdxhp-trace: warning: dropped: %s\n", dropped);
	tdxhp_snapshot_free(&snap);
out:
	if (tr.recording) {
		int cerr = tdxhp_rec_close(&tr.w);

		if (cerr && !err) {
			tdxhp_err("closing %s: %s", a->write_path, strerror(-cerr));
			err = cerr;
		}
	}
	ring_buffer__free(rb);
	free(tr.named_gen);
	tdxhp_sim_free(sim);
	tdxhp_close(&t);
	return err ? 1 : 0;
}

/* ------------------------------------------------------------------ */
/* Replay                                                              */

static int run_info(struct trace_args *a)
{
	struct tdxhp_replay rp;

	if (tdxhp_replay_open(&rp, a->info_path, 0, 0))
		return 1;
	tdxhp_replay_all(&rp);
	if (a->json)
		tdxhp_replay_info_json(&rp, stdout);
	else
		tdxhp_replay_info(&rp, stdout);
	tdxhp_replay_close(&rp);
	return 0;
}

static int run_replay(struct trace_args *a)
{
	struct tracer tr = { .a = a };
	struct tdxhp_replay rp;
	struct tdxhp_snapshot snap = { 0 };
	struct tdxhp_html *html = NULL;
	struct tdxhp_rec_event ev;
	int damage, ret = 0;

	if (tdxhp_replay_open(&rp, a->read_path, a->cli.load.storm_hits,
			      a->cli.load.storm_window_ns))
		return 1;
	tr.rp = &rp;
	tdxhp_json_init(&tr.json, stdout, false);
	tr.simulated = tdxhp_replay_simulated(&rp);
	tr.mono_to_real_ns = rp.rd.h.mono_to_real_ns;
	if (a->html_path) {
		html = tdxhp_html_new(&rp);
		if (!html) {
			tdxhp_err("out of memory");
			tdxhp_replay_close(&rp);
			return 1;
		}
	}
	if (!a->quiet) {
		if (a->csv)
			tdxhp_event_csv_header(stdout);
		else if (!a->json)
			tdxhp_event_text_header(stdout);
	}
	while (!tdxhp_stop && tdxhp_replay_next(&rp, &ev) > 0) {
		tr.seen++;
		if (html && tdxhp_html_add(html, &rp, &ev)) {
			tdxhp_err("out of memory");
			ret = 1;
			break;
		}
		/* Identities as recorded (IDENTITY frames), NULL if none. */
		print_event(&tr, &ev, tdxhp_replay_name(&rp, ev.slot, ev.gen),
			    tdxhp_replay_identity(&rp, ev.slot, ev.gen));
	}
	fflush(stdout);
	damage = tdxhp_replay_report_end(&rp, stderr, tdxhp_prog_name);
	if (damage < 0 || rp.status == -ENOMEM)
		ret = 1;
	if (!ret && a->summary) {
		if (tdxhp_replay_snapshot(&rp, &snap)) {
			tdxhp_err("out of memory");
			ret = 1;
		} else {
			print_summary(&tr, &snap, rp.rd.h.source);
		}
	}
	if (!ret && html) {
		const struct tdxhp_replay *rps[] = { &rp };
		int err = tdxhp_html_write(a->html_path, &html, rps, 1);

		if (err) {
			tdxhp_err("writing %s: %s", a->html_path, strerror(-err));
			ret = 1;
		}
	}
	/* A cut file is what a crash leaves: its complete part is the answer. */
	if (damage == TDXHP_REC_CORRUPT)
		ret = 1;
	if (tdxhp_replay_simulated(&rp))
		fprintf(stderr, "tdxhp-trace: SIMULATED DATA: this recording was made with --simulate (%s)\n",
			rp.rd.h.source);
	if (rp.lost)
		fprintf(stderr, "tdxhp-trace: the recording lost %llu events while tracing\n",
			(unsigned long long)rp.lost);
	fflush(stdout);
	if (ferror(stdout)) {
		tdxhp_err("writing the output: %s", strerror(errno));
		ret = 1;
	}
	tdxhp_html_free(html);
	free(snap.tds);
	tdxhp_replay_close(&rp);
	return ret;
}

int main(int argc, char **argv)
{
	struct trace_args a = { 0 };
	int ret;

	tdxhp_prog_name = "tdxhp-trace";
	if (parse_args(argc, argv, &a))
		return 2;
	tdxhp_stop_on_signals();
	if (a.info_path)
		ret = run_info(&a);
	else if (a.read_path)
		ret = run_replay(&a);
	else
		ret = run_live(&a);
	tdxhp_td_filter_free(&a.cli.filter);
	return ret;
}
