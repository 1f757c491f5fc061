// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The exposition: per-TD series carry the TD's labels only (td, pid, hkid,
 * and uuid and machine where known: one value per TD, so no more series),
 * about 55 series per TD; everything else is host-wide.
 * Rendering appends to one buffer, with no allocation per line.
 */
#include <stdio.h>
#include <stdlib.h>

#include "drops.h"
#include "escape.h"
#include "hist.h"
#include "loader.h"
#include "metrics.h"
#include "stats.h"
#include "util.h"
#include "values.h"

/*
 * Bucket bounds as log2 slot indexes: le = 2^(slot+1) ns exactly.  Host
 * histograms get every slot from 1.024 us to 2.147 s; per-TD ones every
 * other slot (x4 steps) to keep the series count down.  Lower slots fold
 * into the first bucket, slot 31 (2.1 s and up) only into +Inf.
 */
const int metrics_host_le_slots[] = { 9,  10, 11, 12, 13, 14, 15, 16,
				      17, 18, 19, 20, 21, 22, 23, 24,
				      25, 26, 27, 28, 29, 30 };
const unsigned int metrics_nr_host_le = ARRAY_SIZE(metrics_host_le_slots);
const int metrics_td_le_slots[] = { 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29 };
const unsigned int metrics_nr_td_le = ARRAY_SIZE(metrics_td_le_slots);

/* `le="0.000001024"` for slot 9, and so on: exact, computed once. */
static char le_text[TDXHP_HIST_SLOTS][32];

static void le_init(void)
{
	struct buf b;

	if (le_text[0][0])
		return;
	for (int s = 0; s < TDXHP_HIST_SLOTS - 1; s++) {
		if (buf_init(&b, 32))
			return;
		buf_ns_seconds(&b, tdxhp_hist_slot_hi_ns(s));
		buf_char(&b, '\0');
		if (!b.failed)
			snprintf(le_text[s], sizeof(le_text[s]), "le=\"%s\"",
				 b.data);
		buf_free(&b);
	}
}

/* Counters kept per TD and host-wide, with one optional extra label. */
struct counter_series {
	const char *label;	/* `level="4k"`, or NULL */
	int counter;		/* enum tdxhp_counter */
};

struct counter_family {
	const char *suffix;	/* tdxhp_td_<suffix> and tdxhp_host_<suffix> */
	const char *help;
	unsigned int nr;
	struct counter_series series[5];
};

static const struct counter_family counter_families[] = {
	{ "aug_total", "Private leaves mapped by TDH.MEM.PAGE.AUG, by level.", 3,
	  { { "level=\"4k\"", TDXHP_C_AUG_4K },
	    { "level=\"2m\"", TDXHP_C_AUG_2M },
	    { "level=\"1g\"", TDXHP_C_AUG_1G } } },
	{ "add_total", "4K pages added by TDH.MEM.PAGE.ADD at TD build time.", 1,
	  { { NULL, TDXHP_C_ADD } } },
	{ "remove_total", "Private leaves zapped, by level.", 3,
	  { { "level=\"4k\"", TDXHP_C_REMOVE_4K },
	    { "level=\"2m\"", TDXHP_C_REMOVE_2M },
	    { "level=\"1g\"", TDXHP_C_REMOVE_1G } } },
	{ "errors_total", "Failed S-EPT operations, by operation.", 5,
	  { { "op=\"add\"", TDXHP_C_ADD_ERR },
	    { "op=\"aug\"", TDXHP_C_AUG_ERR },
	    { "op=\"remove\"", TDXHP_C_REMOVE_ERR },
	    { "op=\"demote\"", TDXHP_C_DEMOTE_ERR },
	    { "op=\"split\"", TDXHP_C_SPLIT_ERR } } },
	{ "demotes_total", "Huge leaves split by TDH.MEM.PAGE.DEMOTE.", 1,
	  { { NULL, TDXHP_C_DEMOTE } } },
	{ "busy_retries_total",
	  "TDX_OPERAND_BUSY retries inside demotes, all phases.", 1,
	  { { NULL, TDXHP_C_DEMOTE_BUSY_RETRY } } },
	{ "boundary_splits_total",
	  "Ranges whose edges needed huge leaves split, by reason.", 3,
	  { { "reason=\"convert\"", TDXHP_C_SPLIT_CONVERT },
	    { "reason=\"punch_hole\"", TDXHP_C_SPLIT_PUNCH_HOLE },
	    { "reason=\"accept\"", TDXHP_C_SPLIT_ACCEPT } } },
	{ "split_leaves_total", "Huge leaves split by boundary splits.", 1,
	  { { NULL, TDXHP_C_SPLIT_LEAVES } } },
	{ "fault_splits_ignored_total",
	  "Faults that kept the existing leaf level instead of splitting.", 1,
	  { { NULL, TDXHP_C_FAULT_SPLIT_IGNORED } } },
	{ "seamcall_busy_total",
	  "SEAMCALLs that returned TDX_OPERAND_BUSY and were retried.", 1,
	  { { NULL, TDXHP_C_SEAMCALL_BUSY } } },
	{ "storms_total", "EPT-violation storm windows detected.", 1,
	  { { NULL, TDXHP_C_STORM } } },
	{ "bad_events_total", "Events with an invalid level or reason.", 1,
	  { { NULL, TDXHP_C_BAD_EVENT } } },
};

