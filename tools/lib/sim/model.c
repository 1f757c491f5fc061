// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tdxhp/abi.h"
#include "model.h"
#include "model_int.h"

#define TICKS_PER_SEC 100
#define PAGES_PER_REGION 512
#define HOST_MIB (2U << 20)	/* a 2 TiB host */

/* TDX status codes (arch/x86/kvm/vmx/tdx_errno.h) and SEAMCALL leaves. */
#define TDX_OPERAND_BUSY 0x8000020000000000ULL
#define TDX_INTERRUPTED_RESUMABLE 0x8000000300000000ULL
#define TDH_MEM_RANGE_BLOCK 7
#define TDH_MEM_PAGE_DEMOTE 15
#define TDH_MEM_TRACK 38

/* Median latencies (ns) and log-space spread of the modelled SEAMCALLs. */
static const struct {
	double add, aug_4k, aug_2m, remove, block, track, demote, busy_retry;
	double boundary_overhead, sigma;
} lat = {
	.add = 11000, .aug_4k = 2600, .aug_2m = 9500, .remove = 4200,
	.block = 1800, .track = 5200, .demote = 21000, .busy_retry = 35000,
	.boundary_overhead = 1500, .sigma = 0.3,
};

static const char *const roles[] = {
	"web", "db", "cache", "batch", "ci", "ml", "build", "edge",
};

/* ------------------------------------------------------------------ */
/* Emitting events                                                     */

static unsigned int td_cpu(const struct sim_model *m, const struct sim_td *td)
{
	/* A TD's vCPU threads move to another CPU every simulated second. */
	return (unsigned int)((td->id + m->tick / TICKS_PER_SEC) % m->nr_cpus);
}

static void emit(struct sim_model *m, struct sim_td *td, int type,
		 const void *ctx, size_t size)
{
	m->sink->emit(m->sink->arg, type, ctx, size, td_cpu(m, td));
	m->emitted++;
}

static void account(struct sim_td *td, int level, int64_t delta)
{
	td->info.emitted_pages[level - 1] += delta;
	td->info.actual_pages[level - 1] += delta;
}

static void emit_page_op(struct sim_model *m, struct sim_td *td, int type,
			 uint64_t gfn, int level, uint64_t err, double median)
{
	struct tdxhp_ctx_page_aug c = {
		.kvm = td->info.handle,
		.gfn = gfn,
		.level = tdxhp_arg_s32(level),
		.err = err,
		.duration_ns = sim_rng_lognormal_ns(&m->rng, median, lat.sigma),
	};

	/* page_add, page_aug and page_remove share one argument layout. */
	emit(m, td, type, &c, sizeof(c));
	if (err)
		return;
	account(td, level, type == TDXHP_EV_PAGE_REMOVE ? -1 : 1);
}

/* A SEAMCALL that can fail: emit the failure first, then the retry. */
static void page_op(struct sim_model *m, struct sim_td *td, int type,
		    uint64_t gfn, int level, double median)
{
	if (sim_rng_chance(&m->rng, m->sc->err_p))
		emit_page_op(m, td, type, gfn, level, TDX_OPERAND_BUSY, median);
	emit_page_op(m, td, type, gfn, level, 0, median);
}

static uint64_t phase_ns(struct sim_model *m, struct sim_td *td, double median,
			 uint64_t leaf, uint64_t gfn, unsigned int *retries)
{
	uint64_t ns = sim_rng_lognormal_ns(&m->rng, median, lat.sigma);

	/* Each BUSY kicks the vCPUs out of the TD and retries the SEAMCALL. */
	while (*retries < 16 && sim_rng_chance(&m->rng, m->sc->busy_p)) {
		struct tdxhp_ctx_seamcall_busy b = {
			.kvm = td->info.handle,
			.seamcall = leaf,
			.gfn = gfn,
			.level = tdxhp_arg_s32(TDXHP_LEVEL_2M),
		};

		emit(m, td, TDXHP_EV_SEAMCALL_BUSY, &b, sizeof(b));
		(*retries)++;
		ns += sim_rng_lognormal_ns(&m->rng, lat.busy_retry, 0.5);
	}
	return ns;
}

