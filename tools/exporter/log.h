/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The exporter's log, as Prometheus' promlog (go-kit log) prints it for
 * node_exporter, one line per record on stderr:
 *   logfmt: ts=2026-01-01T10:00:00.000Z caller=main.c:42 level=info msg="..." k=v
 *   json:   {"caller":"main.c:42","k":"v","level":"info","msg":"...","ts":"..."}
 * --log.level drops records below it.  Every line the exporter prints
 * after its options are parsed goes through here, tdxhp_err() of the
 * library included (at level error; "note: ..." at warn).
 */
#ifndef TDXHP_EXPORTER_LOG_H
#define TDXHP_EXPORTER_LOG_H

#include <stdbool.h>

enum log_level {
	LOG_DEBUG,
	LOG_INFO,
	LOG_WARN,
	LOG_ERROR,
	LOG_NR_LEVELS,
};

enum log_format {
	LOG_LOGFMT,
	LOG_JSON,
	LOG_NR_FORMATS,
};

/* NULL-terminated, for the option table and --help. */
extern const char *const log_level_names[LOG_NR_LEVELS + 1];
extern const char *const log_format_names[LOG_NR_FORMATS + 1];

/* From now on, tdxhp_err() lines are records too. */
void log_setup(enum log_level level, enum log_format format);
bool log_enabled(enum log_level level);

/* A record: msg, then key and value strings, NULL after the last value. */
void log_kv(enum log_level level, const char *file, int line, const char *msg,
	    ...) __attribute__((sentinel));

#define log_debug(...) log_kv(LOG_DEBUG, __FILE__, __LINE__, __VA_ARGS__, NULL)
#define log_info(...) log_kv(LOG_INFO, __FILE__, __LINE__, __VA_ARGS__, NULL)
#define log_warn(...) log_kv(LOG_WARN, __FILE__, __LINE__, __VA_ARGS__, NULL)
#define log_error(...) log_kv(LOG_ERROR, __FILE__, __LINE__, __VA_ARGS__, NULL)

#endif /* TDXHP_EXPORTER_LOG_H */
