// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "json_fields.h"
#include "stats.h"
#include "summary.h"
#include "util.h"
#include "values.h"

static int by_name(const void *x, const void *y)
{
	const struct tdxhp_summary_td *a = x, *b = y;
	int c = strcmp(a->name, b->name);

	if (c)
		return c;
	return (a->pid > b->pid) - (a->pid < b->pid);
}

void tdxhp_summary_extremes(const struct tdxhp_td_stats *st,
			    const struct tdxhp_minmax *mm, int id,
			    struct tdxhp_hist_extremes *out)
{
	tdxhp_hist_extremes(&st->hist[id], mm != NULL, mm ? mm[id].min_ns : 0,
			    mm ? mm[id].max_ns : 0, out);
}

static void latency_text(FILE *f, const struct tdxhp_td_stats *s,
			 const struct tdxhp_minmax *mm,
			 const struct tdxhp_unit *unit)
{
	bool any = false;

	fprintf(f, "  %-14s %8s %10s %9s %9s %10s %9s\n", "latency", "count",
		"min", "p50", "p99", "max", "avg");
	for (int h = 0; h < TDXHP_NR_HISTS; h++) {
		uint64_t n = tdxhp_hist_count(&s->hist[h]);
		char mn[16], p50[16], p99[16], mx[16], avg[16], a[20], b[20];
		struct tdxhp_hist_extremes x;

		if (!n)
			continue;
		any = true;
		tdxhp_summary_extremes(s, mm, h, &x);
		tdxhp_format_ns(mn, sizeof(mn), (double)x.min_ns);
		tdxhp_format_ns(mx, sizeof(mx), (double)x.max_ns);
		snprintf(a, sizeof(a), "%s%s", x.exact ? "" : ">=", mn);
		snprintf(b, sizeof(b), "%s%s", x.exact ? "" : "<=", mx);
		tdxhp_format_ns(p50, sizeof(p50),
				tdxhp_hist_quantile_shown(&s->hist[h], 0.5, &x));
		tdxhp_format_ns(p99, sizeof(p99),
				tdxhp_hist_quantile_shown(&s->hist[h], 0.99, &x));
		tdxhp_format_ns(avg, sizeof(avg), (double)s->hist[h].sum_ns / (double)n);
		fprintf(f, "  %-14s %8llu %10s %9s %9s %10s %9s\n",
			tdxhp_hist_name(h), (unsigned long long)n, a, p50, p99,
			b, avg);
	}
	if (any && !mm)
		fprintf(f, "  (min and max are bucket bounds: the live histograms keep no exact extremes)\n");
	if (!unit)
		return;
	for (int h = 0; h < TDXHP_NR_HISTS; h++) {
		if (!tdxhp_hist_count(&s->hist[h]))
			continue;
		fprintf(f, "\n  op = %s\n", tdxhp_hist_name(h));
		tdxhp_hist_print(f, &s->hist[h], unit);
	}
}

static void stats_text(FILE *f, const struct tdxhp_td_stats *s,
		       const struct tdxhp_minmax *mm,
		       const struct tdxhp_unit *unit, bool gauges)
{
	const __u64 *c = s->counters;

	if (gauges) {
		double cov = tdxhp_huge_coverage(s);

		fprintf(f, "  pages 4K %lld 2M %lld 1G %lld", (long long)s->pages[0],
			(long long)s->pages[1], (long long)s->pages[2]);
		/* docs/values.md: as measured, unknown coverage is "-". */
		if (cov >= 0)
			fprintf(f, "  coverage %.1f%%", cov * 100);
		else
			fprintf(f, "  coverage " TDXHP_UNKNOWN_TEXT);
		fputc('\n', f);
	}
	for (int i = 0; i < TDXHP_NR_COUNTERS; i++)
		fprintf(f, "%s%s %llu", i && i % 6 == 0 ? "\n  " : "  ",
			tdxhp_counter_name(i), (unsigned long long)c[i]);
	fputc('\n', f);
	latency_text(f, s, mm, unit);
}

static void stats_json(struct tdxhp_json *w, const struct tdxhp_td_stats *s,
		       const struct tdxhp_minmax *mm, bool gauges)
{
	if (gauges) {
		double cov = tdxhp_huge_coverage(s);

		tdxhp_json_kv_levels(w, "pages", s->pages);
		/* docs/values.md: unknown coverage is null. */
		tdxhp_json_name(w, "coverage");
		if (cov >= 0)
			tdxhp_json_decimal(w, cov, 6);
		else
			tdxhp_json_null(w);
	}
	tdxhp_json_name(w, "counters");
	tdxhp_json_object_start(w);
	for (int i = 0; i < TDXHP_NR_COUNTERS; i++)
		tdxhp_json_kv_u64(w, tdxhp_counter_name(i), s->counters[i]);
	tdxhp_json_object_end(w);
	tdxhp_json_name(w, "hists");
	tdxhp_json_object_start(w);
	for (int h = 0; h < TDXHP_NR_HISTS; h++) {
		struct tdxhp_hist_extremes x;

		if (!tdxhp_hist_count(&s->hist[h]))
			continue;
		tdxhp_summary_extremes(s, mm, h, &x);
		tdxhp_json_name(w, tdxhp_hist_name(h));
		tdxhp_hist_json(w, &s->hist[h], &x);
	}
	tdxhp_json_object_end(w);
}

static void storms_json(struct tdxhp_json *w, const struct tdxhp_summary_td *td)
{
	tdxhp_json_kv_bool(w, "storm", td->storm);
	tdxhp_json_name(w, "storm_gfns");
	tdxhp_json_array_start(w);
	for (unsigned int i = 0; i < td->nr_storms; i++) {
		tdxhp_json_object_start(w);
		tdxhp_json_kv_u64(w, "gfn", td->storms[i].gfn);
		tdxhp_json_kv_u64(w, "storms", td->storms[i].storms);
		tdxhp_json_object_end(w);
	}
	tdxhp_json_array_end(w);
}

