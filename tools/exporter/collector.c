// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

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
	pthread_mutex_t lock;	/* cur, cur_ns, refreshing */
	pthread_cond_t done;	/* a collection finished */
	struct body *cur;
	uint64_t cur_ns;
	bool refreshing;
	/* Only the collecting thread touches these (refreshing is set). */
	struct tdxhp_snapshot snap;
	struct tdxhp_td_stats host_max;
	struct metrics_input in;
	size_t last_len;
	uint64_t requests;	/* atomic */
	uint64_t gzip_ns;	/* atomic: the last gzip */
	double start_time;
};

static double wall_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct collector *collector_new(struct tdxhp *t,
				const struct collector_opts *o)
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
	c->start_time = wall_seconds();
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

void collector_count_request(struct collector *c)
{
	__atomic_add_fetch(&c->requests, 1, __ATOMIC_RELAXED);
}

static void body_get(struct body *b)
{
	__atomic_add_fetch(&b->refs, 1, __ATOMIC_ACQ_REL);
}

void body_put(struct body *b)
{
	if (__atomic_sub_fetch(&b->refs, 1, __ATOMIC_ACQ_REL))
		return;
	free(b->plain);
	free(b->gz);
	pthread_mutex_destroy(&b->gz_lock);
	free(b);
}

bool body_gzip(struct body *b, const char **data, size_t *len)
{
	pthread_mutex_lock(&b->gz_lock);
	if (!b->gz && !b->gz_failed) {
		uint64_t t0 = tdxhp_now_ns();

		b->gz_failed = gzip_compress(b->plain, b->plain_len, &b->gz,
					     &b->gz_len) != 0;
		__atomic_store_n(&b->c->gzip_ns, tdxhp_now_ns() - t0,
				 __ATOMIC_RELAXED);
	}
	pthread_mutex_unlock(&b->gz_lock);
	*data = b->gz;
	*len = b->gz_len;
	return !b->gz_failed;
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

static uint64_t rss_bytes(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	unsigned long size = 0, rss = 0;

	if (!f)
		return 0;
	if (fscanf(f, "%lu %lu", &size, &rss) != 2)
		rss = 0;
	fclose(f);
	return (uint64_t)rss * (uint64_t)sysconf(_SC_PAGESIZE);
}

static double cpu_seconds(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru))
		return 0;
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
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
	in->self.requests = __atomic_load_n(&c->requests, __ATOMIC_RELAXED);
	in->self.torn_reads = c->snap.torn_reads;
	in->self.read_ns = read_ns;
	in->self.gzip_ns = __atomic_load_n(&c->gzip_ns, __ATOMIC_RELAXED);
	in->self.min_interval_ns = c->o.min_interval_ns;
	in->self.collected_at = wall_seconds();
	in->self.start_time = c->start_time;
	in->self.cpu_seconds = cpu_seconds();
	in->self.rss_bytes = rss_bytes();
}

/* Read the maps and render a new body; NULL (message printed) on failure. */
static struct body *collect(struct collector *c)
{
	uint64_t t0 = tdxhp_now_ns(), t1;
	struct body *b;
	struct buf out;

	if (tdxhp_snapshot_read(c->t, &c->snap))
		return NULL;
	t1 = tdxhp_now_ns();
	gather(c, t1 - t0);
	b = calloc(1, sizeof(*b));
	/* Size for last time's body plus some, so it rarely reallocates. */
	if (!b || buf_init(&out, c->last_len + c->last_len / 8 + 4096)) {
		free(b);
		tdxhp_err("out of memory rendering metrics");
		return NULL;
	}
	metrics_render(&out, &c->in);
	if (out.failed) {
		buf_free(&out);
		free(b);
		tdxhp_err("out of memory rendering metrics");
		return NULL;
	}
	b->plain = buf_steal(&out, &b->plain_len);
	b->refs = 1;
	b->c = c;
	pthread_mutex_init(&b->gz_lock, NULL);
	c->last_len = b->plain_len;
	c->in.self.render_ns = tdxhp_now_ns() - t1;
	return b;
}

struct body *collector_get(struct collector *c)
{
	struct body *b, *old = NULL;
	uint64_t now = tdxhp_now_ns();

	pthread_mutex_lock(&c->lock);
	for (;;) {
		b = c->cur;
		if (b && (now - c->cur_ns < c->o.min_interval_ns ||
			  c->refreshing)) {
			/* Fresh enough, or being refreshed: share it. */
			body_get(b);
			pthread_mutex_unlock(&c->lock);
			return b;
		}
		if (!c->refreshing)
			break;
		pthread_cond_wait(&c->done, &c->lock); /* the very first one */
	}
	c->refreshing = true;
	pthread_mutex_unlock(&c->lock);

	b = collect(c);
	/*
	 * If the body we replace was served gzipped (Prometheus always asks),
	 * compress the new one before publishing it: until then every other
	 * request keeps getting the old one, instead of queueing on the first
	 * compression of the new one.  Only this thread changes c->cur while
	 * refreshing is set.
	 */
	if (b && c->cur && c->cur->gz) {
		const char *data;
		size_t len;

		/*
		 * Nobody asked for the plain form last time (Prometheus
		 * never does): keep only the gzip form, the plain one is
		 * ten times its size.  A plain request inflates it.
		 */
		if (body_gzip(b, &data, &len) &&
		    !__atomic_load_n(&c->cur->plain_served, __ATOMIC_RELAXED)) {
			free(b->plain);
			b->plain = NULL;
		}
	}

	pthread_mutex_lock(&c->lock);
	if (b) {
		old = c->cur;
		c->cur = b;
		c->cur_ns = tdxhp_now_ns();
	}
	b = c->cur;
	if (b)
		body_get(b);
	c->refreshing = false;
	pthread_cond_broadcast(&c->done);
	pthread_mutex_unlock(&c->lock);
	if (old)
		body_put(old);
	return b;
}
