// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate.h"

void tdxhp_agg_init(struct tdxhp_agg *a, uint32_t storm_hits)
{
	memset(a, 0, sizeof(*a));
	a->storm_hits = storm_hits;
}

void tdxhp_agg_set_storm_window(struct tdxhp_agg *a, uint64_t window_ns)
{
	a->storm_window_ns = window_ns;
}

void tdxhp_minmax_add(struct tdxhp_minmax *dst, const struct tdxhp_minmax *src)
{
	if (!src->max_ns)
		return;
	if (!dst->max_ns || src->min_ns < dst->min_ns)
		dst->min_ns = src->min_ns;
	if (src->max_ns > dst->max_ns)
		dst->max_ns = src->max_ns;
}

void tdxhp_agg_free(struct tdxhp_agg *a)
{
	free(a->tds);
	free(a->storms);
	memset(a, 0, sizeof(*a));
}

static struct tdxhp_agg_td *find(struct tdxhp_agg *a, uint64_t key)
{
	/* Newest first: a key can come back after its TD was torn down. */
	for (unsigned int i = a->nr_tds; i-- > 0;)
		if (a->tds[i].alive && a->tds[i].key == key)
			return &a->tds[i];
	return NULL;
}

const struct tdxhp_agg_td *tdxhp_agg_find(const struct tdxhp_agg *a,
					  uint64_t key)
{
	return find((struct tdxhp_agg *)a, key);
}

static struct tdxhp_agg_td *add_td(struct tdxhp_agg *a,
				   const struct tdxhp_agg_event *e, bool exact)
{
	struct tdxhp_agg_td *td;

	if (a->nr_tds == a->cap_tds) {
		unsigned int cap = a->cap_tds ? a->cap_tds * 2 : 64;
		void *p = realloc(a->tds, cap * sizeof(*a->tds));

		if (!p)
			return NULL;
		a->tds = p;
		a->cap_tds = cap;
	}
	td = &a->tds[a->nr_tds++];
	memset(td, 0, sizeof(*td));
	td->key = e->key;
	td->alive = true;
	td->exact = exact;
	td->pid = e->pid;
	td->hkid = e->hkid;
	td->first_ns = e->ts_ns;
	return td;
}

static struct tdxhp_agg_td *get(struct tdxhp_agg *a,
				const struct tdxhp_agg_event *e)
{
	struct tdxhp_agg_td *td = find(a, e->key);

	return td ? td : add_td(a, e, false);
}

/* Written independently of bpf/hist.bpf.h: the naive loop. */
static void record(struct tdxhp_agg_td *td, int id, uint64_t ns)
{
	struct tdxhp_hist *h = &td->st.hist[id];
	struct tdxhp_minmax one = { ns, ns };
	int slot = 0;

	if (!ns)
		return;
	while (slot < TDXHP_HIST_SLOTS - 1 && (ns >> (slot + 1)))
		slot++;
	h->slots[slot]++;
	h->sum_ns += ns;
	tdxhp_minmax_add(&td->mm[id], &one);
}

static void retire(struct tdxhp_agg *a, struct tdxhp_agg_td *td)
{
	for (int i = 0; i < TDXHP_NR_COUNTERS; i++)
		a->retired.counters[i] += td->st.counters[i];
	for (int h = 0; h < TDXHP_NR_HISTS; h++) {
		for (int i = 0; i < TDXHP_HIST_SLOTS; i++)
			a->retired.hist[h].slots[i] += td->st.hist[h].slots[i];
		a->retired.hist[h].sum_ns += td->st.hist[h].sum_ns;
		tdxhp_minmax_add(&a->retired_mm[h], &td->mm[h]);
	}
	for (unsigned int i = 0; i < a->nr_storms;) {
		if (a->storms[i].key == td->key)
			a->storms[i] = a->storms[--a->nr_storms];
		else
			i++;
	}
	td->alive = false;
}

