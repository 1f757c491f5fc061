// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "layout.h"
#include "loader.h"
#include "loader_int.h"
#include "identity_cache.h"
#include "names_cache.h"
#include "pin.h"
#include "sources.h"
#include "stats.h"
#include "tdxhp.skel.h"
#include "util.h"

static bool verbose;

static int libbpf_print(enum libbpf_print_level level, const char *fmt,
			va_list ap)
{
	/* Without -v, failures are reported as our own one-line errors. */
	if (!verbose)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

__attribute__((format(printf, 3, 4))) int tdxhp_fail(struct tdxhp *t,
						     int err, const char *fmt,
						     ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->errmsg, sizeof(t->errmsg), fmt, ap);
	va_end(ap);
	return err < 0 ? err : -err;
}

const char *tdxhp_source_name(enum tdxhp_source src)
{
#define TDXHP_SOURCE_NAME(ID, name) [TDXHP_SRC_##ID] = name,
	static const char *const names[] = { TDXHP_SOURCES(TDXHP_SOURCE_NAME) };
#undef TDXHP_SOURCE_NAME

	return (unsigned int)src < TDXHP_NR_SOURCES ? names[src] : "?";
}

int tdxhp_parse_source(const char *s, enum tdxhp_source_choice *out)
{
	static const char *const names[] = { "auto", "tracepoint", "seamcall" };

	for (unsigned int i = 0; i < ARRAY_SIZE(names); i++)
		if (!strcmp(s, names[i])) {
			*out = (enum tdxhp_source_choice)i;
			return 0;
		}
	return -EINVAL;
}

void tdxhp_tp_name(int event_type, char *buf, size_t len)
{
	snprintf(buf, len, TDXHP_TP_PREFIX "%s", tdxhp_event_name(event_type));
}

const char *tdxhp_pin_dir(const struct tdxhp_opts *o)
{
	const char *env = getenv("TDXHP_PIN_DIR");

	if (o && o->pin_dir)
		return o->pin_dir;
	return env && *env ? env : TDXHP_DEFAULT_PIN_DIR;
}

/* The raw_tp program of an event's tracepoint source. */
struct bpf_program *tdxhp_tp_prog(struct tdxhp_bpf *skel, int type)
{
	switch (type) {
	case TDXHP_EV_TD_INIT: return skel->progs.tdxhp_td_init;
	case TDXHP_EV_TD_TEARDOWN: return skel->progs.tdxhp_td_teardown;
	case TDXHP_EV_PAGE_ADD: return skel->progs.tdxhp_page_add;
	case TDXHP_EV_PAGE_AUG: return skel->progs.tdxhp_page_aug;
	case TDXHP_EV_PAGE_REMOVE: return skel->progs.tdxhp_page_remove;
	case TDXHP_EV_PAGE_DEMOTE: return skel->progs.tdxhp_page_demote;
	case TDXHP_EV_BOUNDARY_SPLIT: return skel->progs.tdxhp_boundary_split;
	case TDXHP_EV_FAULT_SPLIT_IGNORED:
		return skel->progs.tdxhp_fault_split_ignored;
	case TDXHP_EV_SEAMCALL_BUSY: return skel->progs.tdxhp_seamcall_busy;
	}
	return NULL;
}

/*
 * A SEAMCALL wrapper's fentry program, its fexit program that runs with
 * preemption off, or the one for kernels without bpf_preempt_disable()
 * (bpf/source_seamcall.bpf.h).
 */
struct bpf_program *tdxhp_sc_prog(struct tdxhp_bpf *skel, int w,
				  enum tdxhp_sc_prog_kind kind)
{
#define SC_PROG(ID, fn, leaf)                                                  \
	case TDXHP_W_##ID:                                                     \
		return kind == TDXHP_SC_ENTRY ? skel->progs.tdxhp_sc_##fn##_entry : \
		       kind == TDXHP_SC_EXIT  ? skel->progs.tdxhp_sc_##fn##_exit :  \
				skel->progs.tdxhp_sc_##fn##_exit_atomic;
	switch (w) {
		TDXHP_WRAPPERS(SC_PROG)
	}
#undef SC_PROG
	return NULL;
}

