/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * BPF test fixture: the real programs, loaded into this kernel, fed through
 * BPF_PROG_TEST_RUN with contexts built from the ABI.  Without root or BPF
 * the tests skip, unless TDXHP_REQUIRE_BPF=1 makes that a failure.
 */
#ifndef TDXHP_TEST_FIXTURE_H
#define TDXHP_TEST_FIXTURE_H

#include <stdbool.h>
#include <stdint.h>

#include "loader.h"
#include "sim/feed.h"
#include "snapshot.h"

struct fx {
	struct tdxhp t;
	struct sim_feeder feed;
	struct tdxhp_snapshot snap;
};

/* Load with these options (NULL: defaults); skips or fails the test. */
struct fx *fx_open(const struct tdxhp_opts *o);
/*
 * The same, with the seamcall source's test-only entry points loaded.
 * This kernel has no struct kvm_tdx: the TD's struct tdx_td is taken to
 * sit FX_TD_OFFSET bytes into its struct kvm (fx_sc_td()).
 */
struct fx *fx_open_sc(const struct tdxhp_opts *o);
void fx_close(struct fx *f);

/* A fake, non-canonical struct kvm pointer: CO-RE reads of it fail. */
static inline uint64_t fx_handle(unsigned int n)
{
	return 0xdead000000000000ULL + (uint64_t)n * 0x11000;
}

#define FX_TD_OFFSET 0x1000ULL

/* The struct tdx_td * the SEAMCALL wrappers of the TD at kvm take. */
static inline uint64_t fx_sc_td(uint64_t kvm)
{
	return kvm + FX_TD_OFFSET;
}

void ev_init(struct fx *f, uint64_t kvm, int pid, int hkid, unsigned int cpu);
void ev_teardown(struct fx *f, uint64_t kvm, unsigned int cpu);
void ev_page(struct fx *f, int type, uint64_t kvm, uint64_t gfn, int level,
	     uint64_t err, uint64_t ns, unsigned int cpu);
void ev_demote(struct fx *f, uint64_t kvm, uint64_t gfn, int level,
	       uint64_t err, uint64_t block_ns, uint64_t track_ns,
	       uint64_t demote_ns, uint32_t retries, unsigned int cpu);
void ev_split(struct fx *f, uint64_t kvm, uint64_t start, uint64_t end,
	      int reason, uint32_t nr_split, int ret, uint64_t ns,
	      unsigned int cpu);
void ev_fsi(struct fx *f, uint64_t kvm, int vcpu, uint64_t gfn, int level,
	    int goal_level, unsigned int cpu);
void ev_busy(struct fx *f, uint64_t kvm, uint64_t leaf, uint64_t gfn,
	     int level, unsigned int cpu);

/*
 * The seamcall source through its test-only entry points: fentry and fexit
 * of one wrapper call on thread tid, at the thread's clock now_ns.
 */
void ev_sc_entry(struct fx *f, uint64_t tid, int wrapper, uint64_t now_ns,
		 unsigned int cpu);
void ev_sc_exit(struct fx *f, const struct tdxhp_ctx_sc_exit *c,
		unsigned int cpu);

/* One whole call: entry at start_ns, exit ns later. */
struct fx_sc_call {
	uint64_t tid, tgid;
	int wrapper;		/* enum tdxhp_wrapper */
	uint64_t kvm;		/* the TD; its struct tdx_td is fx_sc_td(kvm) */
	uint64_t gpa;
	uint64_t level;		/* as the wrapper takes it: TDX 0 = 4K */
	uint64_t arg;
	uint64_t status;
	uint64_t start_ns, ns;
};
void ev_sc_call(struct fx *f, const struct fx_sc_call *c, unsigned int cpu);

/* Run a program on a CPU (an index into the usable ones), as the feeder does. */
void fx_run(struct fx *f, int prog_fd, const void *ctx, size_t size,
	    unsigned int cpu);

/* Read all maps into f->snap; TDs are named "h<handle in hex>". */
void fx_read(struct fx *f);
const struct tdxhp_td *fx_td(struct fx *f, uint64_t kvm);

/* Entries tracked in the storm table. */
unsigned int fx_storm_entries(struct fx *f);

#endif /* TDXHP_TEST_FIXTURE_H */
