// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdlib.h>
#include <string.h>

#include "filter.h"
#include "util.h"

int tdxhp_td_filter_pid(struct tdxhp_td_filter *f, const char *arg)
{
	uint64_t v;

	if (tdxhp_parse_u64(arg, 1, 4194304, &v)) {
		tdxhp_err("--pid wants a process id, not '%s'", arg);
		return -1;
	}
	f->pid = (int)v;
	return 0;
}

int tdxhp_td_filter_name(struct tdxhp_td_filter *f, const char *arg)
{
	tdxhp_td_filter_free(f);
	if (regcomp(&f->name, arg, REG_EXTENDED | REG_NOSUB)) {
		tdxhp_err("--name: invalid regular expression '%s'", arg);
		return -1;
	}
	f->has_name = true;
	return 0;
}

bool tdxhp_td_filter_match(const struct tdxhp_td_filter *f, int pid,
			   const char *name)
{
	if (f->pid && pid != f->pid)
		return false;
	return !f->has_name || !regexec(&f->name, name, 0, NULL, 0);
}

void tdxhp_td_filter_free(struct tdxhp_td_filter *f)
{
	if (f->has_name)
		regfree(&f->name);
	f->has_name = false;
}

int tdxhp_parse_name_list(const char *list, int (*lookup)(const char *name),
			  const char *what, uint32_t *mask)
{
	char *copy = strdup(list), *save = NULL, *tok;
	int ret = 0;

	if (!copy) {
		tdxhp_err("out of memory");
		return -1;
	}
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		int id = lookup(tok);

		if (id < 0 || id >= 32) {
			tdxhp_err("unknown %s '%s' (see --help)", what, tok);
			ret = -1;
			break;
		}
		*mask |= 1U << id;
	}
	free(copy);
	return ret;
}
