// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The two sources agree.  The simulator's event stream feeds instance A
 * through the tracepoint programs, and the same stream, rendered as the
 * SEAMCALL wrapper calls a stock kernel makes, feeds instance B through
 * the seamcall source's test-only entry points (the same sc_enter() and
 * sc_exit() its fentry/fexit programs run).  Every per-TD counter, gauge
 * and histogram bucket, the retired totals and the host counters must be
 * equal, for every event both sources see.
 *
 * How the stream is rendered:
 *   td_init          tdh_mng_create(td, hkid) -> 0, on a thread of the VMM
 *                    (tgid = pid, tid != pid); sometimes a failed create first
 *   td_teardown      tdh_mng_key_freeid(td)
 *   page_add         tdh_mem_page_add (no level: 4K)
 *   page_aug         tdh_mem_page_aug(td, gpa, level - 1)
 *   page_remove      the remove path: tdh_mem_range_block, tdh_mem_track,
 *                    tdh_mem_page_remove of the same gpa and level (a BUSY
 *                    remove is retried on the same thread without a block)
 *   page_demote      RANGE.BLOCK, TRACK, DEMOTE, each with the BUSY retries
 *                    the stream's seamcall_busy events (leaves 7, 38, 15)
 *                    put before it, timed so the phase sums equal block_ns,
 *                    track_ns and demote_ns
 *   seamcall_busy    a BUSY exit of the demote phase of its leaf
 *   boundary_split,  no SEAMCALL: not rendered; their counters, the storm
 *   fault_split_ign. counter and the split histogram stay 0 in B
 * Calls go to several threads and are interleaved across them (and moved
 * between CPUs between entry and exit); lifecycle calls are barriers.
 *
 * seamcall_busy: the tracepoint fires only in the vCPU-kicking retry loop
 * of BLOCK, TRACK and DEMOTE, while the seamcall source counts every BUSY
 * exit.  The model's failed adds, augs and removes are BUSY, so B counts
 * one seamcall_busy (leaf 2, 6 or 29) per such failure that A does not:
 * the comparison adds exactly those, per TD and per leaf.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fixture.h"
#include "hist.h"
#include "sim/rng.h"
#include "sim/sim.h"
#include "sim_inspect.h"
#include "stats.h"

#define HOUR_NS 3600000000000ULL
#define BUSY 0x8000020000000000ULL	   /* TDX_OPERAND_BUSY, operand 0 */
#define CREATE_FAILED 0xC000060000000000ULL /* an error class, not BUSY */
#define EPT_WALK_FAILED 0xC0000B0000000000ULL

#define LEAF(w) sc_leaf[TDXHP_W_##w]
#define TDX_LEVEL(l) ((uint64_t)(l) - 1)

#define NR_THREADS 6
#define FLUSH_OPS 512

static const uint32_t sc_leaf[] = {
#define W_LEAF(ID, fn, leaf) [TDXHP_W_##ID] = leaf,
	TDXHP_WRAPPERS(W_LEAF)
#undef W_LEAF
};

/* ------------------------------------------------------------------ */
/* Rendering the stream as SEAMCALLs                                   */

struct op {
	bool exit;
	unsigned int cpu;
	struct tdxhp_ctx_sc_exit x; /* entry: tid, wrapper, now_ns */
};

struct thr {
	uint64_t tid;
	uint64_t clock;
	struct op *q;
	unsigned int n, head, cap;
};

struct extra {
	uint64_t kvm;
	uint64_t busy;
};

struct render {
	struct fx *b;
	struct sim_rng rng;
	struct thr th[NR_THREADS];
	unsigned int queued;
	/* seamcall_busy events waiting for their page_demote */
	uint64_t pend_kvm;
	unsigned int pend_block, pend_track, pend_demote;
	/* a failed remove is retried on its thread, without a new block */
	bool retry_set;
	uint64_t retry_kvm, retry_gfn;
	unsigned int retry_thr;
	/* BUSY exits the tracepoint stream has no seamcall_busy for */
	struct extra *extra;
	unsigned int nr_extra, cap_extra;
	uint64_t extra_leaf[TDXHP_MAX_SEAMCALL];
	uint64_t extra_retired, extra_total;
	/* what was rendered */
	uint64_t events, skipped, calls, busy_exits, remove_blocks,
		failed_creates, moved;
};

static void render_init(struct render *r, struct fx *b, uint64_t seed)
{
	memset(r, 0, sizeof(*r));
	r->b = b;
	sim_rng_seed(&r->rng, seed ^ 0x5eaca11ULL);
	for (unsigned int i = 0; i < NR_THREADS; i++) {
		r->th[i].tid = 70000 + i * 7;
		r->th[i].clock = 1000000 * (i + 1);
	}
}

static void render_free(struct render *r)
{
	for (unsigned int i = 0; i < NR_THREADS; i++)
		free(r->th[i].q);
	free(r->extra);
}

static struct extra *extra_of(struct render *r, uint64_t kvm)
{
	for (unsigned int i = 0; i < r->nr_extra; i++)
		if (r->extra[i].kvm == kvm)
			return &r->extra[i];
	if (r->nr_extra == r->cap_extra) {
		r->cap_extra = r->cap_extra ? 2 * r->cap_extra : 64;
		r->extra = realloc(r->extra, r->cap_extra * sizeof(*r->extra));
		assert_non_null(r->extra);
	}
	r->extra[r->nr_extra] = (struct extra){ .kvm = kvm };
	return &r->extra[r->nr_extra++];
}

