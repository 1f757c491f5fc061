/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* log2 latency histograms in a TD's shard of td_stats. */
#ifndef TDXHP_HIST_BPF_H
#define TDXHP_HIST_BPF_H

/* floor(log2(v)) for v > 0, branch-light like libbpf-tools' bits.bpf.h */
static __always_inline __u32 log2_u64(__u64 v)
{
	__u32 r = 0, shift;

	shift = (v > 0xffffffffULL) << 5; v >>= shift; r |= shift;
	shift = (v > 0xffff) << 4; v >>= shift; r |= shift;
	shift = (v > 0xff) << 3; v >>= shift; r |= shift;
	shift = (v > 0xf) << 2; v >>= shift; r |= shift;
	shift = (v > 0x3) << 1; v >>= shift; r |= shift;
	r |= (v >> 1);
	return r;
}

/* A duration of 0 means the kernel did not measure it: not recorded. */
static __always_inline void hist_record(struct tdxhp_hist *h, __u64 ns)
{
	__u64 slot;

	if (!ns)
		return;
	slot = log2_u64(ns);
	if (slot >= TDXHP_HIST_SLOTS)
		slot = TDXHP_HIST_SLOTS - 1;
	/* A 64-bit bound: 6.1's verifier does not widen a 32-bit compare. */
	barrier_var(slot);
	slot &= TDXHP_HIST_SLOTS - 1;
	STAT_ADD(h->slots[slot], 1);
	STAT_ADD(h->sum_ns, ns);
}

#endif /* TDXHP_HIST_BPF_H */
