// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <getopt.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flags.h"
#include "http.h"
#include "util.h"

/* Not in the Prometheus default port allocations list: see docs/exporter.md. */
#define DEFAULT_LISTEN ":9067"
#define FLAG_BASE 0x2000
#define HELP_COL 36
#define HELP_WIDTH 80

enum kind {
	K_BOOL,
	K_STRING,
	K_LISTEN, /* repeatable; the first one given replaces the default */
	K_PATH, /* --web.telemetry-path */
	K_COUNT, /* uint64_t within [min, max] */
	K_DURATION, /* uint64_t ns within [min, max] */
	K_CHOICE, /* unsigned int index into choices */
	K_USER, /* struct runas */
};

struct flag {
	const char *name;
	enum kind kind;
	size_t off;
	const char *arg; /* metavar; NULL: takes no value */
	const char *def; /* default, parsed as a value would be */
	uint64_t min, max;
	const char *const *choices;
	const char *help;
};

#define AT(field) offsetof(struct exporter_args, field)
#define SEC 1000000000ULL

static const struct flag flags[] = {
	{ "web.listen-address", K_LISTEN, AT(listen), "ADDR", DEFAULT_LISTEN, 0,
	  0, NULL,
	  "HOST:PORT, [IPV6]:PORT or :PORT; repeat it to listen on several" },
	{ "web.systemd-socket", K_BOOL, AT(systemd_socket), NULL, NULL, 0, 0,
	  NULL,
	  "serve on the sockets systemd passes (LISTEN_FDS, socket activation) instead of --web.listen-address" },
	{ "web.telemetry-path", K_PATH, AT(path), "PATH", "/metrics", 0, 0,
	  NULL, "where metrics are served; / serves a landing page" },
	{ "web.config.file", K_STRING, AT(web_config), "FILE", NULL, 0, 0, NULL,
	  "TLS, HTTP headers and basic auth: the exporter-toolkit web config (YAML)" },
	{ "web.max-connections", K_COUNT, AT(max_conns), "N", "64", 4, 10000,
	  NULL, "concurrent connections" },
	{ "web.connection-timeout", K_COUNT, AT(timeout_s), "S", "10", 1, 3600,
	  NULL,
	  "seconds a kept-alive connection may idle, or a response stall, before it is closed" },
	{ "web.read-header-timeout", K_DURATION, AT(header_timeout_ns), "DUR",
	  "5s", SEC / 10, 3600 * SEC, NULL,
	  "the whole request head (TLS handshake included) must arrive within this" },
	{ "web.threads", K_COUNT, AT(threads), "N", "2", 1, 64, NULL,
	  "threads checking passwords (bcrypt)" },
	{ "collector.min-interval", K_DURATION, AT(min_interval_ns), "DUR",
	  "1s", 0, 3600 * SEC, NULL,
	  "read the maps at most this often; scrapes in between share one body" },
	{ "collector.storm-active", K_DURATION, AT(storm_active_ns), "DUR",
	  "15s", 1, 3600 * SEC, NULL,
	  "tdxhp_td_storm_active stays 1 this long after a storm" },
	{ "collector.bpf-stats", K_BOOL, AT(bpf_stats), NULL, NULL, 0, 0, NULL,
	  "count BPF program runs and time while running (kernel-wide, small overhead)" },
	{ "log.level", K_CHOICE, AT(log_level), NULL, "info", 0, 0,
	  log_level_names, "only log records of this level or above" },
	{ "log.format", K_CHOICE, AT(log_format), NULL, "logfmt", 0, 0,
	  log_format_names, "log records as logfmt or JSON lines on stderr" },
	{ "runas", K_USER, AT(runas), "USER", NULL, 0, 0, NULL,
	  "after loading, run as this user" },
};

/* The shared options, declared in tools/lib/cli.c (--usage among them). */
static const struct tdxhp_opt_group shared_groups[] = {
	TDXHP_CLI_SIM_GROUP,
	TDXHP_CLI_LOAD_GROUP,
	TDXHP_CLI_COMMON_GROUP,
	{ 0 },
};
static struct tdxhp_opt_set shared_set = { .groups = shared_groups };

static const char *choice_list(const struct flag *f, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int i = 0; f->choices[i]; i++)
		n += (size_t)snprintf(buf + n, n < len ? len - n : 0, "%s%s",
				      i ? "|" : "", f->choices[i]);
	return buf;
}

