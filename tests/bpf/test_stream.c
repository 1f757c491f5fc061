// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The optional ring buffer: off unless a consumer asks, records carry the
 * event without the kernel address, and every record that does not fit is
 * counted.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <bpf/libbpf.h>

#include "fixture.h"

static const uint64_t TD = 0xdead000000011000ULL;

struct sink {
	struct tdxhp_record recs[64];
	unsigned int n;
	uint64_t total;
};

static int on_record(void *ctx, void *data, size_t size)
{
	struct sink *s = ctx;

	assert_int_equal(size, sizeof(struct tdxhp_record));
	if (s->n < 64)
		memcpy(&s->recs[s->n++], data, sizeof(struct tdxhp_record));
	s->total++;
	return 0;
}

static void test_off_by_default(void **state)
{
	struct fx *f = fx_open(NULL);
	struct sink s = { 0 };
	struct ring_buffer *rb;

	rb = ring_buffer__new(tdxhp_ringbuf_fd(&f->t), on_record, &s, NULL);
	assert_non_null(rb);
	ev_init(f, TD, 10, 1, 0);
	ev_page(f, TDXHP_EV_PAGE_AUG, TD, 512, 2, 0, 9000, 1);
	assert_int_equal(ring_buffer__consume(rb), 0);
	assert_int_equal(s.total, 0);
	ring_buffer__free(rb);
	fx_close(f);
}

static void test_records(void **state)
{
	struct fx *f = fx_open(NULL);
	struct sink s = { 0 };
	struct ring_buffer *rb;
	const struct tdxhp_record *r;

	rb = ring_buffer__new(tdxhp_ringbuf_fd(&f->t), on_record, &s, NULL);
	assert_non_null(rb);
	tdxhp_set_stream(&f->t, true);
	ev_init(f, TD, 4321, 7, 0);
	ev_page(f, TDXHP_EV_PAGE_AUG, TD, 512, 2, 0x8000020000000000ULL, 9000, 1);
	ev_demote(f, TD, 1024, 2, 0, 100, 200, 300, 4, 0);
	ev_split(f, TD, 1030, 1040, TDXHP_SPLIT_PUNCH_HOLE, 1, -16, 700, 1);
	ev_fsi(f, TD, 3, 77, 2, 1, 0);
	ev_busy(f, TD, 15, 1024, 2, 1);
	ev_teardown(f, TD, 0);
	assert_int_equal(ring_buffer__consume(rb), 7);
	assert_int_equal(s.n, 7);

	for (unsigned int i = 0; i < s.n; i++) {
		assert_int_equal(s.recs[i].pid, 4321);
		assert_int_equal(s.recs[i].hkid, 7);
		assert_true(s.recs[i].ts_ns > 0);
		assert_true(s.recs[i].cpu < (uint32_t)f->t.nr_cpus);
	}
	assert_int_equal(s.recs[0].type, TDXHP_EV_TD_INIT);
	r = &s.recs[1];
	assert_int_equal(r->type, TDXHP_EV_PAGE_AUG);
	assert_int_equal(r->ev.gfn, 512);
	assert_int_equal(r->ev.level, 2);
	assert_true(r->ev.status == 0x8000020000000000ULL);
	assert_int_equal(r->ev.duration_ns, 9000);
	r = &s.recs[2];
	assert_int_equal(r->type, TDXHP_EV_PAGE_DEMOTE);
	assert_int_equal(r->ev.block_ns, 100);
	assert_int_equal(r->ev.track_ns, 200);
	assert_int_equal(r->ev.demote_ns, 300);
	assert_int_equal(r->ev.duration_ns, 600);
	assert_int_equal(r->ev.busy_retries, 4);
	r = &s.recs[3];
	assert_int_equal(r->type, TDXHP_EV_BOUNDARY_SPLIT);
	assert_int_equal(r->source, TDXHP_SRC_TRACEPOINT);
	assert_int_equal(r->ev.gfn, 1030);
	assert_int_equal(r->ev.gfn_end, 1040);
	assert_int_equal(r->ev.reason, TDXHP_SPLIT_PUNCH_HOLE);
	assert_int_equal(r->ev.ret, -16);
	assert_int_equal(r->ev.nr_split, 1);
	assert_int_equal(r->ev.status, 0);
	r = &s.recs[4];
	assert_int_equal(r->type, TDXHP_EV_FAULT_SPLIT_IGNORED);
	assert_int_equal(r->ev.vcpu_id, 3);
	assert_int_equal(r->ev.goal_level, 1);
	r = &s.recs[5];
	assert_int_equal(r->type, TDXHP_EV_SEAMCALL_BUSY);
	assert_int_equal(r->ev.seamcall, 15);
	assert_int_equal(s.recs[6].type, TDXHP_EV_TD_TEARDOWN);
	/* slot and generation name the TD; same TD, same pair */
	assert_int_equal(s.recs[1].slot, s.recs[6].slot);
	assert_int_equal(s.recs[1].gen, s.recs[6].gen);

	/* off again: nothing more */
	tdxhp_set_stream(&f->t, false);
	ev_page(f, TDXHP_EV_PAGE_AUG, TD, 0, 1, 0, 1, 0);
	assert_int_equal(ring_buffer__consume(rb), 0);
	ring_buffer__free(rb);
	fx_close(f);
}

static void test_loss_is_counted(void **state)
{
	struct fx *f = fx_open(NULL);
	struct sink s = { 0 };
	struct ring_buffer *rb;
	const unsigned int n = 40000; /* more than the 4 MiB ring holds */
	uint64_t lost;

	rb = ring_buffer__new(tdxhp_ringbuf_fd(&f->t), on_record, &s, NULL);
	assert_non_null(rb);
	tdxhp_set_stream(&f->t, true);
	ev_init(f, TD, 1, 1, 0);
	for (unsigned int i = 1; i < n; i++)
		ev_page(f, TDXHP_EV_PAGE_AUG, TD, i, 1, 0, 1000, i % 2);
	ring_buffer__consume(rb);
	fx_read(f);
	lost = f->snap.host.counters[TDXHP_HC_RINGBUF_LOST];
	assert_true(lost > 0);
	assert_true(s.total > 0);
	/* nothing vanished: every event was either delivered or counted */
	assert_int_equal(s.total + lost, n);
	/* the aggregates are complete whatever the ring buffer did */
	assert_int_equal(fx_td(f, TD)->stats.counters[TDXHP_C_AUG_4K], n - 1);
	ring_buffer__free(rb);
	fx_close(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_off_by_default),
		cmocka_unit_test(test_records),
		cmocka_unit_test(test_loss_is_counted),
	};

	return cmocka_run_group_tests_name("bpf-stream", tests, NULL, NULL);
}
