// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "json_fields.h"
#include "util.h"

static const char *const stat_names[TDXHP_NR_DIFF_STATS] = {
	"count", "rate", "min", "p50", "p99", "max", "avg",
};

#define Z95 1.96

int tdxhp_fail_if_parse(const char *s, struct tdxhp_fail_if *out)
{
	const char *dot = strchr(s, '.'), *cmp = strpbrk(s, "<>");
	char op[32], stat[16], *end;
	size_t n;

	memset(out, 0, sizeof(*out));
	snprintf(out->text, sizeof(out->text), "%s", s);
	if (!dot || !cmp || cmp < dot || (size_t)(dot - s) >= sizeof(op) ||
	    (size_t)(cmp - dot - 1) >= sizeof(stat))
		goto bad;
	n = (size_t)(dot - s);
	memcpy(op, s, n);
	op[n] = '\0';
	n = (size_t)(cmp - dot - 1);
	memcpy(stat, dot + 1, n);
	stat[n] = '\0';
	out->op = tdxhp_hist_by_name(op);
	if (out->op < 0) {
		tdxhp_err("--fail-if '%s': unknown operation '%s' (add, aug-4k, aug-2m, remove, demote, demote-block, demote-track, demote-demote, split)",
			  s, op);
		return -1;
	}
	out->stat = TDXHP_NR_DIFF_STATS;
	for (int i = 0; i < TDXHP_NR_DIFF_STATS; i++)
		if (!strcmp(stat, stat_names[i]))
			out->stat = (enum tdxhp_diff_stat)i;
	if (out->stat == TDXHP_NR_DIFF_STATS) {
		tdxhp_err("--fail-if '%s': unknown statistic '%s' (count, rate, min, p50, p99, max, avg)",
			  s, stat);
		return -1;
	}
	out->greater = *cmp == '>';
	out->pct = strtod(cmp + 1, &end);
	if (end == cmp + 1 || strcmp(end, "%"))
		goto bad;
	return 0;
bad:
	tdxhp_err("--fail-if wants OP.STAT>+N%% or OP.STAT<-N%% (e.g. demote.p99>+10%%), not '%s'",
		  s);
	return -1;
}

/* One side of a comparison: an op's histogram in one run. */
struct side {
	const struct tdxhp_hist *h;
	struct tdxhp_hist_extremes x;
	uint64_t n;
	double span_s;
};

static void side_of(struct side *s, const struct tdxhp_run *r,
		    const struct tdxhp_td_stats *st,
		    const struct tdxhp_minmax *mm, int op)
{
	s->h = &st->hist[op];
	s->n = tdxhp_hist_count(s->h);
	s->span_s = r->span_s;
	tdxhp_hist_extremes(s->h, r->exact, mm[op].min_ns, mm[op].max_ns, &s->x);
}

/* Value of a statistic; NAN when it does not exist (no rate without span). */
static double value(const struct side *s, enum tdxhp_diff_stat st)
{
	switch (st) {
	case TDXHP_DS_COUNT: return (double)s->n;
	case TDXHP_DS_RATE: return s->span_s > 0 ? (double)s->n / s->span_s : NAN;
	case TDXHP_DS_MIN: return s->n ? (double)s->x.min_ns : NAN;
	case TDXHP_DS_P50: return s->n ? tdxhp_hist_quantile_shown(s->h, 0.5, &s->x) : NAN;
	case TDXHP_DS_P99: return s->n ? tdxhp_hist_quantile_shown(s->h, 0.99, &s->x) : NAN;
	case TDXHP_DS_MAX: return s->n ? (double)s->x.max_ns : NAN;
	case TDXHP_DS_AVG: return s->n ? (double)s->h->sum_ns / (double)s->n : NAN;
	default: return NAN;
	}
}

/* Variance estimated from bucket midpoints (1.5 x the lower bound). */
static double variance(const struct side *s, double mean)
{
	double v = 0;

	for (int i = 0; i < TDXHP_HIST_SLOTS; i++) {
		double mid = 1.5 * (double)tdxhp_hist_slot_lo_ns(i);

		v += (double)s->h->slots[i] * (mid - mean) * (mid - mean);
	}
	return s->n > 1 ? v / (double)(s->n - 1) : 0;
}

