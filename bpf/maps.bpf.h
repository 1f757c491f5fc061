/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Maps and tunables shared by every tdxhp BPF program. */
#ifndef TDXHP_MAPS_BPF_H
#define TDXHP_MAPS_BPF_H

/* Set by the loader before load; the verifier sees them as constants. */
const volatile __u32 slot_bits = TDXHP_DEFAULT_SLOT_BITS;
const volatile __u32 shard_bits = 0;	   /* td_stats: 1 << shard_bits per slot */
/*
 * Atomic adds (below): on shards where CPUs share one or where preemptible
 * programs have no bpf_preempt_disable(); on host counters in the latter case.
 */
const volatile bool shard_adds_atomic = false;
const volatile bool host_adds_atomic = false;
const volatile __u64 instance_id = 0;	   /* counts while control.owner == it */

/* Runtime knobs, written by user space. */
__u32 stream_enabled;
__u32 storm_hits = TDXHP_DEFAULT_STORM_HITS;
__u64 storm_window_ns = TDXHP_DEFAULT_STORM_WINDOW_NS;

/* Handles of the TDs torn down last, for a takeover to skip them. */
__u64 late_teardown[TDXHP_LATE_TEARDOWNS];
__u32 late_teardown_next;

/*
 * Shared with older and newer instances under one pin dir (its map is
 * reused), and read by every event: a global, so the read is one load,
 * not a map lookup.
 */
struct tdxhp_control control SEC(".data.control");

/* What this instance is; written once by the loader, then frozen. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct tdxhp_info);
} info SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, TDXHP_MAX_SCHEMA);
	__type(key, __u32);
	__type(value, struct tdxhp_schema_field);
} schema SEC(".maps");

/* TD identity by slot; max_entries is set to 1 << slot_bits at load. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1 << TDXHP_DEFAULT_SLOT_BITS);
	__uint(map_flags, BPF_F_MMAPABLE);
	__type(key, __u32);
	__type(value, struct tdxhp_td_meta);
} td_meta SEC(".maps");

/*
 * Per-TD stats in shards, (slots + 1) << shard_bits entries: a slot's
 * shards are adjacent, the retired TDs' shards come last.  Sized at load.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, (1 << TDXHP_DEFAULT_SLOT_BITS) + 1);
	__uint(map_flags, BPF_F_MMAPABLE); /* page-aligned values */
	__type(key, __u32);
	__type(value, struct tdxhp_td_shard);
} td_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct tdxhp_host_stats);
} host_stats SEC(".maps");

/* Storm LRU sets by slot; max_entries is set to slots * sets at load. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, (1 << TDXHP_DEFAULT_SLOT_BITS) * TDXHP_STORM_SETS);
	__uint(map_flags, BPF_F_MMAPABLE);
	__type(key, __u32);
	__type(value, struct tdxhp_storm_set);
} storm_table SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, TDXHP_RINGBUF_BYTES);
} events SEC(".maps");

/*
 * Plain add on a CPU's own shard, atomic where CPUs share one.  A plain add
 * is a load, an add and a store: it is safe only while nothing else can
 * update the shard in between on this CPU.  Tracepoint programs run with
 * preemption disabled; fexit programs (the seamcall source) run preemptible,
 * so they disable preemption with bpf_preempt_disable() (Linux 6.10+), and
 * where the kernel lacks it the loader makes every add atomic instead
 * (source_seamcall.bpf.h, docs/memory.md).
 */
#define STAT_ADD(lval, v)                                                      \
	do {                                                                   \
		if (shard_adds_atomic)                                         \
			__sync_fetch_and_add(&(lval), (v));                    \
		else                                                           \
			(lval) += (v);                                         \
	} while (0)

/*
 * Branch hints: the usual case falls through.  A rarely run program finds
 * its branches unknown to the predictor, and a taken branch costs it more.
 */
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

/* 1 if x != 0, else 0, with no branch (BPF has no set-on-condition). */
static __always_inline __u64 nonzero(__u64 x)
{
	__u64 v = x | -x;

	barrier_var(v); /* or the compiler turns it back into a compare */
	return v >> 63;
}

/* A per-CPU host counter: the same rule as STAT_ADD. */
#define HOST_INC(lval)                                                         \
	do {                                                                   \
		if (host_adds_atomic)                                          \
			__sync_fetch_and_add(&(lval), 1);                      \
		else                                                           \
			(lval)++;                                              \
	} while (0)

/* Only the owner counts: a takeover switches every CPU at one store. */
static __always_inline bool instance_active(void)
{
	return likely(*(volatile __u64 *)&control.owner == instance_id);
}

static __always_inline struct tdxhp_host_stats *host(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&host_stats, &zero);
}

static __always_inline void host_count(enum tdxhp_host_counter c)
{
	struct tdxhp_host_stats *h = host();

	if (h)
		HOST_INC(h->counters[c]);
}

#endif /* TDXHP_MAPS_BPF_H */
