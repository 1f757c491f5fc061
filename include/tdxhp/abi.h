/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * tdxhp ABI: the tracepoints the kernel patches add, and the map layouts the
 * BPF programs and user space share.  This header is the single source of
 * truth; tests/contract checks kernel-patches/ and bpf/ against it.
 *
 * Included by BPF programs (after vmlinux_min.h) and by user space.
 */
#ifndef TDXHP_ABI_H
#define TDXHP_ABI_H

#ifndef __bpf__
#include <linux/types.h>
#endif

/*
 * Tracepoints.  Every event passes the struct kvm pointer first (an opaque
 * per-VM key that never leaves the kernel) and then scalars only, so raw_tp
 * programs need no pointer chasing and BPF_PROG_TEST_RUN can drive them.
 *
 * Each argument list is X(name, type) with type one of:
 *   handle  struct kvm *            (8 bytes)
 *   u64     u64 / gfn_t             (8 bytes)
 *   u32     u32                     (4 bytes)
 *   s32     int / pid_t             (4 bytes)
 * In a raw tracepoint every argument occupies one 64-bit slot, in order.
 */
#define TDXHP_TP_PREFIX "kvm_tdx_"

#define TDXHP_ARGS_td_init(X) X(kvm, handle) X(pid, s32) X(hkid, s32)

#define TDXHP_ARGS_td_teardown(X) X(kvm, handle)

#define TDXHP_ARGS_page_add(X)                                                 \
	X(kvm, handle) X(gfn, u64) X(level, s32) X(err, u64) X(duration_ns, u64)

#define TDXHP_ARGS_page_aug(X)                                                 \
	X(kvm, handle) X(gfn, u64) X(level, s32) X(err, u64) X(duration_ns, u64)

#define TDXHP_ARGS_page_remove(X)                                              \
	X(kvm, handle) X(gfn, u64) X(level, s32) X(err, u64) X(duration_ns, u64)

#define TDXHP_ARGS_page_demote(X)                                              \
	X(kvm, handle) X(gfn, u64) X(level, s32) X(err, u64)                   \
	X(block_ns, u64) X(track_ns, u64) X(demote_ns, u64)                    \
	X(busy_retries, u32)

#define TDXHP_ARGS_boundary_split(X)                                           \
	X(kvm, handle) X(start_gfn, u64) X(end_gfn, u64) X(reason, s32)        \
	X(nr_split, u32) X(ret, s32) X(duration_ns, u64)

#define TDXHP_ARGS_fault_split_ignored(X)                                      \
	X(kvm, handle) X(vcpu_id, s32) X(gfn, u64) X(level, s32)               \
	X(goal_level, s32)

#define TDXHP_ARGS_seamcall_busy(X)                                            \
	X(kvm, handle) X(seamcall, u64) X(gfn, u64) X(level, s32)

/* E(ID, name): every event, in ABI order. */
#define TDXHP_EVENTS(E)                                                        \
	E(TD_INIT, td_init)                                                    \
	E(TD_TEARDOWN, td_teardown)                                            \
	E(PAGE_ADD, page_add)                                                  \
	E(PAGE_AUG, page_aug)                                                  \
	E(PAGE_REMOVE, page_remove)                                            \
	E(PAGE_DEMOTE, page_demote)                                            \
	E(BOUNDARY_SPLIT, boundary_split)                                      \
	E(FAULT_SPLIT_IGNORED, fault_split_ignored)                            \
	E(SEAMCALL_BUSY, seamcall_busy)

#define TDXHP_EVENT_ENUM(ID, name) TDXHP_EV_##ID,
enum tdxhp_event_type { TDXHP_EVENTS(TDXHP_EVENT_ENUM) TDXHP_NR_EVENTS };
#undef TDXHP_EVENT_ENUM

/*
 * Where an event comes from: the kvm_tdx_* tracepoint of a patched kernel,
 * or fentry/fexit on the SEAMCALL wrappers of a stock one.  One source per
 * event, never both.
 */
