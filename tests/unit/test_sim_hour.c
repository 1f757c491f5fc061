// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Every scenario reaches a steady state: after a fast-forwarded simulated
 * hour (the model alone, 10 ms ticks, no BPF) its characteristic events
 * still come in the last five simulated minutes.  Where the first five
 * minutes are not a boot burst, the rate must not have fallen below a
 * tenth of theirs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tdxhp/abi.h"
#include "sim/model.h"
#include "sim/scenario.h"
#include "sim_inspect.h"

#define TICKS_PER_MIN 6000ULL
#define HOUR (60 * TICKS_PER_MIN)
#define WINDOW (5 * TICKS_PER_MIN)

struct counts {
	uint64_t ev[TDXHP_NR_EVENTS];
	uint64_t aug_2m, remove_2m, busy_retries;
	uint64_t reason[3];
	uint64_t storm_hits; /* ignored splits on a storming TD's gfns */
};

struct run {
	struct sim_model *m;
	struct counts *c;
};

static int count(void *arg, int type, const void *ctx, size_t size,
		 unsigned int cpu)
{
	struct run *r = arg;
	struct counts *c = r->c;

	c->ev[type]++;
	if (type == TDXHP_EV_PAGE_AUG || type == TDXHP_EV_PAGE_REMOVE) {
		const struct tdxhp_ctx_page_aug *a = ctx;

		if ((int)a->level == TDXHP_LEVEL_2M && !a->err)
			(*(type == TDXHP_EV_PAGE_AUG ? &c->aug_2m :
						       &c->remove_2m))++;
	} else if (type == TDXHP_EV_PAGE_DEMOTE) {
		c->busy_retries += ((const struct tdxhp_ctx_page_demote *)ctx)
					   ->busy_retries;
	} else if (type == TDXHP_EV_BOUNDARY_SPLIT) {
		int reason = (int)((const struct tdxhp_ctx_boundary_split *)ctx)
				     ->reason;

		if (reason >= 0 && reason < 3)
			c->reason[reason]++;
	} else if (type == TDXHP_EV_FAULT_SPLIT_IGNORED) {
		const struct tdxhp_ctx_fault_split_ignored *f = ctx;
		struct sim_td_info info;

		for (unsigned int i = 0; !sim_model_td_info(r->m, i, &info);
		     i++)
			if (info.handle == f->kvm && info.storm_gfns &&
			    (f->gfn == info.storm_gfn[0] ||
			     f->gfn == info.storm_gfn[1]))
				c->storm_hits++;
	}
	return 0;
}

/* Counts of the first and of the last five minutes of an hour. */
static void run_hour(const char *name, struct counts *first,
		     struct counts *last, int64_t *huge_pages_end)
{
	struct sim_model_opts o = { .scenario = tdxhp_scenario_find(name),
				    .seed = 5,
				    .nr_cpus = 4 };
	struct counts middle;
	struct run r;
	struct sim_sink sink = { .emit = count, .arg = &r };
	struct sim_td_info info;

	assert_non_null(o.scenario);
	r.m = sim_model_new(&o);
	assert_non_null(r.m);
	memset(first, 0, sizeof(*first));
	memset(last, 0, sizeof(*last));
	for (uint64_t t = 0; t < HOUR; t++) {
		r.c = t < WINDOW ? first : t >= HOUR - WINDOW ? last : &middle;
		sim_model_tick(r.m, &sink);
	}
	*huge_pages_end = 0;
	for (unsigned int i = 0; !sim_model_td_info(r.m, i, &info); i++)
		if (info.alive)
			*huge_pages_end +=
				info.actual_pages[TDXHP_LEVEL_2M - 1];
	sim_model_free(r.m);
	if (getenv("SIM_HOUR_DEBUG"))
		for (int i = 0; i < TDXHP_NR_EVENTS; i++)
			fprintf(stderr, "%s ev%d first %llu last %llu\n", name,
				i, (unsigned long long)first->ev[i],
				(unsigned long long)last->ev[i]);
}

/* Still coming in the last window, at >= 1/10 of the first window's rate. */
#define assert_lasting(f, l, field)                         \
	do {                                                \
		assert_true((l)->field > 0);                \
		assert_true((l)->field * 10 >= (f)->field); \
	} while (0)

/* 2M faults (refaults of released ranges), 2M removes, real splits. */
static void check_common(const struct counts *f, const struct counts *l)
{
	assert_true(l->aug_2m > 0);
	assert_true(l->remove_2m > 0);
	assert_true(l->ev[TDXHP_EV_PAGE_DEMOTE] >= 20);
	assert_true(l->ev[TDXHP_EV_SEAMCALL_BUSY] > 0);
	assert_lasting(f, l, ev[TDXHP_EV_BOUNDARY_SPLIT]);
	assert_lasting(f, l, ev[TDXHP_EV_PAGE_REMOVE]);
}

static void test_steady(void **state)
{
	struct counts f, l;
	int64_t huge;

	run_hour("steady", &f, &l, &huge);
	check_common(&f, &l);
	assert_true(huge > 0);
}

static void test_convert(void **state)
{
	struct counts f, l;
	int64_t huge;

	run_hour("convert", &f, &l, &huge);
	check_common(&f, &l);
	assert_lasting(&f, &l, reason[TDXHP_SPLIT_CONVERT]);
	assert_lasting(&f, &l, reason[TDXHP_SPLIT_PUNCH_HOLE]);
	assert_lasting(&f, &l, reason[TDXHP_SPLIT_ACCEPT]);
	assert_lasting(&f, &l, busy_retries);
	/* Conversion-heavy stays heavy: 2M leaves are still there to split
	 * (the old model ran out of them after 25 s). */
	assert_lasting(&f, &l, ev[TDXHP_EV_PAGE_DEMOTE]);
	assert_true(l.ev[TDXHP_EV_PAGE_DEMOTE] > 1000);
	assert_true(huge > 0);
}

static void test_storm(void **state)
{
	struct counts f, l;
	int64_t huge;

	run_hour("storm", &f, &l, &huge);
	check_common(&f, &l);
	assert_lasting(&f, &l, storm_hits);
	assert_true(huge > 0);
}

static void test_churn(void **state)
{
	struct counts f, l;
	int64_t huge;

	run_hour("churn", &f, &l, &huge);
	check_common(&f, &l);
	assert_lasting(&f, &l, ev[TDXHP_EV_TD_INIT]);
	assert_lasting(&f, &l, ev[TDXHP_EV_TD_TEARDOWN]);
	assert_lasting(&f, &l, ev[TDXHP_EV_PAGE_ADD]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_steady),
		cmocka_unit_test(test_convert),
		cmocka_unit_test(test_storm),
		cmocka_unit_test(test_churn),
	};

	return cmocka_run_group_tests_name("sim-hour", tests, NULL, NULL);
}
