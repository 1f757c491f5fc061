// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "run.h"
#include "screen.h"
#include "util.h"

static double thread_cpu_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void sleep_s(double s)
{
	struct timespec d = {
		.tv_sec = (time_t)s,
		.tv_nsec = (long)((s - (double)(time_t)s) * 1e9),
	};

	if (s > 0)
		nanosleep(&d, NULL);
}

static int run_batch(struct top_state *s, const struct top_run_opts *o)
{
	double wait_s = s->step ? 0 : top_wall_interval_s(s);
	int err = 0;

	for (uint64_t n = 0; !tdxhp_stop && (!o->count || n < o->count); n++) {
		if (s->replay_end)
			break;
		/* A frozen picture is already read: show it first. */
		if (!s->frozen || n) {
			sleep_s(wait_s);
			if (tdxhp_stop)
				break;
			err = top_refresh(s);
			if (err)
				break;
		}
		if (o->json)
			top_print_json(s);
		else
			top_print_batch(s);
	}
	return err;
}

static int run_screen(struct top_state *s)
{
	int err = s->frozen ? 0 : top_refresh(s);

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
	return err;
}

int top_run(struct top_state *s, const struct top_run_opts *o)
{
	double cpu0 = thread_cpu_ms();
	int err = o->batch || o->json ? run_batch(s, o) : run_screen(s);

	if (o->cpu_stats && s->refreshes)
		fprintf(stderr,
			"tdxhp-top: %u refreshes, %.3f ms CPU per refresh (main thread), %u TDs\n",
			s->refreshes, (thread_cpu_ms() - cpu0) / s->refreshes,
			top_cur(s)->nr_tds);
	return err;
}
