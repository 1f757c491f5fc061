// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "identity.h"
#include "identity_parse.h"
#include "names.h"
#include "util.h"

/* Status files hold QEMU's capabilities before the domain: they are big. */
#define MAX_STATUS_FILE (1U << 20)
#define MAX_SMALL_FILE (64U << 10)

/* The whole file (at most max bytes), NUL-terminated; NULL if unreadable. */
static char *read_all(const char *path, size_t max, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t cap = 4096, n = 0;
	char *buf = NULL;

	if (fd < 0)
		return NULL;
	for (;;) {
		ssize_t r;

		if (n + 1 >= cap || !buf) {
			char *b;

			if (buf)
				cap *= 2;
			if (cap > max + 1)
				cap = max + 1;
			b = realloc(buf, cap);
			if (!b)
				goto fail;
			buf = b;
		}
		if (n == max)
			break;
		r = read(fd, buf + n, cap - 1 - n);
		if (r < 0)
			goto fail;
		if (!r)
			break;
		n += (size_t)r;
	}
	close(fd);
	buf[n] = '\0';
	*len = n;
	return buf;
fail:
	close(fd);
	free(buf);
	return NULL;
}

/* A name used as a file name in a run directory: no path tricks. */
static bool safe_file_name(const char *s)
{
	return s[0] && s[0] != '.' && !strchr(s, '/');
}

static pid_t pid_in_file(const char *path)
{
	char buf[32];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;
	long v = 0;

	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	for (char *c = buf; *c >= '0' && *c <= '9' && v <= INT_MAX / 10; c++)
		v = v * 10 + (*c - '0');
	return (pid_t)v;
}

/*
 * The UUID of libvirt domain name if its status file says pid runs it (or
 * says no pid and its pid file does).  0 if so.
 */
static int libvirt_domain_uuid(const char *dir, const char *name, pid_t pid,
			       char uuid[TDXHP_UUID_LEN])
{
	struct tdxhp_libvirt_status st;
	char path[PATH_MAX];
	size_t len;
	char *xml;
	int ret = -1;

	if (!safe_file_name(name))
		return -1;
	snprintf(path, sizeof(path), "%s/%s.xml", dir, name);
	xml = read_all(path, MAX_STATUS_FILE, &len);
	if (!xml)
		return -1;
	if (!tdxhp_libvirt_status_parse(xml, len, &st)) {
		if (!st.pid) {
			snprintf(path, sizeof(path), "%s/%s.pid", dir, name);
			st.pid = pid_in_file(path);
		}
		if (st.pid == pid) {
			memcpy(uuid, st.uuid, TDXHP_UUID_LEN);
			ret = 0;
		}
	}
	free(xml);
	return ret;
}

/* pid -> name over one run directory, and the directory it was read from. */
struct pid_index {
	bool built;
	dev_t dev;
	ino_t ino;
	struct timespec mtime;
	uint64_t read_ns;	/* CLOCK_MONOTONIC of the last read */
	unsigned int nr, cap;
	struct pid_name {
		pid_t pid;
		char name[TDXHP_MACHINE_LEN];
	} * e;
};

struct tdxhp_identity_index {
	struct pid_index libvirt; /* DOMAIN.pid files */
	struct pid_index machines; /* state files' LEADER= */
};

enum index_kind { PID_FILES, MACHINE_LEADERS };

struct tdxhp_identity_index *tdxhp_identity_index_new(void)
{
	return calloc(1, sizeof(struct tdxhp_identity_index));
}

void tdxhp_identity_index_free(struct tdxhp_identity_index *x)
{
	if (!x)
		return;
	free(x->libvirt.e);
	free(x->machines.e);
	free(x);
}

static int machined_state(const char *dir, const char *name,
			  struct tdxhp_machined_state *st);

static void index_add(struct pid_index *x, pid_t pid, const char *name,
		      size_t len)
{
	if (pid <= 0 || len >= TDXHP_MACHINE_LEN)
		return;
	if (x->nr == x->cap) {
		unsigned int cap = x->cap ? x->cap * 2 : 64;
		void *e = realloc(x->e, cap * sizeof(*x->e));

		if (!e)
			return;
		x->e = e;
		x->cap = cap;
	}
	x->e[x->nr].pid = pid;
	memcpy(x->e[x->nr].name, name, len);
	x->e[x->nr].name[len] = '\0';
	x->nr++;
}