/* bpf_preempt_disable() is a kfunc of this kernel (Linux 6.10+). */
static bool kernel_has_preempt_kfunc(void)
{
	struct btf *vmlinux = btf__load_vmlinux_btf();
	bool found;

	if (libbpf_get_error(vmlinux))
		return false;
	found = btf__find_by_name_kind(vmlinux, "bpf_preempt_disable",
				       BTF_KIND_FUNC) > 0 &&
		btf__find_by_name_kind(vmlinux, "bpf_preempt_enable",
				       BTF_KIND_FUNC) > 0;
	btf__free(vmlinux);
	return found;
}

int tdxhp_prog_fd(const struct tdxhp *t, int event_type)
{
	if (event_type < 0 || event_type >= TDXHP_NR_EVENTS)
		return -1;
	return t->prog_fd[event_type];
}

static const char *const tracefs_roots[] = {
	"/sys/kernel/tracing/events/kvm",
	"/sys/kernel/debug/tracing/events/kvm",
};

/* btf_trace_<tp> typedefs exist for every tracepoint of a BTF object. */
static bool btf_has_tp(struct btf *btf, const char *tp)
{
	char name[128];

	snprintf(name, sizeof(name), "btf_trace_%s", tp);
	return btf && btf__find_by_name_kind(btf, name, BTF_KIND_TYPEDEF) > 0;
}

uint32_t tdxhp_probe_tracepoints(void)
{
	static const char *const modules[] = { "kvm", "kvm_intel" };
	struct btf *vmlinux = btf__load_vmlinux_btf();
	struct btf *mods[ARRAY_SIZE(modules)] = { 0 };
	uint32_t mask = 0;

	if (libbpf_get_error(vmlinux))
		vmlinux = NULL;
	for (size_t i = 0; vmlinux && i < ARRAY_SIZE(modules); i++) {
		mods[i] = btf__load_module_btf(modules[i], vmlinux);
		if (libbpf_get_error(mods[i]))
			mods[i] = NULL;
	}
	for (int ev = 0; ev < TDXHP_NR_EVENTS; ev++) {
		char tp[64], path[256];
		bool found;

		tdxhp_tp_name(ev, tp, sizeof(tp));
		found = btf_has_tp(vmlinux, tp);
		for (size_t i = 0; !found && i < ARRAY_SIZE(modules); i++)
			found = btf_has_tp(mods[i], tp);
		for (size_t i = 0; !found && i < ARRAY_SIZE(tracefs_roots); i++) {
			snprintf(path, sizeof(path), "%s/%s", tracefs_roots[i],
				 tp);
			found = access(path, F_OK) == 0;
		}
		if (found)
			mask |= 1U << ev;
	}
	for (size_t i = 0; i < ARRAY_SIZE(modules); i++)
		btf__free(mods[i]);
	btf__free(vmlinux);
	return mask;
}

/* Map an mmapable ARRAY; user space writes only the runtime knobs. */
void *tdxhp_map_array(struct tdxhp *t, int fd, const char *name, size_t bytes,
		      bool writable, size_t *lenp)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t len = (bytes + page - 1) / page * page;
	void *p = mmap(NULL, len, PROT_READ | (writable ? PROT_WRITE : 0),
		       MAP_SHARED, fd, 0);

	if (p == MAP_FAILED) {
		tdxhp_fail(t, -errno, "mapping %s: %s", name, strerror(errno));
		return NULL;
	}
	*lenp = len;
	return p;
}

/*
 * The storm table is mapped on first use: a mapping of an array map counts
 * in the process's RSS (megabytes for thousands of slots) although it is
 * kernel memory, and most tools never read it.
 */
int tdxhp_map_storm(struct tdxhp *t)
{
	if (t->storm)
		return 0;
	t->storm = tdxhp_map_array(t, t->fd.storm_table, "storm_table",
				   sizeof(*t->storm) * t->nr_slots *
					   TDXHP_STORM_SETS,
				   false, &t->storm_len);
	return t->storm ? 0 : -EIO;
}

static unsigned int pow2_bits(unsigned int n)
{
	unsigned int b = 0;

	while ((1U << b) < n)
		b++;
	return b;
}

/* Shards: one per possible CPU up to the cap, a power of two. */
static void size_shards(struct tdxhp *t, const struct tdxhp_opts *o)
{
	unsigned int cap = o->max_shards ? o->max_shards :
					   TDXHP_DEFAULT_MAX_SHARDS;
	unsigned int bits = pow2_bits((unsigned int)t->nr_cpus);

	if (cap > TDXHP_MAX_SHARDS)
		cap = TDXHP_MAX_SHARDS;
	while (bits && (1U << bits) > cap)
		bits--;
	t->shard_bits = bits;
	t->nr_shards = 1U << bits;
}

