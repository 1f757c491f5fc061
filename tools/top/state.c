// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * tdxhp-top's data: two snapshots (current and previous) of the maps or
 * of a replayed recording, an optional reset point, and the rows built
 * from them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "next.h"
#include "sources.h"
#include "state.h"
#include "util.h"

/* A storm seen this recently is active. */
#define STORM_ACTIVE_NS 10000000000ULL

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
	snprintf(s->source, sizeof(s->source),
		 "%s at %.1f s of the recording, %gx%s", s->rp->path,
		 (double)(s->replay_pos_ns - s->rp->first_ts_ns) / 1e9,
		 s->speed, s->replay_end ? ", end" : "");
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
		s->dt_s =
			(double)(top_cur(s)->ts_ns - top_prev(s)->ts_ns) / 1e9;
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
	} else if (s->t && !s->have_base &&
		   tdxhp_snapshot_init(&s->base, s->t)) {
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

static int prime(struct top_state *s, uint64_t sim_ticks)
{
	bool frozen = s->sim && sim_ticks;
	int err =
		tdxhp_snapshot_read(s->t, &s->snaps[frozen ? !s->cur : s->cur]);

	if (err)
		return err;
	if (frozen) {
		uint64_t failed = tdxhp_sim_run_ticks(s->sim, sim_ticks);

		if (failed)
			tdxhp_err(
				"warning: %llu simulated events could not be fed",
				(unsigned long long)failed);
		s->frozen = true;
		s->dt_s = (double)sim_ticks * 0.01;
		return top_refresh(s);
	}
	if (s->sim && tdxhp_sim_start(s->sim))
		return -1;
	return 0;
}

/* -r FILE: the same views over a recording, no BPF. */
static int open_replay(struct top_state *s, const struct top_config *c)
{
	struct tdxhp_replay *rp = calloc(1, sizeof(*rp));

	if (!rp)
		return -ENOMEM;
	if (tdxhp_replay_open(rp, c->read_path, c->cli->load.storm_hits,
			      c->cli->load.storm_window_ns)) {
		free(rp);
		return -EINVAL;
	}
	s->rp = rp;
	s->speed = c->speed;
	s->step = c->step;
	s->vo.recorded_clock = true;
	return prime_replay(s);
}

static int open_maps(struct top_state *s, const struct top_config *c)
{
	int err = tdxhp_cli_open(c->cli, &s->t_storage, &s->sim);

	if (err)
		return err;
	s->t = &s->t_storage;
	if (s->sim) {
		snprintf(s->source, sizeof(s->source), "%s",
			 tdxhp_sim_label(s->sim));
	} else {
		char what[128];

		tdxhp_sources_summary(s->t, what, sizeof(what));
		snprintf(s->source, sizeof(s->source), "live: %s", what);
	}
	/* A frozen picture is the end of its simulated run: its storms stay active. */
	if (s->sim && c->cli->sim_ticks)
		s->vo.storm_active_ns = UINT64_MAX;
	if (tdxhp_snapshot_init(&s->snaps[0], s->t) ||
	    tdxhp_snapshot_init(&s->snaps[1], s->t)) {
		tdxhp_err("out of memory");
		return -ENOMEM;
	}
	return prime(s, c->cli->sim_ticks);
}

int top_state_open(struct top_state *s, struct top_config *c)
{
	int err;

	memset(s, 0, sizeof(*s));
	s->delay_s = c->delay_s;
	s->machine_col = c->machine_col;
	s->vo.sort = c->sort;
	s->vo.reverse = c->reverse;
	s->vo.storm_active_ns = STORM_ACTIVE_NS;
	/* The state owns the filter (and its regex) from here on. */
	s->filter = c->cli->filter;
	memset(&c->cli->filter, 0, sizeof(c->cli->filter));
	s->vo.filter = &s->filter;
	if (s->filter.has_name && c->filter_text)
		snprintf(s->filter_text, sizeof(s->filter_text), "%s",
			 c->filter_text);
	err = c->read_path ? open_replay(s, c) : open_maps(s, c);
	top_next_init(s, c);
	return err;
}

int top_state_close(struct top_state *s, int err)
{
	if (s->rp) {
		int damage =
			tdxhp_replay_report_end(s->rp, stderr, tdxhp_prog_name);

		if (!err && (damage < 0 || damage == TDXHP_REC_CORRUPT) &&
		    s->replay_end)
			err = -EINVAL;
		tdxhp_replay_close(s->rp);
		free(s->rp);
		s->rp = NULL;
	}
	if (s->t)
		tdxhp_close(s->t);
	s->t = NULL;
	tdxhp_sim_free(s->sim);
	s->sim = NULL;
	top_rows_free(&s->rows);
	tdxhp_snapshot_free(&s->snaps[0]);
	tdxhp_snapshot_free(&s->snaps[1]);
	if (s->have_base)
		tdxhp_snapshot_free(&s->base);
	s->have_base = false;
	tdxhp_td_filter_free(&s->filter);
	return err;
}

double top_wall_interval_s(const struct top_state *s)
{
	return s->rp ? s->delay_s / s->speed : s->delay_s;
}

void top_clock(const struct top_state *s, char *buf, size_t len)
{
	int64_t real;
	time_t sec;
	struct tm tm;

	if (!s->rp) {
		tdxhp_format_clock(top_cur(s)->ts_ns, buf, len);
		return;
	}
	real = (int64_t)top_cur(s)->ts_ns + s->rp->rd.h.mono_to_real_ns;
	sec = (time_t)(real / 1000000000LL);
	localtime_r(&sec, &tm);
	strftime(buf, len, "%H:%M:%S", &tm);
}

const char *top_mode(const struct top_state *s)
{
	if (s->sim)
		return "SIMULATED: ";
	if (s->rp)
		return tdxhp_replay_simulated(s->rp) ?
			       "REPLAY (SIMULATED DATA): " :
			       "REPLAY: ";
	return "LIVE";
}

bool top_simulated(const struct top_state *s)
{
	return s->sim || (s->rp && tdxhp_replay_simulated(s->rp));
}

void top_shown_text(const struct top_state *s, unsigned int shown, char *buf,
		    size_t len)
{
	unsigned int all = s->rows.tot.tds;

	/* Filtered and scrolled: how many there are to scroll through. */
	if (s->rows.nr < all && shown < s->rows.nr)
		snprintf(buf, len, "%u of %u TDs shown (%u match)", shown, all,
			 s->rows.nr);
	else
		snprintf(buf, len, "%u of %u TDs shown", shown, all);
}
