// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <time.h>

#include "escape.h"
#include "event_fmt.h"
#include "json_fields.h"
#include "stats.h"
#include "tdx_names.h"
#include "util.h"
#include "values.h"

int64_t tdxhp_mono_to_real_ns(void)
{
	struct timespec m, r;

	clock_gettime(CLOCK_MONOTONIC, &m);
	clock_gettime(CLOCK_REALTIME, &r);
	return ((int64_t)r.tv_sec - m.tv_sec) * 1000000000LL +
	       (r.tv_nsec - m.tv_nsec);
}

uint64_t tdxhp_event_latency_ns(const struct tdxhp_rec_event *r)
{
	return r->duration_ns;
}

int tdxhp_event_failed(const struct tdxhp_rec_event *r)
{
	return r->status != 0 || r->ret != 0;
}

static void wall_time(char *buf, size_t len, uint64_t mono_ns, int64_t off)
{
	int64_t real = (int64_t)mono_ns + off;
	time_t sec = (time_t)(real / 1000000000LL);
	struct tm tm;
	size_t n;

	localtime_r(&sec, &tm);
	n = strftime(buf, len, "%H:%M:%S", &tm);
	snprintf(buf + n, len - n, ".%06lld",
		 (long long)(real % 1000000000LL) / 1000);
}

void tdxhp_event_text_header(FILE *f)
{
	fprintf(f, "%-15s %3s %-16s %-19s %-18s %-5s %8s  %s\n", "TIME", "CPU",
		"TD", "EVENT", "GFN", "LEVEL", "LATENCY", "DETAILS");
}

void tdxhp_event_text(FILE *f, const struct tdxhp_rec_event *r, const char *td,
		      int64_t off)
{
	char when[32], gfn[40], lat[16], lvl[8], lbuf[8], gbuf[8], tmp[64];
	char b[16], t[16], d[16];

	wall_time(when, sizeof(when), r->ts_ns, off);
	tdxhp_format_ns(lat, sizeof(lat), (double)r->duration_ns);
	snprintf(gfn, sizeof(gfn), "0x%llx", (unsigned long long)r->gfn);
	snprintf(lvl, sizeof(lvl), "%s", tdxhp_level_name(r->level, lbuf));
	switch (r->type) {
	case TDXHP_EV_TD_INIT:
	case TDXHP_EV_TD_TEARDOWN:
		snprintf(gfn, sizeof(gfn), "-");
		snprintf(lvl, sizeof(lvl), "-");
		break;
	case TDXHP_EV_BOUNDARY_SPLIT:
		snprintf(gfn, sizeof(gfn), "0x%llx-0x%llx",
			 (unsigned long long)r->gfn,
			 (unsigned long long)r->gfn_end);
		snprintf(lvl, sizeof(lvl), "-");
		break;
	case TDXHP_EV_FAULT_SPLIT_IGNORED:
		snprintf(lvl, sizeof(lvl), "%s>%s",
			 tdxhp_level_name(r->level, lbuf),
			 tdxhp_level_name(r->goal_level, gbuf));
		break;
	}
	fprintf(f, "%-15s %3u %-16.16s %-19s %-18s %-5s %8s ", when, r->cpu,
		td, tdxhp_event_name((int)r->type), gfn, lvl, lat);
	switch (r->type) {
	case TDXHP_EV_TD_INIT:
		fprintf(f, " pid %s", tdxhp_id_text(r->pid,
						    tdxhp_pid_known(r->pid),
						    tmp, sizeof(tmp)));
		fprintf(f, " hkid %s", tdxhp_id_text(r->hkid,
						     tdxhp_hkid_known(r->hkid),
						     tmp, sizeof(tmp)));
		break;
	case TDXHP_EV_PAGE_DEMOTE:
		tdxhp_format_ns(b, sizeof(b), (double)r->block_ns);
		tdxhp_format_ns(t, sizeof(t), (double)r->track_ns);
		tdxhp_format_ns(d, sizeof(d), (double)r->demote_ns);
		fprintf(f, " block %s track %s demote %s busy-retries %u", b, t,
			d, r->busy_retries);
		break;
	case TDXHP_EV_BOUNDARY_SPLIT:
		fprintf(f, " %s leaves %u",
			tdxhp_split_reason_name(r->reason, tmp), r->nr_split);
		if (r->ret)
			fprintf(f, " ret %d", r->ret);
		break;
	case TDXHP_EV_FAULT_SPLIT_IGNORED:
		fprintf(f, " vcpu %d%s", r->vcpu_id,
			r->flags & TDXHP_REC_STORM ? " STORM" : "");
		break;
	case TDXHP_EV_SEAMCALL_BUSY:
		tdxhp_seamcall_name(r->seamcall, tmp, sizeof(tmp));
		fprintf(f, " %s", tmp);
		break;
	}
	if (r->status) {
		tdxhp_tdx_status_name(r->status, tmp, sizeof(tmp));
		fprintf(f, " err %s", tmp);
	}
	fputc('\n', f);
}