/* The q-quantile's 95% interval from the binomial spread of its rank. */
static void quantile_ci(const struct side *s, double q, double *lo, double *hi)
{
	double n = (double)s->n, sd = sqrt(n * q * (1 - q));
	double rlo = (n * q - Z95 * sd) / n, rhi = (n * q + Z95 * sd) / n;

	*lo = tdxhp_hist_quantile_ns(s->h, rlo > 0 ? rlo : 1e-9);
	*hi = tdxhp_hist_quantile_ns(s->h, rhi < 1 ? rhi : 1);
}

enum verdict { V_SAME, V_SIGNIFICANT, V_NOISE, V_TOO_FEW, V_UNTESTED, V_NA };

static const char *const verdict_text[] = {
	[V_SAME] = "no change",
	[V_SIGNIFICANT] = "significant",
	[V_NOISE] = "within noise",
	[V_TOO_FEW] = "too few samples",
	[V_UNTESTED] = "extreme: one sample, untested",
	[V_NA] = "",
};

static enum verdict judge(const struct side *a, const struct side *b,
			  enum tdxhp_diff_stat st)
{
	double va = value(a, st), vb = value(b, st);

	if (isnan(va) || isnan(vb))
		return st == TDXHP_DS_RATE || a->n || b->n ? V_NA : V_SAME;
	if (va == vb)
		return V_SAME;
	switch (st) {
	case TDXHP_DS_COUNT:
	case TDXHP_DS_RATE: {
		/* Poisson counts: the difference against its standard error. */
		double ta = st == TDXHP_DS_RATE ? a->span_s : 1;
		double tb = st == TDXHP_DS_RATE ? b->span_s : 1;
		double se = sqrt((double)a->n / (ta * ta) + (double)b->n / (tb * tb));

		return fabs(vb - va) > Z95 * se ? V_SIGNIFICANT : V_NOISE;
	}
	default:
		break;
	}
	if (a->n < TDXHP_DIFF_MIN_SAMPLES || b->n < TDXHP_DIFF_MIN_SAMPLES)
		return V_TOO_FEW;
	switch (st) {
	case TDXHP_DS_MIN:
	case TDXHP_DS_MAX:
		return V_UNTESTED;
	case TDXHP_DS_P50:
	case TDXHP_DS_P99: {
		double q = st == TDXHP_DS_P50 ? 0.5 : 0.99, alo, ahi, blo, bhi;

		/* The quantile needs a few samples beyond it on each side. */
		if ((double)a->n * (1 - q) < 5 || (double)b->n * (1 - q) < 5)
			return V_TOO_FEW;
		quantile_ci(a, q, &alo, &ahi);
		quantile_ci(b, q, &blo, &bhi);
		return bhi < alo || blo > ahi ? V_SIGNIFICANT : V_NOISE;
	}
	case TDXHP_DS_AVG: {
		double se = sqrt(variance(a, va) / (double)a->n +
				 variance(b, vb) / (double)b->n);

		return fabs(vb - va) > Z95 * se ? V_SIGNIFICANT : V_NOISE;
	}
	default:
		return V_NA;
	}
}

static double change_pct(double va, double vb)
{
	if (isnan(va) || isnan(vb))
		return NAN;
	if (va == 0)
		return vb == 0 ? 0 : INFINITY;
	return (vb - va) / va * 100;
}

static void fmt_value(char *buf, size_t len, enum tdxhp_diff_stat st, double v)
{
	if (isnan(v))
		snprintf(buf, len, "-");
	else if (st == TDXHP_DS_COUNT)
		snprintf(buf, len, "%.0f", v);
	else if (st == TDXHP_DS_RATE)
		snprintf(buf, len, "%.2f/s", v);
	else
		tdxhp_format_ns(buf, len, v);
}

static void fmt_change(char *buf, size_t len, double pct)
{
	if (isnan(pct))
		snprintf(buf, len, "-");
	else if (isinf(pct))
		snprintf(buf, len, "new");
	else
		snprintf(buf, len, "%+.1f%%", pct);
}

