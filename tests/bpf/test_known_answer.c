// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Known-answer test: a hand-written event sequence, spread over CPUs, and
 * the exact counters, gauges and histogram buckets it must produce.  The
 * expected numbers are worked out by hand in the comments.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "fixture.h"
#include "stats.h"

#define BUSY 0x8000020000000000ULL		/* TDX_OPERAND_BUSY */
#define INTERRUPTED 0x8000000300000000ULL	/* TDX_INTERRUPTED_RESUMABLE */

static const uint64_t A = 0xdead000000011000ULL, B = 0xdead000000022000ULL;

/* Feed the sequence; CPUs alternate so per-CPU sums are exercised. */
static void feed_sequence(struct fx *f)
{
	ev_init(f, A, 1234, 5, 0);
	/* 3 adds: 1000 ns -> slot 9, 2000 -> 10, 3000 -> 11 */
	ev_page(f, TDXHP_EV_PAGE_ADD, A, 0, 1, 0, 1000, 0);
	ev_page(f, TDXHP_EV_PAGE_ADD, A, 1, 1, 0, 2000, 1);
	ev_page(f, TDXHP_EV_PAGE_ADD, A, 2, 1, 0, 3000, 0);
	/* 2M augs: 10000 -> slot 13, 20000 -> slot 14 */
	ev_page(f, TDXHP_EV_PAGE_AUG, A, 512, 2, 0, 10000, 1);
	ev_page(f, TDXHP_EV_PAGE_AUG, A, 1024, 2, 0, 20000, 0);
	/* a failed 4K aug: error counted, time recorded (slot 8), no page */
	ev_page(f, TDXHP_EV_PAGE_AUG, A, 3, 1, BUSY, 500, 1);
	/* a 4K aug the kernel did not time: counted, not in the histogram */
	ev_page(f, TDXHP_EV_PAGE_AUG, A, 4, 1, 0, 0, 0);
	/* split the 2M leaf at 512: 2M 2 -> 1, 4K 4 -> 516 */
	ev_busy(f, A, 7, 512, 2, 1);
	ev_busy(f, A, 7, 512, 2, 1);
	ev_busy(f, A, 7, 512, 2, 0);
	ev_demote(f, A, 512, 2, 0, 1000, 2000, 30000, 2, 1);
	/* convert 5 pages to shared: 516 -> 511 4K leaves */
	for (int i = 0; i < 5; i++)
		ev_page(f, TDXHP_EV_PAGE_REMOVE, A, 512 + i, 1, 0, 4000,
			(unsigned int)i % 2);
	ev_split(f, A, 512, 517, TDXHP_SPLIT_CONVERT, 1, 0, 40000, 0);
	/* malformed events: unknown reason, unknown level, 4K demote */
	ev_split(f, A, 0, 1, 7, 0, 0, 0, 1);
	ev_page(f, TDXHP_EV_PAGE_AUG, A, 9, 9, 0, 100, 0);
	ev_demote(f, A, 5, 1, 0, 1, 1, 1, 0, 1);
	/* a hole punch that failed */
	ev_split(f, A, 2048, 2049, TDXHP_SPLIT_PUNCH_HOLE, 0, -5, 0, 1);
	/* a SEAMCALL leaf beyond the per-leaf table is still counted per TD */
	ev_busy(f, A, 99, 0, 0, 0);
	/* a failed demote: 100 ns, one more retry, no change in pages */
	ev_demote(f, A, 1024, 2, INTERRUPTED, 100, 0, 0, 1, 0);
	/* remove the other 2M leaf: 8000 ns -> slot 12 */
	ev_page(f, TDXHP_EV_PAGE_REMOVE, A, 1024, 2, 0, 8000, 1);
	ev_fsi(f, A, 3, 7, 2, 1, 0);
	ev_fsi(f, A, 3, 7, 2, 1, 1);

	/* B was running before us: no td_init */
	ev_page(f, TDXHP_EV_PAGE_AUG, B, 0, 2, 0, 9000, 1);
}

