/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Optional per-event records for streaming tools (tdxhp-trace). */
#ifndef TDXHP_STREAM_BPF_H
#define TDXHP_STREAM_BPF_H

/* A zeroed record with the common fields set, or NULL if not streaming. */
static __always_inline struct tdxhp_record *
stream_begin(enum tdxhp_event_type type, __u32 slot, struct tdxhp_td_meta *m)
{
	struct tdxhp_record *r;

	if (!stream_enabled)
		return NULL;
	r = bpf_ringbuf_reserve(&events, sizeof(*r), 0);
	if (!r) {
		host_count(TDXHP_HC_RINGBUF_LOST);
		return NULL;
	}
	__builtin_memset(r, 0, sizeof(*r));
	r->ts_ns = bpf_ktime_get_ns();
	r->type = type;
	r->cpu = bpf_get_smp_processor_id();
	r->slot = slot;
	if (m) {
		r->gen = m->gen;
		r->pid = m->pid;
		r->hkid = m->hkid;
	} else {
		r->hkid = -1;
	}
	return r;
}

static __always_inline void stream_end(struct tdxhp_record *r)
{
	if (r)
		bpf_ringbuf_submit(r, 0);
}

#endif /* TDXHP_STREAM_BPF_H */
