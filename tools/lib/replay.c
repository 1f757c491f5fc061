// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "identity_parse.h"
#include "json_fields.h"
#include "replay.h"
#include "stats.h"
#include "util.h"

int tdxhp_replay_open(struct tdxhp_replay *p, const char *path,
		      uint32_t storm_hits, uint64_t storm_window_ns)
{
	const struct tdxhp_rec_header *h;

	memset(p, 0, sizeof(*p));
	p->path = path;
	if (tdxhp_rec_open(&p->rd, path)) {
		tdxhp_err("%s", p->rd.err);
		return -EINVAL;
	}
	h = &p->rd.h;
	if (!storm_hits)
		storm_hits = h->storm_hits ? h->storm_hits : TDXHP_DEFAULT_STORM_HITS;
	if (!storm_window_ns)
		storm_window_ns = h->storm_window_ns ? h->storm_window_ns :
						       TDXHP_DEFAULT_STORM_WINDOW_NS;
	tdxhp_agg_init(&p->agg, storm_hits);
	tdxhp_agg_set_storm_window(&p->agg, storm_window_ns);
	p->status = 1;
	return 0;
}

void tdxhp_replay_close(struct tdxhp_replay *p)
{
	tdxhp_rec_close_reader(&p->rd);
	tdxhp_agg_free(&p->agg);
	free(p->names);
	p->names = NULL;
	free(p->ids);
	p->ids = NULL;
}

static int add_name(struct tdxhp_replay *p, const struct tdxhp_rec_td *td)
{
	void *n = realloc(p->names, (p->nr_names + 1) * sizeof(*p->names));

	if (!n)
		return -ENOMEM;
	p->names = n;
	p->names[p->nr_names++] = *td;
	return 0;
}

static int add_identity(struct tdxhp_replay *p,
			const struct tdxhp_rec_identity *r)
{
	struct tdxhp_replay_identity *e;
	void *n = realloc(p->ids, (p->nr_ids + 1) * sizeof(*p->ids));

	if (!n)
		return -ENOMEM;
	p->ids = n;
	e = &p->ids[p->nr_ids++];
	memset(e, 0, sizeof(*e));
	e->slot = r->slot;
	e->gen = r->gen;
	/* A file is not trusted to hold a UUID where it says so. */
	if (tdxhp_uuid_normalize(r->uuid, strlen(r->uuid), e->id.uuid))
		e->id.uuid[0] = '\0';
	snprintf(e->id.machine, sizeof(e->id.machine), "%s", r->machine);
	snprintf(e->id.cgroup, sizeof(e->id.cgroup), "%s", r->cgroup);
	return 0;
}

static int aggregate(struct tdxhp_replay *p, const struct tdxhp_rec_event *ev)
{
	struct tdxhp_agg_event e;

	tdxhp_agg_from_rec_event(ev, &e);
	if (tdxhp_agg_add(&p->agg, &e)) {
		snprintf(p->rd.err, sizeof(p->rd.err), "out of memory");
		p->status = -ENOMEM;
		return -ENOMEM;
	}
	if (!p->first_ts_ns)
		p->first_ts_ns = ev->ts_ns;
	p->last_ts_ns = ev->ts_ns;
	return 0;
}

/* The next event frame, not yet aggregated: 1, or 0 at the end. */
static int read_event(struct tdxhp_replay *p, struct tdxhp_rec_event *ev)
{
	struct tdxhp_frame fr;
	int n;

	if (p->have_pending) {
		*ev = p->pending;
		p->have_pending = false;
		return 1;
	}
	while (p->status > 0) {
		n = tdxhp_rec_next(&p->rd, &fr);
		if (n <= 0) {
			p->status = n;
			break;
		}
		switch (fr.kind) {
		case TDXHP_FRAME_TD:
			if (add_name(p, &fr.td)) {
				snprintf(p->rd.err, sizeof(p->rd.err), "out of memory");
				p->status = -ENOMEM;
			}
			break;
		case TDXHP_FRAME_IDENTITY:
			if (add_identity(p, &fr.identity)) {
				snprintf(p->rd.err, sizeof(p->rd.err),
					 "out of memory");
				p->status = -ENOMEM;
			}
			break;
		case TDXHP_FRAME_LOST:
			p->lost = fr.lost;
			break;
		case TDXHP_FRAME_EVENT:
			*ev = fr.event;
			return 1;
		default:
			break;
		}
	}
	return 0;
}

