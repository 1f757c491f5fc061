// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "json_fields.h"
#include "stats.h"
#include "tdx_names.h"
#include "values.h"

void tdxhp_json_record_start(struct tdxhp_json *w, const char *schema,
			     bool simulated)
{
	tdxhp_json_object_start(w);
	tdxhp_json_kv_string(w, "schema", schema);
	tdxhp_json_kv_bool(w, "simulated", simulated);
}

void tdxhp_json_times(struct tdxhp_json *w, uint64_t mono_ns,
		      int64_t mono_to_real_ns)
{
	tdxhp_json_kv_u64(w, "ts_ns", mono_ns);
	tdxhp_json_kv_wall_time(w, "time",
				(uint64_t)((int64_t)mono_ns + mono_to_real_ns));
}

void tdxhp_json_td(struct tdxhp_json *w, const char *name, int64_t pid,
		   int64_t hkid, const struct tdxhp_identity *id)
{
	tdxhp_json_name(w, "td");
	tdxhp_json_object_start(w);
	tdxhp_json_kv_string(w, "name", name ? name : "");
	if (tdxhp_pid_known(pid))
		tdxhp_json_kv_s64(w, "pid", pid);
	if (tdxhp_hkid_known(hkid))
		tdxhp_json_kv_s64(w, "hkid", hkid);
	if (id && id->uuid[0])
		tdxhp_json_kv_string(w, "uuid", id->uuid);
	if (id && id->machine[0])
		tdxhp_json_kv_string(w, "machine", id->machine);
	if (id && id->cgroup[0])
		tdxhp_json_kv_string(w, "cgroup", id->cgroup);
	tdxhp_json_object_end(w);
}

void tdxhp_json_kv_level(struct tdxhp_json *w, const char *name, int level)
{
	char buf[8];

	tdxhp_json_kv_string(w, name, tdxhp_level_name(level, buf));
}

void tdxhp_json_kv_levels(struct tdxhp_json *w, const char *name,
			  const __s64 v[TDXHP_NR_LEVELS])
{
	tdxhp_json_name(w, name);
	tdxhp_json_levels(w, v);
}

void tdxhp_json_levels(struct tdxhp_json *w, const __s64 v[TDXHP_NR_LEVELS])
{
	char buf[8];

	tdxhp_json_object_start(w);
	for (int level = TDXHP_LEVEL_4K; level <= TDXHP_LEVEL_1G; level++)
		tdxhp_json_kv_s64(w, tdxhp_level_name(level, buf),
				  v[level - 1]);
	tdxhp_json_object_end(w);
}

void tdxhp_json_dropped(struct tdxhp_json *w, const __u64 *host_counters)
{
	tdxhp_json_name(w, "dropped");
	tdxhp_json_object_start(w);
	for (int i = 0; i < TDXHP_NR_HOST_COUNTERS; i++)
		tdxhp_json_kv_u64(w, tdxhp_host_counter_name(i),
				  host_counters[i]);
	tdxhp_json_object_end(w);
}
