/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Selecting TDs (-p PID, -g REGEX, --uuid, --machine, -c CGROUP) and
 * parsing comma-separated names.
 */
#ifndef TDXHP_FILTER_H
#define TDXHP_FILTER_H

#include <regex.h>
#include <stdbool.h>
#include <stdint.h>

#include "identity.h"

struct tdxhp_td_filter {
	int pid;		/* 0: any */
	bool has_name;
	regex_t name;
	const char *uuid;	/* libvirt domain UUID; NULL: any */
	const char *machine;	/* systemd machine name; NULL: any */
	const char *cgroup;	/* this cgroup or one below it; NULL: any */
};

/* Each option's value: 0, or -1 after printing what is wrong. */
int tdxhp_td_filter_pid(struct tdxhp_td_filter *f, const char *arg);
int tdxhp_td_filter_name(struct tdxhp_td_filter *f, const char *arg);
int tdxhp_td_filter_uuid(struct tdxhp_td_filter *f, const char *arg);
int tdxhp_td_filter_machine(struct tdxhp_td_filter *f, const char *arg);
int tdxhp_td_filter_cgroup(struct tdxhp_td_filter *f, const char *arg);

/* Whether the filter asks for anything an identity answers. */
bool tdxhp_td_filter_wants_identity(const struct tdxhp_td_filter *f);

bool tdxhp_td_filter_match(const struct tdxhp_td_filter *f, int pid,
			   const char *name);
/* As above, and the identity filters; id NULL: they do not match. */
bool tdxhp_td_filter_match_identity(const struct tdxhp_td_filter *f, int pid,
				    const char *name,
				    const struct tdxhp_identity *id);
void tdxhp_td_filter_free(struct tdxhp_td_filter *f);

/*
 * "a,b,c" into a bit mask, each name mapped by lookup (-1: unknown, which
 * is reported as "unknown <what> '<name>'").  0, or -1 after printing.
 */
int tdxhp_parse_name_list(const char *list, int (*lookup)(const char *name),
			  const char *what, uint32_t *mask);

#endif /* TDXHP_FILTER_H */
