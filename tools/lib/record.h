/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * tdxhp recordings (tdxhp-trace -w/-r).  Format: docs/record-format.md.
 * All integers are little-endian; every frame's payload has a CRC32.
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

struct tdxhp_rec_header {
	char magic[8];
	uint32_t version;
	uint32_t header_size;	/* 128 */
	uint32_t record_size;	/* sizeof(struct tdxhp_record) when written */
	uint32_t flags;		/* TDXHP_REC_F_* */
	uint64_t start_mono_ns;
	int64_t mono_to_real_ns; /* add to a CLOCK_MONOTONIC time for wall time */
	uint32_t nr_cpus;
	uint32_t reserved;
	char source[80];	/* "live", or "scenario steady, seed 1" */
};

#define TDXHP_REC_F_SIMULATED (1U << 0)

enum tdxhp_frame_kind {
	TDXHP_FRAME_EVENT = 1,	/* struct tdxhp_record */
	TDXHP_FRAME_TD = 2,	/* struct tdxhp_rec_td: a TD's name */
	TDXHP_FRAME_LOST = 3,	/* u64: records lost so far */
	TDXHP_FRAME_END = 4,	/* struct tdxhp_rec_end: a complete file */
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

/* The event record of version 1 files. */
struct tdxhp_record_v1 {
	uint64_t ts_ns;
	uint32_t type, cpu, slot, gen;
	int32_t pid, hkid;
	uint64_t gfn, gfn_end, err, seamcall, duration_ns;
	uint64_t block_ns, track_ns, demote_ns;
	int32_t level, goal_level;
	uint32_t busy_retries;
	int32_t vcpu_id, reason;
	uint32_t flags;
};

void tdxhp_record_from_v1(struct tdxhp_record *out, const void *buf);

/* One frame read back. */
struct tdxhp_frame {
	enum tdxhp_frame_kind kind;
	union {
		struct tdxhp_record event;
		struct tdxhp_rec_td td;
		uint64_t lost;
		struct tdxhp_rec_end end;
	};
};

struct tdxhp_rec_writer {
	FILE *f;
	uint64_t events;
	uint64_t lost;
};

int tdxhp_rec_create(struct tdxhp_rec_writer *w, const char *path,
		     const struct tdxhp_rec_header *h);
int tdxhp_rec_write_event(struct tdxhp_rec_writer *w,
			  const struct tdxhp_record *r);
int tdxhp_rec_write_td(struct tdxhp_rec_writer *w, const struct tdxhp_rec_td *td);
int tdxhp_rec_write_lost(struct tdxhp_rec_writer *w, uint64_t lost);
/* Writes the end frame and closes; 0 or a negative errno. */
int tdxhp_rec_close(struct tdxhp_rec_writer *w);

struct tdxhp_rec_reader {
	FILE *f;
	struct tdxhp_rec_header h;
	uint64_t offset;	/* of the next frame */
	uint64_t events;
	bool ended;
	char err[160];		/* why the last call failed */
};

/* 0, or a negative errno with the reason in r->err. */
int tdxhp_rec_open(struct tdxhp_rec_reader *r, const char *path);
/* The same over an open stream (tests, fuzzing); takes ownership. */
int tdxhp_rec_open_stream(struct tdxhp_rec_reader *r, FILE *f);
/* 1: a frame; 0: the end frame was read; <0: error, reason in r->err. */
int tdxhp_rec_next(struct tdxhp_rec_reader *r, struct tdxhp_frame *out);
void tdxhp_rec_close_reader(struct tdxhp_rec_reader *r);

#endif /* TDXHP_RECORD_H */
