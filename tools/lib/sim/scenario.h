/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Named workloads of the simulated TDX host. */
#ifndef TDXHP_SIM_SCENARIO_H
#define TDXHP_SIM_SCENARIO_H

struct tdxhp_scenario {
	const char *name;
	const char *summary;
	unsigned int nr_tds;		/* TDs at start */
	unsigned int nr_preexisting;	/* of them, running before tdxhp */
	unsigned int mem_mib_min;	/* private memory per TD */
	unsigned int mem_mib_max;
	unsigned int batch_ticks;	/* length of a batch run, 10 ms ticks */
	unsigned int build_pages;	/* 4K TDH.MEM.PAGE.ADDs at build */
	unsigned int fault_regions;	/* 2M regions faulted in per tick */
	double huge_ratio;		/* share of regions the guest maps at 2M */
	double convert_hz;		/* private-to-shared per TD per second */
	double punch_hz;		/* guest_memfd hole punches */
	double accept_hz;		/* 4K accepts inside a 2M leaf */
	double reprivate_hz;		/* shared-to-private (4K augs) */
	double release_hz;		/* whole 2M ranges released, faulted
					 * back later (2M where allowed) */
	double busy_p;			/* a demote phase hits TDX_OPERAND_BUSY */
	double err_p;			/* a SEAMCALL fails */
	double stray_fsi_hz;		/* sporadic ignored fault-path splits */
	unsigned int storm_tds;		/* TDs stuck re-faulting one gfn */
	unsigned int storm_per_tick;	/* their ignored splits per tick */
	double create_hz;		/* new TDs per second (fleet churn) */
	unsigned int life_ticks_min;	/* lifetime of churned TDs */
	unsigned int life_ticks_max;
	unsigned int hkids;		/* TDX private KeyIDs on the host */
};

extern const struct tdxhp_scenario tdxhp_scenarios[];
extern const unsigned int tdxhp_nr_scenarios;

const struct tdxhp_scenario *tdxhp_scenario_find(const char *name);

#endif /* TDXHP_SIM_SCENARIO_H */