static int explain_load_error(struct tdxhp *t, int err)
{
	if (err == -EPERM || err == -EACCES)
		return tdxhp_fail(t, err, "loading BPF programs: permission denied: run as root (needs CAP_BPF, CAP_PERFMON and CAP_SYS_ADMIN)");
	return tdxhp_fail(t, err, "loading BPF programs failed: %s (run with -v for the verifier log)",
			  strerror(-err));
}

static uint64_t new_instance_id(void)
{
	uint64_t id = 0;

	while (!id)
		if (getrandom(&id, sizeof(id), 0) != sizeof(id))
			id = tdxhp_now_ns() ^ ((uint64_t)getpid() << 32);
	return id;
}

/*
 * Turn off every program of a source that feeds no event; of the two exit
 * programs of a wrapper, keep the one for preempt_off.
 */
static void select_programs(struct tdxhp *t, const struct tdxhp_opts *o,
			    const struct tdxhp_kernel_caps *caps,
			    bool preempt_off, uint32_t *sc_events)
{
	struct tdxhp_bpf *skel = t->skel;
	uint32_t wrappers = 0;

	*sc_events = 0;
	for (int ev = 0; ev < TDXHP_NR_EVENTS; ev++) {
		bool tp = o->simulate || t->source[ev] == TDXHP_SRC_TRACEPOINT;

		bpf_program__set_autoload(tdxhp_tp_prog(skel, ev), tp);
		if (t->source[ev] != TDXHP_SRC_SEAMCALL)
			continue;
		*sc_events |= 1U << ev;
		wrappers |= tdxhp_event_wrappers(ev);
	}
	/* BUSY is counted on every wrapper; splits close on a remove. */
	if (*sc_events & (1U << TDXHP_EV_SEAMCALL_BUSY))
		wrappers |= caps->wrappers;
	if (*sc_events & (1U << TDXHP_EV_PAGE_DEMOTE))
		wrappers |= caps->wrappers & (1U << TDXHP_W_MEM_PAGE_REMOVE);
	t->info.sc_wrappers = wrappers;
	for (int w = 0; w < TDXHP_NR_WRAPPERS; w++) {
		bool on = wrappers & (1U << w);

		bpf_program__set_autoload(tdxhp_sc_prog(skel, w, TDXHP_SC_ENTRY), on);
		bpf_program__set_autoload(tdxhp_sc_prog(skel, w, TDXHP_SC_EXIT),
					  on && preempt_off);
		bpf_program__set_autoload(tdxhp_sc_prog(skel, w, TDXHP_SC_EXIT_ATOMIC),
					  on && !preempt_off);
	}
	bpf_program__set_autoload(skel->progs.tdxhp_test_sc_entry,
				  o->test_entry_points);
	bpf_program__set_autoload(skel->progs.tdxhp_test_sc_exit,
				  o->test_entry_points);
	bpf_program__set_autoload(skel->progs.tdxhp_test_sc_fexit,
				  o->test_fexit && preempt_off);
	bpf_program__set_autoload(skel->progs.tdxhp_test_sc_fexit_atomic,
				  o->test_fexit && !preempt_off);
	if (o->test_entry_points)
		*sc_events |= ((1U << TDXHP_NR_EVENTS) - 1) &
			      ~((1U << TDXHP_EV_BOUNDARY_SPLIT) |
				(1U << TDXHP_EV_FAULT_SPLIT_IGNORED));
}

static void fill_fds(struct tdxhp *t)
{
	struct tdxhp_bpf *skel = t->skel;

	t->fd.control = bpf_map__fd(skel->maps.data_control);
	t->fd.info = bpf_map__fd(skel->maps.info);
	t->fd.schema = bpf_map__fd(skel->maps.schema);
	t->fd.td_meta = bpf_map__fd(skel->maps.td_meta);
	t->fd.td_stats = bpf_map__fd(skel->maps.td_stats);
	t->fd.host_stats = bpf_map__fd(skel->maps.host_stats);
	t->fd.storm_table = bpf_map__fd(skel->maps.storm_table);
	t->fd.events = bpf_map__fd(skel->maps.events);
	t->fd.bss = bpf_map__fd(skel->maps.bss);
	t->fd.data = bpf_map__fd(skel->maps.data);
	for (int ev = 0; ev < TDXHP_NR_EVENTS; ev++) {
		struct bpf_program *p = tdxhp_tp_prog(skel, ev);

		t->prog_fd[ev] = bpf_program__autoload(p) ? bpf_program__fd(p) : -1;
	}
	t->test_fd_entry = bpf_program__autoload(skel->progs.tdxhp_test_sc_entry) ?
		bpf_program__fd(skel->progs.tdxhp_test_sc_entry) : -1;
	t->test_fd_exit = bpf_program__autoload(skel->progs.tdxhp_test_sc_exit) ?
		bpf_program__fd(skel->progs.tdxhp_test_sc_exit) : -1;
	t->carry_fd = bpf_program__fd(skel->progs.tdxhp_carry);
	t->bss = skel->bss;
}