static void op_text(FILE *f, const struct tdxhp_run *ra,
		    const struct tdxhp_run *rb, const struct tdxhp_td_stats *sa,
		    const struct tdxhp_minmax *ma, const struct tdxhp_td_stats *sb,
		    const struct tdxhp_minmax *mb, int op,
		    const struct tdxhp_diff_opts *o)
{
	struct side a, b;

	side_of(&a, ra, sa, ma, op);
	side_of(&b, rb, sb, mb, op);
	fprintf(f, "\nop = %s\n", tdxhp_hist_name(op));
	fprintf(f, "  %-7s %12s %12s %9s  %s\n", "", "before", "after", "change",
		"meaning");
	for (int st = 0; st < TDXHP_NR_DIFF_STATS; st++) {
		double va = value(&a, st), vb = value(&b, st);
		char x[24], y[24], c[24];
		enum verdict v = judge(&a, &b, st);
		bool bounds = (st == TDXHP_DS_MIN || st == TDXHP_DS_MAX) &&
			      (!a.x.exact || !b.x.exact);

		fmt_value(x, sizeof(x), st, va);
		fmt_value(y, sizeof(y), st, vb);
		fmt_change(c, sizeof(c), change_pct(va, vb));
		fprintf(f, "  %-7s %12s %12s %9s  %s%s\n", stat_names[st], x, y, c,
			verdict_text[v], bounds ? " (bucket bounds)" : "");
	}
	if (a.n < TDXHP_DIFF_MIN_SAMPLES || b.n < TDXHP_DIFF_MIN_SAMPLES)
		fprintf(f, "  note: %llu and %llu samples: fewer than %d on a side, so latency changes here mean nothing\n",
			(unsigned long long)a.n, (unsigned long long)b.n,
			TDXHP_DIFF_MIN_SAMPLES);
	tdxhp_hist_print_pair(f, a.h, b.h, o->unit);
}

/* The JSON key of each statistic: its unit in the name (docs/vocabulary.md). */
static const char *const stat_keys[TDXHP_NR_DIFF_STATS] = {
	"count", "rate_per_s", "min_ns", "p50_ns", "p99_ns", "max_ns", "avg_ns",
};

static void stat_value_json(struct tdxhp_json *w, enum tdxhp_diff_stat st,
			    double v)
{
	if (isnan(v))
		tdxhp_json_null(w);
	else if (st == TDXHP_DS_RATE)
		tdxhp_json_decimal(w, v, 6);
	else
		tdxhp_json_u64(w, v > 0 ? (uint64_t)llround(v) : 0);
}

static void op_json(struct tdxhp_json *w, const struct tdxhp_run *ra,
		    const struct tdxhp_run *rb, const struct tdxhp_td_stats *sa,
		    const struct tdxhp_minmax *ma, const struct tdxhp_td_stats *sb,
		    const struct tdxhp_minmax *mb, int op)
{
	struct side a, b;

	side_of(&a, ra, sa, ma, op);
	side_of(&b, rb, sb, mb, op);
	tdxhp_json_name(w, tdxhp_hist_name(op));
	tdxhp_json_object_start(w);
	for (int st = 0; st < TDXHP_NR_DIFF_STATS; st++) {
		double va = value(&a, st), vb = value(&b, st), pct = change_pct(va, vb);
		enum verdict v = judge(&a, &b, st);

		tdxhp_json_name(w, stat_keys[st]);
		tdxhp_json_object_start(w);
		tdxhp_json_name(w, "before");
		stat_value_json(w, st, va);
		tdxhp_json_name(w, "after");
		stat_value_json(w, st, vb);
		/* null: no value on a side, or a change from 0 */
		tdxhp_json_kv_decimal(w, "change_pct", pct, 3);
		if (v == V_NA)
			tdxhp_json_kv_string(w, "verdict", NULL);
		else
			tdxhp_json_kv_string(w, "verdict", verdict_text[v]);
		tdxhp_json_object_end(w);
	}
	tdxhp_json_object_end(w);
}

static bool op_wanted(const struct tdxhp_diff_opts *o,
		      const struct tdxhp_td_stats *a,
		      const struct tdxhp_td_stats *b, int op)
{
	if (o->ops)
		return o->ops & (1U << op);
	return tdxhp_hist_count(&a->hist[op]) || tdxhp_hist_count(&b->hist[op]);
}

