// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <math.h>
#include <string.h>

#include "hist.h"
#include "util.h"

const struct tdxhp_unit tdxhp_unit_ns = { "ns", 1, 0 };
const struct tdxhp_unit tdxhp_unit_us = { "us", 1e3, 10 };
const struct tdxhp_unit tdxhp_unit_ms = { "ms", 1e6, 20 };

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

void tdxhp_hist_extremes(const struct tdxhp_hist *h, bool exact,
			 uint64_t min_ns, uint64_t max_ns,
			 struct tdxhp_hist_extremes *out)
{
	int first = -1, last = -1;

	memset(out, 0, sizeof(*out));
	for (int i = 0; i < TDXHP_HIST_SLOTS; i++) {
		if (!h->slots[i])
			continue;
		if (first < 0)
			first = i;
		last = i;
	}
	if (first < 0)
		return;
	if (exact && max_ns) {
		out->min_ns = min_ns;
		out->max_ns = max_ns;
		out->exact = true;
		return;
	}
	out->min_ns = tdxhp_hist_slot_lo_ns(first);
	out->max_ns = last == TDXHP_HIST_SLOTS - 1 ? tdxhp_hist_slot_lo_ns(last) :
						      tdxhp_hist_slot_hi_ns(last) - 1;
}

#define STARS_MAX 40

/* Counts per unit bucket (libbpf-tools' slots); returns the last used + 1. */
static int unit_buckets(const struct tdxhp_hist *h, const struct tdxhp_unit *u,
			uint64_t out[TDXHP_HIST_SLOTS], int *first)
{
	int last = -1;

	memset(out, 0, TDXHP_HIST_SLOTS * sizeof(out[0]));
	*first = -1;
	for (int i = 0; i < TDXHP_HIST_SLOTS; i++) {
		int b = i > u->shift ? i - u->shift : 0;

		if (!h->slots[i])
			continue;
		out[b] += h->slots[i];
		if (*first < 0 || b < *first)
			*first = b;
		if (b > last)
			last = b;
	}
	return last + 1;
}

void tdxhp_hist_print(FILE *f, const struct tdxhp_hist *h,
		      const struct tdxhp_unit *unit)
{
	static const char stars[] = "****************************************";
	uint64_t b[TDXHP_HIST_SLOTS], max = 0;
	int first, end = unit_buckets(h, unit, b, &first);

	if (first < 0) {
		fprintf(f, "     (no samples)\n");
		return;
	}
	for (int i = first; i < end; i++)
		if (b[i] > max)
			max = b[i];
	fprintf(f, "%*s%-*s : count    distribution\n", 9, "", 17,
		unit->label);
	for (int i = first; i < end; i++) {
		unsigned long long lo = i ? 1ULL << i : 0, hi = (2ULL << i) - 1;
		char range[64];
		int n = (int)((double)b[i] * STARS_MAX / (double)max);

		/* The last ns bucket has no upper bound. */
		if (i == TDXHP_HIST_SLOTS - 1 - unit->shift)
			snprintf(range, sizeof(range), "%llu -> ...", lo);
		else
			snprintf(range, sizeof(range), "%llu -> %llu", lo, hi);
		fprintf(f, "%*s%-*s : %-8llu |%.*s%*s|\n", 5, "", 21, range,
			(unsigned long long)b[i], n, stars, STARS_MAX - n, "");
	}
}

double tdxhp_hist_quantile_shown(const struct tdxhp_hist *h, double q,
				 const struct tdxhp_hist_extremes *x)
{
	double v = tdxhp_hist_quantile_ns(h, q);

	if (x && x->exact && x->max_ns) {
		if (v > (double)x->max_ns)
			v = (double)x->max_ns;
		if (v < (double)x->min_ns)
			v = (double)x->min_ns;
	}
	return v;
}

#define PAIR_STARS 20

