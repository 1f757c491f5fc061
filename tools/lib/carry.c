// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <linux/membarrier.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "carry.h"
#include "layout.h"
#include "loader_int.h"
#include "pin.h"
#include "tdxhp.skel.h"
#include "util.h"

/* The instance being replaced, read through its own schema. */
struct old_instance {
	struct tdxhp_info info;
	struct tdxhp_schema_field schema[TDXHP_MAX_SCHEMA];
	unsigned int nr_schema;
	int meta_fd, stats_fd, host_fd;
	uint32_t meta_size, stats_size, host_size;
	bool stats_percpu;
	int nr_cpus;
};

static int open_old(struct tdxhp *t, const char *dir, uint64_t id,
		    struct old_instance *o)
{
	struct bpf_map_info mi;
	uint32_t len, key = 0;
	char path[320];
	int fd;

	memset(o, 0, sizeof(*o));
	o->meta_fd = o->stats_fd = o->host_fd = -1;
	o->nr_cpus = libbpf_num_possible_cpus();
#define OPEN(var, name)                                                        \
	do {                                                                   \
		snprintf(path, sizeof(path), "%s/%016llx/" name, dir,          \
			 (unsigned long long)id);                              \
		var = bpf_obj_get(path);                                       \
		if (var < 0)                                                   \
			return tdxhp_fail(t, -errno,                           \
					  "takeover: opening %s: %s", path,    \
					  strerror(errno));                    \
	} while (0)
	OPEN(fd, "info");
	if (bpf_map_lookup_elem(fd, &key, &o->info) ||
	    o->info.magic != TDXHP_INFO_MAGIC) {
		close(fd);
		return tdxhp_fail(t, -EPROTO, "takeover: the pinned instance %016llx has no readable info: remove it with tdxhp-load --unload",
				  (unsigned long long)id);
	}
	close(fd);
	OPEN(fd, "schema");
	o->nr_schema = o->info.nr_schema < TDXHP_MAX_SCHEMA ?
			       o->info.nr_schema : TDXHP_MAX_SCHEMA;
	for (uint32_t i = 0; i < o->nr_schema; i++)
		if (bpf_map_lookup_elem(fd, &i, &o->schema[i]))
			o->nr_schema = i;
	close(fd);
	OPEN(o->meta_fd, "td_meta");
	OPEN(o->stats_fd, "td_stats");
	OPEN(o->host_fd, "host_stats");
#undef OPEN
	len = sizeof(mi);
	memset(&mi, 0, sizeof(mi));
	bpf_obj_get_info_by_fd(o->meta_fd, &mi, &len);
	o->meta_size = mi.value_size;
	len = sizeof(mi);
	memset(&mi, 0, sizeof(mi));
	bpf_obj_get_info_by_fd(o->stats_fd, &mi, &len);
	o->stats_size = mi.value_size;
	o->stats_percpu = mi.type == BPF_MAP_TYPE_PERCPU_ARRAY;
	len = sizeof(mi);
	memset(&mi, 0, sizeof(mi));
	bpf_obj_get_info_by_fd(o->host_fd, &mi, &len);
	o->host_size = mi.value_size;
	return 0;
}

static void close_old(struct old_instance *o)
{
	if (o->meta_fd >= 0)
		close(o->meta_fd);
	if (o->stats_fd >= 0)
		close(o->stats_fd);
	if (o->host_fd >= 0)
		close(o->host_fd);
}

/* Bytes between a field's elements: its size unless it says a stride. */
static size_t stride_of(const struct tdxhp_schema_field *f)
{
	return (size_t)f->size *
	       (1 + ((f->flags & TDXHP_SCHEMA_STRIDE_MASK) >>
		     TDXHP_SCHEMA_STRIDE_SHIFT));
}

/* The last byte past a field's last element. */
static uint64_t end_of(const struct tdxhp_schema_field *f)
{
	return f->count ? f->offset + stride_of(f) * (f->count - 1) + f->size :
			  f->offset;
}

static uint64_t get_elem(const void *p, const struct tdxhp_schema_field *f,
			 uint32_t i)
{
	const char *at = (const char *)p + f->offset + (size_t)i * stride_of(f);

	if (f->size == 8)
		return *(const uint64_t *)at;
	if (f->flags & TDXHP_SCHEMA_SIGNED)
		return (uint64_t)(int64_t)*(const int32_t *)at;
	return *(const uint32_t *)at;
}

static void put_elem(void *p, const struct tdxhp_schema_field *f, uint32_t i,
		     uint64_t v)
{
	char *at = (char *)p + f->offset + (size_t)i * stride_of(f);

	if (f->size == 8)
		*(uint64_t *)at = v;
	else
		*(uint32_t *)at = (uint32_t)v;
}

