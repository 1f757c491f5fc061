/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Small helpers every tdxhp tool uses: errors, parsing, clocks. */
#ifndef TDXHP_UTIL_H
#define TDXHP_UTIL_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Name used as the prefix of every error line ("tdxhp-hist: ..."). */
extern const char *tdxhp_prog_name;

/* One line on stderr, prefixed with the program name. */
void tdxhp_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* When set, tdxhp_err hands its formatted line here instead (a logger). */
extern void (*tdxhp_err_hook)(const char *msg);

/* Parse "100us", "2ms", "1.5s", "250ns" or a bare number of default_unit_ns. */
int tdxhp_parse_duration_ns(const char *s, uint64_t default_unit_ns,
			    uint64_t *out);

/* The value of a hex digit of either case, or -1. */
int tdxhp_hex_digit(char c);

/* Parse a whole non-negative number within [min, max]. */
int tdxhp_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out);

uint64_t tdxhp_now_ns(void); /* CLOCK_MONOTONIC */

/* Set by SIGINT, SIGTERM and SIGHUP once tdxhp_stop_on_signals() ran. */
extern volatile sig_atomic_t tdxhp_stop;

/*
 * Make those signals set tdxhp_stop, interrupting blocking calls (no
 * SA_RESTART) so loops notice; ignore SIGPIPE, write errors say it.
 */
void tdxhp_stop_on_signals(void);

/* Format a CLOCK_MONOTONIC time as local wall-clock HH:MM:SS. */
void tdxhp_format_clock(uint64_t mono_ns, char *buf, size_t len);

/* A duration for people: "850ns", "9.8us", "1.25ms", "2.10s"; "-" if <= 0. */
void tdxhp_format_ns(char *buf, size_t len, double ns);

/* Human-readable bytes: "512.0M", "1.5G". */
void tdxhp_format_bytes(uint64_t bytes, char *buf, size_t len);

#endif /* TDXHP_UTIL_H */
