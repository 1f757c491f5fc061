/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Which source feeds each event (tracepoint, SEAMCALL wrapper, none), found
 * from the running kernel's BTF and tracefs, and applied to the skeleton
 * before load: programs of a source not chosen are not loaded.
 */
#ifndef TDXHP_SOURCES_H
#define TDXHP_SOURCES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "json.h"
#include "loader.h"

struct btf;

/* What the running kernel offers. */
struct tdxhp_kernel_caps {
	uint32_t tracepoints;	/* bit per event */
	uint32_t wrappers;	/* bit per enum tdxhp_wrapper, in BTF */
	uint32_t pg_level;	/* wrappers whose level is an enum pg_level */
	bool kvm_tdx;		/* struct kvm_tdx with a td member in BTF */
};

void tdxhp_probe_kernel(struct tdxhp_kernel_caps *caps);

/* Probe results from BTF objects (tests call it with their own). */
void tdxhp_probe_wrappers_btf(struct btf *btf, struct tdxhp_kernel_caps *caps);

/* Wrappers whose fexit feeds the event; 0 if the source cannot see it. */
uint32_t tdxhp_event_wrappers(int event_type);

/* Choose per event; t->source[] is set, programs are (de)selected. */
void tdxhp_choose_sources(const struct tdxhp_kernel_caps *caps,
			  enum tdxhp_source_choice choice,
			  enum tdxhp_source out[TDXHP_NR_EVENTS]);

/*
 * "tracepoint kvm_tdx_page_aug" / "seamcall tdh_mem_page_aug (TDX level)" /
 * "missing", naming only the wrappers the instance hooked.
 */
void tdxhp_source_detail(int event_type, const struct tdxhp_info *info,
			 char *buf, size_t len);

/* For banners: "seamcall (6 events); missing: boundary_split, ..." */
void tdxhp_sources_summary(const struct tdxhp *t, char *buf, size_t len);

/*
 * One line naming what is missing and what to do, when no event has a
 * source; returns false if some event does.
 */
bool tdxhp_explain_no_source(const struct tdxhp_kernel_caps *caps,
			     enum tdxhp_source_choice choice, char *buf,
			     size_t len);

/* JSON: "sources":{"td_init":"seamcall",...} ("simulated" under --simulate). */
void tdxhp_json_sources(struct tdxhp_json *w, const struct tdxhp *t);

#endif /* TDXHP_SOURCES_H */
