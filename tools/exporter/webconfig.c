// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "util.h"
#include "webconfig.h"

#define MAX_PEM_BYTES (1 << 20)
#define MAX_USERS 1024

struct parse {
	const char *path;
	char *dir;		/* of the config file, for relative paths */
	yaml_document_t doc;
	struct web_config *wc;
	char *cert_file, *key_file, *ca_file;
	bool has_auth_type;
	bool no_files;		/* check only: the fuzzer reads no file */
};

static int fail(const struct parse *p, const yaml_node_t *n, const char *fmt,
		...) __attribute__((format(printf, 3, 4)));

static int fail(const struct parse *p, const yaml_node_t *n, const char *fmt,
		...)
{
	char msg[256];
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

static const char *scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ?
		       (const char *)n->data.scalar.value :
		       NULL;
}

/* A string value, or the error naming key. */
static int want_string(struct parse *p, const yaml_node_t *v, const char *key,
		       char **out)
{
	const char *s = scalar(v);

	if (!s || !*s)
		return fail(p, v, "%s wants a non-empty string", key);
	free(*out);
	*out = strdup(s);
	return *out ? 0 : fail(p, v, "out of memory");
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

static const char *const client_auth_names[] = {
	[CLIENT_AUTH_NONE] = "NoClientCert",
	[CLIENT_AUTH_REQUEST] = "RequestClientCert",
	[CLIENT_AUTH_REQUIRE_ANY] = "RequireAnyClientCert",
	[CLIENT_AUTH_VERIFY_IF_GIVEN] = "VerifyClientCertIfGiven",
	[CLIENT_AUTH_REQUIRE_VERIFY] = "RequireAndVerifyClientCert",
};

static int parse_tls(struct parse *p, yaml_node_t *map)
{
	if (map->type != YAML_MAPPING_NODE)
		return fail(p, map, "tls_server_config wants a mapping");
	for (yaml_node_pair_t *kv = map->data.mapping.pairs.start;
	     kv < map->data.mapping.pairs.top; kv++) {
		yaml_node_t *k = yaml_document_get_node(&p->doc, kv->key);
		yaml_node_t *v = yaml_document_get_node(&p->doc, kv->value);
		const char *key = scalar(k), *s;
		int found = -1;

		if (!key)
			return fail(p, k, "keys must be strings");
		if (!strcmp(key, "cert_file")) {
			if (want_string(p, v, key, &p->cert_file))
				return -1;
		} else if (!strcmp(key, "key_file")) {
			if (want_string(p, v, key, &p->key_file))
				return -1;
		} else if (!strcmp(key, "client_ca_file")) {
			if (want_string(p, v, key, &p->ca_file))
				return -1;
		} else if (!strcmp(key, "client_auth_type")) {
			s = scalar(v);
			for (unsigned int i = 0;
			     s && i < ARRAY_SIZE(client_auth_names); i++)
				if (!strcmp(s, client_auth_names[i]))
					found = (int)i;
			if (found < 0)
				return fail(p, v, "client_auth_type '%s' is not one of NoClientCert, RequestClientCert, RequireAnyClientCert, VerifyClientCertIfGiven, RequireAndVerifyClientCert",
					    s ? s : "");
			p->wc->client_auth = (enum client_auth)found;
			p->has_auth_type = true;
		} else if (!strcmp(key, "min_version")) {
			s = scalar(v);
			if (s && !strcmp(s, "TLS12"))
				p->wc->priorities =
					"NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2";
			else if (s && !strcmp(s, "TLS13"))
				p->wc->priorities =
					"NORMAL:-VERS-ALL:+VERS-TLS1.3";
			else
				return fail(p, v, "min_version '%s' is not TLS12 or TLS13",
					    s ? s : "");
		} else {
			return fail(p, k, "tls_server_config: '%s' is not supported (cert_file, key_file, client_ca_file, client_auth_type, min_version)",
				    key);
		}
	}
	return 0;
}

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

	if (map->type != YAML_MAPPING_NODE)
		return fail(p, map, "basic_auth_users wants a mapping of user: bcrypt hash");
	n = (size_t)(map->data.mapping.pairs.top -
		     map->data.mapping.pairs.start);
	if (n > MAX_USERS)
		return fail(p, map, "more than %d basic_auth_users", MAX_USERS);
	wc->users = calloc(n ? n : 1, sizeof(*wc->users));
	if (!wc->users)
		return fail(p, NULL, "out of memory");
	for (yaml_node_pair_t *kv = map->data.mapping.pairs.start;
	     kv < map->data.mapping.pairs.top; kv++) {
		yaml_node_t *k = yaml_document_get_node(&p->doc, kv->key);
		yaml_node_t *v = yaml_document_get_node(&p->doc, kv->value);
		const char *user = scalar(k), *hash = scalar(v);
		struct web_user *u = &wc->users[wc->nr_users];

		if (!user || !*user || strchr(user, ':'))
			return fail(p, k, "a basic_auth_users name must be a non-empty string without ':'");
		if (!hash || !is_bcrypt(hash))
			return fail(p, v, "the password of '%s' is not a bcrypt hash ($2y$...; see htpasswd -nbBC 10)",
				    user);
		for (unsigned int i = 0; i < wc->nr_users; i++)
			if (!strcmp(wc->users[i].name, user))
				return fail(p, k, "user '%s' appears twice", user);
		u->name = strdup(user);
		u->hash = strdup(hash);
		wc->nr_users++;
		if (!u->name || !u->hash)
			return fail(p, NULL, "out of memory");
	}
	return 0;
}

