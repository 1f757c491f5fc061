// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * tdxhp-exporter: Prometheus metrics of KVM TDX huge pages, per TD and per
 * host, served over HTTP(S) with node_exporter-style flags and logs.
 */
#include <errno.h>
#include <malloc.h>
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
#include "flags.h"
#include "http.h"
#include "log.h"
#include "response.h"
#include "sdlisten.h"
#include "sources.h"
#include "util.h"
#include "webconfig.h"

/* Everything that needs privilege happens here, before the drop. */
struct exporter {
	struct exporter_args a;
	struct web_config wc;
	struct auth *auth;
	int listen_fds[HTTP_MAX_LISTEN];
	unsigned int nr_listen;
	int stats_fd;
	struct tdxhp t;
	bool loaded;
	struct tdxhp_sim *sim;
	struct collector *c;
	struct http *http;
};

static int open_listeners(struct exporter *e)
{
	int n;

	if (e->a.systemd_socket) {
		log_info(
			"Listening on systemd activated listeners instead of port listeners.");
		if (e->a.listen_given)
			log_warn(
				"--web.listen-address is ignored with --web.systemd-socket: the socket unit's ListenStream= sets the address");
		n = sd_listen_sockets(e->listen_fds, HTTP_MAX_LISTEN);
		if (n < 0)
			return -1;
		e->nr_listen = (unsigned int)n;
		return 0;
	}
	for (unsigned int i = 0; i < e->a.nr_listen; i++) {
		int fd = http_listen(e->a.listen[i]);

		if (fd < 0)
			return -1;
		e->listen_fds[e->nr_listen++] = fd;
	}
	return 0;
}

/* Which source feeds each event: the first thing to check on a new host. */
static void log_sources(const struct tdxhp *t)
{
	char what[256];

	tdxhp_describe_instance(t, what, sizeof(what));
	log_info("Using BPF instance", "instance", what, "simulated",
		 t->simulated ? "true" : "false");
	for (int ev = 0; ev < TDXHP_NR_EVENTS; ev++) {
		tdxhp_source_detail(ev, &t->info, what, sizeof(what));
		log_info("Event source", "event", tdxhp_event_name(ev),
			 "source", t->simulated ? "simulated" : what);
	}
}

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
	if (open_listeners(e))
		return -1;
	if (tdxhp_cli_open(&e->a.cli, &e->t, &e->sim))
		return -1;
	e->loaded = true;
	log_sources(&e->t);
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

/* As exporter-toolkit says it, once per listener. */
static void log_listeners(const struct exporter *e)
{
	char addr[128];

	for (unsigned int i = 0; i < e->nr_listen; i++) {
		http_socket_name(e->listen_fds[i], addr, sizeof(addr));
		log_info("Listening on", "address", addr);
		log_info(e->wc.tls ? "TLS is enabled." : "TLS is disabled.",
			 "http2", "false", "address", addr);
	}
	if (e->wc.http2)
		log_warn(
			"http_server_config: http2 is not supported, serving HTTP/1.1 (Prometheus scrapes over HTTP/1.1)");
}

static int start_serving(struct exporter *e)
{
	struct collector_opts co = {
		.min_interval_ns = e->a.min_interval_ns,
		.storm_active_ns = e->a.storm_active_ns,
		.bpf_stats_held = e->stats_fd >= 0,
	};
	struct http_opts ho = {
		.nr_listen = e->nr_listen,
		.telemetry_path = e->a.path,
		.wc = &e->wc,
		.auth = e->auth,
		.threads = (unsigned int)e->a.threads,
		.max_conns = (unsigned int)e->a.max_conns,
		.idle_timeout_ns = e->a.timeout_s * 1000000000ULL,
		.header_timeout_ns = e->a.header_timeout_ns,
		.max_requests = 1000,
	};

	memcpy(ho.listen_fds, e->listen_fds, sizeof(ho.listen_fds));
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
	response_set_headers(e->wc.headers);
	/* --sim-ticks: a frozen picture, the simulator stops after it. */
	if (e->sim && e->a.cli.sim_ticks) {
		tdxhp_sim_run_ticks(e->sim, e->a.cli.sim_ticks);
		malloc_trim(0);
	} else if (e->sim && tdxhp_sim_start(e->sim))
		return -1;
	e->http = http_start(&ho);
	if (!e->http)
		return -1;
	log_listeners(e);
	if (e->sim)
		log_warn("SIMULATED DATA: no TDX host is traced", "scenario",
			 tdxhp_sim_label(e->sim));
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
	for (unsigned int i = 0; i < e->nr_listen; i++)
		close(e->listen_fds[i]);
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

	struct exporter e = { .stats_fd = -1 };
	sigset_t stop;
	int sig = 0, ret = 1;

	tdxhp_prog_name = "tdxhp-exporter";
	/* Bad usage is one plain line, as kingpin prints it: exit 2. */
	if (flags_parse(argc, argv, &e.a))
		return 2;
	/* -v asks for libbpf's lines, and the exporter's debug records. */
	if (e.a.cli.load.verbose && !e.a.log_level_given)
		e.a.log_level = LOG_DEBUG;
	log_setup((enum log_level)e.a.log_level,
		  (enum log_format)e.a.log_format);
	log_info("Starting tdxhp-exporter", "version", TDXHP_VERSION);
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
		log_info("Stopping", "signal",
			 sig == SIGINT ? "SIGINT" : "SIGTERM");
		ret = 0;
	}
	teardown(&e);
	return ret;
}
