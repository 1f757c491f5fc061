/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* TD names resolved once per TD (slot and generation), not every refresh. */
#ifndef TDXHP_NAMES_CACHE_H
#define TDXHP_NAMES_CACHE_H

#include <stdint.h>

#define TDXHP_NAME_LEN 64

struct tdxhp_name_cache;

struct tdxhp_name_cache *tdxhp_name_cache_new(unsigned int nr_slots);
void tdxhp_name_cache_free(struct tdxhp_name_cache *c);

/* The cached name of (slot, gen, pid), or NULL if it must be resolved. */
const char *tdxhp_name_cache_get(struct tdxhp_name_cache *c, uint32_t slot,
				 uint32_t gen, int32_t pid);
void tdxhp_name_cache_put(struct tdxhp_name_cache *c, uint32_t slot,
			  uint32_t gen, int32_t pid, const char *name);

#endif /* TDXHP_NAMES_CACHE_H */
