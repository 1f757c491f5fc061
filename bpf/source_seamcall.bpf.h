/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Source (b): fentry/fexit on the SEAMCALL wrappers of a stock kernel.
 * fentry stores the thread's entry time; fexit turns the wrapper's
 * arguments and TDX status into events for the core.  The logic is in
 * sc_enter() and sc_exit() over plain values, so that the test-only
 * entry points in seamcall_test.bpf.h drive exactly the same code.
 *
 * A split on a huge page kernel is BLOCK, TRACK (with vCPU kicks), then
 * DEMOTE, on one thread, with BUSY retries of each.  The phases are joined
 * per thread: a successful RANGE.BLOCK of (gpa, level) opens a split, TRACK
 * adds to it, DEMOTE of the same (gpa, level) closes it.  A PAGE.REMOVE of
 * the blocked gpa closes it as the remove path's, charged to no split.  A
 * DEMOTE with no open split on its thread is counted with unknown phases.
 */
#ifndef TDXHP_SOURCE_SEAMCALL_BPF_H
#define TDXHP_SOURCE_SEAMCALL_BPF_H

/* Set by the loader from BTF and the chosen sources. */
const volatile __u32 sc_events = 0;	  /* events fed by this source */
const volatile __u32 sc_pg_level = 0;	  /* wrappers whose level is a pg_level */
const volatile __u64 td_offset_fallback = 0; /* tests: no struct kvm_tdx */

#define SC_SRC TDXHP_SRC_SEAMCALL

/* Per-thread state, by thread id; LRU: threads that exit are evicted. */
struct sc_thread {
	__u64 entry_ns;
	__u32 entry_wrapper;
	__u32 split_open;	/* a RANGE.BLOCK awaits its DEMOTE */
	__u64 split_gpa;
	__s32 split_level;
	__u32 split_busy;	/* BUSY retries within the split */
	__u64 block_ns;
	__u64 track_ns;
	__u64 demote_ns;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 8192);
	__type(key, __u64);
	__type(value, struct sc_thread);
} sc_threads SEC(".maps");

#define SC_LEAF(ID, fn, leaf) [TDXHP_W_##ID] = leaf,
static const __u32 sc_leaf[TDXHP_NR_WRAPPERS] = { TDXHP_WRAPPERS(SC_LEAF) };
#undef SC_LEAF

static __always_inline bool sc_feeds(enum tdxhp_event_type type)
{
	return sc_events & (1U << type);
}

/* struct kvm of a struct tdx_td: both are embedded in struct kvm_tdx. */
static __always_inline __u64 sc_kvm_of(__u64 td)
{
	if (bpf_core_field_exists(((struct kvm_tdx *)0)->td))
		return td - bpf_core_field_offset(struct kvm_tdx, td);
	return td - td_offset_fallback;
}

/* KVM's pg_level, whichever numbering the wrapper takes (TDX: 0 = 4K). */
static __always_inline int sc_level(enum tdxhp_wrapper w, __u64 raw)
{
	return sc_pg_level & (1U << w) ? (int)raw : (int)raw + 1;
}

static __always_inline bool sc_busy(__u64 status)
{
	return (status & TDXHP_TDX_STATUS_MASK) == TDXHP_TDX_OPERAND_BUSY;
}

static __always_inline struct sc_thread *sc_thread_of(__u64 tid, bool create)
{
	struct sc_thread *th = bpf_map_lookup_elem(&sc_threads, &tid);
	struct sc_thread zero = {};

	if (th || !create)
		return th;
	bpf_map_update_elem(&sc_threads, &tid, &zero, BPF_NOEXIST);
	return bpf_map_lookup_elem(&sc_threads, &tid);
}

static __always_inline void sc_enter(__u64 tid, enum tdxhp_wrapper w,
				     __u64 now)
{
	struct sc_thread *th = sc_thread_of(tid, true);

	if (!th)
		return;
	th->entry_ns = now;
	th->entry_wrapper = w;
}

struct sc_call {
	__u64 tid;
	__u64 tgid;
	__u64 td;
	__u64 gpa;
	__u64 level;		/* raw, as the wrapper takes it */
	__u64 arg;
	__u64 status;
	__u64 now;
};

