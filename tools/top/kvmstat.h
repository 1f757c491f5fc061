/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * KVM's own page counters from debugfs (/sys/kernel/debug/kvm/pages_*).
 * They count shared and private mappings of every VM together, which is
 * why tdxhp exists; they are shown for comparison, labelled so.
 */
#ifndef TDXHP_TOP_KVMSTAT_H
#define TDXHP_TOP_KVMSTAT_H

#include <stdbool.h>
#include <stdint.h>

struct kvm_pages {
	bool readable;
	uint64_t pages[3];	/* 4K, 2M, 1G */
};

void kvm_pages_read(struct kvm_pages *k, const char *debugfs_kvm);

#endif /* TDXHP_TOP_KVMSTAT_H */
