// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <string.h>

#include "identity_parse.h"
#include "names.h"
#include "util.h"


static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int tdxhp_uuid_normalize(const char *in, size_t len, char out[TDXHP_UUID_LEN])
{
	static const char digits[] = "0123456789abcdef";
	const char *end = in + len;
	char hex[32];
	size_t n = 0, dashes = 0, pos = 0;

	while (in < end && is_space(*in))
		in++;
	while (end > in && is_space(end[-1]))
		end--;
	for (const char *p = in; p < end; p++, pos++) {
		int v = tdxhp_hex_digit(*p);

		if (*p == '-') {
			/* Only where a canonical UUID has them. */
			if (pos != 8 && pos != 13 && pos != 18 && pos != 23)
				return -1;
			dashes++;
			continue;
		}
		if (v < 0 || n == sizeof(hex))
			return -1;
		hex[n++] = digits[v];
	}
	if (n != sizeof(hex) || (dashes != 0 && dashes != 4))
		return -1;
	for (size_t i = 0, o = 0; i < n; i++) {
		if (i == 8 || i == 12 || i == 16 || i == 20)
			out[o++] = '-';
		out[o++] = hex[i];
	}
	out[36] = '\0';
	return 0;
}

static int take_uuid(const char *value, size_t vlen, void *out)
{
	return tdxhp_uuid_normalize(value, vlen, out);
}

int tdxhp_uuid_from_qemu_cmdline(const char *cmdline, size_t len,
				 char out[TDXHP_UUID_LEN])
{
	return tdxhp_qemu_cmdline_find(cmdline, len, "uuid", take_uuid, out);
}
