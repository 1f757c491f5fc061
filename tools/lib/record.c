// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <endian.h>
#include <errno.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <zlib.h>

#include "record.h"

#if __BYTE_ORDER != __LITTLE_ENDIAN
#error "tdxhp recordings are little-endian; add byte swapping for this host"
#endif

#ifndef TDXHP_VERSION
#define TDXHP_VERSION "unknown"
#endif

_Static_assert(sizeof(struct tdxhp_rec_header) == 1024, "header is 1024 bytes");
_Static_assert(offsetof(struct tdxhp_rec_header, start_time) ==
		       TDXHP_REC_V1_HEADER_SIZE,
	       "version 2 starts where version 1's header ends");
_Static_assert(sizeof(struct tdxhp_rec_event) == 136, "event is 136 bytes");
_Static_assert(sizeof(struct tdxhp_frame_header) == 16, "frame header is 16");
_Static_assert(sizeof(struct tdxhp_rec_td) == 88, "TD frame is 88 bytes");
_Static_assert(sizeof(struct tdxhp_rec_identity) == 368,
	       "identity frame is 368 bytes");
_Static_assert(TDXHP_NR_EVENTS <= TDXHP_REC_MAX_TYPES, "event_source fits");

/*
 * The version 1 event: the kernel's struct tdxhp_record as it was, frozen
 * here so that old files read whatever the kernel's layout becomes.
 */
struct rec_v1_event {
	uint64_t ts_ns;
	uint32_t type, cpu, slot, gen;
	int32_t pid, hkid;
	uint64_t gfn, gfn_end;
	uint64_t err;		/* TDX status, or ret for boundary_split */
	uint64_t seamcall, duration_ns, block_ns, track_ns, demote_ns;
	int32_t level, goal_level;
	uint32_t busy_retries;	/* or nr_split for boundary_split */
	int32_t vcpu_id, reason;
	uint32_t flags;
};
_Static_assert(sizeof(struct rec_v1_event) == TDXHP_REC_V1_RECORD_SIZE,
	       "version 1 event is 120 bytes");

/* The v1 file layout overloads two fields of a boundary split. */
#define TDXHP_FILL_FROM_V1_LAYOUT(e, r)                                        \
	do {                                                                   \
		memset((e), 0, sizeof(*(e)));                                  \
		(e)->ts_ns = (r)->ts_ns;                                       \
		(e)->type = (r)->type;                                         \
		(e)->cpu = (r)->cpu;                                           \
		(e)->slot = (r)->slot;                                         \
		(e)->gen = (r)->gen;                                           \
		(e)->pid = (r)->pid;                                           \
		(e)->hkid = (r)->hkid;                                         \
		(e)->flags = (r)->flags;                                       \
		(e)->gfn = (r)->gfn;                                           \
		(e)->gfn_end = (r)->gfn_end;                                   \
		(e)->seamcall = (r)->seamcall;                                 \
		(e)->duration_ns = (r)->duration_ns;                           \
		(e)->block_ns = (r)->block_ns;                                 \
		(e)->track_ns = (r)->track_ns;                                 \
		(e)->demote_ns = (r)->demote_ns;                               \
		(e)->level = (r)->level;                                       \
		(e)->goal_level = (r)->goal_level;                             \
		(e)->vcpu_id = (r)->vcpu_id;                                   \
		(e)->reason = (r)->reason;                                     \
		if ((r)->type == TDXHP_EV_BOUNDARY_SPLIT) {                    \
			(e)->ret = (int32_t)(r)->err;                          \
			(e)->nr_split = (r)->busy_retries;                     \
		} else {                                                       \
			(e)->status = (r)->err;                                \
			(e)->busy_retries = (r)->busy_retries;                 \
		}                                                              \
	} while (0)

/*
 * The only function that knows the in-kernel record: when struct
 * tdxhp_record changes, change this.
 */
