// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * tdxhp-load: load, attach and pin one persistent tdxhp instance under
 * /sys/fs/bpf/tdxhp that every tool shares; take over from a pinned
 * instance of another layout without turning running TDs partial; show
 * what is pinned; unload it.
 */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "carry.h"
#include "cli.h"
#include "event_fmt.h"
#include "json_fields.h"
#include "layout.h"
#include "loader_int.h"
#include "pin.h"
#include "sim/sim.h"
#include "sources.h"
#include "stats.h"
#include "util.h"

enum mode { LOAD, STATUS, UNLOAD, FEED };

enum {
	OPT_STATUS = 0x2000,
	OPT_UNLOAD,
	OPT_RELOAD,
	OPT_PIN_DIR,
	OPT_MAX_SHARDS,
	OPT_FEED,
};

struct load_args {
	struct tdxhp_cli cli;
	enum mode mode;
	bool reload;
	bool json;
};

#define STR_(x) #x
#define STR(x) STR_(x)

static const struct tdxhp_opt load_opts[] = {
	{ OPT_STATUS, "status", NULL, 0,
	  "what is pinned: layout, since when, source per event,\n"
	  "memory (-j: as JSON)" },
	{ OPT_UNLOAD, "unload", NULL, 0, "remove every pin (programs detach)" },
	{ OPT_FEED, "feed", NULL, 0,
	  "drive the pinned simulated instance (loaded by\n"
	  "tdxhp-load --simulate) with its scenario until\n"
	  "stopped, or for --sim-ticks N: what every tool's\n"
	  "own --simulate then reads" },
	{ OPT_RELOAD, "reload", NULL, 0,
	  "take over even from an instance of the same layout\n"
	  "(to change --max-tds or --source)" },
	{ OPT_PIN_DIR, "pin-dir", "DIR", 0,
	  "pin directory (default $TDXHP_PIN_DIR or\n" TDXHP_DEFAULT_PIN_DIR ")" },
	{ OPT_MAX_SHARDS, "max-shards", "N", 0,
	  "statistics shards per TD (default " STR(TDXHP_DEFAULT_MAX_SHARDS)
	  ", 1 to " STR(TDXHP_MAX_SHARDS) ")" },
	{ 'j', "json", NULL, 0,
	  "--status as JSON (schema:\n"
	  "docs/schema/tdxhp-load-status.schema.json)" },
	{ 0 },
};

static const struct tdxhp_opt_group load_groups[] = {
	{ NULL, load_opts },
	TDXHP_CLI_SIM_GROUP,
	TDXHP_CLI_LOAD_GROUP,
	TDXHP_CLI_COMMON_GROUP,
	{ 0 },
};

static struct tdxhp_opt_set load_set = {
	.synopsis = "[OPTIONS]\n--status [-j]\n--unload\n--simulate[=SCENARIO] | --feed",
	.about = "Load, attach and pin the tdxhp BPF programs and maps under a pin directory\n"
		 "(default " TDXHP_DEFAULT_PIN_DIR "), so that every tdxhp tool shares one\n"
		 "persistent instance that sees every TD from its creation. An instance of\n"
		 "another layout is taken over: running TDs keep their state.",
	.groups = load_groups,
};

static void help_epilogue(FILE *f)
{
	fprintf(f, "\nScenarios:\n");
	tdxhp_sim_list(f);
	fprintf(f, "\nExamples:\n"
		   "  tdxhp-load                 at boot (tdxhp.service), before any VM\n"
		   "  tdxhp-load --status\n"
		   "  tdxhp-load --simulate      a simulated instance the tools can share\n"
		   "  tdxhp-load --unload\n");
}