#define TDXHP_SOURCES(S)                                                       \
	S(NONE, "missing")                                                     \
	S(TRACEPOINT, "tracepoint")                                            \
	S(SEAMCALL, "seamcall")

#define TDXHP_SOURCE_ENUM(ID, name) TDXHP_SRC_##ID,
enum tdxhp_source { TDXHP_SOURCES(TDXHP_SOURCE_ENUM) TDXHP_NR_SOURCES };
#undef TDXHP_SOURCE_ENUM

/*
 * struct tdxhp_ctx_<event>: the raw tracepoint context, one __u64 slot per
 * argument.  The simulator builds these for BPF_PROG_TEST_RUN.
 */
#define TDXHP_CTX_FIELD(name, type) __u64 name;
#define TDXHP_DECLARE_CTX(ID, ev)                                              \
	struct tdxhp_ctx_##ev {                                                \
		TDXHP_ARGS_##ev(TDXHP_CTX_FIELD)                               \
	};
TDXHP_EVENTS(TDXHP_DECLARE_CTX)
#undef TDXHP_DECLARE_CTX
#undef TDXHP_CTX_FIELD

/*
 * A 32-bit argument in its 64-bit slot, as the kernel's __CAST_TO_U64()
 * puts it there: the bits of the value, zero-extended.
 */
static inline __u64 tdxhp_arg_s32(__s32 v)
{
	return (__u64)(__u32)v;
}

/*
 * The SEAMCALL wrappers of arch/x86/virt/vmx/tdx/tdx.c that the seamcall
 * source hooks with fentry/fexit: W(ID, function, TDX leaf).  Every one
 * takes the TD (struct tdx_td *) first, then the GPA and the level where
 * it has them, and returns the TDX status.
 */
#define TDXHP_WRAPPERS(W)                                                      \
	W(MNG_CREATE, tdh_mng_create, 9)                                       \
	W(MNG_KEY_FREEID, tdh_mng_key_freeid, 20)                              \
	W(MEM_PAGE_ADD, tdh_mem_page_add, 2)                                   \
	W(MEM_SEPT_ADD, tdh_mem_sept_add, 3)                                   \
	W(MEM_PAGE_AUG, tdh_mem_page_aug, 6)                                   \
	W(MEM_RANGE_BLOCK, tdh_mem_range_block, 7)                             \
	W(MEM_TRACK, tdh_mem_track, 38)                                        \
	W(MEM_PAGE_REMOVE, tdh_mem_page_remove, 29)                            \
	W(MEM_PAGE_DEMOTE, tdh_mem_page_demote, 15)

#define TDXHP_WRAPPER_ENUM(ID, fn, leaf) TDXHP_W_##ID,
enum tdxhp_wrapper { TDXHP_WRAPPERS(TDXHP_WRAPPER_ENUM) TDXHP_NR_WRAPPERS };
#undef TDXHP_WRAPPER_ENUM

/* TDX status: the class is the upper half, the operand id the lower. */
#define TDXHP_TDX_STATUS_MASK 0xFFFFFFFF00000000ULL
#define TDXHP_TDX_OPERAND_BUSY 0x8000020000000000ULL

/*
 * Test-only entry points (never loaded by the tools): BPF_PROG_TEST_RUN
 * cannot pass arguments to fentry/fexit programs, so tests drive the same
 * adapter logic through raw_tp programs with these contexts.
 */
struct tdxhp_ctx_sc_entry {
	__u64 tid;
	__u64 wrapper;		/* enum tdxhp_wrapper */
	__u64 now_ns;
};

struct tdxhp_ctx_sc_exit {
	__u64 tid;
	__u64 tgid;
	__u64 wrapper;		/* enum tdxhp_wrapper */
	__u64 td;		/* struct tdx_td * */
	__u64 gpa;
	__u64 level;		/* as the wrapper takes it */
	__u64 arg;		/* tdh_mng_create: the hkid */
	__u64 status;		/* the wrapper's return value */
	__u64 now_ns;
};