/* Write what the instance is, and its schema, then freeze both. */
static int write_info(struct tdxhp *t, const struct tdxhp_opts *o)
{
	const struct tdxhp_schema_field *fields;
	unsigned int n = tdxhp_schema(&fields);
	struct timespec now;
	uint32_t key = 0;

	clock_gettime(CLOCK_REALTIME, &now);
	t->info.magic = TDXHP_INFO_MAGIC;
	t->info.layout_hash = tdxhp_layout_hash();
	t->info.loaded_realtime_ns = (uint64_t)now.tv_sec * 1000000000ULL +
				     (uint64_t)now.tv_nsec;
	t->info.info_size = sizeof(t->info);
	t->info.nr_slots = t->nr_slots;
	t->info.nr_shards = t->nr_shards;
	t->info.nr_cpus = (uint32_t)t->nr_cpus;
	t->info.flags |= o->simulate ? TDXHP_INFO_SIMULATED : 0;
	t->info.nr_schema = n;
	for (int ev = 0; ev < TDXHP_NR_EVENTS; ev++)
		t->info.source[ev] = (uint8_t)t->source[ev];
	snprintf(t->info.version, sizeof(t->info.version), "%s", TDXHP_VERSION);
	t->info.storm_hits = t->skel->data->storm_hits;
	if (o->simulate) {
		snprintf(t->info.scenario, sizeof(t->info.scenario), "%s",
			 o->scenario ? o->scenario : "steady");
		t->info.seed = o->seed ? o->seed : 1;
		t->info.sim_tds = o->sim_tds;
	}
	t->info.storm_window_ns = t->skel->data->storm_window_ns;
	if (bpf_map_update_elem(t->fd.info, &key, &t->info, 0))
		return tdxhp_fail(t, -errno, "writing the info map: %s",
				  strerror(errno));
	for (uint32_t i = 0; i < n; i++)
		if (bpf_map_update_elem(t->fd.schema, &i, &fields[i], 0))
			return tdxhp_fail(t, -errno, "writing the schema: %s",
					  strerror(errno));
	bpf_map_freeze(t->fd.info);
	bpf_map_freeze(t->fd.schema);
	return 0;
}

int tdxhp_set_owner(struct tdxhp *t, uint64_t owner)
{
	struct tdxhp_control c = { .owner = owner };
	uint32_t key = 0;

	if (bpf_map_update_elem(t->fd.control, &key, &c, 0))
		return tdxhp_fail(t, -errno, "writing the control map: %s",
				  strerror(errno));
	return 0;
}

static int attach_all(struct tdxhp *t)
{
	struct bpf_program *p;
	int n = 0;

	bpf_object__for_each_program(p, t->skel->obj)
		n++;
	t->links = calloc((size_t)n, sizeof(*t->links));
	t->link_names = calloc((size_t)n, sizeof(*t->link_names));
	if (!t->links || !t->link_names)
		return tdxhp_fail(t, -ENOMEM, "out of memory");
	bpf_object__for_each_program(p, t->skel->obj) {
		const char *sec = bpf_program__section_name(p);
		struct bpf_link *link;

		if (!bpf_program__autoload(p) || !strncmp(sec, "raw_tp/tdxhp_", 13))
			continue;
		if (!strncmp(sec, "raw_tp/", 7))
			link = bpf_program__attach_raw_tracepoint(p, sec + 7);
		else
			link = bpf_program__attach(p);
		if (libbpf_get_error(link)) {
			int err = -errno;

			if (err == -EPERM || err == -EACCES)
				return tdxhp_fail(t, err, "attaching %s: permission denied: run as root (needs CAP_BPF, CAP_PERFMON and CAP_SYS_ADMIN)",
						  sec);
			return tdxhp_fail(t, err, "attaching %s: %s", sec,
					  strerror(-err));
		}
		t->link_names[t->nr_links] = bpf_program__name(p);
		t->links[t->nr_links++] = link;
		if (verbose)
			fprintf(stderr, "%s: attached %s\n", tdxhp_prog_name,
				sec);
	}
	for (int ev = 0; ev < TDXHP_NR_EVENTS; ev++)
		if (t->source[ev] != TDXHP_SRC_NONE)
			t->attached |= 1U << ev;
	return 0;
}

