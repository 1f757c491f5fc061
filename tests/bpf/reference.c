// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdlib.h>
#include <string.h>

#include "reference.h"

void ref_init(struct ref *r, uint32_t storm_hits)
{
	memset(r, 0, sizeof(*r));
	r->storm_hits = storm_hits;
}

void ref_free(struct ref *r)
{
	free(r->tds);
	free(r->storms);
}

static struct ref_td *find(struct ref *r, uint64_t kvm)
{
	for (unsigned int i = 0; i < r->nr_tds; i++)
		if (r->tds[i].alive && r->tds[i].kvm == kvm)
			return &r->tds[i];
	return NULL;
}

const struct ref_td *ref_find(const struct ref *r, uint64_t kvm)
{
	return find((struct ref *)r, kvm);
}

static struct ref_td *add_td(struct ref *r, uint64_t kvm, bool exact)
{
	struct ref_td *td;

	if (r->nr_tds == r->cap_tds) {
		r->cap_tds = r->cap_tds ? r->cap_tds * 2 : 64;
		r->tds = realloc(r->tds, r->cap_tds * sizeof(*r->tds));
		if (!r->tds)
			abort();
	}
	td = &r->tds[r->nr_tds++];
	memset(td, 0, sizeof(*td));
	td->kvm = kvm;
	td->alive = true;
	td->exact = exact;
	td->hkid = -1;
	return td;
}

static struct ref_td *get(struct ref *r, uint64_t kvm)
{
	struct ref_td *td = find(r, kvm);

	return td ? td : add_td(r, kvm, false);
}

/* Written independently of bpf/hist.bpf.h: the naive loop. */
static void record(struct tdxhp_hist *h, uint64_t ns)
{
	int slot = 0;

	if (!ns)
		return;
	while (slot < TDXHP_HIST_SLOTS - 1 && (ns >> (slot + 1)))
		slot++;
	h->slots[slot]++;
	h->sum_ns += ns;
}

static void retire(struct ref *r, struct ref_td *td)
{
	for (int i = 0; i < TDXHP_NR_COUNTERS; i++)
		r->retired.counters[i] += td->st.counters[i];
	for (int h = 0; h < TDXHP_NR_HISTS; h++) {
		for (int i = 0; i < TDXHP_HIST_SLOTS; i++)
			r->retired.hist[h].slots[i] += td->st.hist[h].slots[i];
		r->retired.hist[h].sum_ns += td->st.hist[h].sum_ns;
	}
	for (unsigned int i = 0; i < r->nr_storms;)
		if (r->storms[i].kvm == td->kvm)
			r->storms[i] = r->storms[--r->nr_storms];
		else
			i++;
	td->alive = false;
}

static bool valid_level(struct ref_td *td, int level)
{
	if (level >= 1 && level <= 3)
		return true;
	td->st.counters[TDXHP_C_BAD_EVENT]++;
	return false;
}

static void page_op(struct ref *r, int type, const struct tdxhp_ctx_page_aug *c)
{
	struct ref_td *td = get(r, c->kvm);
	int level = (int)(int32_t)c->level;
	struct tdxhp_td_stats *s = &td->st;

	if (!valid_level(td, level))
		return;
	switch (type) {
	case TDXHP_EV_PAGE_ADD:
		s->counters[c->err ? TDXHP_C_ADD_ERR : TDXHP_C_ADD]++;
		record(&s->hist[TDXHP_H_ADD], c->duration_ns);
		break;
	case TDXHP_EV_PAGE_AUG:
		s->counters[c->err ? TDXHP_C_AUG_ERR :
				     TDXHP_C_AUG_4K + level - 1]++;
		if (level == 1)
			record(&s->hist[TDXHP_H_AUG_4K], c->duration_ns);
		if (level == 2)
			record(&s->hist[TDXHP_H_AUG_2M], c->duration_ns);
		break;
	default:
		s->counters[c->err ? TDXHP_C_REMOVE_ERR :
				     TDXHP_C_REMOVE_4K + level - 1]++;
		record(&s->hist[TDXHP_H_REMOVE], c->duration_ns);
		break;
	}
	if (!c->err)
		s->pages[level - 1] += type == TDXHP_EV_PAGE_REMOVE ? -1 : 1;
}

