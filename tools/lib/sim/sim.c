// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "sim.h"
#include "sim/feed.h"
#include "sim/sim_int.h"
#include "sim/scenario.h"
#include "util.h"

#define TICK_NS 10000000ULL /* 10 ms of simulated time */

int tdxhp_sim_parse(const char *arg, struct tdxhp_sim_opts *o)
{
	const char *name = arg && *arg ? arg : TDXHP_SIM_DEFAULT_SCENARIO;

	if (!tdxhp_scenario_find(name)) {
		char list[256] = "";

		for (unsigned int i = 0; i < tdxhp_nr_scenarios; i++)
			snprintf(list + strlen(list), sizeof(list) - strlen(list),
				 "%s%s", i ? ", " : "", tdxhp_scenarios[i].name);
		tdxhp_err("unknown scenario '%s' (one of: %s)", name, list);
		return -EINVAL;
	}
	o->scenario = name;
	if (!o->seed)
		o->seed = TDXHP_SIM_DEFAULT_SEED;
	return 0;
}

void tdxhp_sim_list(FILE *f)
{
	for (unsigned int i = 0; i < tdxhp_nr_scenarios; i++)
		fprintf(f, "  %-8s %s\n", tdxhp_scenarios[i].name,
			tdxhp_scenarios[i].summary);
}

static int sim_name(void *arg, uint64_t kvm, char *out, size_t len)
{
	struct tdxhp_sim *s = arg;
	int ret = -1;

	pthread_mutex_lock(&s->names_lock);
	for (unsigned int i = s->nr_names; i-- > 0;) {
		if (s->names[i].handle == kvm) {
			snprintf(out, len, "%s", s->names[i].name);
			ret = 0;
			break;
		}
	}
	pthread_mutex_unlock(&s->names_lock);
	return ret;
}

/*
 * Handles are never reused by the model.  A long churn run forgets the
 * oldest half of its names past 64k: those TDs are long gone, and tools
 * cache the names of what they have seen.
 */
static void sim_named(void *arg, uint64_t handle, const char *name)
{
	struct tdxhp_sim *s = arg;

	pthread_mutex_lock(&s->names_lock);
	if (s->nr_names >= 65536) {
		memmove(s->names, s->names + s->nr_names / 2,
			(s->nr_names - s->nr_names / 2) * sizeof(*s->names));
		s->nr_names -= s->nr_names / 2;
	}
	if (s->nr_names == s->cap_names) {
		unsigned int cap = s->cap_names ? s->cap_names * 2 : 64;
		void *p = realloc(s->names, cap * sizeof(*s->names));

		if (!p) {
			pthread_mutex_unlock(&s->names_lock);
			return;
		}
		s->names = p;
		s->cap_names = cap;
	}
	s->names[s->nr_names].handle = handle;
	snprintf(s->names[s->nr_names].name, sizeof(s->names[0].name), "%s",
		 name);
	s->nr_names++;
	if (s->names_out) {
		/* Simulated handles, not kernel addresses. */
		fprintf(s->names_out, "%llx %s\n", (unsigned long long)handle,
			name);
		fflush(s->names_out);
	}
	pthread_mutex_unlock(&s->names_lock);
}

/* A passive simulator names TDs from the feeder's file, reread on a miss. */
static int passive_name(void *arg, uint64_t kvm, char *out, size_t len)
{
	struct tdxhp_sim *s = arg;
	unsigned long long h;
	char path[96], name[32];
	FILE *f;

	if (!sim_name(arg, kvm, out, len))
		return 0;
	snprintf(path, sizeof(path), TDXHP_SIM_NAMES_FMT,
		 (unsigned long long)s->t->info.instance_id);
	f = fopen(path, "r");
	if (!f)
		return -1;
	pthread_mutex_lock(&s->names_lock);
	s->nr_names = 0;
	pthread_mutex_unlock(&s->names_lock);
	while (fscanf(f, "%llx %31s", &h, name) == 2)
		sim_named(s, h, name);
	fclose(f);
	return sim_name(arg, kvm, out, len);
}

static struct tdxhp_sim *sim_new_passive(struct tdxhp *t, struct tdxhp_sim *s)
{
	s->passive = true;
	s->sc = tdxhp_scenario_find(t->info.scenario);
	if (!s->sc)
		s->sc = tdxhp_scenario_find(TDXHP_SIM_DEFAULT_SCENARIO);
	s->seed = t->info.seed;
	pthread_mutex_init(&s->lock, NULL);
	pthread_mutex_init(&s->names_lock, NULL);
	snprintf(s->label, sizeof(s->label),
		 "scenario %s, seed %llu, shared: fed by tdxhp-load --feed",
		 s->sc->name, (unsigned long long)s->seed);
	t->sim_name = passive_name;
	t->sim_name_arg = s;
	return s;
}

static void open_names_out(struct tdxhp_sim *s)
{
	char path[96];

	mkdir("/run/tdxhp", 0755);
	snprintf(path, sizeof(path), TDXHP_SIM_NAMES_FMT,
		 (unsigned long long)s->t->info.instance_id);
	s->names_out = fopen(path, "w");
}

