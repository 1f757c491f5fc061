// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The exporter toolkit reads the file with yaml.UnmarshalStrict into Go
 * structs: unknown keys are errors, an empty or null value is the zero
 * value (unset), YAML 1.1 booleans.  The same here with libyaml, one table
 * of keys per section.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <yaml.h>

#include "util.h"
#include "webconfig.h"

#define MAX_PEM_BYTES (1 << 20)
#define MAX_USERS 1024

struct parse {
	const char *path;
	char *dir; /* of the config file, for relative paths */
	yaml_document_t doc;
	struct web_config *wc;
	char *cert_file, *key_file, *ca_file; /* relative to dir */
	char *cert, *key, *ca; /* inline PEM */
	bool tls_keys; /* a key that turns TLS on */
	bool no_files; /* check only: the fuzzer reads no file */
};

static int fail(const struct parse *p, const yaml_node_t *n, const char *fmt,
		...) __attribute__((format(printf, 3, 4)));

static int fail(const struct parse *p, const yaml_node_t *n, const char *fmt,
		...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n)
		tdxhp_err("web config %s: line %zu: %s", p->path,
			  n->start_mark.line + 1, msg);
	else
		tdxhp_err("web config %s: %s", p->path, msg);
	return -1;
}

static yaml_node_t *node(struct parse *p, int id)
{
	return yaml_document_get_node(&p->doc, id);
}

static const char *scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ?
		       (const char *)n->data.scalar.value :
		       NULL;
}

/* ~, null or nothing, unquoted: YAML's null, the zero value in Go. */
static bool is_null(const yaml_node_t *n)
{
	const char *s = scalar(n);

	return s && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	       (!*s || !strcmp(s, "~") || !strcasecmp(s, "null"));
}

/* A string value: empty or null leaves it unset, as in the toolkit. */
static int want_string(struct parse *p, yaml_node_t *v, const char *key,
		       char **out)
{
	const char *s = scalar(v);

	if (!s)
		return fail(p, v, "%s wants a string", key);
	free(*out);
	*out = NULL;
	if (is_null(v) || !*s)
		return 0;
	*out = strdup(s);
	return *out ? 0 : fail(p, v, "out of memory");
}

/* YAML 1.1 booleans, as yaml.v2 reads them. */
static int want_bool(struct parse *p, yaml_node_t *v, const char *key,
		     bool *out)
{
	static const char *const yes[] = { "true", "yes", "y", "on" };
	static const char *const no[] = { "false", "no", "n", "off" };
	const char *s = scalar(v);

	for (unsigned int i = 0; s && i < ARRAY_SIZE(yes); i++) {
		if (!strcasecmp(s, yes[i])) {
			*out = true;
			return 0;
		}
		if (!strcasecmp(s, no[i])) {
			*out = false;
			return 0;
		}
	}
	if (is_null(v))
		return 0;
	return fail(p, v, "%s wants true or false, not '%s'", key,
		    s ? s : "a list or mapping");
}

/* The items of a list (null: none); -1 if v is not a list. */
static int list_items(struct parse *p, yaml_node_t *v, const char *key,
		      yaml_node_item_t **start, yaml_node_item_t **top)
{
	*start = *top = NULL;
	if (is_null(v))
		return 0;
	if (v->type != YAML_SEQUENCE_NODE)
		return fail(p, v, "%s wants a list", key);
	*start = v->data.sequence.items.start;
	*top = v->data.sequence.items.top;
	return 0;
}

/* True if [s, end) holds one of chars. */
static bool strpbrk_n(const char *s, const char *end, const char *chars)
{
	for (; s < end; s++)
		if (strchr(chars, *s))
			return true;
	return false;
}

/* Go's time.ParseDuration: "1s", "1m30s", "500ms", "1.5h"; or ns as an int. */
static int go_duration(const char *s, double *seconds)
{
	static const struct {
		const char *unit;
		double s;
	} units[] = { { "ns", 1e-9 }, { "us", 1e-6 }, { "µs", 1e-6 },
		      { "ms", 1e-3 }, { "s", 1 },     { "m", 60 },
		      { "h", 3600 } };
	double total = 0;
	char *end;

	if (!*s)
		return -1;
	if (strspn(s, "0123456789") == strlen(s)) {
		*seconds = strtod(s, NULL) * 1e-9;
		return 0;
	}
	while (*s) {
		double v;
		size_t best = 0;
		double mult = 0;

		/* Digits and a dot only: no sign, exponent, hex or inf. */
		if (!strchr("0123456789.", *s))
			return -1;
		v = strtod(s, &end);
		if (end == s || strpbrk_n(s, end, "eExXnN"))
			return -1;
		s = end;
		/* The longest unit that matches: "ms" before "m". */
		for (unsigned int i = 0; i < ARRAY_SIZE(units); i++) {
			size_t n = strlen(units[i].unit);

			if (n > best && !strncmp(s, units[i].unit, n)) {
				best = n;
				mult = units[i].s;
			}
		}
		if (!best)
			return -1;
		total += v * mult;
		s += best;
	}
	*seconds = total;
	return 0;
}

