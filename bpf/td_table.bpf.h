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
	/* Fibonacci hashing; struct kvm allocations share low bits. */
	return (__u32)((kvm * 0x9E3779B97F4A7C15ULL) >> (64 - slot_bits));
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

/* The TD an event belongs to; a TD seen for the first time joins partial. */
static __always_inline struct tdxhp_td_meta *td_get(__u64 kvm, __u32 *slotp)
{
	struct tdxhp_td_meta *m = td_find(kvm, slotp);

	return m ? m : td_claim(kvm, slotp, false);
}

static __always_inline struct tdxhp_td_stats *td_stats_of(__u32 slot)
{
	return bpf_map_lookup_elem(&td_stats, &slot);
}

struct td_release_ctx {
	__u32 slot;
	__u32 retired;
	__u32 done;
};

/*
 * Fold one CPU's stats of the slot into the retired entry and zero them,
 * so host-wide totals stay monotonic when TDs come and go.  Page gauges are
 * not folded: what is still mapped at teardown is reclaimed with the TD.
 */
static long td_fold_cpu(__u32 cpu, struct td_release_ctx *c)
{
	struct tdxhp_td_stats *src, *dst;

	src = bpf_map_lookup_percpu_elem(&td_stats, &c->slot, cpu);
	dst = bpf_map_lookup_percpu_elem(&td_stats, &c->retired, cpu);
	if (!src || !dst)
		return 1;
	for (int i = 0; i < TDXHP_NR_COUNTERS; i++) {
		dst->counters[i] += src->counters[i];
		src->counters[i] = 0;
	}
	for (int i = 0; i < TDXHP_NR_LEVELS; i++)
		src->pages[i] = 0;
	for (int h = 0; h < TDXHP_NR_HISTS; h++) {
		for (int i = 0; i < TDXHP_HIST_SLOTS; i++) {
			dst->hist[h].slots[i] += src->hist[h].slots[i];
			src->hist[h].slots[i] = 0;
		}
		dst->hist[h].sum_ns += src->hist[h].sum_ns;
		src->hist[h].sum_ns = 0;
	}
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

	bpf_loop(nr_cpus, td_fold_cpu, &c, 0);
	if (c.done != nr_cpus)
		host_count(TDXHP_HC_RETIRE_INCOMPLETE);
	storm_forget(slot);
	m->flags = 0;
	m->pid = 0;
	m->hkid = -1;
	/* Free the slot last: a reader that sees kvm != 0 sees a whole TD. */
	__sync_lock_test_and_set(&m->kvm, 0);
}

#endif /* TDXHP_TD_TABLE_BPF_H */
