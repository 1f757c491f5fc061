// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/statfs.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "layout.h"
#include "loader_int.h"
#include "pin.h"
#include "stats.h"
#include "tdxhp.skel.h"
#include "util.h"

#define STREAM_LOCK_DIR "/run/tdxhp"

static const char *const map_pins[] = {
	"info", "schema", "td_meta", "td_stats", "host_stats", "storm_table",
	"events", "bss", "data",
};

bool tdxhp_pin_exists(const char *dir)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/control", dir);
	return access(path, F_OK) == 0;
}

int tdxhp_pin_owner(const char *dir, uint64_t *owner)
{
	struct tdxhp_control c;
	char path[256];
	uint32_t key = 0;
	int fd, err = 0;

	snprintf(path, sizeof(path), "%s/control", dir);
	fd = bpf_obj_get(path);
	if (fd < 0)
		return -errno;
	if (bpf_map_lookup_elem(fd, &key, &c))
		err = -errno;
	close(fd);
	*owner = c.owner;
	return err;
}

static int get_pin(struct tdxhp *t, const char *instdir, const char *name)
{
	char path[320];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", instdir, name);
	fd = bpf_obj_get(path);
	if (fd < 0)
		return tdxhp_fail(t, -errno, "opening the pinned %s: %s", path,
				  strerror(errno));
	return fd;
}

static int *map_fd_slot(struct tdxhp *t, unsigned int i)
{
	int *slots[] = {
		&t->fd.info, &t->fd.schema, &t->fd.td_meta, &t->fd.td_stats,
		&t->fd.host_stats, &t->fd.storm_table, &t->fd.events,
		&t->fd.bss, &t->fd.data,
	};

	return slots[i];
}

static unsigned int log2u(unsigned int n)
{
	unsigned int b = 0;

	while ((1U << b) < n)
		b++;
	return b;
}

/* A stream left on by a consumer that died: nobody holds the lock. */
static void clear_stale_stream(struct tdxhp *t)
{
	struct tdxhp_bpf__bss *bss = t->bss;

	if (!__atomic_load_n(&bss->stream_enabled, __ATOMIC_ACQUIRE))
		return;
	if (tdxhp_stream_lock(t, true) == 0) {
		__atomic_store_n(&bss->stream_enabled, 0, __ATOMIC_RELEASE);
		tdxhp_stream_lock(t, false);
	}
}

int tdxhp_pin_open(struct tdxhp *t, const char *dir, bool simulate)
{
	char instdir[256];
	uint64_t owner = 0;
	uint32_t key = 0;
	int err, fd;

	err = tdxhp_pin_owner(dir, &owner);
	if (err)
		return tdxhp_fail(t, err, "reading %s/control: %s", dir,
				  strerror(-err));
	if (!owner)
		return tdxhp_fail(t, -ENOENT, "the pinned control map under %s names no instance (an interrupted takeover?): run tdxhp-load",
				  dir);
	snprintf(instdir, sizeof(instdir), "%s/%016llx", dir,
		 (unsigned long long)owner);
	fd = get_pin(t, instdir, "info");
	if (fd < 0)
		return fd;
	if (bpf_map_lookup_elem(fd, &key, &t->info)) {
		err = -errno;
		close(fd);
		return tdxhp_fail(t, err, "reading %s/info: %s", instdir,
				  strerror(-err));
	}
	close(fd);
	if (t->info.magic != TDXHP_INFO_MAGIC)
		return tdxhp_fail(t, -EPROTO, "%s/info is not a tdxhp instance",
				  instdir);
	if (t->info.layout_hash != tdxhp_layout_hash())
		return tdxhp_fail(t, -EPROTO, "the instance pinned under %s (tdxhp %.32s, layout %016llx) has another layout than this tdxhp %s (%016llx): use the matching tools, or run this version's tdxhp-load to take it over",
				  dir, t->info.version,
				  (unsigned long long)t->info.layout_hash,
				  TDXHP_VERSION,
				  (unsigned long long)tdxhp_layout_hash());
	if (simulate && !(t->info.flags & TDXHP_INFO_SIMULATED))
		return -EAGAIN;
	if (t->info.nr_cpus != (uint32_t)t->nr_cpus)
		return tdxhp_fail(t, -EPROTO, "the pinned instance was loaded for %u possible CPUs, this system has %d: reload it with tdxhp-load",
				  t->info.nr_cpus, t->nr_cpus);

	for (unsigned int i = 0; i < ARRAY_SIZE(map_pins); i++) {
		fd = get_pin(t, instdir, map_pins[i]);
		if (fd < 0)
			return fd;
		*map_fd_slot(t, i) = fd;
	}
	snprintf(instdir + strlen(instdir), sizeof(instdir) - strlen(instdir),
		 "/..");
	t->fd.control = get_pin(t, dir, "control");
	if (t->fd.control < 0)
		return t->fd.control;
	instdir[strlen(instdir) - 3] = '\0';
	for (int ev = 0; ev < TDXHP_NR_EVENTS; ev++) {
		char name[64], path[320];

		snprintf(name, sizeof(name), "prog_%s", tdxhp_event_name(ev));
		snprintf(path, sizeof(path), "%s/%s", instdir, name);
		t->prog_fd[ev] = bpf_obj_get(path);
	}
	t->pinned = true;
	t->simulated = t->info.flags & TDXHP_INFO_SIMULATED;
	t->nr_slots = t->info.nr_slots;
	t->slot_bits = log2u(t->nr_slots);
	t->nr_shards = t->info.nr_shards;
	t->shard_bits = log2u(t->nr_shards);
	for (int ev = 0; ev < TDXHP_NR_EVENTS; ev++) {
		t->source[ev] = (enum tdxhp_source)t->info.source[ev];
		if (!t->simulated && t->source[ev] != TDXHP_SRC_NONE)
			t->attached |= 1U << ev;
	}
	t->bss = tdxhp_map_array(t, t->fd.bss, "bss",
				 sizeof(struct tdxhp_bpf__bss), true,
				 &t->bss_len);
	if (!t->bss)
		return -EIO;
	clear_stale_stream(t);
	return 0;
}