static int parse_args(int argc, char **argv, struct load_args *a)
{
	uint64_t v;
	int opt, r;

	a->cli.opts = &load_set;
	a->cli.help_epilogue = help_epilogue;
	tdxhp_opts_build(&load_set);
	while ((opt = tdxhp_opts_next(&load_set, argc, argv)) != -1) {
		r = tdxhp_cli_parse(opt, optarg, &a->cli);
		if (r < 0)
			return -1;
		if (r > 0)
			continue;
		switch (opt) {
		case OPT_STATUS:
			a->mode = STATUS;
			break;
		case OPT_UNLOAD:
			a->mode = UNLOAD;
			break;
		case OPT_RELOAD:
			a->reload = true;
			break;
		case OPT_FEED:
			a->mode = FEED;
			break;
		case OPT_PIN_DIR:
			a->cli.load.pin_dir = optarg;
			break;
		case OPT_MAX_SHARDS:
			if (tdxhp_parse_u64(optarg, 1, TDXHP_MAX_SHARDS, &v)) {
				tdxhp_err("--max-shards wants 1 to %d, not '%s'",
					  TDXHP_MAX_SHARDS, optarg);
				return -1;
			}
			a->cli.load.max_shards = (unsigned int)v;
			break;
		case 'j':
			a->json = true;
			break;
		default:
			tdxhp_cli_bad_option(argv);
			return -1;
		}
	}
	if (a->cli.sim.scenario && a->mode != LOAD) {
		tdxhp_err("--simulate goes with loading, not --status, --unload or --feed");
		return -1;
	}
	if ((a->cli.sim_ticks || a->cli.sim.speed) && a->mode != FEED) {
		tdxhp_err("--sim-ticks and --sim-speed go with --feed");
		return -1;
	}
	a->cli.load.simulate = a->cli.simulate;
	a->cli.load.scenario = a->cli.sim.scenario;
	a->cli.load.seed = a->cli.sim.seed;
	a->cli.load.sim_tds = a->cli.sim.nr_tds;
	return tdxhp_cli_no_more_args(argc, argv);
}

/* Kernel memory of a pinned map, as the kernel accounts it. */
static uint64_t memlock_of(const char *path)
{
	char fdinfo[64], line[128];
	uint64_t bytes = 0;
	int fd = bpf_obj_get(path);
	FILE *f;

	if (fd < 0)
		return 0;
	snprintf(fdinfo, sizeof(fdinfo), "/proc/self/fdinfo/%d", fd);
	f = fopen(fdinfo, "r");
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "memlock: %lu", &bytes) == 1)
			break;
	if (f)
		fclose(f);
	close(fd);
	return bytes;
}

static uint64_t instance_memory(const char *dir, uint64_t id)
{
	static const char *const maps[] = {
		"info", "schema", "td_meta", "td_stats", "host_stats",
		"storm_table", "events", "bss", "data",
	};
	char path[320];
	uint64_t total = 0;

	for (size_t i = 0; i < ARRAY_SIZE(maps); i++) {
		snprintf(path, sizeof(path), "%s/%016llx/%s", dir,
			 (unsigned long long)id, maps[i]);
		total += memlock_of(path);
	}
	snprintf(path, sizeof(path), "%s/control", dir);
	return total + memlock_of(path);
}

