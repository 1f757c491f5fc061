// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Identities: the readers of libvirt's status XML, machined's state files
 * and /proc/PID/cgroup on real-looking files (tests/unit/data/identity),
 * and the resolver and its cache on fake /proc and /run trees.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "identity.h"
#include "identity_cache.h"
#include "identity_parse.h"

#define DATA "tests/unit/data/identity/"
#define WEB_UUID "4dea22b3-1d52-d8f3-2516-782e98ab3fa0"

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static void test_uuid_normalize(void **state)
{
	char out[TDXHP_UUID_LEN];

	assert_int_equal(
		tdxhp_uuid_normalize("4DEA22B3-1D52-D8F3-2516-782E98AB3FA0", 36,
				     out),
		0);
	assert_string_equal(out, WEB_UUID);
	assert_int_equal(
		tdxhp_uuid_normalize(" 4dea22b31d52d8f32516782e98ab3fa0\n", 34,
				     out),
		0);
	assert_string_equal(out, WEB_UUID);
	/* Too short, too long, dashes astray, not hex, half the dashes. */
	assert_int_equal(tdxhp_uuid_normalize("4dea22b3", 8, out), -1);
	assert_int_equal(tdxhp_uuid_normalize(
				 "4dea22b31d52d8f32516782e98ab3fa00", 33, out),
			 -1);
	assert_int_equal(
		tdxhp_uuid_normalize("4dea22b31-d52-d8f3-2516-782e98ab3fa0", 36,
				     out),
		-1);
	assert_int_equal(
		tdxhp_uuid_normalize("4dea22b3-1d52-d8f3-2516-782e98ab3fag", 36,
				     out),
		-1);
	assert_int_equal(tdxhp_uuid_normalize(
				 "4dea22b3-1d52d8f32516782e98ab3fa0", 33, out),
			 -1);
	assert_int_equal(tdxhp_uuid_normalize("", 0, out), -1);
}

static void test_libvirt_status(void **state)
{
	struct tdxhp_libvirt_status st;
	size_t len;
	char *xml = slurp(DATA "libvirt-td-web-01.xml", &len);

	assert_int_equal(tdxhp_libvirt_status_parse(xml, len, &st), 0);
	assert_int_equal(st.pid, 41877);
	assert_string_equal(st.name, "td-web-01");
	/* Not the comment's, not the metadata's <app:uuid>. */
	assert_string_equal(st.uuid, WEB_UUID);

	/* Cut before the domain's UUID: nothing made up. */
	assert_int_equal(tdxhp_libvirt_status_parse(
				 xml, strstr(xml, "<uuid>") - xml + 10, &st),
			 -1);
	assert_string_equal(st.uuid, "");
	/* Every prefix reads safely (ASan checks the bounds). */
	for (size_t n = 0; n < len; n += 97)
		tdxhp_libvirt_status_parse(xml, n, &st);
	free(xml);
}

static void test_libvirt_other_xml(void **state)
{
	static const char plain[] =
		"<?xml version='1.0'?>\n<!DOCTYPE domain>\n"
		"<domain type='kvm'><name>a&amp;b&#x2d;c</name>"
		"<uuid>\n  6A0F5CD2-E3B9-4E7B-8C41-A4BFCE0D9A11\n</uuid></domain>";
	static const char nested[] =
		"<domstatus pid='9'><vm><domain><uuid>" WEB_UUID "</uuid>"
		"</domain></vm></domstatus>";
	static const char cdata[] =
		"<domstatus pid=\"12\"><domain><![CDATA[<uuid>" WEB_UUID
		"</uuid>]]><name>x</name></domain></domstatus>";
	static const char *const bad[] = {
		"",
		"<",
		"<domstatus pid='1",
		"<domstatus pid=1>",
		"not xml",
		"<domain><uuid>not-a-uuid</uuid></domain>",
		"</domain><domain><uuid>" WEB_UUID,
	};
	struct tdxhp_libvirt_status st;

	assert_int_equal(
		tdxhp_libvirt_status_parse(plain, sizeof(plain) - 1, &st), 0);
	assert_int_equal(st.pid, 0);
	assert_string_equal(st.name, "a&b-c");
	assert_string_equal(st.uuid, "6a0f5cd2-e3b9-4e7b-8c41-a4bfce0d9a11");
	/* A <uuid> deeper than domstatus/domain is someone else's. */
	assert_int_equal(tdxhp_libvirt_status_parse(nested, sizeof(nested) - 1,
						    &st),
			 -1);
	assert_int_equal(
		tdxhp_libvirt_status_parse(cdata, sizeof(cdata) - 1, &st), -1);
	assert_int_equal(st.pid, 12);
	assert_string_equal(st.name, "x");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(
			tdxhp_libvirt_status_parse(bad[i], strlen(bad[i]), &st),
			-1);
}