static uint64_t extra_busy_of(struct render *r, uint64_t kvm)
{
	for (unsigned int i = 0; i < r->nr_extra; i++)
		if (r->extra[i].kvm == kvm)
			return r->extra[i].busy;
	return 0;
}

static void push(struct thr *t, const struct op *o)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 256;
		t->q = realloc(t->q, t->cap * sizeof(*t->q));
		assert_non_null(t->q);
	}
	t->q[t->n++] = *o;
}

static unsigned int any_cpu(struct render *r)
{
	return (unsigned int)sim_rng_below(&r->rng, r->b->feed.nr_cpus);
}

/* Queue one wrapper call on thread ti, ns long on the thread's clock. */
static void call(struct render *r, unsigned int ti, int w, uint64_t kvm,
		 uint64_t gpa, uint64_t level, uint64_t arg, uint64_t status,
		 uint64_t ns, uint64_t tgid)
{
	struct thr *t = &r->th[ti];
	struct op en = { .cpu = any_cpu(r) }, ex = { .exit = true };

	en.x.tid = t->tid;
	en.x.wrapper = (__u64)w;
	en.x.now_ns = t->clock;
	ex.x = (struct tdxhp_ctx_sc_exit){
		.tid = t->tid, .tgid = tgid, .wrapper = (__u64)w,
		.td = fx_sc_td(kvm), .gpa = gpa, .level = level, .arg = arg,
		.status = status, .now_ns = t->clock + ns,
	};
	/* Preempted and migrated between fentry and fexit, now and then. */
	ex.cpu = sim_rng_chance(&r->rng, 0.1) ? any_cpu(r) : en.cpu;
	r->moved += ex.cpu != en.cpu;
	t->clock += ns + 1 + sim_rng_below(&r->rng, 1000);
	push(t, &en);
	push(t, &ex);
	r->queued += 2;
	r->calls++;
	if ((status & TDXHP_TDX_STATUS_MASK) == TDXHP_TDX_OPERAND_BUSY)
		r->busy_exits++;
}

/* Run every queued call, taking the next op of a random thread each time. */
static void flush(struct render *r)
{
	while (r->queued) {
		unsigned int ti = (unsigned int)sim_rng_below(&r->rng,
							      NR_THREADS);
		struct thr *t = &r->th[ti];
		const struct op *o;

		while (t->head == t->n) {
			ti = (ti + 1) % NR_THREADS;
			t = &r->th[ti];
		}
		o = &t->q[t->head++];
		if (o->exit)
			ev_sc_exit(r->b, &o->x, o->cpu);
		else
			ev_sc_entry(r->b, o->x.tid, (int)o->x.wrapper,
				    o->x.now_ns, o->cpu);
		r->queued--;
	}
	for (unsigned int i = 0; i < NR_THREADS; i++)
		r->th[i].n = r->th[i].head = 0;
}

static unsigned int any_thread(struct render *r)
{
	return (unsigned int)sim_rng_below(&r->rng, NR_THREADS);
}

/* A BUSY status with some operand id: the class is what counts. */
static uint64_t busy_status(struct render *r)
{
	return BUSY | sim_rng_below(&r->rng, 0x100);
}

/* A page op that failed BUSY: B counts a seamcall_busy that A has not. */
static void note_extra_busy(struct render *r, uint64_t kvm, uint64_t status,
			    int w)
{
	if ((status & TDXHP_TDX_STATUS_MASK) != TDXHP_TDX_OPERAND_BUSY)
		return;
	extra_of(r, kvm)->busy++;
	r->extra_leaf[sc_leaf[w]]++;
	r->extra_total++;
}

/* n calls of wrapper w taking total ns: n - 1 BUSY, then last_status. */
static void phase(struct render *r, unsigned int ti, int w, uint64_t kvm,
		  uint64_t gpa, uint64_t level, unsigned int busy,
		  uint64_t total, uint64_t last_status)
{
	uint64_t left = total;

	if (total < busy + 1)
		fail_msg("a demote phase of %llu ns cannot hold %u retries",
			 (unsigned long long)total, busy);
	for (unsigned int i = 0; i < busy; i++) {
		uint64_t share = (left - (busy - i)) / (busy + 1 - i);
		uint64_t ns = 1 + sim_rng_below(&r->rng, share ? share : 1);

		call(r, ti, w, kvm, gpa, level, 0, busy_status(r), ns, 0);
		left -= ns;
	}
	call(r, ti, w, kvm, gpa, level, 0, last_status, left, 0);
}

static void render_demote(struct render *r,
			  const struct tdxhp_ctx_page_demote *c)
{
	unsigned int ti = any_thread(r);
	uint64_t gpa = c->gfn << 12, level = TDX_LEVEL((int)c->level);

	if (r->pend_block + r->pend_track + r->pend_demote != c->busy_retries ||
	    (c->busy_retries && r->pend_kvm != c->kvm))
		fail_msg("page_demote: %u busy retries, %u seamcall_busy events before it",
			 (unsigned int)c->busy_retries,
			 r->pend_block + r->pend_track + r->pend_demote);
	phase(r, ti, TDXHP_W_MEM_RANGE_BLOCK, c->kvm, gpa, level,
	      r->pend_block, c->block_ns, 0);
	phase(r, ti, TDXHP_W_MEM_TRACK, c->kvm, 0, 0, r->pend_track,
	      c->track_ns, 0);
	phase(r, ti, TDXHP_W_MEM_PAGE_DEMOTE, c->kvm, gpa, level,
	      r->pend_demote, c->demote_ns, c->err);
	r->pend_block = r->pend_track = r->pend_demote = 0;
}

