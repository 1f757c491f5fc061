/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * EPT-violation storm detector.  A fault-path split that KVM refuses leaves
 * the guest faulting on the same gfn again; the same (TD, gfn) refused at
 * least storm_hits times within storm_window_ns is a storm.
 */
#ifndef TDXHP_STORM_BPF_H
#define TDXHP_STORM_BPF_H

/* Returns true when this event completed a storm window. */
static __always_inline bool storm_note(__u32 slot, struct tdxhp_td_meta *m,
				       struct tdxhp_td_stats *s, __u64 gfn,
				       int level, int goal_level)
{
	struct tdxhp_storm_key key = { .slot = slot, .gen = m->gen, .gfn = gfn };
	struct tdxhp_storm_val *v;
	__u64 now = bpf_ktime_get_ns();
	__u32 hits;

	v = bpf_map_lookup_elem(&storm_gfns, &key);
	if (!v) {
		struct tdxhp_storm_val nv = {
			.window_start_ns = now,
			.last_ns = now,
			.level = level,
			.goal_level = goal_level,
		};
		long err = bpf_map_update_elem(&storm_gfns, &key, &nv, BPF_NOEXIST);

		if (!err)
			__sync_fetch_and_add(&m->storm_entries, 1);
		else if (err != -17 /* EEXIST: another CPU won */)
			host_count(TDXHP_HC_STORM_MAP_FULL);
		v = bpf_map_lookup_elem(&storm_gfns, &key);
		if (!v)
			return false;
	}
	if (now - v->window_start_ns > storm_window_ns) {
		v->window_start_ns = now;
		v->hits = 0;
	}
	v->last_ns = now;
	v->level = level;
	v->goal_level = goal_level;
	hits = __sync_fetch_and_add(&v->hits, 1) + 1;
	if (hits != storm_hits)
		return false;

	__sync_fetch_and_add(&v->storms, 1);
	s->counters[TDXHP_C_STORM]++;
	m->last_storm_ns = now;
	__sync_fetch_and_or(&m->flags, TDXHP_TD_STORM);
	return true;
}

#endif /* TDXHP_STORM_BPF_H */