static const char *const level_labels[TDXHP_NR_LEVELS] = {
	"level=\"4k\"", "level=\"2m\"", "level=\"1g\""
};

/* Labels of one TD, `td="..",pid="..",hkid=".."`, in one shared buffer. */
struct td_labels {
	struct buf text;
	size_t *off;	/* nr_tds + 1 offsets into text */
};

static void family(struct buf *b, const char *name, const char *type,
		   const char *help)
{
	buf_str(b, "# HELP ");
	buf_str(b, name);
	buf_char(b, ' ');
	buf_str(b, help);
	buf_str(b, "\n# TYPE ");
	buf_str(b, name);
	buf_char(b, ' ');
	buf_str(b, type);
	buf_char(b, '\n');
}

/* name{labels,extra} : the part before the value, braces only if needed. */
static void series(struct buf *b, const char *name, const char *labels,
		   size_t labels_len, const char *extra)
{
	buf_str(b, name);
	if (!labels_len && !extra) {
		buf_char(b, ' ');
		return;
	}
	buf_char(b, '{');
	buf_mem(b, labels, labels_len);
	if (extra) {
		if (labels_len)
			buf_char(b, ',');
		buf_str(b, extra);
	}
	buf_str(b, "} ");
}

static void line_u64(struct buf *b, const char *name, const char *labels,
		     size_t labels_len, const char *extra, uint64_t v)
{
	series(b, name, labels, labels_len, extra);
	buf_u64(b, v);
	buf_char(b, '\n');
}

static void line_i64(struct buf *b, const char *name, const char *labels,
		     size_t labels_len, const char *extra, int64_t v)
{
	series(b, name, labels, labels_len, extra);
	buf_i64(b, v);
	buf_char(b, '\n');
}

static void line_double(struct buf *b, const char *name, const char *labels,
			size_t labels_len, const char *extra, double v)
{
	series(b, name, labels, labels_len, extra);
	buf_double(b, v);
	buf_char(b, '\n');
}

