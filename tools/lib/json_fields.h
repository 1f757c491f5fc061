/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The JSON fields every tdxhp output shares, written one way
 * (docs/vocabulary.md, "TDs in JSON"): the schema name, the two times,
 * the TD under one key, levels, drop counters.  Each output's shape is
 * documented by its JSON Schema, docs/schema/<name>.schema.json.
 */
#ifndef TDXHP_JSON_FIELDS_H
#define TDXHP_JSON_FIELDS_H

#include <stdbool.h>
#include <stdint.h>

#include "identity.h"
#include "json.h"
#include "tdxhp/abi.h"

/* "schema" of each output: its schema file's name, and its major version. */
#define TDXHP_SCHEMA_HIST "tdxhp-hist/1"
#define TDXHP_SCHEMA_HIST_DIFF "tdxhp-hist-diff/1"
#define TDXHP_SCHEMA_TRACE_EVENT "tdxhp-trace-event/1"
#define TDXHP_SCHEMA_TRACE_LOST "tdxhp-trace-lost/1"
#define TDXHP_SCHEMA_TRACE_SUMMARY "tdxhp-trace-summary/1"
#define TDXHP_SCHEMA_TRACE_INFO "tdxhp-trace-info/1"
#define TDXHP_SCHEMA_LOAD_STATUS "tdxhp-load-status/1"
#define TDXHP_SCHEMA_TOP "tdxhp-top/1"

/* Opens a record: {"schema": schema, "simulated": simulated, ... */
void tdxhp_json_record_start(struct tdxhp_json *w, const char *schema,
			     bool simulated);

/*
 * "ts_ns" (CLOCK_MONOTONIC, as the kernel sees it) and "time" (RFC 3339
 * UTC), the wall time being mono_ns + mono_to_real_ns: the offset now for
 * live data, the recording's own for a replay.
 */
void tdxhp_json_times(struct tdxhp_json *w, uint64_t mono_ns,
		      int64_t mono_to_real_ns);

/*
 * "td": {"name", "pid", "hkid", "uuid", "machine", "cgroup"}: what is
 * not known (docs/values.md: pid <= 0, hkid < 0, "" identities) is left
 * out, never faked.  id may be NULL.
 */
void tdxhp_json_td(struct tdxhp_json *w, const char *name, int64_t pid,
		   int64_t hkid, const struct tdxhp_identity *id);

/* A level value, "4K", "2M" or "1G". */
void tdxhp_json_kv_level(struct tdxhp_json *w, const char *name, int level);

/* {"4K": n, "2M": n, "1G": n} of per-level values, signed as measured. */
void tdxhp_json_kv_levels(struct tdxhp_json *w, const char *name,
			  const __s64 v[TDXHP_NR_LEVELS]);
void tdxhp_json_levels(struct tdxhp_json *w, const __s64 v[TDXHP_NR_LEVELS]);

/* "dropped": every host drop counter by name, zeros included. */
void tdxhp_json_dropped(struct tdxhp_json *w, const __u64 *host_counters);

#endif /* TDXHP_JSON_FIELDS_H */