static int parse_root(struct parse *p)
{
	yaml_node_t *root = yaml_document_get_root_node(&p->doc);

	if (!root)
		return 0; /* an empty file: plain HTTP, no auth */
	if (root->type == YAML_SCALAR_NODE && !*scalar(root))
		return 0;
	if (root->type != YAML_MAPPING_NODE)
		return fail(p, root, "the top level must be a mapping");
	for (yaml_node_pair_t *kv = root->data.mapping.pairs.start;
	     kv < root->data.mapping.pairs.top; kv++) {
		yaml_node_t *k = yaml_document_get_node(&p->doc, kv->key);
		yaml_node_t *v = yaml_document_get_node(&p->doc, kv->value);
		const char *key = scalar(k);

		if (key && !strcmp(key, "tls_server_config")) {
			if (parse_tls(p, v))
				return -1;
			p->wc->tls = true;
		} else if (key && !strcmp(key, "basic_auth_users")) {
			if (parse_users(p, v))
				return -1;
		} else {
			return fail(p, k, "'%s' is not supported (tls_server_config, basic_auth_users)",
				    key ? key : "?");
		}
	}
	return 0;
}

/* The rules the exporter toolkit applies, with its wording where it has one. */
static int check_and_load_tls(struct parse *p)
{
	struct web_config *wc = p->wc;
	enum client_auth ca = wc->client_auth;

	if (!wc->tls)
		return 0;
	if (!p->cert_file)
		return fail(p, NULL, "tls_server_config: missing cert_file");
	if (!p->key_file)
		return fail(p, NULL, "tls_server_config: missing key_file");
	if (p->ca_file && !p->has_auth_type)
		return fail(p, NULL, "client_ca_file is set without a client_auth_type");
	if (p->ca_file && ca == CLIENT_AUTH_NONE)
		return fail(p, NULL, "client CAs have been configured without a client auth policy");
	/* A required client cert is verified against client_ca_file. */
	if (!p->ca_file && ca >= CLIENT_AUTH_REQUIRE_ANY)
		return fail(p, NULL, "client_auth_type %s needs a client_ca_file",
			    client_auth_names[ca]);
	if (p->no_files)
		return 0;
	if (read_file(p, p->cert_file, "cert_file", &wc->cert_pem) ||
	    read_file(p, p->key_file, "key_file", &wc->key_pem))
		return -1;
	if (p->ca_file &&
	    read_file(p, p->ca_file, "client_ca_file", &wc->client_ca_pem))
		return -1;
	return 0;
}

static int parse_text(struct parse *p, const char *text, size_t len)
{
	yaml_parser_t parser;
	int ret;

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
	free(p->cert_file);
	free(p->key_file);
	free(p->ca_file);
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
		p.dir = strndup(path, slash > path ? (size_t)(slash - path) : 1);
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
	for (unsigned int i = 0; i < wc->nr_users; i++) {
		free(wc->users[i].name);
		free(wc->users[i].hash);
	}
	free(wc->users);
	memset(wc, 0, sizeof(*wc));
}
