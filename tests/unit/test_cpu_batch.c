// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* bench/cpu_batch.c: every held event runs once, CPU by CPU, in order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "cpu_batch.h"

struct seen {
	unsigned int n;
	unsigned int cpu[64];
	uint64_t seq[64];
	int type[64];
};

static void record(void *arg, const struct cpu_batch_event *e)
{
	struct seen *s = arg;

	assert_true(s->n < 64);
	s->cpu[s->n] = e->cpu;
	s->seq[s->n] = e->ctx[0];
	s->type[s->n] = e->type;
	s->n++;
}

static void test_order(void **state)
{
	struct cpu_batch b = { 0 };
	struct seen s = { 0 };
	/* CPU index 3 is CPU 1 of two: the run wraps it as the sink would. */
	const unsigned int cpu[] = { 1, 0, 1, 3, 0, 0, 1 };

	for (uint64_t i = 0; i < 7; i++)
		assert_int_equal(cpu_batch_emit(&b, (int)i, &i, sizeof(i),
						cpu[i]),
				 0);
	cpu_batch_flush(&b, 2, record, &s);
	assert_int_equal(s.n, 7);
	/* CPU 0's events first, each CPU's in the order they came */
	const uint64_t want[] = { 1, 4, 5, 0, 2, 3, 6 };

	for (unsigned int i = 0; i < 7; i++) {
		assert_int_equal(s.seq[i], want[i]);
		assert_int_equal(s.type[i], (int)want[i]);
	}
	/* flushed: nothing runs twice */
	s.n = 0;
	cpu_batch_flush(&b, 2, record, &s);
	assert_int_equal(s.n, 0);
	cpu_batch_free(&b);
}

static void test_grows_and_counts_drops(void **state)
{
	struct cpu_batch b = { 0 };
	uint64_t big[CPU_BATCH_MAX_ARGS + 1] = { 0 };
	unsigned int runs = 0;

	for (uint64_t i = 0; i < 10000; i++)
		assert_int_equal(cpu_batch_emit(&b, 0, &i, sizeof(i), 0), 0);
	assert_int_equal(b.n, 10000);
	assert_true(cpu_batch_emit(&b, 0, big, sizeof(big), 0) < 0);
	assert_int_equal(b.dropped, 1);
	for (size_t i = 0; i < b.n; i++)
		runs += b.ev[i].ctx[0] == i;
	assert_int_equal(runs, 10000);
	cpu_batch_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_grows_and_counts_drops),
	};

	return cmocka_run_group_tests_name("cpu_batch", tests, NULL, NULL);
}