static bool valid_level(struct tdxhp_agg *a, struct tdxhp_agg_td *td,
			int level)
{
	if (level >= TDXHP_LEVEL_4K && level <= TDXHP_LEVEL_1G)
		return true;
	td->st.counters[TDXHP_C_BAD_EVENT]++;
	a->bad_level++;
	return false;
}

static void page_op(struct tdxhp_agg *a, struct tdxhp_agg_td *td,
		    const struct tdxhp_agg_event *e)
{
	struct tdxhp_td_stats *s = &td->st;
	int level = e->level;

	if (!valid_level(a, td, level))
		return;
	switch (e->type) {
	case TDXHP_EV_PAGE_ADD:
		s->counters[e->err ? TDXHP_C_ADD_ERR : TDXHP_C_ADD]++;
		record(td, TDXHP_H_ADD, e->duration_ns);
		break;
	case TDXHP_EV_PAGE_AUG:
		s->counters[e->err ? TDXHP_C_AUG_ERR :
				     TDXHP_C_AUG_4K + level - 1]++;
		if (level == TDXHP_LEVEL_4K)
			record(td, TDXHP_H_AUG_4K, e->duration_ns);
		else if (level == TDXHP_LEVEL_2M)
			record(td, TDXHP_H_AUG_2M, e->duration_ns);
		break;
	default:
		s->counters[e->err ? TDXHP_C_REMOVE_ERR :
				     TDXHP_C_REMOVE_4K + level - 1]++;
		record(td, TDXHP_H_REMOVE, e->duration_ns);
		break;
	}
	if (!e->err)
		s->pages[level - 1] += e->type == TDXHP_EV_PAGE_REMOVE ? -1 : 1;
}

static void demote(struct tdxhp_agg *a, struct tdxhp_agg_td *td,
		   const struct tdxhp_agg_event *e)
{
	struct tdxhp_td_stats *s = &td->st;

	if (!valid_level(a, td, e->level))
		return;
	if (e->level == TDXHP_LEVEL_4K) {
		s->counters[TDXHP_C_BAD_EVENT]++;
		return;
	}
	s->counters[e->err ? TDXHP_C_DEMOTE_ERR : TDXHP_C_DEMOTE]++;
	s->counters[TDXHP_C_DEMOTE_BUSY_RETRY] += e->busy_retries;
	if (!e->err) {
		s->pages[e->level - 1]--;
		s->pages[e->level - 2] += TDXHP_PAGES_PER_LEVEL;
	}
	record(td, TDXHP_H_DEMOTE, e->block_ns + e->track_ns + e->demote_ns);
	record(td, TDXHP_H_DEMOTE_BLOCK, e->block_ns);
	record(td, TDXHP_H_DEMOTE_TRACK, e->track_ns);
	record(td, TDXHP_H_DEMOTE_DEMOTE, e->demote_ns);
}

static void split(struct tdxhp_agg_td *td, const struct tdxhp_agg_event *e)
{
	if ((uint32_t)e->reason >= TDXHP_NR_SPLIT_REASONS) {
		td->st.counters[TDXHP_C_BAD_EVENT]++;
		return;
	}
	td->st.counters[TDXHP_C_SPLIT_CONVERT + e->reason]++;
	if (e->ret)
		td->st.counters[TDXHP_C_SPLIT_ERR]++;
	td->st.counters[TDXHP_C_SPLIT_LEAVES] += e->nr_split;
	record(td, TDXHP_H_SPLIT, e->duration_ns);
}