/* Split the 2M leaf of region r; returns its duration, 0 if it failed. */
static uint64_t demote(struct sim_model *m, struct sim_td *td, unsigned int r)
{
	uint64_t gfn = (uint64_t)r * PAGES_PER_REGION;
	unsigned int retries = 0;
	struct tdxhp_ctx_page_demote c = {
		.kvm = td->info.handle,
		.gfn = gfn,
		.level = tdxhp_arg_s32(TDXHP_LEVEL_2M),
	};
	bool failed = sim_rng_chance(&m->rng, m->sc->err_p);

	c.block_ns = phase_ns(m, td, lat.block, TDH_MEM_RANGE_BLOCK, gfn,
			      &retries);
	c.track_ns = phase_ns(m, td, lat.track, TDH_MEM_TRACK, gfn, &retries);
	c.demote_ns = phase_ns(m, td, lat.demote, TDH_MEM_PAGE_DEMOTE, gfn,
			       &retries);
	c.busy_retries = retries;
	c.err = failed ? TDX_INTERRUPTED_RESUMABLE : 0;
	emit(m, td, TDXHP_EV_PAGE_DEMOTE, &c, sizeof(c));
	if (failed)
		return 0;
	account(td, TDXHP_LEVEL_2M, -1);
	account(td, TDXHP_LEVEL_4K, PAGES_PER_REGION);
	td->state[r] = R_SPLIT;
	td->mapped_4k[r] = PAGES_PER_REGION;
	return c.block_ns + c.track_ns + c.demote_ns;
}

static void emit_boundary(struct sim_model *m, struct sim_td *td,
			  uint64_t start, uint64_t end, int reason,
			  unsigned int nr_split, int ret, uint64_t ns)
{
	struct tdxhp_ctx_boundary_split c = {
		.kvm = td->info.handle,
		.start_gfn = start,
		.end_gfn = end,
		.reason = tdxhp_arg_s32(reason),
		.nr_split = nr_split,
		.ret = tdxhp_arg_s32(ret),
		.duration_ns = ns + sim_rng_lognormal_ns(
				       &m->rng, lat.boundary_overhead, lat.sigma),
	};

	emit(m, td, TDXHP_EV_BOUNDARY_SPLIT, &c, sizeof(c));
}

/* ------------------------------------------------------------------ */
/* What the guest and the VMM do                                       */

static int pick_region(struct sim_model *m, struct sim_td *td,
		       enum region_state want)
{
	for (int tries = 0; tries < 8; tries++) {
		unsigned int r = (unsigned int)sim_rng_below(&m->rng,
							     td->nr_regions);

		if (td->state[r] == want)
			return (int)r;
	}
	return -1;
}

static void remove_4k(struct sim_model *m, struct sim_td *td, unsigned int r,
		      uint64_t first_gfn, unsigned int n)
{
	if (n > td->mapped_4k[r])
		n = td->mapped_4k[r];
	for (unsigned int i = 0; i < n; i++)
		page_op(m, td, TDXHP_EV_PAGE_REMOVE, first_gfn + i,
			TDXHP_LEVEL_4K, lat.remove);
	td->mapped_4k[r] -= (uint16_t)n;
}

/*
 * Private-to-shared conversion or hole punch of a few 4K pages: split the
 * 2M leaves that cross the range's edges, then zap the range.  Sometimes
 * the range crosses into the next region, splitting two leaves.
 */
