/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The source-neutral core: every accounting rule of tdxhp, fed one
 * normalized struct tdxhp_event per event by a thin source adapter
 * (source_tracepoint.bpf.h, source_seamcall.bpf.h).  The TD is named by an
 * opaque key, the address of its struct kvm, which never leaves the kernel.
 * Every function is inlined into its adapter with a constant type, so each
 * program keeps only the rules of its own event.
 */
#ifndef TDXHP_CORE_BPF_H
#define TDXHP_CORE_BPF_H

/* Count the event host-wide; returns this CPU's host stats for more. */
static __always_inline struct tdxhp_host_stats *
count_event(enum tdxhp_event_type type)
{
	struct tdxhp_host_stats *h = host();

	if (h)
		h->events[type]++;
	return h;
}

/* Index into pages[] for a valid level, or -1 (counted as bad input). */
static __always_inline int level_index(int level, struct tdxhp_td_stats *s)
{
	__u32 li = (__u32)level - 1;

	/* Keep the bounds check on the register that indexes the arrays. */
	barrier_var(li);
	if (li < TDXHP_NR_LEVELS)
		return li;
	STAT_ADD(s->counters[TDXHP_C_BAD_EVENT], 1);
	host_count(TDXHP_HC_BAD_LEVEL);
	return -1;
}

/* Per-TD state of an event: its meta, slot and this CPU's shard. */
struct td_ref {
	struct tdxhp_td_meta *m;
	struct tdxhp_td_stats *s;
	__u32 slot;
};

static __always_inline bool td_ref_get(__u64 kvm, struct td_ref *t)
{
	t->m = td_get(kvm, &t->slot);
	if (!t->m)
		return false;
	t->s = td_stats_of(t->slot);
	return t->s != NULL;
}

static __always_inline void core_td_init(__u32 src, __u64 kvm,
					 const struct tdxhp_event *e)
{
	struct tdxhp_td_meta *m;
	__u32 slot;

	count_event(TDXHP_EV_TD_INIT);
	/* A handle we still hold belongs to a TD whose teardown we missed. */
	m = td_find(kvm, &slot);
	if (m) {
		host_count(TDXHP_HC_TD_REINIT);
		td_release(slot, m);
	}
	m = td_claim(kvm, &slot, true);
	if (!m)
		return;
	m->pid = e->pid;
	m->hkid = e->hkid;
	stream_emit(TDXHP_EV_TD_INIT, src, slot, m, e, 0);
}

static __always_inline void core_td_teardown(__u32 src, __u64 kvm,
					     const struct tdxhp_event *e)
{
	struct tdxhp_td_meta *m;
	__u32 slot;

	count_event(TDXHP_EV_TD_TEARDOWN);
	td_note_teardown(kvm);
	m = td_find(kvm, &slot);
	if (!m) {
		host_count(TDXHP_HC_TD_UNKNOWN_TEARDOWN);
		return;
	}
	stream_emit(TDXHP_EV_TD_TEARDOWN, src, slot, m, e, 0);
	td_release(slot, m);
}

/* add, aug and remove share their shape: count, gauge, histogram, record. */
static __always_inline void core_page(enum tdxhp_event_type type, __u32 src,
				      __u64 kvm, const struct tdxhp_event *e)
{
	bool ok = e->status == 0;
	struct td_ref t;
	int li;

	count_event(type);
	if (!td_ref_get(kvm, &t))
		return;
	li = level_index(e->level, t.s);
	if (li < 0)
		return;

	if (type == TDXHP_EV_PAGE_ADD) {
		STAT_ADD(t.s->counters[ok ? TDXHP_C_ADD : TDXHP_C_ADD_ERR], 1);
		if (ok)
			STAT_ADD(t.s->pages[li], 1);
		hist_record(&t.s->hist[TDXHP_H_ADD], e->duration_ns);
	} else if (type == TDXHP_EV_PAGE_AUG) {
		STAT_ADD(t.s->counters[ok ? TDXHP_C_AUG_4K + li : TDXHP_C_AUG_ERR], 1);
		if (ok)
			STAT_ADD(t.s->pages[li], 1);
		if (e->level == TDXHP_LEVEL_4K)
			hist_record(&t.s->hist[TDXHP_H_AUG_4K], e->duration_ns);
		else if (e->level == TDXHP_LEVEL_2M)
			hist_record(&t.s->hist[TDXHP_H_AUG_2M], e->duration_ns);
	} else {
		STAT_ADD(t.s->counters[ok ? TDXHP_C_REMOVE_4K + li : TDXHP_C_REMOVE_ERR], 1);
		if (ok)
			STAT_ADD(t.s->pages[li], -1);
		hist_record(&t.s->hist[TDXHP_H_REMOVE], e->duration_ns);
	}
	stream_emit(type, src, t.slot, t.m, e, 0);
}

