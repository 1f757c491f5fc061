// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Parsing of durations and numbers given on the command line. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "util.h"

static void test_duration(void **state)
{
	uint64_t v;

	assert_int_equal(tdxhp_parse_duration_ns("100us", 1, &v), 0);
	assert_int_equal(v, 100000);
	assert_int_equal(tdxhp_parse_duration_ns("1.5ms", 1, &v), 0);
	assert_int_equal(v, 1500000);
	assert_int_equal(tdxhp_parse_duration_ns("2s", 1, &v), 0);
	assert_int_equal(v, 2000000000ULL);
	assert_int_equal(tdxhp_parse_duration_ns("250ns", 1, &v), 0);
	assert_int_equal(v, 250);
	assert_int_equal(tdxhp_parse_duration_ns("3", 1000, &v), 0);
	assert_int_equal(v, 3000);
	assert_int_equal(tdxhp_parse_duration_ns("0", 1000, &v), 0);
	assert_int_equal(v, 0);

	assert_int_equal(tdxhp_parse_duration_ns("", 1, &v), -EINVAL);
	assert_int_equal(tdxhp_parse_duration_ns(NULL, 1, &v), -EINVAL);
	assert_int_equal(tdxhp_parse_duration_ns("10xs", 1, &v), -EINVAL);
	assert_int_equal(tdxhp_parse_duration_ns("-1ms", 1, &v), -EINVAL);
	assert_int_equal(tdxhp_parse_duration_ns("ms", 1, &v), -EINVAL);
	assert_int_equal(tdxhp_parse_duration_ns("nan", 1, &v), -EINVAL);
	assert_int_equal(tdxhp_parse_duration_ns("1e30s", 1, &v), -ERANGE);
}

static void test_u64(void **state)
{
	uint64_t v;

	assert_int_equal(tdxhp_parse_u64("42", 0, 100, &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(tdxhp_parse_u64("18446744073709551615", 0, UINT64_MAX,
					 &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(tdxhp_parse_u64("18446744073709551616", 0, UINT64_MAX,
					 &v), -EINVAL);
	assert_int_equal(tdxhp_parse_u64("101", 0, 100, &v), -ERANGE);
	assert_int_equal(tdxhp_parse_u64("0", 1, 100, &v), -ERANGE);
	assert_int_equal(tdxhp_parse_u64("-1", 0, 100, &v), -EINVAL);
	assert_int_equal(tdxhp_parse_u64("+1", 0, 100, &v), -EINVAL);
	assert_int_equal(tdxhp_parse_u64("1x", 0, 100, &v), -EINVAL);
	assert_int_equal(tdxhp_parse_u64("", 0, 100, &v), -EINVAL);
}

static void test_format_bytes(void **state)
{
	char buf[16];

	tdxhp_format_bytes(512, buf, sizeof(buf));
	assert_string_equal(buf, "512B");
	tdxhp_format_bytes(3ULL << 30, buf, sizeof(buf));
	assert_string_equal(buf, "3.0G");
	tdxhp_format_bytes(1536ULL << 10, buf, sizeof(buf));
	assert_string_equal(buf, "1.5M");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_duration),
		cmocka_unit_test(test_u64),
		cmocka_unit_test(test_format_bytes),
	};

	return cmocka_run_group_tests_name("util", tests, NULL, NULL);
}
