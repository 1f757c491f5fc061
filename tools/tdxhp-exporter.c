// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * tdxhp-exporter: Prometheus metrics of KVM TDX huge pages, per TD and per
 * host, served over HTTP(S) with node_exporter-style flags.
 */
#include <errno.h>
#include <malloc.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "auth.h"
#include "caps.h"
#include "cli.h"
#include "collector.h"
#include "http.h"
#include "util.h"
#include "webconfig.h"

/* Not in the Prometheus default port allocations list: see docs/exporter.md. */
#define DEFAULT_LISTEN ":9067"

enum {
	OPT_LISTEN = 0x2000,
	OPT_PATH,
	OPT_WEB_CONFIG,
	OPT_MAX_CONNS,
	OPT_CONN_TIMEOUT,
	OPT_HEADER_TIMEOUT,
	OPT_THREADS,
	OPT_MIN_INTERVAL,
	OPT_STORM_ACTIVE,
	OPT_BPF_STATS,
	OPT_RUNAS,
};

struct exporter_args {
	struct tdxhp_cli cli;
	const char *listen;
	const char *path;
	const char *web_config;
	uint64_t max_conns;
	uint64_t timeout_s;
	uint64_t header_timeout_ns;
	uint64_t threads;
	uint64_t min_interval_ns;
	uint64_t storm_active_ns;
	bool bpf_stats;
	struct runas runas;
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: tdxhp-exporter [OPTIONS]\n"
		"Serve KVM TDX huge page metrics to Prometheus.\n"
		"\n"
		"      --web.listen-address ADDR   HOST:PORT, [IPV6]:PORT or :PORT (default %s)\n"
		"      --web.telemetry-path PATH   where metrics are served (default /metrics)\n"
		"      --web.config.file FILE      TLS and basic auth, exporter-toolkit YAML\n"
		"      --web.max-connections N     concurrent connections (default 64)\n"
		"      --web.connection-timeout S  seconds a kept-alive connection may idle, or\n"
		"                                  a response stall, before it is closed (default 10)\n"
		"      --web.read-header-timeout DUR  the whole request head (TLS handshake\n"
		"                                  included) must arrive within this (default 5s)\n"
		"      --web.threads N             threads checking passwords (bcrypt) (default 2)\n"
		"      --collector.min-interval DUR  read the maps at most this often; scrapes\n"
		"                                  in between share one body (default 1s)\n"
		"      --collector.storm-active DUR  tdxhp_td_storm_active stays 1 this long\n"
		"                                  after a storm (default 15s)\n"
		"      --collector.bpf-stats       count BPF program runs and time while\n"
		"                                  running (kernel-wide, small overhead)\n"
		"      --runas USER                after loading, run as this user\n",
		DEFAULT_LISTEN);
	tdxhp_cli_usage(f);
	fprintf(f,
		"\nAfter loading, every capability is dropped (bounding set included).\n"
		"Examples:\n"
		"  tdxhp-exporter --web.listen-address 127.0.0.1:9067\n"
		"  tdxhp-exporter --simulate=storm --runas nobody\n"
		"  tdxhp-exporter --web.config.file /etc/tdxhp/web.yml\n");
}

static int parse_duration(const char *opt, const char *arg, uint64_t min_ns,
			  uint64_t *out)
{
	if (tdxhp_parse_duration_ns(arg, 1000000000ULL, out) ||
	    *out < min_ns || *out > 3600ULL * 1000000000ULL) {
		tdxhp_err("%s wants a duration such as 1s or 500ms, up to 1h, not '%s'",
			  opt, arg);
		return -1;
	}
	return 0;
}

static int parse_count(const char *opt, const char *arg, uint64_t min,
		       uint64_t max, uint64_t *out)
{
	if (tdxhp_parse_u64(arg, min, max, out)) {
		tdxhp_err("%s wants %llu to %llu, not '%s'", opt,
			  (unsigned long long)min, (unsigned long long)max, arg);
		return -1;
	}
	return 0;
}