static void check_counters_of_a(const struct tdxhp_td_stats *s)
{
	static const struct {
		int id;
		uint64_t want;
	} want[] = {
		{ TDXHP_C_ADD, 3 },		{ TDXHP_C_ADD_ERR, 0 },
		{ TDXHP_C_AUG_4K, 1 },		{ TDXHP_C_AUG_2M, 2 },
		{ TDXHP_C_AUG_1G, 0 },		{ TDXHP_C_AUG_ERR, 1 },
		{ TDXHP_C_REMOVE_4K, 5 },	{ TDXHP_C_REMOVE_2M, 1 },
		{ TDXHP_C_REMOVE_ERR, 0 },	{ TDXHP_C_DEMOTE, 1 },
		{ TDXHP_C_DEMOTE_ERR, 1 },	{ TDXHP_C_DEMOTE_BUSY_RETRY, 3 },
		{ TDXHP_C_SPLIT_CONVERT, 1 },	{ TDXHP_C_SPLIT_PUNCH_HOLE, 1 },
		{ TDXHP_C_SPLIT_ACCEPT, 0 },	{ TDXHP_C_SPLIT_ERR, 1 },
		{ TDXHP_C_SPLIT_LEAVES, 1 },	{ TDXHP_C_FAULT_SPLIT_IGNORED, 2 },
		{ TDXHP_C_SEAMCALL_BUSY, 4 },	{ TDXHP_C_STORM, 0 },
		{ TDXHP_C_BAD_EVENT, 3 },
	};

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		if (s->counters[want[i].id] != want[i].want)
			fail_msg("counter %s = %llu, want %llu",
				 tdxhp_counter_name(want[i].id),
				 (unsigned long long)s->counters[want[i].id],
				 (unsigned long long)want[i].want);
	}
}

/* Exactly these (slot, count) pairs and this sum, nothing else. */
static void check_hist(const struct tdxhp_hist *h, uint64_t sum, int n, ...)
{
	uint64_t want[TDXHP_HIST_SLOTS] = { 0 };
	va_list ap;

	va_start(ap, n);
	for (int i = 0; i < n; i++) {
		int slot = va_arg(ap, int);

		want[slot] = (uint64_t)va_arg(ap, int);
	}
	va_end(ap);
	for (int i = 0; i < TDXHP_HIST_SLOTS; i++)
		if (h->slots[i] != want[i])
			fail_msg("slot %d = %llu, want %llu", i,
				 (unsigned long long)h->slots[i],
				 (unsigned long long)want[i]);
	assert_int_equal(h->sum_ns, sum);
}

static void check_hists_of_a(const struct tdxhp_td_stats *s)
{
	check_hist(&s->hist[TDXHP_H_ADD], 6000, 3, 9, 1, 10, 1, 11, 1);
	check_hist(&s->hist[TDXHP_H_AUG_4K], 500, 1, 8, 1);
	check_hist(&s->hist[TDXHP_H_AUG_2M], 30000, 2, 13, 1, 14, 1);
	check_hist(&s->hist[TDXHP_H_REMOVE], 28000, 2, 11, 5, 12, 1);
	check_hist(&s->hist[TDXHP_H_DEMOTE], 33100, 2, 15, 1, 6, 1);
	check_hist(&s->hist[TDXHP_H_DEMOTE_BLOCK], 1100, 2, 9, 1, 6, 1);
	check_hist(&s->hist[TDXHP_H_DEMOTE_TRACK], 2000, 1, 10, 1);
	check_hist(&s->hist[TDXHP_H_DEMOTE_DEMOTE], 30000, 1, 14, 1);
	check_hist(&s->hist[TDXHP_H_SPLIT], 40000, 1, 15, 1);
}