static const char *const client_auth_names[] = {
	[CLIENT_AUTH_NONE] = "NoClientCert",
	[CLIENT_AUTH_REQUEST] = "RequestClientCert",
	[CLIENT_AUTH_REQUIRE_ANY] = "RequireAnyClientCert",
	[CLIENT_AUTH_VERIFY_IF_GIVEN] = "VerifyClientCertIfGiven",
	[CLIENT_AUTH_REQUIRE_VERIFY] = "RequireAndVerifyClientCert",
};

struct key {
	const char *name;
	int (*fn)(struct parse *p, const char *key, yaml_node_t *v);
};

/* A mapping of known keys; an unknown or repeated one is an error. */
static int mapping(struct parse *p, yaml_node_t *map, const char *section,
		   const struct key *keys, unsigned int nr)
{
	char known[512];
	size_t n = 0;

	if (is_null(map))
		return 0;
	if (map->type != YAML_MAPPING_NODE)
		return fail(p, map, "%s wants a mapping", section);
	for (yaml_node_pair_t *kv = map->data.mapping.pairs.start;
	     kv < map->data.mapping.pairs.top; kv++) {
		yaml_node_t *k = node(p, kv->key), *v = node(p, kv->value);
		const char *key = scalar(k);
		unsigned int i;

		if (!key)
			return fail(p, k, "%s: keys must be strings", section);
		for (yaml_node_pair_t *o = map->data.mapping.pairs.start;
		     o < kv; o++)
			if (!strcmp(scalar(node(p, o->key)) ?: "", key))
				return fail(p, k, "%s: '%s' appears twice",
					    section, key);
		for (i = 0; i < nr && strcmp(keys[i].name, key); i++)
			;
		if (i < nr) {
			if (keys[i].fn(p, key, v))
				return -1;
			continue;
		}
		for (i = 0; i < nr; i++)
			n += (size_t)snprintf(
				known + n,
				n < sizeof(known) ? sizeof(known) - n : 0,
				"%s%s", i ? ", " : "", keys[i].name);
		return fail(p, k, "%s: unknown key '%s' (known: %s)", section,
			    key, known);
	}
	return 0;
}

/* ---- tls_server_config ---- */

static int tls_string(struct parse *p, const char *key, yaml_node_t *v)
{
	char **out = !strcmp(key, "cert_file")	    ? &p->cert_file :
		     !strcmp(key, "key_file")	    ? &p->key_file :
		     !strcmp(key, "client_ca_file") ? &p->ca_file :
		     !strcmp(key, "cert")	    ? &p->cert :
		     !strcmp(key, "key")	    ? &p->key :
						      &p->ca;

	if (want_string(p, v, key, out))
		return -1;
	p->tls_keys |= *out != NULL;
	return 0;
}

static int tls_client_auth(struct parse *p, const char *key, yaml_node_t *v)
{
	const char *s = scalar(v);

	if (s && (is_null(v) || !*s))
		return 0;
	for (unsigned int i = 0; s && i < ARRAY_SIZE(client_auth_names); i++)
		if (!strcmp(s, client_auth_names[i])) {
			p->wc->client_auth = (enum client_auth)i;
			p->tls_keys = true;
			return 0;
		}
	/* The toolkit keeps the old name of RequireAnyClientCert. */
	if (s && !strcmp(s, "RequireClientCert")) {
		p->wc->client_auth = CLIENT_AUTH_REQUIRE_ANY;
		p->tls_keys = true;
		return 0;
	}
	return fail(
		p, v,
		"client_auth_type '%s' is not one of NoClientCert, RequestClientCert, RequireAnyClientCert, VerifyClientCertIfGiven, RequireAndVerifyClientCert",
		s ? s : "");
}