static void render_busy(struct render *r,
			const struct tdxhp_ctx_seamcall_busy *c)
{
	if (r->pend_block + r->pend_track + r->pend_demote &&
	    r->pend_kvm != c->kvm)
		fail_msg("seamcall_busy events of two TDs before one demote");
	r->pend_kvm = c->kvm;
	if (c->seamcall == LEAF(MEM_RANGE_BLOCK))
		r->pend_block++;
	else if (c->seamcall == LEAF(MEM_TRACK))
		r->pend_track++;
	else if (c->seamcall == LEAF(MEM_PAGE_DEMOTE))
		r->pend_demote++;
	else
		fail_msg("seamcall_busy of leaf %llu outside a demote",
			 (unsigned long long)c->seamcall);
}

static void render_remove(struct render *r, const struct tdxhp_ctx_page_aug *c)
{
	uint64_t gpa = c->gfn << 12, level = TDX_LEVEL((int)c->level);
	bool retry = r->retry_set && r->retry_kvm == c->kvm &&
		     r->retry_gfn == c->gfn;
	unsigned int ti = retry ? r->retry_thr : any_thread(r);

	if (!retry) {
		/* The remove path's block and track: no split to charge. */
		call(r, ti, TDXHP_W_MEM_RANGE_BLOCK, c->kvm, gpa, level, 0, 0,
		     1 + sim_rng_below(&r->rng, 3000), 0);
		call(r, ti, TDXHP_W_MEM_TRACK, c->kvm, 0, 0, 0, 0,
		     1 + sim_rng_below(&r->rng, 6000), 0);
		r->remove_blocks++;
	}
	call(r, ti, TDXHP_W_MEM_PAGE_REMOVE, c->kvm, gpa, level, 0, c->err,
	     c->duration_ns, 0);
	note_extra_busy(r, c->kvm, c->err, TDXHP_W_MEM_PAGE_REMOVE);
	r->retry_set = c->err != 0;
	r->retry_kvm = c->kvm;
	r->retry_gfn = c->gfn;
	r->retry_thr = ti;
}

