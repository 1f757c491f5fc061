// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "collector.h"
#include "gzip.h"
#include "metrics.h"
#include "progstats.h"
#include "stats.h"
#include "util.h"

struct collector {
	struct tdxhp *t;
	struct collector_opts o;
	pthread_mutex_t lock; /* cur, cur_ns, refreshing */
	pthread_cond_t done; /* a collection finished */
	struct body *cur;
	uint64_t cur_ns;
	bool refreshing;
	/* Only the collecting thread touches these (refreshing is set). */
	struct tdxhp_snapshot snap;
	struct tdxhp_td_stats host_max;
	struct metrics_input in;
	size_t last_len[EXPO_NR_FORMATS];
	uint64_t requests[EXPO_NR_FORMATS]; /* atomic */
	uint64_t gzip_ns; /* atomic: the last gzip */
};

static double wall_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct collector *collector_new(struct tdxhp *t, const struct collector_opts *o)
{
	struct collector *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->t = t;
	c->o = *o;
	if (tdxhp_snapshot_init(&c->snap, t)) {
		free(c);
		return NULL;
	}
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->done, NULL);
	return c;
}

void collector_free(struct collector *c)
{
	if (!c)
		return;
	if (c->cur)
		body_put(c->cur);
	tdxhp_snapshot_free(&c->snap);
	pthread_mutex_destroy(&c->lock);
	pthread_cond_destroy(&c->done);
	free(c);
}

void collector_count_request(struct collector *c, enum expo_format fmt)
{
	__atomic_add_fetch(&c->requests[fmt], 1, __ATOMIC_RELAXED);
}

static void body_get(struct body *b)
{
	__atomic_add_fetch(&b->refs, 1, __ATOMIC_ACQ_REL);
}

void body_put(struct body *b)
{
	if (__atomic_sub_fetch(&b->refs, 1, __ATOMIC_ACQ_REL))
		return;
	for (int f = 0; f < EXPO_NR_FORMATS; f++) {
		free(b->form[f].plain);
		free(b->form[f].gz);
		pthread_mutex_destroy(&b->form[f].gz_lock);
	}
	free(b);
}

bool body_gzip(struct body *b, enum expo_format fmt, const char **data,
	       size_t *len)
{
	struct body_form *f = &b->form[fmt];

	pthread_mutex_lock(&f->gz_lock);
	if (!f->gz && !f->gz_failed) {
		uint64_t t0 = tdxhp_now_ns();

		f->gz_failed = !f->plain ||
			       gzip_compress(f->plain, f->plain_len, &f->gz,
					     &f->gz_len);
		__atomic_store_n(&b->c->gzip_ns, tdxhp_now_ns() - t0,
				 __ATOMIC_RELAXED);
	}
	pthread_mutex_unlock(&f->gz_lock);
	*data = f->gz;
	*len = f->gz_len;
	return !f->gz_failed;
}

/*
 * A counter that goes down is a reset to Prometheus.  Host totals can dip
 * for one read (a TD skipped as torn, or counted live and retired at once),
 * so export the highest value seen instead.
 */
static void keep_monotonic(struct tdxhp_td_stats *max,
			   const struct tdxhp_td_stats *cur)
{
	for (int i = 0; i < TDXHP_NR_COUNTERS; i++)
		if (cur->counters[i] > max->counters[i])
			max->counters[i] = cur->counters[i];
	for (int h = 0; h < TDXHP_NR_HISTS; h++) {
		for (int s = 0; s < TDXHP_HIST_SLOTS; s++)
			if (cur->hist[h].slots[s] > max->hist[h].slots[s])
				max->hist[h].slots[s] = cur->hist[h].slots[s];
		if (cur->hist[h].sum_ns > max->hist[h].sum_ns)
			max->hist[h].sum_ns = cur->hist[h].sum_ns;
	}
	memcpy(max->pages, cur->pages, sizeof(max->pages)); /* gauges */
}

static void gather(struct collector *c, uint64_t read_ns)
{
	struct metrics_input *in = &c->in;
	struct tdxhp_td_stats total;

	tdxhp_snapshot_host_total(&c->snap, &total);
	keep_monotonic(&c->host_max, &total);
	in->t = c->t;
	in->snap = &c->snap;
	in->host = &c->host_max;
	in->scenario = c->o.scenario;
	in->seed = c->o.seed;
	in->storm_active_ns = c->o.storm_active_ns;
	in->bpf_stats = c->o.bpf_stats_held || tdxhp_bpf_stats_enabled();
	for (int e = 0; in->bpf_stats && e < TDXHP_NR_EVENTS; e++)
		in->prog_ok[e] = !tdxhp_prog_stats(c->t, e, &in->progs[e]);
	in->self.collections++;
	for (int f = 0; f < EXPO_NR_FORMATS; f++)
		in->self.requests[f] =
			__atomic_load_n(&c->requests[f], __ATOMIC_RELAXED);
	in->self.torn_reads = c->snap.torn_reads;
	in->self.read_ns = read_ns;
	in->self.gzip_ns = __atomic_load_n(&c->gzip_ns, __ATOMIC_RELAXED);
	in->self.min_interval_ns = c->o.min_interval_ns;
	in->self.collected_at = wall_seconds();
	proc_self_read(&in->self.proc);
}

