/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The live view's TD detail: what the TD does and what to do about it. */
#ifndef TDXHP_TOP_DETAIL_H
#define TDXHP_TOP_DETAIL_H

#include "state.h"

/* The selected row (s->sel_slot, s->sel_gen), else the first; or -1. */
int screen_selected_index(const struct top_state *s);
const struct top_row *screen_selected_row(const struct top_state *s);

/* Open the selected TD: its slow demotes stream while the view is open. */
void detail_open(struct top_state *s);
void detail_close(struct top_state *s);
void detail_draw(struct top_state *s);

#endif /* TDXHP_TOP_DETAIL_H */
