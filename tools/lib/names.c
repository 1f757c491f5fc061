// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "escape.h"
#include "names.h"

/* Copy the first -name suboption that names the guest, undoing ",,". */
static int parse_name_value(const char *v, char *out, size_t outlen)
{
	const char *p = v;
	while (*p) {
		const char *start = p;
		char buf[256];
		size_t n = 0;

		/* One suboption, up to an unescaped comma. */
		while (*p) {
			if (*p == ',' && p[1] == ',') {
				if (n < sizeof(buf) - 1)
					buf[n++] = ',';
				p += 2;
				continue;
			}
			if (*p == ',')
				break;
			if (n < sizeof(buf) - 1)
				buf[n++] = *p;
			p++;
		}
		buf[n] = '\0';
		if (*p == ',')
			p++;

		const char *name = NULL;

		if (!strncmp(buf, "guest=", 6))
			name = buf + 6;
		else if (!strncmp(buf, "name=", 5))
			name = buf + 5;
		else if (start == v && !strchr(buf, '='))
			name = buf; /* the implied first key */
		if (name && *name) {
			snprintf(out, outlen, "%s", name);
			return 0;
		}
	}
	return -1;
}

int tdxhp_qemu_cmdline_find(const char *cmdline, size_t len, const char *opt,
			    int (*take)(const char *value, size_t vlen,
					void *arg),
			    void *arg)
{
	const char *end = cmdline + len;
	const char *arg_p = cmdline;
	size_t olen = strlen(opt);

	/* Only arguments terminated inside the buffer are looked at. */
	while (arg_p < end) {
		size_t alen = strnlen(arg_p, (size_t)(end - arg_p));
		const char *next = arg_p + alen + 1;
		const char *name;

		if (arg_p + alen == end)
			break;
		/* alen >= 1 here, so arg_p[1] is inside the terminated string. */
		name = arg_p + (alen > 1 && arg_p[1] == '-' ? 2 : 1);
		if (!alen || arg_p[0] != '-' || strncmp(name, opt, olen)) {
			arg_p = next;
			continue;
		}
		if (!name[olen]) {
			size_t vlen = next < end ?
					      strnlen(next, (size_t)(end - next)) :
					      0;

			if (next < end && vlen < (size_t)(end - next) &&
			    !take(next, vlen, arg))
				return 0;
		} else if (name[olen] == '=') {
			const char *v = name + olen + 1;

			if (!take(v, strlen(v), arg))
				return 0;
		}
		arg_p = next;
	}
	return -1;
}

struct name_out {
	char *out;
	size_t outlen;
};

static int take_name(const char *value, size_t vlen, void *arg)
{
	struct name_out *o = arg;

	return parse_name_value(value, o->out, o->outlen);
}

int tdxhp_name_from_qemu_cmdline(const char *cmdline, size_t len, char *out,
				 size_t outlen)
{
	struct name_out o = { out, outlen };

	return tdxhp_qemu_cmdline_find(cmdline, len, "name", take_name, &o);
}

static ssize_t read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len);
	close(fd);
	return n;
}

/* libvirt writes /run/libvirt/qemu/<domain>.pid for every running domain. */
static int name_from_libvirt(const char *dir, pid_t pid, char *out,
			     size_t outlen)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int ret = -1;

	if (!d)
		return -1;
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		char path[4096], buf[32];
		ssize_t r;

		if (n < 5 || strcmp(e->d_name + n - 4, ".pid"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		r = read_file(path, buf, sizeof(buf) - 1);
		if (r <= 0)
			continue;
		buf[r] = '\0';
		if (atoi(buf) != pid)
			continue;
		snprintf(out, outlen, "%.*s", (int)(n - 4), e->d_name);
		ret = 0;
		break;
	}
	closedir(d);
	return ret;
}

enum tdxhp_name_source tdxhp_resolve_name(pid_t pid,
					  const struct tdxhp_name_paths *paths,
					  char *out, size_t outlen)
{
	const char *proc = paths && paths->proc ? paths->proc : "/proc";
	const char *lv = paths && paths->libvirt_run ? paths->libvirt_run :
						       "/run/libvirt/qemu";
	enum tdxhp_name_source src = TDXHP_NAME_NONE;
	char path[4096], buf[8192];
	ssize_t n;

	if (pid <= 0) {
		snprintf(out, outlen, "?");
		return TDXHP_NAME_NONE;
	}
	snprintf(path, sizeof(path), "%s/%d/cmdline", proc, pid);
	n = read_file(path, buf, sizeof(buf) - 1);
	if (n > 0) {
		buf[n] = '\0';
		if (!tdxhp_name_from_qemu_cmdline(buf, (size_t)n, out, outlen))
			src = TDXHP_NAME_QEMU;
	}
	if (src == TDXHP_NAME_NONE && !name_from_libvirt(lv, pid, out, outlen))
		src = TDXHP_NAME_LIBVIRT;
	if (src == TDXHP_NAME_NONE) {
		snprintf(path, sizeof(path), "%s/%d/comm", proc, pid);
		n = read_file(path, buf, sizeof(buf) - 1);
		if (n > 0) {
			while (n > 0 && buf[n - 1] == '\n')
				n--;
			buf[n] = '\0';
			snprintf(out, outlen, "%s", buf);
			src = TDXHP_NAME_COMM;
		}
	}
	if (src == TDXHP_NAME_NONE)
		snprintf(out, outlen, "pid:%d", pid);
	return src;
}