static int tls_version(struct parse *p, const char *key, yaml_node_t *v)
{
	const char *s = scalar(v);
	int ver = s ? tls_version_find(s) : -1;

	if (ver < 0)
		return fail(p, v, "%s '%s' is not TLS10, TLS11, TLS12 or TLS13",
			    key, s ? s : "");
	if (!strcmp(key, "min_version"))
		p->wc->min_version = (enum tls_version)ver;
	else
		p->wc->max_version = (enum tls_version)ver;
	return 0;
}

static int tls_suites_key(struct parse *p, const char *key, yaml_node_t *v)
{
	struct web_config *wc = p->wc;
	yaml_node_item_t *it, *top;

	if (list_items(p, v, key, &it, &top))
		return -1;
	wc->nr_suites = 0;
	for (; it < top; it++) {
		yaml_node_t *n = node(p, *it);
		const char *s = scalar(n);
		int i = s ? tls_suite_find(s) : -1;

		if (i < 0)
			return fail(
				p, n,
				"cipher_suites: unknown cipher '%s' (Go's names, such as TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256; RC4, 3DES and CBC-SHA256 suites are refused as insecure)",
				s ? s : "");
		if (wc->nr_suites >= WEB_MAX_SUITES)
			return fail(p, n, "cipher_suites: more than %d",
				    WEB_MAX_SUITES);
		wc->suites[wc->nr_suites++] = (uint8_t)i;
	}
	return 0;
}

static int tls_curves_key(struct parse *p, const char *key, yaml_node_t *v)
{
	struct web_config *wc = p->wc;
	yaml_node_item_t *it, *top;

	if (list_items(p, v, key, &it, &top))
		return -1;
	wc->nr_curves = 0;
	for (; it < top; it++) {
		yaml_node_t *n = node(p, *it);
		const char *s = scalar(n);
		int i = s ? tls_curve_find(s) : -1;

		if (i < 0)
			return fail(
				p, n,
				"curve_preferences: unknown curve '%s' (CurveP256, CurveP384, CurveP521, X25519)",
				s ? s : "");
		if (wc->nr_curves >= ARRAY_SIZE(wc->curves))
			return fail(p, n, "curve_preferences: too many");
		wc->curves[wc->nr_curves++] = (uint8_t)i;
	}
	return 0;
}

static int tls_prefer(struct parse *p, const char *key, yaml_node_t *v)
{
	return want_bool(p, v, key, &p->wc->prefer_server_suites);
}

static int tls_sans(struct parse *p, const char *key, yaml_node_t *v)
{
	struct web_config *wc = p->wc;
	yaml_node_item_t *it, *top;

	if (list_items(p, v, key, &it, &top))
		return -1;
	for (; it < top; it++) {
		yaml_node_t *n = node(p, *it);
		const char *s = scalar(n);

		if (!s)
			return fail(p, n, "client_allowed_sans wants strings");
		if (wc->nr_sans >= WEB_MAX_SANS)
			return fail(p, n, "client_allowed_sans: more than %d",
				    WEB_MAX_SANS);
		wc->sans[wc->nr_sans] = strdup(s);
		if (!wc->sans[wc->nr_sans++])
			return fail(p, NULL, "out of memory");
	}
	return 0;
}

static const struct key tls_keys[] = {
	{ "cert", tls_string },
	{ "key", tls_string },
	{ "client_ca", tls_string },
	{ "cert_file", tls_string },
	{ "key_file", tls_string },
	{ "client_auth_type", tls_client_auth },
	{ "client_ca_file", tls_string },
	{ "client_allowed_sans", tls_sans },
	{ "min_version", tls_version },
	{ "max_version", tls_version },
	{ "cipher_suites", tls_suites_key },
	{ "prefer_server_cipher_suites", tls_prefer },
	{ "curve_preferences", tls_curves_key },
};

/* ---- http_server_config ---- */

static int http_http2(struct parse *p, const char *key, yaml_node_t *v)
{
	return want_bool(p, v, key, &p->wc->http2);
}

/* The toolkit's list: names it lets be set, and fixed values where it has. */
static const struct {
	const char *name;
	const char *values[3];
} extra_headers[] = {
	{ "Strict-Transport-Security", { NULL } },
	{ "X-Content-Type-Options", { "nosniff", NULL } },
	{ "X-Frame-Options", { "deny", "sameorigin", NULL } },
	{ "X-XSS-Protection", { NULL } },
	{ "Content-Security-Policy", { NULL } },
};

