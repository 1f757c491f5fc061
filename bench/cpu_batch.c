// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cpu_batch.h"

int cpu_batch_emit(void *arg, int type, const void *ctx, size_t size,
		   unsigned int cpu)
{
	struct cpu_batch *b = arg;
	struct cpu_batch_event *e;

	if (size > sizeof(e->ctx)) {
		b->dropped++;
		return -E2BIG;
	}
	if (b->n == b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 4096;
		void *p = realloc(b->ev, cap * sizeof(*b->ev));

		if (!p) {
			b->dropped++;
			return -ENOMEM;
		}
		b->ev = p;
		b->cap = cap;
	}
	e = &b->ev[b->n++];
	e->type = type;
	e->cpu = cpu;
	e->size = (uint32_t)size;
	memcpy(e->ctx, ctx, size);
	return 0;
}

void cpu_batch_flush(struct cpu_batch *b, unsigned int nr_cpus,
		     cpu_batch_run_fn run, void *arg)
{
	for (unsigned int cpu = 0; cpu < nr_cpus; cpu++)
		for (size_t i = 0; i < b->n; i++)
			if (b->ev[i].cpu % nr_cpus == cpu)
				run(arg, &b->ev[i]);
	b->n = 0;
}

void cpu_batch_free(struct cpu_batch *b)
{
	free(b->ev);
	memset(b, 0, sizeof(*b));
}
