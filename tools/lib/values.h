/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * One rule for odd values in every tool (docs/values.md):
 *  - a gauge (mapped pages, bytes) is shown as measured, signed, never
 *    clamped: a partial TD's gauges count from first sight and go below
 *    zero when it unmaps what was mapped before; the TD is marked partial;
 *  - huge-page coverage is unknown when nothing is mapped or a gauge is
 *    negative (a ratio of such deltas means nothing);
 *  - an unknown pid (<= 0) or hkid (< 0) is "-" in text, left out of
 *    the JSON "td" object (json_fields.h) and "unknown" as a Prometheus
 *    label; an unknown coverage is "-", null in JSON and has no sample.
 */
#ifndef TDXHP_VALUES_H
#define TDXHP_VALUES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tdxhp/abi.h"

#define TDXHP_UNKNOWN_TEXT "-"
#define TDXHP_UNKNOWN_LABEL "unknown"

static inline bool tdxhp_pid_known(int64_t pid)
{
	return pid > 0;
}

static inline bool tdxhp_hkid_known(int64_t hkid)
{
	return hkid >= 0;
}

/* The number, or "-" if !known; returns buf. */
const char *tdxhp_id_text(int64_t v, bool known, char *buf, size_t len);

/* Leaves mapped at level (1..3) as measured, possibly negative. */
int64_t tdxhp_gauge_pages(const struct tdxhp_td_stats *s, int level);
/* Bytes mapped at level, as measured. */
int64_t tdxhp_gauge_bytes_at(const struct tdxhp_td_stats *s, int level);
int64_t tdxhp_gauge_bytes(const struct tdxhp_td_stats *s);

/* Share of bytes in 2M/1G from signed byte gauges: 0..1, or -1 unknown. */
double tdxhp_coverage_of(int64_t b4k, int64_t b2m, int64_t b1g);

/* Signed bytes the way tdxhp_format_bytes() shows them: "-1.5M". */
void tdxhp_format_signed_bytes(int64_t bytes, char *buf, size_t len);

#endif /* TDXHP_VALUES_H */
