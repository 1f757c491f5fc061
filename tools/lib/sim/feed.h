/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Feed simulated events to the loaded BPF programs with BPF_PROG_TEST_RUN:
 * the argument array is the raw tracepoint context, and the program runs
 * on the CPU the model chose, as the tracepoint would.
 */
#ifndef TDXHP_SIM_FEED_H
#define TDXHP_SIM_FEED_H

#include <sched.h>
#include <stdint.h>

#include "loader.h"

struct sim_feeder {
	int prog_fd[TDXHP_NR_EVENTS];
	int cpus[CPU_SETSIZE];	/* CPUs this thread may run on */
	unsigned int nr_cpus;
	int pinned;		/* CPU the thread is pinned to, or -1 */
	cpu_set_t saved;	/* affinity to restore */
	uint64_t fed;
	uint64_t failed;
	int last_err;
};

int sim_feeder_init(struct sim_feeder *f, const struct tdxhp *t);
void sim_feeder_fini(struct sim_feeder *f);

/* The CPU number of a sink's CPU index. */
static inline int sim_feeder_cpu(const struct sim_feeder *f, unsigned int cpu)
{
	return f->cpus[cpu % f->nr_cpus];
}

/* Move this thread to cpu (a CPU number), if it is not there. */
void sim_feeder_pin(struct sim_feeder *f, int cpu);

/* struct sim_sink callback; cpu is an index into the usable CPUs. */
int sim_feeder_emit(void *arg, int type, const void *ctx, size_t size,
		    unsigned int cpu);

#endif /* TDXHP_SIM_FEED_H */