static void shrink_range(struct sim_model *m, struct sim_td *td, int reason)
{
	enum region_state want = reason == TDXHP_SPLIT_PUNCH_HOLE &&
						 sim_rng_chance(&m->rng, 0.3) ?
					 R_SPLIT :
					 R_HUGE;
	int r = pick_region(m, td, want);
	unsigned int n = 1 + (unsigned int)sim_rng_below(&m->rng, 16);

	/* No 2M leaf found: the range is in memory that is split already
	 * (guests convert the same bounce buffers again and again). */
	if (r < 0 && want == R_HUGE)
		r = pick_region(m, td, R_SPLIT);
	unsigned int regions[2], nr_regions = 1, nr_split = 0;
	uint64_t start, ns = 0;
	int ret = 0;

	if (r < 0)
		return;
	regions[0] = (unsigned int)r;
	start = (uint64_t)r * PAGES_PER_REGION +
		sim_rng_below(&m->rng, PAGES_PER_REGION - n + 1);
	if ((unsigned int)r + 1 < td->nr_regions &&
	    td->state[r + 1] != R_UNMAPPED && sim_rng_chance(&m->rng, 0.15)) {
		start = (uint64_t)(r + 1) * PAGES_PER_REGION - n / 2 - 1;
		regions[nr_regions++] = (unsigned int)r + 1;
	}
	for (unsigned int i = 0; i < nr_regions; i++) {
		uint64_t d;

		if (td->state[regions[i]] != R_HUGE)
			continue;
		d = demote(m, td, regions[i]);
		if (!d) {
			ret = -EIO;
			break;
		}
		ns += d;
		nr_split++;
	}
	emit_boundary(m, td, start, start + n, reason, nr_split, ret, ns);
	if (ret)
		return;
	for (unsigned int i = 0; i < nr_regions; i++) {
		unsigned int rr = regions[i];
		uint64_t lo = (uint64_t)rr * PAGES_PER_REGION;
		uint64_t hi = lo + PAGES_PER_REGION;
		uint64_t a = start > lo ? start : lo;
		uint64_t b = start + n < hi ? start + n : hi;

		if (b > a && td->state[rr] == R_SPLIT)
			remove_4k(m, td, rr, a, (unsigned int)(b - a));
	}
}

/* The guest accepts 4K inside a 2M leaf: split it, nothing is unmapped. */
static void accept_4k(struct sim_model *m, struct sim_td *td)
{
	int r = pick_region(m, td, R_HUGE);
	uint64_t start, ns;

	if (r < 0)
		return;
	start = (uint64_t)r * PAGES_PER_REGION +
		sim_rng_below(&m->rng, PAGES_PER_REGION);
	ns = demote(m, td, (unsigned int)r);
	emit_boundary(m, td, start, start + 1, TDXHP_SPLIT_ACCEPT, ns ? 1 : 0,
		      ns ? 0 : -EIO, ns);
}

/* Shared-to-private: 4K pages come back into a split region. */
static void reprivate(struct sim_model *m, struct sim_td *td)
{
	int r = pick_region(m, td, R_SPLIT);
	unsigned int room, n;
	uint64_t gfn;

	if (r < 0)
		return;
	room = PAGES_PER_REGION - td->mapped_4k[r];
	n = room < 8 ? room : 1 + (unsigned int)sim_rng_below(&m->rng, 8);
	gfn = (uint64_t)r * PAGES_PER_REGION + td->mapped_4k[r];
	for (unsigned int i = 0; i < n; i++)
		page_op(m, td, TDXHP_EV_PAGE_AUG, gfn + i, TDXHP_LEVEL_4K,
			lat.aug_4k);
	td->mapped_4k[r] += (uint16_t)n;
}

/*
 * The guest gives a whole 2M range back (freed and reported, ballooned,
 * or converted to shared as a whole): KVM zaps it, one 2M remove or every
 * 4K leaf of a split one.  Fragmented ranges go first: of a few split
 * candidates, the one with the fewest private pages left.
 */
static void release_range(struct sim_model *m, struct sim_td *td)
{
	bool huge = sim_rng_chance(&m->rng, 0.25);
	int r = huge ? pick_region(m, td, R_HUGE) : -1;

	/* A quarter of the time a range still mapped at 2M. */
	for (int i = 0; !huge && i < 4; i++) {
		int c = pick_region(m, td, R_SPLIT);

		if (c >= 0 && (r < 0 || td->mapped_4k[c] < td->mapped_4k[r]))
			r = c;
	}
	if (r < 0)
		r = pick_region(m, td, R_HUGE);
	if (r < 0)
		return;
	if (td->state[r] == R_HUGE)
		page_op(m, td, TDXHP_EV_PAGE_REMOVE,
			(uint64_t)r * PAGES_PER_REGION, TDXHP_LEVEL_2M,
			lat.remove);
	else
		remove_4k(m, td, (unsigned int)r,
			  (uint64_t)r * PAGES_PER_REGION, td->mapped_4k[r]);
	td->state[r] = R_UNMAPPED;
	td->mapped_4k[r] = 0;
}

