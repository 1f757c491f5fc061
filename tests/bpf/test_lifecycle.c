// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * TD lifecycles leave nothing behind, and a full TD table is counted, never
 * silent.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "fixture.h"
#include "hist.h"
#include "stats.h"
#include "tdxhp.skel.h"

#define LIFECYCLES 10000
#define LIVE 64

static void lifecycle_events(struct fx *f, uint64_t kvm, unsigned int i)
{
	unsigned int cpu = i % 2;

	ev_page(f, TDXHP_EV_PAGE_AUG, kvm, 512, 2, 0, 9000, cpu);
	ev_fsi(f, kvm, 0, 1000 + i, 2, 1, cpu ^ 1);
	ev_demote(f, kvm, 512, 2, 0, 1000, 2000, 20000, 1, cpu);
	ev_page(f, TDXHP_EV_PAGE_REMOVE, kvm, 512, 1, 0, 3000, cpu ^ 1);
}

/* Every shard of every TD slot is zero. */
static void assert_slots_zero(struct fx *f)
{
	int fd = f->t.fd.td_stats;
	size_t len = sizeof(struct tdxhp_td_shard);
	char *buf = malloc(len), *zero = calloc(1, len);

	assert_non_null(buf);
	assert_non_null(zero);
	for (uint32_t key = 0; key < f->t.nr_slots << f->t.shard_bits; key++) {
		uint32_t slot = key >> f->t.shard_bits;

		assert_int_equal(bpf_map_lookup_elem(fd, &key, buf), 0);
		if (memcmp(buf, zero, len))
			fail_msg("slot %u shard %u still holds stats", slot,
				 key & (f->t.nr_shards - 1));
		if (f->t.meta[slot].kvm)
			fail_msg("slot %u still holds a TD", slot);
	}
	free(buf);
	free(zero);
}

static void test_10k_lifecycles_leave_nothing(void **state)
{
	struct fx *f = fx_open(NULL);
	const struct tdxhp_td_stats *r;

	/* LIVE TDs at a time; handles are reused, as kernel memory is. */
	for (unsigned int i = 0; i < LIFECYCLES + LIVE; i++) {
		if (i >= LIVE)
			ev_teardown(f, fx_handle((i - LIVE) % 1000 + 1), i % 2);
		if (i < LIFECYCLES) {
			uint64_t kvm = fx_handle(i % 1000 + 1);

			ev_init(f, kvm, (int)i + 1, (int)(i % 63) + 1, i % 2);
			lifecycle_events(f, kvm, i);
		}
		if (i == LIFECYCLES / 2) {
			fx_read(f);
			assert_int_equal(f->snap.nr_tds, LIVE);
		}
	}
	fx_read(f);
	assert_int_equal(f->snap.nr_tds, 0);
	assert_int_equal(fx_storm_entries(f), 0);
	assert_slots_zero(f);

	r = &f->snap.retired;
	assert_int_equal(r->counters[TDXHP_C_AUG_2M], LIFECYCLES);
	assert_int_equal(r->counters[TDXHP_C_DEMOTE], LIFECYCLES);
	assert_int_equal(r->counters[TDXHP_C_DEMOTE_BUSY_RETRY], LIFECYCLES);
	assert_int_equal(r->counters[TDXHP_C_REMOVE_4K], LIFECYCLES);
	assert_int_equal(r->counters[TDXHP_C_FAULT_SPLIT_IGNORED], LIFECYCLES);
	assert_int_equal(tdxhp_hist_count(&r->hist[TDXHP_H_DEMOTE]), LIFECYCLES);
	assert_int_equal(f->snap.host.events[TDXHP_EV_TD_INIT], LIFECYCLES);
	assert_int_equal(f->snap.host.events[TDXHP_EV_TD_TEARDOWN], LIFECYCLES);
	for (int i = 0; i < TDXHP_NR_HOST_COUNTERS; i++)
		assert_int_equal(f->snap.host.counters[i], 0);
	fx_close(f);
}

static void test_full_table_is_counted(void **state)
{
	struct tdxhp_opts o = { .slot_bits = 4 }; /* 16 slots */
	struct fx *f = fx_open(&o);

	for (unsigned int i = 0; i < 16; i++)
		ev_init(f, fx_handle(i + 1), 100 + (int)i, (int)i + 1, 0);
	fx_read(f);
	assert_int_equal(f->snap.nr_tds, 16);
	assert_int_equal(f->snap.host.counters[TDXHP_HC_TD_TABLE_FULL], 0);

	/* a 17th TD: its init and its events are dropped and counted */
	ev_init(f, fx_handle(17), 117, 17, 0);
	ev_page(f, TDXHP_EV_PAGE_AUG, fx_handle(17), 0, 2, 0, 1000, 1);
	ev_page(f, TDXHP_EV_PAGE_AUG, fx_handle(18), 0, 2, 0, 1000, 0);
	fx_read(f);
	assert_int_equal(f->snap.nr_tds, 16);
	assert_int_equal(f->snap.host.counters[TDXHP_HC_TD_TABLE_FULL], 3);
	assert_int_equal(f->snap.host.events[TDXHP_EV_PAGE_AUG], 2);

	/* room again: the TD joins, as partial since its init was lost */
	ev_teardown(f, fx_handle(5), 0);
	ev_page(f, TDXHP_EV_PAGE_AUG, fx_handle(17), 512, 2, 0, 1000, 1);
	fx_read(f);
	assert_int_equal(f->snap.nr_tds, 16);
	assert_non_null(fx_td(f, fx_handle(17)));
	assert_int_equal(fx_td(f, fx_handle(17))->meta.flags, TDXHP_TD_PARTIAL);
	assert_int_equal(f->snap.host.counters[TDXHP_HC_TD_TABLE_FULL], 3);
	fx_close(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_10k_lifecycles_leave_nothing),
		cmocka_unit_test(test_full_table_is_counted),
	};

	return cmocka_run_group_tests_name("bpf-lifecycle", tests, NULL, NULL);
}
