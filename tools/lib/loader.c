// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "loader.h"
#include "names_cache.h"
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

const char *tdxhp_source_name(enum tdxhp_source src)
{
#define TDXHP_SOURCE_NAME(ID, name) [TDXHP_SRC_##ID] = name,
	static const char *const names[] = { TDXHP_SOURCES(TDXHP_SOURCE_NAME) };
#undef TDXHP_SOURCE_NAME

	return (unsigned int)src < TDXHP_NR_SOURCES ? names[src] : "?";
}

void tdxhp_tp_name(int event_type, char *buf, size_t len)
{
	snprintf(buf, len, TDXHP_TP_PREFIX "%s", tdxhp_event_name(event_type));
}

static struct bpf_program *prog_of(struct tdxhp_bpf *skel, int type)
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

int tdxhp_prog_fd(const struct tdxhp *t, int event_type)
{
	struct bpf_program *p = prog_of(t->skel, event_type);

	return p ? bpf_program__fd(p) : -1;
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

static int attach_all(struct tdxhp *t)
{
	char missing[512] = "";
	int nr_missing = 0;

	t->present = tdxhp_probe_tracepoints();
	for (int ev = 0; ev < TDXHP_NR_EVENTS; ev++) {
		struct bpf_link *link;
		char tp[64];

		tdxhp_tp_name(ev, tp, sizeof(tp));
		link = bpf_program__attach_raw_tracepoint(prog_of(t->skel, ev),
							  tp);
		if (!libbpf_get_error(link)) {
			t->links[ev] = link;
			t->attached |= 1U << ev;
			t->source[ev] = TDXHP_SRC_TRACEPOINT;
			if (verbose)
				fprintf(stderr, "%s: attached %s\n",
					tdxhp_prog_name, tp);
			continue;
		}
		if (verbose)
			fprintf(stderr, "%s: not attached %s: %s\n",
				tdxhp_prog_name, tp, strerror(errno));
		if (errno == EPERM || errno == EACCES) {
			tdxhp_err("attaching %s: permission denied: run as root (needs CAP_BPF, CAP_PERFMON and CAP_SYS_ADMIN)",
				  tp);
			return -EPERM;
		}
		nr_missing++;
		snprintf(missing + strlen(missing),
			 sizeof(missing) - strlen(missing), "%s%s",
			 nr_missing > 1 ? ", " : "", tp);
	}
	if (!t->attached) {
		tdxhp_err("this kernel has none of the tdxhp tracepoints (kvm_tdx_*): apply kernel-patches/ to a kernel with the TDX huge page series and rebuild KVM, or run with --simulate");
		return -ENOENT;
	}
	if (nr_missing)
		tdxhp_err("warning: %d of %d tracepoints missing, their events are not counted: %s",
			  nr_missing, TDXHP_NR_EVENTS, missing);
	else if (verbose)
		fprintf(stderr, "%s: all %d tdxhp tracepoints attached\n",
			tdxhp_prog_name, TDXHP_NR_EVENTS);
	return 0;
}

/* Map an mmapable ARRAY read-only; user space never writes BPF state. */
static void *map_array(struct bpf_map *map, size_t value_size,
		       size_t entries, size_t *lenp)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t len = (value_size * entries + page - 1) / page * page;
	void *p = mmap(NULL, len, PROT_READ, MAP_SHARED, bpf_map__fd(map), 0);

	if (p == MAP_FAILED) {
		tdxhp_err("mapping %s: %s", bpf_map__name(map), strerror(errno));
		return NULL;
	}
	*lenp = len;
	return p;
}

static int map_tables(struct tdxhp *t)
{
	t->meta = map_array(t->skel->maps.td_meta, sizeof(*t->meta),
			    t->nr_slots, &t->meta_len);
	return t->meta ? 0 : -EIO;
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
	t->storm = map_array(t->skel->maps.storm_table, sizeof(*t->storm),
			     (size_t)t->nr_slots * TDXHP_STORM_SETS,
			     &t->storm_len);
	return t->storm ? 0 : -EIO;
}