/* Cumulative le buckets, _sum in seconds and _count of one histogram. */
static void hist_lines(struct buf *b, const char *name, const char *labels,
		       size_t labels_len, const struct tdxhp_hist *h,
		       const int *le_slots, unsigned int nr_le)
{
	char metric[96];
	uint64_t cum = 0;
	int slot = 0;

	snprintf(metric, sizeof(metric), "%s_bucket", name);
	for (unsigned int i = 0; i < nr_le; i++) {
		while (slot <= le_slots[i])
			cum += h->slots[slot++];
		line_u64(b, metric, labels, labels_len, le_text[le_slots[i]],
			 cum);
	}
	while (slot < TDXHP_HIST_SLOTS)
		cum += h->slots[slot++];
	line_u64(b, metric, labels, labels_len, "le=\"+Inf\"", cum);
	snprintf(metric, sizeof(metric), "%s_sum", name);
	series(b, metric, labels, labels_len, NULL);
	buf_ns_seconds(b, h->sum_ns);
	buf_char(b, '\n');
	snprintf(metric, sizeof(metric), "%s_count", name);
	line_u64(b, metric, labels, labels_len, NULL, cum);
}

static void label_value(struct buf *b, const char *s)
{
	char tmp[2 * TDXHP_CGROUP_LEN + 8];
	size_t n = tdxhp_prom_label_escape(s, tmp, sizeof(tmp));

	buf_mem(b, tmp, n < sizeof(tmp) ? n : strlen(tmp));
}

/* ,key="value" when the value is known: Prometheus has no empty labels. */
static void optional_label(struct buf *b, const char *key, const char *value)
{
	if (!value[0])
		return;
	buf_char(b, ',');
	buf_str(b, key);
	buf_str(b, "=\"");
	label_value(b, value);
	buf_char(b, '"');
}

/*
 * td is the TD's name as resolved, never rewritten.  A live hkid is
 * unique on the host, so td, pid and hkid make a TD's label set unique;
 * a TD whose hkid is unknown (it joined mid-life) also gets its slot,
 * which no other live TD holds.  uuid and machine follow when known.
 */
static void td_label_text(struct buf *b, const struct tdxhp_td *td)
{
	buf_str(b, "td=\"");
	label_value(b, td->name);
	/* docs/values.md: an unknown pid or hkid is the label "unknown". */
	buf_str(b, "\",pid=\"");
	if (tdxhp_pid_known(td->meta.pid))
		buf_i64(b, td->meta.pid);
	else
		buf_str(b, TDXHP_UNKNOWN_LABEL);
	buf_str(b, "\",hkid=\"");
	if (tdxhp_hkid_known(td->meta.hkid))
		buf_i64(b, td->meta.hkid);
	else
		buf_str(b, TDXHP_UNKNOWN_LABEL);
	buf_char(b, '"');
	if (!tdxhp_hkid_known(td->meta.hkid)) {
		buf_str(b, ",slot=\"");
		buf_u64(b, td->slot);
		buf_char(b, '"');
	}
	optional_label(b, "uuid", td->id.uuid);
	optional_label(b, "machine", td->id.machine);
}

static int td_labels_build(struct td_labels *l, const struct tdxhp_snapshot *s)
{
	l->off = calloc(s->nr_tds + 1, sizeof(*l->off));
	if (!l->off || buf_init(&l->text, (size_t)s->nr_tds * 160 + 64)) {
		free(l->off);
		l->off = NULL;
		return -1;
	}
	for (unsigned int i = 0; i < s->nr_tds; i++) {
		l->off[i] = l->text.len;
		td_label_text(&l->text, &s->tds[i]);
	}
	l->off[s->nr_tds] = l->text.len;
	return l->text.failed ? -1 : 0;
}

static void td_labels_free(struct td_labels *l)
{
	buf_free(&l->text);
	free(l->off);
}

#define TD_LABELS(l, i) ((l)->text.data + (l)->off[i]), \
			((l)->off[(i) + 1] - (l)->off[i])

static bool storm_active(const struct metrics_input *in,
			 const struct tdxhp_td *td)
{
	uint64_t last = td->meta.last_storm_ns, now = in->snap->ts_ns;

	return last && now >= last ? now - last <= in->storm_active_ns :
				     last != 0;
}