static int parse_one(int opt, const char *arg, struct exporter_args *a)
{
	switch (opt) {
	case OPT_LISTEN:
		if (!http_addr_valid(arg)) {
			tdxhp_err("--web.listen-address wants HOST:PORT, [IPV6]:PORT or :PORT, not '%s'",
				  arg);
			return -1;
		}
		a->listen = arg;
		return 0;
	case OPT_PATH:
		if (arg[0] != '/' || strlen(arg) > 256 || !strcmp(arg, "/")) {
			tdxhp_err("--web.telemetry-path wants a path such as /metrics, not '%s'",
				  arg);
			return -1;
		}
		a->path = arg;
		return 0;
	case OPT_WEB_CONFIG:
		a->web_config = arg;
		return 0;
	case OPT_MAX_CONNS:
		return parse_count("--web.max-connections", arg, 4, 10000,
				   &a->max_conns);
	case OPT_CONN_TIMEOUT:
		return parse_count("--web.connection-timeout", arg, 1, 3600,
				   &a->timeout_s);
	case OPT_HEADER_TIMEOUT:
		return parse_duration("--web.read-header-timeout", arg,
				      100000000ULL, &a->header_timeout_ns);
	case OPT_THREADS:
		return parse_count("--web.threads", arg, 1, 64, &a->threads);
	case OPT_MIN_INTERVAL:
		return parse_duration("--collector.min-interval", arg, 0,
				      &a->min_interval_ns);
	case OPT_STORM_ACTIVE:
		return parse_duration("--collector.storm-active", arg, 1,
				      &a->storm_active_ns);
	case OPT_BPF_STATS:
		a->bpf_stats = true;
		return 0;
	case OPT_RUNAS:
		return runas_lookup(arg, &a->runas);
	case 'h':
		usage(stdout);
		exit(0);
	}
	return 1;
}

static int parse_args(int argc, char **argv, struct exporter_args *a)
{
	static const struct option longopts[] = {
		{ "web.listen-address", required_argument, NULL, OPT_LISTEN },
		{ "web.telemetry-path", required_argument, NULL, OPT_PATH },
		{ "web.config.file", required_argument, NULL, OPT_WEB_CONFIG },
		{ "web.max-connections", required_argument, NULL, OPT_MAX_CONNS },
		{ "web.connection-timeout", required_argument, NULL,
		  OPT_CONN_TIMEOUT },
		{ "web.read-header-timeout", required_argument, NULL,
		  OPT_HEADER_TIMEOUT },
		{ "web.threads", required_argument, NULL, OPT_THREADS },
		{ "collector.min-interval", required_argument, NULL,
		  OPT_MIN_INTERVAL },
		{ "collector.storm-active", required_argument, NULL,
		  OPT_STORM_ACTIVE },
		{ "collector.bpf-stats", no_argument, NULL, OPT_BPF_STATS },
		{ "runas", required_argument, NULL, OPT_RUNAS },
		TDXHP_CLI_LONGOPTS,
		{ 0 },
	};
	int opt, r;

	a->listen = DEFAULT_LISTEN;
	a->path = "/metrics";
	a->max_conns = 64;
	a->timeout_s = 10;
	a->header_timeout_ns = 5000000000ULL;
	a->threads = 2;
	a->min_interval_ns = 1000000000ULL;
	a->storm_active_ns = 15000000000ULL;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "vVh", longopts, NULL)) != -1) {
		r = tdxhp_cli_parse(opt, optarg, &a->cli);
		if (r < 0)
			return -1;
		if (r > 0)
			continue;
		r = parse_one(opt, optarg, a);
		if (r < 0)
			return -1;
		if (r > 0) {
			tdxhp_cli_bad_option(argv);
			return -1;
		}
	}
	if (optind < argc) {
		tdxhp_err("unexpected argument '%s'", argv[optind]);
		return -1;
	}
	return 0;
}

/* Everything that needs privilege happens here, before the drop. */
struct exporter {
	struct exporter_args a;
	struct web_config wc;
	struct auth *auth;
	int listen_fd;
	int stats_fd;
	struct tdxhp t;
	bool loaded;
	struct tdxhp_sim *sim;
	struct collector *c;
	struct http *http;
};

