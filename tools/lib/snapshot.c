// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "identity_cache.h"
#include "names.h"
#include "snapshot.h"
#include "stats.h"
#include "util.h"

int tdxhp_snapshot_init(struct tdxhp_snapshot *s, const struct tdxhp *t)
{
	memset(s, 0, sizeof(*s));
	s->cap = t->nr_slots;
	s->tds = calloc(s->cap, sizeof(*s->tds));
	return s->tds ? 0 : -ENOMEM;
}

void tdxhp_snapshot_free(struct tdxhp_snapshot *s)
{
	free(s->tds);
	memset(s, 0, sizeof(*s));
}

/* Name of a TD, resolved once per (slot, generation, pid). */
static void name_td(struct tdxhp *t, uint32_t slot, uint32_t gen, int32_t pid,
		    uint64_t kvm, char *out, size_t len)
{
	const char *cached = tdxhp_name_cache_get(t->names, slot, gen, pid);

	if (cached) {
		snprintf(out, len, "%s", cached);
		return;
	}
	if (t->sim_name) {
		if (!kvm || t->sim_name(t->sim_name_arg, kvm, out, len))
			snprintf(out, len, "?");
	} else {
		tdxhp_resolve_name(pid, NULL, out, len);
	}
	tdxhp_name_cache_put(t->names, slot, gen, pid, out);
}

void tdxhp_td_name(struct tdxhp *t, uint32_t slot, uint32_t gen, int32_t pid,
		   char *out, size_t len)
{
	uint64_t kvm = 0;

	/* The simulator names TDs by handle: only while the slot holds it. */
	if (t->sim_name && slot < t->nr_slots &&
	    __atomic_load_n(&t->meta[slot].gen, __ATOMIC_ACQUIRE) == gen)
		kvm = __atomic_load_n(&t->meta[slot].kvm, __ATOMIC_ACQUIRE);
	name_td(t, slot, gen, pid, kvm, out, len);
}

void tdxhp_td_identity(struct tdxhp *t, uint32_t slot, uint32_t gen,
		       int32_t pid, struct tdxhp_identity *id)
{
	tdxhp_identity_cache_get(t->ids, slot, gen, pid, tdxhp_now_ns(), id);
}

/* Copy a slot's meta; the BPF side writes kvm last when it frees a slot. */
static void read_meta(const struct tdxhp *t, uint32_t slot,
		      struct tdxhp_td_meta *out)
{
	__atomic_load(&t->meta[slot].kvm, &out->kvm, __ATOMIC_ACQUIRE);
	out->first_seen_ns = t->meta[slot].first_seen_ns;
	out->last_storm_ns = t->meta[slot].last_storm_ns;
	out->gen = t->meta[slot].gen;
	out->flags = t->meta[slot].flags;
	out->pid = t->meta[slot].pid;
	out->hkid = t->meta[slot].hkid;
}

/* A slot's shards summed: one lookup per shard of the ARRAY. */
static int read_shards(const struct tdxhp *t, uint32_t slot,
		       struct tdxhp_td_shard *buf, struct tdxhp_td_stats *out)
{
	for (uint32_t i = 0; i < t->nr_shards; i++) {
		uint32_t key = (slot << t->shard_bits) | i;

		if (bpf_map_lookup_elem(t->fd.td_stats, &key, &buf[i]))
			return -errno;
	}
	tdxhp_td_shards_sum(out, buf, t->nr_shards);
	return 0;
}

int tdxhp_snapshot_read(struct tdxhp *t, struct tdxhp_snapshot *s)
{
	size_t host_stride = tdxhp_percpu_stride(sizeof(struct tdxhp_host_stats));
	size_t td_len = sizeof(struct tdxhp_td_shard) * t->nr_shards;
	size_t host_len = host_stride * (size_t)t->nr_cpus;
	size_t len = td_len > host_len ? td_len : host_len;
	/* shards are cache-line aligned values */
	void *buf = aligned_alloc(64, (len + 63) & ~(size_t)63);
	uint32_t key;

	if (!buf) {
		tdxhp_err("out of memory");
		return -ENOMEM;
	}
	s->ts_ns = tdxhp_now_ns();
	s->nr_tds = 0;
	for (uint32_t slot = 0; slot < t->nr_slots && s->nr_tds < s->cap;
	     slot++) {
		struct tdxhp_td *td = &s->tds[s->nr_tds];
		struct tdxhp_td_meta after;
		uint64_t kvm;

		read_meta(t, slot, &td->meta);
		if (!td->meta.kvm)
			continue;
		if (read_shards(t, slot, buf, &td->stats))
			continue;
		read_meta(t, slot, &after);
		/* Freed or reused while we read: skip rather than mix two TDs. */
		if (after.kvm != td->meta.kvm || after.gen != td->meta.gen) {
			s->torn_reads++;
			continue;
		}
		td->slot = slot;
		td->gen = td->meta.gen;
		td->meta.flags = after.flags;
		kvm = td->meta.kvm;
		td->meta.kvm = 0;
		name_td(t, slot, td->gen, td->meta.pid, kvm, td->name,
			sizeof(td->name));
		tdxhp_identity_cache_get(t->ids, slot, td->gen, td->meta.pid,
					 s->ts_ns, &td->id);
		s->nr_tds++;
	}

	read_shards(t, t->nr_slots, buf, &s->retired);
	key = 0;
	if (!bpf_map_lookup_elem(t->fd.host_stats, &key, buf))
		tdxhp_host_stats_sum_percpu(&s->host, buf, t->nr_cpus);
	free(buf);
	return 0;
}

const struct tdxhp_td *tdxhp_snapshot_find(const struct tdxhp_snapshot *s,
					   uint32_t slot, uint32_t gen)
{
	/* tds are ordered by slot: binary search. */
	unsigned int lo = 0, hi = s->nr_tds;

	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;

		if (s->tds[mid].slot < slot)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < s->nr_tds && s->tds[lo].slot == slot && s->tds[lo].gen == gen)
		return &s->tds[lo];
	return NULL;
}

void tdxhp_snapshot_host_total(const struct tdxhp_snapshot *s,
			       struct tdxhp_td_stats *out)
{
	*out = s->retired;
	memset(out->pages, 0, sizeof(out->pages));
	for (unsigned int i = 0; i < s->nr_tds; i++) {
		tdxhp_td_stats_add(out, &s->tds[i].stats);
		tdxhp_td_stats_add_pages(out, &s->tds[i].stats);
	}
}
