// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Snapshots carry each TD's identity (struct tdxhp_td.id, what tdxhp-top
 * and the exporter show) and tdxhp_td_identity() gives the same for
 * records: from the fake tree under TDXHP_ROOT, resolved once per TD, and
 * never from this host for a simulation without one.
 */
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

#include "fixture.h"
#include "tdxhp/abi.h"

#define UUID "4dea22b3-1d52-d8f3-2516-782e98ab3fa0"

static char root[64];

static void put(const char *rel, const char *data, size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (char *s = path + strlen(root) + 1; (s = strchr(s, '/')); s++) {
		*s = '\0';
		mkdir(path, 0755);
		*s = '/';
	}
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
}

static int make_tree(void **state)
{
	static const char cmd[] =
		"qemu-system-x86_64\0-name\0guest=td1\0-uuid\0" UUID "\0";
	static const char cg[] =
		"0::/machine.slice/machine-qemu\\x2d1\\x2dtd1.scope/libvirt/emulator\n";
	static const char st[] = "NAME=qemu-1-td1\nLEADER=4242\nCLASS=vm\n";

	snprintf(root, sizeof(root), "/tmp/tdxhp-bpf-identity-XXXXXX");
	assert_non_null(mkdtemp(root));
	put("proc/4242/cmdline", cmd, sizeof(cmd));
	put("proc/4242/cgroup", cg, sizeof(cg) - 1);
	put("run/systemd/machines/qemu-1-td1", st, sizeof(st) - 1);
	put("proc/4343/cgroup", "0::/system.slice/other.service\n", 31);
	return 0;
}

static int remove_tree(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	assert_int_equal(system(cmd), 0);
	unsetenv("TDXHP_ROOT");
	return 0;
}

static void test_snapshot_identity(void **state)
{
	const uint64_t kvm = fx_handle(1), kvm2 = fx_handle(2);
	const struct tdxhp_td *td;
	struct tdxhp_identity id;
	char path[512];
	struct fx *f;

	setenv("TDXHP_ROOT", root, 1);
	f = fx_open(NULL);
	ev_init(f, kvm, 4242, 5, 0);
	ev_page(f, TDXHP_EV_PAGE_AUG, kvm, 0x200, TDXHP_LEVEL_2M, 0, 9000, 0);
	fx_read(f);
	td = fx_td(f, kvm);
	assert_non_null(td);
	assert_string_equal(td->id.uuid, UUID);
	assert_string_equal(td->id.machine, "qemu-1-td1");
	assert_string_equal(
		td->id.cgroup,
		"/machine.slice/machine-qemu\\x2d1\\x2dtd1.scope/libvirt/emulator");

	/* Records name a TD by slot and generation: the same identity. */
	tdxhp_td_identity(&f->t, td->slot, td->gen, 4242, &id);
	assert_memory_equal(&id, &td->id, sizeof(id));

	/* Resolved once: later reads and records use the cache, even with
	 * the files gone. */
	snprintf(path, sizeof(path), "%s/run/systemd/machines/qemu-1-td1",
		 root);
	assert_int_equal(unlink(path), 0);
	for (int i = 0; i < 20; i++)
		fx_read(f);
	td = fx_td(f, kvm);
	assert_string_equal(td->id.machine, "qemu-1-td1");
	tdxhp_td_identity(&f->t, td->slot, td->gen, 4242, &id);
	assert_string_equal(id.machine, "qemu-1-td1");

	/* A TD of another process: its own identity, what is missing empty. */
	ev_init(f, kvm2, 4343, 6, 1);
	fx_read(f);
	td = fx_td(f, kvm2);
	assert_non_null(td);
	assert_string_equal(td->id.cgroup, "/system.slice/other.service");
	assert_string_equal(td->id.uuid, "");
	assert_string_equal(td->id.machine, "");

	/* A torn-down slot reused by another TD is resolved anew. */
	ev_teardown(f, kvm, 0);
	ev_init(f, fx_handle(3), 4343, 7, 0);
	fx_read(f);
	td = fx_td(f, fx_handle(3));
	assert_non_null(td);
	assert_string_equal(td->id.cgroup, "/system.slice/other.service");
	fx_close(f);
}

static void test_simulation_without_tree(void **state)
{
	const uint64_t kvm = fx_handle(1);
	const struct tdxhp_td *td;
	struct fx *f;

	unsetenv("TDXHP_ROOT");
	f = fx_open(NULL);
	/* This test's own pid: a real process, yet never looked up. */
	ev_init(f, kvm, (int)getpid(), 5, 0);
	fx_read(f);
	td = fx_td(f, kvm);
	assert_non_null(td);
	/* Looked up, our own /proc/PID/cgroup would have given a cgroup. */
	assert_true(tdxhp_identity_empty(&td->id));
	fx_close(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_snapshot_identity),
		cmocka_unit_test(test_simulation_without_tree),
	};

	return cmocka_run_group_tests_name("identity", tests, make_tree,
					   remove_tree);
}
