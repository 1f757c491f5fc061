// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Cost of each tdxhp BPF program per event, next to an empty raw_tp program
 * measured in the same run on the same contexts, from the kernel's own
 * accounting (kernel.bpf_stats_enabled).  Also: map memory for 4,096 TDs.
 *
 * Targets: every per-event program at most 1.5x the empty program,
 * page_demote (four histograms) 2x.  Each CPU's events run in one stay on
 * that CPU (cpu_batch.h), the real and the empty program in turns first;
 * the same events are also run as one thread that hops to each event's
 * CPU, the method before, side by side.  Then the seamcall source's logic
 * per event (bpf_seamcall.c) and the cost of each step (bpf_steps.c).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "cost.h"
#include "cpu_batch.h"
#include "bpf_seamcall.h"
#include "bpf_steps.h"
#include "empty.skel.h"
#include "loader.h"
#include "sim/feed.h"
#include "sim/model.h"
#include "sim/scenario.h"
#include "stats.h"
#include "tdxhp.skel.h"
#include "util.h"

#define TARGET_RATIO 1.5
#define TARGET_RATIO_DEMOTE 2.0

static double target_ratio(int ev)
{
	return ev == TDXHP_EV_PAGE_DEMOTE ? TARGET_RATIO_DEMOTE : TARGET_RATIO;
}

enum feed_mode {
	FEED_BY_CPU,	/* each CPU's events in one stay there */
	FEED_HOPPING,	/* one thread follows every event to its CPU */
	NR_FEED_MODES
};

struct bench {
	struct sim_feeder feed;
	struct cpu_batch batch;
	int empty_fd;
	uint64_t events;
	uint64_t moves;		/* the feeder changed CPU for the next event */
};

/* Count a move of the feeder thread that the next event makes it take. */
static void note_move(struct bench *b, unsigned int cpu)
{
	if (b->feed.pinned != sim_feeder_cpu(&b->feed, cpu))
		b->moves++;
}

static void run_empty(struct bench *b, const void *ctx, size_t size,
		      unsigned int cpu)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = ctx,
		    .ctx_size_in = (__u32)size, .flags = BPF_F_TEST_RUN_ON_CPU,
		    .cpu = (__u32)sim_feeder_cpu(&b->feed, cpu));

	bpf_prog_test_run_opts(b->empty_fd, &opts);
}

/* The method before: the real program, then the empty one, as emitted. */
static int emit_hopping(void *arg, int type, const void *ctx, size_t size,
			unsigned int cpu)
{
	struct bench *b = arg;

	note_move(b, cpu);
	sim_feeder_emit(&b->feed, type, ctx, size, cpu);
	run_empty(b, ctx, size, cpu);
	b->events++;
	return 0;
}

/* A held event: the real and the empty program take turns going first. */
static void run_both(void *arg, const struct cpu_batch_event *e)
{
	struct bench *b = arg;
	bool empty_first = b->events++ & 1;

	note_move(b, e->cpu);
	/* Both runs local: the empty one must not be the one sent over. */
	sim_feeder_pin(&b->feed, sim_feeder_cpu(&b->feed, e->cpu));
	if (empty_first)
		run_empty(b, e->ctx, e->size, e->cpu);
	sim_feeder_emit(&b->feed, e->type, e->ctx, e->size, e->cpu);
	if (!empty_first)
		run_empty(b, e->ctx, e->size, e->cpu);
}

static int read_sysctl(const char *path)
{
	FILE *f = fopen(path, "r");
	int v = -1;

	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

static int write_sysctl(const char *path, int v)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -errno;
	fprintf(f, "%d\n", v);
	return fclose(f) ? -errno : 0;
}


/* memlock of a map, as the kernel charges it (/proc/self/fdinfo). */
static uint64_t map_memlock(int fd)
{
	char path[64], line[256];
	uint64_t v = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "memlock: %lu", &v) == 1)
			break;
	fclose(f);
	return v;
}

static void report_memory(unsigned int tds)
{
	struct tdxhp_opts o = { .simulate = true };
	struct tdxhp t;
	struct bpf_map *map;
	uint64_t total = 0;
	char buf[32];
	unsigned int bits = 4;

	while ((1U << bits) < 2 * tds)
		bits++;
	o.slot_bits = bits;
	if (tdxhp_open(&t, &o))
		return;
	printf("\nmap memory for %u TDs (%u slots, %d possible CPUs):\n", tds,
	       1U << bits, t.nr_cpus);
	bpf_object__for_each_map(map, t.skel->obj) {
		uint64_t m = map_memlock(bpf_map__fd(map));

		if (!strcmp(bpf_map__name(map), "tdxhp_bp.rodata") ||
		    strstr(bpf_map__name(map), ".data") ||
		    strstr(bpf_map__name(map), ".bss") ||
		    strstr(bpf_map__name(map), ".rodata"))
			continue;
		tdxhp_format_bytes(m, buf, sizeof(buf));
		printf("  %-12s %10s\n", bpf_map__name(map), buf);
		total += m;
	}
	tdxhp_format_bytes(total, buf, sizeof(buf));
	printf("  %-12s %10s\n", "total", buf);
	tdxhp_format_bytes(((uint64_t)(1U << bits) + 1) *
				   sizeof(struct tdxhp_td_shard),
			   buf, sizeof(buf));
	printf("  per shard: %s (%u shards of %zu bytes for %u possible CPUs, docs/memory.md)\n",
	       buf, t.nr_shards, sizeof(struct tdxhp_td_shard), t.nr_cpus);
	tdxhp_close(&t);
}

