// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* tdxhp-top -b and -j: the table as plain text or JSON lines. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "drops.h"
#include "escape.h"
#include "sources.h"
#include "state.h"
#include "stats.h"
#include "util.h"
#include "values.h"

double top_wall_interval_s(const struct top_state *s)
{
	return s->rp ? s->delay_s / s->speed : s->delay_s;
}

void top_clock(const struct top_state *s, char *buf, size_t len)
{
	int64_t real;
	time_t sec;
	struct tm tm;

	if (!s->rp) {
		tdxhp_format_clock(top_cur(s)->ts_ns, buf, len);
		return;
	}
	real = (int64_t)top_cur(s)->ts_ns + s->rp->rd.h.mono_to_real_ns;
	sec = (time_t)(real / 1000000000LL);
	localtime_r(&sec, &tm);
	strftime(buf, len, "%H:%M:%S", &tm);
}

const char *top_mode(const struct top_state *s)
{
	if (s->sim)
		return "SIMULATED: ";
	if (s->rp)
		return tdxhp_replay_simulated(s->rp) ? "REPLAY (SIMULATED DATA): " :
						      "REPLAY: ";
	return "LIVE";
}

static void print_totals(const struct top_state *s)
{
	const struct top_totals *t = &s->rows.tot;
	char b4k[16], b2m[16], b1g[16], when[16];
	bool any = false;

	top_clock(s, when, sizeof(when));
	printf("tdxhp-top - %s - %s - every %.1fs\n", when, s->source,
	       s->delay_s);
	if (s->sim)
		printf("SIMULATED DATA (%s): no TDX host is traced\n", s->source);
	if (s->rp && tdxhp_replay_simulated(s->rp))
		printf("SIMULATED DATA (%s): this recording was made with --simulate\n",
		       s->rp->rd.h.source);
	tdxhp_format_signed_bytes(t->bytes_4k, b4k, sizeof(b4k));
	tdxhp_format_signed_bytes(t->bytes_2m, b2m, sizeof(b2m));
	tdxhp_format_signed_bytes(t->bytes_1g, b1g, sizeof(b1g));
	printf("TDs %u (%u partial, %u storming)  private 4K %s  2M %s  1G %s  2M coverage ",
	       t->tds, t->partial, t->storms_active, b4k, b2m, b1g);
	if (t->coverage < 0)
		printf(TDXHP_UNKNOWN_TEXT);
	else
		printf("%.1f%%", t->coverage * 100);
	printf("  events/s %.0f\n", t->events_per_s);
	if (s->rp)
		printf("KVM pages: not in recordings\n");
	else if (s->kvm.readable)
		printf("KVM pages (shared and private, all VMs): 4K %llu  2M %llu  1G %llu\n",
		       (unsigned long long)s->kvm.pages[0],
		       (unsigned long long)s->kvm.pages[1],
		       (unsigned long long)s->kvm.pages[2]);
	else
		printf("KVM pages: not readable (mount debugfs on /sys/kernel/debug)\n");
	printf("dropped:");
	for (int i = 0; i < TDXHP_NR_HOST_COUNTERS; i++) {
		if (!t->dropped[i] || !tdxhp_drop_counts(TDXHP_VIEW_TOTALS, i))
			continue;
		printf(" %s %llu", tdxhp_host_counter_name(i),
		       (unsigned long long)t->dropped[i]);
		any = true;
	}
	printf("%s\n", any ? "" : " none");
}

/* Batch output is not cut to a terminal: the name column fits every name. */
static int name_width(const struct top_state *s)
{
	int w = top_cols[COL_NAME].width;

	for (unsigned int i = 0; i < s->rows.nr; i++) {
		int n = (int)strlen(s->rows.rows[i].td->name);

		if (n > w)
			w = n;
	}
	return w;
}