static int header_ok(struct parse *p, yaml_node_t *k, const char *name,
		     yaml_node_t *v, const char *value)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(extra_headers); i++)
		if (!strcmp(extra_headers[i].name, name))
			break;
	if (i == ARRAY_SIZE(extra_headers))
		return fail(
			p, k,
			"http_server_config: headers: HTTP header '%s' can not be configured (Strict-Transport-Security, X-Content-Type-Options, X-Frame-Options, X-XSS-Protection, Content-Security-Policy)",
			name);
	for (const unsigned char *c = (const unsigned char *)value; *c; c++)
		if ((*c < ' ' && *c != '\t') || *c == 0x7f)
			return fail(
				p, v,
				"http_server_config: headers: %s: a control character in the value",
				name);
	if (!extra_headers[i].values[0])
		return 0;
	for (const char *const *ok = extra_headers[i].values; *ok; ok++)
		if (!strcmp(*ok, value))
			return 0;
	return fail(
		p, v,
		"http_server_config: headers: invalid value for %s: '%s' (%s%s%s)",
		name, value, extra_headers[i].values[0],
		extra_headers[i].values[1] ? " or " : "",
		extra_headers[i].values[1] ? extra_headers[i].values[1] : "");
}

static int http_headers(struct parse *p, const char *key, yaml_node_t *map)
{
	char lines[WEB_HEADERS_MAX];
	size_t n = 0;

	if (is_null(map))
		return 0;
	if (map->type != YAML_MAPPING_NODE)
		return fail(p, map,
			    "http_server_config: headers wants a mapping");
	lines[0] = '\0';
	for (yaml_node_pair_t *kv = map->data.mapping.pairs.start;
	     kv < map->data.mapping.pairs.top; kv++) {
		yaml_node_t *k = node(p, kv->key), *v = node(p, kv->value);
		const char *name = scalar(k), *value = scalar(v);
		int w;

		if (!name || !value)
			return fail(
				p, k,
				"http_server_config: headers wants Name: value");
		if (header_ok(p, k, name, v, value))
			return -1;
		if (!*value || is_null(v))
			continue; /* "Unset if blank" */
		w = snprintf(lines + n, sizeof(lines) - n, "%s: %s\r\n", name,
			     value);
		if (w < 0 || (size_t)w >= sizeof(lines) - n)
			return fail(
				p, map,
				"http_server_config: headers: more than %d bytes",
				WEB_HEADERS_MAX);
		n += (size_t)w;
	}
	free(p->wc->headers);
	p->wc->headers = n ? strdup(lines) : NULL;
	return n && !p->wc->headers ? fail(p, NULL, "out of memory") : 0;
}

static const struct key http_keys[] = {
	{ "http2", http_http2 },
	{ "headers", http_headers },
};

/* ---- rate_limit ---- */

static int rate_interval(struct parse *p, const char *key, yaml_node_t *v)
{
	const char *s = scalar(v);

	if (is_null(v))
		return 0;
	if (!s || go_duration(s, &p->wc->rate_interval_s))
		return fail(
			p, v,
			"rate_limit: interval wants a duration such as 1s or 100ms, not '%s'",
			s ? s : "");
	return 0;
}

static int rate_burst(struct parse *p, const char *key, yaml_node_t *v)
{
	const char *s = scalar(v);
	char *end;
	unsigned long n = 0;

	if (is_null(v))
		return 0;
	if (s && *s >= '0' && *s <= '9')
		n = strtoul(s, &end, 10);
	if (!s || *s < '0' || *s > '9' || *end || n > 1000000)
		return fail(p, v,
			    "rate_limit: burst wants a whole number, not '%s'",
			    s ? s : "");
	p->wc->rate_burst = (unsigned int)n;
	return 0;
}

static const struct key rate_keys[] = {
	{ "interval", rate_interval },
	{ "burst", rate_burst },
};

/* ---- basic_auth_users ---- */

/* bcrypt only, as the exporter toolkit: $2a$, $2b$ or $2y$, cost, 53 chars. */
static bool is_bcrypt(const char *h)
{
	if (strlen(h) != 60 || h[0] != '$' || h[1] != '2' || h[3] != '$' ||
	    h[6] != '$')
		return false;
	return strchr("aby", h[2]) && h[4] >= '0' && h[4] <= '3' &&
	       h[5] >= '0' && h[5] <= '9';
}

