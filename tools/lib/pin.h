/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The pinned, shared instance under a pin directory (default
 * /sys/fs/bpf/tdxhp):
 *
 *   control            the owner's instance id; shared across versions
 *   <instance id>/     info, schema and every map; prog_<event> for the
 *                      simulator; link_<program> keeps each program attached
 *
 * Only the instance named by control counts events, so a takeover is one
 * store.  Objects of an instance whose takeover was interrupted are removed
 * by the next tdxhp-load.
 */
#ifndef TDXHP_PIN_H
#define TDXHP_PIN_H

#include <stdbool.h>
#include <stdint.h>

#include "loader.h"

bool tdxhp_pin_exists(const char *dir);

/*
 * Use the pinned instance: 0, -EPROTO for another layout (refused), or
 * -EAGAIN when simulate asks for a private copy beside a live instance.
 */
int tdxhp_pin_open(struct tdxhp *t, const char *dir, bool simulate);
void tdxhp_pin_close(struct tdxhp *t);

/* Read the owner's id from the pinned control map: 0, or a negative errno. */
int tdxhp_pin_owner(const char *dir, uint64_t *owner);

/* Pin a freshly loaded private instance under dir (control too if new). */
int tdxhp_pin_instance(struct tdxhp *t, const char *dir);

/* Remove one instance's pins; 0 or a negative errno. */
int tdxhp_unpin_instance(const char *dir, uint64_t id);

/* Remove every pin under dir, and dir; returns how many were removed. */
int tdxhp_unpin_all(const char *dir);

/* Take or drop the pinned instance's one-consumer stream lock. */
int tdxhp_stream_lock(struct tdxhp *t, bool take);

#endif /* TDXHP_PIN_H */