void top_print_batch(const struct top_state *s)
{
	int nw = name_width(s);

	print_totals(s);
	printf("\n  ");
	for (int c = 0; c < NR_COLS; c++)
		printf(c == COL_NAME ? "%-*s " : "%*s ",
		       c == COL_NAME ? nw : top_cols[c].width, top_cols[c].title);
	printf("\n");
	for (unsigned int i = 0; i < s->rows.nr; i++) {
		const struct top_row *r = &s->rows.rows[i];

		printf("%c%c", r->storm_active ? '!' : r->storm_ever ? '*' : ' ',
		       r->partial ? '~' : ' ');
		for (int c = 0; c < NR_COLS; c++) {
			char buf[64];

			top_format(c, r, buf, sizeof(buf));
			printf(c == COL_NAME ? "%-*s " : "%*s ",
			       c == COL_NAME ? nw : top_cols[c].width, buf);
		}
		printf("\n");
	}
	printf("\n");
	fflush(stdout);
}

void top_print_json(const struct top_state *s)
{
	const struct top_totals *t = &s->rows.tot;

	printf("{\"ts_ns\":%llu,\"simulated\":%s,\"source\":",
	       (unsigned long long)top_cur(s)->ts_ns,
	       s->sim || (s->rp && tdxhp_replay_simulated(s->rp)) ? "true" : "false");
	tdxhp_json_str(stdout, s->source);
	if (s->t) {
		printf(",");
		tdxhp_json_sources(stdout, s->t);
	}
	printf(",\"interval_s\":%.6f,\"totals\":{\"tds\":%u,\"partial\":%u,\"storms_active\":%u,\"private_4k_bytes\":%lld,\"private_2m_bytes\":%lld,\"private_1g_bytes\":%lld,\"coverage\":",
	       s->dt_s, t->tds, t->partial, t->storms_active,
	       (long long)t->bytes_4k, (long long)t->bytes_2m,
	       (long long)t->bytes_1g);
	if (t->coverage < 0)
		printf("null");
	else
		printf("%.6f", t->coverage);
	printf(",\"events_per_s\":%.3f},", t->events_per_s);
	if (s->rp)
		printf("\"replay\":{\"position_s\":%.6f,\"end\":%s},",
		       s->rp->first_ts_ns && s->replay_pos_ns > s->rp->first_ts_ns ?
			       (double)(s->replay_pos_ns - s->rp->first_ts_ns) / 1e9 : 0,
		       s->replay_end ? "true" : "false");
	printf("\"kvm_pages\":");
	if (s->kvm.readable)
		printf("{\"4k\":%llu,\"2m\":%llu,\"1g\":%llu}",
		       (unsigned long long)s->kvm.pages[0],
		       (unsigned long long)s->kvm.pages[1],
		       (unsigned long long)s->kvm.pages[2]);
	else
		printf("null");
	printf(",\"dropped\":{");
	for (int i = 0; i < TDXHP_NR_HOST_COUNTERS; i++)
		printf("%s\"%s\":%llu", i ? "," : "", tdxhp_host_counter_name(i),
		       (unsigned long long)t->dropped[i]);
	printf("},\"tds\":[");
	for (unsigned int i = 0; i < s->rows.nr; i++) {
		const struct top_row *r = &s->rows.rows[i];

		printf("%s{\"name\":", i ? "," : "");
		tdxhp_json_str(stdout, r->td->name);
		printf(",\"pid\":");
		tdxhp_id_json(stdout, r->td->meta.pid,
			      tdxhp_pid_known(r->td->meta.pid));
		printf(",\"hkid\":");
		tdxhp_id_json(stdout, r->td->meta.hkid,
			      tdxhp_hkid_known(r->td->meta.hkid));
		printf(",\"partial\":%s,\"storm_active\":%s,\"storm_ever\":%s",
		       r->partial ? "true" : "false",
		       r->storm_active ? "true" : "false",
		       r->storm_ever ? "true" : "false");
		for (int c = COL_4K; c < NR_COLS; c++) {
			if (c == COL_COV && r->v[c] < 0)
				printf(",\"%s\":null", top_cols[c].json);
			else
				printf(",\"%s\":%.17g", top_cols[c].json, r->v[c]);
		}
		printf("}");
	}
	printf("]}\n");
	fflush(stdout);
}
