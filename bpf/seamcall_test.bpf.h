/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Test-only entry points into the seamcall source's logic.  They are never
 * loaded by the tools (the loader turns their autoload off); tests and
 * bench_bpf load them and feed struct tdxhp_ctx_sc_* through
 * BPF_PROG_TEST_RUN, choosing thread ids and clocks.
 */
#ifndef TDXHP_SEAMCALL_TEST_BPF_H
#define TDXHP_SEAMCALL_TEST_BPF_H

SEC("raw_tp/tdxhp_test_sc_entry")
int tdxhp_test_sc_entry(struct tdxhp_ctx_sc_entry *ctx)
{
	if (ctx->wrapper < TDXHP_NR_WRAPPERS)
		sc_enter(ctx->tid, ctx->wrapper, ctx->now_ns);
	return 0;
}

#define SC_TEST_CASE(ID, fn, leaf)                                             \
	case TDXHP_W_##ID:                                                     \
		sc_exit(TDXHP_W_##ID, &c);                                     \
		break;

static __always_inline void sc_test_exit(const struct tdxhp_ctx_sc_exit *ctx)
{
	struct sc_call c = {
		.tid = ctx->tid, .tgid = ctx->tgid, .td = ctx->td,
		.gpa = ctx->gpa, .level = ctx->level, .arg = ctx->arg,
		.status = ctx->status, .now = ctx->now_ns,
	};

	if (!instance_active())
		return;
	switch (ctx->wrapper) {
		TDXHP_WRAPPERS(SC_TEST_CASE)
	default:
		break;
	}
}

SEC("raw_tp/tdxhp_test_sc_exit")
int tdxhp_test_sc_exit(struct tdxhp_ctx_sc_exit *ctx)
{
	sc_test_exit(ctx);
	return 0;
}

/*
 * The same exit in a real fexit trampoline, as the production programs run
 * (preemptible, or with preemption off): attached to bpf_fentry_test1,
 * which BPF_PROG_TEST_RUN of a tracing program calls, on the call staged in
 * test_sc_call.
 */
struct tdxhp_ctx_sc_exit test_sc_call;

SEC("fexit/bpf_fentry_test1")
int tdxhp_test_sc_fexit(__u64 *ctx)
{
	bpf_preempt_disable();
	sc_test_exit(&test_sc_call);
	bpf_preempt_enable();
	return 0;
}

SEC("fexit/bpf_fentry_test1")
int tdxhp_test_sc_fexit_atomic(__u64 *ctx)
{
	sc_test_exit(&test_sc_call);
	return 0;
}

#undef SC_TEST_CASE
#endif /* TDXHP_SEAMCALL_TEST_BPF_H */
