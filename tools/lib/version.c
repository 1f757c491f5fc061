// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <bpf/libbpf.h>

#include "util.h"
#include "version.h"

/* TDXHP_VERSION comes from scripts/version.sh through the Makefile. */
void tdxhp_print_version(FILE *f)
{
	fprintf(f, "%s %s\nlibbpf %s\n", tdxhp_prog_name, TDXHP_VERSION,
		libbpf_version_string());
}