/* Fault region r in: at 2M where the guest allows, else some 4K pages. */
static void fault_region(struct sim_model *m, struct sim_td *td,
			 unsigned int r)
{
	uint64_t gfn = (uint64_t)r * PAGES_PER_REGION;
	unsigned int n;

	if (sim_rng_chance(&m->rng, m->sc->huge_ratio)) {
		page_op(m, td, TDXHP_EV_PAGE_AUG, gfn, TDXHP_LEVEL_2M,
			lat.aug_2m);
		td->state[r] = R_HUGE;
		return;
	}
	/* Unaligned or partly shared: the guest touches 4K pages. */
	n = 8 + (unsigned int)sim_rng_below(&m->rng, 57);
	for (unsigned int j = 0; j < n; j++)
		page_op(m, td, TDXHP_EV_PAGE_AUG, gfn + j, TDXHP_LEVEL_4K,
			lat.aug_4k);
	td->state[r] = R_SPLIT;
	td->mapped_4k[r] = (uint16_t)n;
}

static void fault_in(struct sim_model *m, struct sim_td *td)
{
	/* Once booted, released ranges are used again soon. */
	if (td->fault_cursor >= td->nr_regions) {
		for (unsigned int i = 0; i < m->sc->fault_regions; i++) {
			int r = pick_region(m, td, R_UNMAPPED);

			if (r < 0)
				break;
			fault_region(m, td, (unsigned int)r);
		}
		return;
	}
	for (unsigned int i = 0; i < m->sc->fault_regions &&
				 td->fault_cursor < td->nr_regions;
	     i++) {
		unsigned int r = td->fault_cursor++;

		if (td->state[r] != R_UNMAPPED)
			continue;
		fault_region(m, td, r);
	}
}

static void build(struct sim_model *m, struct sim_td *td)
{
	unsigned int n = td->build_left < 256 ? td->build_left : 256;

	/* TD build: initial image and firmware, 4K TDH.MEM.PAGE.ADDs. */
	for (unsigned int i = 0; i < n; i++) {
		unsigned int page = td->build_next++;
		unsigned int r = page / PAGES_PER_REGION;

		page_op(m, td, TDXHP_EV_PAGE_ADD, page, TDXHP_LEVEL_4K,
			lat.add);
		td->state[r] = R_SPLIT;
		td->mapped_4k[r]++;
	}
	td->build_left -= n;
	if (!td->build_left && td->fault_cursor < td->build_next)
		td->fault_cursor = (td->build_next + PAGES_PER_REGION - 1) /
				   PAGES_PER_REGION;
}

static void ignored_split(struct sim_model *m, struct sim_td *td, uint64_t gfn,
			  int vcpu)
{
	struct tdxhp_ctx_fault_split_ignored c = {
		.kvm = td->info.handle,
		.vcpu_id = tdxhp_arg_s32(vcpu),
		.gfn = gfn,
		.level = tdxhp_arg_s32(TDXHP_LEVEL_2M),
		.goal_level = tdxhp_arg_s32(TDXHP_LEVEL_4K),
	};

	emit(m, td, TDXHP_EV_FAULT_SPLIT_IGNORED, &c, sizeof(c));
}

static unsigned int per_tick(struct sim_model *m, double hz)
{
	return sim_rng_poisson(&m->rng, hz / TICKS_PER_SEC);
}

