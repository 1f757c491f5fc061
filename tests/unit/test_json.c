// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The shared JSON writer: nesting, commas, numbers, hex and times. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "json.h"

static char *buf;
static size_t len;

static struct tdxhp_json begin(bool pretty)
{
	struct tdxhp_json w;

	tdxhp_json_init(&w, open_memstream(&buf, &len), pretty);
	return w;
}

static void finish(struct tdxhp_json *w, const char *want)
{
	fclose(w->f);
	assert_string_equal(buf, want);
	free(buf);
}

static void test_nesting(void **state)
{
	struct tdxhp_json w = begin(false);

	tdxhp_json_object_start(&w);
	tdxhp_json_kv_u64(&w, "a", 1);
	tdxhp_json_name(&w, "b");
	tdxhp_json_array_start(&w);
	tdxhp_json_s64(&w, -2);
	tdxhp_json_object_start(&w);
	tdxhp_json_object_end(&w);
	tdxhp_json_array_start(&w);
	tdxhp_json_array_end(&w);
	tdxhp_json_array_end(&w);
	tdxhp_json_kv_string(&w, "c", "x\"y");
	tdxhp_json_kv_bool(&w, "d", true);
	tdxhp_json_name(&w, "e");
	tdxhp_json_null(&w);
	tdxhp_json_object_end(&w);
	tdxhp_json_line_end(&w);
	finish(&w, "{\"a\":1,\"b\":[-2,{},[]],\"c\":\"x\\\"y\",\"d\":true,\"e\":null}\n");
}

static void test_lines(void **state)
{
	struct tdxhp_json w = begin(false);

	for (int i = 0; i < 2; i++) {
		tdxhp_json_object_start(&w);
		tdxhp_json_kv_u64(&w, "i", i);
		tdxhp_json_object_end(&w);
		tdxhp_json_line_end(&w);
	}
	finish(&w, "{\"i\":0}\n{\"i\":1}\n");
}

static void test_pretty(void **state)
{
	struct tdxhp_json w = begin(true);

	tdxhp_json_object_start(&w);
	tdxhp_json_kv_u64(&w, "a", 1);
	tdxhp_json_name(&w, "b");
	tdxhp_json_array_start(&w);
	tdxhp_json_u64(&w, 2);
	tdxhp_json_array_end(&w);
	tdxhp_json_object_end(&w);
	tdxhp_json_line_end(&w);
	finish(&w, "{\n  \"a\": 1,\n  \"b\": [\n    2\n  ]\n}\n");
}

static void test_values(void **state)
{
	struct tdxhp_json w = begin(false);

	tdxhp_json_array_start(&w);
	tdxhp_json_u64(&w, UINT64_MAX);
	tdxhp_json_hex(&w, 0x8000020000000000ULL);
	tdxhp_json_double(&w, 0.5);
	tdxhp_json_double(&w, NAN);
	tdxhp_json_double(&w, INFINITY);
	tdxhp_json_string(&w, NULL);
	tdxhp_json_wall_time(&w, 1764660498123456789ULL);
	tdxhp_json_array_end(&w);
	finish(&w, "[18446744073709551615,\"0x8000020000000000\",0.5,null,null,"
		   "null,\"2025-12-02T07:28:18.123456789Z\"]");
}

static void test_decimals(void **state)
{
	struct tdxhp_json w = begin(false);

	tdxhp_json_array_start(&w);
	tdxhp_json_double(&w, 1e-5);
	tdxhp_json_double(&w, 0.1);
	tdxhp_json_double(&w, 1e20);
	tdxhp_json_double(&w, -2.5e-7);
	tdxhp_json_double(&w, 3);
	tdxhp_json_decimal(&w, 1.0 / 3, 3);
	tdxhp_json_decimal(&w, -0.0001, 3);
	tdxhp_json_decimal(&w, NAN, 3);
	tdxhp_json_array_end(&w);
	finish(&w, "[0.00001,0.1,100000000000000000000,-0.00000025,3,0.333,0.000,null]");
}

static void test_mono_time(void **state)
{
	char a[48];

	/* Shape only: the offset between clocks is the host's. */
	tdxhp_format_rfc3339(1000000000ULL, a, sizeof(a));
	assert_int_equal(strlen(a), 30);
	assert_int_equal(a[4], '-');
	assert_int_equal(a[10], 'T');
	assert_int_equal(a[29], 'Z');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nesting),
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_pretty),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_decimals),
		cmocka_unit_test(test_mono_time),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