static void test_machined(void **state)
{
	struct tdxhp_machined_state st;
	size_t len;
	char *text = slurp(DATA "machined-qemu-3-td-web-01", &len);

	assert_int_equal(tdxhp_machined_parse(text, len, &st), 0);
	assert_string_equal(st.name, "qemu-3-td-web-01");
	assert_int_equal(st.leader, 41877);
	assert_string_equal(st.uuid, WEB_UUID);
	assert_string_equal(st.class_name, "vm");
	free(text);

	/* machined before quoting: C escapes, upper-case ID. */
	text = slurp(DATA "machined-old-qemu-1-build7", &len);
	assert_int_equal(tdxhp_machined_parse(text, len, &st), 0);
	assert_string_equal(st.name, "qemu-1-build7");
	assert_int_equal(st.leader, 2210);
	assert_string_equal(st.uuid, "6a0f5cd2-e3b9-4e7b-8c41-a4bfce0d9a11");
	free(text);

	assert_int_equal(tdxhp_machined_parse("LEADER=5\nID=zz\n", 15, &st),
			 -1);
	assert_int_equal(st.leader, 5);
	assert_string_equal(st.uuid, "");
	assert_int_equal(
		tdxhp_machined_parse("NAME=\"a b\"\nLEADER=12x\n", 22, &st), 0);
	assert_string_equal(st.name, "a b");
	assert_int_equal(st.leader, 0);
}

/* Damaged copies of each fixture: every reader stays in bounds (ASan). */
static void test_damaged_files(void **state)
{
	static const char *const files[] = {
		DATA "libvirt-td-web-01.xml",
		DATA "machined-qemu-3-td-web-01",
		DATA "cgroup-hybrid",
	};
	static const char noise[] = "<>/='\"&;#x\\\n\0-:";
	uint64_t seed = 88172645463325252ULL;

	for (size_t f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
		size_t len;
		char *orig = slurp(files[f], &len);

		for (int round = 0; round < 3000; round++) {
			char *copy = malloc(len);
			size_t cut;
			struct tdxhp_libvirt_status st;
			struct tdxhp_machined_state ms;
			char out[TDXHP_CGROUP_LEN];

			assert_non_null(copy);
			memcpy(copy, orig, len);
			for (int k = 0; k < 4; k++) {
				seed ^= seed << 13;
				seed ^= seed >> 7;
				seed ^= seed << 17;
				copy[seed % len] = noise[(seed >> 32) %
							 (sizeof(noise) - 1)];
			}
			cut = (size_t)(seed >> 20) % (len + 1);
			tdxhp_libvirt_status_parse(copy, cut, &st);
			tdxhp_machined_parse(copy, cut, &ms);
			if (!tdxhp_cgroup_parse(copy, cut, out, sizeof(out))) {
				char unit[64];

				tdxhp_cgroup_unit(out, unit, sizeof(unit));
			}
			free(copy);
		}
		free(orig);
	}
}

