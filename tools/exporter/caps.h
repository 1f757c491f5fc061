/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * After the BPF objects are loaded the exporter needs no privilege: maps
 * are read through open fds and mmaps, and BPF_PROG_TEST_RUN (the
 * simulator) checks no capability either.  So drop them all.
 */
#ifndef TDXHP_EXPORTER_CAPS_H
#define TDXHP_EXPORTER_CAPS_H

#include <stdbool.h>
#include <sys/types.h>

struct runas {
	bool set;
	uid_t uid;
	gid_t gid;
	char name[64];
};

/* --runas USER (a name or a numeric uid); -1 with a message if unknown. */
int runas_lookup(const char *user, struct runas *r);

/*
 * Switch to r's user if set, then empty every capability set (effective,
 * permitted, inheritable, ambient, bounding) and set no_new_privs.  Call
 * before starting threads: capabilities are per thread.  Returns 0, or -1
 * after printing why.
 */
int caps_drop_all(const struct runas *r);

#endif /* TDXHP_EXPORTER_CAPS_H */
