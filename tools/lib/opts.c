// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdlib.h>
#include <string.h>

#include "opts.h"
#include "util.h"

#define HELP_COLUMN 30
#define USAGE_WIDTH 79

#define for_each_opt(s, g, o)                                                  \
	for (const struct tdxhp_opt_group *g = (s)->groups; g->opts; g++)      \
		for (const struct tdxhp_opt *o = g->opts; o->key; o++)

static bool is_short(const struct tdxhp_opt *o)
{
	return o->key > ' ' && o->key < 0x7f;
}

static void table_bug(const char *what, const char *name)
{
	tdxhp_err("internal error: option %s '%s' is declared twice", what,
		  name);
	abort();
}

void tdxhp_opts_build(struct tdxhp_opt_set *s)
{
	size_t nl = 0, ns = 0;
	bool seen_short[128] = { false };

	for_each_opt(s, g, o) {
		if (is_short(o)) {
			char letter[2] = { (char)o->key, 0 };

			if (seen_short[o->key])
				table_bug("letter", letter);
			seen_short[o->key] = true;
			s->shortopts[ns++] = (char)o->key;
			if (o->arg)
				s->shortopts[ns++] = ':';
			if (o->arg && (o->flags & TDXHP_OPTF_ARG_OPTIONAL))
				s->shortopts[ns++] = ':';
		}
		if (!o->name)
			continue;
		for (size_t i = 0; i < nl; i++)
			if (!strcmp(s->longopts[i].name, o->name))
				table_bug("name", o->name);
		if (nl == TDXHP_OPTS_MAX) {
			tdxhp_err("internal error: more than %d options",
				  TDXHP_OPTS_MAX);
			abort();
		}
		s->longopts[nl++] = (struct option){
			.name = o->name,
			.has_arg = !o->arg ? no_argument :
				   (o->flags & TDXHP_OPTF_ARG_OPTIONAL) ?
						 optional_argument :
						 required_argument,
			.val = o->key,
		};
	}
	s->longopts[nl] = (struct option){ 0 };
	s->shortopts[ns] = '\0';
}

int tdxhp_opts_next(struct tdxhp_opt_set *s, int argc, char **argv)
{
	opterr = 0;
	return getopt_long(argc, argv, s->shortopts, s->longopts, NULL);
}

const struct tdxhp_opt *tdxhp_opts_find(const struct tdxhp_opt_set *s, int key)
{
	for_each_opt(s, g, o)
		if (o->key == key)
			return o;
	return NULL;
}

/* "-p, --pid PID", "    --simulate[=SCENARIO]" */
static int format_names(const struct tdxhp_opt *o, char *buf, size_t len)
{
	bool opt_arg = o->flags & TDXHP_OPTF_ARG_OPTIONAL;
	int n;

	if (is_short(o) && o->name)
		n = snprintf(buf, len, "-%c, --%s", o->key, o->name);
	else if (o->name)
		n = snprintf(buf, len, "    --%s", o->name);
	else
		n = snprintf(buf, len, "-%c", o->key);
	if (o->arg && n >= 0 && (size_t)n < len)
		n += snprintf(buf + n, len - n, opt_arg ? "[=%s]" : " %s",
			      o->arg);
	return n;
}

static void print_help_lines(FILE *f, const char *help, int col)
{
	const char *p = help ? help : "";

	for (bool first = true;; first = false) {
		const char *nl = strchr(p, '\n');
		int n = nl ? (int)(nl - p) : (int)strlen(p);

		if (!first)
			fprintf(f, "%*s", col, "");
		fprintf(f, "%.*s\n", n, p);
		if (!nl)
			break;
		p = nl + 1;
	}
}

