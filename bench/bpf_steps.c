// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bench_bpf, part three: where the nanoseconds of the hot-path programs go.
 * bpf/tdxhp.bpf.c is built again with every core rule cut before step N
 * (TDXHP_BENCH_CUT, bpf/core.bpf.h).  Each simulated event runs on every
 * cut build, on the whole program and on the empty program, on the same
 * context and CPU, in an order that rotates from event to event, each
 * CPU's events in one stay on it (cpu_batch.h); each build is its own
 * instance with its own maps.  A step costs the difference
 * between the build that stops after it and the one that stops before it.
 * A second empty program runs only on each hot event, as rarely as its
 * program: what running rarely costs a program that does nothing.
 */
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "cost.h"
#include "cpu_batch.h"
#include "bpf_steps.h"
#include "empty.skel.h"
#include "loader.h"
#include "sim/model.h"
#include "stats.h"
#include "util.h"

#include "tdxhp_cut1.skel.h"
#include "tdxhp_cut2.skel.h"
#include "tdxhp_cut3.skel.h"
#include "tdxhp_cut4.skel.h"
#include "tdxhp_cut5.skel.h"
#include "tdxhp_cut6.skel.h"

#define NR_BUILDS 7 /* cut before step 1..6, then the whole program */
#define EMPTY NR_BUILDS /* the empty program, on every event */
#define RARE (NR_BUILDS + 1) /* an empty program only on this event */
#define NR_RUNS (NR_BUILDS + 2)

static const char *const step_name[NR_BUILDS] = {
	"adapter: control word, event",
	"1 host event counter",
	"2 TD table lookup, shard",
	"3 counters and gauges",
	"4 histogram (demote: total)",
	"5 demote's phase histograms",
	"6 stream check",
};

static const int hot[] = { TDXHP_EV_PAGE_ADD, TDXHP_EV_PAGE_AUG,
			   TDXHP_EV_PAGE_REMOVE, TDXHP_EV_PAGE_DEMOTE };
#define NR_HOT (sizeof(hot) / sizeof(hot[0]))

struct steps {
	struct tdxhp inst[NR_BUILDS];
	struct empty_bpf *rare[TDXHP_NR_EVENTS];
	int fd[NR_RUNS][TDXHP_NR_EVENTS];
	int cpus[CPU_SETSIZE];
	unsigned int nr_cpus;
	int pinned;
	uint64_t events;
};

static void pin(struct steps *b, int cpu)
{
	cpu_set_t set;

	if (b->pinned == cpu)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (!sched_setaffinity(0, sizeof(set), &set))
		b->pinned = cpu;
}

/* A held event (each CPU's in one stay on it, as in bench_bpf.c). */
static void run_held(void *arg, const struct cpu_batch_event *e)
{
	struct steps *b = arg;
	int target = b->cpus[e->cpu % b->nr_cpus];
	unsigned int first = (unsigned int)(b->events++ % NR_RUNS);
	int type = e->type;
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = e->ctx,
		    .ctx_size_in = e->size, .flags = BPF_F_TEST_RUN_ON_CPU,
		    .cpu = (__u32)target);

	if (type < 0 || type >= TDXHP_NR_EVENTS)
		return;
	pin(b, target);
	for (unsigned int i = 0; i < NR_RUNS; i++) {
		int fd = b->fd[(first + i) % NR_RUNS][type];

		if (fd >= 0)
			bpf_prog_test_run_opts(fd, &opts);
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, unsigned int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return v[n / 2];
}

static int open_builds(struct steps *b, int empty_fd)
{
	const void *elf[NR_BUILDS] = { 0 };
	size_t size[NR_BUILDS] = { 0 };

	elf[0] = tdxhp_cut1_bpf__elf_bytes(&size[0]);
	elf[1] = tdxhp_cut2_bpf__elf_bytes(&size[1]);
	elf[2] = tdxhp_cut3_bpf__elf_bytes(&size[2]);
	elf[3] = tdxhp_cut4_bpf__elf_bytes(&size[3]);
	elf[4] = tdxhp_cut5_bpf__elf_bytes(&size[4]);
	elf[5] = tdxhp_cut6_bpf__elf_bytes(&size[5]);
	for (int k = 0; k < NR_BUILDS; k++) {
		struct tdxhp_opts o = { .simulate = true,
					.storm_window_ns = 3600000000000ULL,
					.bpf_elf = elf[k],
					.bpf_elf_size = size[k] };

		if (tdxhp_open(&b->inst[k], &o)) {
			tdxhp_err("loading build %d: %s", k + 1,
				  b->inst[k].errmsg);
			while (k--)
				tdxhp_close(&b->inst[k]);
			return 1;
		}
		for (int ev = 0; ev < TDXHP_NR_EVENTS; ev++)
			b->fd[k][ev] = tdxhp_prog_fd(&b->inst[k], ev);
	}
	for (int ev = 0; ev < TDXHP_NR_EVENTS; ev++) {
		b->fd[EMPTY][ev] = empty_fd;
		b->fd[RARE][ev] = -1;
	}
	for (unsigned int i = 0; i < NR_HOT; i++) {
		b->rare[hot[i]] = empty_bpf__open_and_load();
		if (!b->rare[hot[i]]) {
			tdxhp_err("loading an empty program failed");
			return 1;
		}
		b->fd[RARE][hot[i]] =
			bpf_program__fd(b->rare[hot[i]]->progs.empty);
	}
	return 0;
}

/* Reads every build's cost counters; a sample is the difference of two. */
static void read_costs(const struct steps *b, struct cost c[NR_RUNS][NR_HOT])
{
	for (int k = 0; k < NR_RUNS; k++)
		for (unsigned int i = 0; i < NR_HOT; i++)
			c[k][i] = cost_of(b->fd[k][hot[i]]);
}