static void scope_text(FILE *f, const struct tdxhp_run *ra,
		       const struct tdxhp_run *rb, const struct tdxhp_td_stats *sa,
		       const struct tdxhp_minmax *ma,
		       const struct tdxhp_td_stats *sb,
		       const struct tdxhp_minmax *mb,
		       const struct tdxhp_diff_opts *o)
{
	for (int op = 0; op < TDXHP_NR_HISTS; op++)
		if (op_wanted(o, sa, sb, op))
			op_text(f, ra, rb, sa, ma, sb, mb, op, o);
}

static void scope_json(struct tdxhp_json *w, const char *key,
		       const struct tdxhp_run *ra, const struct tdxhp_run *rb,
		       const struct tdxhp_td_stats *sa,
		       const struct tdxhp_minmax *ma,
		       const struct tdxhp_td_stats *sb,
		       const struct tdxhp_minmax *mb,
		       const struct tdxhp_diff_opts *o)
{
	tdxhp_json_name(w, key);
	tdxhp_json_object_start(w);
	for (int op = 0; op < TDXHP_NR_HISTS; op++)
		if (op_wanted(o, sa, sb, op))
			op_json(w, ra, rb, sa, ma, sb, mb, op);
	tdxhp_json_object_end(w);
}

static void run_line(FILE *f, const char *label, const struct tdxhp_run *r)
{
	fprintf(f, "%s %s: %s, %s", label, r->path,
		r->recording ? "recording" : "tdxhp-hist -j", r->source);
	if (r->span_s > 0)
		fprintf(f, ", %.3fs", r->span_s);
	else
		fprintf(f, ", span unknown (no rates)");
	fprintf(f, "%s%s\n", r->simulated ? ", SIMULATED DATA" : "",
		r->exact ? "" : ", min/max are bucket bounds");
}

static void run_json(struct tdxhp_json *w, const char *key,
		     const struct tdxhp_run *r)
{
	tdxhp_json_name(w, key);
	tdxhp_json_object_start(w);
	tdxhp_json_kv_string(w, "path", r->path);
	tdxhp_json_kv_string(w, "kind", r->recording ? "recording" : "hist-json");
	tdxhp_json_kv_string(w, "source", r->source);
	tdxhp_json_kv_bool(w, "simulated", r->simulated);
	tdxhp_json_name(w, "span_s");
	if (r->span_s > 0)
		tdxhp_json_decimal(w, r->span_s, 6);
	else
		tdxhp_json_null(w);
	tdxhp_json_kv_string(w, "extremes", r->exact ? "exact" : "bucket_bounds");
	tdxhp_json_kv_bool(w, "corrupt", r->corrupt);
	tdxhp_json_object_end(w);
}

/* One --fail-if condition, judged host-wide. */
struct fail_if_result {
	double pct;
	enum verdict v;
	bool holds;
	bool meaningful;
};

static void fail_if_judge(const struct tdxhp_run *ra, const struct tdxhp_run *rb,
			  const struct tdxhp_fail_if *c,
			  struct fail_if_result *out)
{
	struct side a, b;

	side_of(&a, ra, &ra->host, ra->host_mm, c->op);
	side_of(&b, rb, &rb->host, rb->host_mm, c->op);
	out->pct = change_pct(value(&a, c->stat), value(&b, c->stat));
	out->v = judge(&a, &b, c->stat);
	out->holds = !isnan(out->pct) &&
		     (c->greater ? out->pct > c->pct : out->pct < c->pct);
	/* Extremes are single samples: the threshold alone decides. */
	out->meaningful = out->v == V_SIGNIFICANT ||
			  (out->v == V_UNTESTED &&
			   a.n >= TDXHP_DIFF_MIN_SAMPLES &&
			   b.n >= TDXHP_DIFF_MIN_SAMPLES);
}

