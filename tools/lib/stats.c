// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <string.h>

#include "hist.h"
#include "stats.h"
#include "values.h"

/* Where each counter and histogram sum sits in a shard. */
#define COUNTER_WORD(ID, name) [TDXHP_C_##ID] = TDXHP_SW_C_##ID,
static const unsigned char counter_word[] = { TDXHP_COUNTERS(COUNTER_WORD) };
#undef COUNTER_WORD
#define SUM_WORD(ID, name) [TDXHP_H_##ID] = TDXHP_SW_H_##ID,
static const unsigned char sum_word[] = { TDXHP_HISTS(SUM_WORD) };
#undef SUM_WORD

void tdxhp_td_shard_add(struct tdxhp_td_stats *dst,
			const struct tdxhp_td_shard *src)
{
	for (int i = 0; i < TDXHP_NR_COUNTERS; i++)
		dst->counters[i] += src->word[counter_word[i]];
	for (int i = 0; i < TDXHP_NR_LEVELS; i++)
		dst->pages[i] += (int64_t)src->word[TDXHP_SW_PAGES_4K + i];
	for (int h = 0; h < TDXHP_NR_HISTS; h++) {
		for (int i = 0; i < TDXHP_HIST_SLOTS; i++)
			dst->hist[h].slots[i] +=
				src->slots[tdxhp_shard_slot((__u32)h, (__u32)i)];
		dst->hist[h].sum_ns += src->word[sum_word[h]];
	}
}

void tdxhp_td_shards_sum(struct tdxhp_td_stats *out,
			 const struct tdxhp_td_shard *shards, unsigned int n)
{
	memset(out, 0, sizeof(*out));
	for (unsigned int i = 0; i < n; i++)
		tdxhp_td_shard_add(out, &shards[i]);
}

void tdxhp_host_stats_sum_percpu(struct tdxhp_host_stats *out,
				 const void *percpu, int ncpus)
{
	size_t stride = tdxhp_percpu_stride(sizeof(*out));

	memset(out, 0, sizeof(*out));
	for (int cpu = 0; cpu < ncpus; cpu++) {
		const struct tdxhp_host_stats *c =
			(const void *)((const char *)percpu + stride * cpu);

		for (int i = 0; i < TDXHP_NR_HOST_COUNTERS; i++)
			out->counters[i] += c->counters[i];
		for (int i = 0; i < TDXHP_NR_EVENTS; i++)
			out->events[i] += c->events[i];
		for (int i = 0; i < TDXHP_MAX_SEAMCALL; i++)
			out->seamcall_busy[i] += c->seamcall_busy[i];
	}
}

/* Counters and histograms only: gauges are not additive across TDs' lives. */
void tdxhp_td_stats_add(struct tdxhp_td_stats *dst,
			const struct tdxhp_td_stats *src)
{
	for (int i = 0; i < TDXHP_NR_COUNTERS; i++)
		dst->counters[i] += src->counters[i];
	for (int i = 0; i < TDXHP_NR_HISTS; i++)
		tdxhp_hist_add(&dst->hist[i], &src->hist[i]);
}

void tdxhp_td_stats_add_pages(struct tdxhp_td_stats *dst,
			      const struct tdxhp_td_stats *src)
{
	for (int i = 0; i < TDXHP_NR_LEVELS; i++)
		dst->pages[i] += src->pages[i];
}

void tdxhp_td_stats_delta(struct tdxhp_td_stats *out,
			  const struct tdxhp_td_stats *cur,
			  const struct tdxhp_td_stats *prev)
{
	for (int i = 0; i < TDXHP_NR_COUNTERS; i++)
		out->counters[i] = cur->counters[i] > prev->counters[i] ?
					   cur->counters[i] - prev->counters[i] :
					   0;
	for (int i = 0; i < TDXHP_NR_LEVELS; i++)
		out->pages[i] = cur->pages[i];
	for (int i = 0; i < TDXHP_NR_HISTS; i++)
		tdxhp_hist_delta(&out->hist[i], &cur->hist[i], &prev->hist[i]);
}

#define NAME_ENTRY(ID, name) [TDXHP_C_##ID] = #name,
static const char *const counter_names[] = { TDXHP_COUNTERS(NAME_ENTRY) };
#undef NAME_ENTRY
#define NAME_ENTRY(ID, name) [TDXHP_HC_##ID] = #name,
static const char *const host_counter_names[] = {
	TDXHP_HOST_COUNTERS(NAME_ENTRY)
};
#undef NAME_ENTRY
#define NAME_ENTRY(ID, name) [TDXHP_EV_##ID] = #name,
static const char *const event_names[] = { TDXHP_EVENTS(NAME_ENTRY) };
#undef NAME_ENTRY

const char *tdxhp_counter_name(int id)
{
	return id >= 0 && id < TDXHP_NR_COUNTERS ? counter_names[id] : "?";
}

const char *tdxhp_host_counter_name(int id)
{
	return id >= 0 && id < TDXHP_NR_HOST_COUNTERS ? host_counter_names[id] :
							"?";
}

const char *tdxhp_event_name(int type)
{
	return type >= 0 && type < TDXHP_NR_EVENTS ? event_names[type] : "?";
}

double tdxhp_huge_coverage(const struct tdxhp_td_stats *s)
{
	/* docs/values.md: unknown when nothing is mapped or a gauge < 0. */
	return tdxhp_coverage_of(tdxhp_gauge_bytes_at(s, TDXHP_LEVEL_4K),
				 tdxhp_gauge_bytes_at(s, TDXHP_LEVEL_2M),
				 tdxhp_gauge_bytes_at(s, TDXHP_LEVEL_1G));
}
