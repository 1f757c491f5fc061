// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <string.h>

#include "escape.h"

/* Length of the valid UTF-8 sequence at s, or 0 if it is not valid. */
static size_t utf8_len(const unsigned char *s)
{
	size_t n, i;
	unsigned int cp;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* Reject overlong forms, surrogates and values past U+10FFFF. */
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) ||
	    (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

static const char replacement[] = "\xef\xbf\xbd"; /* U+FFFD */

void tdxhp_json_str(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)(str ? str : "");

	fputc('"', f);
	while (*s) {
		size_t n = utf8_len(s);

		if (!n) {
			fputs(replacement, f);
			s++;
			continue;
		}
		if (n > 1) {
			fwrite(s, 1, n, f);
			s += n;
			continue;
		}
		switch (*s) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if (*s < 0x20 || *s == 0x7f)
				fprintf(f, "\\u%04x", *s);
			else
				fputc(*s, f);
		}
		s++;
	}
	fputc('"', f);
}

size_t tdxhp_prom_label_escape(const char *str, char *out, size_t outlen)
{
	const unsigned char *s = (const unsigned char *)(str ? str : "");
	size_t len = 0, fit = 0;

	/* Copy whole sequences only, so a truncated result stays valid. */
#define EMIT(p, n)                                                             \
	do {                                                                   \
		if (fit == len && len + (n) < outlen) {                        \
			memcpy(out + len, (p), (n));                           \
			fit += (n);                                            \
		}                                                              \
		len += (n);                                                    \
	} while (0)

	while (*s) {
		size_t n = utf8_len(s);

		if (!n) {
			EMIT(replacement, 3);
			s++;
		} else if (*s == '\\') {
			EMIT("\\\\", 2);
			s++;
		} else if (*s == '"') {
			EMIT("\\\"", 2);
			s++;
		} else if (*s == '\n') {
			EMIT("\\n", 2);
			s++;
		} else {
			EMIT(s, n);
			s += n;
		}
	}
#undef EMIT
	if (outlen)
		out[fit] = '\0';
	return len;
}

void tdxhp_csv_str(FILE *f, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}