void tdxhp_pin_close(struct tdxhp *t)
{
	int *fds = (int *)&t->fd;

	for (size_t i = 0; i < sizeof(t->fd) / sizeof(int); i++)
		if (fds[i] >= 0)
			close(fds[i]);
	for (int ev = 0; ev < TDXHP_NR_EVENTS; ev++)
		if (t->prog_fd[ev] >= 0)
			close(t->prog_fd[ev]);
	if (t->bss)
		munmap(t->bss, t->bss_len);
}

static int pin_one(struct tdxhp *t, int err, const char *path)
{
	if (err)
		return tdxhp_fail(t, err, "pinning %s: %s", path,
				  strerror(-err));
	return 0;
}

/* bpffs on /sys/fs/bpf, as bpftool does when nothing mounted it. */
static void mount_bpffs(void)
{
	struct statfs st;

	if (!statfs("/sys/fs/bpf", &st) && st.f_type == BPF_FS_MAGIC)
		return;
	mkdir("/sys/fs/bpf", 0700);
	mount("bpf", "/sys/fs/bpf", "bpf", 0, "mode=0700");
}

int tdxhp_pin_instance(struct tdxhp *t, const char *dir)
{
	struct tdxhp_bpf *skel = t->skel;
	struct bpf_map *maps[] = {
		skel->maps.info, skel->maps.schema, skel->maps.td_meta,
		skel->maps.td_stats, skel->maps.host_stats,
		skel->maps.storm_table, skel->maps.events, skel->maps.bss,
		skel->maps.data,
	};
	char instdir[256], path[320];
	int err;

	mount_bpffs();
	if (mkdir(dir, 0700) && errno != EEXIST)
		return tdxhp_fail(t, -errno, "creating %s: %s (is bpffs mounted on /sys/fs/bpf?)",
				  dir, strerror(errno));
	snprintf(instdir, sizeof(instdir), "%s/%016llx", dir,
		 (unsigned long long)t->info.instance_id);
	if (mkdir(instdir, 0700))
		return tdxhp_fail(t, -errno, "creating %s: %s", instdir,
				  strerror(errno));
	for (unsigned int i = 0; i < ARRAY_SIZE(maps); i++) {
		snprintf(path, sizeof(path), "%s/%s", instdir, map_pins[i]);
		err = pin_one(t, bpf_map__pin(maps[i], path), path);
		if (err)
			return err;
	}
	for (int ev = 0; ev < TDXHP_NR_EVENTS; ev++) {
		struct bpf_program *p = tdxhp_tp_prog(skel, ev);

		if (!bpf_program__autoload(p))
			continue;
		snprintf(path, sizeof(path), "%s/prog_%s", instdir,
			 tdxhp_event_name(ev));
		err = pin_one(t, bpf_program__pin(p, path), path);
		if (err)
			return err;
	}
	for (unsigned int i = 0; i < t->nr_links; i++) {
		snprintf(path, sizeof(path), "%s/link_%s", instdir,
			 t->link_names[i]);
		err = pin_one(t, bpf_link__pin(t->links[i], path), path);
		if (err)
			return err;
	}
	snprintf(path, sizeof(path), "%s/control", dir);
	if (access(path, F_OK)) {
		err = pin_one(t, bpf_map__pin(skel->maps.data_control, path), path);
		if (err)
			return err;
	}
	t->pinned = true;
	return 0;
}

