// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The seamcall source's exit logic in a real fexit trampoline, where the
 * production programs run: preemptible, migration disabled.  Run in the
 * qemu guests (tests/qemu/guest_kernels.sh), whose kernels have no TDX
 * wrappers but do have bpf_fentry_test1, which BPF_PROG_TEST_RUN of a
 * tracing program calls.  The loader picks, as for the real programs, the
 * exit that turns preemption off (bpf_preempt_disable(), Linux 6.10+) or
 * the one with atomic adds; the verifier must take it, and a TD's SEAMCALLs
 * run through it must count exactly.  Prints one line:
 *   fexit-check: ok <preempt-off|atomic> <N> iterations
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "loader.h"
#include "snapshot.h"
#include "tdxhp.skel.h"
#include "util.h"

#define ITERS 500
#define TD_OFFSET 0x1000ULL
#define BUSY 0x8000020000000000ULL

static const uint64_t K = 0xdead000000044000ULL;

struct run {
	struct tdxhp *t;
	int fexit_fd;
	uint64_t now;
};

/* One wrapper call: the entry by its raw_tp test program, the exit by fexit. */
static int call(struct run *r, int wrapper, uint64_t gpa, uint64_t level,
		uint64_t status, uint64_t ns)
{
	struct tdxhp_ctx_sc_entry en = { 77, (__u64)wrapper, r->now };
	struct tdxhp_bpf__bss *bss = r->t->bss;
	LIBBPF_OPTS(bpf_test_run_opts, eo, .ctx_in = &en,
		    .ctx_size_in = sizeof(en));
	LIBBPF_OPTS(bpf_test_run_opts, xo);

	if (bpf_prog_test_run_opts(r->t->test_fd_entry, &eo))
		return -errno;
	bss->test_sc_call = (struct tdxhp_ctx_sc_exit){
		.tid = 77,
		.wrapper = (__u64)wrapper,
		.td = K + TD_OFFSET,
		.gpa = gpa,
		.level = level,
		.status = status,
		.now_ns = r->now + ns,
	};
	r->now += ns + 10;
	return bpf_prog_test_run_opts(r->fexit_fd, &xo) ? -errno : 0;
}

/* A 2M aug, then its split (one BUSY block), then a 4K remove. */
static int iteration(struct run *r, unsigned int i)
{
	uint64_t gpa = (uint64_t)i << 21;
	int err = 0;

	err = err ?: call(r, TDXHP_W_MEM_PAGE_AUG, gpa, 1, 0, 1000);
	err = err ?: call(r, TDXHP_W_MEM_RANGE_BLOCK, gpa, 1, BUSY, 40);
	err = err ?: call(r, TDXHP_W_MEM_RANGE_BLOCK, gpa, 1, 0, 60);
	err = err ?: call(r, TDXHP_W_MEM_TRACK, 0, 0, 0, 200);
	err = err ?: call(r, TDXHP_W_MEM_PAGE_DEMOTE, gpa, 1, 0, 300);
	err = err ?: call(r, TDXHP_W_MEM_PAGE_REMOVE, gpa, 0, 0, 500);
	return err;
}

static int check(struct tdxhp *t, const char *mode)
{
	struct tdxhp_snapshot s;
	const struct tdxhp_td_stats *st;
	int bad = 0;

	if (tdxhp_snapshot_init(&s, t) || tdxhp_snapshot_read(t, &s) ||
	    s.nr_tds != 1) {
		tdxhp_err("expected one TD in the snapshot");
		return 1;
	}
	st = &s.tds[0].stats;
#define WANT(what, got, want)                                           \
	do {                                                            \
		if ((got) != (want)) {                                  \
			tdxhp_err("%s: %lld, want %lld", what,          \
				  (long long)(got), (long long)(want)); \
			bad = 1;                                        \
		}                                                       \
	} while (0)
	WANT("aug_2m", st->counters[TDXHP_C_AUG_2M], ITERS);
	WANT("demote", st->counters[TDXHP_C_DEMOTE], ITERS);
	WANT("demote_busy_retry", st->counters[TDXHP_C_DEMOTE_BUSY_RETRY],
	     ITERS);
	WANT("remove_4k", st->counters[TDXHP_C_REMOVE_4K], ITERS);
	WANT("seamcall_busy", st->counters[TDXHP_C_SEAMCALL_BUSY], ITERS);
	WANT("pages 2M", st->pages[1], 0);
	WANT("pages 4K", st->pages[0], 511 * ITERS);
	WANT("demote-block samples", st->hist[TDXHP_H_DEMOTE_BLOCK].slots[6],
	     ITERS); /* 100 ns */
	WANT("demote sum", st->hist[TDXHP_H_DEMOTE].sum_ns, 600ULL * ITERS);
#undef WANT
	tdxhp_snapshot_free(&s);
	if (!bad)
		printf("fexit-check: ok %s %d iterations\n", mode, ITERS);
	return bad;
}

int main(void)
{
	struct tdxhp_opts o = { .simulate = true,
				.test_entry_points = true,
				.test_fexit = true,
				.td_offset_fallback = TD_OFFSET };
	struct tdxhp_ctx_td_init init = { K, 1234, 5 };
	LIBBPF_OPTS(bpf_test_run_opts, io, .ctx_in = &init,
		    .ctx_size_in = sizeof(init));
	struct bpf_program *prog;
	struct bpf_link *link;
	struct run r = { .now = 1000000 };
	struct tdxhp t;
	const char *mode;
	cpu_set_t one;
	int err = 0;

	tdxhp_prog_name = "fexit-check";
	if (tdxhp_open(&t, &o)) {
		tdxhp_err("%s", t.errmsg);
		return 1;
	}
	mode = t.info.flags & TDXHP_INFO_PREEMPT_OFF ? "preempt-off" : "atomic";
	prog = t.info.flags & TDXHP_INFO_PREEMPT_OFF ?
		       t.skel->progs.tdxhp_test_sc_fexit :
		       t.skel->progs.tdxhp_test_sc_fexit_atomic;
	link = bpf_program__attach(prog);
	if (libbpf_get_error(link)) {
		tdxhp_err("attaching %s: %s", bpf_program__name(prog),
			  strerror(errno));
		return 1;
	}
	/* One CPU: the staged call is one global. */
	CPU_ZERO(&one);
	CPU_SET(0, &one);
	sched_setaffinity(0, sizeof(one), &one);
	r.t = &t;
	r.fexit_fd = bpf_program__fd(prog);
	if (bpf_prog_test_run_opts(tdxhp_prog_fd(&t, TDXHP_EV_TD_INIT), &io))
		err = -errno;
	for (unsigned int i = 0; !err && i < ITERS; i++)
		err = iteration(&r, i);
	if (err) {
		tdxhp_err("running the calls: %s", strerror(-err));
		return 1;
	}
	err = check(&t, mode);
	bpf_link__destroy(link);
	tdxhp_close(&t);
	return err;
}