/* Copy every field ours and theirs share by name; the rest stays 0. */
static void convert(const struct old_instance *o, uint32_t map,
		    const void *src, uint32_t src_size, void *dst)
{
	const struct tdxhp_schema_field *ours;
	unsigned int n = tdxhp_schema(&ours);

	for (unsigned int i = 0; i < n; i++) {
		const struct tdxhp_schema_field *f = &ours[i], *of;
		uint32_t cnt;

		if (f->map != map)
			continue;
		of = tdxhp_schema_find(o->schema, o->nr_schema, map, f->name);
		if (!of || end_of(of) > src_size)
			continue;
		cnt = f->count < of->count ? f->count : of->count;
		for (uint32_t e = 0; e < cnt; e++)
			put_elem(dst, f, e, get_elem(src, of, e));
	}
}

/* Sum an old value over its CPUs or shards into one, field by field. */
static void add_into(const struct old_instance *o, uint32_t map, void *acc,
		     const void *v, uint32_t size)
{
	for (unsigned int i = 0; i < o->nr_schema; i++) {
		const struct tdxhp_schema_field *f = &o->schema[i];

		if (f->map != map || end_of(f) > size)
			continue;
		for (uint32_t e = 0; e < f->count; e++)
			put_elem(acc, f, e, get_elem(acc, f, e) + get_elem(v, f, e));
	}
}

/* The old stats of a slot (or the retired entry), summed, as one shard of ours. */
static int read_old_stats(const struct old_instance *o, uint32_t slot,
			  struct tdxhp_td_shard *out)
{
	size_t stride = (o->stats_size + 7) & ~7U;
	unsigned int n = o->stats_percpu ? (unsigned int)o->nr_cpus :
					   o->info.nr_shards;
	char *buf = calloc(n, stride), *acc = calloc(1, stride);
	int err = 0;

	if (!buf || !acc) {
		err = -ENOMEM;
		goto out;
	}
	if (o->stats_percpu) {
		if (bpf_map_lookup_elem(o->stats_fd, &slot, buf))
			err = -errno;
	} else {
		for (unsigned int i = 0; i < n && !err; i++) {
			uint32_t key = slot * o->info.nr_shards + i;

			if (bpf_map_lookup_elem(o->stats_fd, &key, buf + i * stride))
				err = -errno;
		}
	}
	for (unsigned int i = 0; i < n && !err; i++)
		add_into(o, TDXHP_SCHEMA_TD_STATS, acc, buf + i * stride,
			 o->stats_size);
	memset(out, 0, sizeof(*out));
	if (!err)
		convert(o, TDXHP_SCHEMA_TD_STATS, acc, o->stats_size, out);
out:
	free(buf);
	free(acc);
	return err;
}

static int run_carry(struct tdxhp *t, const struct tdxhp_ctx_carry *c,
		     const struct tdxhp_td_shard *td,
		     const struct tdxhp_host_stats *host)
{
	/* the new instance's own .data, mapped by its skeleton */
	struct tdxhp_carry_stage *stage = &t->skel->data->carry_stage;
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = c,
		    .ctx_size_in = sizeof(*c));

	memset(stage, 0, sizeof(*stage));
	if (td)
		stage->td = *td;
	if (host)
		stage->host = *host;
	if (bpf_prog_test_run_opts(t->carry_fd, &opts))
		return -errno;
	return (int)opts.retval;
}

static bool torn_down_late(const struct tdxhp *t, uint64_t kvm)
{
	const struct tdxhp_bpf__bss *bss = t->bss;

	for (int i = 0; i < TDXHP_LATE_TEARDOWNS; i++)
		if (bss->late_teardown[i] == kvm)
			return true;
	return false;
}

/* Wait until no program can still be counting into the old maps. */
static bool grace_period(void)
{
	/* BPF tracing programs run under RCU: this is synchronize_rcu(). */
	if (syscall(__NR_membarrier, MEMBARRIER_CMD_GLOBAL, 0, 0) == 0)
		return false;
	usleep(200 * 1000);
	return true;
}

static void note_fields(const struct old_instance *o,
			struct tdxhp_carry_report *rep)
{
	const struct tdxhp_schema_field *ours;
	unsigned int n = tdxhp_schema(&ours);
	size_t a = 0, b = 0;

