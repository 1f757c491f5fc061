// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The baseline: a raw_tp program that does nothing. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

SEC("raw_tp")
int empty(void *ctx)
{
	return 0;
}
