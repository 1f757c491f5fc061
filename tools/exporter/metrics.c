// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The exposition: per-TD series carry the TD's labels only (td, pid, hkid,
 * and uuid and machine where known: one value per TD, so no more series),
 * about 55 series per TD (31 with native histograms); everything else is
 * host-wide.  Rendering appends to one buffer, with no
 * allocation per line.  Words follow docs/vocabulary.md: "split" is a
 * boundary split, "demote" one page_demote (BLOCK, TRACK, DEMOTE).
 */
#include <stdio.h>
#include <stdlib.h>

#include "drops.h"
#include "escape.h"
#include "hist.h"
#include "loader.h"
#include "metrics.h"
#include "negotiate.h"
#include "stats.h"
#include "util.h"
#include "values.h"

/*
 * Classic bucket bounds as log2 slot indexes: le = 2^(slot+1) ns exactly.
 * Host histograms get every slot from 1.024 us to 2.147 s; per-TD ones
 * every other slot (x4 steps) to keep the series count down.  Lower slots
 * fold into the first bucket, slot 31 (2.1 s and up) only into +Inf.
 * Native histograms (protobuf) carry every slot.
 */
const int metrics_host_le_slots[] = { 9,  10, 11, 12, 13, 14, 15, 16,
				      17, 18, 19, 20, 21, 22, 23, 24,
				      25, 26, 27, 28, 29, 30 };
const unsigned int metrics_nr_host_le = ARRAY_SIZE(metrics_host_le_slots);
const int metrics_td_le_slots[] = { 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29 };
const unsigned int metrics_nr_td_le = ARRAY_SIZE(metrics_td_le_slots);

static const struct expo_buckets host_buckets = {
	metrics_host_le_slots, ARRAY_SIZE(metrics_host_le_slots)
};
static const struct expo_buckets td_buckets = {
	metrics_td_le_slots, ARRAY_SIZE(metrics_td_le_slots)
};

/* Counters kept per TD and host-wide, with one optional extra label. */
struct counter_series {
	struct expo_label label; /* { "level", "4k" }, or { NULL } */
	int counter; /* enum tdxhp_counter */
};

struct counter_family {
	const char *suffix; /* tdxhp_td_<suffix> and tdxhp_host_<suffix> */
	const char *help;
	unsigned int nr;
	struct counter_series series[5];
};

#define LEVEL(lv)           \
	{                   \
		"level", lv \
	}
#define NONE               \
	{                  \
		NULL, NULL \
	}

static const struct counter_family counter_families[] = {
	{ "aug_total",
	  "Private leaves mapped by TDH.MEM.PAGE.AUG, by level.",
	  3,
	  { { LEVEL("4k"), TDXHP_C_AUG_4K },
	    { LEVEL("2m"), TDXHP_C_AUG_2M },
	    { LEVEL("1g"), TDXHP_C_AUG_1G } } },
	{ "add_total",
	  "4K pages added by TDH.MEM.PAGE.ADD at TD build time.",
	  1,
	  { { NONE, TDXHP_C_ADD } } },
	{ "remove_total",
	  "Private leaves zapped, by level.",
	  3,
	  { { LEVEL("4k"), TDXHP_C_REMOVE_4K },
	    { LEVEL("2m"), TDXHP_C_REMOVE_2M },
	    { LEVEL("1g"), TDXHP_C_REMOVE_1G } } },
	{ "errors_total",
	  "Failed S-EPT operations, by op: add, aug, remove, demote (a page_demote), split (a boundary split).",
	  5,
	  { { { "op", "add" }, TDXHP_C_ADD_ERR },
	    { { "op", "aug" }, TDXHP_C_AUG_ERR },
	    { { "op", "remove" }, TDXHP_C_REMOVE_ERR },
	    { { "op", "demote" }, TDXHP_C_DEMOTE_ERR },
	    { { "op", "split" }, TDXHP_C_SPLIT_ERR } } },
	{ "demotes_total",
	  "Demotes: huge leaves turned into 512 smaller ones by one BLOCK, TRACK, DEMOTE SEAMCALL sequence (page_demote).",
	  1,
	  { { NONE, TDXHP_C_DEMOTE } } },
	{ "busy_retries_total",
	  "TDX_OPERAND_BUSY retries inside demotes, all phases.",
	  1,
	  { { NONE, TDXHP_C_DEMOTE_BUSY_RETRY } } },
	{ "boundary_splits_total",
	  "Splits: KVM splitting the 2M mappings at a range's edges because part of them changed, by reason (convert to shared, punch_hole, accept).",
	  3,
	  { { { "reason", "convert" }, TDXHP_C_SPLIT_CONVERT },
	    { { "reason", "punch_hole" }, TDXHP_C_SPLIT_PUNCH_HOLE },
	    { { "reason", "accept" }, TDXHP_C_SPLIT_ACCEPT } } },
	{ "split_leaves_total",
	  "Huge leaves demoted by splits (the nr_split of each boundary split).",
	  1,
	  { { NONE, TDXHP_C_SPLIT_LEAVES } } },
	{ "fault_splits_ignored_total",
	  "Faults that wanted a smaller leaf and kept the existing huge one (fault_split_ignored: no split, no demote; repeated, an EPT-violation storm).",
	  1,
	  { { NONE, TDXHP_C_FAULT_SPLIT_IGNORED } } },
	{ "seamcall_busy_total",
	  "SEAMCALLs that returned TDX_OPERAND_BUSY and were retried.",
	  1,
	  { { NONE, TDXHP_C_SEAMCALL_BUSY } } },
	{ "storms_total",
	  "EPT-violation storm windows detected.",
	  1,
	  { { NONE, TDXHP_C_STORM } } },
	{ "bad_events_total",
	  "Events with an invalid level or reason.",
	  1,
	  { { NONE, TDXHP_C_BAD_EVENT } } },
};