static void render_td_info(struct buf *b, const struct metrics_input *in,
			   const struct td_labels *l)
{
	const struct tdxhp_snapshot *s = in->snap;

	struct buf extra;

	family(b, "tdxhp_td_info", "gauge",
	       "A live TD; partial=\"true\" if it joined before tdxhp started; cgroup of its VMM where known.");
	if (buf_init(&extra, 2 * TDXHP_CGROUP_LEN + 64)) {
		b->failed = true;
		return;
	}
	for (unsigned int i = 0; i < s->nr_tds; i++) {
		const struct tdxhp_td *td = &s->tds[i];

		extra.len = 0;
		buf_str(&extra, td->meta.flags & TDXHP_TD_PARTIAL ?
					"partial=\"true\"" :
					"partial=\"false\"");
		optional_label(&extra, "cgroup", td->id.cgroup);
		buf_char(&extra, '\0');
		if (extra.failed) {
			b->failed = true;
			break;
		}
		line_u64(b, "tdxhp_td_info", TD_LABELS(l, i), extra.data, 1);
	}
	buf_free(&extra);
}

static void render_td_gauges(struct buf *b, const struct metrics_input *in,
			     const struct td_labels *l)
{
	const struct tdxhp_snapshot *s = in->snap;

	/* As measured, never clamped: a partial TD's can be negative. */
	family(b, "tdxhp_td_private_pages", "gauge",
	       "Private leaves mapped, by level (partial TDs: net since first sight, may be negative).");
	for (unsigned int i = 0; i < s->nr_tds; i++)
		for (int lv = 0; lv < TDXHP_NR_LEVELS; lv++)
			line_i64(b, "tdxhp_td_private_pages", TD_LABELS(l, i),
				 level_labels[lv],
				 tdxhp_gauge_pages(&s->tds[i].stats, lv + 1));
	family(b, "tdxhp_td_private_bytes", "gauge",
	       "Private memory mapped in the secure EPT (partial TDs: net since first sight).");
	for (unsigned int i = 0; i < s->nr_tds; i++)
		line_i64(b, "tdxhp_td_private_bytes", TD_LABELS(l, i), NULL,
			 tdxhp_gauge_bytes(&s->tds[i].stats));
	family(b, "tdxhp_td_huge_coverage_ratio", "gauge",
	       "Share of mapped private memory in 2M or 1G leaves (absent while unknown: nothing mapped, or a partial TD's gauge below zero).");
	for (unsigned int i = 0; i < s->nr_tds; i++) {
		double cov = tdxhp_huge_coverage(&s->tds[i].stats);

		if (cov >= 0)
			line_double(b, "tdxhp_td_huge_coverage_ratio",
				    TD_LABELS(l, i), NULL, cov);
	}
	family(b, "tdxhp_td_storm_active", "gauge",
	       "1 if the TD had an EPT-violation storm recently (see --collector.storm-active).");
	for (unsigned int i = 0; i < s->nr_tds; i++)
		line_u64(b, "tdxhp_td_storm_active", TD_LABELS(l, i), NULL,
			 storm_active(in, &s->tds[i]));
}

static void render_td_counters(struct buf *b, const struct metrics_input *in,
			       const struct td_labels *l)
{
	const struct tdxhp_snapshot *s = in->snap;
	char name[80];

	for (unsigned int f = 0; f < ARRAY_SIZE(counter_families); f++) {
		const struct counter_family *cf = &counter_families[f];

		snprintf(name, sizeof(name), "tdxhp_td_%s", cf->suffix);
		family(b, name, "counter", cf->help);
		for (unsigned int i = 0; i < s->nr_tds; i++) {
			const __u64 *v = s->tds[i].stats.counters;

			for (unsigned int k = 0; k < cf->nr; k++)
				line_u64(b, name, TD_LABELS(l, i),
					 cf->series[k].label,
					 v[cf->series[k].counter]);
		}
	}
}