/* KVM's enum pg_level numbering. */
enum tdxhp_level {
	TDXHP_LEVEL_4K = 1,
	TDXHP_LEVEL_2M = 2,
	TDXHP_LEVEL_1G = 3,
};
#define TDXHP_NR_LEVELS 3
#define TDXHP_PAGES_PER_LEVEL 512 /* a level-N leaf is 512 level-(N-1) */

/* boundary_split reason */
enum tdxhp_split_reason {
	TDXHP_SPLIT_CONVERT = 0,	/* private-to-shared conversion */
	TDXHP_SPLIT_PUNCH_HOLE = 1,	/* guest_memfd hole punched */
	TDXHP_SPLIT_ACCEPT = 2,		/* guest accepted at a lower level */
	TDXHP_NR_SPLIT_REASONS,
};

/* ---------------------------------------------------------------------
 * Aggregates kept by the BPF programs.
 */

/*
 * Per-TD cumulative counters, summed over shards by user space.  The
 * TDXHP_LAYOUT_VARIANT build (tests only) has one more in front: another
 * layout, for the takeover tests.
 */
#ifdef TDXHP_LAYOUT_VARIANT
#define TDXHP_COUNTERS_VARIANT(C) C(VARIANT_TEST, variant_test)
#else
#define TDXHP_COUNTERS_VARIANT(C)
#endif
#define TDXHP_COUNTERS(C)                                                      \
	TDXHP_COUNTERS_VARIANT(C)                                              \
	C(ADD, add)                                                            \
	C(ADD_ERR, add_err)                                                    \
	C(AUG_4K, aug_4k)                                                      \
	C(AUG_2M, aug_2m)                                                      \
	C(AUG_1G, aug_1g)                                                      \
	C(AUG_ERR, aug_err)                                                    \
	C(REMOVE_4K, remove_4k)                                                \
	C(REMOVE_2M, remove_2m)                                                \
	C(REMOVE_1G, remove_1g)                                                \
	C(REMOVE_ERR, remove_err)                                              \
	C(DEMOTE, demote)                                                      \
	C(DEMOTE_ERR, demote_err)                                              \
	C(DEMOTE_BUSY_RETRY, demote_busy_retry)                                \
	C(SPLIT_CONVERT, split_convert)                                        \
	C(SPLIT_PUNCH_HOLE, split_punch_hole)                                  \
	C(SPLIT_ACCEPT, split_accept)                                          \
	C(SPLIT_ERR, split_err)                                                \
	C(SPLIT_LEAVES, split_leaves)                                          \
	C(FAULT_SPLIT_IGNORED, fault_split_ignored)                            \
	C(SEAMCALL_BUSY, seamcall_busy)                                        \
	C(STORM, storm)                                                        \
	C(BAD_EVENT, bad_event)

#define TDXHP_COUNTER_ENUM(ID, name) TDXHP_C_##ID,
enum tdxhp_counter { TDXHP_COUNTERS(TDXHP_COUNTER_ENUM) TDXHP_NR_COUNTERS };
#undef TDXHP_COUNTER_ENUM

/* Per-TD latency histograms. */
#define TDXHP_HISTS(H)                                                         \
	H(ADD, "add")                                                            \
	H(AUG_4K, "aug-4k")                                                      \
	H(AUG_2M, "aug-2m")                                                      \
	H(REMOVE, "remove")                                                      \
	H(DEMOTE, "demote")                                                      \
	H(DEMOTE_BLOCK, "demote-block")                                          \
	H(DEMOTE_TRACK, "demote-track")                                          \
	H(DEMOTE_DEMOTE, "demote-demote")                                        \
	H(SPLIT, "split")

#define TDXHP_HIST_ENUM(ID, name) TDXHP_H_##ID,
enum tdxhp_hist_id { TDXHP_HISTS(TDXHP_HIST_ENUM) TDXHP_NR_HISTS };
#undef TDXHP_HIST_ENUM

