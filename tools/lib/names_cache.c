// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "names_cache.h"

struct name_entry {
	uint32_t gen;
	int32_t pid;
	bool valid;
	char name[TDXHP_NAME_LEN];
};

struct tdxhp_name_cache {
	unsigned int nr_slots;
	struct name_entry e[];
};

struct tdxhp_name_cache *tdxhp_name_cache_new(unsigned int nr_slots)
{
	struct tdxhp_name_cache *c;

	c = calloc(1, sizeof(*c) + nr_slots * sizeof(c->e[0]));
	if (c)
		c->nr_slots = nr_slots;
	return c;
}

void tdxhp_name_cache_free(struct tdxhp_name_cache *c)
{
	free(c);
}

const char *tdxhp_name_cache_get(struct tdxhp_name_cache *c, uint32_t slot,
				 uint32_t gen, int32_t pid)
{
	struct name_entry *e;

	if (!c || slot >= c->nr_slots)
		return NULL;
	e = &c->e[slot];
	return e->valid && e->gen == gen && e->pid == pid ? e->name : NULL;
}

void tdxhp_name_cache_put(struct tdxhp_name_cache *c, uint32_t slot,
			  uint32_t gen, int32_t pid, const char *name)
{
	struct name_entry *e;

	if (!c || slot >= c->nr_slots)
		return;
	e = &c->e[slot];
	e->gen = gen;
	e->pid = pid;
	e->valid = true;
	snprintf(e->name, sizeof(e->name), "%s", name);
}