static void index_build(struct pid_index *x, const char *dir,
			enum index_kind kind)
{
	struct dirent *d;
	DIR *dp = opendir(dir);

	x->nr = 0;
	if (!dp)
		return;
	while ((d = readdir(dp))) {
		size_t n = strlen(d->d_name);
		char path[PATH_MAX];
		struct tdxhp_machined_state st;

		if (kind == PID_FILES) {
			if (n < 5 || strcmp(d->d_name + n - 4, ".pid"))
				continue;
			snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
			index_add(x, pid_in_file(path), d->d_name, n - 4);
		} else if (!machined_state(dir, d->d_name, &st)) {
			index_add(x, st.leader, st.name, strlen(st.name));
		}
	}
	closedir(dp);
}

/* A file rewritten in place leaves its directory as it was: a pid the
 * index does not know makes it read again after this long. */
#define INDEX_MISS_AGE_NS 5000000000ULL

/*
 * The name the directory gives pid, or NULL.  Read again if the directory
 * changed (a file added, removed or renamed over it: how libvirt and
 * machined write theirs), if force, or on a miss when the index is old;
 * *fresh says it was just read.
 */
static const char *index_find(struct pid_index *x, const char *dir,
			      enum index_kind kind, pid_t pid, bool force,
			      bool *fresh)
{
	struct stat st;

	*fresh = false;
	if (stat(dir, &st)) {
		x->built = false;
		x->nr = 0;
		return NULL;
	}
	if (force || !x->built || st.st_dev != x->dev || st.st_ino != x->ino ||
	    st.st_mtim.tv_sec != x->mtime.tv_sec ||
	    st.st_mtim.tv_nsec != x->mtime.tv_nsec) {
		/* The time from before reading: a change while reading shows. */
		x->dev = st.st_dev;
		x->ino = st.st_ino;
		x->mtime = st.st_mtim;
		x->read_ns = tdxhp_now_ns();
		index_build(x, dir, kind);
		x->built = true;
		*fresh = true;
	}
	for (unsigned int i = 0; i < x->nr; i++)
		if (x->e[i].pid == pid)
			return x->e[i].name;
	if (!*fresh && tdxhp_now_ns() - x->read_ns > INDEX_MISS_AGE_NS)
		return index_find(x, dir, kind, pid, true, fresh);
	return NULL;
}

/* The guest's own name first (libvirt gives QEMU -name guest=DOMAIN). */
static int libvirt_uuid(const char *dir, const char *guest, pid_t pid,
			struct pid_index *x, char uuid[TDXHP_UUID_LEN])
{
	char name[TDXHP_MACHINE_LEN];
	const char *found;
	bool fresh;

	if (guest[0] && !libvirt_domain_uuid(dir, guest, pid, uuid))
		return 0;
	found = index_find(x, dir, PID_FILES, pid, false, &fresh);
	if (!found)
		return -1;
	snprintf(name, sizeof(name), "%s", found);
	if (!libvirt_domain_uuid(dir, name, pid, uuid))
		return 0;
	/* A pid file rewritten in place: read the directory again, once. */
	if (fresh)
		return -1;
	found = index_find(x, dir, PID_FILES, pid, true, &fresh);
	return found ? libvirt_domain_uuid(dir, found, pid, uuid) : -1;
}

static int machined_state(const char *dir, const char *name,
			  struct tdxhp_machined_state *st)
{
	char path[PATH_MAX];
	size_t len;
	char *text;
	int ret;

	if (!safe_file_name(name) || !strncmp(name, "unit:", 5))
		return -1;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	text = read_all(path, MAX_SMALL_FILE, &len);
	if (!text)
		return -1;
	ret = tdxhp_machined_parse(text, len, st);
	free(text);
	return ret;
}

/*
 * The machine of the VMM: machined links each machine's unit to its name
 * (unit:machine-qemu\x2d1\x2dvm1.scope -> qemu-1-vm1), which is what
 * libsystemd's sd_pid_get_machine_name() reads; else the state file
 * whose leader is the VMM.  Its ID= is a fallback for the UUID.
 */
