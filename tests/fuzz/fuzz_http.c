// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer target for everything in the exporter that reads what a
 * client or an operator sends: the HTTP request head parser, the Basic
 * auth header, and the web config (YAML, no file is read).  The first
 * byte picks the parser, the rest is its input.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "basicauth.h"
#include "httpparse.h"
#include "response.h"
#include "webconfig.h"

const char *tdxhp_prog_name = "fuzz";

/* The library's error printer, quiet: formatting is still exercised. */
void tdxhp_err(const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
}

static void request(const uint8_t *data, size_t size)
{
	/* A copy of exactly size bytes, so ASan sees any overread. */
	char *buf = malloc(size ? size : 1);
	struct http_request req;
	struct route_req q;
	long r;

	memcpy(buf, data, size);
	r = http_parse_request(buf, size, 4096, &req);
	if (r > 0) {
		if ((size_t)r > size || (size_t)r > 4096)
			abort();
		if (req.target < buf || req.target + req.target_len > buf + r)
			abort();
		if (memchr(req.target, 0, req.target_len))
			abort();
		route_req_from(&q, &req);
		if (strlen(q.path) > ROUTE_PATH_MAX)
			abort();
		if (q.fmt != EXPO_TEXT && q.fmt != EXPO_PROTOBUF)
			abort();
		if (req.accept && memchr(req.accept, 0, req.accept_len))
			abort();
		if (req.authorization) {
			struct basic_credentials c;

			if (memchr(req.authorization, 0, req.authorization_len))
				abort();
			basic_auth_parse(req.authorization,
					 req.authorization_len, &c);
		}
	} else if (r != 0 && r != -400 && r != -414 && r != -431 && r != -501 &&
		   r != -505) {
		abort();
	}
	free(buf);
}

static void auth(const uint8_t *data, size_t size)
{
	char *buf = malloc(size ? size : 1);
	struct basic_credentials c;

	memcpy(buf, data, size);
	if (!basic_auth_parse(buf, size, &c)) {
		if (strlen(c.user) > BASIC_AUTH_MAX ||
		    strlen(c.password) > BASIC_AUTH_MAX || strchr(c.user, ':'))
			abort();
	}
	free(buf);
}

static void config(const uint8_t *data, size_t size)
{
	struct web_config wc;

	if (!web_config_parse("fuzz.yml", (const char *)data, size, &wc))
		web_config_free(&wc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	switch (data[0] % 3) {
	case 0:
		request(data + 1, size - 1);
		break;
	case 1:
		auth(data + 1, size - 1);
		break;
	default:
		config(data + 1, size - 1);
	}
	return 0;
}

/* response.c serves bodies from the collector; nothing is collected here. */
void collector_count_request(struct collector *c, enum expo_format fmt)
{
}

struct body *collector_get(struct collector *c, enum expo_format fmt)
{
	return NULL;
}

void body_put(struct body *b)
{
}

bool body_gzip(struct body *b, enum expo_format fmt, const char **data,
	       size_t *len)
{
	return false;
}