/*
 * log2 buckets of nanoseconds: slot i counts values in [2^i, 2^(i+1)),
 * slot 0 also takes 1 ns, the last slot everything from 2^31 ns (2.1 s) up.
 * A duration of 0 means "not measured" and is not recorded.
 */
#define TDXHP_HIST_SLOTS 32

struct tdxhp_hist {
	__u64 slots[TDXHP_HIST_SLOTS];
	__u64 sum_ns;
};

/*
 * Per-TD statistics as user space reads them: a TD's shards summed
 * (tools/lib/stats.c).  The page gauges are signed: a page mapped on one CPU
 * may be removed on another, only the sum over shards is meaningful.
 */
struct tdxhp_td_stats {
	__u64 counters[TDXHP_NR_COUNTERS];
	__s64 pages[TDXHP_NR_LEVELS];	/* index level - 1 */
	struct tdxhp_hist hist[TDXHP_NR_HISTS];
};

/*
 * One shard of a TD's statistics, the value of the td_stats ARRAY, laid out
 * for the programs that update it: first the scalars (counters, page gauges
 * as signed deltas, histogram sums) in words grouped by the events that
 * touch them, eight to a cache line, then every histogram's buckets.  aug
 * and remove, the most frequent events, keep lines 0 and 1 in cache;
 * page_demote, rare, puts everything but its buckets there too.  Its four
 * histograms (the total and three phases) are interleaved bucket by bucket,
 * so that close durations share a bucket line: a demote misses on two or
 * three lines instead of four (tdxhp_shard_slot()).
 * W(C_<counter>), W(PAGES_<level>), W(H_<histogram>: its sum_ns).
 */
#ifdef TDXHP_LAYOUT_VARIANT
#define TDXHP_SHARD_WORDS_VARIANT(W) W(C_VARIANT_TEST)
#else
#define TDXHP_SHARD_WORDS_VARIANT(W)
#endif
#define TDXHP_SHARD_WORDS(W)                                                   \
	/* line 0: the gauges and the counts of aug, remove and demote */      \
	W(PAGES_4K) W(PAGES_2M) W(PAGES_1G)                                    \
	W(C_AUG_4K) W(C_AUG_2M) W(C_REMOVE_4K) W(C_REMOVE_2M) W(C_DEMOTE)      \
	/* line 1: their sums */                                               \
	W(H_AUG_4K) W(H_AUG_2M) W(H_REMOVE) W(C_DEMOTE_BUSY_RETRY)             \
	W(H_DEMOTE) W(H_DEMOTE_BLOCK) W(H_DEMOTE_TRACK) W(H_DEMOTE_DEMOTE)     \
	/* line 2: page_add (its bursts at build time keep it warm), errors */ \
	W(C_ADD) W(H_ADD) W(C_AUG_1G) W(C_REMOVE_1G)                           \
	W(C_ADD_ERR) W(C_AUG_ERR) W(C_DEMOTE_ERR) W(C_REMOVE_ERR)              \
	/* line 3: boundary_split, fault_split_ignored, seamcall_busy */       \
	W(C_SPLIT_CONVERT) W(C_SPLIT_PUNCH_HOLE) W(C_SPLIT_ACCEPT)             \
	W(C_SPLIT_ERR) W(C_SPLIT_LEAVES) W(H_SPLIT)                            \
	W(C_FAULT_SPLIT_IGNORED) W(C_SEAMCALL_BUSY)                            \
	/* line 4: the rarest */                                               \
	W(C_STORM) W(C_BAD_EVENT) TDXHP_SHARD_WORDS_VARIANT(W)

#define TDXHP_SHARD_WORD_ENUM(ID) TDXHP_SW_##ID,
enum tdxhp_shard_word { TDXHP_SHARD_WORDS(TDXHP_SHARD_WORD_ENUM) TDXHP_NR_SHARD_WORDS };
#undef TDXHP_SHARD_WORD_ENUM

