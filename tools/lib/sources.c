// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "sources.h"
#include "stats.h"
#include "util.h"

#define BIT(w) (1U << TDXHP_W_##w)

static const char *const wrapper_names[TDXHP_NR_WRAPPERS] = {
#define WRAPPER_NAME(ID, fn, leaf) [TDXHP_W_##ID] = #fn,
	TDXHP_WRAPPERS(WRAPPER_NAME)
#undef WRAPPER_NAME
};

/*
 * Event x seamcall source: the wrappers that must be in BTF for the source
 * to see the event.  boundary_split and fault_split_ignored have no SEAMCALL
 * of their own: 0, reported as missing rather than guessed.
 */
static const uint32_t event_wrappers[TDXHP_NR_EVENTS] = {
	[TDXHP_EV_TD_INIT] = BIT(MNG_CREATE),
	[TDXHP_EV_TD_TEARDOWN] = BIT(MNG_KEY_FREEID),
	[TDXHP_EV_PAGE_ADD] = BIT(MEM_PAGE_ADD),
	[TDXHP_EV_PAGE_AUG] = BIT(MEM_PAGE_AUG),
	[TDXHP_EV_PAGE_REMOVE] = BIT(MEM_PAGE_REMOVE),
	[TDXHP_EV_PAGE_DEMOTE] = BIT(MEM_PAGE_DEMOTE) | BIT(MEM_RANGE_BLOCK) |
				 BIT(MEM_TRACK),
	[TDXHP_EV_BOUNDARY_SPLIT] = 0,
	[TDXHP_EV_FAULT_SPLIT_IGNORED] = 0,
	/* any one will do: BUSY is seen on the exit of every wrapper */
	[TDXHP_EV_SEAMCALL_BUSY] = BIT(MEM_PAGE_AUG),
};

/* Wrappers whose third argument is the level. */
static const uint32_t level_wrappers = BIT(MEM_SEPT_ADD) | BIT(MEM_PAGE_AUG) |
				       BIT(MEM_RANGE_BLOCK) |
				       BIT(MEM_PAGE_REMOVE) |
				       BIT(MEM_PAGE_DEMOTE);

uint32_t tdxhp_event_wrappers(int event_type)
{
	if (event_type < 0 || event_type >= TDXHP_NR_EVENTS)
		return 0;
	return event_wrappers[event_type];
}

/* The type behind typedefs and qualifiers. */
static const struct btf_type *resolve(const struct btf *btf, uint32_t id)
{
	const struct btf_type *t = btf__type_by_id(btf, id);

	while (t && (btf_is_typedef(t) || btf_is_const(t) ||
		     btf_is_volatile(t) || btf_is_restrict(t)))
		t = btf__type_by_id(btf, t->type);
	return t;
}

/*
 * Upstream passes the TDX level (int, 0 = 4K); a huge page tree may pass
 * KVM's enum pg_level.  The parameter's type says which: never guess.
 */
static bool level_is_pg_level(const struct btf *btf, const struct btf_type *fn)
{
	const struct btf_type *proto = btf__type_by_id(btf, fn->type);
	const struct btf_param *p;
	const struct btf_type *lt;

	if (!proto || !btf_is_func_proto(proto) || btf_vlen(proto) < 3)
		return false;
	p = btf_params(proto);
	lt = resolve(btf, p[2].type);
	return lt && btf_is_enum(lt) &&
	       !strcmp(btf__name_by_offset(btf, lt->name_off), "pg_level");
}

void tdxhp_probe_wrappers_btf(struct btf *btf, struct tdxhp_kernel_caps *caps)
{
	int id;

	if (!btf)
		return;
	for (int w = 0; w < TDXHP_NR_WRAPPERS; w++) {
		id = btf__find_by_name_kind(btf, wrapper_names[w],
					    BTF_KIND_FUNC);
		if (id <= 0)
			continue;
		caps->wrappers |= 1U << w;
		if ((level_wrappers & (1U << w)) &&
		    level_is_pg_level(btf, btf__type_by_id(btf, id)))
			caps->pg_level |= 1U << w;
	}
	id = btf__find_by_name_kind(btf, "kvm_tdx", BTF_KIND_STRUCT);
	if (id > 0) {
		const struct btf_type *st = btf__type_by_id(btf, id);
		const struct btf_member *m = btf_members(st);

		for (int i = 0; i < btf_vlen(st); i++)
			if (!strcmp(btf__name_by_offset(btf, m[i].name_off),
				    "td"))
				caps->kvm_tdx = true;
	}
}

void tdxhp_probe_kernel(struct tdxhp_kernel_caps *caps)
{
	struct btf *vmlinux = btf__load_vmlinux_btf();
	struct btf *kvm_intel = NULL;

	memset(caps, 0, sizeof(*caps));
	caps->tracepoints = tdxhp_probe_tracepoints();
	if (libbpf_get_error(vmlinux))
		return;
	tdxhp_probe_wrappers_btf(vmlinux, caps);
	/* struct kvm_tdx lives in kvm_intel's BTF when KVM is a module. */
	if (!caps->kvm_tdx) {
		kvm_intel = btf__load_module_btf("kvm_intel", vmlinux);
		if (libbpf_get_error(kvm_intel))
			kvm_intel = NULL;
		else
			tdxhp_probe_wrappers_btf(kvm_intel, caps);
	}
	btf__free(kvm_intel);
	btf__free(vmlinux);
}

