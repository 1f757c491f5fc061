/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Open the tdxhp BPF state: the pinned, shared instance when there is one
 * (tdxhp-load), else a private copy loaded and attached for this process.
 * Functions return 0 or a negative errno and leave a one-line reason in
 * t->errmsg; they print nothing, the tools do.
 */
#ifndef TDXHP_LOADER_H
#define TDXHP_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tdxhp/abi.h"

struct tdxhp_bpf;
struct bpf_link;
struct tdxhp_name_cache;
struct tdxhp_identity_cache;

#define TDXHP_DEFAULT_PIN_DIR "/sys/fs/bpf/tdxhp"

enum tdxhp_source_choice {
	TDXHP_CHOOSE_AUTO,	 /* tracepoint if present, else seamcall */
	TDXHP_CHOOSE_TRACEPOINT,
	TDXHP_CHOOSE_SEAMCALL,
};

enum tdxhp_instance_use {
	TDXHP_USE_ANY,		/* the pinned instance if any, else private */
	TDXHP_USE_PRIVATE,	/* always load a private copy */
	TDXHP_USE_PINNED,	/* only the pinned instance (tdxhp-load --status) */
};

struct tdxhp_opts {
	bool simulate;		  /* load only: the simulator feeds the programs */
	bool verbose;		  /* show libbpf's messages */
	bool test_entry_points;	  /* tests: load the seamcall test programs */
	bool no_preempt_kfunc;	  /* tests: as if bpf_preempt_disable() were missing */
	bool test_fexit;	  /* tests: also the fexit one, on bpf_fentry_test1 */
	enum tdxhp_source_choice source;
	enum tdxhp_instance_use use;
	const char *pin_dir;	  /* NULL: $TDXHP_PIN_DIR or the default */
	unsigned int slot_bits;	  /* TD table size, 0 for the default */
	unsigned int max_shards;  /* td_stats shards cap, 0 for the default */
	uint32_t storm_hits;	  /* 0 for the default */
	uint64_t storm_window_ns; /* 0 for the default */
	uint64_t td_offset_fallback; /* tests: struct tdx_td in struct kvm_tdx */
	const char *scenario;	  /* simulate: recorded in the instance's info */
	uint64_t seed;
	unsigned int sim_tds;
	const void *bpf_elf;	  /* bench: another build of bpf/tdxhp.bpf.c */
	size_t bpf_elf_size;	  /* (same programs, maps, globals), NULL: ours */
};

/* Resolves a TD's name; the simulator installs one, keyed by handle. */
typedef int (*tdxhp_name_fn)(void *arg, uint64_t kvm, char *out, size_t len);

struct tdxhp_fds {
	int control, info, schema, td_meta, td_stats, host_stats, storm_table,
		events, bss, data;
};

struct tdxhp {
	struct tdxhp_bpf *skel;		/* loaded by us; NULL when pinned */
	bool pinned;			/* the shared instance of pin_dir */
	bool simulated;
	int nr_cpus;			/* possible CPUs, as the maps see them */
	unsigned int slot_bits;
	unsigned int nr_slots;
	unsigned int shard_bits;
	unsigned int nr_shards;		/* td_stats entries per slot */
	uint32_t present;		/* tracepoints found, bit per event */
	uint32_t attached;		/* events with a live source, bit per event */
	enum tdxhp_source source[TDXHP_NR_EVENTS]; /* what feeds each event */
	struct tdxhp_info info;		/* of the instance in use */
	struct tdxhp_fds fd;
	int prog_fd[TDXHP_NR_EVENTS];	/* raw_tp programs, for the simulator */
	int test_fd_entry, test_fd_exit; /* seamcall test entry points, or -1 */
	int carry_fd;			/* takeover program, or -1 */
	struct bpf_link **links;
	const char **link_names;	/* program of each link */
	unsigned int nr_links;
	const struct tdxhp_td_meta *meta; /* td_meta, mmapped read-only */
	size_t meta_len;
	const struct tdxhp_storm_set *storm; /* storm_table, mapped on use */
	size_t storm_len;
	void *bss;			/* runtime knobs, mmapped */
	size_t bss_len;
	int stream_lock_fd;		/* held while streaming a pinned instance */
	tdxhp_name_fn sim_name;
	void *sim_name_arg;
	struct tdxhp_name_cache *names;
	struct tdxhp_identity_cache *ids;
	char pin_dir[192];
	char errmsg[512];
	char note[256];			/* a warning for the tools to show */
};

int tdxhp_open(struct tdxhp *t, const struct tdxhp_opts *o);
void tdxhp_close(struct tdxhp *t);

int tdxhp_prog_fd(const struct tdxhp *t, int event_type);

/* "tracepoint", "seamcall" or "missing" */
const char *tdxhp_source_name(enum tdxhp_source src);
/* "auto", "tracepoint", "seamcall": 0, or -EINVAL */
int tdxhp_parse_source(const char *s, enum tdxhp_source_choice *out);

/* "kvm_tdx_page_aug" */
void tdxhp_tp_name(int event_type, char *buf, size_t len);

/* Which tdxhp tracepoints the running kernel has (tracefs or BTF). */
uint32_t tdxhp_probe_tracepoints(void);

/*
 * Turn the per-event ring buffer on or off.  On a pinned instance one
 * consumer streams at a time: -EBUSY (reason in errmsg) if another does.
 */
int tdxhp_set_stream(struct tdxhp *t, bool on);
int tdxhp_ringbuf_fd(const struct tdxhp *t);

/* Map the storm table (tdxhp_storm_gfns does): 0 or -EIO. */
int tdxhp_map_storm(struct tdxhp *t);

/* "pinned instance 1a2b.. of /sys/fs/bpf/tdxhp" or "private instance" */
void tdxhp_describe_instance(const struct tdxhp *t, char *buf, size_t len);

/* The pin directory these options name. */
const char *tdxhp_pin_dir(const struct tdxhp_opts *o);

#endif /* TDXHP_LOADER_H */
