// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The EPT-violation storm detector: storms are found, non-storms are not. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <cmocka.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "fixture.h"
#include "storm.h"
#include "tdxhp.skel.h"

#define HOUR_NS 3600000000000ULL
static const uint64_t TD = 0xdead000000011000ULL;

static int storm_entry(struct fx *f, uint64_t gfn, struct tdxhp_storm_gfn *out)
{
	struct tdxhp_storm_gfn g[TDXHP_STORM_SETS * TDXHP_STORM_WAYS];
	int n = tdxhp_storm_gfns(&f->t, fx_td(f, TD)->slot, g, 32);

	for (int i = 0; i < n; i++) {
		if (g[i].gfn == gfn) {
			*out = g[i];
			return 0;
		}
	}
	return -1;
}

static void test_storm_detected(void **state)
{
	struct tdxhp_opts o = { .storm_hits = 5, .storm_window_ns = HOUR_NS };
	struct fx *f = fx_open(&o);
	struct tdxhp_storm_gfn v;
	const struct tdxhp_td *td;

	ev_init(f, TD, 10, 1, 0);
	for (int i = 0; i < 5; i++)
		ev_fsi(f, TD, i % 2, 0x1234, 2, 1, (unsigned int)i % 2);
	fx_read(f);
	td = fx_td(f, TD);
	assert_non_null(td);
	assert_int_equal(td->stats.counters[TDXHP_C_STORM], 1);
	assert_int_equal(td->stats.counters[TDXHP_C_FAULT_SPLIT_IGNORED], 5);
	assert_true(td->meta.flags & TDXHP_TD_STORM);
	assert_true(td->meta.last_storm_ns > 0);

	/* the offending gfn can be read back with its levels, listed first */
	assert_int_equal(storm_entry(f, 0x1234, &v), 0);
	assert_int_equal(v.hits, 5);
	assert_int_equal(v.storms, 1);
	assert_int_equal(v.level, 2);
	assert_int_equal(v.goal_level, 1);

	/* more hits in the same window are the same storm */
	for (int i = 0; i < 10; i++)
		ev_fsi(f, TD, 0, 0x1234, 2, 1, 0);
	fx_read(f);
	assert_int_equal(fx_td(f, TD)->stats.counters[TDXHP_C_STORM], 1);
	fx_close(f);
}

static void test_non_storms(void **state)
{
	struct tdxhp_opts o = { .storm_hits = 5, .storm_window_ns = HOUR_NS };
	struct fx *f = fx_open(&o);
	const struct tdxhp_td *td;

	ev_init(f, TD, 10, 1, 0);
	/* one short of the threshold */
	for (int i = 0; i < 4; i++)
		ev_fsi(f, TD, 0, 0x99, 2, 1, 0);
	/* many gfns, each refused once: a busy guest, not a loop */
	for (int i = 0; i < 500; i++)
		ev_fsi(f, TD, i % 8, 0x100000 + (uint64_t)i * 512, 2, 1,
		       (unsigned int)i % 2);
	/* the same gfn in another TD does not add up */
	ev_init(f, fx_handle(2), 11, 2, 0);
	for (int i = 0; i < 4; i++)
		ev_fsi(f, fx_handle(2), 0, 0x99, 2, 1, 1);
	fx_read(f);
	td = fx_td(f, TD);
	assert_int_equal(td->stats.counters[TDXHP_C_STORM], 0);
	assert_int_equal(td->stats.counters[TDXHP_C_FAULT_SPLIT_IGNORED], 504);
	assert_false(td->meta.flags & TDXHP_TD_STORM);
	assert_int_equal(fx_td(f, fx_handle(2))->stats.counters[TDXHP_C_STORM], 0);
	fx_close(f);
}

/* Hits further apart than the window never add up to a storm. */
static void test_window_expires(void **state)
{
	struct tdxhp_opts o = { .storm_hits = 3, .storm_window_ns = 1000000 };
	struct fx *f = fx_open(&o);
	/* 30x the window, and more than a tick of the coarse clock */
	struct timespec gap = { .tv_nsec = 30000000 };

	ev_init(f, TD, 10, 1, 0);
	for (int i = 0; i < 6; i++) {
		ev_fsi(f, TD, 0, 0x77, 2, 1, 0);
		nanosleep(&gap, NULL);
	}
	fx_read(f);
	assert_int_equal(fx_td(f, TD)->stats.counters[TDXHP_C_STORM], 0);
	assert_int_equal(fx_td(f, TD)->stats.counters[TDXHP_C_FAULT_SPLIT_IGNORED],
			 6);
	fx_close(f);
}