static const struct expo_label level_labels[TDXHP_NR_LEVELS] = { LEVEL("4k"),
								 LEVEL("2m"),
								 LEVEL("1g") };

static const struct expo_label *opt_label(const struct expo_label *l)
{
	return l->name ? l : NULL;
}

/* Labels of every TD, rendered once per collection in one buffer. */
struct td_labels {
	struct buf text;
	size_t *off; /* nr_tds + 1 offsets into text */
};

/*
 * td is the TD's name as resolved, never rewritten.  A live hkid is
 * unique on the host, so td, pid and hkid make a TD's label set unique; a
 * TD whose hkid is unknown (it joined mid-life) also gets its slot, which
 * no other live TD holds.  uuid and machine follow where known (Prometheus
 * has no empty labels: an unknown one is left out).
 */
static void td_label_set(struct buf *b, enum expo_format fmt,
			 const struct tdxhp_td *td)
{
	char pid[24], hkid[24], slot[16];

	/* docs/values.md: an unknown pid or hkid is the label "unknown". */
	if (tdxhp_pid_known(td->meta.pid))
		snprintf(pid, sizeof(pid), "%d", (int)td->meta.pid);
	else
		snprintf(pid, sizeof(pid), "%s", TDXHP_UNKNOWN_LABEL);
	if (tdxhp_hkid_known(td->meta.hkid))
		snprintf(hkid, sizeof(hkid), "%d", (int)td->meta.hkid);
	else
		snprintf(hkid, sizeof(hkid), "%s", TDXHP_UNKNOWN_LABEL);
	expo_label_append(b, fmt, true, "td", td->name);
	expo_label_append(b, fmt, false, "pid", pid);
	expo_label_append(b, fmt, false, "hkid", hkid);
	if (!tdxhp_hkid_known(td->meta.hkid)) {
		snprintf(slot, sizeof(slot), "%u", td->slot);
		expo_label_append(b, fmt, false, "slot", slot);
	}
	if (td->id.uuid[0])
		expo_label_append(b, fmt, false, "uuid", td->id.uuid);
	if (td->id.machine[0])
		expo_label_append(b, fmt, false, "machine", td->id.machine);
}

static int td_labels_build(struct td_labels *l, enum expo_format fmt,
			   const struct tdxhp_snapshot *s)
{
	l->off = calloc(s->nr_tds + 1, sizeof(*l->off));
	if (!l->off || buf_init(&l->text, (size_t)s->nr_tds * 160 + 64)) {
		free(l->off);
		l->off = NULL;
		return -1;
	}
	for (unsigned int i = 0; i < s->nr_tds; i++) {
		l->off[i] = l->text.len;
		td_label_set(&l->text, fmt, &s->tds[i]);
	}
	l->off[s->nr_tds] = l->text.len;
	return l->text.failed ? -1 : 0;
}

static void td_labels_free(struct td_labels *l)
{
	buf_free(&l->text);
	free(l->off);
}

static struct expo_labels td_labels(const struct td_labels *l, unsigned int i)
{
	return (struct expo_labels){ l->text.data + l->off[i],
				     l->off[i + 1] - l->off[i] };
}

