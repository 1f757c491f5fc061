/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* TD names: QEMU's -name, libvirt's pid files, else the process comm. */
#ifndef TDXHP_NAMES_H
#define TDXHP_NAMES_H

#include <stddef.h>
#include <sys/types.h>

enum tdxhp_name_source {
	TDXHP_NAME_NONE,
	TDXHP_NAME_QEMU,	/* -name guest=NAME or -name NAME */
	TDXHP_NAME_LIBVIRT,	/* /run/libvirt/qemu/NAME.pid */
	TDXHP_NAME_COMM,	/* /proc/PID/comm */
};

/* Where to look; tests point these at fake trees.  NULL means default. */
struct tdxhp_name_paths {
	const char *proc;		/* "/proc" */
	const char *libvirt_run;	/* "/run/libvirt/qemu" */
};

/*
 * The guest name in a QEMU command line (NUL-separated, as in
 * /proc/PID/cmdline).  Handles "-name guest=X,debug-threads=on",
 * "-name X", "--name" and QEMU's ",," escape for a comma.  Returns 0 and
 * fills out, or -1 if there is no -name.
 */
int tdxhp_name_from_qemu_cmdline(const char *cmdline, size_t len, char *out,
				 size_t outlen);

/*
 * Each value of QEMU option opt ("-opt V", "--opt V", "-opt=V", "--opt=V")
 * in a NUL-separated command line, handed to take until it returns 0.
 * Returns 0 then, or -1 if no value was taken.
 */
int tdxhp_qemu_cmdline_find(const char *cmdline, size_t len, const char *opt,
			    int (*take)(const char *value, size_t vlen,
					void *arg),
			    void *arg);

/* Resolve pid to a name; "pid:N" if nothing is readable. */
enum tdxhp_name_source tdxhp_resolve_name(pid_t pid,
					  const struct tdxhp_name_paths *paths,
					  char *out, size_t outlen);

#endif /* TDXHP_NAMES_H */