static void render_td_hists(struct buf *b, const struct metrics_input *in,
			    const struct td_labels *l)
{
	const struct tdxhp_snapshot *s = in->snap;

	family(b, "tdxhp_td_split_duration_seconds", "histogram",
	       "Boundary split latency per TD (BLOCK, TRACK, DEMOTE of the edge leaves).");
	for (unsigned int i = 0; i < s->nr_tds; i++)
		hist_lines(b, "tdxhp_td_split_duration_seconds", TD_LABELS(l, i),
			   &s->tds[i].stats.hist[TDXHP_H_SPLIT],
			   metrics_td_le_slots, metrics_nr_td_le);
	family(b, "tdxhp_td_demote_duration_seconds", "histogram",
	       "Demote latency per TD, all phases.");
	for (unsigned int i = 0; i < s->nr_tds; i++)
		hist_lines(b, "tdxhp_td_demote_duration_seconds",
			   TD_LABELS(l, i),
			   &s->tds[i].stats.hist[TDXHP_H_DEMOTE],
			   metrics_td_le_slots, metrics_nr_td_le);
}

static void render_host(struct buf *b, const struct metrics_input *in)
{
	const struct tdxhp_td_stats *h = in->host;
	char name[80], extra[64];

	family(b, "tdxhp_host_private_pages", "gauge",
	       "Private leaves mapped by all live TDs, by level.");
	for (int lv = 0; lv < TDXHP_NR_LEVELS; lv++)
		line_i64(b, "tdxhp_host_private_pages", "", 0, level_labels[lv],
			 tdxhp_gauge_pages(h, lv + 1));
	family(b, "tdxhp_host_private_bytes", "gauge",
	       "Private memory mapped by all live TDs.");
	line_i64(b, "tdxhp_host_private_bytes", "", 0, NULL,
		 tdxhp_gauge_bytes(h));
	for (unsigned int f = 0; f < ARRAY_SIZE(counter_families); f++) {
		const struct counter_family *cf = &counter_families[f];

		snprintf(name, sizeof(name), "tdxhp_host_%s", cf->suffix);
		family(b, name, "counter", cf->help);
		for (unsigned int k = 0; k < cf->nr; k++)
			line_u64(b, name, "", 0, cf->series[k].label,
				 h->counters[cf->series[k].counter]);
	}
	family(b, "tdxhp_host_seamcall_busy_by_leaf_total", "counter",
	       "TDX_OPERAND_BUSY retries by SEAMCALL leaf (7 RANGE.BLOCK, 15 PAGE.DEMOTE, 38 TRACK).");
	for (int i = 0; i < TDXHP_MAX_SEAMCALL; i++) {
		if (!in->snap->host.seamcall_busy[i])
			continue;
		snprintf(extra, sizeof(extra), "seamcall=\"%d\"", i);
		line_u64(b, "tdxhp_host_seamcall_busy_by_leaf_total", "", 0,
			 extra, in->snap->host.seamcall_busy[i]);
	}
	family(b, "tdxhp_op_duration_seconds", "histogram",
	       "S-EPT operation latency, all TDs since load (torn-down ones included).");
	for (int op = 0; op < TDXHP_NR_HISTS; op++) {
		snprintf(extra, sizeof(extra), "op=\"%s\"",
			 tdxhp_hist_name(op));
		hist_lines(b, "tdxhp_op_duration_seconds", extra, strlen(extra),
			   &h->hist[op], metrics_host_le_slots,
			   metrics_nr_host_le);
	}
}