int tdxhp_unpin_instance(const char *dir, uint64_t id)
{
	char instdir[256], path[600];
	struct dirent *de;
	DIR *d;
	int err = 0;

	snprintf(instdir, sizeof(instdir), "%s/%016llx", dir,
		 (unsigned long long)id);
	d = opendir(instdir);
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", instdir, de->d_name);
		if (unlink(path) && !err)
			err = -errno;
	}
	closedir(d);
	if (rmdir(instdir) && !err)
		err = -errno;
	return err;
}

int tdxhp_unpin_all(const char *dir)
{
	char path[320];
	struct dirent *de;
	int n = 0;
	DIR *d = opendir(dir);

	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d))) {
		unsigned long long id;
		char *end;

		if (de->d_name[0] == '.' || !strcmp(de->d_name, "control"))
			continue;
		id = strtoull(de->d_name, &end, 16);
		if (*end || tdxhp_unpin_instance(dir, id) == 0)
			n++;
	}
	closedir(d);
	snprintf(path, sizeof(path), "%s/control", dir);
	if (!unlink(path))
		n++;
	if (rmdir(dir) && errno != ENOENT)
		return -errno;
	return n;
}

/* Who holds the stream lock, for the error message. */
static void lock_holder(int fd, char *buf, size_t len)
{
	char pid[32] = "", comm[64] = "?", path[64];
	ssize_t n = pread(fd, pid, sizeof(pid) - 1, 0);
	FILE *f;

	if (n <= 0) {
		snprintf(buf, len, "another process");
		return;
	}
	pid[strcspn(pid, "\n")] = '\0';
	snprintf(path, sizeof(path), "/proc/%s/comm", pid);
	f = fopen(path, "r");
	if (f) {
		if (fgets(comm, sizeof(comm), f))
			comm[strcspn(comm, "\n")] = '\0';
		fclose(f);
	}
	snprintf(buf, len, "pid %s (%s)", pid, comm);
}

/*
 * One ring buffer, one consumer: a second one would steal records from the
 * first.  The lock is an flock, so a consumer that dies releases it.
 */
int tdxhp_stream_lock(struct tdxhp *t, bool take)
{
	char path[128], who[128], pid[32];
	int fd;

	if (!take) {
		if (t->stream_lock_fd >= 0)
			close(t->stream_lock_fd);
		t->stream_lock_fd = -1;
		return 0;
	}
	if (t->stream_lock_fd >= 0)
		return 0;
	mkdir(STREAM_LOCK_DIR, 0755);
	snprintf(path, sizeof(path), STREAM_LOCK_DIR "/stream-%016llx.lock",
		 (unsigned long long)t->info.instance_id);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return tdxhp_fail(t, -errno, "opening %s: %s", path,
				  strerror(errno));
	if (flock(fd, LOCK_EX | LOCK_NB)) {
		lock_holder(fd, who, sizeof(who));
		close(fd);
		return tdxhp_fail(t, -EBUSY, "the pinned instance's event stream is in use by %s: one stream consumer at a time; stop it, or run with --private for a copy of your own",
				  who);
	}
	snprintf(pid, sizeof(pid), "%d\n", getpid());
	/* The holder's pid is only for messages. */
	if (!ftruncate(fd, 0))
		pwrite(fd, pid, strlen(pid), 0);
	t->stream_lock_fd = fd;
	return 0;
}