/* ns/run of each program and event in one window (EMPTY: of every event) */
static void take_sample(struct cost a[NR_RUNS][NR_HOT],
			struct cost z[NR_RUNS][NR_HOT], double *out)
{
	for (int k = 0; k < NR_RUNS; k++)
		for (unsigned int i = 0; i < NR_HOT; i++) {
			uint64_t n = z[k][i].cnt - a[k][i].cnt;

			out[k * NR_HOT + i] =
				n ? (double)(z[k][i].ns - a[k][i].ns) /
						(double)n :
				    -1;
		}
}

#define MAX_SAMPLES 1024

/* Median over samples of f(sample), skipping windows without the event. */
static double median_of(double (*s)[NR_RUNS * NR_HOT], unsigned int n, int k,
			int base, unsigned int i, bool ratio)
{
	static double v[MAX_SAMPLES];
	unsigned int m = 0;

	for (unsigned int j = 0; j < n; j++) {
		double x = s[j][k * NR_HOT + i], y = 0;

		if (base >= 0)
			y = s[j][base * NR_HOT + i];
		if (x < 0 || y < 0 || (ratio && y <= 0))
			continue;
		v[m++] = ratio ? x / y : x - y;
	}
	return m ? median(v, m) : 0;
}

int bench_steps(const struct tdxhp_scenario *sc, int empty_fd,
		unsigned int rounds)
{
	static double sample[MAX_SAMPLES][NR_RUNS * NR_HOT];
	static struct cost mark[2][NR_RUNS][NR_HOT];
	struct cpu_batch batch = { 0 };
	unsigned int n = 0;
	cpu_set_t saved;
	struct steps *b;

	b = calloc(1, sizeof(*b));
	if (!b || sched_getaffinity(0, sizeof(saved), &saved)) {
		free(b);
		return 1;
	}
	if (open_builds(b, empty_fd)) {
		free(b);
		return 1;
	}
	b->pinned = -1;
	for (int cpu = 0; cpu < CPU_SETSIZE; cpu++)
		if (CPU_ISSET(cpu, &saved) && cpu < b->inst[0].nr_cpus)
			b->cpus[b->nr_cpus++] = cpu;

	for (unsigned int r = 0; r < rounds; r++) {
		struct sim_model_opts mo = { .scenario = sc,
					     .seed = r + 1,
					     .nr_cpus = b->nr_cpus };
		struct sim_sink sink = { .emit = cpu_batch_emit,
					 .arg = &batch };
		struct sim_model *m = sim_model_new(&mo);

		read_costs(b, mark[0]);
		for (unsigned int i = 1; m && i <= sc->batch_ticks; i++) {
			sim_model_tick(m, &sink);
			if (!cpu_batch_window_ends(i, sc->batch_ticks))
				continue;
			cpu_batch_flush(&batch, b->nr_cpus, run_held, b);
			read_costs(b, mark[1]);
			if (n < MAX_SAMPLES)
				take_sample(mark[0], mark[1], sample[n++]);
			memcpy(mark[0], mark[1], sizeof(mark[0]));
		}
		sim_model_free(m);
	}
	if (batch.dropped)
		printf("events not run: %llu held events dropped\n",
		       (unsigned long long)batch.dropped);
	cpu_batch_free(&batch);
	sched_setaffinity(0, sizeof(saved), &saved);
	for (int k = 0; k < NR_BUILDS; k++)
		tdxhp_close(&b->inst[k]);
	for (int ev = 0; ev < TDXHP_NR_EVENTS; ev++)
		empty_bpf__destroy(b->rare[ev]);
	free(b);

	printf("\nwhere the nanoseconds go: scenario '%s' (simulated events), %u rounds,\n",
	       sc->name, rounds);
	printf("%u windows of %d ticks.  bpf/tdxhp.bpf.c built again with every rule cut\n",
	       n, CPU_BATCH_TICKS);
	printf("before step N; each event ran on every build, the whole program, the\n");
	printf("empty one and an empty one kept for this event alone, same context and\n");
	printf("CPU, rotating order, each CPU's events in one stay.  ns a row adds:\n");
	printf("median over windows of the difference between the builds with and\n");
	printf("without it (page_*'s step 5 does nothing: it shows the noise)\n\n");
	printf("%-32s", "ns/run");
	for (unsigned int i = 0; i < NR_HOT; i++)
		printf(" %12s", tdxhp_event_name(hot[i]));
	printf("\n%-32s", "empty raw_tp, every event");
	for (unsigned int i = 0; i < NR_HOT; i++)
		printf(" %12.1f", median_of(sample, n, EMPTY, -1, i, false));
	printf("\n%-32s", "empty, run as rarely as this");
	for (unsigned int i = 0; i < NR_HOT; i++)
		printf(" %+12.1f", median_of(sample, n, RARE, EMPTY, i, false));
	printf("\n");
	for (int k = 0; k < NR_BUILDS; k++) {
		printf("%-32s", step_name[k]);
		for (unsigned int i = 0; i < NR_HOT; i++)
			printf(" %+12.1f",
			       median_of(sample, n, k, k ? k - 1 : RARE, i,
					 false));
		printf("\n");
	}
	printf("%-32s", "whole program, ns/run");
	for (unsigned int i = 0; i < NR_HOT; i++)
		printf(" %12.1f",
		       median_of(sample, n, NR_BUILDS - 1, -1, i, false));
	printf("\n%-32s", "ratio to the empty program");
	for (unsigned int i = 0; i < NR_HOT; i++)
		printf(" %12.2f",
		       median_of(sample, n, NR_BUILDS - 1, EMPTY, i, true));
	printf("\n");
	return 0;
}
