/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The tests' reference aggregator is tools/lib/aggregate.c fed what the
 * simulator emits: its raw tracepoint contexts, turned into events here.
 */
#ifndef TDXHP_TEST_REF_AGG_H
#define TDXHP_TEST_REF_AGG_H

#include "aggregate.h"

/* A raw tracepoint context (struct tdxhp_ctx_<event>) as an event. */
int test_agg_from_ctx(int type, const void *ctx, struct tdxhp_agg_event *e);

#endif /* TDXHP_TEST_REF_AGG_H */