static void test_cgroup(void **state)
{
	char path[TDXHP_CGROUP_LEN], unit[128];
	size_t len;
	char *text;

	text = slurp(DATA "cgroup-v2", &len);
	assert_int_equal(tdxhp_cgroup_parse(text, len, path, sizeof(path)), 0);
	assert_string_equal(
		path,
		"/machine.slice/machine-qemu\\x2d3\\x2dtd\\x2dweb\\x2d01.scope/libvirt/emulator");
	assert_int_equal(tdxhp_cgroup_unit(path, unit, sizeof(unit)), 0);
	assert_string_equal(unit,
			    "machine-qemu\\x2d3\\x2dtd\\x2dweb\\x2d01.scope");
	free(text);

	/* Hybrid: the v2 line wins over name=systemd. */
	text = slurp(DATA "cgroup-hybrid", &len);
	assert_int_equal(tdxhp_cgroup_parse(text, len, path, sizeof(path)), 0);
	assert_string_equal(
		path,
		"/machine.slice/machine-qemu\\x2d1\\x2dbuild7.scope/libvirt/emulator");
	free(text);

	/* Legacy only: systemd's hierarchy. */
	text = slurp(DATA "cgroup-v1", &len);
	assert_int_equal(tdxhp_cgroup_parse(text, len, path, sizeof(path)), 0);
	assert_string_equal(path, "/system.slice/qemu-td.service");
	assert_int_equal(tdxhp_cgroup_unit(path, unit, sizeof(unit)), 0);
	assert_string_equal(unit, "qemu-td.service");
	free(text);

	assert_int_equal(tdxhp_cgroup_parse("12:cpuset:/\n", 12, path,
					    sizeof(path)),
			 -1);
	assert_int_equal(tdxhp_cgroup_parse("0::\n", 4, path, sizeof(path)),
			 -1);
	assert_int_equal(tdxhp_cgroup_parse("0::/a/b", 7, path, 4), -1);
	assert_int_equal(tdxhp_cgroup_unit("/", unit, sizeof(unit)), -1);
	assert_int_equal(
		tdxhp_cgroup_unit("/machine.slice", unit, sizeof(unit)), -1);
	assert_int_equal(
		tdxhp_cgroup_unit(
			"/user.slice/user-1000.slice/user@1000.service/app.slice/x.scope",
			unit, sizeof(unit)),
		0);
	assert_string_equal(unit, "user@1000.service");
	assert_int_equal(tdxhp_cgroup_unit("/a.slice/_b.scope/c", unit,
					   sizeof(unit)),
			 0);
	assert_string_equal(unit, "b.scope");
	assert_int_equal(
		tdxhp_cgroup_unit("/a.slice/libvirt", unit, sizeof(unit)), -1);
	assert_int_equal(tdxhp_cgroup_unit("/a.scope", unit, 4), -1);
}

static void test_qemu_uuid(void **state)
{
	static const char cmd[] = "qemu-system-x86_64\0-name\0guest=td-web-01\0"
				  "-uuid\0" WEB_UUID "\0-S\0";
	static const char eq[] =
		"qemu\0--uuid=6A0F5CD2E3B94E7B8C41A4BFCE0D9A11\0";
	static const char cut[] = "qemu\0-uuid\0" WEB_UUID;
	char out[TDXHP_UUID_LEN];

	assert_int_equal(
		tdxhp_uuid_from_qemu_cmdline(cmd, sizeof(cmd) - 1, out), 0);
	assert_string_equal(out, WEB_UUID);
	assert_int_equal(tdxhp_uuid_from_qemu_cmdline(eq, sizeof(eq) - 1, out),
			 0);
	assert_string_equal(out, "6a0f5cd2-e3b9-4e7b-8c41-a4bfce0d9a11");
	/* The value is not terminated inside the buffer: not trusted. */
	assert_int_equal(
		tdxhp_uuid_from_qemu_cmdline(cut, sizeof(cut) - 1, out), -1);
	assert_int_equal(tdxhp_uuid_from_qemu_cmdline("qemu\0-uuid\0", 11, out),
			 -1);
}

/* ------------------------------------------------------------------ */
/* Fake trees                                                          */

struct tree {
	char root[64];
	struct tdxhp_identity_root r;
};

static void put(const struct tree *t, const char *rel, const char *data,
		size_t len)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", t->root, rel);
	for (char *s = path + strlen(t->root) + 1; (s = strchr(s, '/')); s++) {
		*s = '\0';
		mkdir(path, 0755);
		*s = '/';
	}
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
}

static void put_str(const struct tree *t, const char *rel, const char *s)
{
	put(t, rel, s, strlen(s));
}

static void put_fixture(const struct tree *t, const char *rel,
			const char *fixture)
{
	size_t len;
	char *data = slurp(fixture, &len);

	put(t, rel, data, len);
	free(data);
}

static void link_to(const struct tree *t, const char *rel, const char *target)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", t->root, rel);
	assert_int_equal(symlink(target, path), 0);
}

