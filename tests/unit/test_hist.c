// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Histogram math: bucket bounds, counts, quantiles, deltas, printing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hist.h"

static void test_slot_bounds(void **state)
{
	assert_int_equal(tdxhp_hist_slot_lo_ns(0), 1);
	assert_int_equal(tdxhp_hist_slot_hi_ns(0), 2);
	assert_int_equal(tdxhp_hist_slot_lo_ns(10), 1024);
	assert_int_equal(tdxhp_hist_slot_hi_ns(10), 2048);
	assert_true(tdxhp_hist_slot_hi_ns(TDXHP_HIST_SLOTS - 1) == UINT64_MAX);
}

static void test_count_and_quantiles(void **state)
{
	struct tdxhp_hist h = { 0 };

	assert_int_equal(tdxhp_hist_count(&h), 0);
	assert_true(tdxhp_hist_quantile_ns(&h, 0.5) == 0);

	/* 100 samples in [1024, 2048): the median is half way through. */
	h.slots[10] = 100;
	assert_int_equal(tdxhp_hist_count(&h), 100);
	assert_true(tdxhp_hist_quantile_ns(&h, 0.5) == 1536);
	assert_true(tdxhp_hist_quantile_ns(&h, 1.0) == 2048);

	/* 99 fast, 1 slow: p99 stays in the fast slot, p100 is the slow one. */
	memset(&h, 0, sizeof(h));
	h.slots[10] = 99;
	h.slots[20] = 1;
	assert_true(tdxhp_hist_quantile_ns(&h, 0.99) == 2048);
	assert_true(tdxhp_hist_quantile_ns(&h, 1.0) == 2097152);
	assert_true(tdxhp_hist_quantile_ns(&h, 0.995) > 1048576);
	/* out of range q is clamped, never crashes */
	assert_true(tdxhp_hist_quantile_ns(&h, 7) == 2097152);
	assert_true(tdxhp_hist_quantile_ns(&h, -1) > 0);
}

static void test_add_and_delta(void **state)
{
	struct tdxhp_hist a = { 0 }, b = { 0 }, d;

	a.slots[3] = 5;
	a.sum_ns = 50;
	b.slots[3] = 2;
	b.slots[4] = 1;
	b.sum_ns = 30;
	tdxhp_hist_add(&a, &b);
	assert_int_equal(a.slots[3], 7);
	assert_int_equal(a.slots[4], 1);
	assert_int_equal(a.sum_ns, 80);

	tdxhp_hist_delta(&d, &a, &b);
	assert_int_equal(d.slots[3], 5);
	assert_int_equal(d.slots[4], 0);
	assert_int_equal(d.sum_ns, 50);
	/* a counter that went backwards (TD replaced) is not negative */
	tdxhp_hist_delta(&d, &b, &a);
	assert_int_equal(d.slots[3], 0);
	assert_int_equal(d.sum_ns, 0);
}

static void test_names(void **state)
{
	for (int i = 0; i < TDXHP_NR_HISTS; i++)
		assert_int_equal(tdxhp_hist_by_name(tdxhp_hist_name(i)), i);
	assert_int_equal(tdxhp_hist_by_name("demote-block"),
			 TDXHP_H_DEMOTE_BLOCK);
	assert_int_equal(tdxhp_hist_by_name("nope"), -1);
	assert_string_equal(tdxhp_hist_name(99), "?");
}

static char *print_to_string(const struct tdxhp_hist *h,
			     const struct tdxhp_unit *u)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	tdxhp_hist_print(f, h, u);
	fclose(f);
	return buf;
}

static void test_print(void **state)
{
	struct tdxhp_hist h = { 0 };
	char *out;

	out = print_to_string(&h, &tdxhp_unit_us);
	assert_non_null(strstr(out, "no samples"));
	free(out);

	h.slots[10] = 4;
	h.slots[12] = 2;
	out = print_to_string(&h, &tdxhp_unit_ns);
	/* first to last used slot, the empty one between included, as
	 * libbpf-tools prints them: integer ranges, inclusive */
	assert_non_null(strstr(out, "1024 -> 2047"));
	assert_non_null(strstr(out, "2048 -> 4095"));
	assert_non_null(strstr(out, "4096 -> 8191"));
	assert_null(strstr(out, "512 -> 1023"));
	/* the largest slot gets the full 40-star bar, half of it 20 */
	assert_non_null(strstr(out, "|****************************************|"));
	assert_non_null(strstr(out, "|********************                    |"));
	free(out);

	out = print_to_string(&h, &tdxhp_unit_us);
	assert_non_null(strstr(out, " us "));
	/* 1024 ns shows in the 1 us bucket; under 2 us is "0 -> 1" */
	assert_non_null(strstr(out, "0 -> 1 "));
	assert_non_null(strstr(out, "2 -> 3 "));
	assert_null(strstr(out, "1.024"));
	free(out);

	/* several ns buckets under 2 us add up in "0 -> 1" */
	memset(&h, 0, sizeof(h));
	h.slots[3] = 1;
	h.slots[9] = 2;
	h.slots[10] = 3;
	out = print_to_string(&h, &tdxhp_unit_us);
	assert_non_null(strstr(out, "0 -> 1                : 6 "));
	free(out);

	/* the open last slot */
	memset(&h, 0, sizeof(h));
	h.slots[TDXHP_HIST_SLOTS - 1] = 1;
	out = print_to_string(&h, &tdxhp_unit_ms);
	assert_non_null(strstr(out, "-> ..."));
	free(out);
}

static void test_json(void **state)
{
	struct tdxhp_hist h = { 0 };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct tdxhp_hist_extremes x;
	struct tdxhp_json w;

	h.slots[10] = 3;
	h.sum_ns = 4000;
	tdxhp_hist_extremes(&h, false, 0, 0, &x);
	assert_true(x.min_ns == 1024 && x.max_ns == 2047 && !x.exact);
	tdxhp_json_init(&w, f, false);
	tdxhp_hist_json(&w, &h, &x);
	fclose(f);
	assert_string_equal(buf, "{\"count\":3,\"sum_ns\":4000,\"min_ns\":1024,"
				 "\"p50_ns\":1536,\"p99_ns\":2038,\"max_ns\":2047,"
				 "\"avg_ns\":1333,\"extremes\":\"bucket_bounds\","
				 "\"buckets\":[{\"lo_ns\":1024,\"hi_ns\":2048,\"count\":3}]}");
	free(buf);

	/* exact extremes: quantiles are kept within them */
	buf = NULL;
	f = open_memstream(&buf, &len);
	tdxhp_hist_extremes(&h, true, 1100, 1300, &x);
	assert_true(tdxhp_hist_quantile_shown(&h, 0.99, &x) == 1300);
	tdxhp_json_init(&w, f, false);
	tdxhp_hist_json(&w, &h, &x);
	fclose(f);
	assert_non_null(strstr(buf, "\"min_ns\":1100,\"p50_ns\":1300,\"p99_ns\":1300,\"max_ns\":1300"));
	assert_non_null(strstr(buf, "\"extremes\":\"exact\""));
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_slot_bounds),
		cmocka_unit_test(test_count_and_quantiles),
		cmocka_unit_test(test_add_and_delta),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_print),
		cmocka_unit_test(test_json),
	};

	return cmocka_run_group_tests_name("hist", tests, NULL, NULL);
}
