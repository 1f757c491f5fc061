// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Option tables: getopt strings, --help and --usage from one declaration. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cli.h"
#include "opts.h"
#include "util.h"

static const struct tdxhp_opt own_opts[] = {
	{ 'b', "batch", NULL, 0, "batch mode" },
	{ 'n', "count", "N", 0, "stop after N\nsecond line" },
	{ 0x2000, "a-very-long-option-name", "VALUE", 0, "wraps" },
	{ 0x2001, "old", NULL, TDXHP_OPTF_HIDDEN, "not shown" },
	{ 0 },
};

static const struct tdxhp_opt_group groups[] = {
	{ NULL, own_opts },
	TDXHP_CLI_FILTER_GROUP,
	TDXHP_CLI_COMMON_GROUP,
	{ 0 },
};

static char *capture(void (*fn)(const struct tdxhp_opt_set *, FILE *),
		     const struct tdxhp_opt_set *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	fn(s, f);
	fclose(f);
	return buf;
}

static void test_build(void **state)
{
	struct tdxhp_opt_set s = { .synopsis = "[OPTIONS] [INTERVAL]",
				   .groups = groups };

	tdxhp_opts_build(&s);
	assert_string_equal(s.shortopts, "bn:p:g:c:vVh");
	assert_string_equal(s.longopts[0].name, "batch");
	assert_int_equal(s.longopts[1].has_arg, required_argument);
	assert_int_equal(s.longopts[1].val, 'n');
	assert_non_null(tdxhp_opts_find(&s, 0x2001));
	assert_null(tdxhp_opts_find(&s, 'z'));
}

static void test_help(void **state)
{
	struct tdxhp_opt_set s = { .synopsis = "[OPTIONS] [INTERVAL]\n-r FILE",
				   .about = "About.", .groups = groups };
	char *h;

	tdxhp_prog_name = "tdxhp-x";
	tdxhp_opts_build(&s);
	h = capture(tdxhp_opts_help, &s);
	assert_non_null(strstr(h, "Usage: tdxhp-x [OPTIONS] [INTERVAL]\n"
				  "       tdxhp-x -r FILE\nAbout.\n\nOptions:\n"));
	assert_non_null(strstr(h, "\n  -n, --count N               stop after N\n"
				  "                              second line\n"));
	assert_non_null(strstr(h, "\n      --a-very-long-option-name VALUE\n"
				  "                              wraps\n"));
	assert_non_null(strstr(h, "\nSelecting TDs:\n  -p, --pid PID "));
	assert_null(strstr(h, "--old"));
	free(h);
	h = capture(tdxhp_opts_usage, &s);
	assert_non_null(strstr(h, "Usage: tdxhp-x [-bvVh] [-n N] "));
	assert_non_null(strstr(h, "[-p PID]"));
	assert_non_null(strstr(h, "[-g REGEX]"));
	assert_non_null(strstr(h, "[--uuid=UUID]"));
	assert_non_null(strstr(h, "[INTERVAL]\n"));
	for (char *line = h, *nl; (nl = strchr(line, '\n')); line = nl + 1)
		assert_true(nl - line <= 79);
	free(h);
}

static void test_filter_parse(void **state)
{
	struct tdxhp_opt_set s = { .groups = groups };
	struct tdxhp_cli c = { .opts = &s };
	struct tdxhp_identity id = { .uuid = "4dea22b3-1d52-d8f3-2516-782e98ab3fa0",
				     .cgroup = "/machine.slice/machine-qemu\\x2d1.scope" };

	tdxhp_opts_build(&s);
	assert_int_equal(tdxhp_cli_parse('b', NULL, &c), 0);	/* the tool's */
	assert_int_equal(tdxhp_cli_parse(TDXHP_OPT_SEED, "3", &c), 0); /* not in set */
	assert_int_equal(tdxhp_cli_parse('c', "/machine.slice", &c), 1);
	assert_int_equal(tdxhp_cli_parse(TDXHP_OPT_UUID, "4DEA", &c), -1);
	assert_int_equal(tdxhp_cli_parse(TDXHP_OPT_UUID,
					 "4dea22b3-1d52-d8f3-2516-782e98ab3fa0", &c), 1);
	assert_true(tdxhp_td_filter_match_identity(&c.filter, 1, "a", &id));
	assert_false(tdxhp_td_filter_match_identity(&c.filter, 1, "a", NULL));
	c.filter.cgroup = "/machine";
	assert_false(tdxhp_td_filter_match_identity(&c.filter, 1, "a", &id));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build),
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_filter_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