int tdxhp_replay_next(struct tdxhp_replay *p, struct tdxhp_rec_event *ev)
{
	if (read_event(p, ev) <= 0 || aggregate(p, ev))
		return 0;
	return 1;
}

uint64_t tdxhp_replay_peek_ns(struct tdxhp_replay *p)
{
	if (!p->have_pending && read_event(p, &p->pending) > 0)
		p->have_pending = true;
	return p->have_pending ? p->pending.ts_ns : 0;
}

uint64_t tdxhp_replay_advance(struct tdxhp_replay *p, uint64_t until_ns)
{
	struct tdxhp_rec_event ev;
	uint64_t n = 0;

	while (read_event(p, &ev) > 0) {
		if (ev.ts_ns > until_ns) {
			p->pending = ev;
			p->have_pending = true;
			break;
		}
		if (aggregate(p, &ev))
			break;
		n++;
	}
	return n;
}

void tdxhp_replay_all(struct tdxhp_replay *p)
{
	struct tdxhp_rec_event ev;

	while (tdxhp_replay_next(p, &ev) > 0)
		;
}

int tdxhp_replay_report_end(const struct tdxhp_replay *p, FILE *f,
			    const char *prog)
{
	const struct tdxhp_rec_reader *rd = &p->rd;
	char when[48];

	/* Complete, or the caller stopped reading (-c N, Ctrl-C). */
	if (p->status >= 0)
		return 0;
	if (!rd->damage) {
		fprintf(f, "%s: %s: %s\n", prog, p->path, rd->err);
		return -1;
	}
	fprintf(f, "%s: %s: %s\n", prog, p->path, rd->err);
	if (rd->events) {
		tdxhp_rec_utc(&rd->h, rd->last_ts_ns, when, sizeof(when));
		fprintf(f, "%s: %s: %s: the %llu complete events before byte %llu are shown; the last one is at %s (%.3fs into the recording)\n",
			prog, p->path,
			rd->damage == TDXHP_REC_CUT ? "cut" : "corrupt",
			(unsigned long long)rd->events,
			(unsigned long long)rd->damage_offset, when,
			(double)(rd->last_ts_ns - p->first_ts_ns) / 1e9);
	}
	return rd->damage;
}

const char *tdxhp_replay_name(const struct tdxhp_replay *p, uint32_t slot,
			      uint32_t gen)
{
	for (unsigned int i = p->nr_names; i-- > 0;)
		if (p->names[i].slot == slot && p->names[i].gen == gen)
			return p->names[i].name;
	return "?";
}

const struct tdxhp_identity *tdxhp_replay_identity(const struct tdxhp_replay *p,
						   uint32_t slot, uint32_t gen)
{
	/* The latest one read applies, as for names. */
	for (unsigned int i = p->nr_ids; i-- > 0;)
		if (p->ids[i].slot == slot && p->ids[i].gen == gen)
			return &p->ids[i].id;
	return NULL;
}

static int by_slot(const void *x, const void *y)
{
	const struct tdxhp_td *a = x, *b = y;

	if (a->slot != b->slot)
		return a->slot < b->slot ? -1 : 1;
	return (a->gen > b->gen) - (a->gen < b->gen);
}

int tdxhp_replay_snapshot(const struct tdxhp_replay *p,
			  struct tdxhp_snapshot *s)
{
	const struct tdxhp_agg *g = &p->agg;
	unsigned int n = 0;