static void rfc3339(uint64_t realtime_ns, char *buf, size_t len)
{
	time_t s = (time_t)(realtime_ns / 1000000000ULL);
	struct tm tm;

	gmtime_r(&s, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int read_info(const char *dir, uint64_t id, struct tdxhp_info *info)
{
	char path[320];
	uint32_t key = 0;
	int fd, err = 0;

	snprintf(path, sizeof(path), "%s/%016llx/info", dir,
		 (unsigned long long)id);
	fd = bpf_obj_get(path);
	if (fd < 0)
		return -errno;
	if (bpf_map_lookup_elem(fd, &key, info))
		err = -errno;
	close(fd);
	return err ? err : info->magic == TDXHP_INFO_MAGIC ? 0 : -EPROTO;
}

static unsigned int live_tds(const char *dir, const struct tdxhp_info *info)
{
	char path[320];
	unsigned int n = 0;
	struct tdxhp_td_meta m;
	int fd;

	snprintf(path, sizeof(path), "%s/%016llx/td_meta", dir,
		 (unsigned long long)info->instance_id);
	fd = bpf_obj_get(path);
	for (uint32_t slot = 0; fd >= 0 && slot < info->nr_slots; slot++)
		if (!bpf_map_lookup_elem(fd, &slot, &m) && m.kvm)
			n++;
	if (fd >= 0)
		close(fd);
	return n;
}

/* --status -j: docs/schema/tdxhp-load-status.schema.json. */
static void status_json(const char *dir, const struct tdxhp_info *info,
			uint64_t owner, uint64_t mem)
{
	bool simulated = info && info->flags & TDXHP_INFO_SIMULATED;
	struct tdxhp_json w;

	tdxhp_json_init(&w, stdout, false);
	tdxhp_json_record_start(&w, TDXHP_SCHEMA_LOAD_STATUS, simulated);
	tdxhp_json_times(&w, tdxhp_now_ns(), tdxhp_mono_to_real_ns());
	tdxhp_json_kv_bool(&w, "pinned", info != NULL);
	tdxhp_json_kv_string(&w, "pin_dir", dir);
	if (!info) {
		tdxhp_json_object_end(&w);
		tdxhp_json_line_end(&w);
		return;
	}
	tdxhp_json_kv_hex(&w, "instance", owner);
	tdxhp_json_name(&w, "version");
	tdxhp_json_string_n(&w, info->version, sizeof(info->version));
	tdxhp_json_kv_hex(&w, "layout", info->layout_hash);
	tdxhp_json_kv_bool(&w, "layout_matches",
			   info->layout_hash == tdxhp_layout_hash());
	tdxhp_json_kv_wall_time(&w, "loaded_time", info->loaded_realtime_ns);
	if (simulated) {
		tdxhp_json_name(&w, "scenario");
		tdxhp_json_string_n(&w, info->scenario, sizeof(info->scenario));
		tdxhp_json_kv_u64(&w, "seed", info->seed);
	}
	tdxhp_json_kv_u64(&w, "slots", info->nr_slots);
	tdxhp_json_kv_u64(&w, "shards", info->nr_shards);
	tdxhp_json_kv_u64(&w, "possible_cpus", info->nr_cpus);
	tdxhp_json_kv_u64(&w, "live_tds", live_tds(dir, info));
	tdxhp_json_kv_u64(&w, "memory_bytes", mem);
	tdxhp_json_kv_u64(&w, "storm_hits", info->storm_hits);
	tdxhp_json_kv_u64(&w, "storm_window_ns", info->storm_window_ns);
	tdxhp_json_name(&w, "sources");
	tdxhp_json_object_start(&w);
	for (int ev = 0; ev < TDXHP_NR_EVENTS; ev++)
		tdxhp_json_kv_string(&w, tdxhp_event_name(ev),
				     simulated ? "simulated" :
						 tdxhp_source_name(info->source[ev]));
	tdxhp_json_object_end(&w);
	tdxhp_json_object_end(&w);
	tdxhp_json_line_end(&w);
}

static int status(const struct load_args *a)
{
	const char *dir = tdxhp_pin_dir(&a->cli.load);
	char when[40], detail[256];
	struct tdxhp_info info;
	uint64_t owner, mem;
	bool same;
	int err;

	if (!tdxhp_pin_exists(dir)) {
		if (a->json)
			status_json(dir, NULL, 0, 0);
		else
			printf("nothing is pinned under %s: tools load private copies (run tdxhp-load)\n",
			       dir);
		return 3;
	}
	err = tdxhp_pin_owner(dir, &owner);
	if (!err)
		err = read_info(dir, owner, &info);
	if (err) {
		tdxhp_err("%s is pinned but unreadable (%s): tdxhp-load --unload removes it",
			  dir, strerror(-err));
		return 1;
	}
	rfc3339(info.loaded_realtime_ns, when, sizeof(when));
	mem = instance_memory(dir, owner);
	same = info.layout_hash == tdxhp_layout_hash();
	if (a->json) {
		status_json(dir, &info, owner, mem);
		return 0;
	}
	printf("pinned under %s: instance %016llx, loaded by tdxhp %.32s at %s\n",
	       dir, (unsigned long long)owner, info.version, when);
	printf("  layout      %016llx%s\n", (unsigned long long)info.layout_hash,
	       same ? " (this tdxhp's)" :
		      " (NOT this tdxhp's: its tools refuse it; tdxhp-load takes it over)");
	printf("  mode        %s\n", info.flags & TDXHP_INFO_SIMULATED ?
		       "SIMULATED: loaded for the simulator, attached to nothing" :
		       "live: attached");
	printf("  TD table    %u slots, %u live TDs; stats in %u shards for %u possible CPUs\n",
	       info.nr_slots, live_tds(dir, &info), info.nr_shards,
	       info.nr_cpus);
	printf("  memory      %.1f MiB (kernel accounting: memlock of every map)\n",
	       (double)mem / (1 << 20));
	printf("  events:\n");
	for (int ev = 0; ev < TDXHP_NR_EVENTS; ev++) {
		tdxhp_source_detail(ev, &info, detail, sizeof(detail));
		printf("    %-20s %s\n", tdxhp_event_name(ev),
		       info.flags & TDXHP_INFO_SIMULATED ? "simulated" : detail);
	}
	return 0;
}

static int unload(const struct load_args *a)
{
	const char *dir = tdxhp_pin_dir(&a->cli.load);
	int n = tdxhp_unpin_all(dir);

	if (n < 0) {
		tdxhp_err("removing the pins under %s: %s", dir, strerror(-n));
		return 1;
	}
	printf("%s: removed %d pinned instance object%s under %s\n",
	       tdxhp_prog_name, n, n == 1 ? "" : "s", dir);
	return 0;
}

static void print_takeover(const struct tdxhp_carry_report *r, uint64_t old)
{
	printf("%s: took over from instance %016llx: %u TDs carried with their state",
	       tdxhp_prog_name, (unsigned long long)old, r->tds);
	if (r->retired_late)
		printf(", %u torn down meanwhile (retired)", r->retired_late);
	printf("\n");
	if (r->lost_tds)
		tdxhp_err("warning: %u TDs did not fit the new TD table and were not carried (raise --max-tds)",
			  r->lost_tds);
	if (r->fields_new)
		printf("%s: %u fields are new in this layout and start at 0: %s\n",
		       tdxhp_prog_name, r->fields_new, r->new_names);
	if (r->fields_dropped)
		printf("%s: %u fields of the old layout are not in this one and were dropped: %s\n",
		       tdxhp_prog_name, r->fields_dropped, r->dropped_names);
	printf("%s: storm windows restart (not carried)%s\n", tdxhp_prog_name,
	       r->grace_slept ? "; membarrier unavailable, waited 200 ms for the old programs" : "");
}

/* A simulated instance's TD names follow it to its successor. */
static void move_sim_names(uint64_t from, uint64_t to)
{
	char a[96], b[96];

	snprintf(a, sizeof(a), TDXHP_SIM_NAMES_FMT, (unsigned long long)from);
	snprintf(b, sizeof(b), TDXHP_SIM_NAMES_FMT, (unsigned long long)to);
	rename(a, b);
}

static int load(struct load_args *a)
{
	const char *dir = tdxhp_pin_dir(&a->cli.load);
	struct tdxhp_carry_report rep;
	struct tdxhp_info old_info;
	char path[256];
	struct tdxhp t;
	uint64_t old = 0;
	int control_fd = -1, err;

	memset(&t, 0, sizeof(t));
	t.stream_lock_fd = -1;
	if (tdxhp_pin_exists(dir)) {
		err = tdxhp_pin_owner(dir, &old);
		if (err) {
			tdxhp_err("reading %s/control: %s", dir, strerror(-err));
			return 1;
		}
		if (old && !read_info(dir, old, &old_info) &&
		    old_info.layout_hash == tdxhp_layout_hash() && !a->reload &&
		    !!(old_info.flags & TDXHP_INFO_SIMULATED) ==
			    a->cli.load.simulate) {
			printf("%s: already loaded under %s (instance %016llx, this layout); --reload replaces it\n",
			       tdxhp_prog_name, dir, (unsigned long long)old);
			return 0;
		}
		snprintf(path, sizeof(path), "%s/control", dir);
		control_fd = bpf_obj_get(path);
	}
	/* Everything below is the loader's, with our pin dir. */
	snprintf(t.pin_dir, sizeof(t.pin_dir), "%s", dir);
	a->cli.load.use = TDXHP_USE_PRIVATE;
	err = tdxhp_open_for_pinning(&t, &a->cli.load, control_fd);
	if (!err)
		err = tdxhp_pin_instance(&t, dir);
	if (!err && control_fd >= 0 && old) {
		err = tdxhp_takeover(&t, dir, old, &rep);
		if (!err) {
			print_takeover(&rep, old);
			tdxhp_unpin_instance(dir, old);
			move_sim_names(old, t.info.instance_id);
		}
	} else if (!err && control_fd >= 0) {
		err = tdxhp_set_owner(&t, t.info.instance_id);
	}
	if (err) {
		tdxhp_err("%s", t.errmsg);
		if (t.pinned)
			tdxhp_unpin_instance(dir, t.info.instance_id);
		tdxhp_close(&t);
		return 1;
	}
	if (t.note[0])
		tdxhp_err("note: %s", t.note);
	printf("%s: pinned instance %016llx under %s (%s%u slots, %u shards)\n",
	       tdxhp_prog_name, (unsigned long long)t.info.instance_id, dir,
	       t.simulated ? "SIMULATED, " : "", t.nr_slots, t.nr_shards);
	if (a->cli.load.verbose)
		for (int ev = 0; ev < TDXHP_NR_EVENTS; ev++) {
			char detail[256];

			tdxhp_source_detail(ev, &t.info, detail,
					    sizeof(detail));
			fprintf(stderr, "%s:   %-20s %s\n", tdxhp_prog_name,
				tdxhp_event_name(ev),
				t.simulated ? "simulated" : detail);
		}
	if (control_fd >= 0)
		close(control_fd);
	/* The pins keep everything alive and attached after we exit. */
	tdxhp_close(&t);
	return 0;
}

/* One feeder per pinned simulation, like one kernel per host. */
static int feed_lock(uint64_t id)
{
	char path[96];
	int fd;

	mkdir("/run/tdxhp", 0755);
	snprintf(path, sizeof(path), "/run/tdxhp/feed-%016llx.lock",
		 (unsigned long long)id);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0 || flock(fd, LOCK_EX | LOCK_NB)) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static int feed(struct load_args *a)
{
	struct tdxhp_sim_opts so = { 0 };
	struct tdxhp_sim *sim;
	struct tdxhp t;
	int lock, err;

	a->cli.load.use = TDXHP_USE_PINNED;
	a->cli.load.simulate = true;
	err = tdxhp_open(&t, &a->cli.load);
	if (err) {
		tdxhp_err("%s", t.errmsg);
		return 1;
	}
	if (!t.simulated) {
		tdxhp_err("the instance pinned under %s is live: --feed drives only a simulated one (tdxhp-load --simulate)",
			  t.pin_dir);
		tdxhp_close(&t);
		return 1;
	}
	lock = feed_lock(t.info.instance_id);
	if (lock < 0) {
		tdxhp_err("another tdxhp-load --feed already drives the instance under %s",
			  t.pin_dir);
		tdxhp_close(&t);
		return 1;
	}
	so.scenario = t.info.scenario;
	so.seed = t.info.seed;
	so.nr_tds = t.info.sim_tds;
	so.speed = a->cli.sim.speed;
	so.feed = true;
	sim = tdxhp_sim_new(&t, &so);
	if (!sim) {
		tdxhp_close(&t);
		return 1;
	}
	printf("%s: SIMULATED: feeding the pinned instance %016llx (%s)\n",
	       tdxhp_prog_name, (unsigned long long)t.info.instance_id,
	       tdxhp_sim_label(sim));
	fflush(stdout);
	if (a->cli.sim_ticks) {
		err = tdxhp_sim_run_ticks(sim, a->cli.sim_ticks) ? 1 : 0;
	} else {
		tdxhp_stop_on_signals();
		err = tdxhp_sim_start(sim) ? 1 : 0;
		while (!err && !tdxhp_stop)
			pause();
		tdxhp_sim_stop(sim);
	}
	printf("%s: SIMULATED: fed %llu events, %llu failed\n", tdxhp_prog_name,
	       (unsigned long long)tdxhp_sim_fed(sim),
	       (unsigned long long)tdxhp_sim_failed(sim));
	tdxhp_sim_free(sim);
	tdxhp_close(&t);
	close(lock);
	return err;
}

int main(int argc, char **argv)
{
	struct load_args a = { 0 };

	tdxhp_prog_name = "tdxhp-load";
	if (parse_args(argc, argv, &a))
		return 2;
	switch (a.mode) {
	case STATUS:
		return status(&a);
	case UNLOAD:
		return unload(&a);
	case FEED:
		return feed(&a);
	default:
		return load(&a);
	}
}
