// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <string.h>

#include "hist.h"

const struct tdxhp_unit tdxhp_unit_ns = { "nsecs", 1 };
const struct tdxhp_unit tdxhp_unit_us = { "usecs", 1e3 };
const struct tdxhp_unit tdxhp_unit_ms = { "msecs", 1e6 };

#define TDXHP_HIST_NAME(ID, name) [TDXHP_H_##ID] = name,
static const char *const hist_names[TDXHP_NR_HISTS] = {
	TDXHP_HISTS(TDXHP_HIST_NAME)
};
#undef TDXHP_HIST_NAME

const char *tdxhp_hist_name(int id)
{
	return id >= 0 && id < TDXHP_NR_HISTS ? hist_names[id] : "?";
}

int tdxhp_hist_by_name(const char *name)
{
	for (int i = 0; i < TDXHP_NR_HISTS; i++)
		if (!strcmp(name, hist_names[i]))
			return i;
	return -1;
}

uint64_t tdxhp_hist_slot_lo_ns(int slot)
{
	return slot <= 0 ? 1 : 1ULL << slot;
}

uint64_t tdxhp_hist_slot_hi_ns(int slot)
{
	return slot >= TDXHP_HIST_SLOTS - 1 ? UINT64_MAX : 1ULL << (slot + 1);
}

uint64_t tdxhp_hist_count(const struct tdxhp_hist *h)
{
	uint64_t n = 0;

	for (int i = 0; i < TDXHP_HIST_SLOTS; i++)
		n += h->slots[i];
	return n;
}

double tdxhp_hist_quantile_ns(const struct tdxhp_hist *h, double q)
{
	uint64_t total = tdxhp_hist_count(h), seen = 0;
	double rank;

	if (!total)
		return 0;
	if (q <= 0)
		q = 1e-9;
	if (q > 1)
		q = 1;
	rank = q * (double)total;
	for (int i = 0; i < TDXHP_HIST_SLOTS; i++) {
		double lo, hi, frac;

		if (!h->slots[i] || (double)(seen + h->slots[i]) < rank) {
			seen += h->slots[i];
			continue;
		}
		lo = (double)tdxhp_hist_slot_lo_ns(i);
		/* The open last slot is treated as one more doubling. */
		hi = lo * 2;
		frac = (rank - (double)seen) / (double)h->slots[i];
		return lo + (hi - lo) * frac;
	}
	return (double)tdxhp_hist_slot_lo_ns(TDXHP_HIST_SLOTS - 1);
}

void tdxhp_hist_add(struct tdxhp_hist *dst, const struct tdxhp_hist *src)
{
	for (int i = 0; i < TDXHP_HIST_SLOTS; i++)
		dst->slots[i] += src->slots[i];
	dst->sum_ns += src->sum_ns;
}

static uint64_t sub0(uint64_t a, uint64_t b)
{
	return a > b ? a - b : 0;
}

void tdxhp_hist_delta(struct tdxhp_hist *out, const struct tdxhp_hist *cur,
		      const struct tdxhp_hist *prev)
{
	for (int i = 0; i < TDXHP_HIST_SLOTS; i++)
		out->slots[i] = sub0(cur->slots[i], prev->slots[i]);
	out->sum_ns = sub0(cur->sum_ns, prev->sum_ns);
}

/* A bound in the display unit, short: 512, 1.024, 65.54, 1049k. */
static void format_bound(char *buf, size_t len, uint64_t ns,
			 const struct tdxhp_unit *unit)
{
	double v = (double)ns / unit->ns;

	if (v >= 1e6)
		snprintf(buf, len, "%.0fk", v / 1e3);
	else if (v == (double)(uint64_t)v)
		snprintf(buf, len, "%.0f", v);
	else
		snprintf(buf, len, "%.4g", v);
}

#define STARS_MAX 40

void tdxhp_hist_print(FILE *f, const struct tdxhp_hist *h,
		      const struct tdxhp_unit *unit)
{
	static const char stars[] = "****************************************";
	int first = -1, last = -1;
	uint64_t max = 0;

	for (int i = 0; i < TDXHP_HIST_SLOTS; i++) {
		if (!h->slots[i])
			continue;
		if (first < 0)
			first = i;
		last = i;
		if (h->slots[i] > max)
			max = h->slots[i];
	}
	if (first < 0) {
		fprintf(f, "     (no samples)\n");
		return;
	}
	fprintf(f, "%*s%-*s : count    distribution\n", 9, "", 17,
		unit->label);
	for (int i = first; i <= last; i++) {
		char lo[24], hi[24], range[64];
		int n = (int)((double)h->slots[i] * STARS_MAX / (double)max);

		format_bound(lo, sizeof(lo), tdxhp_hist_slot_lo_ns(i), unit);
		if (i == TDXHP_HIST_SLOTS - 1)
			snprintf(hi, sizeof(hi), "...");
		else
			format_bound(hi, sizeof(hi), tdxhp_hist_slot_hi_ns(i),
				     unit);
		snprintf(range, sizeof(range), "%s -> %s", lo, hi);
		fprintf(f, "%*s%-*s : %-8llu |%.*s%*s|\n", 5, "", 21, range,
			(unsigned long long)h->slots[i], n, stars,
			STARS_MAX - n, "");
	}
}

void tdxhp_hist_json(FILE *f, const struct tdxhp_hist *h)
{
	int first = 1;

	fprintf(f, "{\"count\":%llu,\"sum_ns\":%llu,\"p50_ns\":%.0f,\"p99_ns\":%.0f,\"buckets\":[",
		(unsigned long long)tdxhp_hist_count(h),
		(unsigned long long)h->sum_ns, tdxhp_hist_quantile_ns(h, 0.5),
		tdxhp_hist_quantile_ns(h, 0.99));
	for (int i = 0; i < TDXHP_HIST_SLOTS; i++) {
		if (!h->slots[i])
			continue;
		fprintf(f, "%s{\"lo_ns\":%llu,\"hi_ns\":", first ? "" : ",",
			(unsigned long long)tdxhp_hist_slot_lo_ns(i));
		if (i == TDXHP_HIST_SLOTS - 1)
			fputs("null", f);
		else
			fprintf(f, "%llu",
				(unsigned long long)tdxhp_hist_slot_hi_ns(i));
		fprintf(f, ",\"count\":%llu}", (unsigned long long)h->slots[i]);
		first = 0;
	}
	fputs("]}", f);
}
