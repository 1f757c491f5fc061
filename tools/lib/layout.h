/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The layout of the shared maps, by field name (the schema), and its hash.
 * A pinned instance stores both: a tool built for another layout refuses to
 * read it, and a newer tdxhp-load carries state over field by field.
 */
#ifndef TDXHP_LAYOUT_H
#define TDXHP_LAYOUT_H

#include <stdint.h>

#include "tdxhp/abi.h"

/* This build's schema (fields may be NULL); returns the number of fields. */
unsigned int tdxhp_schema(const struct tdxhp_schema_field **fields);

/* This build's layout hash: the schema and every shared struct's size. */
uint64_t tdxhp_layout_hash(void);

/* The field of a schema by map and name, or NULL. */
const struct tdxhp_schema_field *
tdxhp_schema_find(const struct tdxhp_schema_field *f, unsigned int n,
		  uint32_t map, const char *name);

#endif /* TDXHP_LAYOUT_H */
