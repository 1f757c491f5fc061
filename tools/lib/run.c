// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "hist.h"
#include "run.h"
#include "stats.h"
#include "util.h"

static struct tdxhp_run_td *td_by_name(struct tdxhp_run *r, const char *name)
{
	struct tdxhp_run_td *td;
	void *p;

	for (unsigned int i = 0; i < r->nr_tds; i++)
		if (!strcmp(r->tds[i].name, name))
			return &r->tds[i];
	p = realloc(r->tds, (r->nr_tds + 1) * sizeof(*r->tds));
	if (!p)
		return NULL;
	r->tds = p;
	td = &r->tds[r->nr_tds++];
	memset(td, 0, sizeof(*td));
	snprintf(td->name, sizeof(td->name), "%s", name);
	return td;
}

const struct tdxhp_run_td *tdxhp_run_find(const struct tdxhp_run *r,
					  const char *name)
{
	for (unsigned int i = 0; i < r->nr_tds; i++)
		if (!strcmp(r->tds[i].name, name))
			return &r->tds[i];
	return NULL;
}

static void add_stats(struct tdxhp_td_stats *dst, struct tdxhp_minmax *dmm,
		      const struct tdxhp_td_stats *src,
		      const struct tdxhp_minmax *smm)
{
	tdxhp_td_stats_add(dst, src);
	for (int h = 0; h < TDXHP_NR_HISTS; h++)
		tdxhp_minmax_add(&dmm[h], &smm[h]);
}

static int load_recording(struct tdxhp_run *r, bool want_html)
{
	struct tdxhp_rec_event ev;
	const struct tdxhp_agg *g;

	r->rp = calloc(1, sizeof(*r->rp));
	if (!r->rp || tdxhp_replay_open(r->rp, r->path, 0, 0))
		return -1;
	if (want_html) {
		r->html = tdxhp_html_new(r->rp);
		if (!r->html)
			goto oom;
	}
	while (tdxhp_replay_next(r->rp, &ev) > 0)
		if (r->html && tdxhp_html_add(r->html, r->rp, &ev))
			goto oom;
	switch (tdxhp_replay_report_end(r->rp, stderr, tdxhp_prog_name)) {
	case TDXHP_REC_CORRUPT:
		r->corrupt = true;
		break;
	case -1:
		return -1;
	}
	if (r->rp->status == -ENOMEM)
		goto oom;
	g = &r->rp->agg;
	r->recording = true;
	r->exact = true;
	r->simulated = tdxhp_replay_simulated(r->rp);
	snprintf(r->source, sizeof(r->source), "%s", r->rp->rd.h.source);
	r->span_s = tdxhp_replay_span_s(r->rp);
	/* Every TD ever seen, torn down or not; a name seen twice is summed. */
	for (unsigned int i = 0; i < g->nr_tds; i++) {
		const struct tdxhp_agg_td *a = &g->tds[i];
		struct tdxhp_run_td *td = td_by_name(
			r, tdxhp_replay_name(r->rp, (uint32_t)(a->key >> 32),
					     (uint32_t)a->key));

		if (!td)
			goto oom;
		add_stats(&td->st, td->mm, &a->st, a->mm);
		add_stats(&r->host, r->host_mm, &a->st, a->mm);
	}
	return 0;
oom:
	tdxhp_err("out of memory");
	return -1;
}

/* A histogram object of tdxhp-hist -j / tdxhp-trace -s -j. */
static void hist_from_json(struct json_object *o, struct tdxhp_hist *h,
			   struct tdxhp_minmax *mm, bool *exact)
{
	struct json_object *v, *buckets;

	if (json_object_object_get_ex(o, "sum_ns", &v))
		h->sum_ns += (uint64_t)json_object_get_int64(v);
	if (json_object_object_get_ex(o, "buckets", &buckets) &&
	    json_object_is_type(buckets, json_type_array)) {
		size_t n = json_object_array_length(buckets);

		for (size_t i = 0; i < n; i++) {
			struct json_object *b = json_object_array_get_idx(buckets, i), *lo, *c;
			uint64_t lo_ns;
			int slot = 0;

			if (!json_object_object_get_ex(b, "lo_ns", &lo) ||
			    !json_object_object_get_ex(b, "count", &c))
				continue;
			lo_ns = (uint64_t)json_object_get_int64(lo);
			while (slot < TDXHP_HIST_SLOTS - 1 && (lo_ns >> (slot + 1)))
				slot++;
			h->slots[slot] += (uint64_t)json_object_get_int64(c);
		}
	}
	if (json_object_object_get_ex(o, "extremes", &v) &&
	    strcmp(json_object_get_string(v), "exact"))
		*exact = false;
	if (!json_object_object_get_ex(o, "extremes", &v))
		*exact = false;
	if (json_object_object_get_ex(o, "min_ns", &v)) {
		struct tdxhp_minmax one = { (uint64_t)json_object_get_int64(v), 0 };

		if (json_object_object_get_ex(o, "max_ns", &v))
			one.max_ns = (uint64_t)json_object_get_int64(v);
		tdxhp_minmax_add(mm, &one);
	}
}

