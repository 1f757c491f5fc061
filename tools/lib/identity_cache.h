/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * TD identities resolved once per TD (slot and generation), like names.
 * A TD seen the moment it starts may not be known to libvirt yet: what is
 * missing is looked for again, every few seconds, for its first minute.
 */
#ifndef TDXHP_IDENTITY_CACHE_H
#define TDXHP_IDENTITY_CACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "identity.h"

#define TDXHP_IDENTITY_RETRY_NS 2000000000ULL /* 2 s between tries */
#define TDXHP_IDENTITY_PATIENCE_NS 60000000000ULL /* then settle */

struct tdxhp_identity_cache;

/*
 * Resolve under paths (see struct tdxhp_identity_root); with resolve
 * false every identity is "" (a simulation without a fake tree: its pids
 * are made up and must not be looked up on this host).
 */
struct tdxhp_identity_cache *
tdxhp_identity_cache_new(unsigned int nr_slots,
			 const struct tdxhp_identity_paths *paths,
			 bool resolve);
void tdxhp_identity_cache_free(struct tdxhp_identity_cache *c);

/* The identity of (slot, gen, pid) at CLOCK_MONOTONIC now_ns. */
void tdxhp_identity_cache_get(struct tdxhp_identity_cache *c, uint32_t slot,
			      uint32_t gen, int32_t pid, uint64_t now_ns,
			      struct tdxhp_identity *out);


#endif /* TDXHP_IDENTITY_CACHE_H */
