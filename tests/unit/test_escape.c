// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Output escaping: JSON strings, Prometheus label values, safe names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "escape.h"

static char *json(const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	tdxhp_json_str(f, s);
	fclose(f);
	return buf;
}

#define assert_json(in, want)                                                  \
	do {                                                                   \
		char *out_ = json(in);                                         \
		assert_string_equal(out_, want);                               \
		free(out_);                                                    \
	} while (0)

static void test_json(void **state)
{
	assert_json("vm1", "\"vm1\"");
	assert_json("", "\"\"");
	assert_json(NULL, "\"\"");
	assert_json("a\"b\\c", "\"a\\\"b\\\\c\"");
	assert_json("l1\nl2\tx\r", "\"l1\\nl2\\tx\\r\"");
	assert_json("\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"");
	/* valid UTF-8 passes through */
	assert_json("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
		    "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");
	/* invalid bytes, truncated and overlong sequences, surrogates */
	assert_json("a\xff" "b", "\"a\xef\xbf\xbd" "b\"");
	assert_json("x\xe2\x82", "\"x\xef\xbf\xbd\xef\xbf\xbd\"");
	assert_json("\xc0\xaf", "\"\xef\xbf\xbd\xef\xbf\xbd\"");
	assert_json("\xed\xa0\x80", "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"");
}

static void test_prom(void **state)
{
	char out[64];

	assert_int_equal(tdxhp_prom_label_escape("vm-1", out, sizeof(out)), 4);
	assert_string_equal(out, "vm-1");
	tdxhp_prom_label_escape("a\"b\\c\nd", out, sizeof(out));
	assert_string_equal(out, "a\\\"b\\\\c\\nd");
	tdxhp_prom_label_escape("a\xff", out, sizeof(out));
	assert_string_equal(out, "a\xef\xbf\xbd");

	/* truncation keeps whole escapes and reports the needed length */
	char small[4];

	assert_int_equal(tdxhp_prom_label_escape("ab\"cd", small, sizeof(small)),
			 6);
	assert_string_equal(small, "ab");
	assert_int_equal(tdxhp_prom_label_escape("abc", small, sizeof(small)), 3);
	assert_string_equal(small, "abc");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_prom),
	};

	return cmocka_run_group_tests_name("escape", tests, NULL, NULL);
}
