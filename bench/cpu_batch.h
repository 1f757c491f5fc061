/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Simulated events held for a window of ticks, then run CPU by CPU, each
 * CPU's in the order the model emitted them.  One feeder thread that
 * follows every event to its CPU migrates between CPUs several times per
 * simulated millisecond, which no vCPU thread does; this runs each CPU's
 * events in one stay there (bench/README.md measures both).
 */
#ifndef TDXHP_BENCH_CPU_BATCH_H
#define TDXHP_BENCH_CPU_BATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CPU_BATCH_MAX_ARGS 16
/*
 * Ticks held per batch: a divisor of a simulated second, when a TD's vCPUs
 * move (tools/lib/sim/model.c), so a TD keeps its CPU within a batch and
 * every TD's events keep their order.
 */
#define CPU_BATCH_TICKS 50

struct cpu_batch_event {
	int type;
	unsigned int cpu; /* index into the usable CPUs, as the sink got */
	uint32_t size;
	uint64_t ctx[CPU_BATCH_MAX_ARGS];
};

struct cpu_batch {
	struct cpu_batch_event *ev;
	size_t n, cap;
	uint64_t dropped; /* contexts too big to hold, or no memory */
};

/* Whether the done-th of total ticks ends a batch: flush after it. */
static inline bool cpu_batch_window_ends(unsigned int done, unsigned int total)
{
	return done % CPU_BATCH_TICKS == 0 || done == total;
}

typedef void (*cpu_batch_run_fn)(void *arg, const struct cpu_batch_event *e);

/* A struct sim_sink emit callback: holds the event. */
int cpu_batch_emit(void *arg, int type, const void *ctx, size_t size,
		   unsigned int cpu);

/* Run every held event, CPU index 0 first, and empty the batch. */
void cpu_batch_flush(struct cpu_batch *b, unsigned int nr_cpus,
		     cpu_batch_run_fn run, void *arg);

void cpu_batch_free(struct cpu_batch *b);

#endif /* TDXHP_BENCH_CPU_BATCH_H */