static void demote(struct ref *r, const struct tdxhp_ctx_page_demote *c)
{
	struct ref_td *td = get(r, c->kvm);
	int level = (int)(int32_t)c->level;
	struct tdxhp_td_stats *s = &td->st;

	if (!valid_level(td, level))
		return;
	if (level == 1) {
		s->counters[TDXHP_C_BAD_EVENT]++;
		return;
	}
	s->counters[c->err ? TDXHP_C_DEMOTE_ERR : TDXHP_C_DEMOTE]++;
	s->counters[TDXHP_C_DEMOTE_BUSY_RETRY] += (uint32_t)c->busy_retries;
	if (!c->err) {
		s->pages[level - 1]--;
		s->pages[level - 2] += 512;
	}
	record(&s->hist[TDXHP_H_DEMOTE], c->block_ns + c->track_ns + c->demote_ns);
	record(&s->hist[TDXHP_H_DEMOTE_BLOCK], c->block_ns);
	record(&s->hist[TDXHP_H_DEMOTE_TRACK], c->track_ns);
	record(&s->hist[TDXHP_H_DEMOTE_DEMOTE], c->demote_ns);
}

static void split(struct ref *r, const struct tdxhp_ctx_boundary_split *c)
{
	struct ref_td *td = get(r, c->kvm);
	uint32_t reason = (uint32_t)c->reason;

	if (reason >= TDXHP_NR_SPLIT_REASONS) {
		td->st.counters[TDXHP_C_BAD_EVENT]++;
		return;
	}
	td->st.counters[TDXHP_C_SPLIT_CONVERT + reason]++;
	if ((int32_t)c->ret)
		td->st.counters[TDXHP_C_SPLIT_ERR]++;
	td->st.counters[TDXHP_C_SPLIT_LEAVES] += (uint32_t)c->nr_split;
	record(&td->st.hist[TDXHP_H_SPLIT], c->duration_ns);
}

static void ignored(struct ref *r, const struct tdxhp_ctx_fault_split_ignored *c)
{
	struct ref_td *td = get(r, c->kvm);
	struct ref_storm *st = NULL;

	td->st.counters[TDXHP_C_FAULT_SPLIT_IGNORED]++;
	for (unsigned int i = 0; i < r->nr_storms; i++)
		if (r->storms[i].kvm == c->kvm && r->storms[i].gfn == c->gfn)
			st = &r->storms[i];
	if (!st) {
		if (r->nr_storms == r->cap_storms) {
			r->cap_storms = r->cap_storms ? r->cap_storms * 2 : 64;
			r->storms = realloc(r->storms,
					    r->cap_storms * sizeof(*r->storms));
			if (!r->storms)
				abort();
		}
		st = &r->storms[r->nr_storms++];
		st->kvm = c->kvm;
		st->gfn = c->gfn;
		st->hits = 0;
	}
	if (++st->hits == r->storm_hits)
		td->st.counters[TDXHP_C_STORM]++;
}

int ref_emit(void *arg, int type, const void *ctx, size_t size,
	     unsigned int cpu)
{
	struct ref *r = arg;
	struct ref_td *td;

	r->events[type]++;
	switch (type) {
	case TDXHP_EV_TD_INIT: {
		const struct tdxhp_ctx_td_init *c = ctx;

		td = find(r, c->kvm);
		if (td)
			retire(r, td);
		td = add_td(r, c->kvm, true);
		td->pid = (int32_t)c->pid;
		td->hkid = (int32_t)c->hkid;
		break;
	}
	case TDXHP_EV_TD_TEARDOWN:
		td = find(r, ((const struct tdxhp_ctx_td_teardown *)ctx)->kvm);
		if (td)
			retire(r, td);
		break;
	case TDXHP_EV_PAGE_ADD:
	case TDXHP_EV_PAGE_AUG:
	case TDXHP_EV_PAGE_REMOVE:
		page_op(r, type, ctx);
		break;
	case TDXHP_EV_PAGE_DEMOTE:
		demote(r, ctx);
		break;
	case TDXHP_EV_BOUNDARY_SPLIT:
		split(r, ctx);
		break;
	case TDXHP_EV_FAULT_SPLIT_IGNORED:
		ignored(r, ctx);
		break;
	case TDXHP_EV_SEAMCALL_BUSY: {
		const struct tdxhp_ctx_seamcall_busy *c = ctx;

		if (c->seamcall < TDXHP_MAX_SEAMCALL)
			r->seamcall_busy[c->seamcall]++;
		get(r, c->kvm)->st.counters[TDXHP_C_SEAMCALL_BUSY]++;
		break;
	}
	}
	return 0;
}