static void print_synopsis(const struct tdxhp_opt_set *s, FILE *f,
			   const char *first_word)
{
	const char *p = s->synopsis ? s->synopsis : "[OPTIONS]";

	for (bool first = true;; first = false) {
		const char *nl = strchr(p, '\n');
		int n = nl ? (int)(nl - p) : (int)strlen(p);

		fprintf(f, "%s %s %.*s\n", first ? first_word : "      ",
			tdxhp_prog_name, n, p);
		if (!nl)
			break;
		p = nl + 1;
	}
}

void tdxhp_opts_help(const struct tdxhp_opt_set *s, FILE *f)
{
	print_synopsis(s, f, "Usage:");
	if (s->about)
		fprintf(f, "%s\n", s->about);
	tdxhp_opts_help_groups(s, f);
}

void tdxhp_opts_help_groups(const struct tdxhp_opt_set *s, FILE *f)
{
	for (const struct tdxhp_opt_group *g = s->groups; g->opts; g++) {
		fprintf(f, "\n%s:\n", g->title ? g->title : "Options");
		for (const struct tdxhp_opt *o = g->opts; o->key; o++) {
			char names[64];
			int n;

			if (o->flags & TDXHP_OPTF_HIDDEN)
				continue;
			n = 2 + format_names(o, names, sizeof(names));
			fprintf(f, "  %s", names);
			if (n + 2 > HELP_COLUMN) {
				fputc('\n', f);
				n = 0;
			}
			fprintf(f, "%*s", HELP_COLUMN - n, "");
			print_help_lines(f, o->help, HELP_COLUMN);
		}
	}
}

/* Wrap at USAGE_WIDTH, continuation lines indented under the first word. */
static void usage_word(FILE *f, int *col, int indent, const char *word)
{
	int n = (int)strlen(word);

	if (*col + 1 + n > USAGE_WIDTH) {
		fprintf(f, "\n%*s", indent, "");
		*col = indent;
	} else {
		fputc(' ', f);
		(*col)++;
	}
	fputs(word, f);
	*col += n;
}

void tdxhp_opts_usage(const struct tdxhp_opt_set *s, FILE *f)
{
	char flags[TDXHP_OPTS_MAX + 4], word[96];
	int col, indent, nf = 0;

	col = fprintf(f, "Usage: %s", tdxhp_prog_name);
	indent = col + 1;
	/* Short options without a value first, bunched as getopt allows. */
	for_each_opt(s, g, o)
		if (is_short(o) && !o->arg && !(o->flags & TDXHP_OPTF_HIDDEN))
			flags[nf++] = (char)o->key;
	if (nf) {
		snprintf(word, sizeof(word), "[-%.*s]", nf, flags);
		usage_word(f, &col, indent, word);
	}
	for_each_opt(s, g, o) {
		if (o->flags & TDXHP_OPTF_HIDDEN)
			continue;
		if (is_short(o) && o->arg)
			snprintf(word, sizeof(word), "[-%c %s]", o->key, o->arg);
		else if (o->name && o->arg &&
			 (o->flags & TDXHP_OPTF_ARG_OPTIONAL))
			snprintf(word, sizeof(word), "[--%s[=%s]]", o->name,
				 o->arg);
		else if (o->name && o->arg)
			snprintf(word, sizeof(word), "[--%s=%s]", o->name,
				 o->arg);
		else if (o->name)
			snprintf(word, sizeof(word), "[--%s]", o->name);
		else
			continue;
		if (is_short(o) && !o->arg)
			continue;	/* bunched above */
		usage_word(f, &col, indent, word);
	}
	if (s->synopsis) {
		/* The positional part of the first form: after "[OPTIONS]". */
		const char *p = strstr(s->synopsis, "[OPTIONS]");
		const char *nl = strchr(s->synopsis, '\n');

		if (p && (!nl || p < nl)) {
			int n = (int)((nl ? nl : p + strlen(p)) - p) - 9;

			if (n > 1) {
				snprintf(word, sizeof(word), "%.*s", n - 1,
					 p + 10);
				usage_word(f, &col, indent, word);
			}
		}
	}
	fputc('\n', f);
}
