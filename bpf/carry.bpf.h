/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Takeover: a newer tdxhp-load adds the state of the instance it replaces
 * into this one.  It runs through BPF_PROG_TEST_RUN on one CPU, so each add
 * lands in that CPU's shard exactly like an event's, while events keep
 * coming.  User space stages the values (converted by field name from the
 * old layout) in carry_stage: a global in .data, whose page has room for
 * it, rather than a map (a page of kernel memory) of its own.
 */
#ifndef TDXHP_CARRY_BPF_H
#define TDXHP_CARRY_BPF_H

struct tdxhp_carry_stage carry_stage SEC(".data");

static __always_inline void carry_stats(struct tdxhp_td_shard *dst,
					const struct tdxhp_td_shard *src,
					bool pages)
{
	for (int i = 0; i < TDXHP_NR_SHARD_WORDS; i++)
		if (pages || !tdxhp_shard_word_is_gauge(i))
			__sync_fetch_and_add(&dst->word[i], src->word[i]);
	for (int i = 0; i < TDXHP_NR_HISTS * TDXHP_HIST_SLOTS; i++)
		__sync_fetch_and_add(&dst->slots[i], src->slots[i]);
}

/* A carried TD keeps what the old instance knew: exact, identity, age. */
static __always_inline struct tdxhp_td_meta *
carry_td_meta(const struct tdxhp_ctx_carry *c, __u32 *slot)
{
	struct tdxhp_td_meta *m = td_find(c->kvm, slot);

	if (!m)
		m = td_claim(c->kvm, slot, c->flags & TDXHP_TD_EXACT);
	if (!m)
		return NULL;
	m->first_seen_ns = c->first_seen_ns;
	if (c->last_storm_ns > m->last_storm_ns)
		m->last_storm_ns = c->last_storm_ns;
	m->pid = (__s32)c->pid;
	m->hkid = (__s32)c->hkid;
	m->flags = (m->flags & TDXHP_TD_STORM) |
		   (c->flags & (TDXHP_TD_EXACT | TDXHP_TD_PARTIAL |
				TDXHP_TD_STORM));
	return m;
}

SEC("raw_tp/tdxhp_carry")
int tdxhp_carry(struct tdxhp_ctx_carry *c)
{
	const struct tdxhp_carry_stage *v = &carry_stage;
	struct tdxhp_td_shard *dst;
	struct tdxhp_host_stats *h;
	__u32 slot, key;

	if (c->kind == TDXHP_CARRY_HOST) {
		h = host();
		if (!h)
			return 1;
		for (int i = 0; i < TDXHP_NR_HOST_COUNTERS; i++)
			h->counters[i] += v->host.counters[i];
		for (int i = 0; i < TDXHP_NR_EVENTS; i++)
			h->events[i] += v->host.events[i];
		for (int i = 0; i < TDXHP_MAX_SEAMCALL; i++)
			h->seamcall_busy[i] += v->host.seamcall_busy[i];
		return 0;
	}
	if (c->kind == TDXHP_CARRY_RETIRED) {
		key = ((1U << slot_bits) << shard_bits) |
		      (bpf_get_smp_processor_id() & ((1U << shard_bits) - 1));
		dst = bpf_map_lookup_elem(&td_stats, &key);
		if (!dst)
			return 1;
		carry_stats(dst, &v->td, false);
		return 0;
	}
	if (!carry_td_meta(c, &slot))
		return 2; /* table full: counted by td_claim */
	dst = td_stats_of(slot);
	if (!dst)
		return 1;
	carry_stats(dst, &v->td, true);
	return 0;
}

#endif /* TDXHP_CARRY_BPF_H */
