/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* What to do next about a TD: the tdxhp-trace command, the runbook. */
#ifndef TDXHP_TOP_NEXT_H
#define TDXHP_TOP_NEXT_H

#include "state.h"

/*
 * The tdxhp-trace that reads what this tdxhp-top reads (s->trace_cmd),
 * once the source is open.
 */
void top_next_init(struct top_state *s, const struct top_config *c);

#endif /* TDXHP_TOP_NEXT_H */
