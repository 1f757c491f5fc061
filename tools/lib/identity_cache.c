// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "identity_cache.h"

struct id_entry {
	uint32_t gen;
	int32_t pid;
	bool valid;
	uint64_t first_ns; /* first resolution */
	uint64_t next_ns; /* when to look for what is missing */
	struct tdxhp_identity id;
};

struct tdxhp_identity_cache {
	unsigned int nr_slots;
	bool resolve;
	struct tdxhp_identity_root root;
	struct tdxhp_identity_index *index;
	struct id_entry e[];
};

struct tdxhp_identity_cache *
tdxhp_identity_cache_new(unsigned int nr_slots,
			 const struct tdxhp_identity_paths *paths, bool resolve)
{
	struct tdxhp_identity_cache *c;

	c = calloc(1, sizeof(*c) + nr_slots * sizeof(c->e[0]));
	if (!c)
		return NULL;
	c->index = tdxhp_identity_index_new();
	if (!c->index) {
		free(c);
		return NULL;
	}
	c->nr_slots = nr_slots;
	c->resolve = resolve;
	/* Own copies: the caller's strings need not outlive the cache. */
	tdxhp_identity_root_init(&c->root, NULL);
	if (paths) {
		if (paths->proc)
			snprintf(c->root.proc, sizeof(c->root.proc), "%s",
				 paths->proc);
		if (paths->libvirt_run)
			snprintf(c->root.libvirt_run,
				 sizeof(c->root.libvirt_run), "%s",
				 paths->libvirt_run);
		if (paths->machines)
			snprintf(c->root.machines, sizeof(c->root.machines),
				 "%s", paths->machines);
	}
	return c;
}

void tdxhp_identity_cache_free(struct tdxhp_identity_cache *c)
{
	if (c)
		tdxhp_identity_index_free(c->index);
	free(c);
}

static bool complete(const struct tdxhp_identity *id)
{
	return id->uuid[0] && id->machine[0] && id->cgroup[0];
}

/* Keep what an earlier try found if a later one cannot see it. */
static void merge(struct tdxhp_identity *dst, const struct tdxhp_identity *src)
{
	if (src->uuid[0])
		memcpy(dst->uuid, src->uuid, sizeof(dst->uuid));
	if (src->machine[0])
		memcpy(dst->machine, src->machine, sizeof(dst->machine));
	if (src->cgroup[0])
		memcpy(dst->cgroup, src->cgroup, sizeof(dst->cgroup));
}

void tdxhp_identity_cache_get(struct tdxhp_identity_cache *c, uint32_t slot,
			      uint32_t gen, int32_t pid, uint64_t now_ns,
			      struct tdxhp_identity *out)
{
	struct tdxhp_identity found;
	struct id_entry *e;

	memset(out, 0, sizeof(*out));
	if (!c || !c->resolve || pid <= 0)
		return;
	if (slot >= c->nr_slots) {
		tdxhp_identity_resolve_indexed(pid, &c->root.paths, c->index,
					       out);
		return;
	}
	e = &c->e[slot];
	if (!e->valid || e->gen != gen || e->pid != pid) {
		memset(e, 0, sizeof(*e));
		e->gen = gen;
		e->pid = pid;
		e->valid = true;
		e->first_ns = now_ns;
	} else if (complete(&e->id) || now_ns < e->next_ns ||
		   now_ns - e->first_ns > TDXHP_IDENTITY_PATIENCE_NS) {
		*out = e->id;
		return;
	}
	tdxhp_identity_resolve_indexed(pid, &c->root.paths, c->index, &found);
	merge(&e->id, &found);
	e->next_ns = now_ns + TDXHP_IDENTITY_RETRY_NS;
	*out = e->id;
}
