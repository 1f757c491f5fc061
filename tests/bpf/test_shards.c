// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * One TD's events on every CPU at once lose no count.  Threads pinned to
 * each CPU (two per CPU: more threads than CPUs) run page_aug, page_demote
 * and page_remove of the same TD through BPF_PROG_TEST_RUN concurrently,
 * then every counter, gauge and histogram must hold exactly what was fed:
 *   - max_shards = 1: every CPU updates the one shard, with atomics;
 *   - the default: each CPU its own shard, plain adds, and each shard
 *     holds exactly its CPU's events;
 *   - the seamcall source (test entry points) the same way, with a thread
 *     id per thread, so its per-thread state is hammered too;
 *   - the seamcall source as a kernel without bpf_preempt_disable() runs it
 *     (every add atomic), hammered the same way.
 * (Its fexit programs themselves, with preemption off or atomic adds, are
 * checked in a real trampoline in the qemu guests: tests/qemu/fexit_check.c;
 * this host may forbid fentry/fexit.)
 * The count is bounded; nothing depends on timing.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "fixture.h"
#include "stats.h"

#define EVENTS 200000		/* per run, over all threads */
#define PER_ITER 4		/* events (or SEAMCALL pairs) per iteration */
#define THREADS_PER_CPU 2
#define MAX_THREADS 16
#define BUSY 0x8000020000000000ULL

static const uint64_t K = 0xdead000000033000ULL;

struct worker {
	pthread_t thread;
	struct fx *f;
	pthread_barrier_t *start;
	int cpu;		/* the real CPU number */
	uint64_t tid;		/* seamcall: this thread's id */
	bool seamcall;
	unsigned int iters;
	int err;
	/* what this thread fed, for the expected sums */
	uint64_t aug_ns, demote_ns, demote_phase_ns;
};

static int run(struct worker *w, int fd, const void *ctx, size_t size)
{
	LIBBPF_OPTS(bpf_test_run_opts, o, .ctx_in = ctx,
		    .ctx_size_in = (__u32)size, .flags = BPF_F_TEST_RUN_ON_CPU,
		    .cpu = (__u32)w->cpu);

	return bpf_prog_test_run_opts(fd, &o) ? -errno : 0;
}

static int tp_iteration(struct worker *w, unsigned int i)
{
	const struct tdxhp *t = &w->f->t;
	uint64_t gfn = (uint64_t)i * 512, aug = 1000 + i % 7,
		 dem = 300 + i % 5;
	struct tdxhp_ctx_page_aug a2m = { K, gfn, tdxhp_arg_s32(2), 0, aug };
	struct tdxhp_ctx_page_demote d = { K, gfn, tdxhp_arg_s32(2), 0,
					   100, 200, dem, 1 };
	struct tdxhp_ctx_page_remove r = { K, gfn, tdxhp_arg_s32(1), 0, 500 };
	struct tdxhp_ctx_page_aug bad = { K, gfn, tdxhp_arg_s32(1), BUSY, 64 };
	int err = 0;

	err = err ?: run(w, t->prog_fd[TDXHP_EV_PAGE_AUG], &a2m, sizeof(a2m));
	err = err ?: run(w, t->prog_fd[TDXHP_EV_PAGE_DEMOTE], &d, sizeof(d));
	err = err ?: run(w, t->prog_fd[TDXHP_EV_PAGE_REMOVE], &r, sizeof(r));
	err = err ?: run(w, t->prog_fd[TDXHP_EV_PAGE_AUG], &bad, sizeof(bad));
	w->aug_ns += aug;
	w->demote_ns += dem;
	w->demote_phase_ns += 100 + 200 + dem;
	return err;
}

/* One wrapper call of this thread: entry at now, exit ns later. */
static int sc_call(struct worker *w, uint64_t *now, int wrapper, uint64_t gpa,
		   uint64_t level, uint64_t status, uint64_t ns)
{
	const struct tdxhp *t = &w->f->t;
	struct tdxhp_ctx_sc_entry en = { w->tid, (__u64)wrapper, *now };
	struct tdxhp_ctx_sc_exit ex = {
		.tid = w->tid, .wrapper = (__u64)wrapper, .td = fx_sc_td(K),
		.gpa = gpa, .level = level, .status = status,
		.now_ns = *now + ns,
	};
	int err = run(w, t->test_fd_entry, &en, sizeof(en));

	*now += ns + 10;
	return err ?: run(w, t->test_fd_exit, &ex, sizeof(ex));
}