static void test_known_answer(void **state)
{
	struct fx *f = fx_open(NULL);
	const struct tdxhp_td *a, *b;
	const struct tdxhp_host_stats *h = &f->snap.host;

	feed_sequence(f);
	fx_read(f);
	assert_int_equal(f->snap.nr_tds, 2);

	a = fx_td(f, A);
	assert_non_null(a);
	assert_int_equal(a->meta.pid, 1234);
	assert_int_equal(a->meta.hkid, 5);
	assert_int_equal(a->meta.flags, TDXHP_TD_EXACT);
	check_counters_of_a(&a->stats);
	assert_int_equal(a->stats.pages[0], 511);
	assert_int_equal(a->stats.pages[1], 0);
	assert_int_equal(a->stats.pages[2], 0);
	check_hists_of_a(&a->stats);
	/* the kernel address never leaves the snapshot */
	assert_int_equal(a->meta.kvm, 0);

	/* B joined mid-life; CO-RE reads of a fake pointer fail soft */
	b = fx_td(f, B);
	assert_non_null(b);
	assert_int_equal(b->meta.flags, TDXHP_TD_PARTIAL);
	assert_int_equal(b->meta.pid, 0);
	assert_int_equal(b->meta.hkid, -1);
	assert_int_equal(b->stats.counters[TDXHP_C_AUG_2M], 1);
	assert_int_equal(b->stats.pages[1], 1);
	assert_true(b->meta.first_seen_ns >= a->meta.first_seen_ns);

	assert_int_equal(h->events[TDXHP_EV_TD_INIT], 1);
	assert_int_equal(h->events[TDXHP_EV_PAGE_ADD], 3);
	assert_int_equal(h->events[TDXHP_EV_PAGE_AUG], 6);
	assert_int_equal(h->events[TDXHP_EV_PAGE_DEMOTE], 3);
	assert_int_equal(h->events[TDXHP_EV_PAGE_REMOVE], 6);
	assert_int_equal(h->events[TDXHP_EV_BOUNDARY_SPLIT], 3);
	assert_int_equal(h->events[TDXHP_EV_SEAMCALL_BUSY], 4);
	assert_int_equal(h->events[TDXHP_EV_FAULT_SPLIT_IGNORED], 2);
	assert_int_equal(h->counters[TDXHP_HC_BAD_LEVEL], 1);
	assert_int_equal(h->seamcall_busy[7], 3);
	assert_int_equal(h->counters[TDXHP_HC_TD_TABLE_FULL], 0);
	fx_close(f);
}

static void test_teardown_retires(void **state)
{
	struct fx *f = fx_open(NULL);
	struct tdxhp_td_stats total;
	const struct tdxhp_td *b;

	feed_sequence(f);
	ev_teardown(f, A, 1);
	ev_teardown(f, 0xdead000000033000ULL, 0); /* never seen */
	fx_read(f);

	/* A is gone, and every count it had now sits in the retired entry */
	assert_int_equal(f->snap.nr_tds, 1);
	assert_null(fx_td(f, A));
	check_counters_of_a(&f->snap.retired);
	check_hists_of_a(&f->snap.retired);
	assert_int_equal(f->snap.retired.pages[0], 0);
	assert_int_equal(f->snap.host.counters[TDXHP_HC_TD_UNKNOWN_TEARDOWN], 1);
	assert_int_equal(f->snap.host.events[TDXHP_EV_TD_TEARDOWN], 2);

	/* host totals did not go down when A left */
	tdxhp_snapshot_host_total(&f->snap, &total);
	assert_int_equal(total.counters[TDXHP_C_AUG_2M], 3);
	assert_int_equal(total.pages[1], 1); /* B's leaf only */

	/* td_init for a handle we hold: the old TD is retired, B is exact */
	ev_init(f, B, 77, 9, 0);
	fx_read(f);
	b = fx_td(f, B);
	assert_non_null(b);
	assert_int_equal(b->meta.flags, TDXHP_TD_EXACT);
	assert_int_equal(b->meta.pid, 77);
	assert_int_equal(b->meta.hkid, 9);
	assert_int_equal(b->stats.counters[TDXHP_C_AUG_2M], 0);
	assert_int_equal(f->snap.retired.counters[TDXHP_C_AUG_2M], 3);
	assert_int_equal(f->snap.host.counters[TDXHP_HC_TD_REINIT], 1);
	fx_close(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_answer),
		cmocka_unit_test(test_teardown_retires),
	};

	return cmocka_run_group_tests_name("bpf-known-answer", tests, NULL, NULL);
}