/* Teardown removes the TD's storm entries; a new TD starts clean. */
static void test_teardown_purges(void **state)
{
	struct tdxhp_opts o = { .storm_hits = 3, .storm_window_ns = HOUR_NS };
	struct fx *f = fx_open(&o);

	ev_init(f, TD, 10, 1, 0);
	for (int i = 0; i < 3; i++)
		ev_fsi(f, TD, 0, 0x55, 2, 1, 0);
	ev_init(f, fx_handle(9), 11, 2, 0);
	ev_fsi(f, fx_handle(9), 0, 0x56, 2, 1, 0);
	assert_int_equal(fx_storm_entries(f), 2);
	ev_teardown(f, TD, 1);
	assert_int_equal(fx_storm_entries(f), 1);
	ev_init(f, TD, 12, 3, 0);
	ev_fsi(f, TD, 0, 0x55, 2, 1, 0);
	fx_read(f);
	assert_int_equal(fx_td(f, TD)->stats.counters[TDXHP_C_STORM], 0);
	assert_int_equal(f->snap.retired.counters[TDXHP_C_STORM], 1);
	fx_close(f);
}

/* gfns that land in the same set of the storm table (bpf/storm.bpf.h). */
static void same_set_gfns(uint64_t *g, int n)
{
	uint64_t want = (0x1000ULL * 0x9E3779B97F4A7C15ULL) >> 60;
	int k = 0;

	for (uint64_t gfn = 0x1000; k < n; gfn++)
		if (((gfn * 0x9E3779B97F4A7C15ULL) >> 60) == want)
			g[k++] = gfn;
}

/* Repeating gfns are not evicted by strays; a full set is counted. */
static void test_lru_protects_hot_entries(void **state)
{
	struct tdxhp_opts o = { .storm_hits = 6, .storm_window_ns = HOUR_NS };
	struct fx *f = fx_open(&o);
	struct tdxhp_storm_gfn v;
	uint64_t g[6];

	same_set_gfns(g, 6);
	ev_init(f, TD, 10, 1, 0);
	ev_fsi(f, TD, 0, g[0], 2, 1, 0);
	ev_fsi(f, TD, 0, g[0], 2, 1, 0);	/* g0 is repeating */
	ev_fsi(f, TD, 0, g[1], 2, 1, 0);	/* stray takes the other way */
	ev_fsi(f, TD, 0, g[2], 2, 1, 0);	/* stray evicts the stray */
	fx_read(f);
	assert_int_equal(storm_entry(f, g[0], &v), 0);
	assert_int_equal(v.hits, 2);
	assert_int_equal(storm_entry(f, g[2], &v), 0);
	assert_int_equal(storm_entry(f, g[1], &v), -1);
	assert_int_equal(f->snap.host.counters[TDXHP_HC_STORM_TABLE_FULL], 0);

	ev_fsi(f, TD, 0, g[2], 2, 1, 0);	/* g2 repeats too: set is hot */
	ev_fsi(f, TD, 0, g[3], 2, 1, 0);	/* nowhere to go: counted */
	for (int i = 0; i < 4; i++)		/* g0 still reaches the storm */
		ev_fsi(f, TD, 0, g[0], 2, 1, 1);
	fx_read(f);
	assert_int_equal(f->snap.host.counters[TDXHP_HC_STORM_TABLE_FULL], 1);
	assert_int_equal(storm_entry(f, g[3], &v), -1);
	assert_int_equal(storm_entry(f, g[0], &v), 0);
	assert_int_equal(v.storms, 1);
	assert_int_equal(fx_td(f, TD)->stats.counters[TDXHP_C_STORM], 1);
	fx_close(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_storm_detected),
		cmocka_unit_test(test_non_storms),
		cmocka_unit_test(test_window_expires),
		cmocka_unit_test(test_teardown_purges),
		cmocka_unit_test(test_lru_protects_hot_entries),
	};

	return cmocka_run_group_tests_name("bpf-storm", tests, NULL, NULL);
}
