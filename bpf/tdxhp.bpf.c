// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * tdxhp: in-kernel aggregation of TDX private-memory events, one object.
 *
 *   core.bpf.h               the accounting rules, source-neutral
 *   source_tracepoint.bpf.h  raw_tp on the kvm_tdx_* tracepoints
 *   source_seamcall.bpf.h    fentry/fexit on the SEAMCALL wrappers
 *   seamcall_test.bpf.h      test-only entry points into the latter
 *   carry.bpf.h              takeover: state carried from an older instance
 *
 * The loader picks one source per event and turns the others' programs off
 * (bpf_program__set_autoload), so a missing target never fails the load.
 */
#include "vmlinux_min.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "tdxhp/abi.h"
#include "maps.bpf.h"
#include "hist.bpf.h"
#include "storm.bpf.h"
#include "td_table.bpf.h"
#include "stream.bpf.h"
#include "core.bpf.h"
#include "source_tracepoint.bpf.h"
#include "source_seamcall.bpf.h"
#include "seamcall_test.bpf.h"
#include "carry.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";