static int parse_users(struct parse *p, yaml_node_t *map)
{
	struct web_config *wc = p->wc;
	size_t n;

	if (is_null(map))
		return 0;
	if (map->type != YAML_MAPPING_NODE)
		return fail(
			p, map,
			"basic_auth_users wants a mapping of user: bcrypt hash");
	n = (size_t)(map->data.mapping.pairs.top -
		     map->data.mapping.pairs.start);
	if (n > MAX_USERS)
		return fail(p, map, "more than %d basic_auth_users", MAX_USERS);
	wc->users = calloc(n ? n : 1, sizeof(*wc->users));
	if (!wc->users)
		return fail(p, NULL, "out of memory");
	for (yaml_node_pair_t *kv = map->data.mapping.pairs.start;
	     kv < map->data.mapping.pairs.top; kv++) {
		yaml_node_t *k = node(p, kv->key), *v = node(p, kv->value);
		const char *user = scalar(k), *hash = scalar(v);
		struct web_user *u = &wc->users[wc->nr_users];

		if (!user || !*user || strchr(user, ':'))
			return fail(
				p, k,
				"a basic_auth_users name must be a non-empty string without ':'");
		if (!hash || !is_bcrypt(hash))
			return fail(
				p, v,
				"the password of '%s' is not a bcrypt hash ($2y$...; see htpasswd -nbBC 10)",
				user);
		for (unsigned int i = 0; i < wc->nr_users; i++)
			if (!strcmp(wc->users[i].name, user))
				return fail(p, k, "user '%s' appears twice",
					    user);
		u->name = strdup(user);
		u->hash = strdup(hash);
		wc->nr_users++;
		if (!u->name || !u->hash)
			return fail(p, NULL, "out of memory");
	}
	return 0;
}

/* ---- the top level ---- */

static int root_tls(struct parse *p, const char *key, yaml_node_t *v)
{
	return mapping(p, v, key, tls_keys, ARRAY_SIZE(tls_keys));
}

static int root_http(struct parse *p, const char *key, yaml_node_t *v)
{
	return mapping(p, v, key, http_keys, ARRAY_SIZE(http_keys));
}

static int root_rate(struct parse *p, const char *key, yaml_node_t *v)
{
	return mapping(p, v, key, rate_keys, ARRAY_SIZE(rate_keys));
}

static int root_users(struct parse *p, const char *key, yaml_node_t *v)
{
	return parse_users(p, v);
}

static const struct key root_keys[] = {
	{ "tls_server_config", root_tls },
	{ "http_server_config", root_http },
	{ "rate_limit", root_rate },
	{ "basic_auth_users", root_users },
};

static int parse_root(struct parse *p)
{
	yaml_node_t *root = yaml_document_get_root_node(&p->doc);

	if (!root)
		return 0; /* an empty file: plain HTTP, no auth */
	if (root->type == YAML_SCALAR_NODE && is_null(root))
		return 0;
	if (root->type != YAML_MAPPING_NODE)
		return fail(p, root, "the top level must be a mapping");
	return mapping(p, root, "top level", root_keys, ARRAY_SIZE(root_keys));
}

static int read_file(struct parse *p, const char *name, const char *key,
		     char **out)
{
	char path[4096];
	FILE *f;
	size_t n;
	char *data;

	if (name[0] == '/' || !p->dir)
		snprintf(path, sizeof(path), "%s", name);
	else
		snprintf(path, sizeof(path), "%s/%s", p->dir, name);
	f = fopen(path, "r");
	if (!f)
		return fail(p, NULL, "%s %s: %s", key, path, strerror(errno));
	data = malloc(MAX_PEM_BYTES + 1);
	if (!data) {
		fclose(f);
		return fail(p, NULL, "out of memory");
	}
	n = fread(data, 1, MAX_PEM_BYTES + 1, f);
	fclose(f);
	if (n == 0 || n > MAX_PEM_BYTES) {
		free(data);
		return fail(p, NULL, "%s %s: %s", key, path,
			    n ? "larger than 1 MiB" : "empty");
	}
	data[n] = '\0';
	*out = data;
	return 0;
}

/* A file wins over the inline text, as in the toolkit. */
static int pem(struct parse *p, const char *file, char **text, const char *key,
	       char **out)
{
	if (file)
		return p->no_files ? 0 : read_file(p, file, key, out);
	*out = *text;
	*text = NULL;
	return 0;
}

