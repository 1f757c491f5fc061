// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * tdxhp: in-kernel aggregation of the kvm_tdx_* tracepoints.
 *
 * One raw_tp program per event.  Argument lists match TP_PROTO in
 * kernel-patches/ and include/tdxhp/abi.h; tests/contract checks that.
 */
#include "vmlinux_min.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "tdxhp/abi.h"
#include "maps.bpf.h"
#include "hist.bpf.h"
#include "storm.bpf.h"
#include "td_table.bpf.h"
#include "stream.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* Count the event host-wide; returns this CPU's host stats for more. */
static __always_inline struct tdxhp_host_stats *
count_event(enum tdxhp_event_type type)
{
	struct tdxhp_host_stats *h = host();

	if (h)
		h->events[type]++;
	return h;
}

/* Index into pages[] for a valid level, or -1 (counted as bad input). */
static __always_inline int level_index(int level, struct tdxhp_td_stats *s)
{
	__u32 li = (__u32)level - 1;

	/* Keep the bounds check on the register that indexes the arrays. */
	barrier_var(li);
	if (li < TDXHP_NR_LEVELS)
		return li;
	s->counters[TDXHP_C_BAD_EVENT]++;
	host_count(TDXHP_HC_BAD_LEVEL);
	return -1;
}

/* Per-TD state of an event: its meta, slot and this CPU's stats. */
struct td_ref {
	struct tdxhp_td_meta *m;
	struct tdxhp_td_stats *s;
	__u32 slot;
};

static __always_inline bool td_ref_get(__u64 kvm, struct td_ref *t)
{
	t->m = td_get(kvm, &t->slot);
	if (!t->m)
		return false;
	t->s = td_stats_of(t->slot);
	return t->s != NULL;
}

SEC("raw_tp/kvm_tdx_td_init")
int BPF_PROG(tdxhp_td_init, struct kvm *kvm, pid_t pid, int hkid)
{
	struct tdxhp_td_meta *m;
	struct tdxhp_record *r;
	__u32 slot;

	count_event(TDXHP_EV_TD_INIT);
	/* A handle we still hold belongs to a TD whose teardown we missed. */
	m = td_find((__u64)kvm, &slot);
	if (m) {
		host_count(TDXHP_HC_TD_REINIT);
		td_release(slot, m);
	}
	m = td_claim((__u64)kvm, &slot, true);
	if (!m)
		return 0;
	m->pid = pid;
	m->hkid = hkid;
	r = stream_begin(TDXHP_EV_TD_INIT, slot, m);
	stream_end(r);
	return 0;
}

SEC("raw_tp/kvm_tdx_td_teardown")
int BPF_PROG(tdxhp_td_teardown, struct kvm *kvm)
{
	struct tdxhp_td_meta *m;
	__u32 slot;

	count_event(TDXHP_EV_TD_TEARDOWN);
	m = td_find((__u64)kvm, &slot);
	if (!m) {
		host_count(TDXHP_HC_TD_UNKNOWN_TEARDOWN);
		return 0;
	}
	stream_end(stream_begin(TDXHP_EV_TD_TEARDOWN, slot, m));
	td_release(slot, m);
	return 0;
}

/* add, aug and remove share their shape: count, gauge, histogram, record. */
static __always_inline void page_op(enum tdxhp_event_type type, __u64 kvm,
				    __u64 gfn, int level, __u64 err,
				    __u64 duration_ns)
{
	struct tdxhp_record *r;
	struct td_ref t;
	int li;

	count_event(type);
	if (!td_ref_get(kvm, &t))
		return;
	li = level_index(level, t.s);
	if (li < 0)
		return;

	if (type == TDXHP_EV_PAGE_ADD) {
		t.s->counters[err ? TDXHP_C_ADD_ERR : TDXHP_C_ADD]++;
		if (!err)
			t.s->pages[li]++;
		hist_record(&t.s->hist[TDXHP_H_ADD], duration_ns);
	} else if (type == TDXHP_EV_PAGE_AUG) {
		t.s->counters[err ? TDXHP_C_AUG_ERR : TDXHP_C_AUG_4K + li]++;
		if (!err)
			t.s->pages[li]++;
		if (level == TDXHP_LEVEL_4K)
			hist_record(&t.s->hist[TDXHP_H_AUG_4K], duration_ns);
		else if (level == TDXHP_LEVEL_2M)
			hist_record(&t.s->hist[TDXHP_H_AUG_2M], duration_ns);
	} else {
		t.s->counters[err ? TDXHP_C_REMOVE_ERR : TDXHP_C_REMOVE_4K + li]++;
		if (!err)
			t.s->pages[li]--;
		hist_record(&t.s->hist[TDXHP_H_REMOVE], duration_ns);
	}

	r = stream_begin(type, t.slot, t.m);
	if (r) {
		r->gfn = gfn;
		r->level = level;
		r->err = err;
		r->duration_ns = duration_ns;
		stream_end(r);
	}
}

SEC("raw_tp/kvm_tdx_page_add")
int BPF_PROG(tdxhp_page_add, struct kvm *kvm, u64 gfn, int level, u64 err,
	     u64 duration_ns)
{
	page_op(TDXHP_EV_PAGE_ADD, (__u64)kvm, gfn, level, err, duration_ns);
	return 0;
}

SEC("raw_tp/kvm_tdx_page_aug")
int BPF_PROG(tdxhp_page_aug, struct kvm *kvm, u64 gfn, int level, u64 err,
	     u64 duration_ns)
{
	page_op(TDXHP_EV_PAGE_AUG, (__u64)kvm, gfn, level, err, duration_ns);
	return 0;
}