static bool storm_active(const struct metrics_input *in,
			 const struct tdxhp_td *td)
{
	uint64_t last = td->meta.last_storm_ns, now = in->snap->ts_ns;

	return last && now >= last ? now - last <= in->storm_active_ns :
				     last != 0;
}

static void render_td_info(struct expo *e, const struct metrics_input *in,
			   const struct td_labels *l)
{
	static const struct expo_label partial[] = { { "partial", "false" },
						     { "partial", "true" } };
	const struct tdxhp_snapshot *s = in->snap;
	struct buf with;

	expo_family(
		e, "tdxhp_td_info", EXPO_GAUGE,
		"A live TD; partial=\"true\" if it joined before tdxhp started; cgroup: its VMM's, where known.");
	if (buf_init(&with, 4 * TDXHP_CGROUP_LEN)) {
		e->b->failed = true;
		return;
	}
	for (unsigned int i = 0; i < s->nr_tds; i++) {
		const struct tdxhp_td *td = &s->tds[i];
		struct expo_labels tl = td_labels(l, i);

		/* The cgroup only here: long, and one per TD anyway. */
		if (td->id.cgroup[0]) {
			with.len = 0;
			buf_mem(&with, tl.data, tl.len);
			expo_label_append(&with, e->fmt, !tl.len, "cgroup",
					  td->id.cgroup);
			if (with.failed) {
				e->b->failed = true;
				break;
			}
			tl = (struct expo_labels){ with.data, with.len };
		}
		expo_u64(e, tl,
			 &partial[!!(td->meta.flags & TDXHP_TD_PARTIAL)], 1);
	}
	buf_free(&with);
}

static void render_td_gauges(struct expo *e, const struct metrics_input *in,
			     const struct td_labels *l)
{
	const struct tdxhp_snapshot *s = in->snap;

	/* As measured, never clamped: a partial TD's can be negative. */
	expo_family(
		e, "tdxhp_td_private_pages", EXPO_GAUGE,
		"Private leaves mapped, by level (partial TDs: net since first sight, may be negative).");
	for (unsigned int i = 0; i < s->nr_tds; i++)
		for (int lv = 0; lv < TDXHP_NR_LEVELS; lv++)
			expo_i64(e, td_labels(l, i), &level_labels[lv],
				 tdxhp_gauge_pages(&s->tds[i].stats, lv + 1));
	expo_family(
		e, "tdxhp_td_private_bytes", EXPO_GAUGE,
		"Private memory mapped in the secure EPT (partial TDs: net since first sight).");
	for (unsigned int i = 0; i < s->nr_tds; i++)
		expo_i64(e, td_labels(l, i), NULL,
			 tdxhp_gauge_bytes(&s->tds[i].stats));
	expo_family(
		e, "tdxhp_td_huge_coverage_ratio", EXPO_GAUGE,
		"Share of mapped private memory in 2M or 1G leaves (absent while unknown: nothing mapped, or a partial TD's gauge below zero).");
	for (unsigned int i = 0; i < s->nr_tds; i++) {
		double cov = tdxhp_huge_coverage(&s->tds[i].stats);

		if (cov >= 0)
			expo_double(e, td_labels(l, i), NULL, cov);
	}
	expo_family(
		e, "tdxhp_td_storm_active", EXPO_GAUGE,
		"1 if the TD had an EPT-violation storm recently (see --collector.storm-active).");
	for (unsigned int i = 0; i < s->nr_tds; i++)
		expo_u64(e, td_labels(l, i), NULL,
			 storm_active(in, &s->tds[i]));
}

static void render_td_counters(struct expo *e, const struct metrics_input *in,
			       const struct td_labels *l)
{
	const struct tdxhp_snapshot *s = in->snap;
	char name[80];

	for (unsigned int f = 0; f < ARRAY_SIZE(counter_families); f++) {
		const struct counter_family *cf = &counter_families[f];

		snprintf(name, sizeof(name), "tdxhp_td_%s", cf->suffix);
		expo_family(e, name, EXPO_COUNTER, cf->help);
		for (unsigned int i = 0; i < s->nr_tds; i++) {
			const __u64 *v = s->tds[i].stats.counters;

			for (unsigned int k = 0; k < cf->nr; k++)
				expo_u64(e, td_labels(l, i),
					 opt_label(&cf->series[k].label),
					 v[cf->series[k].counter]);
		}
	}
}