#define ROUNDS 7

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/*
 * One round: the scenario's events, each run by its program and by the
 * empty one.  Returns ns/run of the empty program; per[] gets each
 * program's ns/run and runs[] its run count.
 */
static double round_once(struct tdxhp *t, struct bench *b,
			 const struct tdxhp_scenario *sc, uint64_t seed,
			 enum feed_mode mode, double per[], uint64_t runs[])
{
	struct sim_model_opts mo = { .scenario = sc, .seed = seed,
				     .nr_cpus = b->feed.nr_cpus };
	struct sim_sink sink = { .emit = emit_hopping, .arg = b };
	struct cost before[TDXHP_NR_EVENTS], e0, e1;
	struct sim_model *m = sim_model_new(&mo);

	if (mode == FEED_BY_CPU)
		sink = (struct sim_sink){ .emit = cpu_batch_emit,
					  .arg = &b->batch };
	for (int ev = 0; ev < TDXHP_NR_EVENTS; ev++)
		before[ev] = cost_of(tdxhp_prog_fd(t, ev));
	e0 = cost_of(b->empty_fd);
	for (unsigned int i = 0; i < sc->batch_ticks; i++) {
		sim_model_tick(m, &sink);
		if (cpu_batch_window_ends(i + 1, sc->batch_ticks))
			cpu_batch_flush(&b->batch, b->feed.nr_cpus, run_both,
					b);
	}
	sim_feeder_fini(&b->feed);
	e1 = cost_of(b->empty_fd);
	for (int ev = 0; ev < TDXHP_NR_EVENTS; ev++) {
		struct cost now = cost_of(tdxhp_prog_fd(t, ev));

		runs[ev] = now.cnt - before[ev].cnt;
		per[ev] = runs[ev] ? (double)(now.ns - before[ev].ns) /
					     (double)runs[ev] : 0;
	}
	sim_model_free(m);
	return e1.cnt > e0.cnt ? (double)(e1.ns - e0.ns) /
					 (double)(e1.cnt - e0.cnt) : 0;
}

/* Ratios of one feed mode, per event and round, and its empty ns/run. */
struct mode_result {
	double ratio[TDXHP_NR_EVENTS][ROUNDS];
	double ns[TDXHP_NR_EVENTS][ROUNDS];
	double empty_ns[ROUNDS];
	uint64_t runs[TDXHP_NR_EVENTS];
	uint64_t events, moves;
};

/* Every round runs both modes on the same events, in turns first. */
static void measure(struct tdxhp *t, struct bench *b,
		    const struct tdxhp_scenario *sc,
		    struct mode_result res[NR_FEED_MODES])
{
	for (int r = 0; r < ROUNDS; r++) {
		for (int k = 0; k < NR_FEED_MODES; k++) {
			enum feed_mode mode = (enum feed_mode)((r + k) % NR_FEED_MODES);
			struct mode_result *m = &res[mode];
			double per[TDXHP_NR_EVENTS], e;
			uint64_t n[TDXHP_NR_EVENTS];
			uint64_t events = b->events, moves = b->moves;

			e = round_once(t, b, sc, (uint64_t)r + 1, mode, per, n);
			m->events += b->events - events;
			m->moves += b->moves - moves;
			m->empty_ns[r] = e;
			for (int ev = 0; ev < TDXHP_NR_EVENTS; ev++) {
				m->ns[ev][r] = per[ev];
				m->ratio[ev][r] = e > 0 ? per[ev] / e : 0;
				m->runs[ev] += n[ev];
			}
		}
	}
	for (int k = 0; k < NR_FEED_MODES; k++) {
		qsort(res[k].empty_ns, ROUNDS, sizeof(double), cmp_double);
		for (int ev = 0; ev < TDXHP_NR_EVENTS; ev++) {
			qsort(res[k].ratio[ev], ROUNDS, sizeof(double), cmp_double);
			qsort(res[k].ns[ev], ROUNDS, sizeof(double), cmp_double);
		}
	}
}

