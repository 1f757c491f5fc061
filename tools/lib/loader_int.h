/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Inside the loader: shared by loader.c, pin.c and carry.c only. */
#ifndef TDXHP_LOADER_INT_H
#define TDXHP_LOADER_INT_H

#include "loader.h"

struct bpf_program;

/* Set t->errmsg; returns err as a negative errno. */
int tdxhp_fail(struct tdxhp *t, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

struct bpf_program *tdxhp_tp_prog(struct tdxhp_bpf *skel, int type);
enum tdxhp_sc_prog_kind { TDXHP_SC_ENTRY, TDXHP_SC_EXIT, TDXHP_SC_EXIT_ATOMIC };
struct bpf_program *tdxhp_sc_prog(struct tdxhp_bpf *skel, int w,
				  enum tdxhp_sc_prog_kind kind);

void *tdxhp_map_array(struct tdxhp *t, int fd, const char *name, size_t bytes,
		      bool writable, size_t *lenp);

/* Load a copy of our own; reuse_control_fd >= 0 shares a pinned one. */
int tdxhp_load_private(struct tdxhp *t, const struct tdxhp_opts *o,
		       int reuse_control_fd);
int tdxhp_set_owner(struct tdxhp *t, uint64_t owner);

/* tdxhp-load: open t as a private instance to be pinned under its pin_dir. */
int tdxhp_open_for_pinning(struct tdxhp *t, const struct tdxhp_opts *o,
			   int reuse_control_fd);

#endif /* TDXHP_LOADER_INT_H */
