// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <string.h>

#include "scenario.h"

/*
 * Latencies are in model.c; these are the workload shapes.  Rates are per
 * TD.  A tick is 10 ms of simulated time.
 */
const struct tdxhp_scenario tdxhp_scenarios[] = {
	{
		.name = "steady",
		.summary = "4 TDs booting and running, one joined mid-life, rare conversions",
		.nr_tds = 4, .nr_preexisting = 1,
		.mem_mib_min = 2048, .mem_mib_max = 8192,
		.batch_ticks = 1500, .build_pages = 2048, .fault_regions = 4,
		.huge_ratio = 0.92, .convert_hz = 2, .punch_hz = 0.3,
		.accept_hz = 0.5, .reprivate_hz = 1, .release_hz = 0.1,
		.busy_p = 0.05, .err_p = 0.001, .stray_fsi_hz = 1, .hkids = 63,
	},
	{
		.name = "convert",
		.summary = "conversion-heavy: shared/private flips split 2M leaves, BUSY retries",
		.nr_tds = 4, .mem_mib_min = 2048, .mem_mib_max = 4096,
		.batch_ticks = 1500, .build_pages = 1024, .fault_regions = 8,
		.huge_ratio = 0.95, .convert_hz = 60, .punch_hz = 10,
		.accept_hz = 10, .reprivate_hz = 30, .release_hz = 4,
		.busy_p = 0.25,
		.err_p = 0.002, .stray_fsi_hz = 2, .hkids = 63,
	},
	{
		.name = "storm",
		.summary = "one TD in an EPT-violation storm: a refused fault-path split repeats",
		.nr_tds = 3, .mem_mib_min = 2048, .mem_mib_max = 4096,
		.batch_ticks = 1000, .build_pages = 1024, .fault_regions = 4,
		.huge_ratio = 0.9, .convert_hz = 2, .punch_hz = 0.2,
		.accept_hz = 0.5, .reprivate_hz = 1, .release_hz = 0.1,
		.busy_p = 0.05, .err_p = 0.001, .stray_fsi_hz = 1, .storm_tds = 1,
		.storm_per_tick = 20, .hkids = 63,
	},
	{
		.name = "churn",
		.summary = "fleet churn: short-lived TDs created and destroyed all the time",
		.nr_tds = 8, .mem_mib_min = 512, .mem_mib_max = 2048,
		.batch_ticks = 2000, .build_pages = 512, .fault_regions = 8,
		.huge_ratio = 0.9, .convert_hz = 4, .punch_hz = 1,
		.accept_hz = 1, .reprivate_hz = 2, .release_hz = 0.1,
		.busy_p = 0.08,
		.err_p = 0.001, .stray_fsi_hz = 1, .create_hz = 4,
		.life_ticks_min = 100, .life_ticks_max = 600, .hkids = 31,
	},
};

const unsigned int tdxhp_nr_scenarios =
	sizeof(tdxhp_scenarios) / sizeof(tdxhp_scenarios[0]);

const struct tdxhp_scenario *tdxhp_scenario_find(const char *name)
{
	for (unsigned int i = 0; i < tdxhp_nr_scenarios; i++)
		if (!strcmp(name, tdxhp_scenarios[i].name))
			return &tdxhp_scenarios[i];
	return NULL;
}