static void fail_if_json(struct tdxhp_json *w, const struct tdxhp_run *ra,
			 const struct tdxhp_run *rb,
			 const struct tdxhp_diff_opts *o)
{
	tdxhp_json_name(w, "fail_if");
	tdxhp_json_array_start(w);
	for (int i = 0; i < o->nr_fail_if; i++) {
		struct fail_if_result r;

		fail_if_judge(ra, rb, &o->fail_if[i], &r);
		tdxhp_json_object_start(w);
		tdxhp_json_kv_string(w, "condition", o->fail_if[i].text);
		tdxhp_json_kv_string(w, "result", r.holds && r.meaningful ? "fail" :
							   r.holds ? "noise" :
								     "pass");
		tdxhp_json_kv_decimal(w, "change_pct", r.pct, 3);
		tdxhp_json_kv_string(w, "verdict",
				     r.v == V_NA ? NULL : verdict_text[r.v]);
		tdxhp_json_object_end(w);
	}
	tdxhp_json_array_end(w);
}

static void diff_json(FILE *f, const struct tdxhp_run *a,
		      const struct tdxhp_run *b, const struct tdxhp_diff_opts *o)
{
	struct tdxhp_json w;

	tdxhp_json_init(&w, f, false);
	tdxhp_json_record_start(&w, TDXHP_SCHEMA_HIST_DIFF,
				a->simulated || b->simulated);
	run_json(&w, "before", a);
	run_json(&w, "after", b);
	scope_json(&w, "host", a, b, &a->host, a->host_mm, &b->host,
		   b->host_mm, o);
	tdxhp_json_name(&w, "tds");
	tdxhp_json_array_start(&w);
	for (unsigned int i = 0; !o->host_only && i < a->nr_tds; i++) {
		const struct tdxhp_run_td *ta = &a->tds[i];
		const struct tdxhp_run_td *tb = tdxhp_run_find(b, ta->name);

		if (!tb)
			continue;
		tdxhp_json_object_start(&w);
		/* Runs are matched by name: pids and hkids differ between them. */
		tdxhp_json_td(&w, ta->name, 0, -1, NULL);
		scope_json(&w, "ops", a, b, &ta->st, ta->mm, &tb->st, tb->mm, o);
		tdxhp_json_object_end(&w);
	}
	tdxhp_json_array_end(&w);
	fail_if_json(&w, a, b, o);
	tdxhp_json_object_end(&w);
	tdxhp_json_line_end(&w);
}

void tdxhp_diff_print(FILE *f, const struct tdxhp_run *a,
		      const struct tdxhp_run *b, const struct tdxhp_diff_opts *o)
{
	if (o->json) {
		diff_json(f, a, b, o);
		return;
	}
	run_line(f, "before", a);
	run_line(f, "after ", b);
	if (a->host_is_live_tds || b->host_is_live_tds)
		fprintf(f, "note: a JSON run without -M holds live TDs only: host-wide counts miss torn-down TDs\n");
	fprintf(f, "\n== host-wide\n");
	scope_text(f, a, b, &a->host, a->host_mm, &b->host, b->host_mm, o);
	for (unsigned int i = 0; !o->host_only && i < a->nr_tds; i++) {
		const struct tdxhp_run_td *ta = &a->tds[i];
		const struct tdxhp_run_td *tb = tdxhp_run_find(b, ta->name);

		if (!tb)
			continue;
		fprintf(f, "\n== TD %s\n", ta->name);
		scope_text(f, a, b, &ta->st, ta->mm, &tb->st, tb->mm, o);
	}
}

int tdxhp_fail_if_eval(FILE *f, const struct tdxhp_run *ra,
		       const struct tdxhp_run *rb, const struct tdxhp_fail_if *c,
		       int n)
{
	int failed = 0;

	for (int i = 0; i < n; i++) {
		struct fail_if_result r;
		char ch[24];

		fail_if_judge(ra, rb, &c[i], &r);
		fmt_change(ch, sizeof(ch), r.pct);
		if (r.holds && r.meaningful) {
			fprintf(f, "FAIL: %s (change %s, %s)\n", c[i].text, ch,
				verdict_text[r.v]);
			failed++;
		} else if (r.holds) {
			fprintf(f, "pass: %s holds (change %s) but is not significant: %s\n",
				c[i].text, ch, verdict_text[r.v]);
		} else {
			fprintf(f, "pass: %s (change %s)\n", c[i].text, ch);
		}
	}
	return failed;
}