static void report(const char *scenario, const struct bench *b,
		   const struct mode_result res[NR_FEED_MODES])
{
	const struct mode_result *m = &res[FEED_BY_CPU];
	const struct mode_result *h = &res[FEED_HOPPING];
	double worst = 0;
	int worst_ev = 0;

	printf("tdxhp BPF cost per event: scenario '%s' (simulated events), %d rounds, %u CPUs\n",
	       scenario, ROUNDS, b->feed.nr_cpus);
	printf("kernel.bpf_stats_enabled accounting; every event also ran the empty program\n");
	printf("on the same context and CPU, the two in turns first; each CPU's events\n");
	printf("in one stay on it, batches of %d ticks; medians over rounds.  hopping:\n",
	       CPU_BATCH_TICKS);
	printf("the same events from one thread that follows each to its CPU, the empty\n");
	printf("program always second (the method before), same run.  The feeder\n");
	printf("changed CPU %llu times for %llu events by CPU, %llu times hopping\n\n",
	       (unsigned long long)m->moves, (unsigned long long)m->events,
	       (unsigned long long)h->moves);
	printf("%-28s %10s %10s %8s %16s %7s %8s\n", "program", "runs",
	       "ns/run", "ratio", "ratio min..max", "target", "hopping");
	printf("%-28s %10llu %10.1f %8s %16s %7s %6.1fns\n",
	       "empty raw_tp (baseline)", (unsigned long long)m->events,
	       m->empty_ns[ROUNDS / 2], "1.00", "", "",
	       h->empty_ns[ROUNDS / 2]);
	for (int ev = 0; ev < TDXHP_NR_EVENTS; ev++) {
		double med = m->ratio[ev][ROUNDS / 2];
		bool hot = ev != TDXHP_EV_TD_INIT && ev != TDXHP_EV_TD_TEARDOWN;
		char name[48], target[16] = "";

		snprintf(name, sizeof(name), "tdxhp_%s", tdxhp_event_name(ev));
		if (hot)
			snprintf(target, sizeof(target), "%.1f", target_ratio(ev));
		printf("%-28s %10llu %10.1f %8.2f %7.2f..%-7.2f %7s %8.2f%s\n",
		       name, (unsigned long long)m->runs[ev],
		       m->ns[ev][ROUNDS / 2], med, m->ratio[ev][0],
		       m->ratio[ev][ROUNDS - 1], target,
		       h->ratio[ev][ROUNDS / 2],
		       hot && med > target_ratio(ev) ? "  over target" : "");
		/* TD lifecycle events are rare: the targets are the hot path. */
		if (hot && med / target_ratio(ev) > worst) {
			worst = med / target_ratio(ev);
			worst_ev = ev;
		}
	}
	printf("\nclosest to its target: tdxhp_%s at %.2fx the empty program (target %.1fx)\n",
	       tdxhp_event_name(worst_ev), m->ratio[worst_ev][ROUNDS / 2],
	       target_ratio(worst_ev));
}

int main(int argc, char **argv)
{
	static const char stats_path[] = "/proc/sys/kernel/bpf_stats_enabled";
	bool steps_only = argc > 2 && !strcmp(argv[2], "--steps");
	const char *scenario = argc > 1 ? argv[1] : "convert";
	const struct tdxhp_scenario *sc = tdxhp_scenario_find(scenario);
	struct tdxhp_opts o = { .simulate = true };
	static struct mode_result res[NR_FEED_MODES];
	struct empty_bpf *empty;
	struct bench b = { 0 };
	struct tdxhp t;
	int old_stats;

	tdxhp_prog_name = "bench_bpf";
	if (!sc || (argc > 2 && !steps_only) || argc > 3) {
		tdxhp_err(sc ? "usage: bench_bpf [SCENARIO [--steps]]" :
			       "unknown scenario '%s'", scenario);
		return 2;
	}
	/* Simulation, so the stats table wants a storm window past the run. */
	o.storm_window_ns = 3600000000000ULL;
	if (tdxhp_open(&t, &o))
		return 1;
	empty = empty_bpf__open_and_load();
	if (!empty) {
		tdxhp_err("loading the empty program failed");
		return 1;
	}
	b.empty_fd = bpf_program__fd(empty->progs.empty);
	if (sim_feeder_init(&b.feed, &t))
		return 1;
	old_stats = read_sysctl(stats_path);
	if (write_sysctl(stats_path, 1)) {
		tdxhp_err("cannot enable %s (root?)", stats_path);
		return 1;
	}
	if (steps_only) {
		int err = bench_steps(sc, b.empty_fd, ROUNDS);

		write_sysctl(stats_path, old_stats >= 0 ? old_stats : 0);
		return err;
	}
	measure(&t, &b, sc, res);
	report(scenario, &b, res);
	if (b.batch.dropped || b.feed.failed)
		printf("events not run: %llu held events dropped, %llu runs failed\n",
		       (unsigned long long)b.batch.dropped,
		       (unsigned long long)b.feed.failed);
	cpu_batch_free(&b.batch);
	bench_seamcall(sc, b.empty_fd, ROUNDS);
	bench_steps(sc, b.empty_fd, ROUNDS);
	if (old_stats >= 0)
		write_sysctl(stats_path, old_stats);
	empty_bpf__destroy(empty);
	tdxhp_close(&t);

	report_memory(4096);
	return 0;
}
