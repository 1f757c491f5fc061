// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bcrypt is slow on purpose (tens of ms at cost 10), far more than a scrape
 * should cost.  Like the exporter toolkit, remember recent successes, here
 * as SHA-256 digests of user, password and hash, never the password itself.
 */
#include <crypt.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include "auth.h"

#define AUTH_CACHE 16
#define DIGEST_LEN 32

/* Checked when the user is unknown, so timing does not reveal users. */
static const char dummy_hash[] =
	"$2y$10$lLATui6PASjEjHHTFIKw/OjL5BaotkgZcgZOl5K6xuel0Hpq9JMFW";

struct auth {
	const struct web_config *wc;
	pthread_mutex_t lock;
	unsigned char cache[AUTH_CACHE][DIGEST_LEN];
	bool cache_used[AUTH_CACHE];
	unsigned int next;
};

struct auth *auth_new(const struct web_config *wc)
{
	struct auth *a;

	if (!wc->nr_users)
		return NULL;
	a = calloc(1, sizeof(*a));
	if (!a)
		return NULL;
	a->wc = wc;
	pthread_mutex_init(&a->lock, NULL);
	return a;
}

void auth_free(struct auth *a)
{
	if (!a)
		return;
	pthread_mutex_destroy(&a->lock);
	explicit_bzero(a->cache, sizeof(a->cache));
	free(a);
}

static bool same(const void *x, const void *y, size_t n)
{
	const unsigned char *a = x, *b = y;
	unsigned char diff = 0;

	for (size_t i = 0; i < n; i++)
		diff |= a[i] ^ b[i];
	return !diff;
}

static bool digest(const char *user, const char *password, const char *hash,
		   unsigned char out[DIGEST_LEN])
{
	size_t ul = strlen(user), pl = strlen(password), hl = strlen(hash);
	size_t n = ul + pl + hl + 2;
	char *msg = malloc(n);
	int ret;

	if (!msg)
		return false;
	memcpy(msg, user, ul + 1);
	memcpy(msg + ul + 1, password, pl + 1);
	memcpy(msg + ul + pl + 2, hash, hl);
	ret = gnutls_hash_fast(GNUTLS_DIG_SHA256, msg, n, out);
	explicit_bzero(msg, n);
	free(msg);
	return ret == 0;
}

static bool bcrypt_matches(const char *password, const char *hash)
{
	struct crypt_data *cd = calloc(1, sizeof(*cd));
	const char *out;
	bool ok;

	if (!cd)
		return false;
	out = crypt_rn(password, hash, cd, sizeof(*cd));
	ok = out && strlen(out) == strlen(hash) &&
	     same(out, hash, strlen(hash));
	explicit_bzero(cd, sizeof(*cd));
	free(cd);
	return ok;
}

bool auth_check(struct auth *a, const char *user, const char *password)
{
	const struct web_user *u = NULL;
	unsigned char d[DIGEST_LEN];
	bool have_digest, ok;

	if (!user || !password)
		return false;
	for (unsigned int i = 0; i < a->wc->nr_users; i++)
		if (!strcmp(a->wc->users[i].name, user))
			u = &a->wc->users[i];
	if (!u) {
		bcrypt_matches(password, dummy_hash);
		return false;
	}
	have_digest = digest(user, password, u->hash, d);
	if (have_digest) {
		pthread_mutex_lock(&a->lock);
		for (unsigned int i = 0; i < AUTH_CACHE; i++) {
			if (a->cache_used[i] &&
			    same(a->cache[i], d, DIGEST_LEN)) {
				pthread_mutex_unlock(&a->lock);
				return true;
			}
		}
		pthread_mutex_unlock(&a->lock);
	}
	ok = bcrypt_matches(password, u->hash);
	if (ok && have_digest) {
		pthread_mutex_lock(&a->lock);
		memcpy(a->cache[a->next], d, DIGEST_LEN);
		a->cache_used[a->next] = true;
		a->next = (a->next + 1) % AUTH_CACHE;
		pthread_mutex_unlock(&a->lock);
	}
	return ok;
}