/* The split phases of this thread; returns true when the split closes. */
static __always_inline bool sc_split_phase(struct sc_thread *th,
					   enum tdxhp_wrapper w,
					   const struct sc_call *c, int level,
					   __u64 ns, struct tdxhp_event *e)
{
	bool busy = sc_busy(c->status);
	bool same = th->split_open && th->split_gpa == c->gpa &&
		    th->split_level == level;

	if (w == TDXHP_W_MEM_RANGE_BLOCK) {
		if (!same) {
			th->split_gpa = c->gpa;
			th->split_level = level;
			th->split_busy = 0;
			th->block_ns = 0;
			th->track_ns = 0;
			th->demote_ns = 0;
		}
		th->split_open = 1;
		th->block_ns += ns;
		th->split_busy += busy;
		if (c->status && !busy) /* failed block: nothing to join */
			th->split_open = 0;
		return false;
	}
	if (w == TDXHP_W_MEM_TRACK) {
		if (th->split_open) {
			th->track_ns += ns;
			th->split_busy += busy;
		}
		return false;
	}
	if (w == TDXHP_W_MEM_PAGE_REMOVE) {
		if (same && !busy)
			th->split_open = 0; /* the remove path's block */
		return false;
	}
	/*
	 * DEMOTE: a BUSY one is retried after another kick.  Without a block
	 * on this thread, its retries still join: block and track unknown.
	 */
	if (!same && busy) {
		th->split_open = 1;
		th->split_gpa = c->gpa;
		th->split_level = level;
		th->split_busy = 0;
		th->block_ns = 0;
		th->track_ns = 0;
		th->demote_ns = 0;
	} else if (!same) {
		e->demote_ns = ns;
		e->duration_ns = ns;
		return true;
	}
	th->demote_ns += ns;
	th->split_busy += busy;
	if (busy)
		return false;
	th->split_open = 0;
	e->block_ns = th->block_ns;
	e->track_ns = th->track_ns;
	e->demote_ns = th->demote_ns;
	e->busy_retries = th->split_busy;
	e->duration_ns = th->block_ns + th->track_ns + th->demote_ns;
	return true;
}

static __always_inline void sc_exit(enum tdxhp_wrapper w,
				    const struct sc_call *c)
{
	/* A split's thread state is made by its block, or by a lone demote. */
	struct sc_thread *th = sc_thread_of(c->tid, w == TDXHP_W_MEM_RANGE_BLOCK ||
						   w == TDXHP_W_MEM_PAGE_DEMOTE);
	__u64 kvm = sc_kvm_of(c->td);
	struct tdxhp_event e = {};
	__u64 ns = 0;
	int level = TDXHP_LEVEL_4K;

	if (th && th->entry_wrapper == w && th->entry_ns &&
	    c->now >= th->entry_ns)
		ns = c->now - th->entry_ns;
	if (th)
		th->entry_ns = 0;
	if (w == TDXHP_W_MEM_SEPT_ADD || w == TDXHP_W_MEM_PAGE_AUG ||
	    w == TDXHP_W_MEM_RANGE_BLOCK || w == TDXHP_W_MEM_PAGE_REMOVE ||
	    w == TDXHP_W_MEM_PAGE_DEMOTE)
		level = sc_level(w, c->level);

	/* Not before the TD exists, nor after it is gone: no TD to charge. */
	if (sc_busy(c->status) && sc_feeds(TDXHP_EV_SEAMCALL_BUSY) &&
	    w != TDXHP_W_MNG_CREATE && w != TDXHP_W_MNG_KEY_FREEID) {
		struct tdxhp_event b = {
			.seamcall = sc_leaf[w], .gfn = c->gpa >> 12,
			.level = w == TDXHP_W_MEM_TRACK ? 0 : level,
		};

		core_event(TDXHP_EV_SEAMCALL_BUSY, SC_SRC, kvm, &b);
	}

	e.gfn = c->gpa >> 12;
	e.level = level;
	e.status = c->status;
	e.duration_ns = ns;
	switch (w) {
	case TDXHP_W_MNG_CREATE:
		e.gfn = 0;
		e.level = 0;
		e.pid = (__s32)c->tgid;
		/* u16 hkid: the register's upper bits are not defined */
		e.hkid = (__u16)c->arg;
		if (!c->status && sc_feeds(TDXHP_EV_TD_INIT))
			core_td_init(SC_SRC, kvm, &e);
		break;
	case TDXHP_W_MNG_KEY_FREEID:
		/* The TD goes whether or not its HKID could be freed. */
		if (sc_feeds(TDXHP_EV_TD_TEARDOWN)) {
			struct tdxhp_event t = {};

			core_td_teardown(SC_SRC, kvm, &t);
		}
		break;
	case TDXHP_W_MEM_PAGE_ADD:
		if (sc_feeds(TDXHP_EV_PAGE_ADD))
			core_event(TDXHP_EV_PAGE_ADD, SC_SRC, kvm, &e);
		break;
	case TDXHP_W_MEM_PAGE_AUG:
		if (sc_feeds(TDXHP_EV_PAGE_AUG))
			core_event(TDXHP_EV_PAGE_AUG, SC_SRC, kvm, &e);
		break;
	case TDXHP_W_MEM_PAGE_REMOVE:
		if (th)
			sc_split_phase(th, w, c, level, ns, &e);
		if (sc_feeds(TDXHP_EV_PAGE_REMOVE))
			core_event(TDXHP_EV_PAGE_REMOVE, SC_SRC, kvm, &e);
		break;
	case TDXHP_W_MEM_RANGE_BLOCK:
	case TDXHP_W_MEM_TRACK:
		if (th)
			sc_split_phase(th, w, c, level, ns, &e);
		break;
	case TDXHP_W_MEM_PAGE_DEMOTE: {
		struct tdxhp_event d = {
			.gfn = c->gpa >> 12, .level = level,
			.status = c->status,
		};

		if (th && sc_split_phase(th, w, c, level, ns, &d) &&
		    sc_feeds(TDXHP_EV_PAGE_DEMOTE))
			core_event(TDXHP_EV_PAGE_DEMOTE, SC_SRC, kvm, &d);
		break;
	}
	default:
		break;
	}
}

