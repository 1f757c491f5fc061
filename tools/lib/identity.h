/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The identities operators know a TD by, beside its name: the libvirt
 * domain UUID, the systemd machine name and the VMM's cgroup.  An empty
 * string means unknown; nothing is ever made up.
 *
 * Where each comes from (docs/tools.md, "Identities"):
 *   uuid     libvirt's status file /run/libvirt/qemu/<domain>.xml whose
 *            <domstatus pid> is the VMM, else QEMU's -uuid, else
 *            machined's ID= of the machine
 *   machine  the VMM's cgroup unit through machined's unit:<unit> link
 *            (what sd_pid_get_machine_name() does), else the machined
 *            state file whose LEADER= is the VMM
 *   cgroup   the cgroup v2 line of /proc/<pid>/cgroup
 */
#ifndef TDXHP_IDENTITY_H
#define TDXHP_IDENTITY_H

#include <sys/types.h>

#define TDXHP_UUID_LEN 37 /* 36 characters and the NUL */
#define TDXHP_MACHINE_LEN 64
#define TDXHP_CGROUP_LEN 256

struct tdxhp_identity {
	char uuid[TDXHP_UUID_LEN]; /* libvirt domain UUID, lower case */
	char machine[TDXHP_MACHINE_LEN]; /* systemd-machined name */
	char cgroup[TDXHP_CGROUP_LEN]; /* cgroup v2 path of the VMM */
};

/* Where to look; tests point these at fake trees.  NULL means default. */
struct tdxhp_identity_paths {
	const char *proc; /* "/proc" */
	const char *libvirt_run; /* "/run/libvirt/qemu" */
	const char *machines; /* "/run/systemd/machines" */
};

/* Fill id for the VMM process pid; fields that cannot be found stay "". */
void tdxhp_identity_resolve(pid_t pid, const struct tdxhp_identity_paths *paths,
			    struct tdxhp_identity *id);

/*
 * Which pid each libvirt pid file and machined leader names, read once
 * and read again only when its directory changes: without it, a TD found
 * neither by its name nor by its unit reads every file of both
 * directories.
 */
struct tdxhp_identity_index;

struct tdxhp_identity_index *tdxhp_identity_index_new(void);
void tdxhp_identity_index_free(struct tdxhp_identity_index *x);

/* tdxhp_identity_resolve() with an index (NULL: a throwaway one). */
void tdxhp_identity_resolve_indexed(pid_t pid,
				    const struct tdxhp_identity_paths *paths,
				    struct tdxhp_identity_index *x,
				    struct tdxhp_identity *id);

/*
 * The same paths under another root directory ("/" or NULL: the real
 * ones).  Tools take the root from $TDXHP_ROOT, which tests and the
 * simulator use for a fake libvirt, machined and /proc layout.
 */
struct tdxhp_identity_root {
	struct tdxhp_identity_paths paths;
	char proc[256];
	char libvirt_run[256];
	char machines[256];
};

void tdxhp_identity_root_init(struct tdxhp_identity_root *r, const char *root);

/* "" everywhere. */
static inline int tdxhp_identity_empty(const struct tdxhp_identity *id)
{
	return !id->uuid[0] && !id->machine[0] && !id->cgroup[0];
}

#endif /* TDXHP_IDENTITY_H */