static void storms_text(FILE *f, const struct tdxhp_summary_td *td)
{
	if (!td->nr_storms)
		return;
	fprintf(f, "  storm gfns:");
	for (unsigned int i = 0; i < td->nr_storms; i++)
		fprintf(f, " 0x%llx (%u storm%s)",
			(unsigned long long)td->storms[i].gfn,
			td->storms[i].storms, td->storms[i].storms == 1 ? "" : "s");
	fputc('\n', f);
}

void tdxhp_summary_json(struct tdxhp_json *w, struct tdxhp_summary *s)
{
	qsort(s->tds, s->nr_tds, sizeof(*s->tds), by_name);
	tdxhp_json_record_start(w, TDXHP_SCHEMA_TRACE_SUMMARY, s->simulated);
	tdxhp_json_times(w, s->ts_ns, s->mono_to_real_ns);
	tdxhp_json_kv_string(w, "source", s->source);
	tdxhp_json_name(w, "tds");
	tdxhp_json_array_start(w);
	for (unsigned int i = 0; i < s->nr_tds; i++) {
		const struct tdxhp_summary_td *td = &s->tds[i];

		tdxhp_json_object_start(w);
		tdxhp_json_td(w, td->name, td->pid, td->hkid, td->id);
		tdxhp_json_kv_bool(w, "partial", td->partial);
		storms_json(w, td);
		stats_json(w, td->stats, td->mm, true);
		tdxhp_json_object_end(w);
	}
	tdxhp_json_array_end(w);
	tdxhp_json_name(w, "retired");
	tdxhp_json_object_start(w);
	stats_json(w, s->retired, s->retired_mm, false);
	tdxhp_json_object_end(w);
	tdxhp_json_name(w, "events");
	tdxhp_json_object_start(w);
	for (int ev = 0; ev < TDXHP_NR_EVENTS; ev++)
		tdxhp_json_kv_u64(w, tdxhp_event_name(ev), s->events[ev]);
	tdxhp_json_object_end(w);
	tdxhp_json_object_end(w);
	tdxhp_json_line_end(w);
}

void tdxhp_summary_print(FILE *f, struct tdxhp_summary *s)
{
	qsort(s->tds, s->nr_tds, sizeof(*s->tds), by_name);
	fprintf(f, "Summary (%s): %u live TDs\n", s->source, s->nr_tds);
	for (unsigned int i = 0; i < s->nr_tds; i++) {
		const struct tdxhp_summary_td *td = &s->tds[i];

		char pid[16], hkid[16];

		fprintf(f, "\nTD %s  pid %s  hkid %s  %s%s\n", td->name,
			tdxhp_id_text(td->pid, tdxhp_pid_known(td->pid), pid,
				      sizeof(pid)),
			tdxhp_id_text(td->hkid, tdxhp_hkid_known(td->hkid), hkid,
				      sizeof(hkid)),
			td->partial ? "partial (joined mid-life, gauges since first sight)" :
				      "exact",
			td->storm ? "  STORM" : "");
		storms_text(f, td);
		stats_text(f, td->stats, td->mm, s->unit, true);
	}
	fprintf(f, "\nTorn-down TDs, combined\n");
	stats_text(f, s->retired, s->retired_mm, s->unit, false);
	fprintf(f, "\nevents");
	for (int ev = 0; ev < TDXHP_NR_EVENTS; ev++)
		fprintf(f, "  %s %llu", tdxhp_event_name(ev),
			(unsigned long long)s->events[ev]);
	fputc('\n', f);
}

static void csv_rows(FILE *f, const char *name, int pid, int hkid,
		     const struct tdxhp_td_stats *st,
		     const struct tdxhp_minmax *mm, bool simulated)
{
	for (int h = 0; h < TDXHP_NR_HISTS; h++) {
		const struct tdxhp_hist *hist = &st->hist[h];
		uint64_t n = tdxhp_hist_count(hist);
		struct tdxhp_hist_extremes x;

		if (!n)
			continue;
		tdxhp_summary_extremes(st, mm, h, &x);
		tdxhp_csv_str(f, name);
		fprintf(f, ",%d,%d,%s,%llu,%llu,%.0f,%.0f,%llu,%.0f,%llu,%s,%d\n", pid,
			hkid, tdxhp_hist_name(h), (unsigned long long)n,
			(unsigned long long)x.min_ns,
			tdxhp_hist_quantile_shown(hist, 0.5, &x),
			tdxhp_hist_quantile_shown(hist, 0.99, &x),
			(unsigned long long)x.max_ns,
			(double)hist->sum_ns / (double)n,
			(unsigned long long)hist->sum_ns,
			x.exact ? "exact" : "bucket_bounds", simulated);
	}
}

void tdxhp_summary_csv(FILE *f, struct tdxhp_summary *s)
{
	qsort(s->tds, s->nr_tds, sizeof(*s->tds), by_name);
	fputs("td,pid,hkid,op,count,min_ns,p50_ns,p99_ns,max_ns,avg_ns,sum_ns,extremes,simulated\n", f);
	for (unsigned int i = 0; i < s->nr_tds; i++)
		csv_rows(f, s->tds[i].name, s->tds[i].pid, s->tds[i].hkid,
			 s->tds[i].stats, s->tds[i].mm, s->simulated);
	csv_rows(f, "(torn-down TDs)", 0, -1, s->retired, s->retired_mm,
		 s->simulated);
}