static void run_td(struct sim_model *m, struct sim_td *td)
{
	const struct tdxhp_scenario *sc = m->sc;
	unsigned int n;

	if (td->build_left) {
		build(m, td);
		return;
	}
	fault_in(m, td);
	for (n = per_tick(m, sc->convert_hz); n; n--)
		shrink_range(m, td, TDXHP_SPLIT_CONVERT);
	for (n = per_tick(m, sc->punch_hz); n; n--)
		shrink_range(m, td, TDXHP_SPLIT_PUNCH_HOLE);
	for (n = per_tick(m, sc->accept_hz); n; n--)
		accept_4k(m, td);
	for (n = per_tick(m, sc->reprivate_hz); n; n--)
		reprivate(m, td);
	for (n = per_tick(m, sc->release_hz); n; n--)
		release_range(m, td);
	for (n = per_tick(m, sc->stray_fsi_hz); n; n--)
		ignored_split(m, td,
			      sim_rng_below(&m->rng, (uint64_t)td->nr_regions *
							     PAGES_PER_REGION),
			      (int)sim_rng_below(&m->rng, td->nr_vcpus));
	/* A storming vCPU pair re-faults the same gfns without progress. */
	for (n = 0; td->info.storm_gfns && n < sc->storm_per_tick; n++)
		ignored_split(m, td, td->info.storm_gfn[n % td->info.storm_gfns],
			      (int)(n % 2));
}

/* ------------------------------------------------------------------ */
/* TD lifecycle                                                        */

static int alloc_hkid(struct sim_model *m)
{
	for (unsigned int k = 1; k <= m->hkids; k++) {
		if (!m->hkid_used[k]) {
			m->hkid_used[k] = 1;
			return (int)k;
		}
	}
	return -1;
}

static unsigned int live_tds(const struct sim_model *m)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < m->nr_tds; i++)
		n += m->tds[i].info.alive;
	return n;
}

/* Forget dead TDs once there are many, so a long churn run stays small. */
static void compact(struct sim_model *m)
{
	unsigned int j = 0;

	if (m->nr_tds < 4096)
		return;
	for (unsigned int i = 0; i < m->nr_tds; i++)
		if (m->tds[i].info.alive)
			m->tds[j++] = m->tds[i];
	m->nr_tds = j;
}

static struct sim_td *create_td(struct sim_model *m, bool preexisting)
{
	const struct tdxhp_scenario *sc = m->sc;
	unsigned int mib;
	struct sim_td *td;
	int hkid = alloc_hkid(m);

	if (hkid < 0)
		return NULL; /* out of TDX KeyIDs: the VMM cannot create it */
	compact(m);
	if (m->nr_tds == m->cap_tds) {
		unsigned int cap = m->cap_tds ? m->cap_tds * 2 : 16;
		struct sim_td *p = realloc(m->tds, cap * sizeof(*p));

		if (!p)
			return NULL;
		m->tds = p;
		m->cap_tds = cap;
	}
	td = &m->tds[m->nr_tds];
	memset(td, 0, sizeof(*td));
	td->id = m->next_id++;
	mib = sc->mem_mib_min +
	      (unsigned int)sim_rng_below(&m->rng,
					  sc->mem_mib_max - sc->mem_mib_min + 1);
	/* The host's memory is shared: many TDs are small ones. */
	if (mib > HOST_MIB / m->nr_initial)
		mib = HOST_MIB / m->nr_initial > 64 ? HOST_MIB / m->nr_initial : 64;
	td->nr_regions = mib / 2;
	td->state = calloc(td->nr_regions, 1);
	td->mapped_4k = calloc(td->nr_regions, sizeof(uint16_t));
	if (!td->state || !td->mapped_4k) {
		free(td->state);
		free(td->mapped_4k);
		m->hkid_used[hkid] = 0;
		return NULL;
	}
	m->nr_tds++;
	td->nr_vcpus = 2 + (unsigned int)sim_rng_below(&m->rng, 15);
	td->info.handle = 0xdead000000000000ULL + (uint64_t)td->id * 0x11000;
	td->info.pid = 900000 + (int)td->id;
	td->info.hkid = hkid;
	td->info.alive = true;
	snprintf(td->info.name, sizeof(td->info.name), "sim-%s-%02u",
		 roles[td->id % (sizeof(roles) / sizeof(roles[0]))], td->id);
	if (m->sink->named)
		m->sink->named(m->sink->arg, td->info.handle, td->info.name);
	if (sc->life_ticks_max)
		td->death_tick = m->tick + sc->life_ticks_min +
				 sim_rng_below(&m->rng, sc->life_ticks_max -
								sc->life_ticks_min + 1);