static int explain_load_error(int err)
{
	if (err == -EPERM || err == -EACCES)
		tdxhp_err("loading BPF programs: permission denied: run as root (needs CAP_BPF, CAP_PERFMON and CAP_SYS_ADMIN)");
	else
		tdxhp_err("loading BPF programs failed: %s (run with -v for the verifier log)",
			  strerror(-err));
	return err;
}

int tdxhp_open(struct tdxhp *t, const struct tdxhp_opts *o)
{
	int err;

	memset(t, 0, sizeof(*t));
	verbose = o->verbose;
	libbpf_set_print(libbpf_print);
	t->simulated = o->simulate;
	t->slot_bits = o->slot_bits ? o->slot_bits : TDXHP_DEFAULT_SLOT_BITS;
	if (t->slot_bits < 4 || t->slot_bits > TDXHP_MAX_SLOT_BITS) {
		tdxhp_err("TD table of 2^%u slots is out of range (2^4 to 2^%d)",
			  t->slot_bits, TDXHP_MAX_SLOT_BITS);
		return -EINVAL;
	}
	t->nr_slots = 1U << t->slot_bits;

	if (access("/sys/kernel/btf/vmlinux", R_OK)) {
		tdxhp_err("kernel BTF is missing (/sys/kernel/btf/vmlinux): tdxhp needs a kernel built with CONFIG_DEBUG_INFO_BTF=y");
		return -ENOENT;
	}
	t->nr_cpus = libbpf_num_possible_cpus();
	if (t->nr_cpus <= 0) {
		tdxhp_err("cannot count possible CPUs: %s", strerror(-t->nr_cpus));
		return -EINVAL;
	}

	t->skel = tdxhp_bpf__open();
	if (!t->skel) {
		tdxhp_err("opening the BPF object: %s", strerror(errno));
		return -errno;
	}
	t->skel->rodata->slot_bits = t->slot_bits;
	t->skel->rodata->nr_cpus = (uint32_t)t->nr_cpus;
	bpf_map__set_max_entries(t->skel->maps.td_meta, t->nr_slots);
	bpf_map__set_max_entries(t->skel->maps.td_stats, t->nr_slots + 1);
	bpf_map__set_max_entries(t->skel->maps.storm_table,
				 t->nr_slots * TDXHP_STORM_SETS);
	if (o->storm_hits)
		t->skel->data->storm_hits = o->storm_hits;
	if (o->storm_window_ns)
		t->skel->data->storm_window_ns = o->storm_window_ns;

	err = tdxhp_bpf__load(t->skel);
	if (err) {
		explain_load_error(err);
		goto fail;
	}
	err = map_tables(t);
	if (err)
		goto fail;
	t->names = tdxhp_name_cache_new(t->nr_slots);
	if (!t->names) {
		err = -ENOMEM;
		tdxhp_err("out of memory");
		goto fail;
	}
	if (!t->simulated) {
		err = attach_all(t);
		if (err)
			goto fail;
	}
	return 0;
fail:
	tdxhp_close(t);
	return err;
}

void tdxhp_close(struct tdxhp *t)
{
	for (int ev = 0; ev < TDXHP_NR_EVENTS; ev++)
		bpf_link__destroy(t->links[ev]);
	if (t->meta)
		munmap((void *)t->meta, t->meta_len);
	if (t->storm)
		munmap((void *)t->storm, t->storm_len);
	tdxhp_name_cache_free(t->names);
	tdxhp_bpf__destroy(t->skel);
	memset(t, 0, sizeof(*t));
}

void tdxhp_set_stream(struct tdxhp *t, bool on)
{
	__atomic_store_n(&t->skel->bss->stream_enabled, on ? 1 : 0,
			 __ATOMIC_RELEASE);
}

int tdxhp_ringbuf_fd(const struct tdxhp *t)
{
	return bpf_map__fd(t->skel->maps.events);
}