static int check_opts(struct tdxhp *t, const struct tdxhp_opts *o)
{
	t->slot_bits = o->slot_bits ? o->slot_bits : TDXHP_DEFAULT_SLOT_BITS;
	if (t->slot_bits < 4 || t->slot_bits > TDXHP_MAX_SLOT_BITS)
		return tdxhp_fail(t, -EINVAL, "TD table of 2^%u slots is out of range (2^4 to 2^%d)",
				  t->slot_bits, TDXHP_MAX_SLOT_BITS);
	t->nr_slots = 1U << t->slot_bits;
	if (access("/sys/kernel/btf/vmlinux", R_OK))
		return tdxhp_fail(t, -ENOENT, "kernel BTF is missing (/sys/kernel/btf/vmlinux): tdxhp needs a kernel built with CONFIG_DEBUG_INFO_BTF=y");
	t->nr_cpus = libbpf_num_possible_cpus();
	if (t->nr_cpus <= 0)
		return tdxhp_fail(t, -EINVAL, "cannot count possible CPUs: %s",
				  strerror(-t->nr_cpus));
	return 0;
}

/*
 * The object, from our skeleton's bytes or from another build of the same
 * source (bench_bpf's cut variants), which has the same programs, maps and
 * globals, so the skeleton's view of them holds.
 */
static struct tdxhp_bpf *open_object(const struct tdxhp_opts *o)
{
	struct tdxhp_bpf *obj;
	int err;

	if (!o->bpf_elf)
		return tdxhp_bpf__open();
	obj = calloc(1, sizeof(*obj));
	if (!obj)
		return NULL;
	err = tdxhp_bpf__create_skeleton(obj);
	if (!err) {
		obj->skeleton->data = (void *)o->bpf_elf;
		obj->skeleton->data_sz = o->bpf_elf_size;
		err = bpf_object__open_skeleton(obj->skeleton, NULL);
	}
	if (err) {
		tdxhp_bpf__destroy(obj);
		errno = -err;
		return NULL;
	}
	return obj;
}

