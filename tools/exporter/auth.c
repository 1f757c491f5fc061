// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bcrypt is slow on purpose (tens of ms at cost 10), far more than a scrape
 * should cost.  Like the exporter toolkit, remember recent successes, here
 * as HMAC-SHA256 of user and password under a key drawn at start (so the
 * cache is useless to anyone who reads memory without the key), never the
 * password itself, compared in constant time.
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
	unsigned char key[DIGEST_LEN];
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
	if (gnutls_rnd(GNUTLS_RND_KEY, a->key, sizeof(a->key))) {
		free(a);
		return NULL;
	}
	pthread_mutex_init(&a->lock, NULL);
	return a;
}

void auth_free(struct auth *a)
{
	if (!a)
		return;
	pthread_mutex_destroy(&a->lock);
	explicit_bzero(a->cache, sizeof(a->cache));
	explicit_bzero(a->key, sizeof(a->key));
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

static bool digest(const struct auth *a, const char *user,
		   const char *password, unsigned char out[DIGEST_LEN])
{
	size_t ul = strlen(user), pl = strlen(password);
	size_t n = ul + pl + 1;
	char *msg = malloc(n);
	int ret;

	if (!msg)
		return false;
	memcpy(msg, user, ul + 1);
	memcpy(msg + ul + 1, password, pl);
	ret = gnutls_hmac_fast(GNUTLS_MAC_SHA256, a->key, sizeof(a->key), msg,
			       n, out);
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

bool auth_cached(struct auth *a, const char *user, const char *password)
{
	unsigned char d[DIGEST_LEN];
	bool hit = false;

	if (!digest(a, user, password, d))
		return false;
	pthread_mutex_lock(&a->lock);
	/* Every entry is compared: the time does not say which one matched. */
	for (unsigned int i = 0; i < AUTH_CACHE; i++)
		hit |= a->cache_used[i] && same(a->cache[i], d, DIGEST_LEN);
	pthread_mutex_unlock(&a->lock);
	explicit_bzero(d, sizeof(d));
	return hit;
}

bool auth_verify(struct auth *a, const char *user, const char *password)
{
	const struct web_user *u = NULL;
	unsigned char d[DIGEST_LEN];
	bool ok;

	for (unsigned int i = 0; i < a->wc->nr_users; i++)
		if (!strcmp(a->wc->users[i].name, user))
			u = &a->wc->users[i];
	if (!u) {
		bcrypt_matches(password, dummy_hash);
		return false;
	}
	ok = bcrypt_matches(password, u->hash);
	if (ok && digest(a, user, password, d)) {
		pthread_mutex_lock(&a->lock);
		memcpy(a->cache[a->next], d, DIGEST_LEN);
		a->cache_used[a->next] = true;
		a->next = (a->next + 1) % AUTH_CACHE;
		pthread_mutex_unlock(&a->lock);
		explicit_bzero(d, sizeof(d));
	}
	return ok;
}
