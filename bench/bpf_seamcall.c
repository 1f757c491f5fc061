// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The seamcall source's cost per event.  BPF_PROG_TEST_RUN cannot run
 * fentry/fexit programs, so this runs the test-only raw_tp entry points,
 * which call the same sc_enter()/sc_exit() (the trampoline, the helper
 * calls for the arguments and the two clock reads of the real programs are
 * not in it).  Each event of the scenario becomes the wrapper calls a
 * stock kernel makes (as tests/bpf/test_sources.c renders them), and every
 * program run is followed by the empty program on the same context.
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>

#include "cost.h"
#include "cpu_batch.h"
#include "bpf_seamcall.h"
#include "loader.h"
#include "sim/feed.h"
#include "sim/model.h"
#include "util.h"

#define TD_OFFSET 0x1000ULL /* struct tdx_td in a (fake) struct kvm_tdx */
#define BUSY 0x8000020000000000ULL

#define KINDS(K)                                                               \
	K(ADD, "page_add", "add")                                              \
	K(AUG, "page_aug", "aug")                                              \
	K(REMOVE, "page_remove", "block+track+remove")                         \
	K(DEMOTE, "page_demote", "block+track+demote, with BUSY retries")      \
	K(INIT, "td_init", "mng_create")                                       \
	K(TEARDOWN, "td_teardown", "mng_key_freeid")

#define KIND_ENUM(ID, ev, calls) K_##ID,
enum kind { KINDS(KIND_ENUM) NR_KINDS, K_NONE = NR_KINDS };
#undef KIND_ENUM

struct scb {
	struct sim_feeder feed;
	int entry_fd, exit_fd, empty_fd;
	int cpu;		/* the current event's CPU */
	uint64_t clock;
	unsigned int pend[3];	/* BUSY retries of block, track, demote */
	enum kind kind;		/* of the calls since the last reading */
	struct cost mark;	/* entry + exit programs at that reading */
	uint64_t events[NR_KINDS], calls[NR_KINDS], ns[NR_KINDS];
};

static struct cost sc_cost(const struct scb *b)
{
	struct cost e = cost_of(b->entry_fd), x = cost_of(b->exit_fd);

	return (struct cost){ e.cnt + x.cnt, e.ns + x.ns };
}

/* Charge what ran since the last reading to its kind; start kind k. */
static void switch_kind(struct scb *b, enum kind k)
{
	struct cost now;

	if (k == b->kind)
		return;
	now = sc_cost(b);
	if (b->kind != K_NONE) {
		b->calls[b->kind] += now.cnt - b->mark.cnt;
		b->ns[b->kind] += now.ns - b->mark.ns;
	}
	b->mark = now;
	b->kind = k;
}

static void run_on_cpu(struct scb *b, int fd, const void *ctx, size_t size)
{
	LIBBPF_OPTS(bpf_test_run_opts, o, .ctx_in = ctx,
		    .ctx_size_in = (__u32)size, .flags = BPF_F_TEST_RUN_ON_CPU,
		    .cpu = (__u32)b->cpu);

	sim_feeder_pin(&b->feed, b->cpu);
	bpf_prog_test_run_opts(fd, &o);
	bpf_prog_test_run_opts(b->empty_fd, &o);
}

static void call(struct scb *b, int w, uint64_t kvm, uint64_t gpa,
		 uint64_t level, uint64_t arg, uint64_t status, uint64_t ns,
		 uint64_t tgid)
{
	struct tdxhp_ctx_sc_entry en = { 4242, (__u64)w, b->clock };
	struct tdxhp_ctx_sc_exit ex = {
		.tid = 4242, .tgid = tgid, .wrapper = (__u64)w,
		.td = kvm + TD_OFFSET, .gpa = gpa, .level = level, .arg = arg,
		.status = status, .now_ns = b->clock + ns,
	};

	b->clock += ns + 100;
	run_on_cpu(b, b->entry_fd, &en, sizeof(en));
	run_on_cpu(b, b->exit_fd, &ex, sizeof(ex));
}

static void phase(struct scb *b, int w, uint64_t kvm, uint64_t gpa,
		  uint64_t level, unsigned int busy, uint64_t ns, uint64_t last)
{
	for (unsigned int i = 0; i < busy; i++)
		call(b, w, kvm, gpa, level, 0, BUSY, ns / (busy + 1), 0);
	call(b, w, kvm, gpa, level, 0, last, ns - busy * (ns / (busy + 1)), 0);
}

