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
		tdxhp_err("--guest: invalid regular expression '%s'", arg);
		return -1;
	}
	f->has_name = true;
	return 0;
}

int tdxhp_td_filter_uuid(struct tdxhp_td_filter *f, const char *arg)
{
	static const char shape[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
	size_t i;

	for (i = 0; arg[i] && shape[i]; i++)
		if (shape[i] == '-' ? arg[i] != '-' :
				      !strchr("0123456789abcdef", arg[i]))
			break;
	if (arg[i] || shape[i]) {
		tdxhp_err("--uuid wants a lower-case UUID such as 4dea22b3-1d52-d8f3-2516-782e98ab3fa0, not '%s'",
			  arg);
		return -1;
	}
	f->uuid = arg;
	return 0;
}

int tdxhp_td_filter_machine(struct tdxhp_td_filter *f, const char *arg)
{
	if (!*arg || strlen(arg) >= TDXHP_MACHINE_LEN) {
		tdxhp_err("--machine wants a machine name of 1 to %d characters",
			  TDXHP_MACHINE_LEN - 1);
		return -1;
	}
	f->machine = arg;
	return 0;
}

int tdxhp_td_filter_cgroup(struct tdxhp_td_filter *f, const char *arg)
{
	if (arg[0] != '/' || strlen(arg) >= TDXHP_CGROUP_LEN) {
		tdxhp_err("--cgroup wants a cgroup path starting with '/', such as /machine.slice, not '%s'",
			  arg);
		return -1;
	}
	f->cgroup = arg;
	return 0;
}

bool tdxhp_td_filter_wants_identity(const struct tdxhp_td_filter *f)
{
	return f->uuid || f->machine || f->cgroup;
}

/* path is prefix itself or below it: "/a/b" is under "/a", "/ab" is not. */
static bool cgroup_under(const char *path, const char *prefix)
{
	size_t n = strlen(prefix);

	while (n > 1 && prefix[n - 1] == '/')
		n--;
	if (strncmp(path, prefix, n))
		return false;
	return path[n] == '\0' || path[n] == '/' || n == 1;
}

bool tdxhp_td_filter_match_identity(const struct tdxhp_td_filter *f, int pid,
				    const char *name,
				    const struct tdxhp_identity *id)
{
	if (!tdxhp_td_filter_match(f, pid, name))
		return false;
	if (!tdxhp_td_filter_wants_identity(f))
		return true;
	if (!id)
		return false;
	if (f->uuid && strcmp(id->uuid, f->uuid))
		return false;
	if (f->machine && strcmp(id->machine, f->machine))
		return false;
	return !f->cgroup || (id->cgroup[0] && cgroup_under(id->cgroup, f->cgroup));
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