static void render_td_hists(struct expo *e, const struct metrics_input *in,
			    const struct td_labels *l)
{
	const struct tdxhp_snapshot *s = in->snap;

	expo_family(
		e, "tdxhp_td_split_duration_seconds", EXPO_HISTOGRAM,
		"Split latency per TD: one boundary split, every demote it causes included.");
	for (unsigned int i = 0; i < s->nr_tds; i++)
		expo_hist(e, td_labels(l, i), NULL,
			  &s->tds[i].stats.hist[TDXHP_H_SPLIT], &td_buckets);
	expo_family(
		e, "tdxhp_td_demote_duration_seconds", EXPO_HISTOGRAM,
		"Demote latency per TD: one page_demote, its BLOCK, TRACK and DEMOTE together.");
	for (unsigned int i = 0; i < s->nr_tds; i++)
		expo_hist(e, td_labels(l, i), NULL,
			  &s->tds[i].stats.hist[TDXHP_H_DEMOTE], &td_buckets);
}

static void render_host(struct expo *e, const struct metrics_input *in)
{
	const struct tdxhp_td_stats *h = in->host;
	char name[80], num[16];

	expo_family(e, "tdxhp_host_private_pages", EXPO_GAUGE,
		    "Private leaves mapped by all live TDs, by level.");
	for (int lv = 0; lv < TDXHP_NR_LEVELS; lv++)
		expo_i64(e, EXPO_NO_LABELS, &level_labels[lv],
			 tdxhp_gauge_pages(h, lv + 1));
	expo_family(e, "tdxhp_host_private_bytes", EXPO_GAUGE,
		    "Private memory mapped by all live TDs.");
	expo_i64(e, EXPO_NO_LABELS, NULL, tdxhp_gauge_bytes(h));
	for (unsigned int f = 0; f < ARRAY_SIZE(counter_families); f++) {
		const struct counter_family *cf = &counter_families[f];

		snprintf(name, sizeof(name), "tdxhp_host_%s", cf->suffix);
		expo_family(e, name, EXPO_COUNTER, cf->help);
		for (unsigned int k = 0; k < cf->nr; k++)
			expo_u64(e, EXPO_NO_LABELS,
				 opt_label(&cf->series[k].label),
				 h->counters[cf->series[k].counter]);
	}
	expo_family(
		e, "tdxhp_host_seamcall_busy_by_leaf_total", EXPO_COUNTER,
		"TDX_OPERAND_BUSY retries by SEAMCALL leaf (7 RANGE.BLOCK, 15 PAGE.DEMOTE, 38 TRACK).");
	for (int i = 0; i < TDXHP_MAX_SEAMCALL; i++) {
		struct expo_label leaf = { "seamcall", num };

		if (!in->snap->host.seamcall_busy[i])
			continue;
		snprintf(num, sizeof(num), "%d", i);
		expo_u64(e, EXPO_NO_LABELS, &leaf,
			 in->snap->host.seamcall_busy[i]);
	}
	expo_family(
		e, "tdxhp_op_duration_seconds", EXPO_HISTOGRAM,
		"S-EPT operation latency, all TDs since load (torn-down ones included), by op: split = one boundary split, demote = one page_demote, demote-block/-track/-demote its phases.");
	for (int op = 0; op < TDXHP_NR_HISTS; op++) {
		struct expo_label l = { "op", tdxhp_hist_name(op) };

		expo_hist(e, EXPO_NO_LABELS, &l, &h->hist[op], &host_buckets);
	}
}

static void render_events(struct expo *e, const struct metrics_input *in)
{
	const struct tdxhp_host_stats *hs = &in->snap->host;

	expo_family(e, "tdxhp_events_total", EXPO_COUNTER,
		    "Tracepoint events seen by the BPF programs, by event.");
	for (int ev = 0; ev < TDXHP_NR_EVENTS; ev++) {
		struct expo_label l = { "event", tdxhp_event_name(ev) };

		expo_u64(e, EXPO_NO_LABELS, &l, hs->events[ev]);
	}
	/* Every reason: the host's stream consumers (tdxhp-trace) too. */
	expo_family(
		e, "tdxhp_dropped_total", EXPO_COUNTER,
		"Events not fully accounted, by reason (should stay at 0; ringbuf_lost: only tdxhp-trace lines).");
	for (int c = 0; c < TDXHP_NR_HOST_COUNTERS; c++) {
		struct expo_label l = { "reason", tdxhp_host_counter_name(c) };

		if (!tdxhp_drop_counts(TDXHP_VIEW_STREAM, c))
			continue;

		expo_u64(e, EXPO_NO_LABELS, &l, hs->counters[c]);
	}
	expo_family(e, "tdxhp_tds", EXPO_GAUGE, "Live TDs.");
	expo_u64(e, EXPO_NO_LABELS, NULL, in->snap->nr_tds);
	expo_family(e, "tdxhp_td_slots", EXPO_GAUGE,
		    "Size of the in-kernel TD table (--max-tds x 2).");
	expo_u64(e, EXPO_NO_LABELS, NULL, in->t->nr_slots);
}