/* Words of text from column col, wrapped at HELP_WIDTH under HELP_COL. */
static void wrap(FILE *out, int col, const char *text)
{
	const char *p = text;
	bool first = true;

	while (*p) {
		const char *end = strchr(p, ' ');
		int n = end ? (int)(end - p) : (int)strlen(p);

		if (!first && col + 1 + n > HELP_WIDTH) {
			fprintf(out, "\n%*s", HELP_COL, "");
			col = HELP_COL;
		} else if (!first) {
			fputc(' ', out);
			col++;
		}
		first = false;
		fprintf(out, "%.*s", n, p);
		col += n;
		p += n;
		while (*p == ' ')
			p++;
	}
	fputc('\n', out);
}

/* --usage: every option in one short form, wrapped like --help. */
static void short_usage(FILE *out)
{
	static const struct tdxhp_opt *const shared[] = {
		tdxhp_cli_sim_opts, tdxhp_cli_load_opts
	};
	const char *lead = "Usage: tdxhp-exporter";
	char item[160], choices[128];
	int col = (int)strlen(lead);

	fputs(lead, out);
#define ITEM()                                                             \
	do {                                                               \
		int n_ = (int)strlen(item);                                \
		if (col + 1 + n_ > HELP_WIDTH) {                           \
			fprintf(out, "\n%*s", (int)strlen(lead), "");      \
			col = (int)strlen(lead);                           \
		}                                                          \
		fprintf(out, " %s", item);                                 \
		col += 1 + n_;                                             \
	} while (0)
	for (size_t i = 0; i < ARRAY_SIZE(flags); i++) {
		const struct flag *f = &flags[i];
		const char *arg = f->choices ?
					  choice_list(f, choices, sizeof(choices)) :
					  f->arg;

		snprintf(item, sizeof(item), "[--%s%s%s]%s", f->name,
			 arg ? " " : "", arg ? arg : "",
			 f->kind == K_LISTEN ? "..." : "");
		ITEM();
	}
	for (size_t g = 0; g < ARRAY_SIZE(shared); g++)
		for (const struct tdxhp_opt *o = shared[g]; o->key; o++) {
			bool opt = o->flags & TDXHP_OPTF_ARG_OPTIONAL;

			if (o->flags & TDXHP_OPTF_HIDDEN)
				continue;
			snprintf(item, sizeof(item), "[--%s%s%s%s]", o->name,
				 !o->arg ? "" : opt ? "[=" : " ",
				 o->arg ? o->arg : "", o->arg && opt ? "]" : "");
			ITEM();
		}
	snprintf(item, sizeof(item), "[-vVh]");
	ITEM();
	snprintf(item, sizeof(item), "[--usage]");
	ITEM();
#undef ITEM
	fputc('\n', out);
}

static void usage(FILE *out)
{
	char head[128], choices[128], help[512];

	fprintf(out, "Usage: tdxhp-exporter [OPTIONS]\n"
		     "Serve KVM TDX huge page metrics to Prometheus.\n\n");
	for (size_t i = 0; i < ARRAY_SIZE(flags); i++) {
		const struct flag *f = &flags[i];
		const char *arg =
			f->choices ? choice_list(f, choices, sizeof(choices)) :
				     f->arg;
		int col;

		snprintf(head, sizeof(head), "      --%s%s%s", f->name,
			 arg ? " " : "", arg ? arg : "");
		col = (int)strlen(head);
		fputs(head, out);
		/* Two spaces at least between option and help (mancheck.py). */
		if (col + 2 <= HELP_COL) {
			fprintf(out, "%*s", HELP_COL - col, "");
			col = HELP_COL;
		} else {
			fputs("  ", out);
			col += 2;
		}
		snprintf(help, sizeof(help), "%s%s%s%s", f->help,
			 f->def ? " (default " : "", f->def ? f->def : "",
			 f->def ? ")" : "");
		wrap(out, col, help);
	}
	tdxhp_opts_help_groups(&shared_set, out);
	fprintf(out,
		"\nAfter loading, every capability is dropped (bounding set included).\n"
		"Examples:\n"
		"  tdxhp-exporter --web.listen-address 127.0.0.1:9067\n"
		"  tdxhp-exporter --simulate=storm --runas nobody\n"
		"  tdxhp-exporter --web.config.file /etc/tdxhp/web.yml --log.format json\n");
}

