// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Kernel memory of the tdxhp BPF object as the kernel itself accounts it:
 * load it the way the tools do (simulated, so nothing attaches) for a TD
 * table sized by --max-tds, and sum the memlock line of /proc/self/fdinfo
 * over every map of the object.  bench/bench_memory.sh runs this in a qemu
 * guest booted with possible_cpus=N.
 *
 * Only the public loader API and the skeleton's map list are used, so a
 * new map layout is measured without changing this file.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/libbpf.h>

#include "cli.h"
#include "loader.h"
#include "tdxhp.skel.h"
#include "util.h"

/* The memlock bytes the kernel charges for one map fd, or -1. */
static long long fd_memlock(int fd)
{
	char path[64], line[256];
	long long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "memlock: %lld", &v) == 1)
			break;
	fclose(f);
	return v;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: tdxhp-memload [-v] [--max-tds N]\n"
		"Load the tdxhp BPF object (simulated: nothing attaches) and print the\n"
		"kernel's memlock accounting summed over its maps:\n"
		"  kernel memory: <TDs> TDs, <CPUs> possible CPUs: <MiB> MiB\n"
		"  -v, --verbose    also each map's memlock\n"
		"      --max-tds N  TD table size, as the tools take it (default %u)\n",
		(1U << TDXHP_DEFAULT_SLOT_BITS) / 2);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "max-tds", required_argument, NULL, TDXHP_OPT_MAX_TDS },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct tdxhp_cli cli = { .load.simulate = true };
	unsigned long tds = (1U << TDXHP_DEFAULT_SLOT_BITS) / 2;
	bool per_map = false;
	long long total = 0;
	struct bpf_map *map;
	struct tdxhp t;
	int opt, nr_maps = 0;

	tdxhp_prog_name = "tdxhp-memload";
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "vh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'h':
			usage(stdout);
			return 0;
		case 'v':
			per_map = true;
			break;
		case TDXHP_OPT_MAX_TDS:
			/* The tools' own rule from TD count to table size. */
			if (tdxhp_cli_parse(opt, optarg, &cli) < 0)
				return 2;
			tds = strtoul(optarg, NULL, 10);
			break;
		default:
			tdxhp_cli_bad_option(argv);
			return 2;
		}
	}
	if (tdxhp_cli_no_more_args(argc, argv))
		return 2;

	if (tdxhp_open(&t, &cli.load))
		return 1;
	bpf_object__for_each_map(map, t.skel->obj) {
		long long m = fd_memlock(bpf_map__fd(map));

		if (m < 0) {
			tdxhp_err("no memlock in fdinfo of map %s",
				  bpf_map__name(map));
			tdxhp_close(&t);
			return 1;
		}
		if (per_map)
			printf("  map %-24s %12lld bytes\n", bpf_map__name(map),
			       m);
		total += m;
		nr_maps++;
	}
	if (per_map)
		printf("  %d maps, 2^%u TD slots, %lld bytes\n", nr_maps,
		       t.slot_bits, total);
	printf("kernel memory: %lu TDs, %d possible CPUs: %.1f MiB\n", tds,
	       t.nr_cpus, total / 1048576.0);
	tdxhp_close(&t);
	return 0;
}
