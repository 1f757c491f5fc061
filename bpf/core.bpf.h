/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The source-neutral core: every accounting rule of tdxhp, fed one
 * normalized struct tdxhp_event per event by a thin source adapter
 * (source_tracepoint.bpf.h, source_seamcall.bpf.h).  The TD is named by an
 * opaque key, the address of its struct kvm, which never leaves the kernel.
 * Every function is inlined into its adapter with a constant type, so each
 * program keeps only the rules of its own event.
 *
 * A per-page event is two calls: core_td() counts it and finds its TD (the
 * slow path claims a slot, with helper calls), then core_account() applies
 * the rules and says whether to record it.  An adapter that reads its
 * arguments between the two keeps no value alive across a helper call, so
 * the program needs no stack to spill them: below 64 bytes of stack a
 * tracing program runs on the kernel stack, not a per-CPU private one that
 * is one more page (and TLB miss) for a program that runs rarely.
 */
#ifndef TDXHP_CORE_BPF_H
#define TDXHP_CORE_BPF_H

/*
 * bench/ builds this object again with TDXHP_BENCH_CUT=N, where every rule
 * stops before step N, so bench_bpf can cost each step side by side with
 * the whole program (bench/README.md).  Steps: 1 the host counter, 2 the
 * TD and its shard, 3 counters and gauges, 4 the histogram (demote: the
 * total), 5 demote's phase histograms, 6 the stream check.
 */
#ifdef TDXHP_BENCH_CUT
#define BENCH_CUT_BEFORE(n) ((n) >= TDXHP_BENCH_CUT)
#else
#define BENCH_CUT_BEFORE(n) 0
#endif

/* core_account(): record the event, with these TDXHP_REC_* flags. */
#define CORE_RECORD (1U << 31)

/* Count the event host-wide; returns this CPU's host stats for more. */
static __always_inline struct tdxhp_host_stats *
count_event(enum tdxhp_event_type type)
{
	struct tdxhp_host_stats *h = host();

	if (h)
		HOST_INC(h->events[type]);
	return h;
}

/* 0, 1, 2 for a valid level, or -1 (counted as bad input). */
static __always_inline int level_index(int level, struct tdxhp_td_shard *s)
{
	__u32 li = (__u32)level - 1;

	/* Keep the bounds check on the register that indexes the arrays. */
	barrier_var(li);
	if (likely(li < TDXHP_NR_LEVELS))
		return li;
	STAT_ADD(s->word[TDXHP_SW_C_BAD_EVENT], 1);
	host_count(TDXHP_HC_BAD_LEVEL);
	return -1;
}

/* Per-TD state of an event: its meta, slot and this CPU's shard. */
struct td_ref {
	struct tdxhp_td_meta *m;
	struct tdxhp_td_shard *s;
	__u32 slot;
};

static __always_inline bool td_ref_get(__u64 kvm, struct td_ref *t)
{
	t->m = td_get(kvm, &t->slot);
	if (unlikely(!t->m))
		return false;
	t->s = td_stats_of(t->slot);
	return likely(t->s != NULL);
}

/* Count the event host-wide and find its TD (a new one joins partial). */
static __always_inline bool core_td(enum tdxhp_event_type type, __u64 kvm,
				    struct td_ref *t)
{
	if (BENCH_CUT_BEFORE(1))
		return false;
	count_event(type);
	if (BENCH_CUT_BEFORE(2))
		return false;
	return td_ref_get(kvm, t);
}