/* The same iteration as SEAMCALLs: aug 2M, a split, remove 4K, BUSY aug. */
static int sc_iteration(struct worker *w, unsigned int i)
{
	uint64_t gpa = (uint64_t)i << 21, aug = 1000 + i % 7,
		 dem = 300 + i % 5, now = 1000000 + (uint64_t)i * 100000;
	int err = 0;

	err = err ?: sc_call(w, &now, TDXHP_W_MEM_PAGE_AUG, gpa, 1, 0, aug);
	err = err ?: sc_call(w, &now, TDXHP_W_MEM_RANGE_BLOCK, gpa, 1, BUSY, 40);
	err = err ?: sc_call(w, &now, TDXHP_W_MEM_RANGE_BLOCK, gpa, 1, 0, 60);
	err = err ?: sc_call(w, &now, TDXHP_W_MEM_TRACK, 0, 0, 0, 200);
	err = err ?: sc_call(w, &now, TDXHP_W_MEM_PAGE_DEMOTE, gpa, 1, 0, dem);
	err = err ?: sc_call(w, &now, TDXHP_W_MEM_PAGE_REMOVE, gpa, 0, 0, 500);
	err = err ?: sc_call(w, &now, TDXHP_W_MEM_PAGE_AUG, gpa, 0, BUSY, 64);
	w->aug_ns += aug;
	w->demote_ns += dem;
	w->demote_phase_ns += 100 + 200 + dem;
	return err;
}

static void *hammer(void *arg)
{
	struct worker *w = arg;
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(w->cpu, &set);
	w->err = -pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
	pthread_barrier_wait(w->start);
	for (unsigned int i = 0; !w->err && i < w->iters; i++)
		w->err = w->seamcall ? sc_iteration(w, i) : tp_iteration(w, i);
	return NULL;
}

/* Events per CPU, by the CPU's index in the feeder's list. */
struct result {
	unsigned int nr_cpus;
	uint64_t iters_on[MAX_THREADS];
	uint64_t iters, aug_ns, demote_ns, demote_phase_ns;
};

static void hammer_all(struct fx *f, bool seamcall, struct result *res)
{
	unsigned int nr_cpus = f->feed.nr_cpus, n;
	struct worker w[MAX_THREADS];
	pthread_barrier_t start;

	if (nr_cpus > MAX_THREADS / THREADS_PER_CPU)
		nr_cpus = MAX_THREADS / THREADS_PER_CPU;
	n = nr_cpus * THREADS_PER_CPU;
	memset(res, 0, sizeof(*res));
	res->nr_cpus = nr_cpus;
	memset(w, 0, sizeof(w));
	assert_int_equal(pthread_barrier_init(&start, NULL, n), 0);
	for (unsigned int i = 0; i < n; i++) {
		w[i].f = f;
		w[i].start = &start;
		w[i].cpu = f->feed.cpus[i % nr_cpus];
		w[i].tid = 9000 + i;
		w[i].seamcall = seamcall;
		w[i].iters = EVENTS / PER_ITER / n;
		assert_int_equal(pthread_create(&w[i].thread, NULL, hammer,
						&w[i]),
				 0);
	}
	for (unsigned int i = 0; i < n; i++) {
		assert_int_equal(pthread_join(w[i].thread, NULL), 0);
		if (w[i].err)
			fail_msg("thread %u on CPU %d: %s", i, w[i].cpu,
				 strerror(-w[i].err));
		res->iters_on[i % nr_cpus] += w[i].iters;
		res->iters += w[i].iters;
		res->aug_ns += w[i].aug_ns;
		res->demote_ns += w[i].demote_ns;
		res->demote_phase_ns += w[i].demote_phase_ns;
	}
	pthread_barrier_destroy(&start);
}

static void assert_hist(const struct tdxhp_hist *h, int slot, uint64_t count,
			uint64_t sum)
{
	for (int i = 0; i < TDXHP_HIST_SLOTS; i++)
		if (h->slots[i] != (i == slot ? count : 0))
			fail_msg("histogram slot %d = %llu, want %llu", i,
				 (unsigned long long)h->slots[i],
				 (unsigned long long)(i == slot ? count : 0));
	assert_int_equal(h->sum_ns, sum);
}

