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
	assert_int_equal(sizeof(struct tdxhp_td_shard) % 64, 0);
}

static void test_sum_td_shards(void **state)
{
	const unsigned int n = 5;
	struct tdxhp_td_shard *sh = aligned_alloc(64, n * sizeof(*sh));
	struct tdxhp_td_stats sum;

	memset(sh, 0, n * sizeof(*sh));
	for (unsigned int i = 0; i < n; i++) {
		sh[i].word[TDXHP_SW_C_AUG_2M] = (uint64_t)i + 1; /* 1..5 */
		sh[i].word[TDXHP_SW_C_DEMOTE] = 10;
		sh[i].word[TDXHP_SW_C_AUG_1G] = 1;
		sh[i].word[TDXHP_SW_C_BAD_EVENT] = 2;
		/* mapped on one CPU, removed on another: the sum is what counts */
		sh[i].word[TDXHP_SW_PAGES_4K] = (uint64_t)(i == 0 ? 700 : -100);
		sh[i].slots[tdxhp_shard_slot(TDXHP_H_DEMOTE, 14)] = 2;
		sh[i].slots[tdxhp_shard_slot(TDXHP_H_DEMOTE_TRACK, 14)] = 1;
		sh[i].slots[tdxhp_shard_slot(TDXHP_H_SPLIT, 3)] = 4;
		sh[i].word[TDXHP_SW_H_DEMOTE] = 30000;
		sh[i].word[TDXHP_SW_H_SPLIT] = 7;
	}
	tdxhp_td_shards_sum(&sum, sh, n);
	assert_int_equal(sum.counters[TDXHP_C_AUG_2M], 15);
	assert_int_equal(sum.counters[TDXHP_C_DEMOTE], 50);
	assert_int_equal(sum.counters[TDXHP_C_AUG_1G], 5);
	assert_int_equal(sum.counters[TDXHP_C_BAD_EVENT], 10);
	assert_int_equal(sum.counters[TDXHP_C_ADD], 0);
	assert_int_equal(sum.pages[0], 300);
	assert_int_equal(sum.pages[1], 0);
	assert_int_equal(sum.hist[TDXHP_H_DEMOTE].slots[14], 10);
	assert_int_equal(sum.hist[TDXHP_H_DEMOTE].slots[15], 0);
	assert_int_equal(sum.hist[TDXHP_H_DEMOTE_TRACK].slots[14], 5);
	assert_int_equal(sum.hist[TDXHP_H_DEMOTE_BLOCK].slots[14], 0);
	assert_int_equal(sum.hist[TDXHP_H_SPLIT].slots[3], 20);
	assert_int_equal(sum.hist[TDXHP_H_DEMOTE].sum_ns, 150000);
	assert_int_equal(sum.hist[TDXHP_H_SPLIT].sum_ns, 35);
	assert_int_equal(sum.hist[TDXHP_H_DEMOTE_BLOCK].sum_ns, 0);

	/* one shard is one shard */
	tdxhp_td_shards_sum(&sum, sh, 1);
	assert_int_equal(sum.counters[TDXHP_C_AUG_2M], 1);
	free(sh);
}

/* Every counter and histogram sum has a word of its own in a shard. */
static void test_shard_words_distinct(void **state)
{
	struct tdxhp_td_shard sh;
	struct tdxhp_td_stats sum;

	for (int w = 0; w < TDXHP_NR_SHARD_WORDS; w++) {
		memset(&sh, 0, sizeof(sh));
		sh.word[w] = 1;
		tdxhp_td_shards_sum(&sum, &sh, 1);
		uint64_t seen = 0;

		for (int i = 0; i < TDXHP_NR_COUNTERS; i++)
			seen += sum.counters[i];
		for (int i = 0; i < TDXHP_NR_LEVELS; i++)
			seen += (uint64_t)sum.pages[i];
		for (int h = 0; h < TDXHP_NR_HISTS; h++)
			seen += sum.hist[h].sum_ns;
		assert_int_equal(seen, 1);
	}
	assert_int_equal(TDXHP_NR_SHARD_WORDS,
			 TDXHP_NR_COUNTERS + TDXHP_NR_LEVELS + TDXHP_NR_HISTS);
}

/* Every histogram bucket has a slot of its own, and all slots are used. */
static void test_shard_slots_distinct(void **state)
{
	static unsigned char used[TDXHP_NR_HISTS * TDXHP_HIST_SLOTS];

	for (int h = 0; h < TDXHP_NR_HISTS; h++)
		for (int b = 0; b < TDXHP_HIST_SLOTS; b++) {
			uint32_t i = tdxhp_shard_slot((uint32_t)h, (uint32_t)b);

			assert_true(i < TDXHP_NR_HISTS * TDXHP_HIST_SLOTS);
			assert_int_equal(used[i], 0);
			used[i] = 1;
		}
	/* the demote histograms: one bucket of all four is 32 bytes */
	assert_int_equal(tdxhp_shard_slot_stride(TDXHP_H_DEMOTE_TRACK), 4);
	assert_int_equal(tdxhp_shard_slot_stride(TDXHP_H_AUG_2M), 1);
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
		cmocka_unit_test(test_sum_td_shards),
		cmocka_unit_test(test_shard_words_distinct),
		cmocka_unit_test(test_shard_slots_distinct),
		cmocka_unit_test(test_sum_host_percpu),
		cmocka_unit_test(test_delta_and_coverage),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_drops),
	};

	return cmocka_run_group_tests_name("stats", tests, NULL, NULL);
}