static bool seamcall_sees(const struct tdxhp_kernel_caps *caps, int ev)
{
	uint32_t need = event_wrappers[ev];

	return need && caps->kvm_tdx && (caps->wrappers & need) == need;
}

void tdxhp_choose_sources(const struct tdxhp_kernel_caps *caps,
			  enum tdxhp_source_choice choice,
			  enum tdxhp_source out[TDXHP_NR_EVENTS])
{
	for (int ev = 0; ev < TDXHP_NR_EVENTS; ev++) {
		bool tp = caps->tracepoints & (1U << ev);
		bool sc = seamcall_sees(caps, ev);

		out[ev] = TDXHP_SRC_NONE;
		if (tp && choice != TDXHP_CHOOSE_SEAMCALL)
			out[ev] = TDXHP_SRC_TRACEPOINT;
		else if (sc && choice != TDXHP_CHOOSE_TRACEPOINT)
			out[ev] = TDXHP_SRC_SEAMCALL;
	}
}

void tdxhp_source_detail(int ev, const struct tdxhp_info *info, char *buf,
			 size_t len)
{
	enum tdxhp_source src = (enum tdxhp_source)info->source[ev];
	uint32_t w = tdxhp_event_wrappers(ev);
	uint32_t levels = 0;
	char tp[64];
	size_t n = 0;

	if (src == TDXHP_SRC_TRACEPOINT) {
		tdxhp_tp_name(ev, tp, sizeof(tp));
		snprintf(buf, len, "tracepoint %s", tp);
		return;
	}
	if (src != TDXHP_SRC_SEAMCALL) {
		snprintf(buf, len, "missing");
		return;
	}
	if (ev == TDXHP_EV_SEAMCALL_BUSY)
		w = info->sc_wrappers;
	w &= info->sc_wrappers;
	n = (size_t)snprintf(buf, len, "seamcall");
	for (int i = 0; i < TDXHP_NR_WRAPPERS && n < len; i++) {
		if (!(w & (1U << i)))
			continue;
		n += (size_t)snprintf(buf + n, len - n, "%s%s",
				      n == 8 ? " " : ",", wrapper_names[i]);
		levels |= level_wrappers & (1U << i);
	}
	if (levels && n < len)
		snprintf(buf + n, len - n, " (level: %s)",
			 levels & info->sc_pg_level ? "enum pg_level" :
						      "TDX level");
}

void tdxhp_sources_summary(const struct tdxhp *t, char *buf, size_t len)
{
	unsigned int per[TDXHP_NR_SOURCES] = { 0 };
	size_t n = 0;

	if (t->simulated) {
		snprintf(buf, len, "simulated");
		return;
	}
	for (int ev = 0; ev < TDXHP_NR_EVENTS; ev++)
		per[t->source[ev] < TDXHP_NR_SOURCES ? t->source[ev] : 0]++;
	for (int s = TDXHP_SRC_TRACEPOINT; s < TDXHP_NR_SOURCES && n < len; s++)
		if (per[s])
			n += (size_t)snprintf(buf + n, len - n, "%s%s (%u events)",
					      n ? ", " : "",
					      tdxhp_source_name(s), per[s]);
	if (!per[TDXHP_SRC_NONE] || n >= len)
		return;
	n += (size_t)snprintf(buf + n, len - n, "; missing:");
	for (int ev = 0; ev < TDXHP_NR_EVENTS && n < len; ev++)
		if (t->source[ev] == TDXHP_SRC_NONE)
			n += (size_t)snprintf(buf + n, len - n, " %s",
					      tdxhp_event_name(ev));
}

bool tdxhp_explain_no_source(const struct tdxhp_kernel_caps *caps,
			     enum tdxhp_source_choice choice, char *buf,
			     size_t len)
{
	enum tdxhp_source src[TDXHP_NR_EVENTS];

	tdxhp_choose_sources(caps, choice, src);
	for (int ev = 0; ev < TDXHP_NR_EVENTS; ev++)
		if (src[ev] != TDXHP_SRC_NONE)
			return false;
	if (choice == TDXHP_CHOOSE_TRACEPOINT)
		snprintf(buf, len, "this kernel has none of the kvm_tdx_* tracepoints: apply kernel-patches/ to a TDX huge page kernel, use --source=auto to trace the SEAMCALL wrappers instead, or run with --simulate");
	else if (choice == TDXHP_CHOOSE_SEAMCALL || !caps->tracepoints)
		snprintf(buf, len, "this kernel has no TDX host support tdxhp can trace: no kvm_tdx_* tracepoints, and %s%s (needs Linux 6.16+ with CONFIG_INTEL_TDX_HOST, CONFIG_KVM_INTEL_TDX and BTF, or kernel-patches/ for the tracepoints); or run with --simulate",
			 caps->wrappers ? "" : "no SEAMCALL wrapper (tdh_mem_page_aug, tdh_mng_create, ...) in its BTF",
			 caps->wrappers && !caps->kvm_tdx ? "no struct kvm_tdx in the BTF of vmlinux or kvm_intel (load kvm_intel)" : "");
	return true;
}

void tdxhp_json_sources(struct tdxhp_json *w, const struct tdxhp *t)
{
	tdxhp_json_name(w, "sources");
	tdxhp_json_object_start(w);
	for (int ev = 0; ev < TDXHP_NR_EVENTS; ev++)
		tdxhp_json_kv_string(w, tdxhp_event_name(ev),
				     t->simulated ? "simulated" :
						    tdxhp_source_name(t->source[ev]));
	tdxhp_json_object_end(w);
}
