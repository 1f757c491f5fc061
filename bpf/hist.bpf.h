/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* log2 latency histograms in a TD's shard of td_stats. */
#ifndef TDXHP_HIST_BPF_H
#define TDXHP_HIST_BPF_H

/*
 * floor(log2(v)) for v > 0, and 31 for v >= 2^31 (the last bucket), with no
 * branch: in BPF a comparison is a jump, and a program that runs rarely
 * finds its jumps unknown to the predictor.  (K - v) >> 63 is 1 when v > K,
 * for v < 2^63: v is first capped at 2^31.
 */
static __always_inline __u32 log2_u64(__u64 v)
{
	__u64 big = nonzero(v >> 31), r, s;

	v = (v & (big - 1)) | (big << 31);
	barrier_var(v);
	s = ((0xffffULL - v) >> 63) << 4;
	v >>= s;
	r = s;
	barrier_var(v);
	s = ((0xffULL - v) >> 63) << 3;
	v >>= s;
	r |= s;
	barrier_var(v);
	s = ((0xfULL - v) >> 63) << 2;
	v >>= s;
	r |= s;
	barrier_var(v);
	s = ((0x3ULL - v) >> 63) << 1;
	v >>= s;
	r |= s;
	return r | (v >> 1);
}

/*
 * A histogram of a shard whose buckets start at slot first, stride apart:
 * its bucket, and its sum in the shard word of its event.  A duration of 0
 * means the kernel did not measure it: not recorded.
 */
static __always_inline void hist_bucket_add(struct tdxhp_td_shard *s,
					    __u32 first, __u32 stride,
					    __u32 sum_word, __u64 ns)
{
	__u64 slot, idx;

	if (unlikely(!ns))
		return;
	slot = log2_u64(ns);
	/* A 64-bit bound the verifier sees (log2_u64() is at most 31). */
	barrier_var(slot);
	slot &= TDXHP_HIST_SLOTS - 1;
	/*
	 * clang may form the index with OR (first is aligned), whose bounds
	 * 6.1's verifier loses: bound the index itself, after the math.
	 */
	idx = first + slot * stride;
	barrier_var(idx);
	if (unlikely(idx >= sizeof(s->slots) / sizeof(s->slots[0])))
		return;
	STAT_ADD(s->slots[idx], 1);
	STAT_ADD(s->word[sum_word], ns);
}

/* Histogram ID of a shard: where its buckets start, how far apart. */
#define HIST_RECORD(s, ID, ns)                                                 \
	hist_bucket_add(s, TDXHP_SHARD_SLOT(TDXHP_H_##ID, 0),                  \
			TDXHP_SHARD_SLOT(TDXHP_H_##ID, 1) -                    \
				TDXHP_SHARD_SLOT(TDXHP_H_##ID, 0),             \
			TDXHP_SW_H_##ID, ns)

#endif /* TDXHP_HIST_BPF_H */
