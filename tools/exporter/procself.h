/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The standard process_* metrics of the exporter itself, read from
 * /proc/self as Prometheus' client_golang reads them (procfs), so the
 * dashboards and alerts written for every other exporter work here too.
 */
#ifndef TDXHP_EXPORTER_PROCSELF_H
#define TDXHP_EXPORTER_PROCSELF_H

#include <stdint.h>

struct proc_self {
	double cpu_seconds; /* utime + stime of /proc/self/stat */
	uint64_t resident_bytes; /* rss pages x page size */
	uint64_t virtual_bytes; /* vsize */
	double virtual_max_bytes; /* RLIMIT_AS soft limit (2^64 - 1: none) */
	uint64_t open_fds; /* entries of /proc/self/fd */
	double max_fds; /* RLIMIT_NOFILE soft limit */
	double start_time; /* btime + starttime: seconds since the epoch */
};

/* Fill p; a part that cannot be read stays 0.  0, or -1 if stat failed. */
int proc_self_read(struct proc_self *p);

#endif /* TDXHP_EXPORTER_PROCSELF_H */
