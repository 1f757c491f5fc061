/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Open, load and attach the tdxhp BPF programs. */
#ifndef TDXHP_LOADER_H
#define TDXHP_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tdxhp/abi.h"

struct tdxhp_bpf;
struct bpf_link;
struct tdxhp_name_cache;

struct tdxhp_opts {
	bool simulate;		  /* load only: the simulator feeds the programs */
	bool verbose;		  /* show libbpf's messages */
	unsigned int slot_bits;	  /* TD table size, 0 for the default */
	uint32_t storm_hits;	  /* 0 for the default */
	uint64_t storm_window_ns; /* 0 for the default */
};

/* Resolves a TD's name; the simulator installs one, keyed by handle. */
typedef int (*tdxhp_name_fn)(void *arg, uint64_t kvm, char *out, size_t len);

struct tdxhp {
	struct tdxhp_bpf *skel;
	int nr_cpus;			/* possible CPUs, as the maps see them */
	unsigned int slot_bits;
	unsigned int nr_slots;
	bool simulated;
	uint32_t present;		/* tracepoints found, bit per event */
	uint32_t attached;		/* programs attached, bit per event */
	enum tdxhp_source source[TDXHP_NR_EVENTS]; /* what feeds each event */
	struct bpf_link *links[TDXHP_NR_EVENTS];
	const struct tdxhp_td_meta *meta; /* td_meta, mmapped read-only */
	size_t meta_len;
	const struct tdxhp_storm_set *storm; /* storm_table, mapped on use */
	size_t storm_len;
	tdxhp_name_fn sim_name;
	void *sim_name_arg;
	struct tdxhp_name_cache *names;
};

/*
 * Load (and unless simulating, attach) everything.  On failure prints one
 * line saying why and what to do, and returns a negative errno.
 */
int tdxhp_open(struct tdxhp *t, const struct tdxhp_opts *o);
void tdxhp_close(struct tdxhp *t);

int tdxhp_prog_fd(const struct tdxhp *t, int event_type);

/* "tracepoint", "seamcall" or "missing" */
const char *tdxhp_source_name(enum tdxhp_source src);

/* "kvm_tdx_page_aug" */
void tdxhp_tp_name(int event_type, char *buf, size_t len);

/* Which tdxhp tracepoints the running kernel has (tracefs or BTF). */
uint32_t tdxhp_probe_tracepoints(void);

/* Turn the per-event ring buffer on or off. */
void tdxhp_set_stream(struct tdxhp *t, bool on);
int tdxhp_ringbuf_fd(const struct tdxhp *t);

/* Map the storm table (tdxhp_storm_gfns does): 0 or -EIO. */
int tdxhp_map_storm(struct tdxhp *t);


#endif /* TDXHP_LOADER_H */
