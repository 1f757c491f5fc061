/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Tests look inside the simulator: what the model knows about each TD,
 * and every event it emits.  Not part of libtdxhp.
 */
#ifndef TDXHP_TEST_SIM_INSPECT_H
#define TDXHP_TEST_SIM_INSPECT_H

#include "sim/model.h"
#include "sim/sim.h"

/* TDs the model ever created. */
unsigned int sim_model_nr_tds(const struct sim_model *m);
/* TD i of those: 0, or -1 past the last. */
int sim_model_td_info(const struct sim_model *m, unsigned int i,
		      struct sim_td_info *out);

/* The model: only while the simulator is stopped. */
const struct sim_model *tdxhp_sim_model(const struct tdxhp_sim *s);

/* Send every event to this sink as well (the reference aggregator). */
void tdxhp_sim_tee(struct tdxhp_sim *s, const struct sim_sink *sink);

#endif /* TDXHP_TEST_SIM_INSPECT_H */