static int tree_setup(void **state)
{
	struct tree *t = calloc(1, sizeof(*t));
	static const char web_cmd[] =
		"/usr/bin/qemu-system-x86_64\0-name\0guest=td-web-01,debug-threads=on\0"
		"-S\0-object\0{\"qom-type\":\"tdx-guest\",\"id\":\"lsec0\"}\0"
		"-uuid\0" WEB_UUID "\0";
	static const char plain_cmd[] =
		"qemu-system-x86_64\0-name\0plain-td\0"
		"-uuid\0aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee\0";
	static const char build_cmd[] =
		"qemu-system-x86_64\0-name\0guest=build7\0";

	assert_non_null(t);
	snprintf(t->root, sizeof(t->root), "/tmp/tdxhp-identity-XXXXXX");
	assert_non_null(mkdtemp(t->root));
	tdxhp_identity_root_init(&t->r, t->root);

	/* A libvirt TD registered with machined: everything is known. */
	put(t, "proc/41877/cmdline", web_cmd, sizeof(web_cmd));
	put_fixture(t, "proc/41877/cgroup", DATA "cgroup-v2");
	put_fixture(t, "run/libvirt/qemu/td-web-01.xml",
		    DATA "libvirt-td-web-01.xml");
	put_str(t, "run/libvirt/qemu/td-web-01.pid", "41877");
	put_fixture(t, "run/systemd/machines/qemu-3-td-web-01",
		    DATA "machined-qemu-3-td-web-01");
	link_to(t,
		"run/systemd/machines/unit:machine-qemu\\x2d3\\x2dtd\\x2dweb\\x2d01.scope",
		"qemu-3-td-web-01");

	/* An older host: no unit link, no status file; machined's LEADER. */
	put(t, "proc/2210/cmdline", build_cmd, sizeof(build_cmd));
	put_fixture(t, "proc/2210/cgroup", DATA "cgroup-hybrid");
	put_fixture(t, "run/systemd/machines/qemu-1-build7",
		    DATA "machined-old-qemu-1-build7");

	/* QEMU run by hand in a service: only -uuid and the cgroup. */
	put(t, "proc/3300/cmdline", plain_cmd, sizeof(plain_cmd));
	put_fixture(t, "proc/3300/cgroup", DATA "cgroup-v1");

	/* A stale status file naming another process: not believed. */
	put(t, "proc/5000/cmdline", build_cmd, sizeof(build_cmd));
	put_str(t, "run/libvirt/qemu/build7.xml",
		"<domstatus pid='4999'><domain><name>build7</name><uuid>"
		"99999999-9999-9999-9999-999999999999</uuid></domain></domstatus>");
	*state = t;
	return 0;
}

static int tree_teardown(void **state)
{
	struct tree *t = *state;
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t->root);
	assert_int_equal(system(cmd), 0);
	free(t);
	return 0;
}

static void test_resolve_libvirt_machined(void **state)
{
	struct tree *t = *state;
	struct tdxhp_identity id;

	tdxhp_identity_resolve(41877, &t->r.paths, &id);
	assert_string_equal(id.uuid, WEB_UUID);
	assert_string_equal(id.machine, "qemu-3-td-web-01");
	assert_string_equal(
		id.cgroup,
		"/machine.slice/machine-qemu\\x2d3\\x2dtd\\x2dweb\\x2d01.scope/libvirt/emulator");
	assert_false(tdxhp_identity_empty(&id));
}

static void test_resolve_fallbacks(void **state)
{
	struct tree *t = *state;
	struct tdxhp_identity id;

	/* Machine by LEADER=, UUID from machined's ID=. */
	tdxhp_identity_resolve(2210, &t->r.paths, &id);
	assert_string_equal(id.machine, "qemu-1-build7");
	assert_string_equal(id.uuid, "6a0f5cd2-e3b9-4e7b-8c41-a4bfce0d9a11");
	assert_string_equal(
		id.cgroup,
		"/machine.slice/machine-qemu\\x2d1\\x2dbuild7.scope/libvirt/emulator");

	/* No libvirt, no machine: QEMU's -uuid and the cgroup. */
	tdxhp_identity_resolve(3300, &t->r.paths, &id);
	assert_string_equal(id.uuid, "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee");
	assert_string_equal(id.machine, "");
	assert_string_equal(id.cgroup, "/system.slice/qemu-td.service");

	/* The status file says pid 4999: its UUID is not this TD's. */
	tdxhp_identity_resolve(5000, &t->r.paths, &id);
	assert_string_equal(id.uuid, "");
	assert_true(tdxhp_identity_empty(&id));

	/* Unknown or vanished processes: nothing. */
	tdxhp_identity_resolve(0, &t->r.paths, &id);
	assert_true(tdxhp_identity_empty(&id));
	tdxhp_identity_resolve(77777, &t->r.paths, &id);
	assert_true(tdxhp_identity_empty(&id));
}

