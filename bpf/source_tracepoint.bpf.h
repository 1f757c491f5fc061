/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Source (a): raw_tp on the kvm_tdx_* tracepoints of kernel-patches/.  Each
 * program only renames the tracepoint's arguments into a struct
 * tdxhp_event.  The simulator drives these same programs through
 * BPF_PROG_TEST_RUN.  Argument lists match TP_PROTO and
 * include/tdxhp/abi.h; tests/contract checks that.
 */
#ifndef TDXHP_SOURCE_TRACEPOINT_BPF_H
#define TDXHP_SOURCE_TRACEPOINT_BPF_H

#define TP_SRC TDXHP_SRC_TRACEPOINT

SEC("raw_tp/kvm_tdx_td_init")
int BPF_PROG(tdxhp_td_init, struct kvm *kvm, pid_t pid, int hkid)
{
	struct tdxhp_event e = { .pid = pid, .hkid = hkid };

	if (instance_active())
		core_td_init(TP_SRC, (__u64)kvm, &e);
	return 0;
}

SEC("raw_tp/kvm_tdx_td_teardown")
int BPF_PROG(tdxhp_td_teardown, struct kvm *kvm)
{
	struct tdxhp_event e = {};

	if (instance_active())
		core_td_teardown(TP_SRC, (__u64)kvm, &e);
	return 0;
}

/*
 * The per-page events: the arguments are read from the context after
 * core_td() has found the TD, and read again into the record after its
 * reserve, so no value lives across a helper call and the program runs on
 * a small stack (core.bpf.h).  The named arguments are the tracepoint's
 * prototype (tests/contract checks it); struct tdxhp_ctx_<event> is the
 * same list, one 64-bit slot per argument.
 */
#define TP_ACCOUNT(type, ctx_type, build)                                      \
	do {                                                                   \
		const struct ctx_type *c = (const void *)ctx;                 \
		struct tdxhp_event e;                                          \
		struct tdxhp_record *r;                                        \
		struct td_ref t;                                               \
		__u32 rec;                                                     \
                                                                               \
		if (!instance_active() || !core_td(type, c->kvm, &t))          \
			return 0;                                              \
		build(c, &e);                                                  \
		rec = core_account(type, &t, &e);                              \
		if (!rec || !(r = stream_reserve()))                           \
			return 0;                                              \
		stream_head(r, type, TP_SRC, t.slot, t.m, rec & ~CORE_RECORD); \
		build(c, &r->ev);                                              \
		bpf_ringbuf_submit(r, 0);                                      \
		return 0;                                                      \
	} while (0)

static __always_inline void tp_page(const struct tdxhp_ctx_page_aug *c,
				    struct tdxhp_event *e)
{
	*e = (struct tdxhp_event){ .gfn = c->gfn, .level = (__s32)c->level,
				   .status = c->err,
				   .duration_ns = c->duration_ns };
}

SEC("raw_tp/kvm_tdx_page_add")
int BPF_PROG(tdxhp_page_add, struct kvm *kvm, u64 gfn, int level, u64 err,
	     u64 duration_ns)
{
	TP_ACCOUNT(TDXHP_EV_PAGE_ADD, tdxhp_ctx_page_aug, tp_page);
}

SEC("raw_tp/kvm_tdx_page_aug")
int BPF_PROG(tdxhp_page_aug, struct kvm *kvm, u64 gfn, int level, u64 err,
	     u64 duration_ns)
{
	TP_ACCOUNT(TDXHP_EV_PAGE_AUG, tdxhp_ctx_page_aug, tp_page);
}

SEC("raw_tp/kvm_tdx_page_remove")
int BPF_PROG(tdxhp_page_remove, struct kvm *kvm, u64 gfn, int level, u64 err,
	     u64 duration_ns)
{
	TP_ACCOUNT(TDXHP_EV_PAGE_REMOVE, tdxhp_ctx_page_aug, tp_page);
}

static __always_inline void tp_demote(const struct tdxhp_ctx_page_demote *c,
				      struct tdxhp_event *e)
{
	*e = (struct tdxhp_event){
		.gfn = c->gfn, .level = (__s32)c->level, .status = c->err,
		.duration_ns = c->block_ns + c->track_ns + c->demote_ns,
		.block_ns = c->block_ns, .track_ns = c->track_ns,
		.demote_ns = c->demote_ns,
		.busy_retries = (__u32)c->busy_retries,
	};
}

SEC("raw_tp/kvm_tdx_page_demote")
int BPF_PROG(tdxhp_page_demote, struct kvm *kvm, u64 gfn, int level, u64 err,
	     u64 block_ns, u64 track_ns, u64 demote_ns, u32 busy_retries)
{
	TP_ACCOUNT(TDXHP_EV_PAGE_DEMOTE, tdxhp_ctx_page_demote, tp_demote);
}

static __always_inline void
tp_boundary_split(const struct tdxhp_ctx_boundary_split *c,
		  struct tdxhp_event *e)
{
	*e = (struct tdxhp_event){
		.gfn = c->start_gfn, .gfn_end = c->end_gfn,
		.reason = (__s32)c->reason, .nr_split = (__u32)c->nr_split,
		.ret = (__s32)c->ret, .duration_ns = c->duration_ns,
	};
}

SEC("raw_tp/kvm_tdx_boundary_split")
int BPF_PROG(tdxhp_boundary_split, struct kvm *kvm, u64 start_gfn,
	     u64 end_gfn, int reason, u32 nr_split, int ret, u64 duration_ns)
{
	TP_ACCOUNT(TDXHP_EV_BOUNDARY_SPLIT, tdxhp_ctx_boundary_split,
		   tp_boundary_split);
}

static __always_inline void
tp_fault_split_ignored(const struct tdxhp_ctx_fault_split_ignored *c,
		       struct tdxhp_event *e)
{
	*e = (struct tdxhp_event){
		.gfn = c->gfn, .level = (__s32)c->level,
		.goal_level = (__s32)c->goal_level,
		.vcpu_id = (__s32)c->vcpu_id,
	};
}

SEC("raw_tp/kvm_tdx_fault_split_ignored")
int BPF_PROG(tdxhp_fault_split_ignored, struct kvm *kvm, int vcpu_id, u64 gfn,
	     int level, int goal_level)
{
	TP_ACCOUNT(TDXHP_EV_FAULT_SPLIT_IGNORED,
		   tdxhp_ctx_fault_split_ignored, tp_fault_split_ignored);
}

static __always_inline void
tp_seamcall_busy(const struct tdxhp_ctx_seamcall_busy *c, struct tdxhp_event *e)
{
	*e = (struct tdxhp_event){ .seamcall = c->seamcall, .gfn = c->gfn,
				   .level = (__s32)c->level };
}

SEC("raw_tp/kvm_tdx_seamcall_busy")
int BPF_PROG(tdxhp_seamcall_busy, struct kvm *kvm, u64 seamcall, u64 gfn,
	     int level)
{
	/* By leaf host-wide, whether or not the TD has a slot. */
	if (instance_active())
		core_busy_leaf(seamcall);
	TP_ACCOUNT(TDXHP_EV_SEAMCALL_BUSY, tdxhp_ctx_seamcall_busy,
		   tp_seamcall_busy);
}

#undef TP_SRC
#endif /* TDXHP_SOURCE_TRACEPOINT_BPF_H */
