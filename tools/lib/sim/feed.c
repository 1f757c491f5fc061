// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <string.h>

#include <bpf/bpf.h>

#include "feed.h"

int sim_feeder_init(struct sim_feeder *f, const struct tdxhp *t)
{
	memset(f, 0, sizeof(*f));
	f->pinned = -1;
	for (int ev = 0; ev < TDXHP_NR_EVENTS; ev++)
		f->prog_fd[ev] = tdxhp_prog_fd(t, ev);
	if (sched_getaffinity(0, sizeof(f->saved), &f->saved))
		return -errno;
	for (int cpu = 0; cpu < CPU_SETSIZE; cpu++)
		if (CPU_ISSET(cpu, &f->saved) && cpu < t->nr_cpus)
			f->cpus[f->nr_cpus++] = cpu;
	return f->nr_cpus ? 0 : -ENODEV;
}

void sim_feeder_fini(struct sim_feeder *f)
{
	if (f->pinned >= 0)
		sched_setaffinity(0, sizeof(f->saved), &f->saved);
	f->pinned = -1;
}

/*
 * Pin to the target CPU so the run is local; BPF_F_TEST_RUN_ON_CPU alone
 * would work too but costs an IPI per event.
 */
void sim_feeder_pin(struct sim_feeder *f, int cpu)
{
	cpu_set_t set;

	if (f->pinned == cpu)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (!sched_setaffinity(0, sizeof(set), &set))
		f->pinned = cpu;
}

int sim_feeder_emit(void *arg, int type, const void *ctx, size_t size,
		    unsigned int cpu)
{
	struct sim_feeder *f = arg;
	int target = sim_feeder_cpu(f, cpu);
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = ctx,
		    .ctx_size_in = (__u32)size, .flags = BPF_F_TEST_RUN_ON_CPU,
		    .cpu = (__u32)target);
	int err;

	if (type < 0 || type >= TDXHP_NR_EVENTS)
		return -EINVAL;
	sim_feeder_pin(f, target);
	err = bpf_prog_test_run_opts(f->prog_fd[type], &opts);
	if (err) {
		f->failed++;
		f->last_err = -errno;
		return err;
	}
	f->fed++;
	return 0;
}
