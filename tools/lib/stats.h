/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Arithmetic on the per-TD and host aggregates the BPF programs keep. */
#ifndef TDXHP_STATS_H
#define TDXHP_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "tdxhp/abi.h"

/* Bytes between CPUs in a per-CPU map value buffer (libbpf rounds to 8). */
static inline size_t tdxhp_percpu_stride(size_t value_size)
{
	return (value_size + 7) & ~(size_t)7;
}

/* One shard of a TD's stats (a td_stats map value) added into a sum. */
void tdxhp_td_shard_add(struct tdxhp_td_stats *dst,
			const struct tdxhp_td_shard *src);
/* A TD's n shards summed into out. */
void tdxhp_td_shards_sum(struct tdxhp_td_stats *out,
			 const struct tdxhp_td_shard *shards, unsigned int n);

/* Sum ncpus per-CPU copies, laid out as bpf_map_lookup_elem returns them. */
void tdxhp_host_stats_sum_percpu(struct tdxhp_host_stats *out,
				 const void *percpu, int ncpus);

void tdxhp_td_stats_add(struct tdxhp_td_stats *dst,
			const struct tdxhp_td_stats *src);

/* Page gauges: dst += src (one TD over CPUs, or live TDs of a host). */
void tdxhp_td_stats_add_pages(struct tdxhp_td_stats *dst,
			      const struct tdxhp_td_stats *src);

/* Counters and histograms of cur - prev; gauges are taken from cur. */
void tdxhp_td_stats_delta(struct tdxhp_td_stats *out,
			  const struct tdxhp_td_stats *cur,
			  const struct tdxhp_td_stats *prev);

const char *tdxhp_counter_name(int id);
const char *tdxhp_host_counter_name(int id);
const char *tdxhp_event_name(int type); /* "page_aug" */

/*
 * Share of a TD's mapped private memory in huge leaves: 0..1, or -1 when
 * unknown (nothing mapped, or a gauge below zero): docs/values.md.  The
 * gauges themselves: values.h.
 */
double tdxhp_huge_coverage(const struct tdxhp_td_stats *s);

#endif /* TDXHP_STATS_H */
