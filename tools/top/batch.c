// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* tdxhp-top -b and -j: the table as plain text or JSON lines. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "drops.h"
#include "event_fmt.h"
#include "json_fields.h"
#include "sources.h"
#include "state.h"
#include "stats.h"
#include "text.h"
#include "util.h"
#include "values.h"

static void print_totals(const struct top_state *s)
{
	const struct top_totals *t = &s->rows.tot;
	char b4k[16], b2m[16], b1g[16], when[16], ev[16], shown[64];
	bool any = false;

	top_clock(s, when, sizeof(when));
	printf("tdxhp-top - %s - %s - every %.1fs\n", when, s->source,
	       s->delay_s);
	if (s->sim)
		printf("SIMULATED DATA (%s): no TDX host is traced\n", s->source);
	if (s->rp && tdxhp_replay_simulated(s->rp))
		printf("SIMULATED DATA (%s): this recording was made with --simulate\n",
		       s->rp->rd.h.source);
	top_compact(ev, sizeof(ev), t->events_per_s);
	top_shown_text(s, s->rows.nr, shown, sizeof(shown));
	printf("%s %u  TDs %u (%u partial)  %s  events/s %s\n",
	       t->storms_active ? "STORMS" : "storms", t->storms_active,
	       t->tds, t->partial, shown, ev);
	tdxhp_format_signed_bytes(t->bytes_4k, b4k, sizeof(b4k));
	tdxhp_format_signed_bytes(t->bytes_2m, b2m, sizeof(b2m));
	tdxhp_format_signed_bytes(t->bytes_1g, b1g, sizeof(b1g));
	printf("host total: private 4K %s  2M %s  1G %s  2M coverage ", b4k,
	       b2m, b1g);
	if (t->coverage < 0)
		printf(TDXHP_UNKNOWN_TEXT);
	else
		printf("%.1f%%", t->coverage * 100);
	printf("\n");
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
	printf("/s: rates over %.1fs  DEM50 DEM99: since %s  sort %s%s\n",
	       s->dt_s, s->have_base ? "reset" : "start",
	       top_cols[s->vo.sort].title, s->vo.reverse ? " (reversed)" : "");
}

/* Batch output is not cut to a terminal: the name column fits every name. */
static int name_width(const struct top_state *s)
{
	int w = top_cols[COL_NAME].width;

	for (unsigned int i = 0; i < s->rows.nr; i++) {
		int n = top_text_width(s->rows.rows[i].td->name);

		if (n > w)
			w = n;
	}
	return w;
}

static void print_cell(enum top_col c, const char *text, int nw)
{
	char cell[256];

	top_text_fit(cell, sizeof(cell), text,
		     c == COL_NAME ? nw : top_cols[c].width,
		     c == COL_NAME || c == COL_MACHINE || c == COL_WHY ? TOP_LEFT :
								   TOP_RIGHT,
		     true);
	fputs(cell, stdout);
	putchar(' ');
}

void top_print_batch(const struct top_state *s)
{
	int nw = name_width(s);

	print_totals(s);
	printf("\n  ");
	for (int i = 0; i < NR_COLS; i++) {
		enum top_col c = top_display[i];

		if (c != COL_MACHINE || s->machine_col)
			print_cell(c, top_cols[c].title, nw);
	}
	printf("\n");
	for (unsigned int i = 0; i < s->rows.nr; i++) {
		const struct top_row *r = &s->rows.rows[i];

		printf("%c%c", r->storm_active ? '!' : r->storm_ever ? '*' : ' ',
		       r->partial ? '~' : ' ');
		for (int k = 0; k < NR_COLS; k++) {
			enum top_col c = top_display[k];
			char buf[128];

			if (c == COL_MACHINE && !s->machine_col)
				continue;
			top_format(c, r, buf, sizeof(buf));
			print_cell(c, buf, nw);
		}
		printf("\n");
	}
	printf("\n");
	fflush(stdout);
}

