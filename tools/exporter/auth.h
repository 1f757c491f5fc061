/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* HTTP basic auth against bcrypt hashes (crypt(3) from libxcrypt). */
#ifndef TDXHP_EXPORTER_AUTH_H
#define TDXHP_EXPORTER_AUTH_H

#include <stdbool.h>

#include "webconfig.h"

struct auth;

/* NULL if the config has no users (then every request is let in). */
struct auth *auth_new(const struct web_config *wc);
void auth_free(struct auth *a);

/* True if these credentials passed auth_verify() recently: no bcrypt. */
bool auth_cached(struct auth *a, const char *user, const char *password);

/* The bcrypt check (slow, tens of ms); a success is cached.  Thread-safe. */
bool auth_verify(struct auth *a, const char *user, const char *password);

#endif /* TDXHP_EXPORTER_AUTH_H */
