// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* TD name resolution against fake /proc and libvirt trees. */
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

#include "names.h"
#include "names_cache.h"

static char root[256];

static void write_file(const char *rel, const char *data, size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	fwrite(data, 1, len, f);
	fclose(f);
}

static void mkdir_rel(const char *rel)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	mkdir(path, 0755);
}

static int setup(void **state)
{
	/* Like /proc/PID/cmdline: NUL-separated, NUL-terminated. */
	static const char qemu_guest[] =
		"/usr/bin/qemu-system-x86_64\0-name\0guest=td-web-1,debug-threads=on\0-m\0"
		"8G\0";
	static const char qemu_plain[] = "qemu-kvm\0-name\0db,,primary,process=x\0";
	static const char qemu_eq[] = "qemu\0--name=name=batch\0";

	snprintf(root, sizeof(root), "/tmp/tdxhp-names-XXXXXX");
	assert_non_null(mkdtemp(root));
	mkdir_rel("proc");
	mkdir_rel("proc/100");
	write_file("proc/100/cmdline", qemu_guest, sizeof(qemu_guest));
	mkdir_rel("proc/101");
	write_file("proc/101/cmdline", qemu_plain, sizeof(qemu_plain));
	mkdir_rel("proc/102");
	write_file("proc/102/cmdline", "cloud-hv\0--cpus\0", 16);
	write_file("proc/102/comm", "cloud-hv\n", 9);
	mkdir_rel("proc/103");
	write_file("proc/103/cmdline", "qemu\0", 5);
	write_file("proc/103/comm", "qemu\n", 5);
	mkdir_rel("proc/104");
	write_file("proc/104/cmdline", qemu_eq, sizeof(qemu_eq));
	mkdir_rel("run");
	write_file("run/libvirt-dom.pid", "103", 3);
	write_file("run/other.pid", "999\n", 4);
	write_file("run/notapid.txt", "103", 3);
	return 0;
}

static int teardown(void **state)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	return system(cmd) ? -1 : 0;
}

static struct tdxhp_name_paths paths(void)
{
	static char proc[300], run[300];

	snprintf(proc, sizeof(proc), "%s/proc", root);
	snprintf(run, sizeof(run), "%s/run", root);
	return (struct tdxhp_name_paths){ .proc = proc, .libvirt_run = run };
}

static void test_qemu_cmdline(void **state)
{
	static const char guest[] = "qemu\0-name\0guest=vm1,debug-threads=on\0";
	static const char implied[] = "qemu\0-name\0vm2\0";
	static const char escaped[] = "qemu\0-name\0a,,b,debug-threads=on\0";
	static const char none[] = "qemu\0-m\0" "4G\0";
	static const char dangling[] = "qemu\0-name";	/* no terminator */
	static const char empty_val[] = "qemu\0-name\0\0";
	char out[64];

	assert_int_equal(tdxhp_name_from_qemu_cmdline(guest, sizeof(guest) - 1,
						      out, sizeof(out)), 0);
	assert_string_equal(out, "vm1");
	assert_int_equal(tdxhp_name_from_qemu_cmdline(implied, sizeof(implied) - 1,
						      out, sizeof(out)), 0);
	assert_string_equal(out, "vm2");
	assert_int_equal(tdxhp_name_from_qemu_cmdline(escaped, sizeof(escaped) - 1,
						      out, sizeof(out)), 0);
	assert_string_equal(out, "a,b");
	assert_int_equal(tdxhp_name_from_qemu_cmdline(none, sizeof(none) - 1,
						      out, sizeof(out)), -1);
	assert_int_equal(tdxhp_name_from_qemu_cmdline(dangling,
						      sizeof(dangling) - 1, out,
						      sizeof(out)), -1);
	assert_int_equal(tdxhp_name_from_qemu_cmdline(empty_val,
						      sizeof(empty_val) - 1, out,
						      sizeof(out)), -1);
	/* a long name is truncated, not overflowed */
	{
		char small[4];

		assert_int_equal(tdxhp_name_from_qemu_cmdline(
					 guest, sizeof(guest) - 1, small,
					 sizeof(small)), 0);
		assert_string_equal(small, "vm1");
	}
}

static void test_resolve(void **state)
{
	struct tdxhp_name_paths p = paths();
	char out[64];

	assert_int_equal(tdxhp_resolve_name(100, &p, out, sizeof(out)),
			 TDXHP_NAME_QEMU);
	assert_string_equal(out, "td-web-1");
	assert_int_equal(tdxhp_resolve_name(101, &p, out, sizeof(out)),
			 TDXHP_NAME_QEMU);
	assert_string_equal(out, "db,primary");
	assert_int_equal(tdxhp_resolve_name(104, &p, out, sizeof(out)),
			 TDXHP_NAME_QEMU);
	assert_string_equal(out, "batch");
	/* no -name: libvirt's pid file names the domain */
	assert_int_equal(tdxhp_resolve_name(103, &p, out, sizeof(out)),
			 TDXHP_NAME_LIBVIRT);
	assert_string_equal(out, "libvirt-dom");
	/* neither: the comm */
	assert_int_equal(tdxhp_resolve_name(102, &p, out, sizeof(out)),
			 TDXHP_NAME_COMM);
	assert_string_equal(out, "cloud-hv");
	/* gone process */
	assert_int_equal(tdxhp_resolve_name(555, &p, out, sizeof(out)),
			 TDXHP_NAME_NONE);
	assert_string_equal(out, "pid:555");
	/* unknown pid */
	assert_int_equal(tdxhp_resolve_name(0, &p, out, sizeof(out)),
			 TDXHP_NAME_NONE);
	assert_string_equal(out, "?");
}

static void test_cache(void **state)
{
	struct tdxhp_name_cache *c = tdxhp_name_cache_new(8);

	assert_non_null(c);
	assert_null(tdxhp_name_cache_get(c, 3, 1, 100));
	tdxhp_name_cache_put(c, 3, 1, 100, "vm");
	assert_string_equal(tdxhp_name_cache_get(c, 3, 1, 100), "vm");
	/* a new TD in the same slot, or a pid learnt later, re-resolves */
	assert_null(tdxhp_name_cache_get(c, 3, 2, 100));
	assert_null(tdxhp_name_cache_get(c, 3, 1, 101));
	/* out of range slots are ignored */
	tdxhp_name_cache_put(c, 8, 1, 1, "x");
	assert_null(tdxhp_name_cache_get(c, 8, 1, 1));
	tdxhp_name_cache_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qemu_cmdline),
		cmocka_unit_test(test_resolve),
		cmocka_unit_test(test_cache),
	};

	return cmocka_run_group_tests_name("names", tests, setup, teardown);
}
