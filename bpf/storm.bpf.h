/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * EPT-violation storm detector.  A fault-path split that KVM refuses leaves
 * the guest faulting on the same gfn again; the same (TD, gfn) refused at
 * least storm_hits times within storm_window_ns is a storm.
 *
 * Counting happens in a small LRU cache per TD (struct tdxhp_storm_set).
 * An entry that is repeating (two hits in an open window) is never evicted
 * by a stray gfn; if both ways of a set are repeating, the newcomer is not
 * tracked and storm_table_full says so.  Time is
 * CLOCK_MONOTONIC (bpf_ktime_get_ns(); the coarse clock is not allowed in
 * tracing programs).
 */
#ifndef TDXHP_STORM_BPF_H
#define TDXHP_STORM_BPF_H

static __always_inline __u32 storm_set_index(__u32 slot, __u64 gfn)
{
	__u32 set = (__u32)((gfn * 0x9E3779B97F4A7C15ULL) >> 60);

	return slot * TDXHP_STORM_SETS + (set & (TDXHP_STORM_SETS - 1));
}

static __always_inline bool storm_hot(const struct tdxhp_storm_way *w,
				      __u64 now)
{
	return w->gfn_tag && w->hits >= 2 &&
	       now - w->window_start_ns <= storm_window_ns;
}

/* The way that holds gfn, claiming the least recently used one if none. */
static __always_inline struct tdxhp_storm_way *
storm_way(struct tdxhp_storm_set *set, __u64 tag, __u64 now)
{
	struct tdxhp_storm_way *w0 = &set->way[0], *w1 = &set->way[1], *v;
	__u64 old;

	if (w0->gfn_tag == tag)
		return w0;
	if (w1->gfn_tag == tag)
		return w1;

	if (!w0->gfn_tag)
		v = w0;
	else if (!w1->gfn_tag)
		v = w1;
	else if (storm_hot(w0, now))
		v = w1;
	else if (storm_hot(w1, now))
		v = w0;
	else
		v = w0->last_ns <= w1->last_ns ? w0 : w1;
	if (storm_hot(v, now)) {
		host_count(TDXHP_HC_STORM_TABLE_FULL);
		return NULL;
	}
	old = v->gfn_tag;
	if (__sync_val_compare_and_swap(&v->gfn_tag, old, tag) != old)
		return v->gfn_tag == tag ? v : NULL; /* another CPU took it */
	v->window_start_ns = now;
	v->hits = 0;
	v->storms = 0;
	return v;
}

/* Returns true when this event completed a storm window. */
static __always_inline bool storm_note(__u32 slot, struct tdxhp_td_meta *m,
				       struct tdxhp_td_shard *s, __u64 gfn,
				       int level, int goal_level)
{
	__u32 idx = storm_set_index(slot, gfn);
	struct tdxhp_storm_set *set = bpf_map_lookup_elem(&storm_table, &idx);
	struct tdxhp_storm_way *w;
	__u64 now;
	__u32 hits;

	if (!set)
		return false;
	now = bpf_ktime_get_ns();
	w = storm_way(set, gfn + 1, now);
	if (!w)
		return false;
	if (now - w->window_start_ns > storm_window_ns) {
		w->window_start_ns = now;
		w->hits = 0;
	}
	w->last_ns = now;
	w->level = level;
	w->goal_level = goal_level;
	hits = __sync_fetch_and_add(&w->hits, 1) + 1;
	if (hits != storm_hits)
		return false;

	/* Only the CPU whose hit reached the threshold gets here. */
	if (w->storms < TDXHP_STORM_MAX_STORMS)
		w->storms++;
	STAT_ADD(s->word[TDXHP_SW_C_STORM], 1);
	m->last_storm_ns = now;
	__sync_fetch_and_or(&m->flags, TDXHP_TD_STORM);
	return true;
}

/* td_teardown: forget every gfn of the slot. */
static __always_inline void storm_forget(__u32 slot)
{
	for (__u32 i = 0; i < TDXHP_STORM_SETS; i++) {
		__u32 idx = slot * TDXHP_STORM_SETS + i;
		struct tdxhp_storm_set *set = bpf_map_lookup_elem(&storm_table,
								   &idx);

		if (set)
			__builtin_memset(set, 0, sizeof(*set));
	}
}

#endif /* TDXHP_STORM_BPF_H */
