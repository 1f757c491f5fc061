// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <unistd.h>
#include <cmocka.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "fixture.h"
#include "storm.h"
#include "tdxhp.skel.h"
#include "util.h"

static int name_by_handle(void *arg, uint64_t kvm, char *out, size_t len)
{
	snprintf(out, len, "h%llx", (unsigned long long)kvm);
	return 0;
}

struct fx *fx_open(const struct tdxhp_opts *o)
{
	struct tdxhp_opts opts = o ? *o : (struct tdxhp_opts){ 0 };
	struct fx *f = calloc(1, sizeof(*f));
	bool require = getenv("TDXHP_REQUIRE_BPF") &&
		       !strcmp(getenv("TDXHP_REQUIRE_BPF"), "1");

	assert_non_null(f);
	opts.simulate = true;
	if (opts.use == TDXHP_USE_ANY)
		opts.use = TDXHP_USE_PRIVATE; /* never the host's pinned state */
	tdxhp_prog_name = "bpf-test";
	if (geteuid() != 0 || tdxhp_open(&f->t, &opts)) {
		if (geteuid() == 0)
			fprintf(stderr, "bpf-test: %s\n", f->t.errmsg);
		free(f);
		if (require)
			fail_msg("BPF programs could not be loaded (root? BPF? BTF?) and TDXHP_REQUIRE_BPF=1");
		skip();
	}
	f->t.sim_name = name_by_handle;
	assert_int_equal(sim_feeder_init(&f->feed, &f->t), 0);
	assert_int_equal(tdxhp_snapshot_init(&f->snap, &f->t), 0);
	return f;
}

struct fx *fx_open_sc(const struct tdxhp_opts *o)
{
	struct tdxhp_opts opts = o ? *o : (struct tdxhp_opts){ 0 };
	struct fx *f;

	opts.test_entry_points = true;
	if (!opts.td_offset_fallback)
		opts.td_offset_fallback = FX_TD_OFFSET;
	f = fx_open(&opts);
	if (f->t.test_fd_entry < 0 || f->t.test_fd_exit < 0)
		fail_msg("the seamcall test entry points were not loaded");
	return f;
}

void fx_close(struct fx *f)
{
	if (!f)
		return;
	sim_feeder_fini(&f->feed);
	tdxhp_snapshot_free(&f->snap);
	tdxhp_close(&f->t);
	free(f);
}

static void feed(struct fx *f, int type, const void *ctx, size_t size,
		 unsigned int cpu)
{
	int err = sim_feeder_emit(&f->feed, type, ctx, size, cpu);

	if (err)
		fail_msg("BPF_PROG_TEST_RUN of %d failed: %s", type,
			 strerror(-f->feed.last_err));
}

void ev_init(struct fx *f, uint64_t kvm, int pid, int hkid, unsigned int cpu)
{
	struct tdxhp_ctx_td_init c = { kvm, tdxhp_arg_s32(pid),
				       tdxhp_arg_s32(hkid) };

	feed(f, TDXHP_EV_TD_INIT, &c, sizeof(c), cpu);
}

void ev_teardown(struct fx *f, uint64_t kvm, unsigned int cpu)
{
	struct tdxhp_ctx_td_teardown c = { kvm };

	feed(f, TDXHP_EV_TD_TEARDOWN, &c, sizeof(c), cpu);
}

void ev_page(struct fx *f, int type, uint64_t kvm, uint64_t gfn, int level,
	     uint64_t err, uint64_t ns, unsigned int cpu)
{
	struct tdxhp_ctx_page_aug c = { kvm, gfn, tdxhp_arg_s32(level), err,
					ns };

	feed(f, type, &c, sizeof(c), cpu);
}

void ev_demote(struct fx *f, uint64_t kvm, uint64_t gfn, int level,
	       uint64_t err, uint64_t block_ns, uint64_t track_ns,
	       uint64_t demote_ns, uint32_t retries, unsigned int cpu)
{
	struct tdxhp_ctx_page_demote c = {
		kvm, gfn, tdxhp_arg_s32(level), err, block_ns, track_ns,
		demote_ns, retries,
	};

	feed(f, TDXHP_EV_PAGE_DEMOTE, &c, sizeof(c), cpu);
}