static void machine_of(const char *dir, pid_t pid, const char *cgroup,
		       struct pid_index *x, char name[TDXHP_MACHINE_LEN],
		       char uuid[TDXHP_UUID_LEN])
{
	struct tdxhp_machined_state st;
	char unit[256], path[PATH_MAX], link[TDXHP_MACHINE_LEN];
	bool fresh;
	ssize_t n;

	if (cgroup[0] && !tdxhp_cgroup_unit(cgroup, unit, sizeof(unit))) {
		snprintf(path, sizeof(path), "%s/unit:%s", dir, unit);
		n = readlink(path, link, sizeof(link) - 1);
		if (n > 0) {
			link[n] = '\0';
			if (safe_file_name(link)) {
				memcpy(name, link, (size_t)n + 1);
				if (!machined_state(dir, link, &st))
					memcpy(uuid, st.uuid, TDXHP_UUID_LEN);
				return;
			}
		}
	}
	for (int tries = 0; tries < 2; tries++) {
		const char *found = index_find(x, dir, MACHINE_LEADERS, pid,
					       tries > 0, &fresh);

		if (!found)
			return;
		snprintf(link, sizeof(link), "%s", found);
		/* Still this machine's leader?  Else read it all again, once. */
		if (!machined_state(dir, link, &st) && st.leader == pid) {
			memcpy(name, st.name, TDXHP_MACHINE_LEN);
			memcpy(uuid, st.uuid, TDXHP_UUID_LEN);
			return;
		}
		if (fresh)
			return;
	}
}

void tdxhp_identity_resolve(pid_t pid, const struct tdxhp_identity_paths *paths,
			    struct tdxhp_identity *id)
{
	tdxhp_identity_resolve_indexed(pid, paths, NULL, id);
}

void tdxhp_identity_resolve_indexed(pid_t pid,
				    const struct tdxhp_identity_paths *paths,
				    struct tdxhp_identity_index *x,
				    struct tdxhp_identity *id)
{
	struct tdxhp_identity_index once = { 0 };
	const char *proc = paths && paths->proc ? paths->proc : "/proc";
	const char *lv = paths && paths->libvirt_run ? paths->libvirt_run :
						       "/run/libvirt/qemu";
	const char *machines = paths && paths->machines ?
				       paths->machines :
				       "/run/systemd/machines";
	char path[PATH_MAX], guest[TDXHP_MACHINE_LEN] = "";
	char qemu_uuid[TDXHP_UUID_LEN] = "", machine_uuid[TDXHP_UUID_LEN] = "";
	size_t len;
	char *buf;

	memset(id, 0, sizeof(*id));
	if (pid <= 0)
		return;
	snprintf(path, sizeof(path), "%s/%d/cmdline", proc, (int)pid);
	buf = read_all(path, MAX_SMALL_FILE, &len);
	if (buf) {
		if (tdxhp_name_from_qemu_cmdline(buf, len, guest,
						 sizeof(guest)))
			guest[0] = '\0';
		if (tdxhp_uuid_from_qemu_cmdline(buf, len, qemu_uuid))
			qemu_uuid[0] = '\0';
		free(buf);
	}
	snprintf(path, sizeof(path), "%s/%d/cgroup", proc, (int)pid);
	buf = read_all(path, MAX_SMALL_FILE, &len);
	if (buf) {
		if (tdxhp_cgroup_parse(buf, len, id->cgroup,
				       sizeof(id->cgroup)))
			id->cgroup[0] = '\0';
		free(buf);
	}
	if (!x)
		x = &once;
	if (libvirt_uuid(lv, guest, pid, &x->libvirt, id->uuid))
		id->uuid[0] = '\0';
	machine_of(machines, pid, id->cgroup, &x->machines, id->machine,
		   machine_uuid);
	if (!id->uuid[0])
		memcpy(id->uuid, qemu_uuid[0] ? qemu_uuid : machine_uuid,
		       TDXHP_UUID_LEN);
	free(once.libvirt.e);
	free(once.machines.e);
}

void tdxhp_identity_root_init(struct tdxhp_identity_root *r, const char *root)
{
	if (!root || !strcmp(root, "/"))
		root = "";
	snprintf(r->proc, sizeof(r->proc), "%s/proc", root);
	snprintf(r->libvirt_run, sizeof(r->libvirt_run), "%s/run/libvirt/qemu",
		 root);
	snprintf(r->machines, sizeof(r->machines), "%s/run/systemd/machines",
		 root);
	r->paths.proc = r->proc;
	r->paths.libvirt_run = r->libvirt_run;
	r->paths.machines = r->machines;
}
