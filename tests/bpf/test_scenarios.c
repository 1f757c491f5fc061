// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Every simulated scenario, run through the real BPF programs, must agree
 * exactly with the plain-C aggregator (tools/lib/aggregate.c) fed the same
 * events, and the page gauges with what the workload model really mapped.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "fixture.h"
#include "ref_agg.h"
#include "sim_inspect.h"
#include "aggregate.h"
#include "sim/sim.h"
#include "hist.h"
#include "stats.h"

#define HOUR_NS 3600000000000ULL

struct run {
	struct fx *f;
	struct tdxhp_sim *sim;
	struct tdxhp_agg ref;
	struct sim_sink tee;
};

static int ref_emit(void *arg, int type, const void *ctx, size_t size,
		    unsigned int cpu)
{
	struct tdxhp_agg_event e;

	if (test_agg_from_ctx(type, ctx, &e))
		fail_msg("event type %d has no context layout", type);
	return tdxhp_agg_add(arg, &e);
}

static void run_scenario(struct run *r, const char *name, uint64_t seed,
			 uint64_t ticks)
{
	/* An hour-long storm window: the reference counts unbounded windows. */
	struct tdxhp_opts o = { .storm_window_ns = HOUR_NS };
	struct tdxhp_sim_opts so = { .scenario = name, .seed = seed };

	r->f = fx_open(&o);
	tdxhp_agg_init(&r->ref, TDXHP_DEFAULT_STORM_HITS);
	r->sim = tdxhp_sim_new(&r->f->t, &so);
	assert_non_null(r->sim);
	r->tee.emit = ref_emit;
	r->tee.arg = &r->ref;
	tdxhp_sim_tee(r->sim, &r->tee);
	assert_int_equal(tdxhp_sim_run_ticks(r->sim, ticks ? ticks :
						     tdxhp_sim_batch_ticks(r->sim)),
			 0);
	fx_read(r->f);
}

static void end_run(struct run *r)
{
	tdxhp_sim_free(r->sim);
	tdxhp_agg_free(&r->ref);
	fx_close(r->f);
}

static void compare_stats(const char *who, const struct tdxhp_td_stats *got,
			  const struct tdxhp_td_stats *want, bool gauges)
{
	for (int i = 0; i < TDXHP_NR_COUNTERS; i++)
		if (got->counters[i] != want->counters[i])
			fail_msg("%s: %s = %llu, reference %llu", who,
				 tdxhp_counter_name(i),
				 (unsigned long long)got->counters[i],
				 (unsigned long long)want->counters[i]);
	for (int i = 0; gauges && i < TDXHP_NR_LEVELS; i++)
		if (got->pages[i] != want->pages[i])
			fail_msg("%s: pages[%d] = %lld, reference %lld", who, i,
				 (long long)got->pages[i],
				 (long long)want->pages[i]);
	for (int h = 0; h < TDXHP_NR_HISTS; h++) {
		if (memcmp(&got->hist[h], &want->hist[h], sizeof(got->hist[h])))
			fail_msg("%s: histogram %s differs from the reference",
				 who, tdxhp_hist_name(h));
	}
}

/* Returns the number of live TDs checked. */
static unsigned int check_against_reference(struct run *r)
{
	const struct sim_model *m = tdxhp_sim_model(r->sim);
	const struct tdxhp_snapshot *s = &r->f->snap;
	unsigned int live = 0;
	uint64_t total = 0;

	assert_int_equal(tdxhp_sim_failed(r->sim), 0);
	for (unsigned int i = 0; i < sim_model_nr_tds(m); i++) {
		struct sim_td_info info;
		const struct tdxhp_agg_td *rt;
		const struct tdxhp_td *bt = NULL;

		assert_int_equal(sim_model_td_info(m, i, &info), 0);
		rt = tdxhp_agg_find(&r->ref, info.handle);
		for (unsigned int j = 0; j < s->nr_tds; j++)
			if (!strcmp(s->tds[j].name, info.name))
				bt = &s->tds[j];
		if (!info.alive) {
			if (bt)
				fail_msg("%s was torn down but is still in the TD table",
					 info.name);
			continue;
		}
		if (!rt) /* alive but never emitted anything yet */
			continue;
		if (!bt)
			fail_msg("%s is missing from the TD table", info.name);
		live++;
		compare_stats(info.name, &bt->stats, &rt->st, true);
		assert_int_equal(!!(bt->meta.flags & TDXHP_TD_EXACT), rt->exact);
		assert_int_equal(!!(bt->meta.flags & TDXHP_TD_PARTIAL), !rt->exact);
		if (rt->exact) {
			assert_int_equal(bt->meta.pid, info.pid);
			assert_int_equal(bt->meta.hkid, info.hkid);
		}
		/* gauges match what the model mapped, for exact TDs entirely */
		for (int l = 0; l < TDXHP_NR_LEVELS; l++) {
			assert_int_equal(bt->stats.pages[l], info.emitted_pages[l]);
			if (info.announced)
				assert_int_equal(bt->stats.pages[l],
						 info.actual_pages[l]);
		}
		if (!!(bt->meta.flags & TDXHP_TD_STORM) !=
		    (bt->stats.counters[TDXHP_C_STORM] > 0))
			fail_msg("%s: storm flag and storm count disagree",
				 info.name);
	}
	assert_int_equal(live, s->nr_tds);
	compare_stats("retired", &s->retired, &r->ref.retired, false);
	for (int ev = 0; ev < TDXHP_NR_EVENTS; ev++) {
		assert_int_equal(s->host.events[ev], r->ref.events[ev]);
		total += r->ref.events[ev];
	}
	assert_int_equal(total, tdxhp_sim_fed(r->sim));
	assert_memory_equal(s->host.seamcall_busy, r->ref.seamcall_busy,
			    sizeof(r->ref.seamcall_busy));
	for (int i = 0; i < TDXHP_NR_HOST_COUNTERS; i++)
		if (i != TDXHP_HC_TD_UNKNOWN_TEARDOWN &&
		    i != TDXHP_HC_STORM_TABLE_FULL && s->host.counters[i])
			fail_msg("host counter %s = %llu, want 0",
				 tdxhp_host_counter_name(i),
				 (unsigned long long)s->host.counters[i]);
	print_message("    %llu events, %u live TDs, %u ever\n",
		      (unsigned long long)total, live, sim_model_nr_tds(m));
	return live;
}

