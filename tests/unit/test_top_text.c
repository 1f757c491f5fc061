// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* tdxhp-top's cells by display columns, and its problem score. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "../../tools/top/score.h"
#include "../../tools/top/text.h"

static char out[128];

static const char *fit(const char *s, int width, enum top_align a, bool keep)
{
	top_text_fit(out, sizeof(out), s, width, a, keep);
	return out;
}

static void test_ascii(void **state)
{
	assert_string_equal(fit("vm1", 6, TOP_LEFT, false), "vm1   ");
	assert_string_equal(fit("vm1", 6, TOP_RIGHT, false), "   vm1");
	assert_string_equal(fit("vm1", 6, TOP_CLIP, false), "vm1");
	assert_int_equal(
		top_text_fit(out, sizeof(out), "vm1", 6, TOP_CLIP, false), 3);
	/* Cut: the last column says so. */
	assert_string_equal(fit("sim-cache-146", 10, TOP_LEFT, false),
			    "sim-cache+");
	assert_string_equal(fit("abc", 0, TOP_LEFT, false), "");
	/* A buffer too small never overflows. */
	assert_int_equal(
		top_text_fit(out, 4, "abcdef", 10, TOP_LEFT, false) <= 10, 1);
	assert_true(strlen(out) < 4);
}

static void test_utf8(void **state)
{
	if (!setlocale(LC_CTYPE, "C.UTF-8"))
		skip();
	assert_int_equal(top_text_width("vm-zürich"), 9);
	assert_int_equal(top_text_width("数据库-01"), 9);
	assert_string_equal(fit("vm-zürich", 11, TOP_LEFT, false),
			    "vm-zürich  ");
	assert_string_equal(fit("数据库-01", 10, TOP_RIGHT, false),
			    " 数据库-01");
	/* A wide character that does not fit before the '+' leaves a blank. */
	assert_string_equal(fit("数据库-01", 5, TOP_LEFT, false), "数据+");
	assert_string_equal(fit("数据库-01", 6, TOP_LEFT, false), "数据 +");
	assert_string_equal(fit("数据库-01", 7, TOP_LEFT, false), "数据库+");
	/* Control characters never reach the terminal, even in batch output. */
	assert_string_equal(fit("evil\x1b[31m", 10, TOP_LEFT, false),
			    "evil?[31m ");
	assert_string_equal(fit("evil\x1b[31m", 10, TOP_LEFT, true),
			    "evil?[31m ");
	/* Broken UTF-8: '?' on screen, the byte itself in batch output. */
	assert_string_equal(fit("a\xffz", 4, TOP_LEFT, false), "a?z ");
	assert_string_equal(fit("a\xffz", 4, TOP_LEFT, true), "a\xffz ");
	setlocale(LC_CTYPE, "C");
}

static void test_c_locale(void **state)
{
	setlocale(LC_CTYPE, "C");
	/* Two bytes of ü, each a column it cannot draw. */
	assert_int_equal(top_text_width("zü"), 3);
	assert_string_equal(fit("zü", 4, TOP_LEFT, false), "z?? ");
	assert_string_equal(fit("zü", 4, TOP_LEFT, true), "zü ");
}

static struct top_score score(bool active, bool ever, double err, double busy,
			      double ign, double cov)
{
	struct top_score_in in = { active, ever, err, busy, ign, cov };
	struct top_score s;

	top_score(&in, &s);
	return s;
}

static void test_score(void **state)
{
	struct top_score s;

	s = score(false, false, 0, 0, 0, 1.0);
	assert_true(s.total == 0 && s.why == TOP_WHY_NONE);
	assert_string_equal(top_why_name(s.why), "-");
	/* Each rate a point per event a second, capped at 200. */
	s = score(false, false, 3, 1000, 2, 0.98);
	assert_true(s.term[TOP_WHY_ERRORS] == 3 &&
		    s.term[TOP_WHY_BUSY] == 200 &&
		    s.term[TOP_WHY_IGNORED] == 2);
	assert_true(s.term[TOP_WHY_COVERAGE] > 1.99 &&
		    s.term[TOP_WHY_COVERAGE] < 2.01);
	assert_int_equal(s.why, TOP_WHY_BUSY);
	assert_string_equal(top_why_trace_args(s.why), "-e seamcall_busy");
	/* An active storm outweighs every other part at its cap. */
	assert_true(score(true, true, 0, 0, 0, 1).total >
		    score(false, true, 1e9, 1e9, 1e9, 0).total);
	assert_int_equal(score(false, true, 0, 0, 0, 1).total, 100);
	assert_int_equal(score(true, true, 0, 0, 0, 1).why, TOP_WHY_STORM);
	/* Unknown coverage counts nothing; none at all counts 100. */
	assert_true(score(false, false, 0, 0, 0, -1).total == 0);
	s = score(false, false, 0, 0, 0, 0);
	assert_true(s.total == 100 && s.why == TOP_WHY_COVERAGE);
	assert_non_null(top_why_runbook(s.why));
	/* Under TOP_BAD there is no reason; ties go to the more urgent one. */
	assert_int_equal(score(false, false, 4, 4, 0, 1).why, TOP_WHY_NONE);
	assert_int_equal(score(false, false, 6, 6, 0, 1).why, TOP_WHY_ERRORS);
	assert_null(top_why_runbook(TOP_WHY_ERRORS));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ascii),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_c_locale),
		cmocka_unit_test(test_score),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