static void render_events(struct buf *b, const struct metrics_input *in)
{
	const struct tdxhp_host_stats *hs = &in->snap->host;
	char extra[64];

	family(b, "tdxhp_events_total", "counter",
	       "Tracepoint events seen by the BPF programs, by event.");
	for (int e = 0; e < TDXHP_NR_EVENTS; e++) {
		snprintf(extra, sizeof(extra), "event=\"%s\"",
			 tdxhp_event_name(e));
		line_u64(b, "tdxhp_events_total", "", 0, extra, hs->events[e]);
	}
	/* Every reason: the host's stream consumers (tdxhp-trace) too. */
	family(b, "tdxhp_dropped_total", "counter",
	       "Events not fully accounted, by reason (should stay at 0; ringbuf_lost: only tdxhp-trace lines).");
	for (int c = 0; c < TDXHP_NR_HOST_COUNTERS; c++) {
		if (!tdxhp_drop_counts(TDXHP_VIEW_STREAM, c))
			continue;
		snprintf(extra, sizeof(extra), "reason=\"%s\"",
			 tdxhp_host_counter_name(c));
		line_u64(b, "tdxhp_dropped_total", "", 0, extra,
			 hs->counters[c]);
	}
	family(b, "tdxhp_tds", "gauge", "Live TDs.");
	line_u64(b, "tdxhp_tds", "", 0, NULL, in->snap->nr_tds);
	family(b, "tdxhp_td_slots", "gauge",
	       "Size of the in-kernel TD table (--max-tds x 2).");
	line_u64(b, "tdxhp_td_slots", "", 0, NULL, in->t->nr_slots);
}

static void render_setup(struct buf *b, const struct metrics_input *in)
{
	char extra[160], tp[64];

	family(b, "tdxhp_build_info", "gauge", "tdxhp version, always 1.");
	line_u64(b, "tdxhp_build_info", "", 0,
		 "version=\"" TDXHP_VERSION "\"", 1);
	family(b, "tdxhp_simulated", "gauge",
	       "1 if every tdxhp_ series comes from the simulator, not a TDX host.");
	if (in->scenario) {
		snprintf(extra, sizeof(extra), "scenario=\"%s\",seed=\"%llu\"",
			 in->scenario, (unsigned long long)in->seed);
		line_u64(b, "tdxhp_simulated", "", 0, extra, 1);
	} else {
		line_u64(b, "tdxhp_simulated", "", 0, NULL, 0);
	}
	family(b, "tdxhp_event_source", "gauge",
	       "1 for the source that feeds each event: tracepoint, seamcall (fentry/fexit on the SEAMCALL wrappers), missing, or simulated.");
	for (int e = 0; e < TDXHP_NR_EVENTS; e++) {
		snprintf(extra, sizeof(extra), "event=\"%s\",source=\"%s\"",
			 tdxhp_event_name(e),
			 in->t->simulated ? "simulated" :
					    tdxhp_source_name(in->t->source[e]));
		line_u64(b, "tdxhp_event_source", "", 0, extra, 1);
	}
	family(b, "tdxhp_tracepoint_attached", "gauge",
	       "1 if the BPF program of this tracepoint is attached (the tracepoint source feeds its event).");
	for (int e = 0; e < TDXHP_NR_EVENTS; e++) {
		tdxhp_tp_name(e, tp, sizeof(tp));
		snprintf(extra, sizeof(extra), "tracepoint=\"%s\"", tp);
		line_u64(b, "tdxhp_tracepoint_attached", "", 0, extra,
			 (in->t->attached & (1U << e)) &&
				 in->t->source[e] == TDXHP_SRC_TRACEPOINT);
	}
	family(b, "tdxhp_bpf_stats_enabled", "gauge",
	       "1 if kernel.bpf_stats_enabled counts BPF program runs.");
	line_u64(b, "tdxhp_bpf_stats_enabled", "", 0, NULL, in->bpf_stats);
	if (!in->bpf_stats)
		return;
	family(b, "tdxhp_bpf_program_runs_total", "counter",
	       "Runs of each tdxhp BPF program (kernel.bpf_stats_enabled=1).");
	for (int e = 0; e < TDXHP_NR_EVENTS; e++) {
		if (!in->prog_ok[e])
			continue;
		snprintf(extra, sizeof(extra), "program=\"%s\"",
			 tdxhp_event_name(e));
		line_u64(b, "tdxhp_bpf_program_runs_total", "", 0, extra,
			 in->progs[e].run_cnt);
	}
	family(b, "tdxhp_bpf_program_run_seconds_total", "counter",
	       "Time spent in each tdxhp BPF program (kernel.bpf_stats_enabled=1).");
	for (int e = 0; e < TDXHP_NR_EVENTS; e++) {
		if (!in->prog_ok[e])
			continue;
		snprintf(extra, sizeof(extra), "program=\"%s\"",
			 tdxhp_event_name(e));
		series(b, "tdxhp_bpf_program_run_seconds_total", "", 0, extra);
		buf_ns_seconds(b, in->progs[e].run_time_ns);
		buf_char(b, '\n');
	}
}

