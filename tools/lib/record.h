/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * tdxhp recordings (tdxhp-trace -w/-r).  Format: docs/record-format.md.
 * All integers are little-endian; every frame's payload has a CRC32.
 *
 * The file holds its own event layout (struct tdxhp_rec_event), not the
 * in-kernel struct tdxhp_record: tdxhp_rec_event_from_record() is the one
 * place that knows the kernel's layout.  Version 1 files (the raw 120-byte
 * kernel record) are still read.
 */
#ifndef TDXHP_RECORD_H
#define TDXHP_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tdxhp/abi.h"

#define TDXHP_REC_MAGIC "TDXHPREC"
#define TDXHP_REC_VERSION 2
#define TDXHP_REC_MAX_PAYLOAD 4096
#define TDXHP_REC_V1_HEADER_SIZE 128
#define TDXHP_REC_V1_RECORD_SIZE 120
#define TDXHP_REC_MAX_TYPES 16		/* entries of event_source[] */

/* The file header, version 2 (1024 bytes); version 1 is its first 128. */
struct tdxhp_rec_header {
	char magic[8];
	uint32_t version;
	uint32_t header_size;	/* 1024 (128 in version 1) */
	uint32_t record_size;	/* sizeof(struct tdxhp_rec_event) */
	uint32_t flags;		/* TDXHP_REC_F_* */
	uint64_t start_mono_ns;
	int64_t mono_to_real_ns; /* add to a CLOCK_MONOTONIC time for wall time */
	uint32_t nr_cpus;
	uint32_t nr_types;	/* event types named in event_source */
	char source[80];	/* "live", or "scenario steady, seed 1" */
	/* version 2 from here */
	char start_time[40];	/* UTC, RFC 3339: 2026-12-01T22:35:22.123456Z */
	uint32_t storm_hits;	/* the detector's thresholds when recorded */
	uint32_t reserved;
	uint64_t storm_window_ns;
	char kernel_release[72];
	char hostname[72];
	char tdxhp_version[56];
	/* "tracepoint", "seamcall", "missing" or "simulated", by event type */
	char event_source[TDXHP_REC_MAX_TYPES][16];
	char command_line[384];
};

#define TDXHP_REC_F_SIMULATED (1U << 0)

/*
 * One event on disk (version 2, 136 bytes): the in-kernel record's header
 * and a normalized body, every field with one meaning.
 */
struct tdxhp_rec_event {
	uint64_t ts_ns;		/* CLOCK_MONOTONIC */
	uint32_t type;		/* enum tdxhp_event_type */
	uint32_t cpu;
	uint32_t slot;		/* the TD: slot and generation */
	uint32_t gen;
	int32_t pid;		/* VMM process, 0 if unknown */
	int32_t hkid;		/* -1 if unknown */
	uint32_t flags;		/* TDXHP_REC_STORM */
	uint32_t source;	/* enum tdxhp_source of the program */
	uint64_t gfn;		/* start gfn of a boundary split */
	uint64_t gfn_end;	/* boundary split: end gfn (exclusive) */
	uint64_t status;	/* TDX status; 0 = success */
	uint64_t seamcall;	/* seamcall_busy: the SEAMCALL leaf */
	uint64_t duration_ns;	/* total; 0 = not measured */
	uint64_t block_ns;	/* demote phases */
	uint64_t track_ns;
	uint64_t demote_ns;
	int32_t level;		/* enum tdxhp_level */
	int32_t goal_level;	/* fault_split_ignored */
	int32_t vcpu_id;	/* fault_split_ignored */
	int32_t reason;		/* boundary_split: enum tdxhp_split_reason */
	int32_t ret;		/* boundary_split: 0 or a negative errno */
	uint32_t busy_retries;	/* page_demote */
	uint32_t nr_split;	/* boundary_split: leaves split */
	uint32_t reserved;
};

/* The kernel's ring-buffer record in the recording's layout. */
void tdxhp_rec_event_from_record(const struct tdxhp_record *r,
				 struct tdxhp_rec_event *e);

enum tdxhp_frame_kind {
	TDXHP_FRAME_EVENT = 1,	/* struct tdxhp_rec_event */
	TDXHP_FRAME_TD = 2,	/* struct tdxhp_rec_td: a TD's name */
	TDXHP_FRAME_LOST = 3,	/* u64: records lost so far */
	TDXHP_FRAME_END = 4,	/* struct tdxhp_rec_end: a complete file */
	TDXHP_FRAME_IDENTITY = 5, /* struct tdxhp_rec_identity: after TD */
};