static void test_steady(void **state)
{
	struct run r;
	const struct tdxhp_snapshot *s;
	unsigned int partial = 0;

	run_scenario(&r, "steady", 1, 0);
	assert_int_equal(check_against_reference(&r), 4);
	s = &r.f->snap;
	for (unsigned int i = 0; i < s->nr_tds; i++) {
		const struct tdxhp_td_stats *st = &s->tds[i].stats;

		partial += !!(s->tds[i].meta.flags & TDXHP_TD_PARTIAL);
		/* a steady host maps most private memory at 2M */
		if (s->tds[i].meta.flags & TDXHP_TD_EXACT)
			assert_true(tdxhp_huge_coverage(st) > 0.8);
		assert_int_equal(st->counters[TDXHP_C_STORM], 0);
		assert_true(st->counters[TDXHP_C_DEMOTE] > 0);
	}
	assert_int_equal(partial, 1);
	end_run(&r);
}

static void test_convert(void **state)
{
	struct run r;
	struct tdxhp_td_stats total;

	run_scenario(&r, "convert", 7, 0);
	check_against_reference(&r);
	tdxhp_snapshot_host_total(&r.f->snap, &total);
	/* conversions split leaves, and BUSY retries happen */
	assert_true(total.counters[TDXHP_C_SPLIT_CONVERT] > 500);
	assert_true(total.counters[TDXHP_C_SPLIT_PUNCH_HOLE] > 50);
	assert_true(total.counters[TDXHP_C_SPLIT_ACCEPT] > 50);
	assert_true(total.counters[TDXHP_C_DEMOTE_BUSY_RETRY] > 100);
	assert_true(total.counters[TDXHP_C_SEAMCALL_BUSY] ==
		    total.counters[TDXHP_C_DEMOTE_BUSY_RETRY]);
	end_run(&r);
}

static void test_storm(void **state)
{
	struct run r;
	const struct tdxhp_snapshot *s;
	unsigned int storming = 0;

	run_scenario(&r, "storm", 3, 0);
	check_against_reference(&r);
	s = &r.f->snap;
	for (unsigned int i = 0; i < s->nr_tds; i++) {
		bool storm = s->tds[i].meta.flags & TDXHP_TD_STORM;

		storming += storm;
		/* two gfns, each past the threshold once (unbounded window) */
		assert_int_equal(s->tds[i].stats.counters[TDXHP_C_STORM],
				 storm ? 2 : 0);
	}
	assert_int_equal(storming, 1);
	end_run(&r);
}

static void test_churn(void **state)
{
	struct run r;

	run_scenario(&r, "churn", 11, 0);
	check_against_reference(&r);
	/* TDs came and went: the retired entry carries their work */
	assert_true(r.f->snap.host.events[TDXHP_EV_TD_TEARDOWN] > 20);
	assert_true(r.f->snap.retired.counters[TDXHP_C_AUG_2M] > 1000);
	end_run(&r);
}

/* Same seed, same numbers; another seed, other numbers. */
static void test_deterministic(void **state)
{
	struct run a, b, c;

	run_scenario(&a, "convert", 42, 300);
	run_scenario(&b, "convert", 42, 300);
	run_scenario(&c, "convert", 43, 300);
	assert_int_equal(a.f->snap.nr_tds, b.f->snap.nr_tds);
	for (unsigned int i = 0; i < a.f->snap.nr_tds; i++) {
		const struct tdxhp_td *x = &a.f->snap.tds[i];
		const struct tdxhp_td *y = NULL;

		for (unsigned int j = 0; j < b.f->snap.nr_tds; j++)
			if (!strcmp(b.f->snap.tds[j].name, x->name))
				y = &b.f->snap.tds[j];
		assert_non_null(y);
		compare_stats(x->name, &x->stats, &y->stats, true);
	}
	assert_true(tdxhp_sim_fed(a.sim) == tdxhp_sim_fed(b.sim));
	assert_true(tdxhp_sim_fed(a.sim) != tdxhp_sim_fed(c.sim));
	end_run(&a);
	end_run(&b);
	end_run(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_steady),
		cmocka_unit_test(test_convert),
		cmocka_unit_test(test_storm),
		cmocka_unit_test(test_churn),
		cmocka_unit_test(test_deterministic),
	};

	return cmocka_run_group_tests_name("bpf-scenarios", tests, NULL, NULL);
}