static void seconds_line(struct buf *b, const char *name, const char *extra,
			 uint64_t ns)
{
	series(b, name, "", 0, extra);
	buf_ns_seconds(b, ns);
	buf_char(b, '\n');
}

static void render_self(struct buf *b, const struct exporter_self *self)
{
	family(b, "tdxhp_scrape_duration_seconds", "gauge",
	       "Cost of a collection: map read (this one), render and gzip (previous one).");
	seconds_line(b, "tdxhp_scrape_duration_seconds", "phase=\"read\"",
		     self->read_ns);
	seconds_line(b, "tdxhp_scrape_duration_seconds", "phase=\"render\"",
		     self->render_ns);
	seconds_line(b, "tdxhp_scrape_duration_seconds", "phase=\"gzip\"",
		     self->gzip_ns);
	family(b, "tdxhp_scrape_collections_total", "counter",
	       "Map reads; scrapes closer than the minimum interval share one.");
	line_u64(b, "tdxhp_scrape_collections_total", "", 0, NULL,
		 self->collections);
	family(b, "tdxhp_scrape_requests_total", "counter",
	       "Metrics requests answered before this collection.");
	line_u64(b, "tdxhp_scrape_requests_total", "", 0, NULL, self->requests);
	family(b, "tdxhp_scrape_min_interval_seconds", "gauge",
	       "--collector.min-interval: maps are read at most this often.");
	seconds_line(b, "tdxhp_scrape_min_interval_seconds", NULL,
		     self->min_interval_ns);
	family(b, "tdxhp_scrape_timestamp_seconds", "gauge",
	       "Wall-clock time of this collection: the body may be this old.");
	line_double(b, "tdxhp_scrape_timestamp_seconds", "", 0, NULL,
		    self->collected_at);
	family(b, "tdxhp_scrape_torn_reads_total", "counter",
	       "TDs skipped in a collection because they changed while read.");
	line_u64(b, "tdxhp_scrape_torn_reads_total", "", 0, NULL,
		 self->torn_reads);
	family(b, "tdxhp_process_resident_memory_bytes", "gauge",
	       "Resident memory of the exporter.");
	line_u64(b, "tdxhp_process_resident_memory_bytes", "", 0, NULL,
		 self->rss_bytes);
	family(b, "tdxhp_process_cpu_seconds_total", "counter",
	       "CPU time of the exporter, simulator included.");
	line_double(b, "tdxhp_process_cpu_seconds_total", "", 0, NULL,
		    self->cpu_seconds);
	family(b, "tdxhp_process_start_time_seconds", "gauge",
	       "Start time of the exporter since the epoch.");
	line_double(b, "tdxhp_process_start_time_seconds", "", 0, NULL,
		    self->start_time);
}

void metrics_render(struct buf *b, const struct metrics_input *in)
{
	struct td_labels l = { 0 };

	le_init();
	render_setup(b, in);
	render_events(b, in);
	render_host(b, in);
	if (td_labels_build(&l, in->snap)) {
		b->failed = true;
		td_labels_free(&l);
		return;
	}
	render_td_info(b, in, &l);
	render_td_gauges(b, in, &l);
	render_td_counters(b, in, &l);
	render_td_hists(b, in, &l);
	td_labels_free(&l);
	render_self(b, &in->self);
}
