// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "identity.h"
#include "identity_parse.h"
#include "names.h"

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

/* The guest's own name first (libvirt gives QEMU -name guest=DOMAIN). */
static int libvirt_uuid(const char *dir, const char *guest, pid_t pid,
			char uuid[TDXHP_UUID_LEN])
{
	struct dirent *e;
	DIR *d;
	int ret = -1;

	if (guest[0] && !libvirt_domain_uuid(dir, guest, pid, uuid))
		return 0;
	d = opendir(dir);
	if (!d)
		return -1;
	while (ret && (e = readdir(d))) {
		size_t n = strlen(e->d_name);
		char path[PATH_MAX], name[NAME_MAX + 1];

		if (n < 5 || strcmp(e->d_name + n - 4, ".pid"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (pid_in_file(path) != pid)
			continue;
		snprintf(name, sizeof(name), "%.*s", (int)(n - 4), e->d_name);
		ret = libvirt_domain_uuid(dir, name, pid, uuid);
	}
	closedir(d);
	return ret;
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
		       char name[TDXHP_MACHINE_LEN], char uuid[TDXHP_UUID_LEN])
{
	struct tdxhp_machined_state st;
	char unit[256], path[PATH_MAX], link[TDXHP_MACHINE_LEN];
	struct dirent *e;
	DIR *d;
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
	d = opendir(dir);
	if (!d)
		return;
	while ((e = readdir(d))) {
		if (machined_state(dir, e->d_name, &st) || st.leader != pid)
			continue;
		snprintf(name, TDXHP_MACHINE_LEN, "%s", st.name);
		memcpy(uuid, st.uuid, TDXHP_UUID_LEN);
		break;
	}
	closedir(d);
}

void tdxhp_identity_resolve(pid_t pid, const struct tdxhp_identity_paths *paths,
			    struct tdxhp_identity *id)
{
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
	if (libvirt_uuid(lv, guest, pid, id->uuid))
		id->uuid[0] = '\0';
	machine_of(machines, pid, id->cgroup, id->machine, machine_uuid);
	if (!id->uuid[0])
		memcpy(id->uuid, qemu_uuid[0] ? qemu_uuid : machine_uuid,
		       TDXHP_UUID_LEN);
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