void tdxhp_rec_event_from_record(const struct tdxhp_record *r,
				 struct tdxhp_rec_event *e)
{
	memset(e, 0, sizeof(*e));
	e->ts_ns = r->ts_ns;
	e->type = r->type;
	e->cpu = r->cpu;
	e->slot = r->slot;
	e->gen = r->gen;
	e->pid = r->pid;
	e->hkid = r->hkid;
	e->flags = r->flags;
	e->source = r->source;
	e->gfn = r->ev.gfn;
	e->gfn_end = r->ev.gfn_end;
	e->status = r->ev.status;
	e->seamcall = r->ev.seamcall;
	e->duration_ns = r->ev.duration_ns;
	e->block_ns = r->ev.block_ns;
	e->track_ns = r->ev.track_ns;
	e->demote_ns = r->ev.demote_ns;
	e->level = r->ev.level;
	e->goal_level = r->ev.goal_level;
	e->vcpu_id = r->ev.vcpu_id;
	e->reason = r->ev.reason;
	e->ret = r->ev.ret;
	e->busy_retries = r->ev.busy_retries;
	e->nr_split = r->ev.nr_split;
}

static void event_from_v1(const struct rec_v1_event *r,
			  struct tdxhp_rec_event *e)
{
	TDXHP_FILL_FROM_V1_LAYOUT(e, r);
}

static uint32_t crc(const void *p, size_t len)
{
	return (uint32_t)crc32(0L, p, (uInt)len);
}

/* The errno of a failed stdio write: ENOSPC says more than EIO. */
static int write_errno(void)
{
	return errno ? -errno : -EIO;
}

static int write_frame(struct tdxhp_rec_writer *w, enum tdxhp_frame_kind kind,
		       const void *payload, uint32_t len)
{
	struct tdxhp_frame_header fh = {
		.kind = (uint16_t)kind,
		.payload_len = len,
		.crc32 = crc(payload, len),
	};

	errno = 0;
	if (fwrite(&fh, sizeof(fh), 1, w->f) != 1 ||
	    fwrite(payload, len, 1, w->f) != 1)
		return write_errno();
	return 0;
}

static void copy_str(char *dst, size_t len, const char *src)
{
	snprintf(dst, len, "%s", src ? src : "");
}

/* argv joined by spaces, an argument with unsafe characters in '...'. */
static void join_args(char *out, size_t len, int argc, char **argv)
{
	size_t n = 0;

	out[0] = '\0';
	for (int i = 0; i < argc && n + 1 < len; i++) {
		const char *a = argv[i];
		bool quote = !*a || strpbrk(a, " \t\n'\"\\$`*?[]{}()<>|&;#~!");

		n += (size_t)snprintf(out + n, len - n, "%s%s%s%s", i ? " " : "",
				      quote ? "'" : "", a, quote ? "'" : "");
	}
	if (n >= len && len > 4)
		memcpy(out + len - 4, "...", 4); /* say it was cut */
}

void tdxhp_rec_utc(const struct tdxhp_rec_header *h, uint64_t mono_ns,
		   char *buf, size_t len)
{
	int64_t real = (int64_t)mono_ns + h->mono_to_real_ns;
	time_t sec = (time_t)(real / 1000000000LL);
	struct tm tm;
	size_t n;

	gmtime_r(&sec, &tm);
	n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, len - n, ".%06lldZ",
		 (long long)(real % 1000000000LL) / 1000);
}

void tdxhp_rec_header_describe(struct tdxhp_rec_header *h, int argc,
			       char **argv)
{
	struct timespec m, r;
	struct utsname u;

	clock_gettime(CLOCK_MONOTONIC, &m);
	clock_gettime(CLOCK_REALTIME, &r);
	h->start_mono_ns = (uint64_t)m.tv_sec * 1000000000ULL + (uint64_t)m.tv_nsec;
	h->mono_to_real_ns = ((int64_t)r.tv_sec - m.tv_sec) * 1000000000LL +
			     (r.tv_nsec - m.tv_nsec);
	tdxhp_rec_utc(h, h->start_mono_ns, h->start_time, sizeof(h->start_time));
	if (!uname(&u)) {
		copy_str(h->kernel_release, sizeof(h->kernel_release), u.release);
		copy_str(h->hostname, sizeof(h->hostname), u.nodename);
	}
	copy_str(h->tdxhp_version, sizeof(h->tdxhp_version), TDXHP_VERSION);
	join_args(h->command_line, sizeof(h->command_line), argc, argv);
}