static int setup_privileged(struct exporter *e)
{
	if (e->a.web_config && web_config_load(e->a.web_config, &e->wc))
		return -1;
	if (e->wc.nr_users) {
		e->auth = auth_new(&e->wc);
		if (!e->auth) {
			tdxhp_err("out of memory");
			return -1;
		}
	}
	e->listen_fd = http_listen(e->a.listen);
	if (e->listen_fd < 0)
		return -1;
	if (tdxhp_cli_open(&e->a.cli, &e->t, &e->sim))
		return -1;
	e->loaded = true;
	/*
	 * Loading parsed the kernel's BTF (megabytes) and freed it: give that
	 * memory back to the system instead of keeping it resident for the
	 * exporter's whole life.
	 */
	malloc_trim(0);
	if (e->a.bpf_stats) {
		e->stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
		if (e->stats_fd < 0) {
			tdxhp_err("--collector.bpf-stats: %s", strerror(errno));
			return -1;
		}
	}
	return 0;
}

static int start_serving(struct exporter *e)
{
	struct collector_opts co = {
		.min_interval_ns = e->a.min_interval_ns,
		.storm_active_ns = e->a.storm_active_ns,
		.bpf_stats_held = e->stats_fd >= 0,
	};
	struct http_opts ho = {
		.listen_fd = e->listen_fd,
		.telemetry_path = e->a.path,
		.wc = &e->wc,
		.auth = e->auth,
		.threads = (unsigned int)e->a.threads,
		.max_conns = (unsigned int)e->a.max_conns,
		.idle_timeout_ns = e->a.timeout_s * 1000000000ULL,
		.header_timeout_ns = e->a.header_timeout_ns,
		.max_requests = 1000,
		.verbose = e->a.cli.load.verbose,
	};

	if (e->sim) {
		co.scenario = tdxhp_sim_scenario(e->sim);
		co.seed = e->a.cli.sim.seed;
		ho.sim_label = tdxhp_sim_label(e->sim);
	}
	e->c = collector_new(&e->t, &co);
	if (!e->c) {
		tdxhp_err("out of memory");
		return -1;
	}
	ho.c = e->c;
	/* --sim-ticks: a frozen picture, the simulator stops after it. */
	if (e->sim && e->a.cli.sim_ticks) {
		tdxhp_sim_run_ticks(e->sim, e->a.cli.sim_ticks);
		malloc_trim(0);
	} else if (e->sim && tdxhp_sim_start(e->sim))
		return -1;
	e->http = http_start(&ho);
	if (!e->http)
		return -1;
	fprintf(stderr, "%s: serving %s on %s%s%s%s%s\n", tdxhp_prog_name,
		e->a.path, e->a.listen, e->wc.tls ? " with TLS" : "",
		e->sim ? " (SIMULATED DATA: " : "",
		e->sim ? tdxhp_sim_label(e->sim) : "", e->sim ? ")" : "");
	return 0;
}

static void teardown(struct exporter *e)
{
	http_stop(e->http);
	tdxhp_sim_free(e->sim);
	collector_free(e->c);
	if (e->loaded)
		tdxhp_close(&e->t);
	if (e->stats_fd >= 0)
		close(e->stats_fd);
	if (e->listen_fd >= 0)
		close(e->listen_fd);
	auth_free(e->auth);
	web_config_free(&e->wc);
}

int main(int argc, char **argv)
{
	/*
	 * Bodies are megabytes and replaced every interval: keep them in
	 * their own mappings, so a freed one goes back to the system instead
	 * of staying resident in a malloc arena (glibc would otherwise raise
	 * its mmap threshold after the first free), and cap the arenas.
	 */
	mallopt(M_MMAP_THRESHOLD, 256 * 1024);
	mallopt(M_ARENA_MAX, 2);

	struct exporter e = { .listen_fd = -1, .stats_fd = -1 };
	sigset_t stop;
	int sig = 0, ret = 1;

	tdxhp_prog_name = "tdxhp-exporter";
	if (parse_args(argc, argv, &e.a))
		return 2;
	/* Threads inherit the mask: only sigwait() below sees these. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);

	/* Capabilities are per thread: drop them before any thread starts. */
	if (!setup_privileged(&e) && !caps_drop_all(&e.a.runas) &&
	    !start_serving(&e)) {
		sigwait(&stop, &sig);
		ret = 0;
	}
	teardown(&e);
	return ret;
}
