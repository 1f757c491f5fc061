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

SEC("raw_tp/kvm_tdx_page_add")
int BPF_PROG(tdxhp_page_add, struct kvm *kvm, u64 gfn, int level, u64 err,
	     u64 duration_ns)
{
	struct tdxhp_event e = { .gfn = gfn, .level = level, .status = err,
				 .duration_ns = duration_ns };

	if (instance_active())
		core_page(TDXHP_EV_PAGE_ADD, TP_SRC, (__u64)kvm, &e);
	return 0;
}

SEC("raw_tp/kvm_tdx_page_aug")
int BPF_PROG(tdxhp_page_aug, struct kvm *kvm, u64 gfn, int level, u64 err,
	     u64 duration_ns)
{
	struct tdxhp_event e = { .gfn = gfn, .level = level, .status = err,
				 .duration_ns = duration_ns };

	if (instance_active())
		core_page(TDXHP_EV_PAGE_AUG, TP_SRC, (__u64)kvm, &e);
	return 0;
}

SEC("raw_tp/kvm_tdx_page_remove")
int BPF_PROG(tdxhp_page_remove, struct kvm *kvm, u64 gfn, int level, u64 err,
	     u64 duration_ns)
{
	struct tdxhp_event e = { .gfn = gfn, .level = level, .status = err,
				 .duration_ns = duration_ns };

	if (instance_active())
		core_page(TDXHP_EV_PAGE_REMOVE, TP_SRC, (__u64)kvm, &e);
	return 0;
}

SEC("raw_tp/kvm_tdx_page_demote")
int BPF_PROG(tdxhp_page_demote, struct kvm *kvm, u64 gfn, int level, u64 err,
	     u64 block_ns, u64 track_ns, u64 demote_ns, u32 busy_retries)
{
	struct tdxhp_event e = {
		.gfn = gfn, .level = level, .status = err,
		.duration_ns = block_ns + track_ns + demote_ns,
		.block_ns = block_ns, .track_ns = track_ns,
		.demote_ns = demote_ns, .busy_retries = busy_retries,
	};

	if (instance_active())
		core_demote(TP_SRC, (__u64)kvm, &e);
	return 0;
}

SEC("raw_tp/kvm_tdx_boundary_split")
int BPF_PROG(tdxhp_boundary_split, struct kvm *kvm, u64 start_gfn,
	     u64 end_gfn, int reason, u32 nr_split, int ret, u64 duration_ns)
{
	struct tdxhp_event e = {
		.gfn = start_gfn, .gfn_end = end_gfn, .reason = reason,
		.nr_split = nr_split, .ret = ret, .duration_ns = duration_ns,
	};

	if (instance_active())
		core_boundary_split(TP_SRC, (__u64)kvm, &e);
	return 0;
}

SEC("raw_tp/kvm_tdx_fault_split_ignored")
int BPF_PROG(tdxhp_fault_split_ignored, struct kvm *kvm, int vcpu_id, u64 gfn,
	     int level, int goal_level)
{
	struct tdxhp_event e = {
		.gfn = gfn, .level = level, .goal_level = goal_level,
		.vcpu_id = vcpu_id,
	};

	if (instance_active())
		core_fault_split_ignored(TP_SRC, (__u64)kvm, &e);
	return 0;
}

SEC("raw_tp/kvm_tdx_seamcall_busy")
int BPF_PROG(tdxhp_seamcall_busy, struct kvm *kvm, u64 seamcall, u64 gfn,
	     int level)
{
	struct tdxhp_event e = { .seamcall = seamcall, .gfn = gfn,
				 .level = level };

	if (instance_active())
		core_seamcall_busy(TP_SRC, (__u64)kvm, &e);
	return 0;
}

#undef TP_SRC
#endif /* TDXHP_SOURCE_TRACEPOINT_BPF_H */
