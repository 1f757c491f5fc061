/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Options declared once, in tables: the getopt_long strings, --help and
 * --usage are all generated from them, so they cannot disagree.
 */
#ifndef TDXHP_OPTS_H
#define TDXHP_OPTS_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

enum {
	TDXHP_OPTF_ARG_OPTIONAL = 1 << 0, /* --name[=ARG] */
	TDXHP_OPTF_HIDDEN = 1 << 1,	  /* parsed, not listed (old spellings) */
};

/* Keys above this are long-only; below, the key is the short letter. */
#define TDXHP_OPT_LONG_ONLY 0x100

struct tdxhp_opt {
	int key;		/* short letter, or a code > TDXHP_OPT_LONG_ONLY */
	const char *name;	/* long name without "--"; NULL: short only */
	const char *arg;	/* what the value is ("PID"); NULL: takes none */
	unsigned int flags;
	const char *help;	/* '\n' separates lines */
};

struct tdxhp_opt_group {
	const char *title;		/* NULL: the tool's own options */
	const struct tdxhp_opt *opts;	/* ends with an entry whose key is 0 */
};

#define TDXHP_OPTS_MAX 96

struct tdxhp_opt_set {
	const char *synopsis;		/* "[OPTIONS] [INTERVAL [COUNT]]", '\n' between forms */
	const char *about;		/* one line: what the tool does */
	const struct tdxhp_opt_group *groups;	/* ends with opts == NULL */
	/* Built by tdxhp_opts_build(): */
	struct option longopts[TDXHP_OPTS_MAX + 1];
	char shortopts[2 * TDXHP_OPTS_MAX + 2];
};

/*
 * Build the getopt strings.  A letter or long name declared twice is a
 * bug in the tables: it is reported and the program aborts, so every
 * tool's --help test catches it.
 */
void tdxhp_opts_build(struct tdxhp_opt_set *s);

/* getopt_long over the built set; '?' for an unknown option. */
int tdxhp_opts_next(struct tdxhp_opt_set *s, int argc, char **argv);

/* The full --help: usage lines, about, every group's options. */
void tdxhp_opts_help(const struct tdxhp_opt_set *s, FILE *f);

/* Only the groups' option lists, for a tool that writes its own head. */
void tdxhp_opts_help_groups(const struct tdxhp_opt_set *s, FILE *f);

/* --usage: the short form, "Usage: tdxhp-hist [-PMTNmCjvVh] [-p PID] ..." */
void tdxhp_opts_usage(const struct tdxhp_opt_set *s, FILE *f);

/* The declaration of key, or NULL. */
const struct tdxhp_opt *tdxhp_opts_find(const struct tdxhp_opt_set *s, int key);

#endif /* TDXHP_OPTS_H */
