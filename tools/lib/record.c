// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <endian.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "record.h"

#if __BYTE_ORDER != __LITTLE_ENDIAN
#error "tdxhp recordings are little-endian; add byte swapping for this host"
#endif

_Static_assert(sizeof(struct tdxhp_rec_header) == 128, "header is 128 bytes");
_Static_assert(sizeof(struct tdxhp_frame_header) == 16, "frame header is 16");
_Static_assert(sizeof(struct tdxhp_rec_td) == 88, "TD frame is 88 bytes");

static uint32_t crc(const void *p, size_t len)
{
	return (uint32_t)crc32(0L, p, (uInt)len);
}

static int write_frame(struct tdxhp_rec_writer *w, enum tdxhp_frame_kind kind,
		       const void *payload, uint32_t len)
{
	struct tdxhp_frame_header fh = {
		.kind = (uint16_t)kind,
		.payload_len = len,
		.crc32 = crc(payload, len),
	};

	if (fwrite(&fh, sizeof(fh), 1, w->f) != 1 ||
	    fwrite(payload, len, 1, w->f) != 1)
		return -EIO;
	return 0;
}

int tdxhp_rec_create(struct tdxhp_rec_writer *w, const char *path,
		     const struct tdxhp_rec_header *h)
{
	struct tdxhp_rec_header hdr = *h;

	memset(w, 0, sizeof(*w));
	memcpy(hdr.magic, TDXHP_REC_MAGIC, 8);
	hdr.version = TDXHP_REC_VERSION;
	hdr.header_size = sizeof(hdr);
	hdr.record_size = sizeof(struct tdxhp_record);
	w->f = fopen(path, "wbx");
	if (!w->f)
		return -errno;
	if (fwrite(&hdr, sizeof(hdr), 1, w->f) != 1) {
		fclose(w->f);
		w->f = NULL;
		return -EIO;
	}
	return 0;
}

int tdxhp_rec_write_event(struct tdxhp_rec_writer *w,
			  const struct tdxhp_record *r)
{
	w->events++;
	return write_frame(w, TDXHP_FRAME_EVENT, r, sizeof(*r));
}

int tdxhp_rec_write_td(struct tdxhp_rec_writer *w, const struct tdxhp_rec_td *td)
{
	return write_frame(w, TDXHP_FRAME_TD, td, sizeof(*td));
}

int tdxhp_rec_write_lost(struct tdxhp_rec_writer *w, uint64_t lost)
{
	w->lost = lost;
	return write_frame(w, TDXHP_FRAME_LOST, &lost, sizeof(lost));
}

int tdxhp_rec_close(struct tdxhp_rec_writer *w)
{
	struct tdxhp_rec_end end = { .events = w->events, .lost = w->lost };
	int err = 0;

	if (!w->f)
		return 0;
	if (write_frame(w, TDXHP_FRAME_END, &end, sizeof(end)))
		err = -EIO;
	if (fflush(w->f) || fsync(fileno(w->f)))
		err = err ? err : -errno;
	if (fclose(w->f))
		err = err ? err : -errno;
	w->f = NULL;
	return err;
}

#define FAIL(r, code, ...)                                                     \
	({                                                                     \
		snprintf((r)->err, sizeof((r)->err), __VA_ARGS__);             \
		-(code);                                                       \
	})

int tdxhp_rec_open_stream(struct tdxhp_rec_reader *r, FILE *f)
{
	memset(r, 0, sizeof(*r));
	r->f = f;
	if (fread(&r->h, sizeof(r->h), 1, f) != 1)
		return FAIL(r, EINVAL, "not a tdxhp recording: shorter than its header");
	if (memcmp(r->h.magic, TDXHP_REC_MAGIC, 8))
		return FAIL(r, EINVAL, "not a tdxhp recording: bad magic");
	if (r->h.version != TDXHP_REC_VERSION && r->h.version != 1)
		return FAIL(r, ENOTSUP,
			    "recording format version %u is not supported (this tdxhp reads versions 1 to %d)",
			    r->h.version, TDXHP_REC_VERSION);
	if (r->h.header_size < sizeof(r->h) || r->h.header_size > 4096)
		return FAIL(r, EINVAL, "corrupt recording: header size %u",
			    r->h.header_size);
	/* Newer writers may append header fields and record fields. */
	if (r->h.header_size > sizeof(r->h) &&
	    fseek(f, (long)r->h.header_size, SEEK_SET))
		return FAIL(r, EINVAL, "truncated recording: header");
	if (r->h.record_size < (r->h.version == 1 ?
				sizeof(struct tdxhp_record_v1) :
				sizeof(struct tdxhp_record)) ||
	    r->h.record_size > TDXHP_REC_MAX_PAYLOAD)
		return FAIL(r, EINVAL, "corrupt recording: record size %u",
			    r->h.record_size);
	r->h.source[sizeof(r->h.source) - 1] = '\0';
	r->offset = r->h.header_size;
	return 0;
}

int tdxhp_rec_open(struct tdxhp_rec_reader *r, const char *path)
{
	FILE *f = fopen(path, "rb");
	int err;

	if (!f) {
		memset(r, 0, sizeof(*r));
		return FAIL(r, errno, "%s: %s", path, strerror(errno));
	}
	err = tdxhp_rec_open_stream(r, f);
	if (err) {
		fclose(f);
		r->f = NULL;
	}
	return err;
}

void tdxhp_rec_close_reader(struct tdxhp_rec_reader *r)
{
	if (r->f)
		fclose(r->f);
	r->f = NULL;
}