void top_print_json(const struct top_state *s)
{
	const struct top_totals *t = &s->rows.tot;
	__u64 dropped[TDXHP_NR_HOST_COUNTERS];
	struct tdxhp_json w;

	tdxhp_json_init(&w, stdout, false);
	tdxhp_json_record_start(&w, TDXHP_SCHEMA_TOP,
				s->sim || (s->rp && tdxhp_replay_simulated(s->rp)));
	/* A recording's clock is another boot's: its own offset. */
	tdxhp_json_times(&w, top_cur(s)->ts_ns,
			 s->rp ? s->rp->rd.h.mono_to_real_ns :
				 tdxhp_mono_to_real_ns());
	tdxhp_json_kv_string(&w, "source", s->source);
	if (s->t)
		tdxhp_json_sources(&w, s->t);
	tdxhp_json_kv_decimal(&w, "interval_s", s->dt_s, 6);
	tdxhp_json_name(&w, "totals");
	tdxhp_json_object_start(&w);
	tdxhp_json_kv_u64(&w, "tds", t->tds);
	tdxhp_json_kv_u64(&w, "partial", t->partial);
	tdxhp_json_kv_u64(&w, "storms_active", t->storms_active);
	tdxhp_json_kv_s64(&w, "private_4k_bytes", t->bytes_4k);
	tdxhp_json_kv_s64(&w, "private_2m_bytes", t->bytes_2m);
	tdxhp_json_kv_s64(&w, "private_1g_bytes", t->bytes_1g);
	tdxhp_json_name(&w, "coverage");
	if (t->coverage < 0)
		tdxhp_json_null(&w);
	else
		tdxhp_json_decimal(&w, t->coverage, 6);
	tdxhp_json_kv_decimal(&w, "events_per_s", t->events_per_s, 3);
	tdxhp_json_object_end(&w);
	if (s->rp) {
		tdxhp_json_name(&w, "replay");
		tdxhp_json_object_start(&w);
		tdxhp_json_kv_decimal(&w, "position_s",
				      s->rp->first_ts_ns &&
						      s->replay_pos_ns > s->rp->first_ts_ns ?
					      (double)(s->replay_pos_ns -
						       s->rp->first_ts_ns) / 1e9 :
					      0,
				      6);
		tdxhp_json_kv_bool(&w, "end", s->replay_end);
		tdxhp_json_object_end(&w);
	}
	/* KVM's own counts, shared and private mappings of every VM. */
	tdxhp_json_name(&w, "kvm_pages");
	if (s->kvm.readable) {
		__s64 pages[TDXHP_NR_LEVELS];

		for (int i = 0; i < TDXHP_NR_LEVELS; i++)
			pages[i] = (__s64)s->kvm.pages[i];
		tdxhp_json_levels(&w, pages);
	} else {
		tdxhp_json_null(&w);
	}
	for (int i = 0; i < TDXHP_NR_HOST_COUNTERS; i++)
		dropped[i] = t->dropped[i];
	tdxhp_json_dropped(&w, dropped);
	tdxhp_json_name(&w, "tds");
	tdxhp_json_array_start(&w);
	for (unsigned int i = 0; i < s->rows.nr; i++) {
		const struct top_row *r = &s->rows.rows[i];
		const struct tdxhp_td *td = r->td;

		tdxhp_json_object_start(&w);
		tdxhp_json_td(&w, td->name, td->meta.pid, td->meta.hkid, &td->id);
		tdxhp_json_kv_bool(&w, "partial", r->partial);
		tdxhp_json_kv_bool(&w, "storm_active", r->storm_active);
		tdxhp_json_kv_bool(&w, "storm_ever", r->storm_ever);
		/* The numeric columns, under their json names (rows.c). */
		for (int c = COL_4K; c < NR_COLS; c++) {
			tdxhp_json_name(&w, top_cols[c].json);
			if (c == COL_COV && r->v[c] < 0)
				tdxhp_json_null(&w);
			else
				tdxhp_json_double(&w, r->v[c]);
		}
		tdxhp_json_object_end(&w);
	}
	tdxhp_json_array_end(&w);
	tdxhp_json_object_end(&w);
	tdxhp_json_line_end(&w);
}
