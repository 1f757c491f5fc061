/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The kernel types tdxhp's BPF programs need, instead of a generated
 * vmlinux.h.  Base types come from the UAPI headers; the few kernel structs
 * read through CO-RE are declared with only the fields used, so libbpf
 * relocates them against the running kernel's BTF (vmlinux or the kvm and
 * kvm_intel modules).  Nothing here depends on the build host's kernel.
 */
#ifndef TDXHP_VMLINUX_MIN_H
#define TDXHP_VMLINUX_MIN_H

#include <linux/types.h>
#include <linux/bpf.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __s32 s32;
typedef __u64 u64;
typedef __s64 s64;
typedef __u64 gfn_t;
typedef int pid_t;
typedef _Bool bool;
#define true 1
#define false 0

struct bpf_map;

#pragma clang attribute push(__attribute__((preserve_access_index)), apply_to = record)

/* include/linux/kvm_host.h: set to the VMM's pid when the VM is created. */
struct kvm {
	pid_t userspace_pid;
};

/* arch/x86/include/asm/tdx.h: the TD as the SEAMCALL wrappers see it. */
struct tdx_td {
	void *tdr_page;
};

/*
 * arch/x86/kvm/vmx/tdx.h: struct kvm is the first member, struct tdx_td is
 * embedded.  With KVM built as a module this type is in kvm_intel's BTF,
 * where libbpf's CO-RE finds it too.
 */
struct kvm_tdx {
	struct kvm kvm;
	int hkid;
	struct tdx_td td;
};

#pragma clang attribute pop

#endif /* TDXHP_VMLINUX_MIN_H */