static int sim_emit(void *arg, int type, const void *ctx, size_t size,
		    unsigned int cpu)
{
	struct tdxhp_sim *s = arg;

	if (s->tee)
		s->tee->emit(s->tee->arg, type, ctx, size, cpu);
	return sim_feeder_emit(&s->feeder, type, ctx, size, cpu);
}

struct tdxhp_sim *tdxhp_sim_new(struct tdxhp *t, const struct tdxhp_sim_opts *o)
{
	struct tdxhp_sim *s = calloc(1, sizeof(*s));
	struct sim_model_opts mo = { 0 };
	int err;

	if (!s) {
		tdxhp_err("out of memory");
		return NULL;
	}
	s->t = t;
	if (t->pinned && t->simulated && !o->feed)
		return sim_new_passive(t, s);
	s->sc = tdxhp_scenario_find(o->scenario ? o->scenario :
						  TDXHP_SIM_DEFAULT_SCENARIO);
	s->seed = o->seed ? o->seed : TDXHP_SIM_DEFAULT_SEED;
	s->speed = o->speed > 0 ? o->speed : 1;
	if (!s->sc) {
		tdxhp_err("unknown scenario '%s'", o->scenario);
		free(s);
		return NULL;
	}
	err = sim_feeder_init(&s->feeder, t);
	if (err) {
		tdxhp_err("simulator: no usable CPU: %s", strerror(-err));
		free(s);
		return NULL;
	}
	mo.scenario = s->sc;
	mo.seed = s->seed;
	mo.nr_cpus = s->feeder.nr_cpus;
	mo.nr_tds = o->nr_tds;
	s->model = sim_model_new(&mo);
	if (!s->model) {
		tdxhp_err("out of memory");
		free(s);
		return NULL;
	}
	pthread_mutex_init(&s->lock, NULL);
	pthread_mutex_init(&s->names_lock, NULL);
	s->sink.emit = sim_emit;
	s->sink.named = sim_named;
	s->sink.arg = s;
	snprintf(s->label, sizeof(s->label), "scenario %s, seed %llu",
		 s->sc->name, (unsigned long long)s->seed);
	t->sim_name = sim_name;
	t->sim_name_arg = s;
	if (o->feed)
		open_names_out(s);
	return s;
}

void tdxhp_sim_free(struct tdxhp_sim *s)
{
	if (!s)
		return;
	tdxhp_sim_stop(s);
	if (!s->passive)
		sim_feeder_fini(&s->feeder);
	if (s->names_out)
		fclose(s->names_out);
	if (s->t->sim_name_arg == s) {
		s->t->sim_name = NULL;
		s->t->sim_name_arg = NULL;
	}
	sim_model_free(s->model);
	pthread_mutex_destroy(&s->lock);
	pthread_mutex_destroy(&s->names_lock);
	free(s->names);
	free(s);
}

static void run_one_tick(struct tdxhp_sim *s)
{
	pthread_mutex_lock(&s->lock);
	sim_model_tick(s->model, &s->sink);
	pthread_mutex_unlock(&s->lock);
}

uint64_t tdxhp_sim_run_ticks(struct tdxhp_sim *s, uint64_t ticks)
{
	uint64_t failed = s->feeder.failed;

	if (s->passive)
		return 0;
	for (uint64_t i = 0; i < ticks; i++)
		run_one_tick(s);
	sim_feeder_fini(&s->feeder);
	return s->feeder.failed - failed;
}

uint64_t tdxhp_sim_batch_ticks(const struct tdxhp_sim *s)
{
	return s->sc->batch_ticks;
}

static void *pace(void *arg)
{
	struct tdxhp_sim *s = arg;
	uint64_t start = tdxhp_now_ns(), n = 0;

	while (!s->stop) {
		uint64_t due = start + (uint64_t)((double)(n * TICK_NS) / s->speed);
		uint64_t now = tdxhp_now_ns();

		if (due > now) {
			struct timespec ts = {
				.tv_sec = (time_t)((due - now) / 1000000000ULL),
				.tv_nsec = (long)((due - now) % 1000000000ULL),
			};

			nanosleep(&ts, NULL);
			continue;
		}
		/* Far behind (suspended, overloaded): do not try to catch up. */
		if (now - due > 1000000000ULL) {
			start = now;
			n = 0;
		}
		run_one_tick(s);
		n++;
	}
	return NULL;
}

int tdxhp_sim_start(struct tdxhp_sim *s)
{
	int err;

	if (s->passive)
		return 0;
	s->stop = false;
	err = pthread_create(&s->thread, NULL, pace, s);
	if (err) {
		tdxhp_err("simulator thread: %s", strerror(err));
		return -err;
	}
	s->running = true;
	return 0;
}

void tdxhp_sim_stop(struct tdxhp_sim *s)
{
	if (!s->running)
		return;
	s->stop = true;
	pthread_join(s->thread, NULL);
	s->running = false;
}

const char *tdxhp_sim_label(const struct tdxhp_sim *s)
{
	return s->label;
}

const char *tdxhp_sim_scenario(const struct tdxhp_sim *s)
{
	return s->sc->name;
}

uint64_t tdxhp_sim_fed(const struct tdxhp_sim *s)
{
	return s->feeder.fed;
}

uint64_t tdxhp_sim_failed(const struct tdxhp_sim *s)
{
	return s->feeder.failed;
}