/*
 * Version 1 stored the in-kernel record of its day: one struct without the
 * source, nr_split and ret of a boundary split in busy_retries and err.
 */
void tdxhp_record_from_v1(struct tdxhp_record *out, const void *buf)
{
	struct tdxhp_record_v1 v;

	memcpy(&v, buf, sizeof(v));
	memset(out, 0, sizeof(*out));
	out->ts_ns = v.ts_ns;
	out->type = v.type;
	out->cpu = v.cpu;
	out->slot = v.slot;
	out->gen = v.gen;
	out->pid = v.pid;
	out->hkid = v.hkid;
	out->flags = v.flags;
	out->source = TDXHP_SRC_TRACEPOINT;
	out->ev.gfn = v.gfn;
	out->ev.gfn_end = v.gfn_end;
	out->ev.seamcall = v.seamcall;
	out->ev.duration_ns = v.duration_ns;
	out->ev.block_ns = v.block_ns;
	out->ev.track_ns = v.track_ns;
	out->ev.demote_ns = v.demote_ns;
	out->ev.level = v.level;
	out->ev.goal_level = v.goal_level;
	out->ev.vcpu_id = v.vcpu_id;
	out->ev.reason = v.reason;
	if (v.type == TDXHP_EV_BOUNDARY_SPLIT) {
		out->ev.nr_split = v.busy_retries;
		out->ev.ret = (int32_t)v.err;
	} else {
		out->ev.status = v.err;
		out->ev.busy_retries = v.busy_retries;
	}
	if (v.type == TDXHP_EV_TD_INIT) {
		out->ev.pid = v.pid;
		out->ev.hkid = v.hkid;
	}
}

static uint32_t payload_size(const struct tdxhp_rec_reader *r,
			     enum tdxhp_frame_kind kind)
{
	switch (kind) {
	case TDXHP_FRAME_EVENT: return r->h.record_size;
	case TDXHP_FRAME_TD: return sizeof(struct tdxhp_rec_td);
	case TDXHP_FRAME_LOST: return sizeof(uint64_t);
	case TDXHP_FRAME_END: return sizeof(struct tdxhp_rec_end);
	}
	return 0;
}

/* Read one frame's header and payload into buf; 0 or a negative errno. */
static int read_frame(struct tdxhp_rec_reader *r, struct tdxhp_frame_header *fh,
		      unsigned char *buf)
{
	uint64_t at = r->offset;

	if (fread(fh, sizeof(*fh), 1, r->f) != 1)
		return FAIL(r, EINVAL,
			    "truncated recording: no end frame after %llu events (offset %llu)",
			    (unsigned long long)r->events,
			    (unsigned long long)at);
	if (fh->payload_len > TDXHP_REC_MAX_PAYLOAD)
		return FAIL(r, EINVAL,
			    "corrupt recording: frame of %u bytes at offset %llu",
			    fh->payload_len, (unsigned long long)at);
	if (fread(buf, 1, fh->payload_len, r->f) != fh->payload_len)
		return FAIL(r, EINVAL,
			    "truncated recording: frame at offset %llu is cut short",
			    (unsigned long long)at);
	if (crc(buf, fh->payload_len) != fh->crc32)
		return FAIL(r, EINVAL,
			    "corrupt recording: checksum mismatch in the frame at offset %llu",
			    (unsigned long long)at);
	r->offset += sizeof(*fh) + fh->payload_len;
	return 0;
}

int tdxhp_rec_next(struct tdxhp_rec_reader *r, struct tdxhp_frame *out)
{
	unsigned char buf[TDXHP_REC_MAX_PAYLOAD];
	struct tdxhp_frame_header fh;
	uint64_t at;
	uint32_t want;
	int err;

	if (r->ended)
		return 0;
	/* Frames of a kind from a newer writer are skipped. */
	do {
		at = r->offset;
		err = read_frame(r, &fh, buf);
		if (err)
			return err;
		want = payload_size(r, (enum tdxhp_frame_kind)fh.kind);
	} while (!want);
	if (fh.payload_len != want)
		return FAIL(r, EINVAL,
			    "corrupt recording: frame kind %u of %u bytes at offset %llu",
			    fh.kind, fh.payload_len, (unsigned long long)at);

	memset(out, 0, sizeof(*out));
	out->kind = (enum tdxhp_frame_kind)fh.kind;
	switch (out->kind) {
	case TDXHP_FRAME_EVENT:
		if (r->h.version == 1)
			tdxhp_record_from_v1(&out->event, buf);
		else
			memcpy(&out->event, buf, sizeof(out->event));
		if (out->event.type >= TDXHP_NR_EVENTS)
			return FAIL(r, EINVAL,
				    "corrupt recording: event type %u at offset %llu",
				    out->event.type, (unsigned long long)at);
		r->events++;
		return 1;
	case TDXHP_FRAME_TD:
		memcpy(&out->td, buf, sizeof(out->td));
		out->td.name[sizeof(out->td.name) - 1] = '\0';
		return 1;
	case TDXHP_FRAME_LOST:
		memcpy(&out->lost, buf, sizeof(out->lost));
		return 1;
	case TDXHP_FRAME_END:
		memcpy(&out->end, buf, sizeof(out->end));
		if (out->end.events != r->events)
			return FAIL(r, EINVAL,
				    "corrupt recording: end frame counts %llu events, the file has %llu",
				    (unsigned long long)out->end.events,
				    (unsigned long long)r->events);
		r->ended = true;
		return 0;
	}
	return FAIL(r, EINVAL, "corrupt recording");
}
