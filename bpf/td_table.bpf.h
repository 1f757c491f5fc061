/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The TD table: struct kvm pointer -> slot, by open addressing over the
 * td_meta array.  Array lookups are inlined by the verifier, so a hit costs
 * a multiply, a shift and a compare instead of a hash-map lookup on every
 * event.  A TD may sit at any of TDXHP_MAX_PROBE positions after its home
 * slot; a free slot has kvm == 0, so deleting needs no tombstones.
 */
#ifndef TDXHP_TD_TABLE_BPF_H
#define TDXHP_TD_TABLE_BPF_H

static __always_inline __u32 td_home(__u64 kvm)
{
	return tdxhp_td_home(kvm, slot_bits);
}

static __always_inline __u32 td_mask(void)
{
	return (1U << slot_bits) - 1;
}

static __always_inline struct tdxhp_td_meta *td_find(__u64 kvm, __u32 *slotp)
{
	__u32 home = td_home(kvm);

	for (int i = 0; i < TDXHP_MAX_PROBE; i++) {
		__u32 slot = (home + i) & td_mask();
		struct tdxhp_td_meta *m = bpf_map_lookup_elem(&td_meta, &slot);

		if (!m)
			return NULL;
		if (m->kvm == kvm) {
			*slotp = slot;
			return m;
		}
	}
	return NULL;
}

/*
 * pid and hkid of a TD first seen after it was created.  Reads through
 * CO-RE; on a kernel without these types or for a bad pointer they fail
 * soft and leave "unknown".
 */
static __always_inline void td_read_identity(__u64 kvm, struct tdxhp_td_meta *m)
{
	struct kvm *k = (struct kvm *)kvm;
	struct kvm_tdx *t = (struct kvm_tdx *)kvm;
	pid_t pid = 0;
	int hkid = -1;

	if (bpf_core_field_exists(k->userspace_pid) &&
	    bpf_core_read(&pid, sizeof(pid), &k->userspace_pid))
		pid = 0;
	if (bpf_core_type_exists(struct kvm_tdx) &&
	    bpf_core_field_exists(t->hkid) &&
	    bpf_core_read(&hkid, sizeof(hkid), &t->hkid))
		hkid = -1;
	m->pid = pid;
	m->hkid = hkid;
}

/*
 * Claim a slot for kvm.  Two CPUs racing for the same new TD pick the same
 * first free slot; the loser of the cmpxchg sees the winner's key there.
 */
static __always_inline struct tdxhp_td_meta *td_claim(__u64 kvm, __u32 *slotp,
						      bool exact)
{
	__u32 home = td_home(kvm);

	for (int i = 0; i < TDXHP_MAX_PROBE; i++) {
		__u32 slot = (home + i) & td_mask();
		struct tdxhp_td_meta *m = bpf_map_lookup_elem(&td_meta, &slot);
		__u64 old;

		if (!m)
			break;
		old = m->kvm;
		if (old == 0)
			old = __sync_val_compare_and_swap(&m->kvm, 0, kvm);
		if (old == kvm) {
			*slotp = slot;
			return m;
		}
		if (old != 0)
			continue;

		m->gen++;
		m->first_seen_ns = bpf_ktime_get_ns();
		m->last_storm_ns = 0;
		if (exact) {
			m->flags = TDXHP_TD_EXACT;
		} else {
			m->flags = TDXHP_TD_PARTIAL;
			td_read_identity(kvm, m);
		}
		*slotp = slot;
		return m;
	}
	host_count(TDXHP_HC_TD_TABLE_FULL);
	return NULL;
}

/* td_get() away from the home slot: a collision, or a TD seen first. */
static __noinline struct tdxhp_td_meta *td_get_slow(__u64 kvm, __u32 *slotp)
{
	struct tdxhp_td_meta *m = td_find(kvm, slotp);

	return m ? m : td_claim(kvm, slotp, false);
}

/*
 * The TD an event belongs to; a TD seen for the first time joins partial.
 * Most TDs sit in their home slot: that is one inlined lookup, and the
 * probing and claiming are a call out of the way.
 */
static __always_inline struct tdxhp_td_meta *td_get(__u64 kvm, __u32 *slotp)
{
	__u32 slot = td_home(kvm);
	struct tdxhp_td_meta *m = bpf_map_lookup_elem(&td_meta, &slot);

	if (likely(m && m->kvm == kvm)) {
		*slotp = slot;
		return m;
	}
	return td_get_slow(kvm, slotp);
}

/* This CPU's shard of the slot's stats. */
static __always_inline struct tdxhp_td_shard *td_stats_of(__u32 slot)
{
	__u32 shard = bpf_get_smp_processor_id() & ((1U << shard_bits) - 1);
	__u32 key = (slot << shard_bits) | shard;

	return bpf_map_lookup_elem(&td_stats, &key);
}

struct td_release_ctx {
	__u32 slot;
	__u32 retired;
	__u32 done;
};

/*
 * Fold one shard of the slot into the same shard of the retired entry and
 * zero it, so host-wide totals stay monotonic when TDs come and go.  Always
 * atomic: another CPU may own the shard.  Page gauges are not folded: what
 * is still mapped at teardown is reclaimed with the TD.
 */
static long td_fold_shard(__u32 shard, struct td_release_ctx *c)
{
	__u32 skey = (c->slot << shard_bits) | shard;
	__u32 dkey = (c->retired << shard_bits) | shard;
	struct tdxhp_td_shard *src, *dst;

	src = bpf_map_lookup_elem(&td_stats, &skey);
	dst = bpf_map_lookup_elem(&td_stats, &dkey);
	if (!src || !dst)
		return 1;
	for (int i = 0; i < TDXHP_NR_SHARD_WORDS; i++) {
		__u64 v = __sync_lock_test_and_set(&src->word[i], 0);

		if (!tdxhp_shard_word_is_gauge(i))
			__sync_fetch_and_add(&dst->word[i], v);
	}
	for (int i = 0; i < TDXHP_NR_HISTS * TDXHP_HIST_SLOTS; i++)
		__sync_fetch_and_add(&dst->slots[i],
				     __sync_lock_test_and_set(&src->slots[i], 0));
	c->done++;
	return 0;
}

/* td_teardown: give the slot back, leaving no entry behind. */
static __always_inline void td_release(__u32 slot, struct tdxhp_td_meta *m)
{
	struct td_release_ctx c = {
		.slot = slot,
		.retired = 1U << slot_bits,
	};

	bpf_loop(1U << shard_bits, td_fold_shard, &c, 0);
	if (c.done != 1U << shard_bits)
		host_count(TDXHP_HC_RETIRE_INCOMPLETE);
	storm_forget(slot);
	m->flags = 0;
	m->pid = 0;
	m->hkid = -1;
	/* Free the slot last: a reader that sees kvm != 0 sees a whole TD. */
	__sync_lock_test_and_set(&m->kvm, 0);
}

/* Recent teardowns: a takeover must not carry these TDs back to life. */
static __always_inline void td_note_teardown(__u64 kvm)
{
	__u32 i = __sync_fetch_and_add(&late_teardown_next, 1) %
		  TDXHP_LATE_TEARDOWNS;

	late_teardown[i] = kvm;
}

#endif /* TDXHP_TD_TABLE_BPF_H */