static int bad(const struct flag *f, const char *what, const char *arg)
{
	tdxhp_err("--%s wants %s, not '%s'", f->name, what, arg);
	return -1;
}

/* One value of f into a; 0, or -1 after saying why. */
static int set(const struct flag *f, const char *arg, struct exporter_args *a)
{
	void *dst = (char *)a + f->off;
	uint64_t v;
	char what[160];

	switch (f->kind) {
	case K_BOOL:
		*(bool *)dst = true;
		return 0;
	case K_STRING:
		*(const char **)dst = arg;
		return 0;
	case K_LISTEN:
		if (!http_addr_valid(arg))
			return bad(f, "HOST:PORT, [IPV6]:PORT or :PORT", arg);
		if (a->nr_listen >= MAX_LISTEN) {
			tdxhp_err("--%s: at most %d addresses", f->name,
				  MAX_LISTEN);
			return -1;
		}
		a->listen[a->nr_listen++] = arg;
		return 0;
	case K_PATH:
		if (arg[0] != '/' || strlen(arg) > 256 || !strcmp(arg, "/"))
			return bad(f, "a path such as /metrics", arg);
		*(const char **)dst = arg;
		return 0;
	case K_COUNT:
		if (tdxhp_parse_u64(arg, f->min, f->max, &v)) {
			snprintf(what, sizeof(what), "%llu to %llu",
				 (unsigned long long)f->min,
				 (unsigned long long)f->max);
			return bad(f, what, arg);
		}
		*(uint64_t *)dst = v;
		return 0;
	case K_DURATION:
		if (tdxhp_parse_duration_ns(arg, SEC, &v) || v < f->min ||
		    v > f->max)
			return bad(f,
				   "a duration such as 1s or 500ms, up to 1h",
				   arg);
		*(uint64_t *)dst = v;
		return 0;
	case K_CHOICE:
		for (unsigned int i = 0; f->choices[i]; i++)
			if (!strcmp(arg, f->choices[i])) {
				*(unsigned int *)dst = i;
				return 0;
			}
		return bad(f, choice_list(f, what, sizeof(what)), arg);
	case K_USER:
		return runas_lookup(arg, (struct runas *)dst);
	}
	return -1;
}

int flags_parse(int argc, char **argv, struct exporter_args *a)
{
	struct option longopts[ARRAY_SIZE(flags) + TDXHP_OPTS_MAX + 1];
	size_t n = 0, ns = 0;
	int opt, r;

	tdxhp_opts_build(&shared_set);
	a->cli.opts = &shared_set;

	memset(longopts, 0, sizeof(longopts));
	for (size_t i = 0; i < ARRAY_SIZE(flags); i++) {
		longopts[n++] =
			(struct option){ flags[i].name,
					 flags[i].arg || flags[i].choices ?
						 required_argument :
						 no_argument,
					 NULL, FLAG_BASE + (int)i };
		if (flags[i].def && set(&flags[i], flags[i].def, a))
			return -1; /* a bad default: caught by any test */
	}
	while (shared_set.longopts[ns].name)
		ns++;
	memcpy(longopts + n, shared_set.longopts, ns * sizeof(longopts[0]));
	opterr = 0;
	while ((opt = getopt_long(argc, argv, shared_set.shortopts, longopts,
				  NULL)) != -1) {
		const struct flag *f;

		/* The exporter's own help and usage, with its flags. */
		if (opt == 'h') {
			usage(stdout);
			exit(0);
		}
		if (opt == TDXHP_OPT_USAGE) {
			short_usage(stdout);
			exit(0);
		}
		r = tdxhp_cli_parse(opt, optarg, &a->cli);
		if (r < 0)
			return -1;
		if (r > 0)
			continue;
		if (opt < FLAG_BASE ||
		    opt >= FLAG_BASE + (int)ARRAY_SIZE(flags)) {
			tdxhp_cli_bad_option(argv);
			return -1;
		}
		f = &flags[opt - FLAG_BASE];
		if (f->kind == K_LISTEN && !a->listen_given) {
			a->nr_listen =
				0; /* the first one replaces the default */
			a->listen_given = true;
		}
		if (f->off == AT(log_level))
			a->log_level_given = true;
		if (set(f, optarg, a))
			return -1;
	}
	if (tdxhp_cli_no_more_args(argc, argv) || tdxhp_cli_validate(&a->cli))
		return -1;
	return 0;
}