static int emit(void *arg, int type, const void *ctx, size_t size,
		unsigned int cpu)
{
	struct scb *b = arg;

	b->cpu = sim_feeder_cpu(&b->feed, cpu);
	switch (type) {
	case TDXHP_EV_TD_INIT: {
		const struct tdxhp_ctx_td_init *c = ctx;

		switch_kind(b, K_INIT);
		call(b, TDXHP_W_MNG_CREATE, c->kvm, 0, 0, (uint32_t)c->hkid, 0,
		     40000, (uint32_t)c->pid);
		break;
	}
	case TDXHP_EV_TD_TEARDOWN: {
		const struct tdxhp_ctx_td_teardown *c = ctx;

		switch_kind(b, K_TEARDOWN);
		call(b, TDXHP_W_MNG_KEY_FREEID, c->kvm, 0, 0, 0, 0, 20000, 0);
		break;
	}
	case TDXHP_EV_PAGE_ADD:
	case TDXHP_EV_PAGE_AUG: {
		const struct tdxhp_ctx_page_aug *c = ctx;
		bool add = type == TDXHP_EV_PAGE_ADD;

		switch_kind(b, add ? K_ADD : K_AUG);
		call(b, add ? TDXHP_W_MEM_PAGE_ADD : TDXHP_W_MEM_PAGE_AUG,
		     c->kvm, c->gfn << 12, add ? 0 : c->level - 1, 0, c->err,
		     c->duration_ns, 0);
		break;
	}
	case TDXHP_EV_PAGE_REMOVE: {
		const struct tdxhp_ctx_page_remove *c = ctx;

		switch_kind(b, K_REMOVE);
		call(b, TDXHP_W_MEM_RANGE_BLOCK, c->kvm, c->gfn << 12,
		     c->level - 1, 0, 0, 1500, 0);
		call(b, TDXHP_W_MEM_TRACK, c->kvm, 0, 0, 0, 0, 4000, 0);
		call(b, TDXHP_W_MEM_PAGE_REMOVE, c->kvm, c->gfn << 12,
		     c->level - 1, 0, c->err, c->duration_ns, 0);
		break;
	}
	case TDXHP_EV_PAGE_DEMOTE: {
		const struct tdxhp_ctx_page_demote *c = ctx;
		uint64_t gpa = c->gfn << 12, level = c->level - 1;

		switch_kind(b, K_DEMOTE);
		phase(b, TDXHP_W_MEM_RANGE_BLOCK, c->kvm, gpa, level,
		      b->pend[0], c->block_ns, 0);
		phase(b, TDXHP_W_MEM_TRACK, c->kvm, 0, 0, b->pend[1],
		      c->track_ns, 0);
		phase(b, TDXHP_W_MEM_PAGE_DEMOTE, c->kvm, gpa, level,
		      b->pend[2], c->demote_ns, c->err);
		memset(b->pend, 0, sizeof(b->pend));
		break;
	}
	case TDXHP_EV_SEAMCALL_BUSY: {
		const struct tdxhp_ctx_seamcall_busy *c = ctx;

		/* BUSY retries of the demote that follows */
		b->pend[c->seamcall == 7 ? 0 : c->seamcall == 38 ? 1 : 2]++;
		break;
	}
	default: /* boundary_split, fault_split_ignored: no SEAMCALL */
		return 0;
	}
	if (type != TDXHP_EV_SEAMCALL_BUSY)
		b->events[b->kind]++;
	return 0;
}