SEC("raw_tp/kvm_tdx_page_remove")
int BPF_PROG(tdxhp_page_remove, struct kvm *kvm, u64 gfn, int level, u64 err,
	     u64 duration_ns)
{
	page_op(TDXHP_EV_PAGE_REMOVE, (__u64)kvm, gfn, level, err, duration_ns);
	return 0;
}

SEC("raw_tp/kvm_tdx_page_demote")
int BPF_PROG(tdxhp_page_demote, struct kvm *kvm, u64 gfn, int level, u64 err,
	     u64 block_ns, u64 track_ns, u64 demote_ns, u32 busy_retries)
{
	struct tdxhp_record *r;
	struct td_ref t;
	int li;

	count_event(TDXHP_EV_PAGE_DEMOTE);
	if (!td_ref_get((__u64)kvm, &t))
		return 0;
	li = level_index(level, t.s);
	if (li < 1) {
		if (li == 0) /* a 4K leaf cannot be split */
			t.s->counters[TDXHP_C_BAD_EVENT]++;
		return 0;
	}

	t.s->counters[err ? TDXHP_C_DEMOTE_ERR : TDXHP_C_DEMOTE]++;
	t.s->counters[TDXHP_C_DEMOTE_BUSY_RETRY] += busy_retries;
	if (!err) {
		t.s->pages[li]--;
		t.s->pages[li - 1] += TDXHP_PAGES_PER_LEVEL;
	}
	hist_record(&t.s->hist[TDXHP_H_DEMOTE], block_ns + track_ns + demote_ns);
	hist_record(&t.s->hist[TDXHP_H_DEMOTE_BLOCK], block_ns);
	hist_record(&t.s->hist[TDXHP_H_DEMOTE_TRACK], track_ns);
	hist_record(&t.s->hist[TDXHP_H_DEMOTE_DEMOTE], demote_ns);

	r = stream_begin(TDXHP_EV_PAGE_DEMOTE, t.slot, t.m);
	if (r) {
		r->gfn = gfn;
		r->level = level;
		r->err = err;
		r->duration_ns = block_ns + track_ns + demote_ns;
		r->block_ns = block_ns;
		r->track_ns = track_ns;
		r->demote_ns = demote_ns;
		r->busy_retries = busy_retries;
		stream_end(r);
	}
	return 0;
}

/*
 * Gauges are not touched here: every huge leaf the boundary split demotes
 * also fires kvm_tdx_page_demote.
 */
SEC("raw_tp/kvm_tdx_boundary_split")
int BPF_PROG(tdxhp_boundary_split, struct kvm *kvm, u64 start_gfn,
	     u64 end_gfn, int reason, u32 nr_split, int ret, u64 duration_ns)
{
	struct tdxhp_record *r;
	struct td_ref t;

	count_event(TDXHP_EV_BOUNDARY_SPLIT);
	if (!td_ref_get((__u64)kvm, &t))
		return 0;
	if ((__u32)reason >= TDXHP_NR_SPLIT_REASONS) {
		t.s->counters[TDXHP_C_BAD_EVENT]++;
		return 0;
	}
	t.s->counters[TDXHP_C_SPLIT_CONVERT + reason]++;
	if (ret)
		t.s->counters[TDXHP_C_SPLIT_ERR]++;
	t.s->counters[TDXHP_C_SPLIT_LEAVES] += nr_split;
	hist_record(&t.s->hist[TDXHP_H_SPLIT], duration_ns);

	r = stream_begin(TDXHP_EV_BOUNDARY_SPLIT, t.slot, t.m);
	if (r) {
		r->gfn = start_gfn;
		r->gfn_end = end_gfn;
		r->reason = reason;
		r->busy_retries = nr_split;
		r->err = (__u64)(__s64)ret;
		r->duration_ns = duration_ns;
		stream_end(r);
	}
	return 0;
}

SEC("raw_tp/kvm_tdx_fault_split_ignored")
int BPF_PROG(tdxhp_fault_split_ignored, struct kvm *kvm, int vcpu_id, u64 gfn,
	     int level, int goal_level)
{
	struct tdxhp_record *r;
	struct td_ref t;
	bool storm;

	count_event(TDXHP_EV_FAULT_SPLIT_IGNORED);
	if (!td_ref_get((__u64)kvm, &t))
		return 0;
	t.s->counters[TDXHP_C_FAULT_SPLIT_IGNORED]++;
	storm = storm_note(t.slot, t.m, t.s, gfn, level, goal_level);

	r = stream_begin(TDXHP_EV_FAULT_SPLIT_IGNORED, t.slot, t.m);
	if (r) {
		r->gfn = gfn;
		r->level = level;
		r->goal_level = goal_level;
		r->vcpu_id = vcpu_id;
		r->flags = storm ? TDXHP_REC_STORM : 0;
		stream_end(r);
	}
	return 0;
}

SEC("raw_tp/kvm_tdx_seamcall_busy")
int BPF_PROG(tdxhp_seamcall_busy, struct kvm *kvm, u64 seamcall, u64 gfn,
	     int level)
{
	struct tdxhp_host_stats *h;
	struct tdxhp_record *r;
	struct td_ref t;

	h = count_event(TDXHP_EV_SEAMCALL_BUSY);
	if (h && seamcall < TDXHP_MAX_SEAMCALL)
		h->seamcall_busy[seamcall]++;
	if (!td_ref_get((__u64)kvm, &t))
		return 0;
	t.s->counters[TDXHP_C_SEAMCALL_BUSY]++;

	r = stream_begin(TDXHP_EV_SEAMCALL_BUSY, t.slot, t.m);
	if (r) {
		r->seamcall = seamcall;
		r->gfn = gfn;
		r->level = level;
		stream_end(r);
	}
	return 0;
}