static int render_emit(void *arg, int type, const void *ctx, size_t size,
		       unsigned int cpu)
{
	struct render *r = arg;
	unsigned int ti = any_thread(r);

	r->events++;
	switch (type) {
	case TDXHP_EV_TD_INIT: {
		const struct tdxhp_ctx_td_init *c = ctx;
		uint64_t pid = (uint32_t)c->pid;

		flush(r);
		/* The VMM's thread: its tid is not the process id. */
		r->th[ti].tid = pid + 100000ULL * (1 + ti);
		if (sim_rng_chance(&r->rng, 0.2)) {
			call(r, ti, TDXHP_W_MNG_CREATE, c->kvm, 0, 0,
			     (uint32_t)c->hkid, CREATE_FAILED, 3000, pid);
			r->failed_creates++;
		}
		call(r, ti, TDXHP_W_MNG_CREATE, c->kvm, 0, 0,
		     (uint32_t)c->hkid, 0, 40000, pid);
		flush(r);
		break;
	}
	case TDXHP_EV_TD_TEARDOWN: {
		const struct tdxhp_ctx_td_teardown *c = ctx;

		flush(r);
		call(r, ti, TDXHP_W_MNG_KEY_FREEID, c->kvm, 0, 0, 0, 0, 20000,
		     0);
		flush(r);
		r->extra_retired += extra_busy_of(r, c->kvm);
		extra_of(r, c->kvm)->busy = 0;
		break;
	}
	case TDXHP_EV_PAGE_ADD: {
		const struct tdxhp_ctx_page_add *c = ctx;

		call(r, ti, TDXHP_W_MEM_PAGE_ADD, c->kvm, c->gfn << 12, 0, 0,
		     c->err, c->duration_ns, 0);
		note_extra_busy(r, c->kvm, c->err, TDXHP_W_MEM_PAGE_ADD);
		break;
	}
	case TDXHP_EV_PAGE_AUG: {
		const struct tdxhp_ctx_page_aug *c = ctx;

		call(r, ti, TDXHP_W_MEM_PAGE_AUG, c->kvm, c->gfn << 12,
		     TDX_LEVEL((int)c->level), 0, c->err, c->duration_ns, 0);
		note_extra_busy(r, c->kvm, c->err, TDXHP_W_MEM_PAGE_AUG);
		break;
	}
	case TDXHP_EV_PAGE_REMOVE:
		render_remove(r, ctx);
		break;
	case TDXHP_EV_PAGE_DEMOTE:
		render_demote(r, ctx);
		break;
	case TDXHP_EV_SEAMCALL_BUSY:
		render_busy(r, ctx);
		break;
	default: /* boundary_split, fault_split_ignored: no SEAMCALL */
		r->skipped++;
		break;
	}
	if (r->queued >= FLUSH_OPS)
		flush(r);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Comparing A (tracepoint) and B (seamcall)                           */

static bool tracepoint_only_counter(int c)
{
	return (c >= TDXHP_C_SPLIT_CONVERT && c <= TDXHP_C_SPLIT_LEAVES) ||
	       c == TDXHP_C_FAULT_SPLIT_IGNORED || c == TDXHP_C_STORM;
}

static void compare_stats(const char *who, const struct tdxhp_td_stats *a,
			  const struct tdxhp_td_stats *b, uint64_t extra_busy,
			  bool gauges)
{
	for (int i = 0; i < TDXHP_NR_COUNTERS; i++) {
		uint64_t want = tracepoint_only_counter(i) ? 0 :
							     a->counters[i];

		if (i == TDXHP_C_SEAMCALL_BUSY)
			want += extra_busy;
		if (b->counters[i] != want)
			fail_msg("%s: %s = %llu from seamcall, %llu from tracepoint (want %llu)",
				 who, tdxhp_counter_name(i),
				 (unsigned long long)b->counters[i],
				 (unsigned long long)a->counters[i],
				 (unsigned long long)want);
	}
	for (int i = 0; gauges && i < TDXHP_NR_LEVELS; i++)
		if (a->pages[i] != b->pages[i])
			fail_msg("%s: pages[%d] = %lld from seamcall, %lld from tracepoint",
				 who, i, (long long)b->pages[i],
				 (long long)a->pages[i]);
	for (int h = 0; h < TDXHP_NR_HISTS; h++) {
		static const struct tdxhp_hist zero;
		const struct tdxhp_hist *want = h == TDXHP_H_SPLIT ? &zero :
								     &a->hist[h];

		for (int i = 0; i < TDXHP_HIST_SLOTS; i++)
			if (b->hist[h].slots[i] != want->slots[i])
				fail_msg("%s: histogram %s slot %d = %llu from seamcall, want %llu",
					 who, tdxhp_hist_name(h), i,
					 (unsigned long long)b->hist[h].slots[i],
					 (unsigned long long)want->slots[i]);
		if (b->hist[h].sum_ns != want->sum_ns)
			fail_msg("%s: histogram %s sum = %llu ns from seamcall, want %llu",
				 who, tdxhp_hist_name(h),
				 (unsigned long long)b->hist[h].sum_ns,
				 (unsigned long long)want->sum_ns);
	}
}

static const struct tdxhp_td *td_named(const struct tdxhp_snapshot *s,
				       const char *name)
{
	for (unsigned int i = 0; i < s->nr_tds; i++)
		if (!strcmp(s->tds[i].name, name))
			return &s->tds[i];
	return NULL;
}

static void compare_host(struct render *r, const struct tdxhp_snapshot *a,
			 const struct tdxhp_snapshot *b)
{
	for (int ev = 0; ev < TDXHP_NR_EVENTS; ev++) {
		uint64_t want = a->host.events[ev];

		if (ev == TDXHP_EV_BOUNDARY_SPLIT ||
		    ev == TDXHP_EV_FAULT_SPLIT_IGNORED)
			want = 0;
		if (ev == TDXHP_EV_SEAMCALL_BUSY)
			want += r->extra_total;
		if (b->host.events[ev] != want)
			fail_msg("host: %s events = %llu from seamcall, want %llu",
				 tdxhp_event_name(ev),
				 (unsigned long long)b->host.events[ev],
				 (unsigned long long)want);
	}
	for (int l = 0; l < TDXHP_MAX_SEAMCALL; l++)
		if (b->host.seamcall_busy[l] !=
		    a->host.seamcall_busy[l] + r->extra_leaf[l])
			fail_msg("host: seamcall_busy of leaf %d = %llu from seamcall, want %llu + %llu",
				 l, (unsigned long long)b->host.seamcall_busy[l],
				 (unsigned long long)a->host.seamcall_busy[l],
				 (unsigned long long)r->extra_leaf[l]);
	for (int i = 0; i < TDXHP_NR_HOST_COUNTERS; i++) {
		uint64_t want = i == TDXHP_HC_STORM_TABLE_FULL ?
					0 : a->host.counters[i];

		if (b->host.counters[i] != want)
			fail_msg("host: %s = %llu from seamcall, want %llu",
				 tdxhp_host_counter_name(i),
				 (unsigned long long)b->host.counters[i],
				 (unsigned long long)want);
	}
}

static void run_equal(const char *scenario, uint64_t seed, uint64_t ticks)
{
	struct tdxhp_opts o = { .storm_window_ns = HOUR_NS };
	struct tdxhp_sim_opts so = { .scenario = scenario, .seed = seed };
	struct fx *a = fx_open(&o), *b = fx_open_sc(&o);
	struct tdxhp_sim *sim = tdxhp_sim_new(&a->t, &so);
	struct sim_sink tee = { .emit = render_emit };
	const struct sim_model *m;
	unsigned int live = 0;
	struct render r;

	assert_non_null(sim);
	render_init(&r, b, seed);
	tee.arg = &r;
	tdxhp_sim_tee(sim, &tee);
	assert_int_equal(tdxhp_sim_run_ticks(sim, ticks ? ticks :
						     tdxhp_sim_batch_ticks(sim)),
			 0);
	flush(&r);
	assert_int_equal(r.pend_block + r.pend_track + r.pend_demote, 0);
	fx_read(a);
	fx_read(b);

	m = tdxhp_sim_model(sim);
	for (unsigned int i = 0; i < sim_model_nr_tds(m); i++) {
		struct sim_td_info info;
		const struct tdxhp_td *ta, *tb;

		assert_int_equal(sim_model_td_info(m, i, &info), 0);
		ta = td_named(&a->snap, info.name);
		tb = fx_td(b, info.handle);
		if (!ta || !tb) {
			if (ta || tb)
				fail_msg("%s is in the TD table of the %s source only",
					 info.name, ta ? "tracepoint" : "seamcall");
			continue;
		}
		live++;
		compare_stats(info.name, &ta->stats, &tb->stats,
			      extra_busy_of(&r, info.handle), true);
		assert_int_equal(ta->meta.flags & ~TDXHP_TD_STORM,
				 tb->meta.flags);
		assert_int_equal(ta->meta.pid, tb->meta.pid);
		assert_int_equal(ta->meta.hkid, tb->meta.hkid);
		if (info.announced) {
			assert_int_equal(tb->meta.pid, info.pid);
			assert_int_equal(tb->meta.hkid, info.hkid);
		}
	}
	assert_int_equal(live, a->snap.nr_tds);
	assert_int_equal(live, b->snap.nr_tds);
	compare_stats("retired", &a->snap.retired, &b->snap.retired,
		      r.extra_retired, false);
	compare_host(&r, &a->snap, &b->snap);
	/* The stream really had what the rendering claims to cover. */
	assert_true(r.remove_blocks > 0);
	assert_true(r.busy_exits > 0);
	assert_true(r.moved > 0);
	print_message("    %llu events (%llu tracepoint-only), %llu SEAMCALLs on %d threads: %llu BUSY, %llu remove-path blocks, %llu failed creates; %u live TDs\n",
		      (unsigned long long)r.events,
		      (unsigned long long)r.skipped,
		      (unsigned long long)r.calls, NR_THREADS,
		      (unsigned long long)r.busy_exits,
		      (unsigned long long)r.remove_blocks,
		      (unsigned long long)r.failed_creates, live);
	render_free(&r);
	tdxhp_sim_free(sim);
	fx_close(a);
	fx_close(b);
}

static void test_equal_convert(void **state)
{
	run_equal("convert", 7, 600);
}

static void test_equal_steady(void **state)
{
	run_equal("steady", 1, 600);
}

static void test_equal_churn(void **state)
{
	run_equal("churn", 11, 800);
}

/* ------------------------------------------------------------------ */
/* Known answers                                                       */

static const uint64_t K = 0xdead000000011000ULL;

struct td_calls {
	struct fx *f;
	uint64_t tid, clock;
	unsigned int cpu;
};

/* One call on this thread; returns its start time. */
static uint64_t sc(struct td_calls *c, int w, uint64_t gpa, uint64_t level,
		   uint64_t status, uint64_t ns)
{
	struct fx_sc_call x = {
		.tid = c->tid, .wrapper = w, .kvm = K, .gpa = gpa,
		.level = level, .status = status, .start_ns = c->clock,
		.ns = ns,
	};
	uint64_t start = c->clock;

	ev_sc_call(c->f, &x, c->cpu);
	c->clock += ns + 100;
	return start;
}

static void create(struct fx *f, int tgid, int hkid)
{
	struct fx_sc_call x = {
		.tid = (uint64_t)tgid + 3, .tgid = (uint64_t)tgid,
		.wrapper = TDXHP_W_MNG_CREATE, .kvm = K, .arg = (uint64_t)hkid,
		.start_ns = 500, .ns = 40,
	};

	ev_sc_call(f, &x, 0);
}

static const struct tdxhp_td_stats *stats_of(struct fx *f)
{
	const struct tdxhp_td *td;

	fx_read(f);
	td = fx_td(f, K);
	assert_non_null(td);
	return &td->stats;
}

static void assert_hist_empty(const struct tdxhp_hist *h)
{
	static const struct tdxhp_hist zero;

	assert_memory_equal(h, &zero, sizeof(zero));
}

/* One value in one slot. */
static void assert_hist_one(const struct tdxhp_hist *h, int slot, uint64_t ns)
{
	for (int i = 0; i < TDXHP_HIST_SLOTS; i++)
		assert_int_equal(h->slots[i], i == slot);
	assert_int_equal(h->sum_ns, ns);
}

/*
 * A split with a BUSY block and a BUSY demote, while another thread of the
 * TD faults a 4K page in between on the other CPU: one demote, the phases
 * summed over their retries.
 */
static void test_demote_busy_joined(void **state)
{
	struct fx *f = fx_open_sc(NULL);
	struct td_calls t1 = { f, 101, 10000, 0 }, t2 = { f, 102, 10000, 1 };
	struct tdxhp_ctx_sc_exit x = {
		.tid = 101, .wrapper = TDXHP_W_MEM_RANGE_BLOCK,
		.td = fx_sc_td(K), .gpa = 0x200000, .level = 1,
		.status = BUSY | 0x90, .now_ns = 10100,
	};
	const struct tdxhp_td_stats *s;

	create(f, 4000, 3);
	sc(&t1, TDXHP_W_MEM_PAGE_AUG, 0x200000, 1, 0, 5000);
	t1.clock = 10000;
	/* BLOCK (100 ns, BUSY) on CPU 0 around thread 2's aug on CPU 1 */
	ev_sc_entry(f, 101, TDXHP_W_MEM_RANGE_BLOCK, 10000, 0);
	sc(&t2, TDXHP_W_MEM_PAGE_AUG, 0x400000, 0, 0, 700);
	ev_sc_exit(f, &x, 1);
	t1.clock = 20000;
	sc(&t1, TDXHP_W_MEM_RANGE_BLOCK, 0x200000, 1, 0, 200);
	sc(&t1, TDXHP_W_MEM_TRACK, 0, 0, 0, 300);
	sc(&t1, TDXHP_W_MEM_PAGE_DEMOTE, 0x200000, 1, BUSY | 0x11, 400);
	sc(&t1, TDXHP_W_MEM_PAGE_DEMOTE, 0x200000, 1, 0, 500);

	s = stats_of(f);
	assert_int_equal(s->counters[TDXHP_C_DEMOTE], 1);
	assert_int_equal(s->counters[TDXHP_C_DEMOTE_ERR], 0);
	assert_int_equal(s->counters[TDXHP_C_DEMOTE_BUSY_RETRY], 2);
	assert_int_equal(s->counters[TDXHP_C_SEAMCALL_BUSY], 2);
	assert_int_equal(s->counters[TDXHP_C_AUG_2M], 1);
	assert_int_equal(s->counters[TDXHP_C_AUG_4K], 1);
	/* block 100 + 200 -> slot 8, track 300 -> 8, demote 400 + 500 -> 9 */
	assert_hist_one(&s->hist[TDXHP_H_DEMOTE_BLOCK], 8, 300);
	assert_hist_one(&s->hist[TDXHP_H_DEMOTE_TRACK], 8, 300);
	assert_hist_one(&s->hist[TDXHP_H_DEMOTE_DEMOTE], 9, 900);
	assert_hist_one(&s->hist[TDXHP_H_DEMOTE], 10, 1500);
	assert_hist_one(&s->hist[TDXHP_H_AUG_2M], 12, 5000);
	assert_hist_one(&s->hist[TDXHP_H_AUG_4K], 9, 700);
	/* the 2M leaf became 512 4K ones, next to thread 2's 4K page */
	assert_int_equal(s->pages[1], 0);
	assert_int_equal(s->pages[0], 513);
	assert_int_equal(f->snap.host.seamcall_busy[LEAF(MEM_RANGE_BLOCK)], 1);
	assert_int_equal(f->snap.host.seamcall_busy[LEAF(MEM_PAGE_DEMOTE)], 1);
	assert_int_equal(f->snap.host.events[TDXHP_EV_SEAMCALL_BUSY], 2);
	fx_close(f);
}

/*
 * The remove path blocks, tracks and removes a 4K page (once with a BUSY
 * remove retried): no split.  A demote on the same thread afterwards has
 * no block of its own and is counted with unknown block and track.
 */
static void test_remove_path_not_a_split(void **state)
{
	struct fx *f = fx_open_sc(NULL);
	struct td_calls t = { f, 201, 10000, 1 };
	const struct tdxhp_td_stats *s;

	create(f, 4000, 3);
	sc(&t, TDXHP_W_MEM_PAGE_AUG, 0x1000, 0, 0, 100);
	sc(&t, TDXHP_W_MEM_PAGE_AUG, 0x2000, 0, 0, 100);
	sc(&t, TDXHP_W_MEM_RANGE_BLOCK, 0x1000, 0, 0, 100);
	sc(&t, TDXHP_W_MEM_TRACK, 0, 0, 0, 100);
	sc(&t, TDXHP_W_MEM_PAGE_REMOVE, 0x1000, 0, 0, 700);
	sc(&t, TDXHP_W_MEM_RANGE_BLOCK, 0x2000, 0, 0, 100);
	sc(&t, TDXHP_W_MEM_TRACK, 0, 0, 0, 100);
	sc(&t, TDXHP_W_MEM_PAGE_REMOVE, 0x2000, 0, BUSY | 0x5, 600);
	sc(&t, TDXHP_W_MEM_PAGE_REMOVE, 0x2000, 0, 0, 600);

	s = stats_of(f);
	assert_int_equal(s->counters[TDXHP_C_REMOVE_4K], 2);
	assert_int_equal(s->counters[TDXHP_C_REMOVE_ERR], 1);
	assert_int_equal(s->counters[TDXHP_C_SEAMCALL_BUSY], 1);
	assert_int_equal(f->snap.host.seamcall_busy[LEAF(MEM_PAGE_REMOVE)], 1);
	assert_int_equal(s->pages[0], 0);
	assert_int_equal(s->counters[TDXHP_C_DEMOTE], 0);
	assert_int_equal(s->counters[TDXHP_C_DEMOTE_BUSY_RETRY], 0);
	for (int h = TDXHP_H_DEMOTE; h <= TDXHP_H_DEMOTE_DEMOTE; h++)
		assert_hist_empty(&s->hist[h]);
	assert_int_equal(s->hist[TDXHP_H_REMOVE].sum_ns, 1900);
	assert_int_equal(f->snap.host.events[TDXHP_EV_PAGE_DEMOTE], 0);

	/*
	 * The remove path of a 2M leaf, the leaf faulted in again, then a
	 * demote of it with no block of its own: the remove's block and
	 * track are not charged to it.
	 */
	sc(&t, TDXHP_W_MEM_PAGE_AUG, 0x400000, 1, 0, 100);
	sc(&t, TDXHP_W_MEM_RANGE_BLOCK, 0x400000, 1, 0, 3000);
	sc(&t, TDXHP_W_MEM_TRACK, 0, 0, 0, 3000);
	sc(&t, TDXHP_W_MEM_PAGE_REMOVE, 0x400000, 1, 0, 3000);
	sc(&t, TDXHP_W_MEM_PAGE_AUG, 0x400000, 1, 0, 100);
	sc(&t, TDXHP_W_MEM_TRACK, 0, 0, 0, 3000);
	sc(&t, TDXHP_W_MEM_PAGE_DEMOTE, 0x400000, 1, 0, 800);
	s = stats_of(f);
	assert_int_equal(s->counters[TDXHP_C_REMOVE_2M], 1);
	assert_int_equal(s->counters[TDXHP_C_DEMOTE], 1);
	assert_hist_empty(&s->hist[TDXHP_H_DEMOTE_BLOCK]);
	assert_hist_empty(&s->hist[TDXHP_H_DEMOTE_TRACK]);
	assert_hist_one(&s->hist[TDXHP_H_DEMOTE_DEMOTE], 9, 800);
	assert_hist_one(&s->hist[TDXHP_H_DEMOTE], 9, 800);
	assert_int_equal(s->pages[1], 0);
	assert_int_equal(s->pages[0], 512);
	fx_close(f);
}

/*
 * A demote with no block on its thread (tdxhp attached mid-split, or a
 * failed block): counted, block and track unknown, its own BUSY retries
 * and their time still counted.
 */
static void test_demote_unjoined(void **state)
{
	struct fx *f = fx_open_sc(NULL);
	struct td_calls t = { f, 301, 10000, 0 }, u = { f, 302, 10000, 1 };
	const struct tdxhp_td_stats *s;

	create(f, 4000, 3);
	sc(&t, TDXHP_W_MEM_PAGE_DEMOTE, 0x200000, 1, BUSY | 0x1, 100);
	sc(&t, TDXHP_W_MEM_PAGE_DEMOTE, 0x200000, 1, 0, 200);
	/* a block that failed (not BUSY) opens nothing */
	sc(&u, TDXHP_W_MEM_RANGE_BLOCK, 0x600000, 1, EPT_WALK_FAILED, 50);
	sc(&u, TDXHP_W_MEM_TRACK, 0, 0, 0, 60);
	sc(&u, TDXHP_W_MEM_PAGE_DEMOTE, 0x600000, 1, 0, 1000);

	s = stats_of(f);
	assert_int_equal(s->counters[TDXHP_C_DEMOTE], 2);
	assert_int_equal(s->counters[TDXHP_C_DEMOTE_BUSY_RETRY], 1);
	assert_int_equal(s->counters[TDXHP_C_SEAMCALL_BUSY], 1);
	assert_hist_empty(&s->hist[TDXHP_H_DEMOTE_BLOCK]);
	assert_hist_empty(&s->hist[TDXHP_H_DEMOTE_TRACK]);
	/* 100 + 200 -> slot 8; 1000 -> slot 9 */
	assert_int_equal(s->hist[TDXHP_H_DEMOTE_DEMOTE].slots[8], 1);
	assert_int_equal(s->hist[TDXHP_H_DEMOTE_DEMOTE].slots[9], 1);
	assert_int_equal(s->hist[TDXHP_H_DEMOTE_DEMOTE].sum_ns, 1300);
	assert_int_equal(s->hist[TDXHP_H_DEMOTE].sum_ns, 1300);
	assert_int_equal(s->pages[1], -2);
	assert_int_equal(s->pages[0], 1024);
	fx_close(f);
}

/* A BUSY aug is an aug error and a seamcall_busy of leaf 6; another error only the former. */
static void test_aug_busy(void **state)
{
	struct fx *f = fx_open_sc(NULL);
	struct td_calls t = { f, 401, 10000, 1 };
	const struct tdxhp_td_stats *s;

	create(f, 4000, 3);
	sc(&t, TDXHP_W_MEM_PAGE_AUG, 0x1000, 0, BUSY | 0x2, 600);
	sc(&t, TDXHP_W_MEM_PAGE_AUG, 0x1000, 0, EPT_WALK_FAILED, 300);
	sc(&t, TDXHP_W_MEM_PAGE_AUG, 0x1000, 0, 0, 2000);

	s = stats_of(f);
	assert_int_equal(s->counters[TDXHP_C_AUG_ERR], 2);
	assert_int_equal(s->counters[TDXHP_C_AUG_4K], 1);
	assert_int_equal(s->counters[TDXHP_C_SEAMCALL_BUSY], 1);
	assert_int_equal(s->pages[0], 1);
	assert_int_equal(s->hist[TDXHP_H_AUG_4K].slots[9], 1);
	assert_int_equal(s->hist[TDXHP_H_AUG_4K].slots[8], 1);
	assert_int_equal(s->hist[TDXHP_H_AUG_4K].slots[10], 1);
	assert_int_equal(f->snap.host.seamcall_busy[6], 1);
	assert_int_equal(f->snap.host.events[TDXHP_EV_SEAMCALL_BUSY], 1);
	assert_int_equal(f->snap.host.events[TDXHP_EV_PAGE_AUG], 3);
	fx_close(f);
}

/*
 * td_init from tdh_mng_create: the process id is the tgid, not the
 * creating thread's id, the hkid its u16 argument; a failed create makes
 * no TD; tdh_mng_key_freeid retires it.
 */
static void test_lifecycle(void **state)
{
	struct fx *f = fx_open_sc(NULL);
	struct fx_sc_call bad = {
		.tid = 4243, .tgid = 4242, .wrapper = TDXHP_W_MNG_CREATE,
		.kvm = K, .arg = 9, .status = CREATE_FAILED, .start_ns = 100,
		.ns = 10,
	};
	struct fx_sc_call freeid = {
		.tid = 4243, .tgid = 4242, .wrapper = TDXHP_W_MNG_KEY_FREEID,
		.kvm = K, .start_ns = 90000, .ns = 10,
	};
	struct td_calls t = { f, 4244, 10000, 1 };
	const struct tdxhp_td *td;

	ev_sc_call(f, &bad, 0);
	fx_read(f);
	assert_int_equal(f->snap.nr_tds, 0);
	assert_int_equal(f->snap.host.events[TDXHP_EV_TD_INIT], 0);

	/* hkid is a u16 argument: what is above it in the register is not */
	create(f, 4242, 0x7a50009);
	sc(&t, TDXHP_W_MEM_PAGE_ADD, 0x3000, 0x77, 0, 1000);
	fx_read(f);
	td = fx_td(f, K);
	assert_non_null(td);
	assert_int_equal(td->meta.pid, 4242);
	assert_int_equal(td->meta.hkid, 9);
	assert_int_equal(td->meta.flags, TDXHP_TD_EXACT);
	/* page_add takes no level: 4K, whatever is in the level slot */
	assert_int_equal(td->stats.counters[TDXHP_C_ADD], 1);
	assert_int_equal(td->stats.pages[0], 1);

	ev_sc_call(f, &freeid, 1);
	fx_read(f);
	assert_int_equal(f->snap.nr_tds, 0);
	assert_int_equal(f->snap.retired.counters[TDXHP_C_ADD], 1);
	assert_int_equal(f->snap.host.events[TDXHP_EV_TD_INIT], 1);
	assert_int_equal(f->snap.host.events[TDXHP_EV_TD_TEARDOWN], 1);
	assert_int_equal(f->snap.host.counters[TDXHP_HC_TD_UNKNOWN_TEARDOWN], 0);
	fx_close(f);
}

/* Two threads with splits open at once, interleaved: each joins its own. */
static void test_two_splits_interleaved(void **state)
{
	struct fx *f = fx_open_sc(NULL);
	struct td_calls t = { f, 501, 10000, 0 }, u = { f, 502, 50000, 1 };
	const struct tdxhp_td_stats *s;

	create(f, 4000, 3);
	sc(&t, TDXHP_W_MEM_RANGE_BLOCK, 0x200000, 1, 0, 1000);
	sc(&u, TDXHP_W_MEM_RANGE_BLOCK, 0x400000, 1, 0, 100000);
	sc(&t, TDXHP_W_MEM_TRACK, 0, 0, 0, 1000);
	sc(&u, TDXHP_W_MEM_TRACK, 0, 0, 0, 100000);
	sc(&u, TDXHP_W_MEM_PAGE_DEMOTE, 0x400000, 1, 0, 100000);
	sc(&t, TDXHP_W_MEM_PAGE_DEMOTE, 0x200000, 1, 0, 1000);

	s = stats_of(f);
	assert_int_equal(s->counters[TDXHP_C_DEMOTE], 2);
	/* 3000 -> slot 11, 300000 -> slot 18 */
	assert_int_equal(s->hist[TDXHP_H_DEMOTE].slots[11], 1);
	assert_int_equal(s->hist[TDXHP_H_DEMOTE].slots[18], 1);
	assert_int_equal(s->hist[TDXHP_H_DEMOTE].sum_ns, 303000);
	assert_int_equal(s->hist[TDXHP_H_DEMOTE_BLOCK].sum_ns, 101000);
	assert_int_equal(s->hist[TDXHP_H_DEMOTE_TRACK].sum_ns, 101000);
	assert_int_equal(s->hist[TDXHP_H_DEMOTE_DEMOTE].sum_ns, 101000);
	fx_close(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_equal_convert),
		cmocka_unit_test(test_equal_steady),
		cmocka_unit_test(test_equal_churn),
		cmocka_unit_test(test_demote_busy_joined),
		cmocka_unit_test(test_remove_path_not_a_split),
		cmocka_unit_test(test_demote_unjoined),
		cmocka_unit_test(test_aug_busy),
		cmocka_unit_test(test_lifecycle),
		cmocka_unit_test(test_two_splits_interleaved),
	};

	return cmocka_run_group_tests_name("bpf-sources", tests, NULL, NULL);
}