int tdxhp_rec_create(struct tdxhp_rec_writer *w, const char *path,
		     const struct tdxhp_rec_header *h)
{
	struct tdxhp_rec_header hdr = *h;
	int err;

	memset(w, 0, sizeof(*w));
	memcpy(hdr.magic, TDXHP_REC_MAGIC, 8);
	hdr.version = TDXHP_REC_VERSION;
	hdr.header_size = sizeof(hdr);
	hdr.record_size = sizeof(struct tdxhp_rec_event);
	hdr.nr_types = TDXHP_NR_EVENTS;
	w->f = fopen(path, "wbx");
	if (!w->f)
		return -errno;
	errno = 0;
	if (fwrite(&hdr, sizeof(hdr), 1, w->f) != 1) {
		err = write_errno();
		fclose(w->f);
		w->f = NULL;
		return err;
	}
	return 0;
}

int tdxhp_rec_write_event(struct tdxhp_rec_writer *w,
			  const struct tdxhp_rec_event *e)
{
	w->events++;
	return write_frame(w, TDXHP_FRAME_EVENT, e, sizeof(*e));
}

int tdxhp_rec_write_td(struct tdxhp_rec_writer *w, const struct tdxhp_rec_td *td)
{
	return write_frame(w, TDXHP_FRAME_TD, td, sizeof(*td));
}

int tdxhp_rec_write_identity(struct tdxhp_rec_writer *w,
			     const struct tdxhp_rec_identity *id)
{
	return write_frame(w, TDXHP_FRAME_IDENTITY, id, sizeof(*id));
}

int tdxhp_rec_write_lost(struct tdxhp_rec_writer *w, uint64_t lost)
{
	w->lost = lost;
	return write_frame(w, TDXHP_FRAME_LOST, &lost, sizeof(lost));
}

int tdxhp_rec_close(struct tdxhp_rec_writer *w)
{
	struct tdxhp_rec_end end = { .events = w->events, .lost = w->lost };
	int err;

	if (!w->f)
		return 0;
	err = write_frame(w, TDXHP_FRAME_END, &end, sizeof(end));
	errno = 0;
	if (fflush(w->f) || fsync(fileno(w->f)))
		err = err ? err : write_errno();
	errno = 0;
	if (fclose(w->f))
		err = err ? err : write_errno();
	w->f = NULL;
	return err;
}

#define FAIL(r, code, ...)                                                     \
	({                                                                     \
		snprintf((r)->err, sizeof((r)->err), __VA_ARGS__);             \
		-(code);                                                       \
	})

/* The file stops at offset: everything before it is good. */
#define CUT(r, at, ...)                                                        \
	({                                                                     \
		(r)->damage = TDXHP_REC_CUT;                                   \
		(r)->damage_offset = (at);                                     \
		FAIL(r, EINVAL, __VA_ARGS__);                                  \
	})

#define CORRUPT(r, at, ...)                                                    \
	({                                                                     \
		(r)->damage = TDXHP_REC_CORRUPT;                               \
		(r)->damage_offset = (at);                                     \
		FAIL(r, EINVAL, __VA_ARGS__);                                  \
	})