#define TDXHP_SHARD_LINE_WORDS 8
#define TDXHP_SHARD_SCALARS 40	/* five lines */

struct tdxhp_td_shard {
	__u64 word[TDXHP_SHARD_SCALARS];	/* enum tdxhp_shard_word */
	__u64 slots[TDXHP_NR_HISTS * TDXHP_HIST_SLOTS]; /* tdxhp_shard_slot() */
} __attribute__((aligned(64))); /* shards of one TD share no cache line */

/* Bucket b of histogram h in a shard's slots[]: page_demote's interleaved. */
#define TDXHP_SHARD_GROUP_FIRST TDXHP_H_DEMOTE
#define TDXHP_SHARD_GROUP_HISTS 4
#define TDXHP_SHARD_SLOT(h, b)                                                 \
	((__u32)((h) - TDXHP_SHARD_GROUP_FIRST) < TDXHP_SHARD_GROUP_HISTS ?   \
		 TDXHP_SHARD_GROUP_FIRST * TDXHP_HIST_SLOTS +                  \
			 (b) * TDXHP_SHARD_GROUP_HISTS +                       \
			 ((h) - TDXHP_SHARD_GROUP_FIRST) :                     \
		 (h) * TDXHP_HIST_SLOTS + (b))
static inline __u32 tdxhp_shard_slot(__u32 h, __u32 b)
{
	return TDXHP_SHARD_SLOT(h, b);
}

/* Elements of histogram h's buckets apart in slots[]. */
static inline __u32 tdxhp_shard_slot_stride(__u32 h)
{
	return tdxhp_shard_slot(h, 1) - tdxhp_shard_slot(h, 0);
}

/* The page gauges: folded into no total when a TD goes, carried only live. */
static inline int tdxhp_shard_word_is_gauge(int w)
{
	return w >= TDXHP_SW_PAGES_4K && w <= TDXHP_SW_PAGES_1G;
}

