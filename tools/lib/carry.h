/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Takeover: a freshly loaded instance replaces the pinned one without
 * turning running TDs partial.  The new one is attached but idle; one store
 * to the shared control map makes it the owner, a grace period lets the old
 * programs finish, then every TD, the retired totals and the host counters
 * of the old maps are added into the new ones, field by field by name.
 */
#ifndef TDXHP_CARRY_H
#define TDXHP_CARRY_H

#include <stdint.h>

#include "loader.h"

struct tdxhp_carry_report {
	unsigned int tds;		/* carried as live TDs */
	unsigned int retired_late;	/* torn down during the takeover */
	unsigned int lost_tds;		/* no slot for them: table full */
	unsigned int fields_new;	/* ours, not in the old layout: from 0 */
	unsigned int fields_dropped;	/* theirs, not in ours */
	char new_names[512];		/* the first few of each, for people */
	char dropped_names[512];
	bool grace_slept;		/* membarrier unavailable: slept instead */
};

/* Take over from instance old_id under dir; t was loaded with its control. */
int tdxhp_takeover(struct tdxhp *t, const char *dir, uint64_t old_id,
		   struct tdxhp_carry_report *rep);

#endif /* TDXHP_CARRY_H */