/* Load (and unless simulating, attach) a copy of our own. */
int tdxhp_load_private(struct tdxhp *t, const struct tdxhp_opts *o,
		       int reuse_control_fd)
{
	struct tdxhp_kernel_caps caps = { 0 };
	bool preempt_off;
	uint32_t sc_events;
	int err;

	if (!o->simulate) {
		tdxhp_probe_kernel(&caps);
		tdxhp_choose_sources(&caps, o->source, t->source);
		if (tdxhp_explain_no_source(&caps, o->source, t->errmsg,
					    sizeof(t->errmsg)))
			return -ENOENT;
	} else {
		for (int ev = 0; ev < TDXHP_NR_EVENTS; ev++)
			t->source[ev] = TDXHP_SRC_TRACEPOINT;
		if (o->test_entry_points)
			tdxhp_probe_kernel(&caps);
	}
	size_shards(t, o);

	t->skel = open_object(o);
	if (!t->skel)
		return tdxhp_fail(t, -errno, "opening the BPF object: %s",
				  strerror(errno));
	t->info.instance_id = new_instance_id();
	t->skel->rodata->slot_bits = t->slot_bits;
	t->skel->rodata->shard_bits = t->shard_bits;
	t->skel->rodata->shard_adds_atomic = (unsigned int)t->nr_cpus > t->nr_shards;
	t->skel->rodata->instance_id = t->info.instance_id;
	t->skel->rodata->sc_pg_level = caps.pg_level;
	t->skel->rodata->td_offset_fallback = o->td_offset_fallback;
	t->info.sc_pg_level = caps.pg_level;
	preempt_off = false;
	for (int ev = 0; ev < TDXHP_NR_EVENTS; ev++)
		preempt_off |= t->source[ev] == TDXHP_SRC_SEAMCALL;
	preempt_off = (preempt_off || o->test_entry_points) &&
		      !o->no_preempt_kfunc && kernel_has_preempt_kfunc();
	select_programs(t, o, &caps, preempt_off, &sc_events);
	t->skel->rodata->sc_events = sc_events;
	/* Preemptible fexit programs: preemption off, or every add atomic. */
	if (t->info.sc_wrappers || o->test_entry_points) {
		t->skel->rodata->shard_adds_atomic |= !preempt_off;
		t->skel->rodata->host_adds_atomic = !preempt_off;
		t->info.flags |= preempt_off ? TDXHP_INFO_PREEMPT_OFF :
					       TDXHP_INFO_STATS_ATOMIC;
	}
	/* Per-thread SEAMCALL state only where the seamcall source runs. */
	if (!t->info.sc_wrappers && !o->test_entry_points)
		bpf_map__set_max_entries(t->skel->maps.sc_threads, 1);
	/* The schema map holds what this build has, no more. */
	bpf_map__set_max_entries(t->skel->maps.schema, tdxhp_schema(NULL));
	bpf_map__set_max_entries(t->skel->maps.td_meta, t->nr_slots);
	bpf_map__set_max_entries(t->skel->maps.td_stats,
				 (t->nr_slots + 1) << t->shard_bits);
	bpf_map__set_max_entries(t->skel->maps.storm_table,
				 t->nr_slots * TDXHP_STORM_SETS);
	if (o->storm_hits)
		t->skel->data->storm_hits = o->storm_hits;
	if (o->storm_window_ns)
		t->skel->data->storm_window_ns = o->storm_window_ns;
	if (reuse_control_fd >= 0) {
		uint32_t key = 0;

		/* libbpf writes a global's initial value even into a reused map. */
		if (bpf_map_lookup_elem(reuse_control_fd, &key,
					&t->skel->data_control->control))
			return tdxhp_fail(t, -errno, "reading the pinned control map: %s",
					  strerror(errno));
		err = bpf_map__reuse_fd(t->skel->maps.data_control, reuse_control_fd);
		if (err)
			return tdxhp_fail(t, err, "reusing the pinned control map: %s",
					  strerror(-err));
	}

	err = tdxhp_bpf__load(t->skel);
	if (err)
		return explain_load_error(t, err);
	t->simulated = o->simulate;
	fill_fds(t);
	err = write_info(t, o);
	if (err)
		return err;
	/* A new private instance owns its control map; a takeover flips it. */
	if (reuse_control_fd < 0) {
		err = tdxhp_set_owner(t, t->info.instance_id);
		if (err)
			return err;
	}
	if (!o->simulate)
		return attach_all(t);
	return 0;
}

/*
 * Identities come from /proc and /run, or from the fake tree under
 * $TDXHP_ROOT.  A simulation's pids are made up: without a fake tree
 * they are never looked up on this host.
 */
static int open_identities(struct tdxhp *t)
{
	const char *root = getenv("TDXHP_ROOT");
	bool fake = root && *root;
	struct tdxhp_identity_root r;

	tdxhp_identity_root_init(&r, fake ? root : NULL);
	t->ids = tdxhp_identity_cache_new(t->nr_slots, &r.paths,
					  fake || !t->simulated);
	if (!t->ids)
		return tdxhp_fail(t, -ENOMEM, "out of memory");
	return 0;
}

static int finish_open(struct tdxhp *t)
{
	t->meta = tdxhp_map_array(t, t->fd.td_meta, "td_meta",
				  sizeof(*t->meta) * t->nr_slots, false,
				  &t->meta_len);
	if (!t->meta)
		return -EIO;
	t->names = tdxhp_name_cache_new(t->nr_slots);
	if (!t->names)
		return tdxhp_fail(t, -ENOMEM, "out of memory");
	return open_identities(t);
}