/* Each iteration: aug 2M, demote it (1 BUSY retry), remove 4K, BUSY 4K aug. */
static void check_totals(const struct tdxhp_td_stats *s,
			 const struct result *r, bool seamcall)
{
	uint64_t m = r->iters;

	assert_int_equal(s->counters[TDXHP_C_AUG_2M], m);
	assert_int_equal(s->counters[TDXHP_C_AUG_4K], 0);
	assert_int_equal(s->counters[TDXHP_C_AUG_ERR], m);
	assert_int_equal(s->counters[TDXHP_C_DEMOTE], m);
	assert_int_equal(s->counters[TDXHP_C_DEMOTE_ERR], 0);
	assert_int_equal(s->counters[TDXHP_C_DEMOTE_BUSY_RETRY], m);
	assert_int_equal(s->counters[TDXHP_C_REMOVE_4K], m);
	assert_int_equal(s->counters[TDXHP_C_BAD_EVENT], 0);
	/* the seamcall source also counts the BUSY block and the BUSY aug */
	assert_int_equal(s->counters[TDXHP_C_SEAMCALL_BUSY], seamcall ? 2 * m : 0);
	assert_int_equal(s->pages[1], 0);
	assert_int_equal(s->pages[0], 511 * (int64_t)m);
	/* 1000..1006 ns -> slot 9; 64 -> 6; 500 -> 8; 600..604 -> 9 */
	assert_hist(&s->hist[TDXHP_H_AUG_2M], 9, m, r->aug_ns);
	assert_hist(&s->hist[TDXHP_H_AUG_4K], 6, m, 64 * m);
	assert_hist(&s->hist[TDXHP_H_REMOVE], 8, m, 500 * m);
	assert_hist(&s->hist[TDXHP_H_DEMOTE], 9, m, r->demote_phase_ns);
	assert_hist(&s->hist[TDXHP_H_DEMOTE_BLOCK], 6, m, 100 * m);
	assert_hist(&s->hist[TDXHP_H_DEMOTE_TRACK], 7, m, 200 * m);
	assert_hist(&s->hist[TDXHP_H_DEMOTE_DEMOTE], 8, m, r->demote_ns);
}

static void check(struct fx *f, const struct result *r, bool seamcall)
{
	const struct tdxhp_td *td;

	fx_read(f);
	assert_int_equal(f->snap.nr_tds, 1);
	td = fx_td(f, K);
	assert_non_null(td);
	assert_int_equal(td->meta.flags, TDXHP_TD_EXACT);
	check_totals(&td->stats, r, seamcall);
	assert_int_equal(f->snap.host.events[TDXHP_EV_PAGE_AUG], 2 * r->iters);
	assert_int_equal(f->snap.host.events[TDXHP_EV_PAGE_DEMOTE], r->iters);
	assert_int_equal(f->snap.host.events[TDXHP_EV_PAGE_REMOVE], r->iters);
	print_message("    %llu iterations on %u CPUs, %u threads each, %u shard%s\n",
		      (unsigned long long)r->iters, r->nr_cpus,
		      THREADS_PER_CPU, f->t.nr_shards,
		      f->t.nr_shards > 1 ? "s" : "");
}

/* With a shard per CPU, each shard holds exactly its own CPUs' events. */
static void check_own_shards(struct fx *f, const struct result *r)
{
	const struct tdxhp_td *td = fx_td(f, K);
	uint64_t want[TDXHP_MAX_SHARDS] = { 0 };

	for (unsigned int c = 0; c < r->nr_cpus; c++)
		want[(unsigned int)f->feed.cpus[c] & (f->t.nr_shards - 1)] +=
			r->iters_on[c];
	for (unsigned int sh = 0; sh < f->t.nr_shards; sh++) {
		uint32_t key = (td->slot << f->t.shard_bits) | sh;
		struct tdxhp_td_shard shard;
		struct tdxhp_td_stats s;

		assert_int_equal(bpf_map_lookup_elem(f->t.fd.td_stats, &key,
						     &shard),
				 0);
		tdxhp_td_shards_sum(&s, &shard, 1);
		assert_int_equal(s.counters[TDXHP_C_AUG_2M], want[sh]);
		assert_int_equal(s.counters[TDXHP_C_REMOVE_4K], want[sh]);
		assert_int_equal(s.hist[TDXHP_H_DEMOTE].slots[9], want[sh]);
	}
	if (r->nr_cpus > 1)
		assert_true(want[f->feed.cpus[0] & (f->t.nr_shards - 1)] <
			    r->iters);
}