static void render_setup(struct expo *e, const struct metrics_input *in)
{
	static const struct expo_label version = { "version", TDXHP_VERSION };
	char seed[24], tp[64];

	expo_family(e, "tdxhp_build_info", EXPO_GAUGE,
		    "tdxhp version, always 1.");
	expo_u64(e, EXPO_NO_LABELS, &version, 1);
	expo_family(
		e, "tdxhp_simulated", EXPO_GAUGE,
		"1 if every tdxhp_ series comes from the simulator, not a TDX host.");
	if (in->scenario) {
		struct buf l;

		/* Two labels: rendered like a TD's label set. */
		snprintf(seed, sizeof(seed), "%llu",
			 (unsigned long long)in->seed);
		if (!buf_init(&l, 128)) {
			expo_label_append(&l, e->fmt, true, "scenario",
					  in->scenario);
			expo_label_append(&l, e->fmt, false, "seed", seed);
			expo_u64(e, (struct expo_labels){ l.data, l.len }, NULL,
				 1);
		}
		e->b->failed |= l.failed;
		buf_free(&l);
	} else {
		expo_u64(e, EXPO_NO_LABELS, NULL, 0);
	}
	expo_family(
		e, "tdxhp_event_source", EXPO_GAUGE,
		"1 for the source that feeds each event: tracepoint, seamcall (fentry/fexit on the SEAMCALL wrappers), missing, or simulated.");
	for (int ev = 0; ev < TDXHP_NR_EVENTS; ev++) {
		struct buf l;

		if (buf_init(&l, 128)) {
			e->b->failed = true;
			break;
		}
		expo_label_append(&l, e->fmt, true, "event",
				  tdxhp_event_name(ev));
		expo_label_append(&l, e->fmt, false, "source",
				  in->t->simulated ?
					  "simulated" :
					  tdxhp_source_name(in->t->source[ev]));
		expo_u64(e, (struct expo_labels){ l.data, l.len }, NULL, 1);
		e->b->failed |= l.failed;
		buf_free(&l);
	}
	expo_family(
		e, "tdxhp_tracepoint_attached", EXPO_GAUGE,
		"1 if the BPF program of this tracepoint is attached (the tracepoint source feeds its event).");
	for (int ev = 0; ev < TDXHP_NR_EVENTS; ev++) {
		struct expo_label l = { "tracepoint", tp };

		tdxhp_tp_name(ev, tp, sizeof(tp));
		expo_u64(e, EXPO_NO_LABELS, &l,
			 (in->t->attached & (1U << ev)) &&
				 in->t->source[ev] == TDXHP_SRC_TRACEPOINT);
	}
	expo_family(e, "tdxhp_bpf_stats_enabled", EXPO_GAUGE,
		    "1 if kernel.bpf_stats_enabled counts BPF program runs.");
	expo_u64(e, EXPO_NO_LABELS, NULL, in->bpf_stats);
	if (!in->bpf_stats)
		return;
	expo_family(
		e, "tdxhp_bpf_program_runs_total", EXPO_COUNTER,
		"Runs of each tdxhp BPF program (kernel.bpf_stats_enabled=1).");
	for (int ev = 0; ev < TDXHP_NR_EVENTS; ev++) {
		struct expo_label l = { "program", tdxhp_event_name(ev) };

		if (in->prog_ok[ev])
			expo_u64(e, EXPO_NO_LABELS, &l, in->progs[ev].run_cnt);
	}
	expo_family(
		e, "tdxhp_bpf_program_run_seconds_total", EXPO_COUNTER,
		"Time spent in each tdxhp BPF program (kernel.bpf_stats_enabled=1).");
	for (int ev = 0; ev < TDXHP_NR_EVENTS; ev++) {
		struct expo_label l = { "program", tdxhp_event_name(ev) };

		if (in->prog_ok[ev])
			expo_seconds(e, EXPO_NO_LABELS, &l,
				     in->progs[ev].run_time_ns);
	}
}

