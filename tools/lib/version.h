/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* -V, --version of every tool. */
#ifndef TDXHP_VERSION_H
#define TDXHP_VERSION_H

#include <stdio.h>

/* "tdxhp-top 0.2.0" and the libbpf the tool runs with, for bug reports. */
void tdxhp_print_version(FILE *f);

#endif /* TDXHP_VERSION_H */
