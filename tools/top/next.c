// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdio.h>
#include <string.h>

#include "next.h"
#include "util.h"
#include "values.h"

/* s as one shell word: as it is when that is safe, else in '...'. */
static void shell_word(char *buf, size_t len, const char *s)
{
	size_t n = 0;
	bool plain = *s;

	for (const char *p = s; *p; p++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789-_./=:,+@%^",
			    *p))
			plain = false;
	if (plain) {
		snprintf(buf, len, "%s", s);
		return;
	}
	if (len < 3) {
		buf[0] = '\0';
		return;
	}
	buf[n++] = '\'';
	for (const char *p = s; *p && n + 6 < len; p++) {
		if (*p == '\'') {
			memcpy(buf + n, "'\\''", 4);
			n += 4;
		} else {
			buf[n++] = *p;
		}
	}
	buf[n++] = '\'';
	buf[n] = '\0';
}

void top_next_init(struct top_state *s, const struct top_config *c)
{
	const struct tdxhp_sim_opts *o = &c->cli->sim;
	char word[200];
	int n;

	if (c->read_path) {
		shell_word(word, sizeof(word), c->read_path);
		snprintf(s->trace_cmd, sizeof(s->trace_cmd),
			 "tdxhp-trace -r %s", word);
		return;
	}
	n = snprintf(s->trace_cmd, sizeof(s->trace_cmd), "sudo tdxhp-trace");
	/*
	 * A private simulation lives in this process only: the same options
	 * make tdxhp-trace simulate the same TDs.  A pinned one is shared.
	 */
	if (!c->cli->simulate || (s->t && s->t->pinned))
		return;
	n += snprintf(s->trace_cmd + n, sizeof(s->trace_cmd) - n,
		      " --simulate=%s", o->scenario ? o->scenario : "steady");
	if (o->seed && n < (int)sizeof(s->trace_cmd))
		n += snprintf(s->trace_cmd + n, sizeof(s->trace_cmd) - n,
			      " --seed %llu", (unsigned long long)o->seed);
	if (o->nr_tds && n < (int)sizeof(s->trace_cmd))
		snprintf(s->trace_cmd + n, sizeof(s->trace_cmd) - n,
			 " --sim-tds %u", o->nr_tds);
}

/* ^name$ with the regex's special characters escaped. */
static void name_regex(char *buf, size_t len, const char *name)
{
	size_t n = 0;

	buf[n++] = '^';
	for (const char *p = name; *p && n + 3 < len; p++) {
		if (strchr("\\^$.|?*+()[]{}", *p))
			buf[n++] = '\\';
		buf[n++] = *p;
	}
	buf[n++] = '$';
	buf[n] = '\0';
}

void top_next_command(const struct top_state *s, const struct top_row *r,
		      char *buf, size_t len)
{
	const char *args = top_why_trace_args(r->score.why);
	char who[200], re[160], slow[32] = "";

	if (tdxhp_pid_known(r->td->meta.pid)) {
		snprintf(who, sizeof(who), "-p %d", r->td->meta.pid);
	} else {
		char word[180];

		name_regex(re, sizeof(re), r->td->name);
		shell_word(word, sizeof(word), re);
		snprintf(who, sizeof(who), "-g %s", word);
	}
	/* No problem: the slowest demotes are the thing to look at. */
	if (r->score.why == TOP_WHY_NONE && r->v[COL_DEM99] > 0) {
		char d[16];

		tdxhp_format_ns(d, sizeof(d), r->v[COL_DEM99]);
		snprintf(slow, sizeof(slow), " -L %s", d);
	}
	snprintf(buf, len, "%s %s %s%s", s->trace_cmd, who, args, slow);
}
