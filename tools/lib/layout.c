// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stddef.h>
#include <string.h>

#include "layout.h"
#include "tdxhp.skel.h"

#define FIELD(m, nm, off, sz, fl, cnt)                                         \
	{ .name = nm, .map = TDXHP_SCHEMA_##m, .offset = (off), .size = (sz),  \
	  .flags = (fl), .count = (cnt) },
#define META(f, fl)                                                            \
	FIELD(TD_META, #f, offsetof(struct tdxhp_td_meta, f),                  \
	      sizeof(((struct tdxhp_td_meta *)0)->f), fl, 1)
/* td_stats values are shards: struct tdxhp_td_shard. */
#define SHARD_WORD(w) (offsetof(struct tdxhp_td_shard, word) + 8 * TDXHP_SW_##w)
#define TD_COUNTER(ID, nm)                                                     \
	FIELD(TD_STATS, "counters." #nm, SHARD_WORD(C_##ID), 8, 0, 1)
/* Bucket lists: page_demote's four are interleaved (stride of 4). */
#define SLOT_OFF(ID)                                                           \
	(offsetof(struct tdxhp_td_shard, slots) +                              \
	 8 * TDXHP_SHARD_SLOT(TDXHP_H_##ID, 0))
#define SLOT_STRIDE(ID)                                                        \
	((TDXHP_SHARD_SLOT(TDXHP_H_##ID, 1) - TDXHP_SHARD_SLOT(TDXHP_H_##ID, 0) - \
	  1)                                                                   \
	 << TDXHP_SCHEMA_STRIDE_SHIFT)
#define TD_HIST(ID, nm)                                                        \
	FIELD(TD_STATS, "hist." nm ".slots", SLOT_OFF(ID), 8, SLOT_STRIDE(ID), \
	      TDXHP_HIST_SLOTS)                                                \
	FIELD(TD_STATS, "hist." nm ".sum_ns", SHARD_WORD(H_##ID), 8, 0, 1)
#define HOST_COUNTER(ID, nm)                                                   \
	FIELD(HOST_STATS, "counters." #nm,                                     \
	      offsetof(struct tdxhp_host_stats, counters) +                    \
		      8 * TDXHP_HC_##ID,                                       \
	      8, 0, 1)
#define HOST_EVENT(ID, nm)                                                     \
	FIELD(HOST_STATS, "events." #nm,                                       \
	      offsetof(struct tdxhp_host_stats, events) + 8 * TDXHP_EV_##ID,   \
	      8, 0, 1)

static const struct tdxhp_schema_field schema[] = {
	META(kvm, 0) META(first_seen_ns, 0) META(last_storm_ns, 0)
	META(gen, 0) META(flags, 0)
	META(pid, TDXHP_SCHEMA_SIGNED) META(hkid, TDXHP_SCHEMA_SIGNED)
	TDXHP_COUNTERS(TD_COUNTER)
	FIELD(TD_STATS, "pages", SHARD_WORD(PAGES_4K), 8, TDXHP_SCHEMA_SIGNED,
	      TDXHP_NR_LEVELS)
	TDXHP_HISTS(TD_HIST)
	TDXHP_HOST_COUNTERS(HOST_COUNTER)
	TDXHP_EVENTS(HOST_EVENT)
	FIELD(HOST_STATS, "seamcall_busy",
	      offsetof(struct tdxhp_host_stats, seamcall_busy), 8, 0,
	      TDXHP_MAX_SEAMCALL)
};

_Static_assert(sizeof(schema) / sizeof(schema[0]) <= TDXHP_MAX_SCHEMA,
	       "schema map too small");

unsigned int tdxhp_schema(const struct tdxhp_schema_field **fields)
{
	if (fields)
		*fields = schema;
	return sizeof(schema) / sizeof(schema[0]);
}

static uint64_t fnv1a(uint64_t h, const void *p, size_t len)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < len; i++)
		h = (h ^ b[i]) * 0x100000001b3ULL;
	return h;
}

uint64_t tdxhp_layout_hash(void)
{
	const uint64_t sizes[] = {
		sizeof(struct tdxhp_td_meta),
		sizeof(struct tdxhp_td_shard),
		sizeof(struct tdxhp_host_stats),
		sizeof(struct tdxhp_storm_set),
		sizeof(struct tdxhp_record),
		sizeof(struct tdxhp_info),
		sizeof(struct tdxhp_control),
		sizeof(struct tdxhp_bpf__bss),
		offsetof(struct tdxhp_bpf__bss, stream_enabled),
		offsetof(struct tdxhp_bpf__bss, late_teardown),
		offsetof(struct tdxhp_bpf__bss, late_teardown_next),
		TDXHP_NR_EVENTS,
		TDXHP_STORM_SETS,
	};
	uint64_t h = 0xcbf29ce484222325ULL;

	h = fnv1a(h, schema, sizeof(schema));
	return fnv1a(h, sizes, sizeof(sizes));
}

const struct tdxhp_schema_field *
tdxhp_schema_find(const struct tdxhp_schema_field *f, unsigned int n,
		  uint32_t map, const char *name)
{
	for (unsigned int i = 0; i < n; i++)
		if (f[i].map == map &&
		    !strncmp(f[i].name, name, sizeof(f[i].name)))
			return &f[i];
	return NULL;
}