static void rm_rel(const struct tree *t, const char *rel)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", t->root, rel);
	assert_int_equal(remove(path), 0);
}

static void test_cache(void **state)
{
	static const char cmd[] = "qemu-system-x86_64\0-name\0x\0";
	struct tree *t = *state;
	struct tdxhp_identity_cache *c =
		tdxhp_identity_cache_new(4, &t->r.paths, true);
	struct tdxhp_identity_cache *off =
		tdxhp_identity_cache_new(4, &t->r.paths, false);
	struct tdxhp_identity id;
	uint64_t now = 1000;

	assert_non_null(c);
	assert_non_null(off);
	/* Complete: resolved once, then never read again. */
	put_str(t, "proc/6100/cgroup", "0::/system.slice/a.service\n");
	put_str(t, "run/systemd/machines/qemu-8-a",
		"NAME=qemu-8-a\nLEADER=6100\nID=8888888888888888888888888888888a\n");
	tdxhp_identity_cache_get(c, 1, 7, 6100, now, &id);
	assert_string_equal(id.machine, "qemu-8-a");
	rm_rel(t, "run/systemd/machines/qemu-8-a");
	rm_rel(t, "proc/6100/cgroup");
	tdxhp_identity_cache_get(c, 1, 7, 6100,
				 now + 5 * TDXHP_IDENTITY_RETRY_NS, &id);
	assert_string_equal(id.machine, "qemu-8-a");
	assert_string_equal(id.uuid, "88888888-8888-8888-8888-88888888888a");
	assert_string_equal(id.cgroup, "/system.slice/a.service");

	/* Incomplete: looked for again after the retry delay, not before. */
	put(t, "proc/6000/cmdline", cmd, sizeof(cmd));
	tdxhp_identity_cache_get(c, 2, 1, 6000, now, &id);
	assert_string_equal(id.machine, "");
	put_str(t, "run/systemd/machines/qemu-9-x",
		"NAME=qemu-9-x\nLEADER=6000\n");
	tdxhp_identity_cache_get(c, 2, 1, 6000, now + 1, &id);
	assert_string_equal(id.machine, "");
	tdxhp_identity_cache_get(c, 2, 1, 6000, now + TDXHP_IDENTITY_RETRY_NS,
				 &id);
	assert_string_equal(id.machine, "qemu-9-x");
	/* ... and what was found stays if a later try cannot see it. */
	rm_rel(t, "run/systemd/machines/qemu-9-x");
	tdxhp_identity_cache_get(c, 2, 1, 6000,
				 now + 2 * TDXHP_IDENTITY_RETRY_NS, &id);
	assert_string_equal(id.machine, "qemu-9-x");

	/* After a minute, no more tries. */
	tdxhp_identity_cache_get(c, 3, 1, 5000, now, &id);
	put_str(t, "run/systemd/machines/qemu-7-late",
		"NAME=qemu-7-late\nLEADER=5000\n");
	tdxhp_identity_cache_get(c, 3, 1, 5000,
				 now + TDXHP_IDENTITY_PATIENCE_NS + 1, &id);
	assert_string_equal(id.machine, "");
	rm_rel(t, "run/systemd/machines/qemu-7-late");

	/* Another generation in the slot is another TD. */
	tdxhp_identity_cache_get(c, 1, 8, 2210, now, &id);
	assert_string_equal(id.machine, "qemu-1-build7");

	/* Resolution off (a simulation without a fake tree): nothing. */
	tdxhp_identity_cache_get(off, 1, 7, 41877, now, &id);
	assert_true(tdxhp_identity_empty(&id));
	tdxhp_identity_cache_free(c);
	tdxhp_identity_cache_free(off);
}

