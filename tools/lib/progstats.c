// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>

#include <bpf/bpf.h>

#include "progstats.h"

bool tdxhp_bpf_stats_enabled(void)
{
	FILE *f = fopen("/proc/sys/kernel/bpf_stats_enabled", "r");
	int v = 0;

	if (!f)
		return false;
	if (fscanf(f, "%d", &v) != 1)
		v = 0;
	fclose(f);
	return v == 1;
}

int tdxhp_prog_fd_stats(int fd, struct tdxhp_prog_stats *out)
{
	struct bpf_prog_info info = { 0 };
	__u32 len = sizeof(info);

	if (fd < 0)
		return -EINVAL;
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return -errno;
	out->run_cnt = info.run_cnt;
	out->run_time_ns = info.run_time_ns;
	return 0;
}

int tdxhp_prog_stats(const struct tdxhp *t, int event_type,
		     struct tdxhp_prog_stats *out)
{
	return tdxhp_prog_fd_stats(tdxhp_prog_fd(t, event_type), out);
}
