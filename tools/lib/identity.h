/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The identities operators know a TD by, beside its name: the libvirt
 * domain UUID, the systemd machine name and the VMM's cgroup.  An empty
 * string means unknown; nothing is ever made up.
 */
#ifndef TDXHP_IDENTITY_H
#define TDXHP_IDENTITY_H

#include <sys/types.h>

#define TDXHP_UUID_LEN 37	/* 36 characters and the NUL */
#define TDXHP_MACHINE_LEN 64
#define TDXHP_CGROUP_LEN 256

struct tdxhp_identity {
	char uuid[TDXHP_UUID_LEN];	/* libvirt domain UUID, lower case */
	char machine[TDXHP_MACHINE_LEN];	/* systemd-machined name */
	char cgroup[TDXHP_CGROUP_LEN];	/* cgroup v2 path of the VMM */
};

/* Where to look; tests point these at fake trees.  NULL means default. */
struct tdxhp_identity_paths {
	const char *proc;		/* "/proc" */
	const char *libvirt_run;	/* "/run/libvirt/qemu" */
	const char *machines;		/* "/run/systemd/machines" */
};

/* Fill id for the VMM process pid; fields that cannot be found stay "". */
void tdxhp_identity_resolve(pid_t pid, const struct tdxhp_identity_paths *paths,
			    struct tdxhp_identity *id);

#endif /* TDXHP_IDENTITY_H */