void tdxhp_hist_print_pair(FILE *f, const struct tdxhp_hist *a,
			   const struct tdxhp_hist *b,
			   const struct tdxhp_unit *unit)
{
	static const char stars[] = "********************";
	uint64_t ba[TDXHP_HIST_SLOTS], bb[TDXHP_HIST_SLOTS], max = 0;
	int fa, fb, ea = unit_buckets(a, unit, ba, &fa),
		    eb = unit_buckets(b, unit, bb, &fb);
	int first = fa < 0 ? fb : fb < 0 ? fa : (fa < fb ? fa : fb);
	int end = ea > eb ? ea : eb;

	if (first < 0) {
		fprintf(f, "     (no samples)\n");
		return;
	}
	for (int i = first; i < end; i++) {
		if (ba[i] > max)
			max = ba[i];
		if (bb[i] > max)
			max = bb[i];
	}
	fprintf(f, "%*s%-*s : %-8s %-*s   %-8s %s\n", 9, "", 17, unit->label,
		"before", PAIR_STARS + 2, "", "after", "");
	for (int i = first; i < end; i++) {
		unsigned long long lo = i ? 1ULL << i : 0, hi = (2ULL << i) - 1;
		int na = (int)((double)ba[i] * PAIR_STARS / (double)max);
		int nb = (int)((double)bb[i] * PAIR_STARS / (double)max);
		char range[64];

		if (i == TDXHP_HIST_SLOTS - 1 - unit->shift)
			snprintf(range, sizeof(range), "%llu -> ...", lo);
		else
			snprintf(range, sizeof(range), "%llu -> %llu", lo, hi);
		fprintf(f, "%*s%-*s : %-8llu |%.*s%*s|   %-8llu |%.*s%*s|\n", 5, "",
			21, range, (unsigned long long)ba[i], na, stars,
			PAIR_STARS - na, "", (unsigned long long)bb[i], nb, stars,
			PAIR_STARS - nb, "");
	}
}

void tdxhp_hist_stats_line(FILE *f, const struct tdxhp_hist *h,
			   const struct tdxhp_hist_extremes *x)
{
	uint64_t n = tdxhp_hist_count(h);
	char mn[16], p50[16], p99[16], mx[16], avg[16];

	if (!n)
		return;
	tdxhp_format_ns(mn, sizeof(mn), (double)x->min_ns);
	tdxhp_format_ns(p50, sizeof(p50), tdxhp_hist_quantile_shown(h, 0.5, x));
	tdxhp_format_ns(p99, sizeof(p99), tdxhp_hist_quantile_shown(h, 0.99, x));
	tdxhp_format_ns(mx, sizeof(mx), (double)x->max_ns);
	tdxhp_format_ns(avg, sizeof(avg), (double)h->sum_ns / (double)n);
	fprintf(f, "     count %llu  min %s%s  p50 %s  p99 %s  max %s%s  avg %s%s\n",
		(unsigned long long)n, x->exact ? "" : ">=", mn, p50, p99,
		x->exact ? "" : "<=", mx, avg,
		x->exact ? "" : "  (min/max: bucket bounds)");
}

/* A quantile or mean in whole ns: the buckets hold nothing finer. */
static uint64_t whole_ns(double v)
{
	return v > 0 ? (uint64_t)llround(v) : 0;
}

void tdxhp_hist_json(struct tdxhp_json *w, const struct tdxhp_hist *h,
		     const struct tdxhp_hist_extremes *x)
{
	uint64_t n = tdxhp_hist_count(h);

	tdxhp_json_object_start(w);
	tdxhp_json_kv_u64(w, "count", n);
	tdxhp_json_kv_u64(w, "sum_ns", h->sum_ns);
	tdxhp_json_kv_u64(w, "min_ns", x->min_ns);
	tdxhp_json_kv_u64(w, "p50_ns",
			  whole_ns(tdxhp_hist_quantile_shown(h, 0.5, x)));
	tdxhp_json_kv_u64(w, "p99_ns",
			  whole_ns(tdxhp_hist_quantile_shown(h, 0.99, x)));
	tdxhp_json_kv_u64(w, "max_ns", x->max_ns);
	tdxhp_json_kv_u64(w, "avg_ns",
			  n ? whole_ns((double)h->sum_ns / (double)n) : 0);
	tdxhp_json_kv_string(w, "extremes", x->exact ? "exact" : "bucket_bounds");
	tdxhp_json_name(w, "buckets");
	tdxhp_json_array_start(w);
	for (int i = 0; i < TDXHP_HIST_SLOTS; i++) {
		if (!h->slots[i])
			continue;
		tdxhp_json_object_start(w);
		tdxhp_json_kv_u64(w, "lo_ns", tdxhp_hist_slot_lo_ns(i));
		tdxhp_json_name(w, "hi_ns");
		if (i == TDXHP_HIST_SLOTS - 1)
			tdxhp_json_null(w);
		else
			tdxhp_json_u64(w, tdxhp_hist_slot_hi_ns(i));
		tdxhp_json_kv_u64(w, "count", h->slots[i]);
		tdxhp_json_object_end(w);
	}
	tdxhp_json_array_end(w);
	tdxhp_json_object_end(w);
}