void tdxhp_event_json(struct tdxhp_json *w, const struct tdxhp_rec_event *r,
		      const char *td, const struct tdxhp_identity *id,
		      int64_t off, bool simulated)
{
	char tmp[64];

	tdxhp_json_record_start(w, TDXHP_SCHEMA_TRACE_EVENT, simulated);
	tdxhp_json_times(w, r->ts_ns, off);
	tdxhp_json_kv_u64(w, "cpu", r->cpu);
	tdxhp_json_td(w, td, r->pid, r->hkid, id);
	tdxhp_json_kv_string(w, "event", tdxhp_event_name((int)r->type));
	switch (r->type) {
	case TDXHP_EV_TD_INIT:
	case TDXHP_EV_TD_TEARDOWN:
		break;
	case TDXHP_EV_BOUNDARY_SPLIT:
		tdxhp_json_kv_u64(w, "start_gfn", r->gfn);
		tdxhp_json_kv_u64(w, "end_gfn", r->gfn_end);
		tdxhp_json_kv_string(w, "reason",
				     tdxhp_split_reason_name(r->reason, tmp));
		tdxhp_json_kv_u64(w, "nr_split", r->nr_split);
		tdxhp_json_kv_s64(w, "ret", r->ret);
		tdxhp_json_kv_u64(w, "duration_ns", r->duration_ns);
		break;
	case TDXHP_EV_FAULT_SPLIT_IGNORED:
		tdxhp_json_kv_u64(w, "gfn", r->gfn);
		tdxhp_json_kv_level(w, "level", r->level);
		tdxhp_json_kv_level(w, "goal_level", r->goal_level);
		tdxhp_json_kv_s64(w, "vcpu", r->vcpu_id);
		tdxhp_json_kv_bool(w, "storm", r->flags & TDXHP_REC_STORM);
		break;
	case TDXHP_EV_SEAMCALL_BUSY:
		tdxhp_seamcall_name(r->seamcall, tmp, sizeof(tmp));
		tdxhp_json_kv_u64(w, "gfn", r->gfn);
		tdxhp_json_kv_level(w, "level", r->level);
		tdxhp_json_kv_string(w, "seamcall", tmp);
		tdxhp_json_kv_hex(w, "seamcall_leaf", r->seamcall);
		break;
	default:
		tdxhp_json_kv_u64(w, "gfn", r->gfn);
		tdxhp_json_kv_level(w, "level", r->level);
		tdxhp_json_kv_u64(w, "duration_ns", r->duration_ns);
		if (r->type != TDXHP_EV_PAGE_DEMOTE)
			break;
		tdxhp_json_kv_u64(w, "block_ns", r->block_ns);
		tdxhp_json_kv_u64(w, "track_ns", r->track_ns);
		tdxhp_json_kv_u64(w, "demote_ns", r->demote_ns);
		tdxhp_json_kv_u64(w, "busy_retries", r->busy_retries);
	}
	if (r->status) {
		tdxhp_tdx_status_name(r->status, tmp, sizeof(tmp));
		tdxhp_json_kv_string(w, "err", tmp);
		tdxhp_json_kv_hex(w, "err_code", r->status);
	}
	tdxhp_json_object_end(w);
	tdxhp_json_line_end(w);
}

void tdxhp_event_csv_header(FILE *f)
{
	fputs("ts_ns,time_utc,cpu,td,pid,hkid,event,gfn,gfn_end,level,goal_level,"
	      "duration_ns,block_ns,track_ns,demote_ns,busy_retries,nr_split,"
	      "status,ret,reason,seamcall,vcpu,storm,simulated\n", f);
}

void tdxhp_event_csv(FILE *f, const struct tdxhp_rec_event *r, const char *td,
		     int64_t off, bool simulated)
{
	int64_t real = (int64_t)r->ts_ns + off;
	time_t sec = (time_t)(real / 1000000000LL);
	char when[48], reason[32], seamcall[64];
	struct tm tm;
	size_t n;

	gmtime_r(&sec, &tm);
	n = strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(when + n, sizeof(when) - n, ".%09lldZ",
		 (long long)(real % 1000000000LL));
	fprintf(f, "%llu,%s,%u,", (unsigned long long)r->ts_ns, when, r->cpu);
	tdxhp_csv_str(f, td);
	reason[0] = seamcall[0] = '\0';
	if (r->type == TDXHP_EV_BOUNDARY_SPLIT)
		tdxhp_split_reason_name(r->reason, reason);
	if (r->type == TDXHP_EV_SEAMCALL_BUSY)
		tdxhp_seamcall_name(r->seamcall, seamcall, sizeof(seamcall));
	fprintf(f, ",%d,%d,%s,%llu,%llu,%d,%d,%llu,%llu,%llu,%llu,%u,%u,%llu,%d,%s,%s,%d,%d,%d\n",
		r->pid, r->hkid, tdxhp_event_name((int)r->type),
		(unsigned long long)r->gfn, (unsigned long long)r->gfn_end,
		r->level, r->goal_level, (unsigned long long)r->duration_ns,
		(unsigned long long)r->block_ns, (unsigned long long)r->track_ns,
		(unsigned long long)r->demote_ns, r->busy_retries, r->nr_split,
		(unsigned long long)r->status, r->ret, reason, seamcall,
		r->vcpu_id, r->flags & TDXHP_REC_STORM ? 1 : 0, simulated);
}