static __always_inline void core_demote(__u32 src, __u64 kvm,
					const struct tdxhp_event *e)
{
	struct td_ref t;
	int li;

	count_event(TDXHP_EV_PAGE_DEMOTE);
	if (!td_ref_get(kvm, &t))
		return;
	li = level_index(e->level, t.s);
	if (li < 1) {
		if (li == 0) /* a 4K leaf cannot be split */
			STAT_ADD(t.s->counters[TDXHP_C_BAD_EVENT], 1);
		return;
	}

	STAT_ADD(t.s->counters[e->status ? TDXHP_C_DEMOTE_ERR : TDXHP_C_DEMOTE], 1);
	STAT_ADD(t.s->counters[TDXHP_C_DEMOTE_BUSY_RETRY], e->busy_retries);
	if (!e->status) {
		__u32 lower = (__u32)li - 1;

		/* Bounded on its own register: 6.1's verifier needs it. */
		barrier_var(lower);
		STAT_ADD(t.s->pages[li], -1);
		if (lower < TDXHP_NR_LEVELS)
			STAT_ADD(t.s->pages[lower], TDXHP_PAGES_PER_LEVEL);
	}
	hist_record(&t.s->hist[TDXHP_H_DEMOTE], e->duration_ns);
	hist_record(&t.s->hist[TDXHP_H_DEMOTE_BLOCK], e->block_ns);
	hist_record(&t.s->hist[TDXHP_H_DEMOTE_TRACK], e->track_ns);
	hist_record(&t.s->hist[TDXHP_H_DEMOTE_DEMOTE], e->demote_ns);
	stream_emit(TDXHP_EV_PAGE_DEMOTE, src, t.slot, t.m, e, 0);
}

/*
 * Gauges are not touched here: every huge leaf the boundary split demotes
 * also fires page_demote.
 */
static __always_inline void core_boundary_split(__u32 src, __u64 kvm,
						const struct tdxhp_event *e)
{
	struct td_ref t;

	count_event(TDXHP_EV_BOUNDARY_SPLIT);
	if (!td_ref_get(kvm, &t))
		return;
	if ((__u32)e->reason >= TDXHP_NR_SPLIT_REASONS) {
		STAT_ADD(t.s->counters[TDXHP_C_BAD_EVENT], 1);
		return;
	}
	STAT_ADD(t.s->counters[TDXHP_C_SPLIT_CONVERT + e->reason], 1);
	if (e->ret)
		STAT_ADD(t.s->counters[TDXHP_C_SPLIT_ERR], 1);
	STAT_ADD(t.s->counters[TDXHP_C_SPLIT_LEAVES], e->nr_split);
	hist_record(&t.s->hist[TDXHP_H_SPLIT], e->duration_ns);
	stream_emit(TDXHP_EV_BOUNDARY_SPLIT, src, t.slot, t.m, e, 0);
}

static __always_inline void core_fault_split_ignored(__u32 src, __u64 kvm,
						     const struct tdxhp_event *e)
{
	struct td_ref t;
	bool storm;

	count_event(TDXHP_EV_FAULT_SPLIT_IGNORED);
	if (!td_ref_get(kvm, &t))
		return;
	STAT_ADD(t.s->counters[TDXHP_C_FAULT_SPLIT_IGNORED], 1);
	storm = storm_note(t.slot, t.m, t.s, e->gfn, e->level, e->goal_level);
	stream_emit(TDXHP_EV_FAULT_SPLIT_IGNORED, src, t.slot, t.m, e,
		    storm ? TDXHP_REC_STORM : 0);
}

static __always_inline void core_seamcall_busy(__u32 src, __u64 kvm,
					       const struct tdxhp_event *e)
{
	struct tdxhp_host_stats *h;
	struct td_ref t;

	h = count_event(TDXHP_EV_SEAMCALL_BUSY);
	if (h && e->seamcall < TDXHP_MAX_SEAMCALL)
		h->seamcall_busy[e->seamcall]++;
	if (!td_ref_get(kvm, &t))
		return;
	STAT_ADD(t.s->counters[TDXHP_C_SEAMCALL_BUSY], 1);
	stream_emit(TDXHP_EV_SEAMCALL_BUSY, src, t.slot, t.m, e, 0);
}

#endif /* TDXHP_CORE_BPF_H */
