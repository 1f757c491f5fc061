// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * tdxhp-top: a live per-TD view of TDX private memory mappings, splits and
 * storms, in the spirit of kvm_stat and top.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "top/screen.h"
#include "top/state.h"
#include "util.h"

struct top_args {
	struct tdxhp_cli cli;
	bool batch;
	bool json;
	uint64_t count;
	double delay_s;
	enum top_col sort;
	bool reverse;
	const char *filter;
	bool cpu_stats;
};


static void usage(FILE *f)
{
	fprintf(f,
		"Usage: tdxhp-top [OPTIONS]\n"
		"Live per-TD view of TDX private memory: 2M coverage, splits, storms.\n"
		"\n"
		"  -b, --batch           plain text, one table per refresh (like top -b)\n"
		"  -j, --json            one JSON object per refresh\n"
		"  -n, --iterations N    stop after N refreshes\n"
		"  -d, --delay SECONDS   refresh interval (default 1)\n"
		"  -s, --sort COLUMN     td, pid, hkid, priv4k, priv2m, 2m%%, aug4k/s,\n"
		"                        aug2m/s, split/s, spl50, spl99, busy/s, ign/s, err\n"
		"                        (default priv2m)\n"
		"  -r, --reverse         reverse the sort\n"
		"  -f, --filter REGEX    only TDs whose name matches\n"
		"      --cpu-stats       print the CPU time of each refresh on exit\n");
	tdxhp_cli_usage(f);
	fprintf(f, "\nKeys: h in the live view.\n");
}

static int parse_sort(const char *name, enum top_col *out)
{
	for (int c = 0; c < NR_COLS; c++) {
		if (!strcasecmp(name, top_cols[c].title)) {
			*out = (enum top_col)c;
			return 0;
		}
	}
	tdxhp_err("unknown sort column '%s' (see --help)", name);
	return -1;
}

static int parse_args(int argc, char **argv, struct top_args *a)
{
	static const struct option longopts[] = {
		{ "batch", no_argument, NULL, 'b' },
		{ "json", no_argument, NULL, 'j' },
		{ "iterations", required_argument, NULL, 'n' },
		{ "delay", required_argument, NULL, 'd' },
		{ "sort", required_argument, NULL, 's' },
		{ "reverse", no_argument, NULL, 'r' },
		{ "filter", required_argument, NULL, 'f' },
		{ "cpu-stats", no_argument, NULL, 'C' },
		TDXHP_CLI_LONGOPTS,
		{ 0 },
	};
	char *end;
	int opt, r;

	a->delay_s = 1;
	a->sort = COL_2M;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "bjn:d:s:rf:vVh", longopts,
				  NULL)) != -1) {
		r = tdxhp_cli_parse(opt, optarg, &a->cli);
		if (r < 0)
			return -1;
		if (r > 0)
			continue;
		switch (opt) {
		case 'b':
			a->batch = true;
			break;
		case 'j':
			a->json = true;
			break;
		case 'n':
			if (tdxhp_parse_u64(optarg, 1, UINT32_MAX, &a->count)) {
				tdxhp_err("--iterations wants a whole number from 1, not '%s'",
					  optarg);
				return -1;
			}
			break;
		case 'd':
			a->delay_s = strtod(optarg, &end);
			if (*end || !(a->delay_s >= 0.1 && a->delay_s <= 3600)) {
				tdxhp_err("--delay wants 0.1 to 3600 seconds, not '%s'",
					  optarg);
				return -1;
			}
			break;
		case 's':
			if (parse_sort(optarg, &a->sort))
				return -1;
			break;
		case 'r':
			a->reverse = true;
			break;
		case 'f':
			a->filter = optarg;
			break;
		case 'C':
			a->cpu_stats = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			tdxhp_cli_bad_option(argv);
			return -1;
		}
	}
	if (tdxhp_cli_no_more_args(argc, argv))
		return -1;
	if (!a->batch && !a->json && !isatty(STDOUT_FILENO)) {
		tdxhp_err("standard output is not a terminal: use -b for text or -j for JSON");
		return -1;
	}
	return tdxhp_cli_validate(&a->cli);
}

int top_rebuild(struct top_state *s)
{
	const struct tdxhp_snapshot *base = s->have_base ? &s->base : NULL;

	return top_rows_build(&s->rows, top_cur(s), top_prev(s), base, s->dt_s,
			      &s->vo);
}

int top_refresh(struct top_state *s)
{
	int err;

	/* Frozen: the simulated interval stays the one we show. */
	if (!s->frozen)
		s->cur = !s->cur;
	err = tdxhp_snapshot_read(s->t, &s->snaps[s->cur]);
	if (err)
		return err;
	if (!s->frozen)
		s->dt_s = (double)(top_cur(s)->ts_ns - top_prev(s)->ts_ns) / 1e9;
	kvm_pages_read(&s->kvm, NULL);
	s->refreshes++;
	return top_rebuild(s);
}