	if (preexisting) {
		/*
		 * Built and half faulted in before tdxhp started: none of
		 * that was seen, so emitted_pages starts at zero.
		 */
		unsigned int half = td->nr_regions / 2;

		for (unsigned int r = 0; r < half; r++) {
			td->state[r] = R_HUGE;
			td->info.actual_pages[TDXHP_LEVEL_2M - 1]++;
		}
		td->fault_cursor = half;
		return td;
	}

	td->build_left = sc->build_pages;
	td->info.announced = true;
	{
		struct tdxhp_ctx_td_init c = {
			.kvm = td->info.handle,
			.pid = tdxhp_arg_s32(td->info.pid),
			.hkid = tdxhp_arg_s32(hkid),
		};

		emit(m, td, TDXHP_EV_TD_INIT, &c, sizeof(c));
	}
	return td;
}

static void destroy_td(struct sim_model *m, struct sim_td *td)
{
	struct tdxhp_ctx_td_teardown c = { .kvm = td->info.handle };

	emit(m, td, TDXHP_EV_TD_TEARDOWN, &c, sizeof(c));
	td->info.alive = false;
	m->hkid_used[td->info.hkid] = 0;
	free(td->state);
	free(td->mapped_4k);
	td->state = NULL;
	td->mapped_4k = NULL;
}

struct sim_model *sim_model_new(const struct sim_model_opts *o)
{
	struct sim_model *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->sc = o->scenario;
	m->nr_cpus = o->nr_cpus ? o->nr_cpus : 1;
	sim_rng_seed(&m->rng, o->seed);
	m->nr_initial = o->nr_tds ? o->nr_tds : m->sc->nr_tds;
	/* Asking for more TDs than the scenario's host has KeyIDs models a
	 * bigger host, not a failure to create them. */
	m->hkids = m->sc->hkids > m->nr_initial ? m->sc->hkids : m->nr_initial;
	m->hkid_used = calloc(m->hkids + 1, 1);
	if (!m->hkid_used) {
		free(m);
		return NULL;
	}
	return m;
}

void sim_model_free(struct sim_model *m)
{
	if (!m)
		return;
	for (unsigned int i = 0; i < m->nr_tds; i++) {
		free(m->tds[i].state);
		free(m->tds[i].mapped_4k);
	}
	free(m->tds);
	free(m->hkid_used);
	free(m);
}

static void create_initial(struct sim_model *m)
{
	const struct tdxhp_scenario *sc = m->sc;

	for (unsigned int i = 0; i < m->nr_initial; i++) {
		bool pre = i < sc->nr_preexisting;
		struct sim_td *td = create_td(m, pre);

		if (!td)
			break;
		/* The last TDs of the first batch are the storming ones. */
		if (!pre && i >= m->nr_initial - sc->storm_tds) {
			uint64_t pages = (uint64_t)td->nr_regions *
					 PAGES_PER_REGION;

			td->info.storm_gfns = 2;
			td->info.storm_gfn[0] = pages / 3;
			td->info.storm_gfn[1] = pages / 3 + 1;
		}
	}
}

long sim_model_tick(struct sim_model *m, const struct sim_sink *sink)
{
	unsigned int n;

	m->sink = sink;
	m->emitted = 0;
	if (m->tick == 0)
		create_initial(m);
	for (n = per_tick(m, m->sc->create_hz); n; n--)
		if (live_tds(m) < m->hkids)
			create_td(m, false);
	for (unsigned int i = 0; i < m->nr_tds; i++) {
		struct sim_td *td = &m->tds[i];

		if (!td->info.alive)
			continue;
		if (td->death_tick && m->tick >= td->death_tick)
			destroy_td(m, td);
		else
			run_td(m, td);
	}
	m->tick++;
	return m->emitted;
}