void ev_split(struct fx *f, uint64_t kvm, uint64_t start, uint64_t end,
	      int reason, uint32_t nr_split, int ret, uint64_t ns,
	      unsigned int cpu)
{
	struct tdxhp_ctx_boundary_split c = {
		kvm, start, end, tdxhp_arg_s32(reason), nr_split,
		tdxhp_arg_s32(ret), ns,
	};

	feed(f, TDXHP_EV_BOUNDARY_SPLIT, &c, sizeof(c), cpu);
}

void ev_fsi(struct fx *f, uint64_t kvm, int vcpu, uint64_t gfn, int level,
	    int goal_level, unsigned int cpu)
{
	struct tdxhp_ctx_fault_split_ignored c = {
		kvm, tdxhp_arg_s32(vcpu), gfn, tdxhp_arg_s32(level),
		tdxhp_arg_s32(goal_level),
	};

	feed(f, TDXHP_EV_FAULT_SPLIT_IGNORED, &c, sizeof(c), cpu);
}

void ev_busy(struct fx *f, uint64_t kvm, uint64_t leaf, uint64_t gfn,
	     int level, unsigned int cpu)
{
	struct tdxhp_ctx_seamcall_busy c = { kvm, leaf, gfn,
					     tdxhp_arg_s32(level) };

	feed(f, TDXHP_EV_SEAMCALL_BUSY, &c, sizeof(c), cpu);
}

/* Pinned like the feeder, so the run is local; the feeder restores it. */
void fx_run(struct fx *f, int prog_fd, const void *ctx, size_t size,
	    unsigned int cpu)
{
	int target = f->feed.cpus[cpu % f->feed.nr_cpus];
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = ctx,
		    .ctx_size_in = (__u32)size, .flags = BPF_F_TEST_RUN_ON_CPU,
		    .cpu = (__u32)target);

	if (f->feed.pinned != target) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(target, &set);
		if (!sched_setaffinity(0, sizeof(set), &set))
			f->feed.pinned = target;
	}
	if (bpf_prog_test_run_opts(prog_fd, &opts))
		fail_msg("BPF_PROG_TEST_RUN of program fd %d failed: %s",
			 prog_fd, strerror(errno));
}

void ev_sc_entry(struct fx *f, uint64_t tid, int wrapper, uint64_t now_ns,
		 unsigned int cpu)
{
	struct tdxhp_ctx_sc_entry c = { .tid = tid, .wrapper = (__u64)wrapper,
					.now_ns = now_ns };

	fx_run(f, f->t.test_fd_entry, &c, sizeof(c), cpu);
}

void ev_sc_exit(struct fx *f, const struct tdxhp_ctx_sc_exit *c,
		unsigned int cpu)
{
	fx_run(f, f->t.test_fd_exit, c, sizeof(*c), cpu);
}

void ev_sc_call(struct fx *f, const struct fx_sc_call *c, unsigned int cpu)
{
	struct tdxhp_ctx_sc_exit x = {
		.tid = c->tid, .tgid = c->tgid, .wrapper = (__u64)c->wrapper,
		.td = fx_sc_td(c->kvm), .gpa = c->gpa, .level = c->level,
		.arg = c->arg, .status = c->status,
		.now_ns = c->start_ns + c->ns,
	};

	ev_sc_entry(f, c->tid, c->wrapper, c->start_ns, cpu);
	ev_sc_exit(f, &x, cpu);
}

void fx_read(struct fx *f)
{
	sim_feeder_fini(&f->feed);
	assert_int_equal(tdxhp_snapshot_read(&f->t, &f->snap), 0);
}

const struct tdxhp_td *fx_td(struct fx *f, uint64_t kvm)
{
	char name[32];

	snprintf(name, sizeof(name), "h%llx", (unsigned long long)kvm);
	for (unsigned int i = 0; i < f->snap.nr_tds; i++)
		if (!strcmp(f->snap.tds[i].name, name))
			return &f->snap.tds[i];
	return NULL;
}

unsigned int fx_storm_entries(struct fx *f)
{
	const struct tdxhp *t = &f->t;
	unsigned int n = 0;

	if (tdxhp_map_storm(&f->t))
		return 0;
	for (size_t i = 0; t->storm && i < (size_t)t->nr_slots * TDXHP_STORM_SETS;
	     i++)
		for (int w = 0; w < TDXHP_STORM_WAYS; w++)
			n += t->storm[i].way[w].gfn_tag != 0;
	return n;
}