static void hists_from_json(struct json_object *parent,
			    struct tdxhp_td_stats *st, struct tdxhp_minmax *mm,
			    bool *exact)
{
	struct json_object *hists;

	if (!json_object_object_get_ex(parent, "hists", &hists))
		return;
	json_object_object_foreach(hists, key, val) {
		int id = tdxhp_hist_by_name(key);

		if (id >= 0)
			hist_from_json(val, &st->hist[id], &mm[id], exact);
	}
}

/* The TD's name: "td": {"name"} (tdxhp-hist/1), or "name" before it. */
static bool td_name_of(struct json_object *t, struct json_object **name)
{
	struct json_object *td;

	if (json_object_object_get_ex(t, "td", &td) &&
	    json_object_is_type(td, json_type_object))
		return json_object_object_get_ex(td, "name", name);
	return json_object_object_get_ex(t, "name", name);
}

/* One interval object of tdxhp-hist -j. */
static int interval_from_json(struct tdxhp_run *r, struct json_object *o)
{
	struct json_object *v, *tds;
	bool exact = true;

	if (json_object_object_get_ex(o, "simulated", &v) && json_object_get_boolean(v))
		r->simulated = true;
	if (json_object_object_get_ex(o, "scenario", &v))
		snprintf(r->source, sizeof(r->source), "scenario %s",
			 json_object_get_string(v));
	if (json_object_object_get_ex(o, "span_s", &v))
		r->span_s += json_object_get_double(v);
	if (json_object_object_get_ex(o, "merged", &v)) {
		hists_from_json(v, &r->host, r->host_mm, &exact);
	} else if (json_object_object_get_ex(o, "tds", &tds) &&
		   json_object_is_type(tds, json_type_array)) {
		size_t n = json_object_array_length(tds);

		r->host_is_live_tds = true;
		for (size_t i = 0; i < n; i++) {
			struct json_object *t = json_object_array_get_idx(tds, i), *name;
			struct tdxhp_run_td *td;

			if (!td_name_of(t, &name))
				continue;
			td = td_by_name(r, json_object_get_string(name));
			if (!td)
				return -ENOMEM;
			hists_from_json(t, &td->st, td->mm, &exact);
			hists_from_json(t, &r->host, r->host_mm, &exact);
		}
	} else {
		return -EINVAL;
	}
	if (!exact)
		r->exact = false;
	return 0;
}

static int load_json(struct tdxhp_run *r, FILE *f)
{
	struct json_tokener *tok = json_tokener_new();
	char line[1 << 16];
	unsigned int objs = 0, lineno = 0;
	int err = 0;

	if (!tok)
		return -ENOMEM;
	r->exact = true;
	snprintf(r->source, sizeof(r->source), "live");
	/* tdxhp-hist -j: one object per line (interval). */
	while (!err && fgets(line, sizeof(line), f)) {
		struct json_object *o;

		lineno++;
		if (line[strspn(line, " \t\r\n")] == '\0')
			continue;
		json_tokener_reset(tok);
		o = json_tokener_parse_ex(tok, line, (int)strlen(line));
		if (!o || !json_object_is_type(o, json_type_object)) {
			tdxhp_err("%s: line %u is not a JSON object of tdxhp-hist -j",
				  r->path, lineno);
			err = -EINVAL;
		} else if (interval_from_json(r, o)) {
			tdxhp_err("%s: line %u has neither \"tds\" nor \"merged\" (not tdxhp-hist -j output)",
				  r->path, lineno);
			err = -EINVAL;
		}
		json_object_put(o);
		objs++;
	}
	json_tokener_free(tok);
	if (!err && !objs) {
		tdxhp_err("%s: empty", r->path);
		err = -EINVAL;
	}
	return err;
}

int tdxhp_run_load(struct tdxhp_run *r, const char *path, bool want_html)
{
	char magic[8];
	FILE *f;
	int err;

	memset(r, 0, sizeof(*r));
	r->path = path;
	f = fopen(path, "rb");
	if (!f) {
		tdxhp_err("%s: %s", path, strerror(errno));
		return -1;
	}
	if (fread(magic, 1, sizeof(magic), f) == sizeof(magic) &&
	    !memcmp(magic, TDXHP_REC_MAGIC, sizeof(magic))) {
		fclose(f);
		return load_recording(r, want_html);
	}
	if (want_html) {
		fclose(f);
		tdxhp_err("%s: --html draws recordings, and this is not one", path);
		return -1;
	}
	rewind(f);
	err = load_json(r, f);
	fclose(f);
	return err ? -1 : 0;
}

void tdxhp_run_free(struct tdxhp_run *r)
{
	if (r->rp) {
		tdxhp_replay_close(r->rp);
		free(r->rp);
	}
	tdxhp_html_free(r->html);
	free(r->tds);
	memset(r, 0, sizeof(*r));
}
