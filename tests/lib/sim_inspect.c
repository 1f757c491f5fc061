// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "sim/model_int.h"
#include "sim/sim_int.h"
#include "sim_inspect.h"

unsigned int sim_model_nr_tds(const struct sim_model *m)
{
	return m->nr_tds;
}

int sim_model_td_info(const struct sim_model *m, unsigned int i,
		      struct sim_td_info *out)
{
	if (i >= m->nr_tds)
		return -1;
	*out = m->tds[i].info;
	return 0;
}

const struct sim_model *tdxhp_sim_model(const struct tdxhp_sim *s)
{
	return s->model;
}

void tdxhp_sim_tee(struct tdxhp_sim *s, const struct sim_sink *sink)
{
	s->tee = sink;
}
