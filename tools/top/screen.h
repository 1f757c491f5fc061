/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* tdxhp-top's full-screen view (ncurses). */
#ifndef TDXHP_TOP_SCREEN_H
#define TDXHP_TOP_SCREEN_H

#include "state.h"

/* Set up the terminal; restored by screen_end() on every exit path. */
int screen_begin(void);
void screen_end(void);

/* Run until q or a signal (tdxhp_stop); returns 0 or a negative errno. */
int screen_loop(struct top_state *s);

#endif /* TDXHP_TOP_SCREEN_H */