/* The rules the exporter toolkit applies, with its wording where it has one. */
static int check_and_load_tls(struct parse *p)
{
	struct web_config *wc = p->wc;

	if (wc->min_version > wc->max_version)
		return fail(
			p, NULL,
			"tls_server_config: min_version %s is above max_version %s",
			tls_version_go[wc->min_version],
			tls_version_go[wc->max_version]);
	/* TLS is on once a certificate, key, CA or auth type is given. */
	wc->tls = p->tls_keys;
	if (!wc->tls)
		return 0;
	if (!p->cert_file && !p->cert)
		return fail(
			p, NULL,
			"tls_server_config: missing one of cert or cert_file");
	if (!p->key_file && !p->key)
		return fail(
			p, NULL,
			"tls_server_config: missing one of key or key_file");
	if ((p->ca_file || p->ca) && wc->client_auth == CLIENT_AUTH_NONE)
		return fail(
			p, NULL,
			"client CA's have been configured without a Client Auth Policy (client_auth_type)");
	if (wc->nr_sans && wc->client_auth == CLIENT_AUTH_NONE)
		return fail(
			p, NULL,
			"client_allowed_sans needs a client_auth_type that asks for a certificate");
	if (pem(p, p->cert_file, &p->cert, "cert_file", &wc->cert_pem) ||
	    pem(p, p->key_file, &p->key, "key_file", &wc->key_pem) ||
	    ((p->ca_file || p->ca) &&
	     pem(p, p->ca_file, &p->ca, "client_ca_file", &wc->client_ca_pem)))
		return -1;
	return 0;
}

static void free_parse(struct parse *p)
{
	free(p->cert_file);
	free(p->key_file);
	free(p->ca_file);
	free(p->cert);
	if (p->key)
		explicit_bzero(p->key, strlen(p->key));
	free(p->key);
	free(p->ca);
}

static int parse_text(struct parse *p, const char *text, size_t len)
{
	yaml_parser_t parser;
	int ret;

	/* The toolkit's defaults. */
	p->wc->min_version = TLS_V12;
	p->wc->max_version = TLS_V13;
	p->wc->prefer_server_suites = true;
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &p->doc)) {
		tdxhp_err("web config %s: line %zu: %s", p->path,
			  parser.problem_mark.line + 1,
			  parser.problem ? parser.problem : "invalid YAML");
		ret = -1;
	} else {
		ret = parse_root(p);
		if (!ret)
			ret = check_and_load_tls(p);
		yaml_document_delete(&p->doc);
	}
	yaml_parser_delete(&parser);
	free_parse(p);
	if (ret)
		web_config_free(p->wc);
	return ret;
}

int web_config_parse(const char *name, const char *text, size_t len,
		     struct web_config *wc)
{
	struct parse p = { .path = name, .wc = wc, .no_files = true };

	memset(wc, 0, sizeof(*wc));
	return parse_text(&p, text, len);
}

int web_config_load(const char *path, struct web_config *wc)
{
	struct parse p = { .path = path, .wc = wc };
	const char *slash;
	char *text;
	size_t n;
	FILE *f;
	int ret;

	memset(wc, 0, sizeof(*wc));
	f = fopen(path, "r");
	if (!f)
		return fail(&p, NULL, "%s", strerror(errno));
	text = malloc(MAX_PEM_BYTES + 1);
	n = text ? fread(text, 1, MAX_PEM_BYTES + 1, f) : 0;
	fclose(f);
	if (!text)
		return fail(&p, NULL, "out of memory");
	if (n > MAX_PEM_BYTES) {
		free(text);
		return fail(&p, NULL, "larger than 1 MiB");
	}
	slash = strrchr(path, '/');
	/* "/web.yml" lives in "/", "web.yml" in the current directory. */
	if (slash)
		p.dir = strndup(path,
				slash > path ? (size_t)(slash - path) : 1);
	ret = parse_text(&p, text, n);
	free(text);
	free(p.dir);
	return ret;
}

void web_config_free(struct web_config *wc)
{
	free(wc->cert_pem);
	if (wc->key_pem)
		explicit_bzero(wc->key_pem, strlen(wc->key_pem));
	free(wc->key_pem);
	free(wc->client_ca_pem);
	for (unsigned int i = 0; i < wc->nr_sans; i++)
		free(wc->sans[i]);
	free(wc->headers);
	for (unsigned int i = 0; i < wc->nr_users; i++) {
		free(wc->users[i].name);
		free(wc->users[i].hash);
	}
	free(wc->users);
	memset(wc, 0, sizeof(*wc));
}
