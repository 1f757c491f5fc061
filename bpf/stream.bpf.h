/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Optional per-event records for streaming tools (tdxhp-trace). */
#ifndef TDXHP_STREAM_BPF_H
#define TDXHP_STREAM_BPF_H

/* Room for one record, or NULL (a full buffer is counted). */
static __always_inline struct tdxhp_record *stream_reserve(void)
{
	struct tdxhp_record *r = bpf_ringbuf_reserve(&events, sizeof(*r), 0);

	if (!r)
		host_count(TDXHP_HC_RINGBUF_LOST);
	return r;
}

/*
 * Everything but the event body.  The TD's fields are copied before the
 * clock is read, so that only r lives across that helper call.
 */
static __always_inline void stream_head(struct tdxhp_record *r,
					enum tdxhp_event_type type,
					__u32 source, __u32 slot,
					const struct tdxhp_td_meta *m,
					__u32 flags)
{
	r->type = type;
	r->cpu = bpf_get_smp_processor_id();
	r->slot = slot;
	r->gen = m->gen;
	r->pid = m->pid;
	r->hkid = m->hkid;
	r->flags = flags;
	r->source = source;
	r->ts_ns = bpf_ktime_get_ns();
}

/* One record per event while a consumer streams. */
static __always_inline void stream_emit(enum tdxhp_event_type type,
					__u32 source, __u32 slot,
					const struct tdxhp_td_meta *m,
					const struct tdxhp_event *e,
					__u32 flags)
{
	struct tdxhp_record *r;

	if (!stream_enabled)
		return;
	r = stream_reserve();
	if (!r)
		return;
	stream_head(r, type, source, slot, m, flags);
	__builtin_memcpy(&r->ev, e, sizeof(r->ev));
	bpf_ringbuf_submit(r, 0);
}

#endif /* TDXHP_STREAM_BPF_H */