struct tdxhp_frame_header {
	uint16_t kind;
	uint16_t reserved;
	uint32_t payload_len;
	uint32_t crc32;
	uint32_t reserved2;
};

struct tdxhp_rec_td {
	uint32_t slot;
	uint32_t gen;
	int32_t pid;
	int32_t hkid;
	uint32_t flags;		/* TDXHP_TD_* as known when first seen */
	uint32_t reserved;
	char name[64];
};

struct tdxhp_rec_end {
	uint64_t events;
	uint64_t lost;
};

/*
 * How operators know the TD in (slot, gen): its libvirt UUID, machine and
 * cgroup ("" where unknown).  A kind of its own, so that readers older
 * than it skip it; a newer writer may append fields (a longer payload).
 */
struct tdxhp_rec_identity {
	uint32_t slot;
	uint32_t gen;
	char uuid[40];
	char machine[64];
	char cgroup[256];
};


/* One frame read back. */
struct tdxhp_frame {
	enum tdxhp_frame_kind kind;
	union {
		struct tdxhp_rec_event event;
		struct tdxhp_rec_td td;
		uint64_t lost;
		struct tdxhp_rec_end end;
		struct tdxhp_rec_identity identity;
	};
};

struct tdxhp_rec_writer {
	FILE *f;
	uint64_t events;
	uint64_t lost;
};

/*
 * Fill the header fields that describe this host and run: start times,
 * kernel release, hostname, tdxhp version, command line.
 */
void tdxhp_rec_header_describe(struct tdxhp_rec_header *h, int argc,
			       char **argv);

/* Each returns 0 or a negative errno (-ENOSPC when the disk is full). */
int tdxhp_rec_create(struct tdxhp_rec_writer *w, const char *path,
		     const struct tdxhp_rec_header *h);
int tdxhp_rec_write_event(struct tdxhp_rec_writer *w,
			  const struct tdxhp_rec_event *e);
int tdxhp_rec_write_td(struct tdxhp_rec_writer *w, const struct tdxhp_rec_td *td);
int tdxhp_rec_write_lost(struct tdxhp_rec_writer *w, uint64_t lost);
int tdxhp_rec_write_identity(struct tdxhp_rec_writer *w,
			     const struct tdxhp_rec_identity *id);
/* Writes the end frame and closes. */
int tdxhp_rec_close(struct tdxhp_rec_writer *w);

/* How a read ended short of the END frame. */
enum tdxhp_rec_damage {
	TDXHP_REC_INTACT,
	TDXHP_REC_CUT,		/* the file ends early: everything before is good */
	TDXHP_REC_CORRUPT,	/* a frame fails its checks */
};

struct tdxhp_rec_reader {
	FILE *f;
	struct tdxhp_rec_header h;
	uint64_t offset;	/* of the next frame */
	uint64_t events;
	uint64_t last_ts_ns;	/* of the last good event, 0 if none */
	bool ended;
	enum tdxhp_rec_damage damage;
	uint64_t damage_offset;	/* where the bad or missing frame starts */
	char err[160];		/* why the last call failed */
};

/* 0, or a negative errno with the reason in r->err. */
int tdxhp_rec_open(struct tdxhp_rec_reader *r, const char *path);
/* The same over an open stream (tests, fuzzing); takes ownership. */
int tdxhp_rec_open_stream(struct tdxhp_rec_reader *r, FILE *f);
/*
 * 1: a frame; 0: the end frame was read; <0: error, reason in r->err and
 * r->damage says whether the file was cut or corrupt.
 */
int tdxhp_rec_next(struct tdxhp_rec_reader *r, struct tdxhp_frame *out);
void tdxhp_rec_close_reader(struct tdxhp_rec_reader *r);

/* The source name the header gives event type ev ("unknown" in version 1). */
const char *tdxhp_rec_event_source(const struct tdxhp_rec_header *h, int ev);

/* RFC 3339 UTC of a CLOCK_MONOTONIC time in this recording. */
void tdxhp_rec_utc(const struct tdxhp_rec_header *h, uint64_t mono_ns,
		   char *buf, size_t len);

#endif /* TDXHP_RECORD_H */
