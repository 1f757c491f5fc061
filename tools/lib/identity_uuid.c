// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <string.h>

#include "identity_parse.h"

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

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
		int v = hex_value(*p);

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

int tdxhp_uuid_from_qemu_cmdline(const char *cmdline, size_t len,
				 char out[TDXHP_UUID_LEN])
{
	const char *end = cmdline + len;
	const char *arg = cmdline;

	/* Only arguments terminated inside the buffer are looked at. */
	while (arg < end) {
		size_t alen = strnlen(arg, (size_t)(end - arg));
		const char *next = arg + alen + 1;

		if (arg + alen == end)
			break;
		if (!strcmp(arg, "-uuid") || !strcmp(arg, "--uuid")) {
			size_t vlen =
				next < end ?
					strnlen(next, (size_t)(end - next)) :
					0;

			if (next < end && vlen < (size_t)(end - next) &&
			    !tdxhp_uuid_normalize(next, vlen, out))
				return 0;
		} else if (!strncmp(arg, "-uuid=", 6) ||
			   !strncmp(arg, "--uuid=", 7)) {
			const char *v = strchr(arg, '=') + 1;

			if (!tdxhp_uuid_normalize(v, strlen(v), out))
				return 0;
		}
		arg = next;
	}
	return -1;
}
