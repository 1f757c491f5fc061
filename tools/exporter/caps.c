// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <sys/capability.h>

#include "caps.h"
#include "util.h"

int runas_lookup(const char *user, struct runas *r)
{
	struct passwd *pw = getpwnam(user);
	uint64_t uid;

	memset(r, 0, sizeof(*r));
	if (!pw && !tdxhp_parse_u64(user, 1, 0xfffffffeULL, &uid))
		pw = getpwuid((uid_t)uid);
	if (!pw) {
		tdxhp_err("--runas: no user '%s'", user);
		return -1;
	}
	if (pw->pw_uid == 0) {
		tdxhp_err("--runas wants an unprivileged user, not '%s'", user);
		return -1;
	}
	r->set = true;
	r->uid = pw->pw_uid;
	r->gid = pw->pw_gid;
	snprintf(r->name, sizeof(r->name), "%s", pw->pw_name);
	return 0;
}

static int last_cap(void)
{
	FILE *f = fopen("/proc/sys/kernel/cap_last_cap", "r");
	int last = CAP_LAST_CAP;

	if (f) {
		if (fscanf(f, "%d", &last) != 1)
			last = CAP_LAST_CAP;
		fclose(f);
	}
	return last;
}

/* The bounding set goes first: dropping it needs CAP_SETPCAP. */
static int drop_bounding(void)
{
	int last = last_cap();

	for (int c = 0; c <= last; c++) {
		if (prctl(PR_CAPBSET_READ, c, 0, 0, 0) != 1)
			continue;
		if (prctl(PR_CAPBSET_DROP, c, 0, 0, 0)) {
			tdxhp_err("cannot drop capability %d from the bounding set: %s (needs CAP_SETPCAP)",
				  c, strerror(errno));
			return -1;
		}
	}
	return 0;
}

static int switch_user(const struct runas *r)
{
	if (setgroups(1, &r->gid) || setgid(r->gid) || setuid(r->uid)) {
		tdxhp_err("--runas %s: %s", r->name, strerror(errno));
		return -1;
	}
	/* setuid() from root must not be undoable. */
	if (setuid(0) == 0) {
		tdxhp_err("--runas %s: could switch back to root", r->name);
		return -1;
	}
	return 0;
}

static int clear_caps(void)
{
	cap_t empty = cap_init();
	int ret;

	if (!empty) {
		tdxhp_err("out of memory");
		return -1;
	}
	ret = cap_set_proc(empty);
	cap_free(empty);
	if (ret) {
		tdxhp_err("cannot clear capabilities: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static int verify_empty(void)
{
	cap_t now = cap_get_proc(), empty = cap_init();
	int diff = !now || !empty || cap_compare(now, empty);

	cap_free(now);
	cap_free(empty);
	if (diff) {
		tdxhp_err("capabilities are still set after dropping them");
		return -1;
	}
	return 0;
}

int caps_drop_all(const struct runas *r)
{
	if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) ||
	    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)) {
		tdxhp_err("cannot reset capability flags: %s", strerror(errno));
		return -1;
	}
	if (drop_bounding())
		return -1;
	if (r && r->set && switch_user(r))
		return -1;
	if (clear_caps() || verify_empty())
		return -1;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) {
		tdxhp_err("cannot set no_new_privs: %s", strerror(errno));
		return -1;
	}
	return 0;
}