/* Production programs: one-line wrappers around sc_enter()/sc_exit(). */
static __always_inline void sc_exit_ctx(enum tdxhp_wrapper w, __u64 *ctx,
					bool has_gpa, bool has_level)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct sc_call c = {
		.tid = (__u32)id, .tgid = id >> 32, .now = bpf_ktime_get_ns(),
	};

	bpf_get_func_arg(ctx, 0, &c.td);
	if (w == TDXHP_W_MNG_CREATE)
		bpf_get_func_arg(ctx, 1, &c.arg);
	if (has_gpa)
		bpf_get_func_arg(ctx, 1, &c.gpa);
	if (has_level)
		bpf_get_func_arg(ctx, 2, &c.level);
	bpf_get_func_ret(ctx, &c.status);
	if (instance_active())
		sc_exit(w, &c);
}

/*
 * fexit programs run preemptible (the trampoline disables only migration):
 * another task's program could update this CPU's shard, or its host
 * counters, between one of our loads and its store.  Each wrapper has two
 * exit programs and the loader loads one: _exit runs the accounting with
 * preemption off (bpf_preempt_disable(), Linux 6.10+; the fentry side
 * touches only its thread's state), _exit_atomic is for older kernels, where
 * the loader makes every add atomic.  A kernel
 * without the kfunc never sees a call to it: only _exit_atomic is loaded.
 */
extern void bpf_preempt_disable(void) __ksym __weak;
extern void bpf_preempt_enable(void) __ksym __weak;

#define SC_PROGS(fn, w, has_gpa, has_level)                                    \
	SEC("fentry/" #fn)                                                     \
	int tdxhp_sc_##fn##_entry(__u64 *ctx)                                  \
	{                                                                      \
		sc_enter((__u32)bpf_get_current_pid_tgid(), w,                 \
			 bpf_ktime_get_ns());                                  \
		return 0;                                                      \
	}                                                                      \
	SEC("fexit/" #fn)                                                      \
	int tdxhp_sc_##fn##_exit(__u64 *ctx)                                   \
	{                                                                      \
		bpf_preempt_disable();                                         \
		sc_exit_ctx(w, ctx, has_gpa, has_level);                       \
		bpf_preempt_enable();                                          \
		return 0;                                                      \
	}                                                                      \
	SEC("fexit/" #fn)                                                      \
	int tdxhp_sc_##fn##_exit_atomic(__u64 *ctx)                            \
	{                                                                      \
		sc_exit_ctx(w, ctx, has_gpa, has_level);                       \
		return 0;                                                      \
	}

SC_PROGS(tdh_mng_create, TDXHP_W_MNG_CREATE, false, false)
SC_PROGS(tdh_mng_key_freeid, TDXHP_W_MNG_KEY_FREEID, false, false)
SC_PROGS(tdh_mem_page_add, TDXHP_W_MEM_PAGE_ADD, true, false)
SC_PROGS(tdh_mem_sept_add, TDXHP_W_MEM_SEPT_ADD, true, true)
SC_PROGS(tdh_mem_page_aug, TDXHP_W_MEM_PAGE_AUG, true, true)
SC_PROGS(tdh_mem_range_block, TDXHP_W_MEM_RANGE_BLOCK, true, true)
SC_PROGS(tdh_mem_track, TDXHP_W_MEM_TRACK, false, false)
SC_PROGS(tdh_mem_page_remove, TDXHP_W_MEM_PAGE_REMOVE, true, true)
SC_PROGS(tdh_mem_page_demote, TDXHP_W_MEM_PAGE_DEMOTE, true, true)

#undef SC_PROGS
#undef SC_SRC
#endif /* TDXHP_SOURCE_SEAMCALL_BPF_H */
