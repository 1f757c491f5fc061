// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "hist.h"
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

static void stats_text(FILE *f, const struct tdxhp_td_stats *s, bool gauges)
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
	fprintf(f, "  %-14s %8s %9s %9s %9s\n", "latency", "count", "p50", "p99",
		"avg");
	for (int h = 0; h < TDXHP_NR_HISTS; h++) {
		uint64_t n = tdxhp_hist_count(&s->hist[h]);
		char p50[16], p99[16], avg[16];

		if (!n)
			continue;
		tdxhp_format_ns(p50, sizeof(p50), tdxhp_hist_quantile_ns(&s->hist[h], 0.5));
		tdxhp_format_ns(p99, sizeof(p99), tdxhp_hist_quantile_ns(&s->hist[h], 0.99));
		tdxhp_format_ns(avg, sizeof(avg), (double)s->hist[h].sum_ns / (double)n);
		fprintf(f, "  %-14s %8llu %9s %9s %9s\n", tdxhp_hist_name(h),
			(unsigned long long)n, p50, p99, avg);
	}
}

static void stats_json(FILE *f, const struct tdxhp_td_stats *s, bool gauges)
{
	if (gauges)
		fprintf(f, "\"pages\":{\"4k\":%lld,\"2m\":%lld,\"1g\":%lld},",
			(long long)s->pages[0], (long long)s->pages[1],
			(long long)s->pages[2]);
	fprintf(f, "\"counters\":{");
	for (int i = 0; i < TDXHP_NR_COUNTERS; i++)
		fprintf(f, "%s\"%s\":%llu", i ? "," : "", tdxhp_counter_name(i),
			(unsigned long long)s->counters[i]);
	fprintf(f, "},\"hists\":{");
	for (int h = 0, first = 1; h < TDXHP_NR_HISTS; h++) {
		if (!tdxhp_hist_count(&s->hist[h]))
			continue;
		fprintf(f, "%s\"%s\":", first ? "" : ",", tdxhp_hist_name(h));
		tdxhp_hist_json(f, &s->hist[h]);
		first = 0;
	}
	fprintf(f, "}");
}

void tdxhp_summary_print(FILE *f, struct tdxhp_summary *s, bool json)
{
	qsort(s->tds, s->nr_tds, sizeof(*s->tds), by_name);
	if (json) {
		fprintf(f, "{\"source\":");
		tdxhp_json_str(f, s->source);
		fprintf(f, ",\"tds\":[");
		for (unsigned int i = 0; i < s->nr_tds; i++) {
			const struct tdxhp_summary_td *td = &s->tds[i];

			fprintf(f, "%s{\"name\":", i ? "," : "");
			tdxhp_json_str(f, td->name);
			fprintf(f, ",\"pid\":");
			tdxhp_id_json(f, td->pid, tdxhp_pid_known(td->pid));
			fprintf(f, ",\"hkid\":");
			tdxhp_id_json(f, td->hkid, tdxhp_hkid_known(td->hkid));
			fprintf(f, ",\"partial\":%s,",
				td->partial ? "true" : "false");
			stats_json(f, td->stats, true);
			fprintf(f, "}");
		}
		fprintf(f, "],\"retired\":{");
		stats_json(f, s->retired, false);
		fprintf(f, "},\"events\":{");
		for (int ev = 0; ev < TDXHP_NR_EVENTS; ev++)
			fprintf(f, "%s\"%s\":%llu", ev ? "," : "",
				tdxhp_event_name(ev),
				(unsigned long long)s->events[ev]);
		fprintf(f, "}}\n");
		return;
	}
	fprintf(f, "Summary (%s): %u live TDs\n", s->source, s->nr_tds);
	for (unsigned int i = 0; i < s->nr_tds; i++) {
		const struct tdxhp_summary_td *td = &s->tds[i];

		char pid[16], hkid[16];

		fprintf(f, "\nTD %s  pid %s  hkid %s  %s\n", td->name,
			tdxhp_id_text(td->pid, tdxhp_pid_known(td->pid), pid,
				      sizeof(pid)),
			tdxhp_id_text(td->hkid, tdxhp_hkid_known(td->hkid), hkid,
				      sizeof(hkid)),
			td->partial ? "partial (joined mid-life, gauges since first sight)" :
				      "exact");
		stats_text(f, td->stats, true);
	}
	fprintf(f, "\nTorn-down TDs, combined\n");
	stats_text(f, s->retired, false);
	fprintf(f, "\nevents");
	for (int ev = 0; ev < TDXHP_NR_EVENTS; ev++)
		fprintf(f, "  %s %llu", tdxhp_event_name(ev),
			(unsigned long long)s->events[ev]);
	fputc('\n', f);
}