int top_reset(struct top_state *s)
{
	const struct tdxhp_snapshot *cur = top_cur(s);

	if (!s->have_base && tdxhp_snapshot_init(&s->base, s->t))
		return -ENOMEM;
	s->have_base = true;
	memcpy(s->base.tds, cur->tds, cur->nr_tds * sizeof(*cur->tds));
	s->base.nr_tds = cur->nr_tds;
	s->base.ts_ns = cur->ts_ns;
	return 0;
}

/*
 * Start the data source.  Live: read the baseline into the slot the first
 * refresh turns into "previous".  Frozen: the baseline stays previous and
 * the simulated interval is read as current right away.
 */
static int prime(struct top_state *s, const struct top_args *a)
{
	bool frozen = s->sim && a->cli.sim_ticks;
	int err = tdxhp_snapshot_read(s->t, &s->snaps[frozen ? !s->cur : s->cur]);

	if (err)
		return err;
	if (frozen) {
		uint64_t failed = tdxhp_sim_run_ticks(s->sim, a->cli.sim_ticks);

		if (failed)
			tdxhp_err("warning: %llu simulated events could not be fed",
				  (unsigned long long)failed);
		s->frozen = true;
		s->dt_s = (double)a->cli.sim_ticks * 0.01;
		return top_refresh(s);
	}
	if (s->sim && tdxhp_sim_start(s->sim))
		return -1;
	return 0;
}

static double thread_cpu_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int run_batch(struct top_state *s, const struct top_args *a)
{
	int err = 0;

	for (uint64_t n = 0; !tdxhp_stop && (!a->count || n < a->count); n++) {
		if (!s->frozen || n) {
			struct timespec d = {
				.tv_sec = (time_t)s->delay_s,
				.tv_nsec = (long)((s->delay_s - (double)(time_t)s->delay_s) * 1e9),
			};

			if (!s->frozen || n)
				nanosleep(&d, NULL);
			if (tdxhp_stop)
				break;
			err = top_refresh(s);
			if (err)
				break;
		}
		if (a->json)
			top_print_json(s);
		else
			top_print_batch(s);
	}
	return err;
}

int main(int argc, char **argv)
{
	struct top_args a = { 0 };
	struct top_state s = { 0 };
	struct tdxhp t;
	double cpu0;
	int err;

	tdxhp_prog_name = "tdxhp-top";
	if (parse_args(argc, argv, &a))
		return 2;
	s.delay_s = a.delay_s;
	s.vo.sort = a.sort;
	s.vo.reverse = a.reverse;
	s.vo.storm_active_ns = 10000000000ULL;
	if (a.filter) {
		if (regcomp(&s.filter_re, a.filter, REG_EXTENDED | REG_NOSUB)) {
			tdxhp_err("--filter: invalid regular expression '%s'",
				  a.filter);
			return 2;
		}
		snprintf(s.filter_text, sizeof(s.filter_text), "%s", a.filter);
		s.vo.filter = &s.filter_re;
	}
	tdxhp_stop_on_signals();

	if (tdxhp_cli_open(&a.cli, &t, &s.sim))
		return 1;
	s.t = &t;
	snprintf(s.source, sizeof(s.source), "%s",
		 s.sim ? tdxhp_sim_label(s.sim) : "live");
	/* A frozen picture is the end of its simulated run: its storms stay active. */
	if (s.sim && a.cli.sim_ticks)
		s.vo.storm_active_ns = UINT64_MAX;
	err = tdxhp_snapshot_init(&s.snaps[0], &t) ||
	      tdxhp_snapshot_init(&s.snaps[1], &t);
	if (err) {
		tdxhp_err("out of memory");
		goto out;
	}
	err = prime(&s, &a);
	if (err)
		goto out;
	cpu0 = thread_cpu_ms();
	if (a.batch || a.json) {
		err = run_batch(&s, &a);
	} else {
		err = s.frozen ? 0 : top_refresh(&s);
		if (err)
			goto out;
		err = screen_begin();
		if (err) {
			tdxhp_err("cannot use the terminal (TERM=%s)",
				  getenv("TERM") ? getenv("TERM") : "unset");
			goto out;
		}
		err = screen_loop(&s);
		screen_end();
	}
	if (a.cpu_stats && s.refreshes)
		fprintf(stderr, "tdxhp-top: %u refreshes, %.3f ms CPU per refresh (main thread), %u TDs\n",
			s.refreshes, (thread_cpu_ms() - cpu0) / s.refreshes,
			top_cur(&s)->nr_tds);
out:
	tdxhp_sim_free(s.sim);
	top_rows_free(&s.rows);
	tdxhp_snapshot_free(&s.snaps[0]);
	tdxhp_snapshot_free(&s.snaps[1]);
	if (s.have_base)
		tdxhp_snapshot_free(&s.base);
	if (s.filter_text[0])
		regfree(&s.filter_re);
	tdxhp_close(&t);
	return err ? 1 : 0;
}