static struct fx *open_opts(struct tdxhp_opts *o, bool seamcall)
{
	unsigned int max_shards = o->max_shards;
	struct fx *f = seamcall ? fx_open_sc(o) : fx_open(o);

	if (f->feed.nr_cpus < 2)
		print_message("    only one usable CPU: no concurrency to test\n");
	if (max_shards == 1) {
		assert_int_equal(f->t.nr_shards, 1);
	} else {
		unsigned int want = 1;

		/* possible CPUs rounded up to a power of two, capped */
		while (want < (unsigned int)f->t.nr_cpus &&
		       want < TDXHP_DEFAULT_MAX_SHARDS)
			want *= 2;
		assert_int_equal(f->t.nr_shards, want);
	}
	ev_init(f, K, 1000, 1, 0);
	return f;
}

static struct fx *open_shards(unsigned int max_shards, bool seamcall)
{
	struct tdxhp_opts o = { .max_shards = max_shards };

	return open_opts(&o, seamcall);
}

/* bpf_preempt_disable() is in this kernel (6.10 and later). */
static bool kernel_has_preempt_kfunc(void)
{
	struct btf *btf = btf__load_vmlinux_btf();
	bool found;

	if (libbpf_get_error(btf))
		return false;
	found = btf__find_by_name_kind(btf, "bpf_preempt_disable",
				       BTF_KIND_FUNC) > 0;
	btf__free(btf);
	return found;
}

/* What the loader chose for preemptible fexit programs, by its info. */
static void assert_mode(struct fx *f, bool atomic)
{
	uint32_t want = atomic ? TDXHP_INFO_STATS_ATOMIC : TDXHP_INFO_PREEMPT_OFF;

	assert_int_equal(f->t.info.flags &
				 (TDXHP_INFO_STATS_ATOMIC | TDXHP_INFO_PREEMPT_OFF),
			 want);
}

static void test_shared_shard(void **state)
{
	struct fx *f = open_shards(1, false);
	struct result r;

	hammer_all(f, false, &r);
	check(f, &r, false);
	fx_close(f);
}

static void test_shard_per_cpu(void **state)
{
	struct fx *f = open_shards(0, false);
	struct result r;

	hammer_all(f, false, &r);
	check(f, &r, false);
	check_own_shards(f, &r);
	fx_close(f);
}

static void test_seamcall_shared_shard(void **state)
{
	struct fx *f = open_shards(1, true);
	struct result r;

	hammer_all(f, true, &r);
	check(f, &r, true);
	fx_close(f);
}

static void test_seamcall_shard_per_cpu(void **state)
{
	struct fx *f = open_shards(0, true);
	struct result r;

	/* preemption off where the kernel can, else atomic adds */
	assert_mode(f, !kernel_has_preempt_kfunc());
	hammer_all(f, true, &r);
	check(f, &r, true);
	check_own_shards(f, &r);
	fx_close(f);
}

/* A kernel without bpf_preempt_disable(): the loader makes adds atomic. */
static void test_seamcall_atomic_adds(void **state)
{
	struct tdxhp_opts o = { .no_preempt_kfunc = true };
	struct fx *f = open_opts(&o, true);
	struct result r;

	assert_mode(f, true);
	hammer_all(f, true, &r);
	check(f, &r, true);
	check_own_shards(f, &r);
	fx_close(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shared_shard),
		cmocka_unit_test(test_shard_per_cpu),
		cmocka_unit_test(test_seamcall_shared_shard),
		cmocka_unit_test(test_seamcall_shard_per_cpu),
		cmocka_unit_test(test_seamcall_atomic_adds),
	};

	return cmocka_run_group_tests_name("bpf-shards", tests, NULL, NULL);
}