/* The exporter's own metrics: tdxhp_exporter_*, then the standard ones. */
static void render_self(struct expo *e, const struct exporter_self *self)
{
	static const struct expo_label phase[] = { { "phase", "read" },
						   { "phase", "render" },
						   { "phase", "gzip" } };
	const struct proc_self *p = &self->proc;

	expo_family(
		e, "tdxhp_exporter_collection_duration_seconds", EXPO_GAUGE,
		"Cost of a collection: map read (this one), render and gzip (previous one).");
	expo_seconds(e, EXPO_NO_LABELS, &phase[0], self->read_ns);
	expo_seconds(e, EXPO_NO_LABELS, &phase[1], self->render_ns);
	expo_seconds(e, EXPO_NO_LABELS, &phase[2], self->gzip_ns);
	expo_family(
		e, "tdxhp_exporter_collections_total", EXPO_COUNTER,
		"Map reads; scrapes closer than the minimum interval share one.");
	expo_u64(e, EXPO_NO_LABELS, NULL, self->collections);
	expo_family(
		e, "tdxhp_exporter_requests_total", EXPO_COUNTER,
		"Metrics requests answered before this collection, by exposition format.");
	for (int f = 0; f < EXPO_NR_FORMATS; f++) {
		struct expo_label l = { "format", expo_format_name[f] };

		expo_u64(e, EXPO_NO_LABELS, &l, self->requests[f]);
	}
	expo_family(
		e, "tdxhp_exporter_min_interval_seconds", EXPO_GAUGE,
		"--collector.min-interval: maps are read at most this often.");
	expo_seconds(e, EXPO_NO_LABELS, NULL, self->min_interval_ns);
	expo_family(
		e, "tdxhp_exporter_collection_timestamp_seconds", EXPO_GAUGE,
		"Wall-clock time of this collection: the body may be this old.");
	expo_double(e, EXPO_NO_LABELS, NULL, self->collected_at);
	expo_family(
		e, "tdxhp_exporter_torn_reads_total", EXPO_COUNTER,
		"TDs skipped in a collection because they changed while read.");
	expo_u64(e, EXPO_NO_LABELS, NULL, self->torn_reads);

	/* Names and help as Prometheus' client_golang writes them. */
	expo_family(e, "process_cpu_seconds_total", EXPO_COUNTER,
		    "Total user and system CPU time spent in seconds.");
	expo_double(e, EXPO_NO_LABELS, NULL, p->cpu_seconds);
	expo_family(e, "process_open_fds", EXPO_GAUGE,
		    "Number of open file descriptors.");
	expo_u64(e, EXPO_NO_LABELS, NULL, p->open_fds);
	expo_family(e, "process_max_fds", EXPO_GAUGE,
		    "Maximum number of open file descriptors.");
	expo_double(e, EXPO_NO_LABELS, NULL, p->max_fds);
	expo_family(e, "process_virtual_memory_bytes", EXPO_GAUGE,
		    "Virtual memory size in bytes.");
	expo_u64(e, EXPO_NO_LABELS, NULL, p->virtual_bytes);
	expo_family(e, "process_virtual_memory_max_bytes", EXPO_GAUGE,
		    "Maximum amount of virtual memory available in bytes.");
	expo_double(e, EXPO_NO_LABELS, NULL, p->virtual_max_bytes);
	expo_family(e, "process_resident_memory_bytes", EXPO_GAUGE,
		    "Resident memory size in bytes.");
	expo_u64(e, EXPO_NO_LABELS, NULL, p->resident_bytes);
	expo_family(e, "process_start_time_seconds", EXPO_GAUGE,
		    "Start time of the process since unix epoch in seconds.");
	expo_double(e, EXPO_NO_LABELS, NULL, p->start_time);
}

void metrics_render(struct buf *b, enum expo_format fmt,
		    const struct metrics_input *in)
{
	struct td_labels l = { 0 };
	struct expo e;

	expo_init(&e, b, fmt);
	render_setup(&e, in);
	render_events(&e, in);
	render_host(&e, in);
	if (td_labels_build(&l, fmt, in->snap)) {
		b->failed = true;
		td_labels_free(&l);
		return;
	}
	render_td_info(&e, in, &l);
	render_td_gauges(&e, in, &l);
	render_td_counters(&e, in, &l);
	render_td_hists(&e, in, &l);
	td_labels_free(&l);
	render_self(&e, &in->self);
	expo_finish(&e);
}