static int read_header(struct tdxhp_rec_reader *r, FILE *f)
{
	struct tdxhp_rec_header *h = &r->h;
	uint32_t min_header, min_record;

	if (fread(h, TDXHP_REC_V1_HEADER_SIZE, 1, f) != 1)
		return FAIL(r, EINVAL, "not a tdxhp recording: shorter than its header");
	if (memcmp(h->magic, TDXHP_REC_MAGIC, 8))
		return FAIL(r, EINVAL, "not a tdxhp recording: bad magic");
	if (h->version != 1 && h->version != TDXHP_REC_VERSION)
		return FAIL(r, ENOTSUP,
			    "recording format version %u is not supported (this tdxhp reads versions 1 and %d)",
			    h->version, TDXHP_REC_VERSION);
	min_header = h->version == 1 ? TDXHP_REC_V1_HEADER_SIZE : sizeof(*h);
	min_record = h->version == 1 ? TDXHP_REC_V1_RECORD_SIZE :
				       sizeof(struct tdxhp_rec_event);
	if (h->header_size < min_header || h->header_size > 4096)
		return FAIL(r, EINVAL, "corrupt recording: header size %u",
			    h->header_size);
	if (h->record_size < min_record || h->record_size > TDXHP_REC_MAX_PAYLOAD)
		return FAIL(r, EINVAL, "corrupt recording: record size %u",
			    h->record_size);
	if (h->version == 1) {
		h->nr_types = 0;
		memset((char *)h + TDXHP_REC_V1_HEADER_SIZE, 0,
		       sizeof(*h) - TDXHP_REC_V1_HEADER_SIZE);
	} else if (fread((char *)h + TDXHP_REC_V1_HEADER_SIZE,
			 sizeof(*h) - TDXHP_REC_V1_HEADER_SIZE, 1, f) != 1) {
		return FAIL(r, EINVAL, "truncated recording: header");
	}
	/* Newer writers may append header fields: skip them. */
	if (h->header_size > min_header &&
	    fseek(f, (long)h->header_size, SEEK_SET))
		return FAIL(r, EINVAL, "truncated recording: header");
	h->source[sizeof(h->source) - 1] = '\0';
	h->start_time[sizeof(h->start_time) - 1] = '\0';
	h->kernel_release[sizeof(h->kernel_release) - 1] = '\0';
	h->hostname[sizeof(h->hostname) - 1] = '\0';
	h->tdxhp_version[sizeof(h->tdxhp_version) - 1] = '\0';
	h->command_line[sizeof(h->command_line) - 1] = '\0';
	for (int i = 0; i < TDXHP_REC_MAX_TYPES; i++)
		h->event_source[i][sizeof(h->event_source[i]) - 1] = '\0';
	return 0;
}