	for (unsigned int i = 0; i < n; i++)
		if (!tdxhp_schema_find(o->schema, o->nr_schema, ours[i].map,
				       ours[i].name)) {
			rep->fields_new++;
			if (a < sizeof(rep->new_names) - 48)
				a += (size_t)snprintf(rep->new_names + a,
						      sizeof(rep->new_names) - a,
						      "%s%.40s", a ? ", " : "",
						      ours[i].name);
		}
	for (unsigned int i = 0; i < o->nr_schema; i++)
		if (!tdxhp_schema_find(ours, n, o->schema[i].map,
				       o->schema[i].name)) {
			rep->fields_dropped++;
			if (b < sizeof(rep->dropped_names) - 48)
				b += (size_t)snprintf(rep->dropped_names + b,
						      sizeof(rep->dropped_names) - b,
						      "%s%.40s", b ? ", " : "",
						      o->schema[i].name);
		}
}

static int carry_all(struct tdxhp *t, struct old_instance *o,
		     struct tdxhp_carry_report *rep)
{
	size_t msize = (o->meta_size + 7) & ~7U;
	char *mbuf = calloc(1, msize < sizeof(struct tdxhp_td_meta) ?
				       sizeof(struct tdxhp_td_meta) : msize);
	struct tdxhp_td_shard st;
	int err = 0;

	if (!mbuf)
		return -ENOMEM;
	for (uint32_t slot = 0; slot < o->info.nr_slots && !err; slot++) {
		struct tdxhp_td_meta m = { 0 };
		struct tdxhp_ctx_carry c = { .kind = TDXHP_CARRY_TD };

		if (bpf_map_lookup_elem(o->meta_fd, &slot, mbuf))
			continue;
		convert(o, TDXHP_SCHEMA_TD_META, mbuf, o->meta_size, &m);
		if (!m.kvm)
			continue;
		err = read_old_stats(o, slot, &st);
		if (err)
			break;
		c.kvm = m.kvm;
		c.first_seen_ns = m.first_seen_ns;
		c.last_storm_ns = m.last_storm_ns;
		c.flags = m.flags;
		c.pid = (uint64_t)(int64_t)m.pid;
		c.hkid = (uint64_t)(int64_t)m.hkid;
		if (torn_down_late(t, m.kvm)) {
			c.kind = TDXHP_CARRY_RETIRED;
			rep->retired_late++;
		}
		err = run_carry(t, &c, &st, NULL);
		if (err == 2) {
			rep->lost_tds++;
			err = 0;
		} else if (!err && c.kind == TDXHP_CARRY_TD) {
			rep->tds++;
		}
	}
	if (!err)
		err = read_old_stats(o, o->info.nr_slots, &st);
	if (!err) {
		struct tdxhp_ctx_carry c = { .kind = TDXHP_CARRY_RETIRED };

		err = run_carry(t, &c, &st, NULL);
	}
	free(mbuf);
	return err;
}

static int carry_host(struct tdxhp *t, struct old_instance *o)
{
	size_t stride = (o->host_size + 7) & ~7U;
	char *buf = calloc((size_t)o->nr_cpus, stride), *acc = calloc(1, stride);
	struct tdxhp_ctx_carry c = { .kind = TDXHP_CARRY_HOST };
	struct tdxhp_host_stats h = { 0 };
	uint32_t key = 0;
	int err = 0;

	if (!buf || !acc) {
		err = -ENOMEM;
		goto out;
	}
	if (bpf_map_lookup_elem(o->host_fd, &key, buf)) {
		err = -errno;
		goto out;
	}
	for (int i = 0; i < o->nr_cpus; i++)
		add_into(o, TDXHP_SCHEMA_HOST_STATS, acc, buf + i * stride,
			 o->host_size);
	convert(o, TDXHP_SCHEMA_HOST_STATS, acc, o->host_size, &h);
	err = run_carry(t, &c, NULL, &h);
out:
	free(buf);
	free(acc);
	return err;
}

int tdxhp_takeover(struct tdxhp *t, const char *dir, uint64_t old_id,
		   struct tdxhp_carry_report *rep)
{
	struct old_instance o;
	int err;

	memset(rep, 0, sizeof(*rep));
	err = open_old(t, dir, old_id, &o);
	if (err)
		goto out;
	note_fields(&o, rep);
	err = tdxhp_set_owner(t, t->info.instance_id);
	if (err)
		goto out;
	rep->grace_slept = grace_period();
	err = carry_all(t, &o, rep);
	if (!err)
		err = carry_host(t, &o);
	if (err)
		err = tdxhp_fail(t, err, "takeover: carrying state: %s (the new instance counts from now; the old maps stay pinned under %s/%016llx)",
				 strerror(-err), dir, (unsigned long long)old_id);
out:
	close_old(&o);
	return err;
}