	if (s->cap < g->nr_tds + 1) {
		void *v = realloc(s->tds, (g->nr_tds + 1) * sizeof(*s->tds));

		if (!v)
			return -ENOMEM;
		s->tds = v;
		s->cap = g->nr_tds + 1;
	}
	for (unsigned int i = 0; i < g->nr_tds; i++) {
		const struct tdxhp_agg_td *a = &g->tds[i];
		struct tdxhp_td *td = &s->tds[n];
		const struct tdxhp_identity *id;

		if (!a->alive)
			continue;
		memset(td, 0, sizeof(*td));
		td->slot = (uint32_t)(a->key >> 32);
		td->gen = (uint32_t)a->key;
		td->meta.gen = td->gen;
		td->meta.pid = a->pid;
		td->meta.hkid = a->hkid;
		td->meta.first_seen_ns = a->first_ns;
		td->meta.last_storm_ns = a->last_storm_ns;
		td->meta.flags = (a->exact ? TDXHP_TD_EXACT : TDXHP_TD_PARTIAL) |
				 (a->storm ? TDXHP_TD_STORM : 0);
		td->stats = a->st;
		snprintf(td->name, sizeof(td->name), "%s",
			 tdxhp_replay_name(p, td->slot, td->gen));
		id = tdxhp_replay_identity(p, td->slot, td->gen);
		if (id)
			td->id = *id;
		n++;
	}
	qsort(s->tds, n, sizeof(*s->tds), by_slot);
	s->nr_tds = n;
	s->ts_ns = p->last_ts_ns;
	s->retired = g->retired;
	memset(&s->host, 0, sizeof(s->host));
	memcpy(s->host.events, g->events, sizeof(s->host.events));
	memcpy(s->host.seamcall_busy, g->seamcall_busy,
	       sizeof(s->host.seamcall_busy));
	s->host.counters[TDXHP_HC_BAD_LEVEL] = g->bad_level;
	s->host.counters[TDXHP_HC_RINGBUF_LOST] = p->lost;
	s->torn_reads = 0;
	return 0;
}

const struct tdxhp_minmax *tdxhp_replay_minmax(const struct tdxhp_replay *p,
					       uint32_t slot, uint32_t gen)
{
	const struct tdxhp_agg_td *td =
		tdxhp_agg_find(&p->agg, tdxhp_agg_slot_key(slot, gen));

	return td ? td->mm : NULL;
}

void tdxhp_replay_host_minmax(const struct tdxhp_replay *p,
			      struct tdxhp_minmax out[TDXHP_NR_HISTS])
{
	memcpy(out, p->agg.retired_mm, sizeof(p->agg.retired_mm));
	for (unsigned int i = 0; i < p->agg.nr_tds; i++)
		if (p->agg.tds[i].alive)
			for (int h = 0; h < TDXHP_NR_HISTS; h++)
				tdxhp_minmax_add(&out[h], &p->agg.tds[i].mm[h]);
}

double tdxhp_replay_span_s(const struct tdxhp_replay *p)
{
	return p->last_ts_ns > p->first_ts_ns ?
		       (double)(p->last_ts_ns - p->first_ts_ns) / 1e9 : 0;
}

