// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdio.h>

#include "drops.h"
#include "stats.h"

bool tdxhp_drop_counts(enum tdxhp_view v, int c)
{
	if (c < 0 || c >= TDXHP_NR_HOST_COUNTERS)
		return false;
	/* A record that did not fit the ring buffer was still aggregated. */
	return c != TDXHP_HC_RINGBUF_LOST || v == TDXHP_VIEW_STREAM;
}

size_t tdxhp_dropped_text(const struct tdxhp_host_stats *h, enum tdxhp_view v,
			  char *buf, size_t len)
{
	size_t n = 0;

	if (len)
		buf[0] = '\0';
	for (int c = 0; c < TDXHP_NR_HOST_COUNTERS; c++) {
		int w;

		if (!tdxhp_drop_counts(v, c) || !h->counters[c])
			continue;
		w = snprintf(buf + (n < len ? n : len), n < len ? len - n : 0,
			     "%s%s %llu", n ? ", " : "",
			     tdxhp_host_counter_name(c),
			     (unsigned long long)h->counters[c]);
		if (w > 0)
			n += (size_t)w;
	}
	return n;
}