static int ignored(struct tdxhp_agg *a, struct tdxhp_agg_td *td,
		   const struct tdxhp_agg_event *e)
{
	struct tdxhp_agg_storm *st = NULL;

	td->st.counters[TDXHP_C_FAULT_SPLIT_IGNORED]++;
	if (!a->storm_hits) {
		td->st.counters[TDXHP_C_STORM] += e->storm;
		if (e->storm) {
			td->storm = true;
			td->last_storm_ns = e->ts_ns;
		}
		return 0;
	}
	for (unsigned int i = 0; i < a->nr_storms && !st; i++)
		if (a->storms[i].key == e->key && a->storms[i].gfn == e->gfn)
			st = &a->storms[i];
	if (!st) {
		if (a->nr_storms == a->cap_storms) {
			unsigned int cap = a->cap_storms ? a->cap_storms * 2 : 64;
			void *p = realloc(a->storms, cap * sizeof(*a->storms));

			if (!p)
				return -ENOMEM;
			a->storms = p;
			a->cap_storms = cap;
		}
		st = &a->storms[a->nr_storms++];
		memset(st, 0, sizeof(*st));
		st->key = e->key;
		st->gfn = e->gfn;
		st->window_start_ns = e->ts_ns;
	}
	if (a->storm_window_ns && e->ts_ns - st->window_start_ns > a->storm_window_ns) {
		st->window_start_ns = e->ts_ns;
		st->hits = 0;
	}
	st->last_ns = e->ts_ns;
	if (++st->hits == a->storm_hits) {
		td->st.counters[TDXHP_C_STORM]++;
		st->storms++;
		td->storm = true;
		td->last_storm_ns = e->ts_ns;
	}
	return 0;
}

int tdxhp_agg_add(struct tdxhp_agg *a, const struct tdxhp_agg_event *e)
{
	struct tdxhp_agg_td *td;

	if (e->type < 0 || e->type >= TDXHP_NR_EVENTS)
		return -EINVAL;
	a->events[e->type]++;
	if (e->type == TDXHP_EV_TD_INIT) {
		td = find(a, e->key);
		if (td)
			retire(a, td);
		return add_td(a, e, true) ? 0 : -ENOMEM;
	}
	if (e->type == TDXHP_EV_TD_TEARDOWN) {
		td = find(a, e->key);
		if (td)
			retire(a, td);
		return 0;
	}
	if (e->type == TDXHP_EV_SEAMCALL_BUSY && e->seamcall < TDXHP_MAX_SEAMCALL)
		a->seamcall_busy[e->seamcall]++;
	td = get(a, e);
	if (!td)
		return -ENOMEM;
	switch (e->type) {
	case TDXHP_EV_PAGE_ADD:
	case TDXHP_EV_PAGE_AUG:
	case TDXHP_EV_PAGE_REMOVE:
		page_op(a, td, e);
		break;
	case TDXHP_EV_PAGE_DEMOTE:
		demote(a, td, e);
		break;
	case TDXHP_EV_BOUNDARY_SPLIT:
		split(td, e);
		break;
	case TDXHP_EV_FAULT_SPLIT_IGNORED:
		return ignored(a, td, e);
	case TDXHP_EV_SEAMCALL_BUSY:
		td->st.counters[TDXHP_C_SEAMCALL_BUSY]++;
		break;
	}
	return 0;
}

void tdxhp_agg_from_rec_event(const struct tdxhp_rec_event *r,
			      struct tdxhp_agg_event *e)
{
	memset(e, 0, sizeof(*e));
	e->type = (int)r->type;
	e->ts_ns = r->ts_ns;
	e->key = tdxhp_agg_slot_key(r->slot, r->gen);
	e->pid = r->pid;
	e->hkid = r->hkid;
	e->gfn = r->gfn;
	e->gfn_end = r->gfn_end;
	e->err = r->status;
	e->seamcall = r->seamcall;
	e->duration_ns = r->duration_ns;
	e->block_ns = r->block_ns;
	e->track_ns = r->track_ns;
	e->demote_ns = r->demote_ns;
	e->level = r->level;
	e->goal_level = r->goal_level;
	e->reason = r->reason;
	e->ret = r->ret;
	e->vcpu_id = r->vcpu_id;
	e->busy_retries = r->busy_retries;
	e->nr_split = r->nr_split;
	e->storm = r->flags & TDXHP_REC_STORM;
}