/* Whether the event is recorded: only while a consumer streams. */
static __always_inline __u32 core_record(__u32 flags)
{
	if (BENCH_CUT_BEFORE(6))
		return 0;
	return unlikely(stream_enabled) ? CORE_RECORD | flags : 0;
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

/* add, aug and remove share their shape: count, gauge, histogram. */
static __always_inline __u32 core_page(enum tdxhp_event_type type,
				       const struct td_ref *t,
				       const struct tdxhp_event *e)
{
	struct tdxhp_td_shard *s = t->s;
	bool ok = e->status == 0;
	int li;

	if (BENCH_CUT_BEFORE(3))
		return 0;
	li = level_index(e->level, s);
	if (unlikely(li < 0))
		return 0;

	/* 4K and 2M counts share the gauges' line; 1G and errors are rarer. */
	if (type == TDXHP_EV_PAGE_ADD) {
		STAT_ADD(s->word[ok ? TDXHP_SW_C_ADD : TDXHP_SW_C_ADD_ERR], 1);
		if (ok)
			STAT_ADD(s->word[TDXHP_SW_PAGES_4K + li], 1);
		if (BENCH_CUT_BEFORE(4))
			return 0;
		HIST_RECORD(s, ADD, e->duration_ns);
	} else if (type == TDXHP_EV_PAGE_AUG) {
		STAT_ADD(s->word[!ok	 ? TDXHP_SW_C_AUG_ERR :
				 li < 2 ? TDXHP_SW_C_AUG_4K + li :
					  TDXHP_SW_C_AUG_1G],
			 1);
		if (ok)
			STAT_ADD(s->word[TDXHP_SW_PAGES_4K + li], 1);
		if (BENCH_CUT_BEFORE(4))
			return 0;
		/* aug-4k and aug-2m: rows and sums side by side, one copy */
		if (likely(li < 2))
			hist_bucket_add(s,
					TDXHP_SHARD_SLOT(TDXHP_H_AUG_4K, 0) +
						li * TDXHP_HIST_SLOTS,
					1, TDXHP_SW_H_AUG_4K + li,
					e->duration_ns);
	} else {
		STAT_ADD(s->word[!ok	 ? TDXHP_SW_C_REMOVE_ERR :
				 li < 2 ? TDXHP_SW_C_REMOVE_4K + li :
					  TDXHP_SW_C_REMOVE_1G],
			 1);
		if (ok)
			STAT_ADD(s->word[TDXHP_SW_PAGES_4K + li], -1);
		if (BENCH_CUT_BEFORE(4))
			return 0;
		HIST_RECORD(s, REMOVE, e->duration_ns);
	}
	return core_record(0);
}

static __always_inline __u32 core_demote(const struct td_ref *t,
					 const struct tdxhp_event *e)
{
	struct tdxhp_td_shard *s = t->s;
	int li;

	if (BENCH_CUT_BEFORE(3))
		return 0;
	li = level_index(e->level, s);
	if (unlikely(li < 1)) {
		if (li == 0) /* a 4K leaf cannot be split */
			STAT_ADD(s->word[TDXHP_SW_C_BAD_EVENT], 1);
		return 0;
	}

	/* On the lines aug and remove keep warm: only the buckets miss. */
	STAT_ADD(s->word[TDXHP_SW_C_DEMOTE +
			 nonzero(e->status) *
				 (TDXHP_SW_C_DEMOTE_ERR - TDXHP_SW_C_DEMOTE)],
		 1);
	STAT_ADD(s->word[TDXHP_SW_C_DEMOTE_BUSY_RETRY], e->busy_retries);
	if (likely(!e->status)) {
		__u32 lower = (__u32)li - 1;

		/* Bounded on its own register: 6.1's verifier needs it. */
		barrier_var(lower);
		STAT_ADD(s->word[TDXHP_SW_PAGES_4K + li], -1);
		if (lower < TDXHP_NR_LEVELS)
			STAT_ADD(s->word[TDXHP_SW_PAGES_4K + lower],
				 TDXHP_PAGES_PER_LEVEL);
	}
	if (BENCH_CUT_BEFORE(4))
		return 0;
	HIST_RECORD(s, DEMOTE, e->duration_ns);
	if (BENCH_CUT_BEFORE(5))
		return 0;
	HIST_RECORD(s, DEMOTE_BLOCK, e->block_ns);
	HIST_RECORD(s, DEMOTE_TRACK, e->track_ns);
	HIST_RECORD(s, DEMOTE_DEMOTE, e->demote_ns);
	return core_record(0);
}

/*
 * Gauges are not touched here: every huge leaf the boundary split demotes
 * also fires page_demote.
 */
static __always_inline __u32 core_boundary_split(const struct td_ref *t,
						  const struct tdxhp_event *e)
{
	struct tdxhp_td_shard *s = t->s;

	if ((__u32)e->reason >= TDXHP_NR_SPLIT_REASONS) {
		STAT_ADD(s->word[TDXHP_SW_C_BAD_EVENT], 1);
		return 0;
	}
	STAT_ADD(s->word[TDXHP_SW_C_SPLIT_CONVERT + e->reason], 1);
	if (e->ret)
		STAT_ADD(s->word[TDXHP_SW_C_SPLIT_ERR], 1);
	STAT_ADD(s->word[TDXHP_SW_C_SPLIT_LEAVES], e->nr_split);
	HIST_RECORD(s, SPLIT, e->duration_ns);
	return core_record(0);
}

static __always_inline __u32 core_fault_split_ignored(const struct td_ref *t,
						      const struct tdxhp_event *e)
{
	bool storm;

	STAT_ADD(t->s->word[TDXHP_SW_C_FAULT_SPLIT_IGNORED], 1);
	storm = storm_note(t->slot, t->m, t->s, e->gfn, e->level,
			   e->goal_level);
	return core_record(storm ? TDXHP_REC_STORM : 0);
}

/* Host-wide, by SEAMCALL leaf: counted before, and without, its TD. */
static __always_inline void core_busy_leaf(__u64 leaf)
{
	struct tdxhp_host_stats *h = host();

	if (h && leaf < TDXHP_MAX_SEAMCALL)
		HOST_INC(h->seamcall_busy[leaf]);
}

static __always_inline __u32 core_seamcall_busy(const struct td_ref *t,
						const struct tdxhp_event *e)
{
	STAT_ADD(t->s->word[TDXHP_SW_C_SEAMCALL_BUSY], 1);
	return core_record(0);
}

/* The rules of one event of a TD that core_td() found. */
static __always_inline __u32 core_account(enum tdxhp_event_type type,
					  const struct td_ref *t,
					  const struct tdxhp_event *e)
{
	switch (type) {
	case TDXHP_EV_PAGE_ADD:
	case TDXHP_EV_PAGE_AUG:
	case TDXHP_EV_PAGE_REMOVE:
		return core_page(type, t, e);
	case TDXHP_EV_PAGE_DEMOTE:
		return core_demote(t, e);
	case TDXHP_EV_BOUNDARY_SPLIT:
		return core_boundary_split(t, e);
	case TDXHP_EV_FAULT_SPLIT_IGNORED:
		return core_fault_split_ignored(t, e);
	case TDXHP_EV_SEAMCALL_BUSY:
		return core_seamcall_busy(t, e);
	default:
		return 0;
	}
}

/* A whole event in one call, for a source that has built it already. */
static __always_inline void core_event(enum tdxhp_event_type type, __u32 src,
				       __u64 kvm, const struct tdxhp_event *e)
{
	struct td_ref t;
	__u32 rec;

	if (type == TDXHP_EV_SEAMCALL_BUSY)
		core_busy_leaf(e->seamcall);
	if (!core_td(type, kvm, &t))
		return;
	rec = core_account(type, &t, e);
	if (rec)
		stream_emit(type, src, t.slot, t.m, e, rec & ~CORE_RECORD);
}

#endif /* TDXHP_CORE_BPF_H */