/* Render one format of the collection just read into b. */
static int render(struct collector *c, struct body *b, enum expo_format fmt)
{
	struct body_form *f = &b->form[fmt];
	size_t last = c->last_len[fmt];
	struct buf out;

	/* Size for last time's body plus some, so it rarely reallocates. */
	if (buf_init(&out, last + last / 8 + 4096))
		return -1;
	metrics_render(&out, fmt, &c->in);
	if (out.failed) {
		buf_free(&out);
		return -1;
	}
	f->plain = buf_steal(&out, &f->plain_len);
	f->made = true;
	c->last_len[fmt] = f->plain_len;
	return 0;
}

/*
 * Read the maps and render a new body in the formats of want (a bit per
 * format); NULL (message printed) on failure.
 */
static struct body *collect(struct collector *c, unsigned int want)
{
	uint64_t t0 = tdxhp_now_ns(), t1;
	struct body *b;

	if (tdxhp_snapshot_read(c->t, &c->snap))
		return NULL;
	t1 = tdxhp_now_ns();
	gather(c, t1 - t0);
	b = calloc(1, sizeof(*b));
	if (!b) {
		tdxhp_err("out of memory rendering metrics");
		return NULL;
	}
	b->refs = 1;
	b->c = c;
	for (int f = 0; f < EXPO_NR_FORMATS; f++)
		pthread_mutex_init(&b->form[f].gz_lock, NULL);
	for (int f = 0; f < EXPO_NR_FORMATS; f++) {
		if (!(want & 1U << f) || !render(c, b, (enum expo_format)f))
			continue;
		body_put(b);
		tdxhp_err("out of memory rendering metrics");
		return NULL;
	}
	c->in.self.render_ns = tdxhp_now_ns() - t1;
	return b;
}

/* The formats the last body served, and fmt: what the next one needs. */
static unsigned int wanted(const struct body *cur, enum expo_format fmt)
{
	unsigned int want = 1U << fmt;

	for (int f = 0; cur && f < EXPO_NR_FORMATS; f++)
		if (__atomic_load_n(&cur->form[f].served, __ATOMIC_RELAXED))
			want |= 1U << f;
	return want;
}

/*
 * If a format of the body we replace was served gzipped (Prometheus always
 * asks), compress the new one before publishing it: until then every other
 * request keeps getting the old one, instead of queueing on the first
 * compression of the new one.  When nobody asked for its plain form
 * (Prometheus never does), keep only the gzip form, a tenth of the size; a
 * plain request inflates it.
 */
static void pre_gzip(struct body *b, const struct body *old)
{
	for (int i = 0; old && i < EXPO_NR_FORMATS; i++) {
		enum expo_format fmt = (enum expo_format)i;
		struct body_form *f = &b->form[fmt];
		const char *data;
		size_t len;

		if (!f->made || !old->form[fmt].gz)
			continue;
		if (body_gzip(b, fmt, &data, &len) &&
		    !__atomic_load_n(&old->form[fmt].plain_served,
				     __ATOMIC_RELAXED)) {
			free(f->plain);
			f->plain = NULL;
		}
	}
}

struct body *collector_get(struct collector *c, enum expo_format fmt)
{
	struct body *b, *old = NULL;
	uint64_t now = tdxhp_now_ns();
	unsigned int want;

	pthread_mutex_lock(&c->lock);
	for (;;) {
		b = c->cur;
		if (b && b->form[fmt].made &&
		    (now - c->cur_ns < c->o.min_interval_ns || c->refreshing)) {
			/* Fresh enough, or being refreshed: share it. */
			body_get(b);
			__atomic_add_fetch(&b->form[fmt].served, 1,
					   __ATOMIC_RELAXED);
			pthread_mutex_unlock(&c->lock);
			return b;
		}
		if (!c->refreshing)
			break;
		/* The very first body, or one without this format. */
		pthread_cond_wait(&c->done, &c->lock);
		now = tdxhp_now_ns();
	}
	c->refreshing = true;
	want = wanted(c->cur, fmt);
	pthread_mutex_unlock(&c->lock);

	/* Only this thread changes c->cur while refreshing is set. */
	b = collect(c, want);
	if (b)
		pre_gzip(b, c->cur);

	pthread_mutex_lock(&c->lock);
	if (b) {
		old = c->cur;
		c->cur = b;
		c->cur_ns = tdxhp_now_ns();
	}
	b = c->cur;
	if (b && b->form[fmt].made) {
		body_get(b);
		__atomic_add_fetch(&b->form[fmt].served, 1, __ATOMIC_RELAXED);
	} else {
		b = NULL;
	}
	c->refreshing = false;
	pthread_cond_broadcast(&c->done);
	pthread_mutex_unlock(&c->lock);
	if (old)
		body_put(old);
	return b;
}
