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
#include "sources.h"
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
	const char *read_path;
	double speed;
	bool step;
};

enum { OPT_SPEED = 0x2000, OPT_STEP };


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
		"  -R, --reverse         reverse the sort\n"
		"  -r, --read FILE       replay a recording (tdxhp-trace -w) instead of\n"
		"                        the live maps, at its recorded speed\n"
		"      --speed N         replay N times faster (0.01 to 10000)\n"
		"      --step            replay one interval per key (n); with -b all\n"
		"                        intervals at once\n"
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
		{ "reverse", no_argument, NULL, 'R' },
		{ "read", required_argument, NULL, 'r' },
		{ "speed", required_argument, NULL, OPT_SPEED },
		{ "step", no_argument, NULL, OPT_STEP },
		{ "filter", required_argument, NULL, 'f' },
		{ "cpu-stats", no_argument, NULL, 'C' },
		TDXHP_CLI_LONGOPTS,
		{ 0 },
	};
	char *end;
	int opt, r;

	a->delay_s = 1;
	a->speed = 1;
	a->sort = COL_2M;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "bjn:d:s:Rr:f:vVh", longopts,
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
		case 'R':
			a->reverse = true;
			break;
		case 'r':
			a->read_path = optarg;
			break;
		case OPT_SPEED:
			a->speed = strtod(optarg, &end);
			if (*end || !(a->speed >= 0.01 && a->speed <= 10000)) {
				tdxhp_err("--speed wants 0.01 to 10000, not '%s'", optarg);
				return -1;
			}
			break;
		case OPT_STEP:
			a->step = true;
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
	if (a->read_path && a->cli.simulate) {
		tdxhp_err("--read replays a recording: it takes no --simulate");
		return -1;
	}
	if (!a->read_path && (a->step || a->speed != 1)) {
		tdxhp_err("--speed and --step replay a recording: give it with -r FILE");
		return -1;
	}
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

/* The next interval of a replay: events up to one delay later, recorded time. */
static int replay_refresh(struct top_state *s)
{
	struct tdxhp_snapshot *snap;
	int err;

	s->cur = !s->cur;
	snap = &s->snaps[s->cur];
	s->replay_pos_ns += (uint64_t)(s->delay_s * 1e9);
	tdxhp_replay_advance(s->rp, s->replay_pos_ns);
	if (tdxhp_replay_done(s->rp))
		s->replay_end = true;
	err = tdxhp_replay_snapshot(s->rp, snap);
	if (err)
		return err;
	snap->ts_ns = s->replay_pos_ns;
	s->dt_s = s->delay_s;
	s->refreshes++;
	snprintf(s->source, sizeof(s->source), "%s at %.1f s of the recording, %gx%s",
		 s->rp->path,
		 (double)(s->replay_pos_ns - s->rp->first_ts_ns) / 1e9, s->speed,
		 s->replay_end ? ", end" : "");
	return top_rebuild(s);
}

int top_refresh(struct top_state *s)
{
	int err;

	if (s->rp)
		return replay_refresh(s);
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

	if (!s->t && s->base.cap < cur->nr_tds) {
		void *p = realloc(s->base.tds, cur->nr_tds * sizeof(*cur->tds));

		if (!p)
			return -ENOMEM;
		s->base.tds = p;
		s->base.cap = cur->nr_tds;
	} else if (s->t && !s->have_base && tdxhp_snapshot_init(&s->base, s->t)) {
		return -ENOMEM;
	}
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
static int prime_replay(struct top_state *s)
{
	uint64_t first = tdxhp_replay_peek_ns(s->rp);

	s->rp->first_ts_ns = first;
	s->replay_pos_ns = first ? first - 1 : 0;
	snprintf(s->source, sizeof(s->source), "%s", s->rp->path);
	if (tdxhp_replay_snapshot(s->rp, &s->snaps[s->cur]))
		return -ENOMEM;
	s->snaps[s->cur].ts_ns = s->replay_pos_ns;
	return 0;
}

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
	double wait_s = s->step ? 0 : top_wall_interval_s(s);
	int err = 0;

	for (uint64_t n = 0; !tdxhp_stop && (!a->count || n < a->count); n++) {
		if (s->replay_end)
			break;
		if (!s->frozen || n) {
			struct timespec d = {
				.tv_sec = (time_t)wait_s,
				.tv_nsec = (long)((wait_s - (double)(time_t)wait_s) * 1e9),
			};

			if (wait_s > 0)
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

static int show(struct top_state *s, const struct top_args *a)
{
	double cpu0 = thread_cpu_ms();
	int err;

	if (a->batch || a->json) {
		err = run_batch(s, a);
	} else {
		err = s->frozen ? 0 : top_refresh(s);
		if (err)
			return err;
		err = screen_begin();
		if (err) {
			tdxhp_err("cannot use the terminal (TERM=%s)",
				  getenv("TERM") ? getenv("TERM") : "unset");
			return err;
		}
		err = screen_loop(s);
		screen_end();
	}
	if (a->cpu_stats && s->refreshes)
		fprintf(stderr, "tdxhp-top: %u refreshes, %.3f ms CPU per refresh (main thread), %u TDs\n",
			s->refreshes, (thread_cpu_ms() - cpu0) / s->refreshes,
			top_cur(s)->nr_tds);
	return err;
}

/* -r FILE: the same views over a recording, no BPF. */
static int run_replay(struct top_state *s, const struct top_args *a)
{
	struct tdxhp_replay *rp = calloc(1, sizeof(*rp));
	int err, damage;

	if (!rp)
		return -ENOMEM;
	if (tdxhp_replay_open(rp, a->read_path, a->cli.load.storm_hits,
			      a->cli.load.storm_window_ns)) {
		free(rp);
		return -EINVAL;
	}
	s->rp = rp;
	s->speed = a->speed;
	s->step = a->step;
	s->vo.recorded_clock = true;
	err = prime_replay(s);
	if (!err)
		err = show(s, a);
	damage = tdxhp_replay_report_end(rp, stderr, tdxhp_prog_name);
	if (!err && (damage < 0 || damage == TDXHP_REC_CORRUPT) &&
	    s->replay_end)
		err = -EINVAL;
	tdxhp_replay_close(rp);
	free(rp);
	s->rp = NULL;
	return err;
}

int main(int argc, char **argv)
{
	struct top_args a = { 0 };
	struct top_state s = { 0 };
	struct tdxhp t;
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
	memset(&t, 0, sizeof(t));
	if (a.read_path) {
		err = run_replay(&s, &a);
		goto out_replay;
	}

	if (tdxhp_cli_open(&a.cli, &t, &s.sim))
		return 1;
	s.t = &t;
	if (s.sim) {
		snprintf(s.source, sizeof(s.source), "%s", tdxhp_sim_label(s.sim));
	} else {
		char what[128];

		tdxhp_sources_summary(&t, what, sizeof(what));
		snprintf(s.source, sizeof(s.source), "live: %s", what);
	}
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
	err = show(&s, &a);
out:
	tdxhp_close(&t);
out_replay:
	tdxhp_sim_free(s.sim);
	top_rows_free(&s.rows);
	tdxhp_snapshot_free(&s.snaps[0]);
	tdxhp_snapshot_free(&s.snaps[1]);
	if (s.have_base)
		tdxhp_snapshot_free(&s.base);
	if (s.filter_text[0])
		regfree(&s.filter_re);
	return err ? 1 : 0;
}