void tdxhp_replay_info(const struct tdxhp_replay *p, FILE *f)
{
	const struct tdxhp_rec_header *h = &p->rd.h;
	const char *na = "(not recorded: version 1 file)";
	char when[48];

	fprintf(f, "file            %s\n", p->path);
	fprintf(f, "format          version %u, %u-byte header, %u-byte events\n",
		h->version, h->header_size, h->record_size);
	fprintf(f, "simulated       %s\n",
		h->flags & TDXHP_REC_F_SIMULATED ? "yes" : "no");
	fprintf(f, "source          %s\n", h->source);
	if (h->version >= 2) {
		fprintf(f, "started         %s\n", h->start_time);
	} else {
		tdxhp_rec_utc(h, h->start_mono_ns, when, sizeof(when));
		fprintf(f, "started         %s\n", when);
	}
	fprintf(f, "kernel          %s\n", h->version >= 2 ? h->kernel_release : na);
	fprintf(f, "host            %s\n", h->version >= 2 ? h->hostname : na);
	fprintf(f, "tdxhp version   %s\n", h->version >= 2 ? h->tdxhp_version : na);
	fprintf(f, "command         %s\n", h->version >= 2 ? h->command_line : na);
	fprintf(f, "cpus            %u\n", h->nr_cpus);
	if (h->version >= 2)
		fprintf(f, "storm detector  %u hits in %llu ns\n", h->storm_hits,
			(unsigned long long)h->storm_window_ns);
	fprintf(f, "event sources  ");
	for (int ev = 0; ev < TDXHP_NR_EVENTS; ev++)
		fprintf(f, " %s=%s", tdxhp_event_name(ev),
			tdxhp_rec_event_source(h, ev));
	fputc('\n', f);
	fprintf(f, "events          %llu", (unsigned long long)p->rd.events);
	if (p->rd.events)
		fprintf(f, " over %.3fs", tdxhp_replay_span_s(p));
	fprintf(f, ", %llu lost while recording\n", (unsigned long long)p->lost);
	fprintf(f, "complete        %s\n",
		!p->status ? "yes (end frame present)" :
		p->rd.damage == TDXHP_REC_CUT ? "no: cut short" :
		p->rd.damage == TDXHP_REC_CORRUPT ? "no: corrupt" : "no");
}

void tdxhp_replay_info_json(const struct tdxhp_replay *p, FILE *f)
{
	const struct tdxhp_rec_header *h = &p->rd.h;
	bool v2 = h->version >= 2;
	struct tdxhp_json w;

	tdxhp_json_init(&w, f, false);
	tdxhp_json_record_start(&w, TDXHP_SCHEMA_TRACE_INFO,
				h->flags & TDXHP_REC_F_SIMULATED);
	/* The recording's start, on its own boot's clock. */
	tdxhp_json_times(&w, h->start_mono_ns, h->mono_to_real_ns);
	tdxhp_json_kv_string(&w, "file", p->path);
	tdxhp_json_kv_u64(&w, "format_version", h->version);
	tdxhp_json_kv_u64(&w, "header_size", h->header_size);
	tdxhp_json_kv_u64(&w, "record_size", h->record_size);
	tdxhp_json_kv_string(&w, "source", h->source);
	/* What a version 1 file did not record is left out. */
	if (v2) {
		tdxhp_json_kv_string(&w, "kernel", h->kernel_release);
		tdxhp_json_kv_string(&w, "hostname", h->hostname);
		tdxhp_json_kv_string(&w, "tdxhp_version", h->tdxhp_version);
		tdxhp_json_kv_string(&w, "command_line", h->command_line);
		tdxhp_json_kv_u64(&w, "storm_hits", h->storm_hits);
		tdxhp_json_kv_u64(&w, "storm_window_ns", h->storm_window_ns);
	}
	tdxhp_json_kv_u64(&w, "cpus", h->nr_cpus);
	tdxhp_json_name(&w, "sources");
	tdxhp_json_object_start(&w);
	for (int ev = 0; ev < TDXHP_NR_EVENTS; ev++)
		tdxhp_json_kv_string(&w, tdxhp_event_name(ev),
				     tdxhp_rec_event_source(h, ev));
	tdxhp_json_object_end(&w);
	tdxhp_json_kv_u64(&w, "events", p->rd.events);
	tdxhp_json_kv_decimal(&w, "span_s",
			      p->rd.events ? tdxhp_replay_span_s(p) : 0, 6);
	tdxhp_json_kv_u64(&w, "lost", p->lost);
	tdxhp_json_kv_bool(&w, "complete", !p->status);
	if (p->status)
		tdxhp_json_kv_string(&w, "damage",
				     p->rd.damage == TDXHP_REC_CUT ? "cut" :
				     p->rd.damage == TDXHP_REC_CORRUPT ? "corrupt" :
									 "unreadable");
	tdxhp_json_object_end(&w);
	tdxhp_json_line_end(&w);
}
