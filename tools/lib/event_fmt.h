/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* One event (struct tdxhp_rec_event) as a line for people, JSON or CSV. */
#ifndef TDXHP_EVENT_FMT_H
#define TDXHP_EVENT_FMT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "identity.h"
#include "json.h"
#include "record.h"

/* Column headings matching tdxhp_event_text(). */
void tdxhp_event_text_header(FILE *f);

/*
 * mono_to_real_ns turns the record's CLOCK_MONOTONIC time into wall time;
 * td is the TD's name.
 */
void tdxhp_event_text(FILE *f, const struct tdxhp_rec_event *r, const char *td,
		      int64_t mono_to_real_ns);
/* One line of docs/schema/tdxhp-trace-event.schema.json; id may be NULL. */
void tdxhp_event_json(struct tdxhp_json *w, const struct tdxhp_rec_event *r,
		      const char *td, const struct tdxhp_identity *id,
		      int64_t mono_to_real_ns, bool simulated);

/* The operation's duration in ns (0 when the event has none). */
uint64_t tdxhp_event_latency_ns(const struct tdxhp_rec_event *r);

/* True for a failed operation (TDX status or split errno). */
int tdxhp_event_failed(const struct tdxhp_rec_event *r);

/* CSV for pandas and R: a header row, then one row per event. */
void tdxhp_event_csv_header(FILE *f);
void tdxhp_event_csv(FILE *f, const struct tdxhp_rec_event *r, const char *td,
		     int64_t mono_to_real_ns, bool simulated);

/* Wall clock offset now: CLOCK_REALTIME - CLOCK_MONOTONIC in ns. */
int64_t tdxhp_mono_to_real_ns(void);

#endif /* TDXHP_EVENT_FMT_H */