/* The index of pid files and leaders follows its directories. */
static void test_index(void **state)
{
	static const char cmd[] = "qemu-system-x86_64\0-name\0not-the-domain\0";
	struct tree *t = *state;
	struct tdxhp_identity_index *x = tdxhp_identity_index_new();
	struct tdxhp_identity id;
	char xml[256];

	assert_non_null(x);
	put(t, "proc/7100/cmdline", cmd, sizeof(cmd));
	put(t, "proc/7200/cmdline", cmd, sizeof(cmd));
	snprintf(xml, sizeof(xml),
		 "<domstatus pid='7100'><domain><name>d7</name><uuid>%s</uuid>"
		 "</domain></domstatus>",
		 "77777777-7777-7777-7777-777777777777");
	put_str(t, "run/libvirt/qemu/d7.xml", xml);
	put_str(t, "run/libvirt/qemu/d7.pid", "7100");
	/* Not found by name: by the pid files, through the index. */
	tdxhp_identity_resolve_indexed(7100, &t->r.paths, x, &id);
	assert_string_equal(id.uuid, "77777777-7777-7777-7777-777777777777");
	tdxhp_identity_resolve_indexed(41877, &t->r.paths, x, &id);
	assert_string_equal(id.uuid, WEB_UUID);

	/* The domain restarts as another process: new files, new index. */
	rm_rel(t, "run/libvirt/qemu/d7.pid");
	rm_rel(t, "run/libvirt/qemu/d7.xml");
	snprintf(xml, sizeof(xml),
		 "<domstatus pid='7200'><domain><name>d7</name><uuid>%s</uuid>"
		 "</domain></domstatus>",
		 "77777777-7777-7777-7777-777777777777");
	put_str(t, "run/libvirt/qemu/d7.xml", xml);
	put_str(t, "run/libvirt/qemu/d7.pid", "7200");
	tdxhp_identity_resolve_indexed(7200, &t->r.paths, x, &id);
	assert_string_equal(id.uuid, "77777777-7777-7777-7777-777777777777");
	/* ... and the old process is no longer that domain. */
	tdxhp_identity_resolve_indexed(7100, &t->r.paths, x, &id);
	assert_string_equal(id.uuid, "");

	/* A pid file rewritten in place (the directory unchanged): the stale
	 * entry fails the status file's check and the index is read again. */
	put_str(t, "run/libvirt/qemu/d7.pid", "7100");
	put_str(t, "run/libvirt/qemu/d7.xml",
		"<domstatus><domain><name>d7</name><uuid>"
		"77777777-7777-7777-7777-777777777777</uuid></domain></domstatus>");
	tdxhp_identity_resolve_indexed(7200, &t->r.paths, x, &id);
	assert_string_equal(id.uuid, "");

	/* Machines by leader, the same way. */
	tdxhp_identity_resolve_indexed(2210, &t->r.paths, x, &id);
	assert_string_equal(id.machine, "qemu-1-build7");
	put_str(t, "run/systemd/machines/qemu-5-d7",
		"NAME=qemu-5-d7\nLEADER=7200\n");
	tdxhp_identity_resolve_indexed(7200, &t->r.paths, x, &id);
	assert_string_equal(id.machine, "qemu-5-d7");
	rm_rel(t, "run/systemd/machines/qemu-5-d7");
	tdxhp_identity_resolve_indexed(7200, &t->r.paths, x, &id);
	assert_string_equal(id.machine, "");
	tdxhp_identity_index_free(x);
	rm_rel(t, "run/libvirt/qemu/d7.pid");
	rm_rel(t, "run/libvirt/qemu/d7.xml");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uuid_normalize),
		cmocka_unit_test(test_libvirt_status),
		cmocka_unit_test(test_libvirt_other_xml),
		cmocka_unit_test(test_machined),
		cmocka_unit_test(test_damaged_files),
		cmocka_unit_test(test_cgroup),
		cmocka_unit_test(test_qemu_uuid),
		cmocka_unit_test(test_resolve_libvirt_machined),
		cmocka_unit_test(test_resolve_fallbacks),
		cmocka_unit_test(test_cache),
		cmocka_unit_test(test_index),
	};

	return cmocka_run_group_tests_name("identity", tests, tree_setup,
					   tree_teardown);
}
