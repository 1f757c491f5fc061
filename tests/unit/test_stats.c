// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Per-CPU summing, deltas and derived values of the BPF aggregates. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "drops.h"
#include "stats.h"
#include "values.h"

static void test_stride(void **state)
{
	assert_int_equal(tdxhp_percpu_stride(8), 8);
	assert_int_equal(tdxhp_percpu_stride(12), 16);
	assert_int_equal(tdxhp_percpu_stride(sizeof(struct tdxhp_td_stats)) % 8, 0);
}

static void test_sum_td_percpu(void **state)
{
	const int ncpus = 5;
	size_t stride = tdxhp_percpu_stride(sizeof(struct tdxhp_td_stats));
	char *buf = calloc(ncpus, stride);
	struct tdxhp_td_stats sum;

	for (int cpu = 0; cpu < ncpus; cpu++) {
		struct tdxhp_td_stats *s = (void *)(buf + stride * cpu);

		s->counters[TDXHP_C_AUG_2M] = (uint64_t)cpu + 1;  /* 1..5 */
		s->counters[TDXHP_C_DEMOTE] = 10;
		/* mapped on one CPU, removed on another: the sum is what counts */
		s->pages[0] = cpu == 0 ? 700 : -100;
		s->hist[TDXHP_H_DEMOTE].slots[14] = 2;
		s->hist[TDXHP_H_DEMOTE].sum_ns = 30000;
	}
	tdxhp_td_stats_sum_percpu(&sum, buf, ncpus);
	assert_int_equal(sum.counters[TDXHP_C_AUG_2M], 15);
	assert_int_equal(sum.counters[TDXHP_C_DEMOTE], 50);
	assert_int_equal(sum.pages[0], 300);
	assert_int_equal(sum.hist[TDXHP_H_DEMOTE].slots[14], 10);
	assert_int_equal(sum.hist[TDXHP_H_DEMOTE].sum_ns, 150000);

	/* one CPU is one CPU */
	tdxhp_td_stats_sum_percpu(&sum, buf, 1);
	assert_int_equal(sum.counters[TDXHP_C_AUG_2M], 1);
	free(buf);
}

static void test_sum_host_percpu(void **state)
{
	size_t stride = tdxhp_percpu_stride(sizeof(struct tdxhp_host_stats));
	char *buf = calloc(3, stride);
	struct tdxhp_host_stats sum;

	for (int cpu = 0; cpu < 3; cpu++) {
		struct tdxhp_host_stats *h = (void *)(buf + stride * cpu);

		h->counters[TDXHP_HC_TD_TABLE_FULL] = 1;
		h->events[TDXHP_EV_PAGE_AUG] = 100;
		h->seamcall_busy[7] = (uint64_t)cpu;
	}
	tdxhp_host_stats_sum_percpu(&sum, buf, 3);
	assert_int_equal(sum.counters[TDXHP_HC_TD_TABLE_FULL], 3);
	assert_int_equal(sum.events[TDXHP_EV_PAGE_AUG], 300);
	assert_int_equal(sum.seamcall_busy[7], 3);
	free(buf);
}

static void test_delta_and_coverage(void **state)
{
	struct tdxhp_td_stats a = { 0 }, b = { 0 }, d;

	a.counters[TDXHP_C_AUG_4K] = 10;
	b.counters[TDXHP_C_AUG_4K] = 4;
	a.pages[0] = 512;	/* 2 MiB at 4K */
	a.pages[1] = 3;		/* 6 MiB at 2M */
	b.pages[0] = 99;
	tdxhp_td_stats_delta(&d, &a, &b);
	assert_int_equal(d.counters[TDXHP_C_AUG_4K], 6);
	assert_int_equal(d.pages[0], 512); /* gauges come from cur */

	assert_int_equal(tdxhp_gauge_bytes(&a), 8ULL << 20);
	assert_true(tdxhp_huge_coverage(&a) == 0.75);
	memset(&a, 0, sizeof(a));
	assert_true(tdxhp_huge_coverage(&a) < 0);	/* nothing mapped */
	/* docs/values.md: a partial TD's gauges are shown as measured. */
	a.pages[0] = 100;
	a.pages[1] = -5;	/* net 2M removals since first sight */
	assert_int_equal(tdxhp_gauge_pages(&a, TDXHP_LEVEL_2M), -5);
	assert_int_equal(tdxhp_gauge_bytes_at(&a, TDXHP_LEVEL_2M), -(5LL << 21));
	assert_int_equal(tdxhp_gauge_bytes(&a), (100LL << 12) - (5LL << 21));
	assert_true(tdxhp_huge_coverage(&a) < 0);	/* unknown, not 0 */
	assert_int_equal(tdxhp_gauge_pages(&a, 9), 0);
}

static void test_names(void **state)
{
	assert_string_equal(tdxhp_counter_name(TDXHP_C_DEMOTE_BUSY_RETRY),
			    "demote_busy_retry");
	assert_string_equal(tdxhp_host_counter_name(TDXHP_HC_RINGBUF_LOST),
			    "ringbuf_lost");
	assert_string_equal(tdxhp_event_name(TDXHP_EV_FAULT_SPLIT_IGNORED),
			    "fault_split_ignored");
	assert_string_equal(tdxhp_event_name(-1), "?");
	assert_string_equal(tdxhp_counter_name(TDXHP_NR_COUNTERS), "?");
}

/* One rule for what counts as dropped (docs/events.md). */
static void test_drops(void **state)
{
	struct tdxhp_host_stats h = { 0 };
	char text[256], tiny[8];

	assert_int_equal(tdxhp_dropped_text(&h, TDXHP_VIEW_STREAM, text,
					    sizeof(text)),
			 0);
	assert_string_equal(text, "");
	h.counters[TDXHP_HC_RINGBUF_LOST] = 7;
	h.counters[TDXHP_HC_TD_TABLE_FULL] = 3;
	h.counters[TDXHP_HC_TD_REINIT] = 1;
	/* Totals miss everything but the ring buffer's losses. */
	assert_false(tdxhp_drop_counts(TDXHP_VIEW_TOTALS, TDXHP_HC_RINGBUF_LOST));
	assert_true(tdxhp_drop_counts(TDXHP_VIEW_STREAM, TDXHP_HC_RINGBUF_LOST));
	for (int c = 0; c < TDXHP_NR_HOST_COUNTERS; c++)
		assert_true(tdxhp_drop_counts(TDXHP_VIEW_STREAM, c));
	assert_false(tdxhp_drop_counts(TDXHP_VIEW_STREAM, TDXHP_NR_HOST_COUNTERS));
	tdxhp_dropped_text(&h, TDXHP_VIEW_TOTALS, text, sizeof(text));
	assert_string_equal(text, "td_table_full 3, td_reinit 1");
	tdxhp_dropped_text(&h, TDXHP_VIEW_STREAM, text, sizeof(text));
	assert_string_equal(text, "td_table_full 3, td_reinit 1, ringbuf_lost 7");
	/* Cut, never overrun, and the full length is returned. */
	assert_int_equal(tdxhp_dropped_text(&h, TDXHP_VIEW_TOTALS, tiny,
					    sizeof(tiny)),
			 strlen("td_table_full 3, td_reinit 1"));
	assert_string_equal(tiny, "td_tabl");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stride),
		cmocka_unit_test(test_sum_td_percpu),
		cmocka_unit_test(test_sum_host_percpu),
		cmocka_unit_test(test_delta_and_coverage),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_drops),
	};

	return cmocka_run_group_tests_name("stats", tests, NULL, NULL);
}