/* Each CPU's events in one stay on it, as in bench_bpf.c. */
static void run_held(void *arg, const struct cpu_batch_event *e)
{
	emit(arg, e->type, e->ctx, e->size, e->cpu);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

#define MAX_ROUNDS 16

int bench_seamcall(const struct tdxhp_scenario *sc, int empty_fd,
		   unsigned int rounds)
{
	struct tdxhp_opts o = { .simulate = true, .test_entry_points = true,
				.td_offset_fallback = TD_OFFSET,
				.storm_window_ns = 3600000000000ULL };
	double per_event[NR_KINDS][MAX_ROUNDS], per_call[NR_KINDS][MAX_ROUNDS];
	double ratio[NR_KINDS][MAX_ROUNDS], empty_ns[MAX_ROUNDS];
	struct cpu_batch batch = { 0 };
	static const char *const ev_name[] = {
#define KIND_NAME(ID, ev, calls) ev,
		KINDS(KIND_NAME)
#undef KIND_NAME
	};
	static const char *const calls_name[] = {
#define KIND_CALLS(ID, ev, calls) calls,
		KINDS(KIND_CALLS)
#undef KIND_CALLS
	};
	uint64_t events[NR_KINDS] = { 0 }, calls[NR_KINDS] = { 0 };
	struct tdxhp t;
	struct scb b;

	if (rounds > MAX_ROUNDS)
		rounds = MAX_ROUNDS;
	if (tdxhp_open(&t, &o)) {
		tdxhp_err("%s", t.errmsg);
		return 1;
	}
	memset(&b, 0, sizeof(b));
	if (t.test_fd_entry < 0 || t.test_fd_exit < 0 ||
	    sim_feeder_init(&b.feed, &t)) {
		tdxhp_err("the seamcall test entry points were not loaded");
		tdxhp_close(&t);
		return 1;
	}
	b.entry_fd = t.test_fd_entry;
	b.exit_fd = t.test_fd_exit;
	b.empty_fd = empty_fd;
	for (unsigned int r = 0; r < rounds; r++) {
		struct sim_model_opts mo = { .scenario = sc, .seed = r + 1,
					     .nr_cpus = b.feed.nr_cpus };
		struct sim_sink sink = { .emit = cpu_batch_emit,
					 .arg = &batch };
		struct sim_model *m = sim_model_new(&mo);
		struct cost e0 = cost_of(empty_fd), e1;

		memset(b.events, 0, sizeof(b.events));
		memset(b.calls, 0, sizeof(b.calls));
		memset(b.ns, 0, sizeof(b.ns));
		b.kind = K_NONE;
		b.clock = 1000000;
		for (unsigned int i = 0; m && i < sc->batch_ticks; i++) {
			sim_model_tick(m, &sink);
			if (cpu_batch_window_ends(i + 1, sc->batch_ticks))
				cpu_batch_flush(&batch, b.feed.nr_cpus,
						run_held, &b);
		}
		switch_kind(&b, K_NONE);
		sim_feeder_fini(&b.feed);
		sim_model_free(m);
		e1 = cost_of(empty_fd);
		empty_ns[r] = e1.cnt > e0.cnt ? (double)(e1.ns - e0.ns) /
							(double)(e1.cnt - e0.cnt) :
						0;
		for (int k = 0; k < NR_KINDS; k++) {
			per_event[k][r] = b.events[k] ? (double)b.ns[k] /
								(double)b.events[k] :
							0;
			per_call[k][r] = b.calls[k] ? (double)b.ns[k] /
							      (double)b.calls[k] :
						      0;
			ratio[k][r] = empty_ns[r] > 0 ?
					      per_event[k][r] / empty_ns[r] : 0;
			events[k] += b.events[k];
			calls[k] += b.calls[k];
		}
	}
	if (batch.dropped)
		printf("events not run: %llu held events dropped\n",
		       (unsigned long long)batch.dropped);
	cpu_batch_free(&batch);
	tdxhp_close(&t);

	qsort(empty_ns, rounds, sizeof(double), cmp_double);
	printf("\nseamcall source, per event: the same scenario rendered as SEAMCALL entry/exit\n");
	printf("calls, run through the test-only entry points (sc_enter/sc_exit: the logic of\n");
	printf("the fentry/fexit programs, without the trampoline); every call also ran the\n");
	printf("empty program on the same context; medians over %u rounds\n\n", rounds);
	printf("%-14s %-40s %8s %10s %9s %8s\n", "event", "SEAMCALLs (entry+exit each)",
	       "calls/ev", "ns/event", "ns/prog", "ratio");
	printf("%-14s %-40s %8s %10s %9.1f %8s\n", "empty raw_tp", "(baseline, one run)",
	       "", "", empty_ns[rounds / 2], "1.00");
	for (int k = 0; k < NR_KINDS; k++) {
		if (!events[k])
			continue;
		qsort(per_event[k], rounds, sizeof(double), cmp_double);
		qsort(per_call[k], rounds, sizeof(double), cmp_double);
		qsort(ratio[k], rounds, sizeof(double), cmp_double);
		printf("%-14s %-40s %8.2f %10.1f %9.1f %8.2f\n", ev_name[k],
		       calls_name[k], (double)calls[k] / 2 / (double)events[k],
		       per_event[k][rounds / 2], per_call[k][rounds / 2],
		       ratio[k][rounds / 2]);
	}
	printf("\nratio: ns per event (all its entry and exit programs) over one empty run;\n");
	printf("ns/prog: per program run.  The tracepoint source runs one program per event.\n");
	return 0;
}
