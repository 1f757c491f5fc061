// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <inttypes.h>

#include "util.h"
#include "values.h"

const char *tdxhp_id_text(int64_t v, bool known, char *buf, size_t len)
{
	if (known)
		snprintf(buf, len, "%" PRId64, v);
	else
		snprintf(buf, len, TDXHP_UNKNOWN_TEXT);
	return buf;
}

int64_t tdxhp_gauge_pages(const struct tdxhp_td_stats *s, int level)
{
	if (level < TDXHP_LEVEL_4K || level > TDXHP_LEVEL_1G)
		return 0;
	return s->pages[level - 1];
}

int64_t tdxhp_gauge_bytes_at(const struct tdxhp_td_stats *s, int level)
{
	static const int shift[] = { 12, 21, 30 };

	if (level < TDXHP_LEVEL_4K || level > TDXHP_LEVEL_1G)
		return 0;
	/* Multiply, not shift: the value may be negative. */
	return s->pages[level - 1] * ((int64_t)1 << shift[level - 1]);
}

int64_t tdxhp_gauge_bytes(const struct tdxhp_td_stats *s)
{
	return tdxhp_gauge_bytes_at(s, TDXHP_LEVEL_4K) +
	       tdxhp_gauge_bytes_at(s, TDXHP_LEVEL_2M) +
	       tdxhp_gauge_bytes_at(s, TDXHP_LEVEL_1G);
}

double tdxhp_coverage_of(int64_t b4k, int64_t b2m, int64_t b1g)
{
	int64_t total = b4k + b2m + b1g;

	if (b4k < 0 || b2m < 0 || b1g < 0 || total <= 0)
		return -1;
	return (double)(b2m + b1g) / (double)total;
}

void tdxhp_format_signed_bytes(int64_t bytes, char *buf, size_t len)
{
	if (bytes >= 0) {
		tdxhp_format_bytes((uint64_t)bytes, buf, len);
		return;
	}
	if (len < 2) {
		if (len)
			buf[0] = '\0';
		return;
	}
	buf[0] = '-';
	tdxhp_format_bytes((uint64_t)0 - (uint64_t)bytes, buf + 1, len - 1);
}
