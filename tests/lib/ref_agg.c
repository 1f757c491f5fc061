// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <string.h>

#include "ref_agg.h"

int test_agg_from_ctx(int type, const void *ctx, struct tdxhp_agg_event *e)
{
	memset(e, 0, sizeof(*e));
	e->type = type;
	e->hkid = -1;
	switch (type) {
	case TDXHP_EV_TD_INIT: {
		const struct tdxhp_ctx_td_init *c = ctx;

		e->key = c->kvm;
		e->pid = (int32_t)c->pid;
		e->hkid = (int32_t)c->hkid;
		break;
	}
	case TDXHP_EV_TD_TEARDOWN:
		e->key = ((const struct tdxhp_ctx_td_teardown *)ctx)->kvm;
		break;
	case TDXHP_EV_PAGE_ADD:
	case TDXHP_EV_PAGE_AUG:
	case TDXHP_EV_PAGE_REMOVE: {
		const struct tdxhp_ctx_page_aug *c = ctx;

		e->key = c->kvm;
		e->gfn = c->gfn;
		e->level = (int32_t)c->level;
		e->err = c->err;
		e->duration_ns = c->duration_ns;
		break;
	}
	case TDXHP_EV_PAGE_DEMOTE: {
		const struct tdxhp_ctx_page_demote *c = ctx;

		e->key = c->kvm;
		e->gfn = c->gfn;
		e->level = (int32_t)c->level;
		e->err = c->err;
		e->block_ns = c->block_ns;
		e->track_ns = c->track_ns;
		e->demote_ns = c->demote_ns;
		e->busy_retries = (uint32_t)c->busy_retries;
		break;
	}
	case TDXHP_EV_BOUNDARY_SPLIT: {
		const struct tdxhp_ctx_boundary_split *c = ctx;

		e->key = c->kvm;
		e->gfn = c->start_gfn;
		e->gfn_end = c->end_gfn;
		e->reason = (int32_t)c->reason;
		e->nr_split = (uint32_t)c->nr_split;
		e->ret = (int32_t)c->ret;
		e->duration_ns = c->duration_ns;
		break;
	}
	case TDXHP_EV_FAULT_SPLIT_IGNORED: {
		const struct tdxhp_ctx_fault_split_ignored *c = ctx;

		e->key = c->kvm;
		e->vcpu_id = (int32_t)c->vcpu_id;
		e->gfn = c->gfn;
		e->level = (int32_t)c->level;
		e->goal_level = (int32_t)c->goal_level;
		break;
	}
	case TDXHP_EV_SEAMCALL_BUSY: {
		const struct tdxhp_ctx_seamcall_busy *c = ctx;

		e->key = c->kvm;
		e->seamcall = c->seamcall;
		e->gfn = c->gfn;
		e->level = (int32_t)c->level;
		break;
	}
	default:
		return -EINVAL;
	}
	return 0;
}