int tdxhp_open(struct tdxhp *t, const struct tdxhp_opts *o)
{
	const char *dir = tdxhp_pin_dir(o);
	int err;

	memset(t, 0, sizeof(*t));
	memset(&t->fd, -1, sizeof(t->fd));
	for (int ev = 0; ev < TDXHP_NR_EVENTS; ev++)
		t->prog_fd[ev] = -1;
	t->test_fd_entry = t->test_fd_exit = t->carry_fd = -1;
	t->stream_lock_fd = -1;
	snprintf(t->pin_dir, sizeof(t->pin_dir), "%s", dir);
	verbose = o->verbose;
	libbpf_set_print(libbpf_print);
	err = check_opts(t, o);
	if (err)
		return err;

	if (o->use != TDXHP_USE_PRIVATE && !o->test_entry_points &&
	    tdxhp_pin_exists(dir)) {
		err = tdxhp_pin_open(t, dir, o->simulate);
		if (err == -EAGAIN && o->use == TDXHP_USE_PINNED)
			err = tdxhp_fail(t, -EPERM, "the instance pinned under %s is live, not simulated",
					 dir);
		if (err != -EAGAIN) /* -EAGAIN: live pin, simulate privately */
			goto out;
		snprintf(t->note, sizeof(t->note),
			 "the instance pinned under %s is live: simulating on a private copy",
			 dir);
	} else if (o->use == TDXHP_USE_PINNED) {
		err = tdxhp_fail(t, -ENOENT, "nothing is pinned under %s: run tdxhp-load",
				 dir);
		goto out;
	}
	err = tdxhp_load_private(t, o, -1);
	if (!err && !o->simulate)
		snprintf(t->note, sizeof(t->note),
			 "no pinned instance under %s: loaded a private copy; TDs already running are partial (~): run tdxhp-load (tdxhp.service) to share one persistent instance",
			 dir);
out:
	if (!err)
		err = finish_open(t);
	if (err) {
		char msg[sizeof(t->errmsg)];

		memcpy(msg, t->errmsg, sizeof(msg));
		tdxhp_close(t);
		memcpy(t->errmsg, msg, sizeof(msg));
	}
	return err;
}

int tdxhp_open_for_pinning(struct tdxhp *t, const struct tdxhp_opts *o,
			   int reuse_control_fd)
{
	char dir[sizeof(t->pin_dir)];
	int err;

	memcpy(dir, t->pin_dir, sizeof(dir));
	memset(t, 0, sizeof(*t));
	memset(&t->fd, -1, sizeof(t->fd));
	for (int ev = 0; ev < TDXHP_NR_EVENTS; ev++)
		t->prog_fd[ev] = -1;
	t->test_fd_entry = t->test_fd_exit = t->carry_fd = -1;
	t->stream_lock_fd = -1;
	memcpy(t->pin_dir, dir, sizeof(dir));
	verbose = o->verbose;
	libbpf_set_print(libbpf_print);
	err = check_opts(t, o);
	if (!err)
		err = tdxhp_load_private(t, o, reuse_control_fd);
	return err;
}

void tdxhp_close(struct tdxhp *t)
{
	for (unsigned int i = 0; i < t->nr_links; i++) {
		/* Pinned links stay attached after we exit. */
		if (t->pinned)
			bpf_link__disconnect(t->links[i]);
		bpf_link__destroy(t->links[i]);
	}
	free(t->links);
	free(t->link_names);
	if (t->stream_lock_fd >= 0)
		tdxhp_set_stream(t, false);
	if (t->meta)
		munmap((void *)t->meta, t->meta_len);
	if (t->storm)
		munmap((void *)t->storm, t->storm_len);
	if (t->pinned && !t->skel)
		tdxhp_pin_close(t);
	tdxhp_name_cache_free(t->names);
	tdxhp_identity_cache_free(t->ids);
	tdxhp_bpf__destroy(t->skel);
	memset(t, 0, sizeof(*t));
	memset(&t->fd, -1, sizeof(t->fd));
	t->stream_lock_fd = -1;
}

int tdxhp_set_stream(struct tdxhp *t, bool on)
{
	struct tdxhp_bpf__bss *bss = t->bss;

	if (t->pinned) {
		int err = tdxhp_stream_lock(t, on);

		if (err)
			return err;
	}
	__atomic_store_n(&bss->stream_enabled, on ? 1 : 0, __ATOMIC_RELEASE);
	return 0;
}

int tdxhp_ringbuf_fd(const struct tdxhp *t)
{
	return t->fd.events;
}

void tdxhp_describe_instance(const struct tdxhp *t, char *buf, size_t len)
{
	if (t->pinned)
		snprintf(buf, len, "pinned instance %016llx under %s",
			 (unsigned long long)t->info.instance_id, t->pin_dir);
	else
		snprintf(buf, len, "private instance");
}