int tdxhp_rec_open_stream(struct tdxhp_rec_reader *r, FILE *f)
{
	int err;

	memset(r, 0, sizeof(*r));
	r->f = f;
	err = read_header(r, f);
	if (err)
		return err;
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

const char *tdxhp_rec_event_source(const struct tdxhp_rec_header *h, int ev)
{
	if (ev < 0 || (uint32_t)ev >= h->nr_types ||
	    ev >= TDXHP_REC_MAX_TYPES || !h->event_source[ev][0])
		return "unknown";
	return h->event_source[ev];
}

static uint32_t payload_size(const struct tdxhp_rec_reader *r,
			     enum tdxhp_frame_kind kind)
{
	switch (kind) {
	case TDXHP_FRAME_EVENT: return r->h.record_size;
	case TDXHP_FRAME_TD: return sizeof(struct tdxhp_rec_td);
	case TDXHP_FRAME_LOST: return sizeof(uint64_t);
	case TDXHP_FRAME_END: return sizeof(struct tdxhp_rec_end);
	case TDXHP_FRAME_IDENTITY: return sizeof(struct tdxhp_rec_identity);
	}
	return 0;
}

/* Read one frame's header and payload into buf; 0 or a negative errno. */
static int read_frame(struct tdxhp_rec_reader *r, struct tdxhp_frame_header *fh,
		      unsigned char *buf)
{
	uint64_t at = r->offset;
	size_t got = fread(fh, 1, sizeof(*fh), r->f);

	if (got != sizeof(*fh))
		return CUT(r, at,
			   "recording cut short at byte %llu: no end frame after %llu events",
			   (unsigned long long)at,
			   (unsigned long long)r->events);
	/* Kind 0 never is written: zeros where a crashed host lost data. */
	if (fh->kind == 0)
		return CUT(r, at,
			   "recording cut short at byte %llu: zeros instead of frames after %llu events",
			   (unsigned long long)at,
			   (unsigned long long)r->events);
	if (fh->payload_len > TDXHP_REC_MAX_PAYLOAD)
		return CORRUPT(r, at,
			       "corrupt recording: frame of %u bytes at offset %llu",
			       fh->payload_len, (unsigned long long)at);
	if (fread(buf, 1, fh->payload_len, r->f) != fh->payload_len)
		return CUT(r, at,
			   "recording cut short at byte %llu: the frame there is incomplete, after %llu events",
			   (unsigned long long)at,
			   (unsigned long long)r->events);
	if (crc(buf, fh->payload_len) != fh->crc32)
		return CORRUPT(r, at,
			       "corrupt recording: checksum mismatch in the frame at offset %llu",
			       (unsigned long long)at);
	r->offset += sizeof(*fh) + fh->payload_len;
	return 0;
}

static int read_event(struct tdxhp_rec_reader *r, const unsigned char *buf,
		      uint64_t at, struct tdxhp_rec_event *e)
{
	if (r->h.version == 1) {
		struct rec_v1_event v1;

		memcpy(&v1, buf, sizeof(v1));
		event_from_v1(&v1, e);
	} else {
		memcpy(e, buf, sizeof(*e));
	}
	if (e->type >= TDXHP_NR_EVENTS)
		return CORRUPT(r, at,
			       "corrupt recording: event type %u at offset %llu",
			       e->type, (unsigned long long)at);
	r->events++;
	r->last_ts_ns = e->ts_ns;
	return 1;
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
	if (r->damage)
		return -EINVAL;
	/* Frames of a kind from a newer writer are skipped. */
	do {
		at = r->offset;
		err = read_frame(r, &fh, buf);
		if (err)
			return err;
		want = payload_size(r, (enum tdxhp_frame_kind)fh.kind);
	} while (!want);
	/* An identity frame may be longer: fields of a newer writer. */
	if (fh.payload_len != want &&
	    !(fh.kind == TDXHP_FRAME_IDENTITY && fh.payload_len > want))
		return CORRUPT(r, at,
			       "corrupt recording: frame kind %u of %u bytes at offset %llu",
			       fh.kind, fh.payload_len, (unsigned long long)at);

	memset(out, 0, sizeof(*out));
	out->kind = (enum tdxhp_frame_kind)fh.kind;
	switch (out->kind) {
	case TDXHP_FRAME_EVENT:
		return read_event(r, buf, at, &out->event);
	case TDXHP_FRAME_TD:
		memcpy(&out->td, buf, sizeof(out->td));
		out->td.name[sizeof(out->td.name) - 1] = '\0';
		return 1;
	case TDXHP_FRAME_LOST:
		memcpy(&out->lost, buf, sizeof(out->lost));
		return 1;
	case TDXHP_FRAME_IDENTITY:
		memcpy(&out->identity, buf, sizeof(out->identity));
		out->identity.uuid[sizeof(out->identity.uuid) - 1] = '\0';
		out->identity.machine[sizeof(out->identity.machine) - 1] = '\0';
		out->identity.cgroup[sizeof(out->identity.cgroup) - 1] = '\0';
		return 1;
	case TDXHP_FRAME_END:
		memcpy(&out->end, buf, sizeof(out->end));
		if (out->end.events != r->events)
			return CORRUPT(r, at,
				       "corrupt recording: end frame counts %llu events, the file has %llu",
				       (unsigned long long)out->end.events,
				       (unsigned long long)r->events);
		r->ended = true;
		return 0;
	}
	return CORRUPT(r, at, "corrupt recording");
}
