/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Readers of the files identities come from.  Each takes the file's bytes
 * (not NUL-terminated), never reads past them, and fills only what it
 * found: anything it cannot vouch for is left empty.
 */
#ifndef TDXHP_IDENTITY_PARSE_H
#define TDXHP_IDENTITY_PARSE_H

#include <stddef.h>
#include <sys/types.h>

#include "identity.h"

/*
 * "4DEA22B3-1D52-D8F3-2516-782E98AB3FA0", or the same 32 hex digits
 * without dashes (machined's ID=), as 4dea22b3-1d52-d8f3-2516-782e98ab3fa0.
 * Surrounding white space is allowed.  0, or -1 if it is not a UUID.
 */
int tdxhp_uuid_normalize(const char *in, size_t len, char out[TDXHP_UUID_LEN]);

/* What a libvirt status file (/run/libvirt/qemu/<domain>.xml) says. */
struct tdxhp_libvirt_status {
	pid_t pid; /* <domstatus pid=...>, 0 if absent */
	char name[TDXHP_MACHINE_LEN]; /* <domain><name> */
	char uuid[TDXHP_UUID_LEN]; /* <domain><uuid>, normalized */
};

/*
 * A status file (<domstatus> around <domain>) or a plain domain XML.  0
 * if it names a domain UUID, -1 otherwise (not XML, no UUID).
 */
int tdxhp_libvirt_status_parse(const char *xml, size_t len,
			       struct tdxhp_libvirt_status *out);

/* What a systemd-machined state file (/run/systemd/machines/<name>) says. */
struct tdxhp_machined_state {
	char name[TDXHP_MACHINE_LEN]; /* NAME= */
	pid_t leader; /* LEADER=, 0 if absent */
	char uuid[TDXHP_UUID_LEN]; /* ID=, as a UUID; "" if absent */
	char class_name[16]; /* CLASS=: "vm" or "container" */
};

/* 0 if the file has a NAME=, -1 otherwise. */
int tdxhp_machined_parse(const char *text, size_t len,
			 struct tdxhp_machined_state *out);

/*
 * The cgroup path of /proc/<pid>/cgroup: its cgroup v2 line ("0::PATH"),
 * else, on a legacy hierarchy, systemd's ("N:name=systemd:PATH").  0, or
 * -1 if there is neither or the path does not fit.
 */
int tdxhp_cgroup_parse(const char *text, size_t len, char *out, size_t outlen);

/*
 * The systemd unit a cgroup path belongs to, as libsystemd finds it: the
 * first component after the slices ("/machine.slice/machine-qemu\x2d1\x2dvm1
 * .scope/libvirt/emulator" is in "machine-qemu\x2d1\x2dvm1.scope").  0, or
 * -1 if the path is in no unit.
 */
int tdxhp_cgroup_unit(const char *path, char *unit, size_t len);

/*
 * QEMU's -uuid (or --uuid) in a command line as /proc/PID/cmdline holds
 * it (NUL-separated), normalized.  0, or -1 if there is none.
 */
int tdxhp_uuid_from_qemu_cmdline(const char *cmdline, size_t len,
				 char out[TDXHP_UUID_LEN]);

#endif /* TDXHP_IDENTITY_PARSE_H */