#define TDXHP_SW_SAME_LINE(a, b)                                               \
	(TDXHP_SW_##a / TDXHP_SHARD_LINE_WORDS ==                              \
	 TDXHP_SW_##b / TDXHP_SHARD_LINE_WORDS)
_Static_assert(TDXHP_NR_SHARD_WORDS <= TDXHP_SHARD_SCALARS,
	       "shard scalars overflow their lines");
/* Indexed by level or reason in bpf/core.bpf.h: kept in order. */
_Static_assert(TDXHP_SW_PAGES_1G == TDXHP_SW_PAGES_4K + 2 &&
		       TDXHP_SW_C_AUG_2M == TDXHP_SW_C_AUG_4K + 1 &&
		       TDXHP_SW_C_REMOVE_2M == TDXHP_SW_C_REMOVE_4K + 1 &&
		       TDXHP_SW_C_SPLIT_ACCEPT == TDXHP_SW_C_SPLIT_CONVERT + 2 &&
		       TDXHP_SW_H_DEMOTE_DEMOTE == TDXHP_SW_H_DEMOTE + 3 &&
		       TDXHP_H_DEMOTE_DEMOTE == TDXHP_H_DEMOTE + 3 &&
		       TDXHP_H_DEMOTE_BLOCK == TDXHP_H_DEMOTE + 1 &&
		       TDXHP_H_DEMOTE_TRACK == TDXHP_H_DEMOTE + 2 &&
		       TDXHP_H_AUG_2M == TDXHP_H_AUG_4K + 1 &&
		       TDXHP_SW_H_AUG_2M == TDXHP_SW_H_AUG_4K + 1 &&
		       TDXHP_SHARD_SLOT(TDXHP_H_AUG_2M, 0) ==
			       TDXHP_SHARD_SLOT(TDXHP_H_AUG_4K, 0) + TDXHP_HIST_SLOTS,
	       "shard words indexed at run time are out of order");
_Static_assert(TDXHP_SW_SAME_LINE(PAGES_4K, C_DEMOTE) &&
		       TDXHP_SW_SAME_LINE(H_AUG_4K, H_DEMOTE_DEMOTE) &&
		       TDXHP_SW_SAME_LINE(C_ADD, H_ADD) &&
		       TDXHP_SW_SAME_LINE(C_SPLIT_CONVERT, C_SEAMCALL_BUSY),
	       "an event's shard words span lines");

/*
 * td_stats is an ARRAY with nr_shards entries per slot (key
 * slot * nr_shards + cpu % nr_shards) plus nr_shards for the retired TDs
 * after the last slot.  nr_shards is the number of possible CPUs rounded up
 * to a power of two, capped at TDXHP_DEFAULT_MAX_SHARDS: memory is bounded
 * by slots x shards, not slots x CPUs.  When CPUs share a shard, updates
 * are atomic; when each CPU has its own, they are plain adds.
 */
#define TDXHP_DEFAULT_MAX_SHARDS 8
#define TDXHP_MAX_SHARDS 64

/*
 * The control map: one entry, shared by every instance pinned under one pin
 * directory across versions (so its layout never changes).  Only the
 * instance whose id is in owner counts events; a new instance takes over by
 * writing its id.
 */
struct tdxhp_control {
	__u64 owner;
	__u64 reserved[7];
};

/* The info map of an instance (one entry, frozen once written). */
#define TDXHP_INFO_MAGIC 0x31464e4950484454ULL /* "TDXHPINF1" */
#define TDXHP_INFO_SIMULATED (1U << 0)	/* loaded for the simulator */
#define TDXHP_INFO_PREEMPT_OFF (1U << 1) /* seamcall: bpf_preempt_disable() */
#define TDXHP_INFO_STATS_ATOMIC (1U << 2) /* seamcall, no kfunc: atomic adds */

struct tdxhp_info {
	__u64 magic;		/* these four never move */
	__u64 layout_hash;
	__u64 instance_id;
	__u64 loaded_realtime_ns;
	__u32 info_size;
	__u32 nr_slots;
	__u32 nr_shards;
	__u32 nr_cpus;
	__u32 flags;		/* TDXHP_INFO_* */
	__u32 nr_schema;	/* entries used in the schema map */
	__u8 source[16];	/* enum tdxhp_source, by event */
	char version[32];	/* tdxhp version that loaded it */
	__u64 storm_window_ns;
	__u32 storm_hits;
	__u32 sim_tds;		/* simulated: the model's TDs at start, 0 = default */
	char scenario[24];	/* simulated: the scenario the feeder runs */
	__u64 seed;		/* simulated: its seed */
	__u32 sc_wrappers;	/* SEAMCALL wrappers hooked, bit per enum tdxhp_wrapper */
	__u32 sc_pg_level;	/* ... whose level is KVM's enum pg_level (BTF) */
};

/*
 * The schema map: every field of td_meta, td_stats and host_stats by name,
 * so a newer tdxhp can carry state over from a layout it was not built for.
 */
enum tdxhp_schema_map {
	TDXHP_SCHEMA_TD_META,
	TDXHP_SCHEMA_TD_STATS,
	TDXHP_SCHEMA_HOST_STATS,
};

#define TDXHP_SCHEMA_SIGNED (1U << 0)
/* Elements further apart than their size: (stride / size - 1) << 8. */
#define TDXHP_SCHEMA_STRIDE_SHIFT 8
#define TDXHP_SCHEMA_STRIDE_MASK (0xffU << TDXHP_SCHEMA_STRIDE_SHIFT)
#define TDXHP_MAX_SCHEMA 128

struct tdxhp_schema_field {
	char name[40];		/* "counters.aug_2m", "hist.demote.slots" */
	__u32 map;		/* enum tdxhp_schema_map */
	__u32 offset;		/* in the map's value */
	__u16 size;		/* of one element: 4 or 8 */
	__u16 flags;		/* TDXHP_SCHEMA_* */
	__u32 count;		/* elements */
};

/* Takeover (bpf/carry.bpf.h): what one BPF_PROG_TEST_RUN of tdxhp_carry adds. */
enum tdxhp_carry_kind {
	TDXHP_CARRY_TD,		/* a live TD: identity, flags, stats */
	TDXHP_CARRY_RETIRED,	/* the retired totals */
	TDXHP_CARRY_HOST,	/* host-wide counters */
};

struct tdxhp_ctx_carry {
	__u64 kind;
	__u64 kvm;
	__u64 first_seen_ns;
	__u64 last_storm_ns;
	__u64 flags;
	__u64 pid;
	__u64 hkid;
};

/* The last teardowns, kept (a ring) so a takeover does not revive a TD. */
#define TDXHP_LATE_TEARDOWNS 64

/* td_meta.flags */
#define TDXHP_TD_EXACT	 (1U << 0) /* seen from td_init: gauges are exact */
#define TDXHP_TD_PARTIAL (1U << 1) /* joined mid-life: gauges from first sight */
#define TDXHP_TD_STORM	 (1U << 2) /* an EPT-violation storm was detected */

/*
 * Per-TD identity (value of the td_meta ARRAY, one entry per slot).  A slot
 * is free while kvm == 0.  gen changes every time a slot is claimed, so a
 * reader can tell a new TD from an old one in the same slot.
 */
struct tdxhp_td_meta {
	__u64 kvm;		/* opaque key: never printed or exported */
	__u64 first_seen_ns;	/* CLOCK_MONOTONIC */
	__u64 last_storm_ns;	/* CLOCK_MONOTONIC, 0 if never */
	__u32 gen;
	__u32 flags;
	__s32 pid;		/* VMM process, 0 if unknown */
	__s32 hkid;		/* TDX private HKID, -1 if unknown */
};

/* Host-wide counters (value of the host_stats PERCPU_ARRAY, key 0). */
#define TDXHP_HOST_COUNTERS(C)                                                 \
	C(TD_TABLE_FULL, td_table_full)                                        \
	C(TD_UNKNOWN_TEARDOWN, td_unknown_teardown)                            \
	C(TD_REINIT, td_reinit)                                                \
	C(BAD_LEVEL, bad_level)                                                \
	C(RINGBUF_LOST, ringbuf_lost)                                          \
	C(STORM_TABLE_FULL, storm_table_full)                                      \
	C(RETIRE_INCOMPLETE, retire_incomplete)

#define TDXHP_HOST_COUNTER_ENUM(ID, name) TDXHP_HC_##ID,
enum tdxhp_host_counter {
	TDXHP_HOST_COUNTERS(TDXHP_HOST_COUNTER_ENUM) TDXHP_NR_HOST_COUNTERS
};
#undef TDXHP_HOST_COUNTER_ENUM

#define TDXHP_MAX_SEAMCALL 64 /* SEAMCALL leaves counted for seamcall_busy */

struct tdxhp_host_stats {
	__u64 counters[TDXHP_NR_HOST_COUNTERS];
	__u64 events[TDXHP_NR_EVENTS];
	__u64 seamcall_busy[TDXHP_MAX_SEAMCALL]; /* by SEAMCALL leaf */
};

/*
 * What tdxhp_carry adds, staged by user space in the instance's .data
 * (bpf/carry.bpf.h): one TD's or the retired stats as one shard, or the host
 * counters.
 */
struct tdxhp_carry_stage {
	struct tdxhp_td_shard td;
	struct tdxhp_host_stats host;
};

/*
 * The storm table: per TD slot, TDXHP_STORM_SETS sets of TDXHP_STORM_WAYS
 * (TD, gfn) entries, an LRU cache kept in an ARRAY so that looking up a gfn
 * costs two inlined array accesses, not a hash-map insert per new gfn.
 * Entry (slot * TDXHP_STORM_SETS + set) of the storm_table map.
 */
#define TDXHP_STORM_SETS 16
#define TDXHP_STORM_WAYS 2

struct tdxhp_storm_way {
	__u64 gfn_tag;		/* gfn + 1; 0 = empty */
	__u64 window_start_ns;	/* CLOCK_MONOTONIC */
	__u64 last_ns;
	__u32 hits;		/* in the current window */
	__u16 storms;		/* windows that reached the threshold, saturates */
	__s8 level;		/* of the last refused split (enum tdxhp_level) */
	__s8 goal_level;
};

/* One cache line: a refused split touches one line of the table. */
struct tdxhp_storm_set {
	struct tdxhp_storm_way way[TDXHP_STORM_WAYS];
} __attribute__((aligned(64)));
_Static_assert(sizeof(struct tdxhp_storm_set) == 64, "a storm set is a line");

#define TDXHP_STORM_MAX_STORMS 0xffff

/*
 * The normalized event.  Every source (tracepoint, SEAMCALL, simulator)
 * fills one and hands it to the source-neutral core in bpf/core.bpf.h; it
 * is also the body of a ring-buffer record, so no field means two things.
 * Fields an event does not have stay 0 (hkid and pid: see td_init).
 */
struct tdxhp_event {
	__u64 gfn;		/* start_gfn for boundary_split */
	__u64 gfn_end;		/* boundary_split: end_gfn (exclusive) */
	__u64 status;		/* TDX status of the SEAMCALL, 0 = success */
	__u64 seamcall;		/* SEAMCALL leaf (seamcall_busy) */
	__u64 duration_ns;	/* whole operation; 0 = not measured */
	__u64 block_ns;		/* page_demote phases */
	__u64 track_ns;
	__u64 demote_ns;
	__s32 level;		/* KVM enum pg_level (enum tdxhp_level) */
	__s32 goal_level;	/* fault_split_ignored */
	__s32 vcpu_id;		/* fault_split_ignored */
	__s32 reason;		/* boundary_split: enum tdxhp_split_reason */
	__s32 ret;		/* boundary_split: 0 or -errno */
	__u32 busy_retries;	/* page_demote: TDX_OPERAND_BUSY retries */
	__u32 nr_split;		/* boundary_split: huge leaves split */
	__s32 pid;		/* td_init: VMM process */
	__s32 hkid;		/* td_init: private HKID */
	__u32 reserved;
};

/*
 * Ring buffer record, one per event while streaming is enabled.  The TD is
 * named by slot/gen/pid/hkid, never by its kernel address.
 */
struct tdxhp_record {
	__u64 ts_ns;		/* CLOCK_MONOTONIC */
	__u32 type;		/* enum tdxhp_event_type */
	__u32 cpu;
	__u32 slot;
	__u32 gen;
	__s32 pid;		/* the TD's, as known when the event fired */
	__s32 hkid;
	__u32 flags;		/* TDXHP_REC_* */
	__u32 source;		/* enum tdxhp_source */
	struct tdxhp_event ev;
};

#define TDXHP_REC_STORM (1U << 0) /* this event completed a storm window */

/* Defaults, overridable from user space. */
#define TDXHP_DEFAULT_SLOT_BITS 10	/* 1024 TD slots */
#define TDXHP_MAX_SLOT_BITS 14		/* 16384 TD slots */
#define TDXHP_MAX_PROBE 16		/* open addressing probe length */
#define TDXHP_DEFAULT_STORM_HITS 64
#define TDXHP_DEFAULT_STORM_WINDOW_NS 1000000000ULL
#define TDXHP_RINGBUF_BYTES (4U << 20)

/*
 * The TD table's hash, shared by the BPF programs and by a takeover, which
 * inserts carried TDs from user space.  Fibonacci hashing: struct kvm
 * allocations share their low bits.
 */
static inline __u32 tdxhp_td_home(__u64 kvm, __u32 slot_bits)
{
	return (__u32)((kvm * 0x9E3779B97F4A7C15ULL) >> (64 - slot_bits));
}

#endif /* TDXHP_ABI_H */
