/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The exporter's own flags, node_exporter style (--web.*, --collector.*,
 * --log.*), declared once in a table (flags.c) that makes both the parser
 * and --help; the options every tdxhp tool takes come from cli.h.
 */
#ifndef TDXHP_EXPORTER_FLAGS_H
#define TDXHP_EXPORTER_FLAGS_H

#include <stdbool.h>
#include <stdint.h>

#include "caps.h"
#include "cli.h"
#include "log.h"

#define MAX_LISTEN 16

struct exporter_args {
	struct tdxhp_cli cli;
	const char *listen[MAX_LISTEN];
	unsigned int nr_listen;
	bool listen_given; /* on the command line, not the default */
	bool systemd_socket;
	const char *path;
	const char *web_config;
	uint64_t max_conns;
	uint64_t timeout_s;
	uint64_t header_timeout_ns;
	uint64_t threads;
	uint64_t min_interval_ns;
	uint64_t storm_active_ns;
	bool bpf_stats;
	unsigned int log_level; /* enum log_level */
	unsigned int log_format; /* enum log_format */
	bool log_level_given;
	struct runas runas;
};

/*
 * Parse argv into a (defaults first).  --help and --version print and
 * exit 0; bad usage prints one line and returns -1 (exit 2).
 */
int flags_parse(int argc, char **argv, struct exporter_args *a);

#endif /* TDXHP_EXPORTER_FLAGS_H */
